import type { PaymentOp } from '../../../store/loyalty-confirmations';
import type { OwnMovement } from '../../outbox/connector';

/**
 * The till's own other `/payment` attempts for the same member, as the balance check of a lost answer counts
 * them (`payment-balance-check.ts`, docs/sync.md "Uncertain payments"). Pure: the ops come from the payment ops
 * store, the times from the check.
 *
 * The check compares one agreed reading with `before`. Another attempt B of ours moved that reading by its
 * `delta` exactly when it landed after the server state `before` shows and before the state the reading shows.
 * From the store: B can land only after its `sentAt` (written before its request left) and, when `done`, by its
 * `updatedAt` (written when its answer came, or when its own check decided it). `before` shows the server at some
 * moment between the checked attempt's `beforeReadAt` and `sentAt`; the latest reading, between when its request
 * left and when its answer came. Comparisons are strict, in milliseconds of the one till clock, so an equal time
 * is never taken as an order.
 */

/** More attempts than this whose effect on the reading is unknown: the check does not try every combination. */
export const MAX_UNKNOWN_MOVEMENTS = 3;

export type CheckTimes = {
  /** The checked attempt's `beforeReadAt` and `sentAt` (null: recorded before migration 0270, not known). */
  readonly beforeFrom: number | null;
  readonly beforeTo: number | null;
  /** The latest reading's request left / its answer came. */
  readonly readFrom: number;
  readonly readTo: number;
};

/**
 * The movements that can explain part of the reading; attempts that surely did not (landed before `before`, or
 * sent after the read) are left out. Confirmed (`done` with a confirmation code) and surely inside the window:
 * `surely`. Anything else (no answer yet, answer lost, settled only by a balance check, or timing not ordered
 * with the window): `maybe`. With the till's clock seen going backwards, nothing is `surely`.
 */
export function ownMovementsIn(ops: readonly PaymentOp[], t: CheckTimes): OwnMovement[] {
  const ordered = t.beforeFrom !== null && t.beforeTo !== null && t.beforeFrom <= t.beforeTo && t.beforeTo <= t.readFrom && t.readFrom <= t.readTo;
  const out: OwnMovement[] = [];
  for (const op of ops) {
    if (op.state === 'failed') continue;
    const start = op.sentAt ?? Number.NEGATIVE_INFINITY;
    const end = op.state === 'done' ? op.updatedAt : Number.POSITIVE_INFINITY;
    const delta = op.action === 'pay' ? -op.amount : op.amount;
    if (ordered) {
      const inBefore = t.beforeFrom !== null && end < t.beforeFrom;
      const afterRead = start > t.readTo;
      if (inBefore || afterRead) continue;
    }
    const confirmed = op.state === 'done' && op.confirmationCode !== null;
    const inWindow = ordered && t.beforeTo !== null && start > t.beforeTo && end < t.readFrom;
    out.push({ key: op.opKey, action: op.action, delta, counted: confirmed && inWindow ? 'surely' : 'maybe' });
  }
  return out;
}

export type Outcomes = {
  /** Every balance the reading can show if the checked attempt did not land / did land. */
  readonly ifNot: readonly number[];
  readonly ifLanded: readonly number[];
};

/**
 * The balances the reading can show for each outcome of the checked attempt (`move`: its signed amount), over
 * every combination of the `maybe` movements (each in the reading or not). Undefined when more than
 * `MAX_UNKNOWN_MOVEMENTS` are `maybe`.
 */
export function possibleOutcomes(before: number, move: number, own: readonly OwnMovement[]): Outcomes | undefined {
  const maybe = own.filter((m) => m.counted === 'maybe').map((m) => m.delta);
  if (maybe.length > MAX_UNKNOWN_MOVEMENTS) return undefined;
  const base = own.filter((m) => m.counted === 'surely').reduce((sum, m) => sum + m.delta, before);
  let sums = [0];
  for (const d of maybe) sums = [...sums, ...sums.map((s) => s + d)];
  const unique = (xs: number[]): number[] => [...new Set(xs)].sort((a, b) => a - b);
  return { ifNot: unique(sums.map((s) => base + s)), ifLanded: unique(sums.map((s) => base + move + s)) };
}

/** `landed` / `not_landed` only when the agreed reading fits that outcome and no combination of the other. */
export function verdictOf(agreed: number, o: Outcomes): 'landed' | 'not_landed' | 'both' | 'neither' {
  const landed = o.ifLanded.includes(agreed);
  const not = o.ifNot.includes(agreed);
  if (landed && not) return 'both';
  if (landed) return 'landed';
  if (not) return 'not_landed';
  return 'neither';
}
