import type { ReadableDb, WritableDb } from './db-types';

/** Kiosk card payments by our reference (migration 0200): written before the terminal is asked. */

export type CardPaymentState = 'asked' | 'approved' | 'committed' | 'declined' | 'staff' | 'cleared';

export type CardPaymentRecord = {
  readonly reference: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly terminalId: string;
  readonly state: CardPaymentState;
  readonly terminalRef: string | null;
  readonly reason: string | null;
  readonly createdAt: string;
};

type Row = { reference: string; amount_minor: number; currency: string; terminal_id: string; state: CardPaymentState; terminal_ref: string | null; reason: string | null; created_at: string };

const toRecord = (r: Row): CardPaymentRecord => ({
  reference: r.reference,
  amountMinor: r.amount_minor,
  currency: r.currency,
  terminalId: r.terminal_id,
  state: r.state,
  terminalRef: r.terminal_ref,
  reason: r.reason,
  createdAt: r.created_at,
});

export function recordCardPaymentAsked(db: WritableDb, p: { reference: string; amountMinor: number; currency: string; terminalId: string }, now: Date): void {
  const at = now.toISOString();
  db.prepare("INSERT INTO card_payments (reference, amount_minor, currency, terminal_id, state, created_at, updated_at) VALUES (?, ?, ?, ?, 'asked', ?, ?)").run(
    p.reference, p.amountMinor, p.currency, p.terminalId, at, at,
  );
}

export function setCardPaymentState(db: WritableDb, reference: string, state: CardPaymentState, now: Date, detail: { terminalRef?: string; reason?: string } = {}): void {
  db.prepare('UPDATE card_payments SET state = ?, terminal_ref = COALESCE(?, terminal_ref), reason = COALESCE(?, reason), updated_at = ? WHERE reference = ?').run(
    state, detail.terminalRef ?? null, detail.reason ?? null, now.toISOString(), reference,
  );
}

/** Payments whose end the till does not know yet, or that staff still have to check: newest last. */
export function openCardPayments(db: ReadableDb): CardPaymentRecord[] {
  return (db.prepare("SELECT * FROM card_payments WHERE state IN ('asked', 'approved', 'staff') ORDER BY created_at, reference").all() as Row[]).map(toRecord);
}

/** Whether a committed sale already holds a card tender with this terminal reference. */
export function cardTenderCommitted(db: ReadableDb, terminalRef: string): boolean {
  return db.prepare("SELECT 1 FROM sale_tenders WHERE kind = 'card' AND reference = ? LIMIT 1").get(terminalRef) !== undefined;
}
