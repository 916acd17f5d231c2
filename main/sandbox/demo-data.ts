/**
 * The demo store's data (the JSON files under `demo/`), validated and loaded into a sandbox. The same loader
 * serves tests that bring their own rules, members or cards.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseRules } from '../core/discounts';
import type { SandboxContext } from './context';
import { iso } from './context';
import { putCustomer } from './dintero/customers';
import { addGrants, putRule } from './dintero/rules';
import { putCard } from './dintero/wallets';
import { DemoDataError } from './demo-dir';
import { insertMember } from './loyalty/members';

export { DemoDataError, findDemoDir } from './demo-dir';

const GrantSchema = z.union([
  z.string().min(1),
  // `ref_id`: a ref issued before the data was exported (a UUID); without one the sandbox issues a fresh UUID.
  z.looseObject({ customer_id: z.string().min(1), offering_constraint_id: z.string().optional(), ref_id: z.uuid().optional() }),
]);

const DemoRuleSchema = z.looseObject({
  id: z.string().min(1),
  requirement: z.looseObject({ purchase_from: z.string(), purchase_to: z.string() }),
  reward: z.looseObject({ type: z.string(), value: z.number() }),
  customers: z.array(GrantSchema).default([]),
});

const DemoMemberSchema = z.strictObject({
  customerId: z.string().min(1),
  membershipKey: z.string().min(1),
  externalId: z.string().min(1).optional(),
  firstName: z.string().min(1),
  lastName: z.string().min(1),
  phoneNumber: z.string().regex(/^\+\d{8,15}$/),
  email: z.string().email(),
  birthday: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  allowedSMS: z.boolean(),
  allowedEmail: z.boolean(),
  termsOfUse: z.boolean(),
  gdpr: z.boolean(),
  points: z.number().int().min(0),
  credit: z.number().int().min(0),
  /** Dintero customer status, matched by rules' requirement.customer.status. */
  customerStatus: z.string().optional(),
  /** Extra Dintero customer tokens besides the membership card (externalId, type `card`). */
  tokens: z.array(z.strictObject({ type: z.string().min(1), value: z.string().min(1) })).optional(),
  assets: z.array(z.looseObject({ key: z.string().min(1), name: z.string().min(1), status: z.enum(['active', 'inactive']) })).default([]),
});

const DemoCardSchema = z.strictObject({
  card_id: z.string().min(1),
  token: z.string().min(1),
  pin: z.string().regex(/^\d{4,8}$/).optional(),
  amount: z.number().int().min(0),
  currency: z.string().regex(/^[A-Z]{3}$/),
  name: z.string().optional(),
  customer_id: z.string().optional(),
  expires_at: z.iso.datetime({ offset: true }).optional(),
  /**
   * Dintero's `expires_after_transaction` (S1 W `POST /wallets/cards/{card_id}/tokens`, default true): a card code
   * serves one transaction. `false` models a reusable code printed on a physical card (docs/sandbox.md).
   */
  expires_after_transaction: z.boolean().optional(),
});

export const DemoDataSchema = z.strictObject({
  rules: z.array(DemoRuleSchema).default([]),
  members: z.array(DemoMemberSchema).default([]),
  giftCards: z.array(DemoCardSchema).default([]),
});

export type DemoData = z.input<typeof DemoDataSchema>;
export type DemoMember = z.infer<typeof DemoMemberSchema>;

/** Loads rules, members (both as Loyalty API members and as Dintero customers) and gift cards in one transaction. */
export function loadDemoData(ctx: SandboxContext, input: DemoData): void {
  const parsed = DemoDataSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DemoDataError(`Invalid sandbox data at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
  }
  const data = parsed.data;
  // The engine's own schema decides what a valid rule is, so the sandbox never serves a rule the till rejects.
  const rejected = parseRules(data.rules).rejected[0];
  if (rejected) throw new DemoDataError(`Invalid rule ${rejected.id} at ${rejected.path}: ${rejected.message}`);
  const at = iso(ctx.now());
  ctx.db.transaction(() => {
    for (const member of data.members) {
      insertMember(
        ctx.db,
        {
          phoneNumber: member.phoneNumber,
          email: member.email,
          firstName: member.firstName,
          lastName: member.lastName,
          allowedSMS: member.allowedSMS,
          allowedEmail: member.allowedEmail,
          termsOfUse: member.termsOfUse,
          gdpr: member.gdpr,
          birthday: member.birthday,
          ...(member.externalId !== undefined ? { externalId: member.externalId } : {}),
        },
        member.membershipKey,
        at,
        { points: member.points, credit: member.credit },
      );
      const insertAsset = ctx.db.prepare('INSERT OR REPLACE INTO member_assets (membership_key, key, body, status) VALUES (?, ?, ?, ?)');
      for (const asset of member.assets) {
        const { status, ...body } = asset;
        insertAsset.run(member.membershipKey, asset.key, JSON.stringify(body), status);
      }
      putCustomer(
        ctx.db,
        {
          customer_id: member.customerId,
          first_name: member.firstName,
          last_name: member.lastName,
          email: member.email,
          phone_number: member.phoneNumber,
          date_of_birth: member.birthday,
          ...(member.customerStatus !== undefined ? { status: member.customerStatus } : {}),
          marketing_consent: { sms: { consent: member.allowedSMS }, email: { consent: member.allowedEmail } },
          tokens: [...(member.externalId !== undefined ? [{ type: 'card', value: member.externalId }] : []), ...(member.tokens ?? [])],
        },
        at,
      );
    }
    for (const rule of data.rules) {
      const { customers, ...body } = rule;
      putRule(ctx.db, body, at);
      for (const grant of customers) {
        if (typeof grant === 'string') addGrants(ctx.db, ctx.newId, rule.id, [grant], undefined, at);
        else addGrants(ctx.db, grant.ref_id === undefined ? ctx.newId : () => grant.ref_id ?? ctx.newId(), rule.id, [grant.customer_id], grant.offering_constraint_id, at);
      }
    }
    for (const card of data.giftCards) putCard(ctx.db, card, at);
  }).immediate();
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DemoDataError(`Cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Reads demo/rules.json, demo/members.json and demo/gift-cards.json. */
export function readDemoFiles(dir: string): DemoData {
  return {
    rules: readJson(path.join(dir, 'rules.json')) as DemoData['rules'],
    members: readJson(path.join(dir, 'members.json')) as DemoData['members'],
    giftCards: readJson(path.join(dir, 'gift-cards.json')) as DemoData['giftCards'],
  };
}
