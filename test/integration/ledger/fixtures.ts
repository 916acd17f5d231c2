import path from 'node:path';
import type { CatalogItem } from '../../../main/core/catalog';
import { minor } from '../../../main/core/money';
import { addToBasket, basketReceipt, EMPTY_BASKET, type SaleReceipt } from '../../../main/core/sale';
import { openDb, type WritableDb } from '../../../main/store';
import { importCatalog } from '../../../main/store/catalog';
import { openBusinessDay, openShift, type TillIdentity } from '../../../main/store/ledger';
import { tempDir } from '../../helpers/temp-dir';

export const TILL: TillIdentity = { branchId: 'demo-branch', posId: 'till-1', currency: 'NOK' };
export const NOW = new Date('2026-03-02T10:00:00.000Z');

export const MILK: CatalogItem = { id: 'milk', codes: ['07038010009457'], name: 'Milk 1 l', groups: [{ id: 'dairy' }], unitPrice: minor(2190), vatRateBp: 1500, unit: 'piece', eligibleForDiscount: true };
export const BEER: CatalogItem = { id: 'beer', codes: ['beer1'], name: 'Beer 0.5 l', groups: [{ id: 'alcohol' }], unitPrice: minor(2990), vatRateBp: 2500, unit: 'piece', ageLimit: 18, eligibleForDiscount: false };
export const APPLES: CatalogItem = { id: 'apples', codes: ['2301'], name: 'Apples', groups: [{ id: 'fruit' }], unitPrice: minor(3490), vatRateBp: 1500, unit: 'weight', eligibleForDiscount: true };

/** A fresh till database on disk with a small catalog, an open business day and shift. */
export function openTill(options: { shift?: boolean } = {}): { db: WritableDb; file: string } {
  const file = path.join(tempDir('till-ledger-'), 'till.sqlite');
  const db = openDb(file);
  importCatalog(db, [MILK, BEER, APPLES].map((item, i) => ({ line: i + 2, item })), NOW);
  if (options.shift ?? true) {
    openBusinessDay(db, NOW);
    openShift(db, 'anna', minor(50_000), NOW);
  }
  return { db, file };
}

/** 2 milk, 1 beer, 452 g apples: 43.80 + 29.90 + 15.77 = 89.47 NOK. */
export function sampleReceipt(): SaleReceipt {
  let basket = addToBasket(EMPTY_BASKET, { item: MILK });
  basket = addToBasket(basket, { item: MILK });
  basket = addToBasket(basket, { item: BEER });
  basket = addToBasket(basket, { item: APPLES, grams: 452 });
  return basketReceipt(basket, { receiptId: 'draft', purchaseAt: NOW.toISOString(), storeId: TILL.branchId, currency: 'NOK' });
}
