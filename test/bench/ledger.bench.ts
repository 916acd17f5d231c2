import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type CatalogItem, gtinCheckDigit, parseCatalogCsv } from '../../main/core/catalog';
import { type Minor, minor } from '../../main/core/money';
import { addToBasket, basketReceipt, EMPTY_BASKET, type SaleReceipt, settleReceipt } from '../../main/core/sale';
import { checkpointWal, disableAutoCheckpoint, openDb, type WritableDb } from '../../main/store';
import { importCatalog, lookupByCode } from '../../main/store/catalog';
import { commitSale, openBusinessDay, openShift } from '../../main/store/ledger';
import type { BenchEntry } from './bench-types';

/**
 * Ledger targets (issue #5): `sale.commit.50` against `sqlite.bare.50` (the same rows into plain tables in a
 * bare better-sqlite3 transaction, same pragmas), `catalog.import.100000` (parse + validate + import of a CSV)
 * and `catalog.lookup`. Real files in the OS temp folder, WAL, synchronous=FULL.
 */

function tempFile(name: string): { dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-bench-'));
  return { dir, file: path.join(dir, name) };
}

function gtin(n: number): string {
  const body = `70${String(n).padStart(10, '0')}`;
  return `${body}${gtinCheckDigit(body)}`;
}

function catalogCsv(rows: number): string {
  const lines = ['id,codes,name,groups,unit_price,vat_rate,unit,age_limit,eligible_for_discount'];
  for (let i = 0; i < rows; i++) lines.push(`sku-${i},${gtin(i)}|plu${i},Item number ${i},group-${i % 50},${(i % 500) + 1}.90,${i % 3 === 0 ? 15 : 25},piece,,true`);
  return `${lines.join('\n')}\n`;
}

function fiftyLineReceipt(items: readonly CatalogItem[]): SaleReceipt {
  let basket = EMPTY_BASKET;
  for (const item of items.slice(0, 50)) basket = addToBasket(basket, { item });
  const r = basketReceipt(basket, { receiptId: 'draft', purchaseAt: new Date().toISOString(), storeId: 'bench', currency: 'NOK' });
  // Every fifth line discounted, as a priced basket would be.
  return { ...r, customer_id: 'cust-1', items: r.items.map((i, k) => (k % 5 === 0 ? { ...i, discount_lines: [{ amount: 100, discount_id: 'd1' }] } : i)), discounts: [{ id: 'd1', refs: [{ id: 'ref1', amount: 1000, usage: 1 }] }] };
}

/** Every entry's state holds a database in a temporary folder of its own. */
function closeAndRemove(state: unknown): void {
  const s = state as { db: { close(): unknown }; dir: string };
  s.db.close();
  fs.rmSync(s.dir, { recursive: true, force: true });
}

type CommitState = { db: WritableDb; dir: string; receipt: SaleReceipt; due: Minor };

function setupCommit(): CommitState {
  const { dir, file } = tempFile('till.sqlite');
  const db = openDb(file);
  disableAutoCheckpoint(db);
  const parsed = parseCatalogCsv(catalogCsv(50));
  importCatalog(db, parsed.rows, new Date());
  openBusinessDay(db, new Date());
  openShift(db, 'bench', minor(0), new Date());
  const receipt = fiftyLineReceipt(parsed.rows.map((r) => r.item));
  return { db, dir, receipt, due: settleReceipt(receipt).net_amount };
}

type BareState = { db: Database.Database; dir: string; receipt: SaleReceipt; n: number };

