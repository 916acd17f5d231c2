/** The real Loyalty connector (client, effects, payments) on a real SQLite file, pointed at a docs server. */
import { dbPath } from '../../../main/agent/data-dir';
import { openDb, type WritableDb } from '../../../main/store';
import type { EffectKind } from '../../../main/store/outbox';
import type { DeliveryResult, EffectToDeliver } from '../../../main/sync/outbox/connector';
import { LoyaltyClient } from '../../../main/sync/connectors/loyalty/loyalty-client';
import { LoyaltyEffects } from '../../../main/sync/connectors/loyalty/loyalty-effects';
import type { LoyaltyWire } from '../../../main/sync/connectors/loyalty/transaction-body';
import { tempDir } from '../../helpers/temp-dir';
import { recordingLogger } from '../../unit/sync/connectors/test-server';
import { startDocsServer, type DocsServer, type DocsServerOptions } from './docs-server';

export type Rig = { readonly server: DocsServer; readonly db: WritableDb; readonly effects: LoyaltyEffects; close(): Promise<void> };

export async function rig(options: DocsServerOptions = {}, wire?: LoyaltyWire): Promise<Rig> {
  const server = await startDocsServer(options);
  const db = openDb(dbPath(tempDir()));
  const logger = recordingLogger();
  const client = new LoyaltyClient({ baseUrl: server.baseUrl, apiKey: 'key-conformance', sourceType: 'POS', version: '1.2.3', posId: 'POS001', branchId: 'BR001', logger, timeoutMs: 2000 });
  const effects = new LoyaltyEffects(client, db, () => Date.now(), logger, wire);
  return {
    server,
    db,
    effects,
    close: async () => {
      db.close();
      await server.close();
    },
  };
}

export function effect(kind: EffectKind, key: string, payload: unknown, ref = 'R-1'): EffectToDeliver {
  return { envelopeId: 1, envelopeRef: ref, seq: 0, kind, idempotencyKey: key, payload, amountAtRisk: 0, attempt: 1 };
}

export const PURCHASE_AT = '2026-12-05T10:00:00.000Z';

/** A sale as the ledger writes it (main/core/sale/effects.ts; the integration fixtures use the same shape). */
export function ledgerTransaction(id: string): Record<string, unknown> {
  return {
    transactionId: id,
    openTime: PURCHASE_AT,
    dateTime: PURCHASE_AT,
    totalAmount: 5000,
    totalTaxAmount: 1000,
    totalGeneralDiscount: 0,
    items: [
      { lineId: '1', code: '7038010009457', name: 'Milk', quantity: 2, grossAmount: 3000, netAmount: 2700 },
      { lineId: '2', code: '7311041013342', name: 'Bread', quantity: 1, grossAmount: 2000, netAmount: 2000 },
    ],
    payments: [
      { type: 'POINTS', amount: 300 },
      { type: 'CASH', amount: 4400 },
    ],
  };
}

export const MEMBER = { membershipKey: '0fe31b8b-5ad5-48af-81e9-4adc7d596042' } as const;

export async function pay(r: Rig, key: string, amount: number, sale = 'R-1'): Promise<DeliveryResult> {
  return r.effects.payment(effect('loyalty_payment', key, { member: MEMBER, payment: { action: 'pay', amount }, asset: 'points', transaction: ledgerTransaction(sale) }, sale));
}

export async function refund(r: Rig, key: string, reverses: string, amount?: number): Promise<DeliveryResult> {
  return r.effects.payment(effect('loyalty_payment', key, { member: MEMBER, payment: { action: 'cancel', ...(amount === undefined ? {} : { amount: -amount }) }, reverses }));
}
