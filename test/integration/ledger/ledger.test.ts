import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { TillError } from '../../../main/core/errors';
import { minor } from '../../../main/core/money';
import type { SaleReceipt } from '../../../main/core/sale';
import { lookupByCode } from '../../../main/store/catalog';
import { verifyJournal } from '../../../main/store/journal';
import { closeBusinessDay, closeShift, commitSale, countEntries, findEntry, refundSale, voidSale, envelopeIdOf } from '../../../main/store/ledger';
import { getEnvelope, listEffects } from '../../../main/store/outbox';
import { createPrintJobQueue, getPrintJob, recoverPrinting } from '../../../main/store/print-jobs';
import { BEER, NOW, openTill, sampleReceipt, TILL } from './fixtures';

function tillError(fn: () => unknown): TillError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TillError);
    return err as TillError;
  }
  throw new Error('expected a TillError');
}

function count(db: Database.Database, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

const TABLES = ['sales', 'sale_lines', 'sale_tenders', 'journal', 'print_jobs', 'outbox_envelopes', 'outbox_effects', 'sale_counters'];
const counts = (db: Database.Database): Record<string, number> => Object.fromEntries(TABLES.map((t) => [t, count(db, t)]));

/** A receipt as the discount engine returns it: 10 % off the milk line, claimable by the customer. */
function discounted(): SaleReceipt {
  const r = sampleReceipt();
  return {
    ...r,
    customer_id: 'cust-1',
    items: r.items.map((i) => (i.id === 'milk' ? { ...i, discount_lines: [{ amount: 438, percentage: 10, discount_id: 'rule-1', description: 'Milk 10 %' }] } : i)),
    discounts: [{ id: 'rule-1', name: 'Milk 10 %', refs: [{ id: 'ref-9', amount: 438, usage: 1 }] }],
  };
}

describe('sales ledger', () => {
  it('commits a sale with lines, tenders, print job, journal entry and one outbox envelope in one go', () => {
    const { db } = openTill();
    const result = commitSale(db, { till: TILL, receipt: discounted(), tenders: [{ kind: 'cash', amount: minor(10_000) }], ruleSetVersion: 'rules-7' }, NOW);
    const { entry } = result;
    expect(entry.receiptId).toBe('demo-branch-till-1-000001');
    expect(entry.totals.gross).toBe(4380 + 2990 + 1577);
    expect(entry.totals.discount).toBe(438);
    expect(entry.totals.net).toBe(4380 + 2990 + 1577 - 438);
    expect(entry.change).toBe(10_000 - entry.totals.net);
    expect(entry.receipt.items.find((i) => i.id === 'milk')?.net_amount).toBe(4380 - 438);
    const sale = db.prepare('SELECT * FROM sales WHERE id = ?').get(result.saleId) as Record<string, unknown>;
    expect(sale).toMatchObject({ kind: 'sale', sale_no: 1, rule_set_version: 'rules-7', customer_id: 'cust-1', net_minor: entry.totals.net, change_minor: entry.change, operator_id: 'anna' });
    expect(count(db, 'sale_lines')).toBe(3);
    expect(db.prepare('SELECT kind, amount_minor, applied_minor FROM sale_tenders').all()).toEqual([{ kind: 'cash', amount_minor: 10_000, applied_minor: entry.totals.net }]);
    const job = getPrintJob(db, result.printJobId);
    expect(job).toMatchObject({ state: 'pending', copy: false, saleId: result.saleId });
    expect(job?.document).toMatchObject({ receiptId: entry.receiptId, openDrawer: true, change: entry.change });
    const envelope = getEnvelope(db, envelopeIdOf(result));
    expect(envelope).toMatchObject({ kind: 'sale', ref: entry.receiptId, orderingKey: 'cust-1', state: 'pending' });
    const effects = listEffects(db, envelopeIdOf(result));
    expect(effects.map((e) => [e.kind, e.idempotencyKey])).toEqual([
      ['discount_claim', 'demo-branch-till-1-000001:claim'],
      ['receipt', 'demo-branch-till-1-000001:receipt'],
      ['loyalty_transaction', 'demo-branch-till-1-000001:tx'],
    ]);
    expect(effects[0]?.payload).toMatchObject({ ref: 'demo-branch-till-1-000001:claim', customer_id: 'cust-1', discounts: [{ id: 'rule-1', refs: [{ id: 'ref-9', amount: 438, usage: 1 }] }] });
    expect(verifyJournal(db)).toMatchObject({ ok: true, entries: 4 }); // day open, shift open, the cashier's log-in event, sale
    db.close();
  });

  it('numbers sales gap-free: a refused sale writes nothing and uses no number', () => {
    const { db } = openTill();
    commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'card', amount: minor(8947), terminalRef: 'T-1' }], ruleSetVersion: 'v1' }, NOW);
    const before = counts(db);
    const err = tillError(() => commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'cash', amount: minor(100) }], ruleSetVersion: 'v1' }, NOW));
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toMatch(/do not cover/);
    expect(counts(db)).toEqual(before);
    const next = commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'cash', amount: minor(8947) }], ruleSetVersion: 'v1' }, NOW);
    expect(next.entry.saleNo).toBe(2);
    expect(next.entry.receiptId).toBe('demo-branch-till-1-000002');
    db.close();
  });

  it('refuses to sell without an open shift', () => {
    const { db } = openTill({ shift: false });
    const err = tillError(() => commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'cash', amount: minor(9000) }], ruleSetVersion: 'v1' }, NOW));
    expect(err.code).toBe('CONFLICT');
    expect(count(db, 'sales')).toBe(0);
    db.close();
  });

  it('voids with a new entry that refers to the original, releases the claim, and only once', () => {
    const { db } = openTill();
    const sale = commitSale(db, { till: TILL, receipt: discounted(), tenders: [{ kind: 'gift_card', amount: minor(2000), cardToken: 'tok-1234' }, { kind: 'cash', amount: minor(7000) }], ruleSetVersion: 'v1' }, NOW);
    const originalRow = db.prepare('SELECT * FROM sales WHERE id = ?').get(sale.saleId);
    const voided = voidSale(db, { till: TILL, receiptId: sale.entry.receiptId, reason: 'customer changed mind' }, NOW);
    expect(voided.entry).toMatchObject({ kind: 'void', refersTo: sale.entry.receiptId, saleNo: 2 });
    expect(voided.entry.totals.net).toBe(0 - sale.entry.totals.net);
    expect(voided.entry.tenders.map((t) => [t.kind, t.applied])).toEqual(sale.entry.tenders.map((t) => [t.kind, t.applied]));
    expect(db.prepare('SELECT * FROM sales WHERE id = ?').get(sale.saleId)).toEqual(originalRow);
    const effects = listEffects(db, envelopeIdOf(voided));
    expect(effects.map((e) => e.kind)).toEqual(['claim_release', 'wallet_transaction', 'receipt', 'loyalty_transaction']);
    expect(effects[1]?.payload).toMatchObject({ type: 'fund', amount: 2000, ref_id: `${voided.entry.receiptId}:pay:0` });
    expect(tillError(() => voidSale(db, { till: TILL, receiptId: sale.entry.receiptId }, NOW)).message).toMatch(/already voided/);
    expect(tillError(() => voidSale(db, { till: TILL, receiptId: 'nope' }, NOW)).code).toBe('NOT_FOUND');
    db.close();
  });

  it('refunds in parts that add up exactly to what was paid, and no more', () => {
    const { db } = openTill();
    const sale = commitSale(db, { till: TILL, receipt: discounted(), tenders: [{ kind: 'cash', amount: minor(9000) }], ruleSetVersion: 'v1' }, NOW);
    const milk = sale.entry.receipt.items.find((i) => i.id === 'milk');
    expect(milk?.net_amount).toBe(3942);
    const first = refundSale(db, { till: TILL, receiptId: sale.entry.receiptId, lines: [{ lineId: milk?.line_id ?? 0, quantity: 1 }], tenders: [{ kind: 'cash', amount: minor(1971) }] }, NOW);
    expect(first.entry.totals.net).toBe(-1971);
    const second = refundSale(db, { till: TILL, receiptId: sale.entry.receiptId, lines: [{ lineId: milk?.line_id ?? 0 }], tenders: [{ kind: 'cash', amount: minor(1971) }] }, NOW);
    expect(first.entry.totals.net + second.entry.totals.net).toBe(-3942);
    const over = tillError(() => refundSale(db, { till: TILL, receiptId: sale.entry.receiptId, lines: [{ lineId: milk?.line_id ?? 0, quantity: 1 }], tenders: [{ kind: 'cash', amount: minor(1) }] }, NOW));
    expect(over.message).toMatch(/left to refund/);
    expect(tillError(() => voidSale(db, { till: TILL, receiptId: sale.entry.receiptId }, NOW)).message).toMatch(/has refunds/);
    expect(db.prepare("SELECT refers_to_line_id FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE s.kind = 'refund'").all()).toEqual([{ refers_to_line_id: milk?.line_id }, { refers_to_line_id: milk?.line_id }]);
    db.close();
  });

  it('keeps sales and the journal append-only', () => {
    const { db } = openTill();
    commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'cash', amount: minor(9000) }], ruleSetVersion: 'v1' }, NOW);
    expect(() => db.prepare('UPDATE sales SET net_minor = 1').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM journal').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM sale_lines').run()).toThrow(/append-only/);
    db.close();
  });

  it('journal verify names the first broken link when an entry or a sale is changed behind its back', () => {
    const { db, file } = openTill();
    for (let i = 0; i < 3; i++) commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'cash', amount: minor(9000) }], ruleSetVersion: 'v1' }, NOW);
    expect(verifyJournal(db)).toMatchObject({ ok: true, entries: 6 }); // day, shift, log-in event, three sales
    db.close();
    // Someone with the sqlite3 shell: drop the guard and change the second sale's amount (journal seq 5: day,
    // shift, log-in event, first sale, second sale).
    const raw = new Database(file);
    raw.exec('DROP TRIGGER sales_appendOnlyUpdate; DROP TRIGGER journal_appendOnlyUpdate; DROP TRIGGER journal_appendOnlyDelete');
    raw.prepare("UPDATE sales SET document_json = replace(document_json, '\"net_amount\":2990', '\"net_amount\":1') WHERE sale_no = 2").run();
    expect(verifyJournal(raw as never)).toMatchObject({ ok: false, brokenAt: 5, problem: expect.stringMatching(/changed after it was committed/) });
    raw.prepare('UPDATE journal SET payload_json = replace(payload_json, \'"netMinor":8947\', \'"netMinor":1\') WHERE seq = 4').run();
    expect(verifyJournal(raw as never)).toMatchObject({ ok: false, brokenAt: 4, problem: expect.stringMatching(/does not match its hash/) });
    raw.prepare('DELETE FROM journal WHERE seq = 2').run();
    expect(verifyJournal(raw as never)).toMatchObject({ ok: false, brokenAt: 2, problem: expect.stringMatching(/missing/) });
    raw.close();
  });

  it('closes shift and day with the cash count, and refuses to close a day with an open shift', () => {
    const { db } = openTill();
    commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'cash', amount: minor(10_000) }], ruleSetVersion: 'v1' }, NOW);
    expect(tillError(() => closeBusinessDay(db, NOW)).message).toMatch(/shift is still open/);
    const summary = closeShift(db, minor(50_000 + 8947), NOW);
    expect(summary).toMatchObject({ entries: 1, expectedCash: 50_000 + 8947, difference: 0 });
    closeBusinessDay(db, NOW);
    // Day open, shift open, log-in event, sale, shift close, log-out event, day close.
    expect(verifyJournal(db)).toMatchObject({ ok: true, entries: 7 });
    db.close();
  });

  it('a full disk refuses the new sale with a clear message and leaves earlier sales and the queue intact', () => {
    const { db } = openTill();
    commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'cash', amount: minor(9000) }], ruleSetVersion: 'v1' }, NOW);
    const before = counts(db);
    const first = findEntry(db, 'demo-branch-till-1-000001');
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    // A big basket needs new pages that the limit refuses.
    const big = sampleReceipt();
    const items = Array.from({ length: 400 }, (_, i) => ({ ...(big.items[0] as SaleReceipt['items'][number]), line_id: i + 1, description: `Milk ${'x'.repeat(200)} ${i}` }));
    const err = tillError(() => commitSale(db, { till: TILL, receipt: { ...big, items }, tenders: [{ kind: 'cash', amount: minor(2190 * 2 * 400) }], ruleSetVersion: 'v1' }, NOW));
    expect(err.code).toBe('DB_FULL');
    expect(err.message).toMatch(/full/);
    expect(err.fix).toMatch(/Earlier sales and the sync queue are intact/);
    expect(counts(db)).toEqual(before);
    expect(findEntry(db, 'demo-branch-till-1-000001')).toEqual(first);
    expect(verifyJournal(db)).toMatchObject({ ok: true });
    db.pragma('max_page_count = 1073741823');
    const after = commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'cash', amount: minor(9000) }], ruleSetVersion: 'v1' }, NOW);
    expect(after.entry.saleNo).toBe(2);
    db.close();
  });

  it('print jobs: queue order, failure retried as a copy, a crash mid-print recovers as a copy', () => {
    const { db } = openTill();
    const a = commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'cash', amount: minor(9000) }], ruleSetVersion: 'v1' }, NOW);
    const b = commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'cash', amount: minor(9000) }], ruleSetVersion: 'v1' }, NOW);
    let now = NOW;
    const queue = createPrintJobQueue(db, { now: () => now });
    expect(queue.nextPending()?.id).toBe(a.printJobId);
    expect(queue.markPrinting(a.printJobId)).toBe(true);
    expect(queue.markPrinting(a.printJobId)).toBe(false);
    queue.markFailed(a.printJobId, 'paper out', new Date(NOW.getTime() + 5000));
    expect(queue.nextPending()?.id).toBe(b.printJobId);
    queue.markPrinting(b.printJobId);
    expect(recoverPrinting(db)).toBe(1);
    expect(getPrintJob(db, b.printJobId)).toMatchObject({ state: 'pending', copy: true, attempts: 1 });
    queue.markPrinting(b.printJobId);
    queue.markPrinted(b.printJobId);
    now = new Date(NOW.getTime() + 5000);
    expect(queue.nextPending()).toMatchObject({ id: a.printJobId, copy: true, lastError: 'paper out' });
    // A printer that was not ready printed nothing: that receipt is still the original, not a copy.
    const c = commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'cash', amount: minor(9000) }], ruleSetVersion: 'v1' }, NOW);
    queue.markFailed(c.printJobId, 'cover open', new Date(NOW.getTime() + 5000));
    expect(getPrintJob(db, c.printJobId)).toMatchObject({ state: 'failed', copy: false });
    db.close();
  });

  it('finds an item by any of its codes with one primary-key seek', () => {
    const { db } = openTill();
    expect(lookupByCode(db, '7038010009457')?.id).toBe('milk'); // EAN-13 as printed
    expect(lookupByCode(db, '07038010009457')?.id).toBe('milk'); // GTIN-14 from the scanner
    expect(lookupByCode(db, 'beer1')).toEqual(BEER);
    expect(lookupByCode(db, '0000000000000')).toBeUndefined();
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT item_id FROM catalog_codes c WHERE c.code = '2301'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/SEARCH c USING PRIMARY KEY \(code=\?\)/);
    expect(countEntries(db)).toBe(0);
    db.close();
  });
});
