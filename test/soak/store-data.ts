/**
 * The soak store: the demo store's catalog and rules, plus members and gift cards of its own with balances
 * large enough that a long run never runs them dry (a refusal for lack of funds is a business outcome, not
 * what the soak measures).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DemoData } from '../../main/sandbox';
import { REPO } from '../helpers/cli';

export const DEMO_DIR = path.join(REPO, 'demo');
export const BRANCH_ID = 'soak-branch';
/** The demo rules name this store id in some requirements. */
export const STORE_ID = 'demo-store-1';
export const MEMBERS_PER_TILL = 6;
export const GIFT_CARDS = 8;
/** Each member's points and credit at the start (the payment asset is one of them). */
export const START_POINTS = 50_000_000;
export const START_GIFT_CARD = 100_000_000;

export type SoakMember = { readonly customerId: string; readonly membershipKey: string };
export type SoakGiftCard = { readonly cardId: string; readonly token: string };
export type SoakItem = { readonly id: string; readonly code: string; readonly unitPrice: number; readonly weighed: boolean };

export function posIdOf(index: number): string {
  return `till-${index + 1}`;
}

/**
 * Each till has members of its own. A Loyalty `/payment` has no idempotency key, so an unanswered one is settled
 * by reading the member's balance; a payment by the same member at another till in between would make that read
 * ambiguous and send it to a manager (docs/connectors.md). A member is at one till at a time in a real store.
 */
export function membersOf(tillIndex: number, shared = false): SoakMember[] {
  if (shared && tillIndex !== 0) return membersOf(0);
  return Array.from({ length: MEMBERS_PER_TILL }, (_, n) => {
    const tag = `${String(tillIndex + 1).padStart(2, '0')}${String(n + 1).padStart(2, '0')}`;
    return { customerId: `soak-cust-${tag}`, membershipKey: `50a50000-0000-4000-8000-00000000${tag}` };
  });
}

export function giftCards(): SoakGiftCard[] {
  return Array.from({ length: GIFT_CARDS }, (_, n) => ({ cardId: `soak-gc-${n + 1}`, token: `SOAKGC${String(n + 1).padStart(6, '0')}` }));
}

/** Members (Loyalty members and Dintero customers) and gift cards, in the sandbox's demo-data format. */
export function sandboxData(tills: number, shared = false): DemoData {
  const members = Array.from({ length: shared ? 1 : tills }, (_, t) => membersOf(t)).flat();
  return {
    rules: [],
    members: members.map((m, i) => ({
      customerId: m.customerId,
      membershipKey: m.membershipKey,
      externalId: `97${String(i + 1).padStart(8, '0')}`,
      firstName: 'Soak',
      lastName: `Member ${i + 1}`,
      phoneNumber: `+479${String(i + 1).padStart(7, '0')}`,
      email: `soak.member.${i + 1}@example.com`,
      birthday: '1980-01-01',
      allowedSMS: false,
      allowedEmail: false,
      termsOfUse: true,
      gdpr: true,
      points: START_POINTS,
      credit: START_POINTS,
      assets: [],
    })),
    // The soak pays with each card in many sales: a physical card's reusable code (docs/sandbox.md).
    giftCards: giftCards().map((c) => ({ card_id: c.cardId, token: c.token, amount: START_GIFT_CARD, currency: 'NOK', name: `Soak card ${c.cardId}`, expires_after_transaction: false })),
  };
}

/** The demo catalog's items a cashier can sell without an age check or a price label. */
export function sellableItems(): SoakItem[] {
  const catalog = JSON.parse(fs.readFileSync(path.join(DEMO_DIR, 'catalog.json'), 'utf8')) as {
    items: { id: string; codes: string[]; unit_price_minor: number; unit?: string; age_limit?: number }[];
  };
  return catalog.items
    .filter((i) => !i.age_limit && !(i.codes[0] ?? '').startsWith('22'))
    .map((i) => ({ id: i.id, code: i.codes[0] ?? '', unitPrice: i.unit_price_minor, weighed: i.unit === 'weight' }));
}
