import { because } from '../core/error-reasons';
import { TillError } from '../core/errors';
import {
  buildRefundEntry,
  buildSaleEntry,
  buildVoidEntry,
  type EntryHeader,
  planEnvelope,
  receiptDocument,
  receiptId as makeReceiptId,
  type PayBack,
  type RefundLine,
  type SaleEntry,
  type SaleParts,
} from '../core/sale';
import { currentShift, type OpenShift } from './business-days';
import type { ReadableDb, WritableDb } from './db-types';
import { appendJournal, sha256 } from './journal';
import { recordFiscalEvent } from './fiscal-events';
import { signCommittedSale } from './fiscal-signatures';
import { enqueueEnvelope } from './outbox';
import { amountsAtRiskFor, heldOnline, offlinePayments, type OfflineLimits } from '../core/sale/offline-limits';
import { type BalanceKeyOf, enforceOfflineLimits } from './offline-limits';
import { enqueuePrintJob, queueCopy } from './print-jobs';
import { translateSqliteError } from './sqlite-errors';
import { isTrainingModeOn } from './training-mode';
import { assertSaleNumbersSafe, recordCommittedSaleNo } from './sale-numbers';
import { prepared } from './statements';
import { entryAtRest, isMaskedCardToken } from '../core/sale/entry-at-rest';
import { lookupHasher } from './lookup-hash';
import { openField, sealField } from './sealed-field';

/**
 * The sales ledger (SQL only; the arithmetic is in main/core/sale). Every write is one synchronous
 * transaction; a sale, void or refund is committed with `.immediate()` so the sync worker cannot make it
 * fail half-way with SQLITE_BUSY, and writes the entry, its lines and tenders, the print job, the journal
 * entry and the outbox envelope together, or nothing.
 */

export type TillIdentity = {
  readonly branchId: string;
  readonly posId: string;
  readonly currency: string;
  /** The configured store (`store.id`, docs/configuration.md): the receipt's `store.id` that rules naming stores match. */
  readonly storeId?: string | undefined;
  /** The cash unit in minor units (`cashUnitFor(currency, config.cashUnit)`); absent or 1: cash is not rounded. */
  readonly cashUnit?: number | undefined;
};

/** The receipt's `store.id`: the configured store, else the branch id (docs/configuration.md). */
export function storeIdOf(till: TillIdentity): string {
  return till.storeId ?? till.branchId;
}

/** `sale_tenders.reference` of a value tender: a member by id, a gift card by the keyed hash of its token. */
export function tenderReference(db: WritableDb, asset: 'gift_card' | 'points' | 'credit', key: string): string {
  return asset === 'gift_card' ? lookupHasher(db).hash('gift_card', key) : key;
}

function fail(err: unknown, db: ReadableDb): never {
  throw translateSqliteError(err, db.name);
}

export { closeBusinessDay, closeShift, currentBusinessDay, currentShift, openBusinessDay, openShift, type OpenShift, type ShiftSummary } from './business-days';

export type CommitResult = {
  readonly saleId: number;
  readonly entry: SaleEntry;
  /** Null for a training sale: nothing of it reaches a back end. */
  readonly envelopeId: number | null;
  readonly printJobId: number;
  readonly journalSeq: number;
};

/** A sale committed with `printReceipt: false`: no print job yet (a kiosk prints only when the customer asks). */
export type CommitResultMaybePrinted = Omit<CommitResult, 'printJobId'> & { readonly printJobId: number | null };

type Context = {
  readonly till: TillIdentity;
  readonly operatorId?: string;
  readonly ruleSetVersion: string;
  readonly printReceipt?: boolean;
  /** Training mode (docs/fiscal-no.md): numbered, signed and journaled, marked, kept out of sales figures and the outbox. */
  readonly training?: boolean;
};

function isTrainingSale(db: ReadableDb, saleId: number): boolean {
  return prepared(db, 'SELECT 1 FROM training_sales WHERE sale_id = ?').get(saleId) !== undefined;
}

function nextSaleNo(db: WritableDb, posId: string): number {
  const row = prepared(
    db,
    'INSERT INTO sale_counters (pos_id, last_sale_no) VALUES (?, 1) ON CONFLICT (pos_id) DO UPDATE SET last_sale_no = last_sale_no + 1 RETURNING last_sale_no',
  ).get(posId) as { last_sale_no: number };
  return row.last_sale_no;
}

