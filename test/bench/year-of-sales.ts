import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadFiscalSigningKey } from '../../main/agent/fiscal-key';
import { ownerOnlyFile } from '../../main/agent/secret-store';
import { ConfigSchema } from '../../main/config/schema';
import type { Config } from '../../main/config';
import { minor } from '../../main/core/money';
import { addToBasket, basketReceipt, EMPTY_BASKET } from '../../main/core/sale';
import { openDb, type WritableDb } from '../../main/store';
import { importCatalog } from '../../main/store/catalog';
import { commitSale, openBusinessDay, openShift } from '../../main/store/ledger';

/**
 * A year of a busy till: a data directory with 100,000 signed three-line sales (about 650 MB), committed in
 * batches with synchronous=OFF since only what is done with it is measured. About a minute to make.
 */
export type YearOfSales = { db: WritableDb; dir: string; config: Config };

export const SALES = 100_000;
const START = Date.parse('2026-01-01T08:00:00Z');

export function yearOfSales(): YearOfSales {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-bench-saft-'));
  const db = openDb(path.join(dir, 'till.sqlite'));
  db.pragma('synchronous = OFF');
  const items = [0, 1, 2].map((i) => ({ id: `sku-${i}`, codes: [`plu${i}`], name: `Item ${i}`, groups: [{ id: `group-${i}` }], unitPrice: minor(1990 + i * 100), vatRateBp: i === 0 ? 1500 : 2500, unit: 'piece' as const, eligibleForDiscount: true }));
  importCatalog(db, items.map((item, i) => ({ line: i + 2, item })), new Date(START));
  loadFiscalSigningKey(dir, db, ownerOnlyFile, 'Europe/Oslo', new Date(START));
  openBusinessDay(db, new Date(START), '2026-01-01');
  openShift(db, 'bench', minor(0), new Date(START));
  let basket = EMPTY_BASKET;
  for (const item of items) basket = addToBasket(basket, { item });
  const till = { branchId: 'bench', posId: 'till-1', currency: 'NOK' };
  for (let batch = 0; batch < SALES; batch += 5000) {
    db.transaction(() => {
      for (let i = batch; i < Math.min(SALES, batch + 5000); i++) {
        // Spread over the year: about 274 sales a day.
        const at = new Date(START + i * 315_000);
        const receipt = basketReceipt(basket, { receiptId: 'draft', purchaseAt: at.toISOString(), storeId: 'bench', currency: 'NOK' });
        commitSale(db, { till, receipt, tenders: [{ kind: 'cash', amount: minor(10_000) }], ruleSetVersion: 'r1' }, at);
      }
    })();
  }
  const config = { ...ConfigSchema.parse({ branchId: 'bench', posId: 'till-1', store: { orgNumber: '999999999' } }), dataDir: dir } as Config;
  return { db, dir, config };
}
