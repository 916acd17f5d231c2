import type { PaymentOp } from '../../../store/loyalty-confirmations';
import type { OwnMovement } from '../../outbox/connector';

/**
 * The till's own other `/payment` attempts for the same member, as the balance check of a lost answer counts
 * them (`payment-balance-check.ts`, docs/sync.md "Uncertain payments"). Pure: the ops come from the payment ops
 * store, the order from its counter (`opClock`, migration 0270).
 *
 * The check compares one agreed reading with `before`. Another attempt B of ours moved that reading by its
 * `delta` exactly when it landed after the server state `before` shows and before the state the reading shows.
 * From the store: B can land only after it was written down to be sent (`sentSeq`), and, once its request is
 * over (`endSeq`: `done`, its answer came or its own check decided it; `uncertain`, its answer was lost), not
 * after that. A `sending` one is in flight, or was cut off by a crash: it may land at any time. `before` shows
 * the server between the counter at the checked attempt's `before` read and its own `sentSeq`; the latest reading,
 * between the counter when its request left and when its answer came. The counter orders the till's own writes
 * exactly; the wall clock is not used (it can stand still within a millisecond, or step back).
 *
 * Taking an `uncertain` attempt as over when its answer was lost is the assumption the check already makes of
 * the attempt it checks (two agreeing reads, the first a few seconds after the loss, mean it will not land
 * later); a server that applies a request long after the till gave up on it defeats both alike.
 */

/** More attempts than this whose effect on the reading is unknown: the check does not try every combination. */
export const MAX_UNKNOWN_MOVEMENTS = 3;

/** The check's points in the till's order of attempt writes (`opClock`). */
export type CheckOrder = {
  /** The checked attempt's `beforeReadSeq` and `sentSeq` (null: recorded before migration 0270, not known). */
  readonly beforeFrom: number | null;
  readonly beforeTo: number | null;
  /** The counter when the latest read left / when its answer came. */
  readonly readFrom: number;
  readonly readTo: number;
};

/**
 * The movements that can explain part of the reading; attempts that surely did not (over before `before` was
 * read, or written down after the latest read answered) are left out. Confirmed (`done` with a confirmation
 * code) and surely inside the window: `surely`. Anything else (no answer yet, answer lost, settled only by a
 * balance check, or an order that overlaps either end of the window): `maybe`. Without the checked attempt's
 * own order (recorded before 0270), nothing is left out and nothing is `surely`.
 */
export function ownMovementsIn(ops: readonly PaymentOp[], o: CheckOrder): OwnMovement[] {
  const out: OwnMovement[] = [];
  for (const op of ops) {
    if (op.state === 'failed') continue;
    // Over before 0270 (no end_seq): before the counter's first value.
    const start = op.sentSeq ?? Number.NEGATIVE_INFINITY;
    const end = op.state === 'sending' ? Number.POSITIVE_INFINITY : (op.endSeq ?? 0);
    const delta = op.action === 'pay' ? -op.amount : op.amount;
    let inWindow = false;
    if (o.beforeFrom !== null && o.beforeTo !== null) {
      if (end <= o.beforeFrom || start > o.readTo) continue;
      inWindow = start > o.beforeTo && end <= o.readFrom;
    }
    const confirmed = op.state === 'done' && op.confirmationCode !== null;
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