function setupBare(): BareState {
  const { dir, file } = tempFile('bare.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  disableAutoCheckpoint(db as WritableDb);
  db.exec(`
    CREATE TABLE sales (id INTEGER PRIMARY KEY, receipt_id TEXT, net INTEGER, doc TEXT);
    CREATE TABLE lines (sale_id INTEGER, line_id INTEGER, item_id TEXT, qty INTEGER, gross INTEGER, net INTEGER, PRIMARY KEY (sale_id, line_id));
    CREATE TABLE tenders (sale_id INTEGER, idx INTEGER, kind TEXT, amount INTEGER);
    CREATE TABLE journal (seq INTEGER PRIMARY KEY, payload TEXT);
    CREATE TABLE print_jobs (id INTEGER PRIMARY KEY, payload TEXT);
    CREATE TABLE outbox (id INTEGER PRIMARY KEY, payload TEXT);
  `);
  return { db, dir, receipt: fiftyLineReceipt(parseCatalogCsv(catalogCsv(50)).rows.map((r) => r.item)), n: 0 };
}

type CatalogState = { db: WritableDb; dir: string; codes: string[]; n: number };

const entries: BenchEntry[] = [
  {
    name: 'sale.commit.50',
    target: 'p99 <= 3 ms; p50 <= 2x sqlite.bare.50',
    samples: 500,
    setup: setupCommit,
    run: (state) => {
      const s = state as CommitState;
      commitSale(s.db, { till: { branchId: 'bench', posId: 'till-1', currency: 'NOK' }, receipt: s.receipt, tenders: [{ kind: 'card', amount: s.due, terminalRef: 'T' }], ruleSetVersion: 'bench' }, new Date());
    },
    idle: (state) => checkpointWal((state as CommitState).db),
    teardown: closeAndRemove,
  },
  {
    name: 'sqlite.bare.50',
    target: 'baseline for sale.commit.50',
    samples: 500,
    setup: setupBare,
    run: (state) => {
      const s = state as BareState;
      const insertSale = s.db.prepare('INSERT INTO sales (receipt_id, net, doc) VALUES (?, ?, ?)');
      const insertLine = s.db.prepare('INSERT INTO lines (sale_id, line_id, item_id, qty, gross, net) VALUES (?, ?, ?, ?, ?, ?)');
      s.db.transaction(() => {
        const doc = JSON.stringify(s.receipt);
        const id = Number(insertSale.run(`r-${s.n++}`, s.receipt.net_amount, doc).lastInsertRowid);
        for (const i of s.receipt.items) insertLine.run(id, i.line_id, i.id, i.quantity_milli, i.gross_amount, i.net_amount);
        s.db.prepare('INSERT INTO tenders (sale_id, idx, kind, amount) VALUES (?, 0, ?, ?)').run(id, 'card', s.receipt.net_amount);
        s.db.prepare('INSERT INTO journal (payload) VALUES (?)').run(`{"id":${id}}`);
        s.db.prepare('INSERT INTO print_jobs (payload) VALUES (?)').run(doc);
        s.db.prepare('INSERT INTO outbox (payload) VALUES (?)').run(doc);
      }).immediate();
    },
    idle: (state) => checkpointWal((state as BareState).db as WritableDb),
    teardown: closeAndRemove,
  },
  {
    name: 'catalog.import.100000',
    target: '<= 5000 ms (parse, validate, import 100,000 CSV rows)',
    samples: 3,
    setup: () => ({ csv: catalogCsv(100_000) }),
    run: (state) => {
      const { csv } = state as { csv: string };
      const { dir, file } = tempFile('till.sqlite');
      const db = openDb(file);
      try {
        const parsed = parseCatalogCsv(csv);
        importCatalog(db, parsed.rows, new Date());
      } finally {
        db.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  },
  {
    name: 'catalog.lookup',
    target: 'p99 <= 0.1 ms',
    samples: 5000,
    setup: (): CatalogState => {
      const { dir, file } = tempFile('till.sqlite');
      const db = openDb(file);
      const parsed = parseCatalogCsv(catalogCsv(100_000));
      importCatalog(db, parsed.rows, new Date());
      return { db, dir, codes: parsed.rows.filter((_, i) => i % 97 === 0).map((r) => r.item.codes[0] ?? ''), n: 0 };
    },
    run: (state) => {
      const s = state as CatalogState;
      if (!lookupByCode(s.db, s.codes[s.n++ % s.codes.length] ?? '')) throw new Error('lookup missed');
    },
    teardown: closeAndRemove,
  },
];

export default entries;
