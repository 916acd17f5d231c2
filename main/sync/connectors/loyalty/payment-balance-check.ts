import type { WritableDb } from '../../../store/db-types';
import { finishPaymentOp, getPaymentOp } from '../../../store/loyalty-confirmations';
import type { BalanceReading, PaymentCheck, PaymentCheckRequest, PaymentEvidence } from '../../outbox/connector';
import type { ConnectorLogger } from '../http';
import type { MemberId } from '../payloads';
import type { LoyaltyClient } from './loyalty-client';
import { balancesOf } from './member-balance';

/** Reads that do not settle on one value after this many go to a manager: the balance keeps moving. */
const MAX_READINGS = 4;

/**
 * The till's own check of a `/payment` attempt whose answer was lost (docs/connectors.md, "`/payment`: no
 * idempotency"). The API has no lookup of a payment by our reference, so the only witness is the member's
 * balance (`/member/details`, reference §2.3), and only the asset the tender used (`asset`, points or credit):
 * the other one moves with earns and is no evidence either way. Two reads a few seconds apart must agree before
 * anything is decided, so a payment the server applies late is not taken for one that never landed.
 *
 * What the reads cannot rule out, and why it is safe: another movement of the same asset in the window (the
 * member paying or being refunded at another till) can make a landed payment look unmoved, or an unlanded one
 * look landed. A false "landed" marks the payment done without sending anything: the store may lose that
 * amount, the member is never charged twice. A false "not landed" is never acted on alone: the outbox resends
 * only after a manager's retry, and then only when a fresh check again reads the balance unmoved.
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
  const read = await deps.client.post('member/details', { member }, { logIds: { paymentKey: op.paymentKey }, ...(signal ? { signal } : {}) });
  if (!read.ok) return { type: 'unreachable', reason: read.failure.reason };
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
  const expected = before + direction * op.amount;
  const at = deps.now();
  if (agreed === expected) {
    finishPaymentOp(deps.db, op.opKey, { state: 'done', reason: `balance check: ${asset} moved by the amount in two reads` }, at);
    deps.logger.info({ paymentKey: op.paymentKey, action: op.action }, 'loyalty payment settled by its balance check: applied');
    return { type: 'landed', detail: `two reads agree the ${asset} balance moved from ${before} to ${agreed}, by the amount`, evidence };
  }
  if (agreed === before) {
    if (request.resendAllowed) {
      // Released for one more attempt: a manager asked, and the balance still shows nothing taken.
      finishPaymentOp(deps.db, op.opKey, { state: 'failed', reason: 'balance check after a manager retry: not applied' }, at);
    }
    return { type: 'not_landed', detail: `two reads agree the ${asset} balance is still ${before}`, evidence, resend: request.resendAllowed };
  }
  return { type: 'undecided', detail: `the ${asset} balance moved from ${before} to ${agreed}; ${expected} was expected if it landed, ${before} if not`, evidence };
}
