import type { CatalogItem, ItemGroup } from '../core/catalog';
import { lookupKey } from '../core/catalog';
import { minor } from '../core/money';
import type { ReadableDb, WritableDb } from './db-types';
import { recordFiscalEvent } from './fiscal-events';
import { translateSqliteError } from './sqlite-errors';

type ItemRow = {
  item_id: string;
  name: string;
  groups_json: string;
  unit_price_minor: number;
  vat_rate_bp: number;
  unit: 'piece' | 'weight';
  age_limit: number | null;
  eligible_for_discount: number;
  codes: string;
};

const SELECT_ITEM = `
  SELECT i.item_id, i.name, i.groups_json, i.unit_price_minor, i.vat_rate_bp, i.unit, i.age_limit, i.eligible_for_discount,
         (SELECT group_concat(code, ' ') FROM catalog_codes WHERE item_id = i.item_id) AS codes
  FROM catalog_items i`;

function toItem(row: ItemRow): CatalogItem {
  const base = {
    id: row.item_id,
    codes: row.codes ? row.codes.split(' ') : [],
    name: row.name,
    groups: JSON.parse(row.groups_json) as ItemGroup[],
    unitPrice: minor(row.unit_price_minor),
    vatRateBp: row.vat_rate_bp,
    unit: row.unit,
    eligibleForDiscount: row.eligible_for_discount === 1,
  };
  return row.age_limit === null ? base : { ...base, ageLimit: row.age_limit };
}

// Statements are prepared once per connection: a lookup runs on every scan.
const statements = new WeakMap<ReadableDb, { byCode: ReturnType<ReadableDb['prepare']>; byId: ReturnType<ReadableDb['prepare']> }>();

function readStatements(db: ReadableDb): { byCode: ReturnType<ReadableDb['prepare']>; byId: ReturnType<ReadableDb['prepare']> } {
  let s = statements.get(db);
  if (!s) {
    s = {
      byCode: db.prepare(`${SELECT_ITEM} JOIN catalog_codes c ON c.item_id = i.item_id WHERE c.code = ?`),
      byId: db.prepare(`${SELECT_ITEM} WHERE i.item_id = ?`),
    };
    statements.set(db, s);
  }
  return s;
}

/** The item a scanned or typed code finds (GTINs in any length match), or undefined. */
export function lookupByCode(db: ReadableDb, code: string): CatalogItem | undefined {
  const row = readStatements(db).byCode.get(lookupKey(code)) as ItemRow | undefined;
  return row ? toItem(row) : undefined;
}

export function getCatalogItem(db: ReadableDb, itemId: string): CatalogItem | undefined {
  const row = readStatements(db).byId.get(itemId) as ItemRow | undefined;
  return row ? toItem(row) : undefined;
}

/**
 * Items whose name contains `query` (case-insensitive for ASCII, as SQLite's LIKE is), for the cashier's item
 * search. LIKE wildcards in the query are escaped: a search for "50%" finds "50%", not everything.
 */
export function searchCatalogByName(db: ReadableDb, query: string, limit: number): CatalogItem[] {
  const like = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return (db.prepare(`${SELECT_ITEM} WHERE i.name LIKE ? ESCAPE '\\' ORDER BY i.name LIMIT ?`).all(like, limit) as ItemRow[]).map(toItem);
}

export function countCatalogItems(db: ReadableDb): number {
  return (db.prepare('SELECT count(*) AS n FROM catalog_items').get() as { n: number }).n;
}

export type ImportRow = { readonly line: number; readonly item: CatalogItem };
export type ImportConflict = { readonly line: number; readonly reason: string };
export type ImportResult = { readonly imported: number; readonly conflicts: ImportConflict[] };

/**
 * Imports items in one transaction: an item with a known id is replaced (its codes with it); items not in the
 * file stay. A code that already belongs to another item in the database refuses that row, reported like a
 * bad row, and the rest is imported. `onProgress` is called every `progressEvery` rows.
 */
export function importCatalog(
  db: WritableDb,
  rows: readonly ImportRow[],
  now: Date,
  options: { onProgress?: (done: number, total: number) => void; progressEvery?: number; file?: string } = {},
): ImportResult {
  const upsert = db.prepare(`
    INSERT INTO catalog_items (item_id, name, groups_json, unit_price_minor, vat_rate_bp, unit, age_limit, eligible_for_discount, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (item_id) DO UPDATE SET name = excluded.name, groups_json = excluded.groups_json,
      unit_price_minor = excluded.unit_price_minor, vat_rate_bp = excluded.vat_rate_bp, unit = excluded.unit,
      age_limit = excluded.age_limit, eligible_for_discount = excluded.eligible_for_discount, updated_at = excluded.updated_at`);
  const owner = db.prepare('SELECT item_id FROM catalog_codes WHERE code = ?').pluck();
  const dropCodes = db.prepare('DELETE FROM catalog_codes WHERE item_id = ?');
  const addCode = db.prepare('INSERT INTO catalog_codes (code, item_id) VALUES (?, ?)');
  const oldPrice = db.prepare('SELECT unit_price_minor FROM catalog_items WHERE item_id = ?').pluck();
  const every = options.progressEvery ?? 1000;
  const at = now.toISOString();
  const run = db.transaction((): ImportResult => {
    const conflicts: ImportConflict[] = [];
    let imported = 0;
    // Into an empty catalog no code can belong to another item (the file itself was checked when parsed),
    // so the first import of a large catalog skips the per-code checks.
    const empty = db.prepare('SELECT NOT EXISTS (SELECT 1 FROM catalog_items) AS e').pluck().get() === 1;
    rows.forEach(({ line, item }, index) => {
      const taken = empty ? undefined : item.codes.find((c) => {
        const o = owner.get(c) as string | undefined;
        return o !== undefined && o !== item.id;
      });
      if (taken !== undefined) {
        conflicts.push({ line, reason: `code ${taken} already belongs to item "${String(owner.get(taken))}" in the catalog` });
      } else {
        const before = empty ? undefined : (oldPrice.get(item.id) as number | undefined);
        // A changed price is journaled (13021) with the import that changed it (docs/fiscal-no.md).
        if (before !== undefined && before !== item.unitPrice) recordFiscalEvent(db, 'price_change', { text: `${item.id} ${before} -> ${item.unitPrice}`, amountMinor: item.unitPrice }, now);
        upsert.run(item.id, item.name, JSON.stringify(item.groups), item.unitPrice, item.vatRateBp, item.unit, item.ageLimit ?? null, item.eligibleForDiscount ? 1 : 0, at);
        if (!empty) dropCodes.run(item.id);
        for (const c of item.codes) addCode.run(c, item.id);
        imported++;
      }
      if (options.onProgress && ((index + 1) % every === 0 || index + 1 === rows.length)) options.onProgress(index + 1, rows.length);
    });
    return { imported, conflicts };
  });
  try {
    return run.immediate();
  } catch (err) {
    throw translateSqliteError(err, options.file ?? db.name);
  }
}
