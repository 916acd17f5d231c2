import type { CatalogItem } from '../../../main/core/catalog';
import { minor } from '../../../main/core/money';
import type { WritableDb } from '../../../main/store';
import { importCatalog } from '../../../main/store/catalog';
import { applyRulesPull } from '../../../main/store/rules-cache';

/** The small till the sale tests, the end-to-end tests and the UI benchmark sell from (no vitest imports: the bench uses it). */
export const NOW = new Date('2026-03-02T10:00:00.000Z');

// GTINs with valid check digits, stored as GTIN-14 the way the catalog import normalises them.
export const SCAN = { milk: '7038010000010', bread: '7038010000508', soap: '4006381333931', beer: '7038010001239' } as const;
export const MILK: CatalogItem = { id: 'milk', codes: ['07038010000010'], name: 'Milk 1 l', groups: [{ id: 'dairy' }], unitPrice: minor(2390), vatRateBp: 1500, unit: 'piece', eligibleForDiscount: true };
export const BREAD: CatalogItem = { id: 'bread', codes: ['07038010000508'], name: 'Wholemeal bread', groups: [{ id: 'bakery' }], unitPrice: minor(3990), vatRateBp: 1500, unit: 'piece', eligibleForDiscount: true };
export const SOAP: CatalogItem = { id: 'soap', codes: ['04006381333931', 'SOAP-1'], name: 'Hand soap', groups: [{ id: 'hygiene' }], unitPrice: minor(4950), vatRateBp: 2500, unit: 'piece', eligibleForDiscount: false };
export const APPLES: CatalogItem = { id: 'apples', codes: ['2301'], name: 'Apples', groups: [{ id: 'fruit' }], unitPrice: minor(3490), vatRateBp: 1500, unit: 'weight', eligibleForDiscount: true };
export const BEER: CatalogItem = { id: 'beer', codes: ['07038010001239'], name: 'Lager 0.5 l', groups: [{ id: 'beer' }], unitPrice: minor(3990), vatRateBp: 2500, unit: 'piece', ageLimit: 18, eligibleForDiscount: true };
export const CATALOG = [MILK, BREAD, SOAP, APPLES, BEER];

/** Anonymous customers ("/") get 10 % off dairy; members-only ("*") bread at 25,-. */
export const RULES = [
  {
    id: 'dairy-10',
    name: 'Dairy 10 %',
    receipt_text: 'Dairy 10% off',
    active: true,
    requirement: { purchase_from: '2020-01-01T00:00:00Z', purchase_to: '2040-01-01T00:00:00Z', item: { items: [{ group_id: 'dairy' }] } },
    reward: { type: 'discount_percent', value: 10 },
    customers: ['/'],
  },
  {
    id: 'bread-members',
    name: 'Bread 25,- for members',
    receipt_text: 'Member price bread',
    active: true,
    requirement: { purchase_from: '2020-01-01T00:00:00Z', purchase_to: '2040-01-01T00:00:00Z', item: { items: [{ id: 'bread' }] } },
    reward: { type: 'discount_item_new_price', value: 2500 },
    customers: ['*'],
  },
];

export function seedTill(db: WritableDb, rules: readonly unknown[] = RULES, version = 'rules-test-1'): void {
  importCatalog(db, CATALOG.map((item, i) => ({ line: i + 2, item })), NOW);
  applyRulesPull(db, { full: true, upserts: rules.map((body, i) => ({ id: (body as { id?: string }).id ?? `r${i}`, body, updatedAt: null })), deletes: [] }, () => ({ version, etag: null, sinceWatermark: null, fetchedAt: NOW.getTime() }));
}

