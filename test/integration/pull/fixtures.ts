import { dbPath } from '../../../main/agent/data-dir';
import { startSandbox, type DemoData, type SandboxHandle } from '../../../main/sandbox';
import { openDb, type WritableDb } from '../../../main/store';
import { DinteroClient } from '../../../main/sync/connectors/dintero/dintero-client';
import { LoyaltyClient } from '../../../main/sync/connectors/loyalty/loyalty-client';
import { tempDir } from '../../helpers/temp-dir';
import { recordingLogger } from '../../unit/sync/connectors/test-server';

export const KARI = {
  customerId: 'cust-1',
  membershipKey: 'mk-1',
  externalId: 'loyalty-card-0001',
  phoneNumber: '+4799887766',
  email: 'kari.nordmann@example.com',
  points: 250,
  credit: 100_000,
} as const;
/** Shares Kari's phone prefix, so a prefix search for Kari's number also finds him. */
export const OLA = { customerId: 'cust-2', membershipKey: 'mk-2', phoneNumber: '+47998877660', email: 'ola@example.com' } as const;
export const CARD = { card_id: 'card-1', token: 'gift-token-0001', amount: 50_000 } as const;
export const PIN_CARD = { card_id: 'card-2', token: 'gift-token-0002', amount: 20_000, pin: '4321' } as const;
export const RULE_ID = 'rule-10pct';

const profile = { birthday: '1990-01-01', allowedSMS: true, allowedEmail: true, termsOfUse: true, gdpr: true } as const;

export const DATA: DemoData = {
  members: [
    { ...profile, customerId: KARI.customerId, membershipKey: KARI.membershipKey, externalId: KARI.externalId, firstName: 'Kari', lastName: 'Nordmann', phoneNumber: KARI.phoneNumber, email: KARI.email, points: KARI.points, credit: KARI.credit, assets: [] },
    { ...profile, customerId: OLA.customerId, membershipKey: OLA.membershipKey, firstName: 'Ola', lastName: 'Hansen', phoneNumber: OLA.phoneNumber, email: OLA.email, points: 0, credit: 0, assets: [] },
  ],
  giftCards: [
    // Reusable (a physical card's code): the balance test draws with it and reads it again.
    { card_id: CARD.card_id, token: CARD.token, amount: CARD.amount, currency: 'NOK', expires_after_transaction: false },
    { card_id: PIN_CARD.card_id, token: PIN_CARD.token, amount: PIN_CARD.amount, currency: 'NOK', pin: PIN_CARD.pin },
  ],
  rules: [
    {
      id: RULE_ID,
      name: '10 % for members',
      requirement: { purchase_from: '2020-01-01T00:00:00Z', purchase_to: '2035-01-01T00:00:00Z' },
      reward: { type: 'discount_percent', value: 10 },
      customers: [KARI.customerId],
    },
  ],
};

export type Rig = {
  readonly sandbox: SandboxHandle;
  readonly db: WritableDb;
  readonly file: string;
  readonly dintero: DinteroClient;
  readonly loyalty: LoyaltyClient;
  readonly log: ReturnType<typeof recordingLogger>;
  readonly clock: { t: number };
  readonly now: () => number;
};

export async function startRig(): Promise<Rig> {
  const clock = { t: Date.parse('2026-11-23T10:00:00Z') };
  const now = (): number => clock.t;
  const sandbox = await startSandbox({ seed: 20261123, strictIdentification: true, data: DATA, now: () => new Date(clock.t) });
  const file = dbPath(tempDir());
  const db = openDb(file);
  const log = recordingLogger();
  const shared = { posId: 'till-7', branchId: 'oslo-1', logger: log, now, timeoutMs: 2_000 };
  const dintero = new DinteroClient({ ...shared, baseUrl: sandbox.dinteroUrl, accountId: sandbox.accountId, clientId: sandbox.clientId, clientSecret: sandbox.clientSecret });
  const loyalty = new LoyaltyClient({ ...shared, baseUrl: sandbox.loyaltyUrl, apiKey: sandbox.apiKey, sourceType: 'POS', version: '1.2.3' });
  return { sandbox, db, file, dintero, loyalty, log, clock, now };
}

export async function stopRig(rig: Rig | undefined): Promise<void> {
  rig?.db.close();
  await rig?.sandbox.close();
}

/** Every way a personal value could show up in a log line. */
export function personalValues(): string[] {
  return [KARI.phoneNumber, KARI.phoneNumber.slice(1), KARI.email, KARI.externalId, OLA.phoneNumber, OLA.email, CARD.token, PIN_CARD.token, PIN_CARD.pin];
}
