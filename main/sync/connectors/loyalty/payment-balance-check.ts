import { assertNever } from '../../../core/errors';
import type { WritableDb } from '../../../store/db-types';
import { finishPaymentOp, getPaymentOp, listMemberPaymentOps, opClock } from '../../../store/loyalty-confirmations';
import type { BalanceReading, PaymentCheck, PaymentCheckRequest, PaymentEvidence } from '../../outbox/connector';
import type { ConnectorLogger } from '../http';
import type { MemberId } from '../payloads';
import type { LoyaltyClient } from './loyalty-client';
import { balancesOf } from './member-balance';
import { MAX_UNKNOWN_MOVEMENTS, ownMovementsIn, possibleOutcomes, verdictOf, type Outcomes } from './own-movements';

/** Reads that do not settle on one value after this many go to a manager: the balance keeps moving. */
const MAX_READINGS = 4;

/**
 * The till's own check of a `/payment` attempt whose answer was lost (docs/connectors.md, "`/payment`: no
 * idempotency"). The API has no lookup of a payment by our reference, so the only witness is the member's
 * balance (`/member/details`, reference §2.3), and only the asset the tender used (`asset`, points or credit):
 * the other one moves with earns and is no evidence either way. Two reads a few seconds apart must agree before
 * anything is decided, so a payment the server applies late is not taken for one that never landed.
 *
 * The till's own other attempts for the same member are known (the payment ops store, `own-movements.ts`): one
 * confirmed between the `before` read and the latest read is added to both candidates (`before`, and `before`
 * moved by the amount); one whose outcome, or whose order with those reads, is unknown is tried both ways, and the check decides only
 * when the agreed reading fits one outcome of this attempt under every combination (at most
 * `MAX_UNKNOWN_MOVEMENTS` unknown ones, else a manager decides). The server draws every `/payment` on the one
 * asset its configuration names (payloads.ts, `asset`), so every attempt for the member moves the checked asset.
 *
 * What the reads cannot rule out, and why it is safe: a movement the till does not know of in the window (the
 * member paying or being refunded at another till, one of ours that named the member by another identifier, or
 * one whose recorded outcome was itself wrong) can make a landed payment look unmoved, or an unlanded one look
 * landed. A false "landed" marks the payment done without sending anything: for a pay the store may lose that
 * amount, for a refund the member waits for it until someone notices; nothing is ever taken twice. A false "not
 * landed" is never acted on alone: the outbox resends only after a manager's retry, and then only when a fresh
 * check again reads the balance unmoved (counting the till's own movements the same way).
 */
export async function checkLoyaltyPayment(
  deps: { readonly client: LoyaltyClient; readonly db: WritableDb; readonly now: () => number; readonly logger: ConnectorLogger },
  opKey: string,
  asset: string | undefined,
  request: PaymentCheckRequest,
  signal?: AbortSignal,
): Promise<PaymentCheck> {
  const op = getPaymentOp(deps.db, opKey);
  if (!op) return { type: 'not_sent', detail: 'no attempt was recorded, so the request never left the till' };
  if (op.state === 'failed') return { type: 'not_sent', detail: `the last attempt did not reach the server or was refused (${op.reason ?? 'no reason'})` };
  const direction = op.action === 'pay' ? -1 : 1;
  const base = { amount: op.amount, direction, confirmationCode: op.confirmationCode } as const;
  if (op.state === 'done') {
    return { type: 'landed', detail: `confirmed${op.confirmationCode ? ` with code ${op.confirmationCode}` : ''}`, evidence: { asset: asset ?? 'unknown', before: null, readings: [], ...base } };
  }
  if (asset !== 'points' && asset !== 'credit') {
    return { type: 'undecided', detail: 'the payment does not say which balance it drew on', evidence: { asset: asset ?? 'unknown', before: null, readings: [], ...base } };
  }
  const before = op.before[asset];
  const member = JSON.parse(op.memberJson) as MemberId;
  const readFrom = opClock(deps.db);
  const read = await deps.client.post('member/details', { member }, { logIds: { paymentKey: op.paymentKey }, ...(signal ? { signal } : {}) });
  if (!read.ok) return { type: 'unreachable', reason: read.failure.reason };
  // The till's own attempt writes up to `readFrom` happened before this read left; after `readTo`, after it answered.
  const readTo = opClock(deps.db);
  const reading: BalanceReading = { at: deps.now(), balance: balancesOf(read.data)[asset] };
  const readings = [...request.readings, reading].slice(-MAX_READINGS);
  const evidence: PaymentEvidence = { asset, before, readings, ...base };
  if (before === null) return { type: 'undecided', detail: `no ${asset} balance was read before the attempt`, evidence };
  const [previous, last] = readings.slice(-2);
  if (!previous || !last || previous.balance === null || previous.balance !== last.balance) {
    if (readings.length >= MAX_READINGS) return { type: 'undecided', detail: `the ${asset} balance kept changing over ${readings.length} reads`, evidence };
    return { type: 'read', evidence };
  }
  const agreed = last.balance;
  // The latest reading is this call's.
  const own = ownMovementsIn(listMemberPaymentOps(deps.db, op.memberJson, op.opKey, op.beforeReadSeq), {
    beforeFrom: op.beforeReadSeq,
    beforeTo: op.sentSeq,
    readFrom,
    readTo,
  });
  const counted: PaymentEvidence = own.length > 0 ? { ...evidence, own } : evidence;
  const outcomes = possibleOutcomes(before, direction * op.amount, own);
  if (!outcomes) {
    const open = own.filter((m) => m.counted === 'maybe').length;
    return { type: 'undecided', detail: `${open} of this till's own payments for the member may or may not be in the ${asset} balance; more than ${MAX_UNKNOWN_MOVEMENTS} are not tried`, evidence: counted };
  }
  const at = deps.now();
  const ours = own.length > 0 ? `, counting this till's own ${own.length === 1 ? 'payment' : 'payments'} for the member` : '';
  const verdict = verdictOf(agreed, outcomes);
  switch (verdict) {
    case 'landed':
      finishPaymentOp(deps.db, op.opKey, { state: 'done', reason: `balance check: ${asset} moved by the amount in two reads${ours}` }, at);
      deps.logger.info({ paymentKey: op.paymentKey, action: op.action, own: own.length }, 'loyalty payment settled by its balance check: applied');
      return { type: 'landed', detail: `two reads agree the ${asset} balance moved from ${before} to ${agreed}, by the amount${ours}`, evidence: counted };
    case 'not_landed':
      if (request.resendAllowed) {
        // Released for one more attempt: a manager asked, and the balance still shows nothing taken.
        finishPaymentOp(deps.db, op.opKey, { state: 'failed', reason: `balance check after a manager retry: not applied${ours}` }, at);
      }
      return {
        type: 'not_landed',
        detail: own.length > 0 ? `two reads agree the ${asset} balance is ${agreed}, what it would be without this payment${ours}` : `two reads agree the ${asset} balance is still ${before}`,
        evidence: counted,
        resend: request.resendAllowed,
      };
    case 'both':
      return { type: 'undecided', detail: `the ${asset} balance is ${agreed}, which fits both outcomes${ours}: ${describeOutcomes(outcomes)}`, evidence: counted };
    case 'neither':
      return { type: 'undecided', detail: `the ${asset} balance moved from ${before} to ${agreed}${ours}; ${describeOutcomes(outcomes)}`, evidence: counted };
    default:
      return assertNever(verdict);
  }
}

function describeOutcomes(o: Outcomes): string {
  return `${o.ifLanded.join(' or ')} was expected if it landed, ${o.ifNot.join(' or ')} if not`;
}