function insertEntry(db: WritableDb, entry: SaleEntry, shift: OpenShift, refersToSaleId: number | null): { saleId: number; journalSeq: number } {
  // Gift cards masked in the stored, hashed document; the token is sealed with its tender row below.
  const documentJson = JSON.stringify(entryAtRest(entry));
  const documentSha = sha256(documentJson);
  const t = entry.totals;
  const saleId = Number(
    prepared(
      db,
      `INSERT INTO sales (branch_id, pos_id, sale_no, receipt_id, kind, refers_to_sale_id, state, business_day_id, shift_id, operator_id,
         customer_id, member_id, currency, gross_minor, discount_minor, net_minor, vat_minor, tendered_minor, change_minor, rounding_minor, rule_set_version,
         purchase_at, document_json, document_sha256)
       VALUES (?, ?, ?, ?, ?, ?, 'completed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      entry.branchId, entry.posId, entry.saleNo, entry.receiptId, entry.kind, refersToSaleId, shift.businessDayId, shift.shiftId, entry.operatorId,
      entry.customerId ?? null, entry.memberId ?? null, entry.currency, t.gross, t.discount, t.net, t.vatTotal, entry.tendered, entry.change, entry.rounding ?? 0, entry.ruleSetVersion,
      entry.purchaseAt, documentJson, documentSha,
    ).lastInsertRowid,
  );
  // Signed in the same transaction: a sale is on disk with its signature, or not at all.
  signCommittedSale(db, { saleId, posId: entry.posId, saleNo: entry.saleNo, purchaseAt: entry.purchaseAt, netMinor: t.net, vatMinor: t.vatTotal, currency: entry.currency });
  const line = prepared(
    db,
    `INSERT INTO sale_lines (sale_id, line_id, item_id, description, unit, quantity_milli, unit_price_minor, vat_rate_bp, gross_minor, discount_minor,
       net_minor, eligible_for_discount, discount_lines_json, refers_to_line_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const refund = entry.kind !== 'sale';
  entry.receipt.items.forEach((i, index) => {
    // Void and refund lines get their own numbers and point at the original line.
    const lineId = refund ? index + 1 : i.line_id;
    line.run(saleId, lineId, i.id, i.description, i.unit, i.quantity_milli, i.unit_gross_price, Math.round(i.tax_percent * 100), i.gross_amount,
      Math.abs(i.gross_amount - i.net_amount), i.net_amount, i.eligible_for_discount ? 1 : 0, JSON.stringify(i.discount_lines), refund ? i.line_id : null);
  });
  const tender = prepared(
    db,
    'INSERT INTO sale_tenders (sale_id, tender_index, kind, amount_minor, applied_minor, reference, offline, amount_at_risk_minor, card_token_sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  entry.tenders.forEach((tn, index) => {
    if (tn.kind === 'gift_card' && isMaskedCardToken(tn.cardToken)) {
      throw new TillError('INTERNAL', `Tender ${index + 1} of ${entry.receiptId} carries a masked gift card, not its token.`);
    }
    // A gift card is known by the keyed hash of its token (as balance_cache knows it; the offline limits match on
    // it) and its token sealed, for a void that gives the money back (issue 19 finding 4).
    const reference =
      tn.kind === 'card' ? (tn.terminalRef ?? null) : tn.kind === 'gift_card' ? tenderReference(db, 'gift_card', tn.cardToken) : tn.kind === 'loyalty' ? tn.memberId : null;
    const sealed = tn.kind === 'gift_card' ? sealField(db, 'gift-card-token', tn.cardToken) : null;
    tender.run(saleId, index, tn.kind, tn.amount, tn.applied, reference, tn.amountAtRisk > 0 ? 1 : 0, tn.amountAtRisk, sealed);
  });
  const { seq } = appendJournal(
    db,
    entry.kind,
    {
      receiptId: entry.receiptId,
      saleNo: entry.saleNo,
      ...(entry.refersTo ? { refersTo: entry.refersTo } : {}),
      netMinor: t.net,
      documentSha256: documentSha,
      // Who approved an age or weight check is in the document; the journal names them too, for a quick audit.
      ...(entry.approvals ? { approvals: entry.approvals.map((a) => ({ operatorId: a.operatorId, method: a.method, at: a.at, kinds: [...new Set(a.checks.map((c) => c.kind))] })) } : {}),
    },
    entry.purchaseAt,
    saleId,
  );
  return { saleId, journalSeq: seq };
}

function commitEntry(
  db: WritableDb,
  ctx: Context,
  now: Date,
  build: (header: EntryHeader) => SaleEntry,
  original?: { id: number; entry: SaleEntry },
  precheck?: (shift: OpenShift) => void,
): CommitResultMaybePrinted {
  const run = db.transaction((): CommitResultMaybePrinted => {
    const shift = currentShift(db);
    if (!shift) throw new TillError('CONFLICT', 'No shift is open: open a business day and a shift before selling.', { fix: 'till-agent sale day open, then till-agent sale shift open --operator NAME', ...because('sale.no-shift', {}) });
    // Before the sale number is taken: a refused sale writes nothing at all.
    precheck?.(shift);
    if (original !== undefined && !isTrainingSale(db, original.id) && isTrainingModeOn(db)) {
      throw new TillError('CONFLICT', 'Training mode is on: a real sale cannot be voided or refunded in training mode.', { fix: 'A manager turns training mode off first.', ...because('sale.training-correction', {}) });
    }
    // A database found behind its sale-number witness lost sales: their numbers must not be handed out again.
    assertSaleNumbersSafe(db);
    const saleNo = nextSaleNo(db, ctx.till.posId);
    const header: EntryHeader = {
      receiptId: makeReceiptId(ctx.till.branchId, ctx.till.posId, saleNo),
      saleNo,
      branchId: ctx.till.branchId,
      posId: ctx.till.posId,
      operatorId: ctx.operatorId ?? shift.operatorId,
      currency: ctx.till.currency,
      purchaseAt: now.toISOString(),
      ruleSetVersion: ctx.ruleSetVersion,
    };
    const entry = build(header);
    const { saleId, journalSeq } = insertEntry(db, entry, shift, original?.id ?? null);
    // A void or refund follows its sale: training if the sale was. A new sale is training while the switch is on.
    const training = original !== undefined ? ctx.training === true || isTrainingSale(db, original.id) : ctx.training === true || isTrainingModeOn(db);
    if (training) prepared(db, 'INSERT INTO training_sales (sale_id) VALUES (?)').run(saleId);
    const document = training ? { ...receiptDocument(entry), training: true } : receiptDocument(entry);
    const printJobId = ctx.printReceipt === false ? null : enqueuePrintJob(db, saleId, document, now);
    if (printJobId === null) recordFiscalEvent(db, 'no_receipt_sale', { saleId, operatorId: entry.operatorId }, now);
    const envelopeId = training ? null : enqueueEnvelope(db, planEnvelope(entry, original?.entry), now);
    return { saleId, entry, envelopeId, printJobId, journalSeq };
  });
  let result: CommitResultMaybePrinted;
  try {
    result = run.immediate();
  } catch (err) {
    return fail(err, db);
  }
  recordCommittedSaleNo(db, ctx.till.posId, result.entry.saleNo);
  return result;
}

/** The outbox envelope of a committed entry; only a training sale has none. */
export function envelopeIdOf(r: Pick<CommitResult, 'envelopeId' | 'entry'>): number {
  if (r.envelopeId === null) throw new TillError('INTERNAL', `Entry ${r.entry.receiptId} is a training sale: it has no outbox envelope.`);
  return r.envelopeId;
}

/** Voids and refunds always queue their receipt: a result without a print job is a bug. */
function printed(r: CommitResultMaybePrinted): CommitResult {
  if (r.printJobId === null) throw new TillError('INTERNAL', `Entry ${r.entry.receiptId} was committed without its print job.`);
  return { ...r, printJobId: r.printJobId };
}

export type CommitSaleInput = SaleParts & {
  readonly till: TillIdentity;
  readonly operatorId?: string;
  readonly ruleSetVersion: string;
  /** `config.offlineLimits`: when given, offline value tenders are checked and taken at risk in full. */
  readonly offlineLimits?: OfflineLimits;
  /** How `balance_cache` keys a gift card or member (gift cards: a keyed hash of the token); default: as is. */
  readonly balanceKeyOf?: BalanceKeyOf;
  /** false: no print job now; the customer chooses afterwards (`printReceiptOf`). Default true. */
  readonly printReceipt?: boolean;
  /** Training mode is on (docs/fiscal-no.md). */
  readonly training?: boolean;
};

/** Commits a priced, tendered sale. Nothing is written when any check fails. */
export function commitSale(db: WritableDb, input: CommitSaleInput & { readonly printReceipt?: true }, now: Date): CommitResult;
export function commitSale(db: WritableDb, input: CommitSaleInput, now: Date): CommitResultMaybePrinted;
export function commitSale(db: WritableDb, input: CommitSaleInput, now: Date): CommitResultMaybePrinted {
  const limits = input.offlineLimits;
  const rounded: SaleParts = { ...input, cashUnit: input.till.cashUnit ?? 1 };
  if (!limits) return commitEntry(db, input, now, (header) => buildSaleEntry(header, rounded));
  const payments = offlinePayments(input.tenders, input.amountsAtRisk);
  const parts: SaleParts = payments.length === 0 ? rounded : { ...rounded, amountsAtRisk: amountsAtRiskFor(input.tenders, payments, input.amountsAtRisk) };
  const held = heldOnline(input.tenders, input.amountsAtRisk);
  const check = (shift: OpenShift): void =>
    enforceOfflineLimits(db, { limits, payments, held, businessDayId: shift.businessDayId, currency: input.till.currency, ...(input.balanceKeyOf ? { balanceKeyOf: input.balanceKeyOf } : {}) }, now);
  return commitEntry(db, input, now, (header) => buildSaleEntry(header, parts), undefined, check);
}

/**
 * Prints the receipt of a sale committed without one (`printReceipt: false`, a kiosk whose customer then
 * asked for it). Idempotent: a sale that already has a print job gets no second one (a double tap prints once).
 */
export function printReceiptOf(db: WritableDb, receiptId: string, now: Date): { printJobId: number; created: boolean } {
  const run = db.transaction(() => {
    const found = findEntry(db, receiptId);
    if (!found) throw new TillError('NOT_FOUND', `There is no sale ${receiptId} on this till.`, because('receipt.unknown', { id: receiptId }));
    const existing = prepared(db, 'SELECT id FROM print_jobs WHERE sale_id = ? ORDER BY id LIMIT 1').get(found.id) as { id: number } | undefined;
    if (existing) return { printJobId: existing.id, created: false };
    const document = isTrainingSale(db, found.id) ? { ...receiptDocument(found.entry), training: true } : receiptDocument(found.entry);
    return { printJobId: enqueuePrintJob(db, found.id, document, now), created: true };
  });
  return run.immediate();
}

/**
 * A copy the cashier asked for: a new print job for the sale's receipt, marked as a copy from the start (printed
 * as COPY, no drawer kick), whether or not the sale was first printed (a kiosk customer may have said no).
 * Journaled as a copy receipt; a second copy of the same sale is refused (docs/fiscal-no.md).
 */
export function reprintReceiptOf(db: WritableDb, receiptId: string, now: Date): number {
  const run = db.transaction(() => {
    const found = findEntry(db, receiptId);
    if (!found) throw new TillError('NOT_FOUND', `There is no sale ${receiptId} on this till.`, because('receipt.unknown', { id: receiptId }));
    const document = isTrainingSale(db, found.id) ? { ...receiptDocument(found.entry), training: true } : receiptDocument(found.entry);
    return queueCopy(db, found.id, document, now);
  });
  return run.immediate();
}

type StoredEntry = { id: number; entry: SaleEntry };

export function findEntry(db: ReadableDb, receiptId: string): StoredEntry | undefined {
  const row = prepared(db, 'SELECT id, document_json FROM sales WHERE receipt_id = ?').get(receiptId) as { id: number; document_json: string } | undefined;
  return row ? { id: row.id, entry: JSON.parse(row.document_json) as SaleEntry } : undefined;
}

/**
 * The entry with its gift cards' tokens, for what gives money back to a card (a void): the stored document masks
 * them (from schema 220), the tender rows keep them sealed. An older document still holds the token itself.
 */
function withCardTokens(db: ReadableDb, stored: StoredEntry): StoredEntry {
  if (!stored.entry.tenders.some((t) => t.kind === 'gift_card' && isMaskedCardToken(t.cardToken))) return stored;
  const rows = prepared(db, "SELECT tender_index, card_token_sealed FROM sale_tenders WHERE sale_id = ? AND kind = 'gift_card'").all(stored.id) as {
    tender_index: number;
    card_token_sealed: string | null;
  }[];
  const sealed = new Map(rows.map((r) => [r.tender_index, r.card_token_sealed]));
  const tenders = stored.entry.tenders.map((t, i) => {
    if (t.kind !== 'gift_card' || !isMaskedCardToken(t.cardToken)) return t;
    const s = sealed.get(i);
    if (!s) throw new TillError('INTERNAL', `Gift card tender ${i + 1} of ${stored.entry.receiptId} has no sealed token.`);
    return { ...t, cardToken: openField(db, 'gift-card-token', s, `The gift card ${t.cardToken} of ${stored.entry.receiptId}`) };
  });
  return { id: stored.id, entry: { ...stored.entry, tenders } };
}

function originalSale(db: ReadableDb, receiptId: string): StoredEntry {
  const found = findEntry(db, receiptId);
  if (!found) throw new TillError('NOT_FOUND', `There is no sale ${receiptId} on this till.`, because('receipt.unknown', { id: receiptId }));
  const voided = prepared(db, "SELECT receipt_id FROM sales WHERE refers_to_sale_id = ? AND kind = 'void'").get(found.id) as { receipt_id: string } | undefined;
  if (voided) throw new TillError('CONFLICT', `${receiptId} was already voided by ${voided.receipt_id}.`, because('receipt.already-voided', { id: receiptId, by: voided.receipt_id }));
  return found;
}

export type VoidInput = { readonly till: TillIdentity; readonly receiptId: string; readonly operatorId?: string; readonly reason?: string };

/**
 * Voids a whole sale of the open business day with a new entry; the original is never changed. A sale
 * with refunds, or from an earlier day, is refunded instead.
 */
export function voidSale(db: WritableDb, input: VoidInput, now: Date): CommitResult {
  const run = (): CommitResult => {
    const original = withCardTokens(db, originalSale(db, input.receiptId));
    const refunds = prepared(db, "SELECT count(*) AS n FROM sales WHERE refers_to_sale_id = ? AND kind = 'refund'").get(original.id) as { n: number };
    if (refunds.n > 0) throw new TillError('CONFLICT', `${input.receiptId} has refunds; refund the rest instead of voiding it.`);
    const day = prepared(db, 'SELECT s.business_day_id AS day, d.closed_at FROM sales s JOIN business_days d ON d.id = s.business_day_id WHERE s.id = ?').get(original.id) as { day: number; closed_at: string | null };
    if (day.closed_at !== null) throw new TillError('CONFLICT', `${input.receiptId} belongs to a closed business day; refund it instead.`);
    return printed(commitEntry(db, { till: input.till, ruleSetVersion: original.entry.ruleSetVersion, ...(input.operatorId ? { operatorId: input.operatorId } : {}) }, now, (h) => buildVoidEntry(h, original.entry, input.reason), original));
  };
  try {
    // The checks and the commit share one transaction, so two tills' clicks cannot both void a sale.
    return db.transaction(run).immediate();
  } catch (err) {
    return fail(err, db);
  }
}

export type RefundInput = {
  readonly till: TillIdentity;
  readonly receiptId: string;
  readonly lines: readonly RefundLine[];
  /** Tenders, or a function of the amount due that returns them (pay back exactly what the refund comes to). */
  readonly tenders: PayBack;
  readonly operatorId?: string;
  readonly reason?: string;
};

export function refundSale(db: WritableDb, input: RefundInput, now: Date): CommitResult {
  const run = (): CommitResult => {
    const original = originalSale(db, input.receiptId);
    const refunded = new Map<number, number>();
    for (const r of prepared(db, "SELECT l.refers_to_line_id AS line, SUM(-l.quantity_milli) AS q FROM sale_lines l JOIN sales s ON s.id = l.sale_id WHERE s.refers_to_sale_id = ? AND s.kind = 'refund' GROUP BY l.refers_to_line_id").all(original.id) as { line: number; q: number }[]) {
      refunded.set(r.line, r.q);
    }
    return printed(
      commitEntry(
        db,
        { till: input.till, ruleSetVersion: original.entry.ruleSetVersion, ...(input.operatorId ? { operatorId: input.operatorId } : {}) },
        now,
        (h) => buildRefundEntry(h, original.entry, input.lines, input.tenders, refunded, input.reason, input.till.cashUnit ?? 1),
        original,
      ),
    );
  };
  try {
    return db.transaction(run).immediate();
  } catch (err) {
    return fail(err, db);
  }
}

export type SaleSummary = { readonly receiptId: string; readonly kind: SaleEntry['kind']; readonly saleNo: number; readonly netMinor: number; readonly purchaseAt: string; readonly refersTo: string | null };

export function listEntries(db: ReadableDb, limit = 50): SaleSummary[] {
  return (
    prepared(
      db,
      `SELECT s.receipt_id, s.kind, s.sale_no, s.net_minor, s.purchase_at, o.receipt_id AS refers_to
         FROM sales s LEFT JOIN sales o ON o.id = s.refers_to_sale_id ORDER BY s.sale_no DESC LIMIT ?`,
    ).all(limit) as { receipt_id: string; kind: SaleEntry['kind']; sale_no: number; net_minor: number; purchase_at: string; refers_to: string | null }[]
  ).map((r) => ({ receiptId: r.receipt_id, kind: r.kind, saleNo: r.sale_no, netMinor: r.net_minor, purchaseAt: r.purchase_at, refersTo: r.refers_to }));
}

export function countEntries(db: ReadableDb): number {
  return (prepared(db, 'SELECT count(*) AS n FROM sales').get() as { n: number }).n;
}
