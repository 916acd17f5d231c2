import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type CatalogItem } from '../../main/core/catalog';
import { minor } from '../../main/core/money';
import { addToBasket, basketReceipt, EMPTY_BASKET, type SaleReceipt, type Tender } from '../../main/core/sale';
import type { OfflineLimits } from '../../main/core/sale/offline-limits';
import { openDb, type WritableDb } from '../../main/store';
import { putBalance } from '../../main/store/balance-cache';
import { closeBusinessDay, closeShift, commitSale, openBusinessDay, openShift, type TillIdentity } from '../../main/store/ledger';
import type { BenchEntry } from './bench-types';

/**
 * `sale.commit.offline.30000`: one sale paid with an offline gift card, checked against the offline limits,
 * on a till file with 60 business days of 500 sales (every tenth with an offline gift card), all delivered
 * but today's. The check's reads must follow today's sales and the outbox backlog, not the ledger's size.
 */

const DAYS = 60;
const PER_DAY = 500;
const TILL: TillIdentity = { branchId: 'bench', posId: 'bench-1', currency: 'NOK' };
const ITEM: CatalogItem = { id: 'x', codes: ['x1'], name: 'Item', groups: [], unitPrice: minor(1000), vatRateBp: 2500, unit: 'piece', eligibleForDiscount: true };
const LIMITS: OfflineLimits = {
  giftCard: { perPayment: 1_000_000, perMemberPerDay: 1_000_000_000, totalOpenExposure: 1_000_000_000 },
  points: { perPayment: 0, perMemberPerDay: 0, totalOpenExposure: 0 },
  credit: { perPayment: 0, perMemberPerDay: 0, totalOpenExposure: 0 },
};

type State = { db: WritableDb; dir: string; receipt: SaleReceipt };

const giftCard = (token: string): Tender => ({ kind: 'gift_card', amount: minor(1000), cardToken: token, offline: true });

const entries: BenchEntry[] = [
  {
    name: 'sale.commit.offline.30000',
    target: 'p99 <= 5 ms (offline gift card, limits checked, 30,000 sales in the ledger)',
    samples: 300,
    setup(): State {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-bench-offline-'));
      const db = openDb(path.join(dir, 'till.sqlite'));
      const receipt = basketReceipt(addToBasket(EMPTY_BASKET, { item: ITEM }), { receiptId: 'draft', purchaseAt: new Date().toISOString(), storeId: 'bench', currency: 'NOK' });
      // Filling is not what is measured: no fsync per sale while building the history.
      db.pragma('synchronous = OFF');
      const start = Date.now() - DAYS * 86_400_000;
      for (let d = 0; d <= DAYS; d++) {
        const day = new Date(start + d * 86_400_000);
        openBusinessDay(db, day);
        openShift(db, 'bench', minor(0), day);
        for (let i = 0; i < PER_DAY; i++) {
          const offline = i % 10 === 0;
          const tenders: Tender[] = [offline ? giftCard(`card-${i}`) : { kind: 'card', amount: minor(1000), terminalRef: 'T' }];
          commitSale(db, { till: TILL, receipt, tenders, ruleSetVersion: 'bench' }, new Date(day.getTime() + i * 1000));
        }
        if (d < DAYS) {
          closeShift(db, null, day);
          closeBusinessDay(db, day);
        }
      }
      db.prepare(`UPDATE outbox_envelopes SET state = 'done' WHERE id <= (SELECT max(id) - ${PER_DAY} FROM outbox_envelopes)`).run();
      db.pragma('synchronous = FULL');
      putBalance(db, 'gift_card', 'card-0', 1_000_000_000, Date.now() - 3_600_000);
      return { db, dir, receipt };
    },
    run(state: unknown): void {
      const { db, receipt } = state as State;
      commitSale(db, { till: TILL, receipt, tenders: [giftCard('card-0')], ruleSetVersion: 'bench', offlineLimits: LIMITS }, new Date());
    },
    teardown(state: unknown): void {
      const { db, dir } = state as State;
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  },
];

export default entries;
