import http from 'node:http';
import { EFFECT_KINDS } from '../../../main/store/outbox';
import { classifyHttpStatus, parseRetryAfter, type Connector, type DeliveryResult, type EffectToDeliver, type PaymentCheck, type PaymentCheckRequest } from '../../../main/sync/outbox';

/**
 * A connector that speaks to the TestBackend over real loopback HTTP, classifying answers and failures the
 * way the real connectors will: a refused connection is transient and certain (nothing was sent); a reset,
 * hang-up or timeout after the request went out is transient and uncertain.
 */
export function httpTestConnector(baseUrl: string, options: { timeoutMs?: number; now?: () => number } = {}): Connector & { close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const timeoutMs = options.timeoutMs ?? 2_000;
  const now = options.now ?? Date.now;
  const base = new URL(baseUrl);
  const send = (effect: EffectToDeliver, signal: AbortSignal): Promise<DeliveryResult> =>
    new Promise((resolve) => {
      const body = JSON.stringify({ ref: effect.envelopeRef, payload: effect.payload });
      let settled = false;
      const finish = (result: DeliveryResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      if (signal.aborted) {
        finish({ type: 'transient', reason: 'stopped before sending' });
        return;
      }
      const req = http.request(
        {
          host: base.hostname,
          port: base.port,
          path: `/effects/${effect.kind}`,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'idempotency-key': effect.idempotencyKey },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', () => finish({ type: 'transient', reason: 'connection reset while reading the answer', uncertain: true }));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const text = Buffer.concat(chunks).toString('utf8');
            const retryAfter = res.headers['retry-after'];
            const retryAt = parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : undefined, now());
            finish(classifyHttpStatus(status, { reason: `HTTP ${status}: ${text.slice(0, 200)}`, ...(retryAt === undefined ? {} : { retryAt }) }));
          });
        },
      );
      const timer = setTimeout(() => {
        req.destroy(new Error('timeout'));
        finish({ type: 'transient', reason: `no answer within ${timeoutMs} ms`, uncertain: true });
      }, timeoutMs);
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ECONNREFUSED') finish({ type: 'transient', reason: 'connection refused' });
        else finish({ type: 'transient', reason: `connection failed: ${err.code ?? err.message}`, uncertain: true });
      });
      req.end(body);
    });
  /** Checks an uncertain payment by the back end's lookup of our key (a back end that offers one; Loyalty does not). */
  const checkPayment = async (effect: EffectToDeliver, request: PaymentCheckRequest): Promise<PaymentCheck> => {
    const evidence = { asset: 'lookup', before: null, amount: effect.amountAtRisk, direction: -1 as const, readings: [] };
    try {
      const res = await fetch(new URL(`/applied/${encodeURIComponent(effect.idempotencyKey)}`, base), { signal: AbortSignal.timeout(timeoutMs) });
      const { count } = (await res.json()) as { count: number };
      if (count > 0) return { type: 'landed', detail: 'the back end holds our key', evidence };
      return { type: 'not_landed', detail: 'the back end does not hold our key', evidence, resend: request.resendAllowed };
    } catch (err) {
      return { type: 'unreachable', reason: err instanceof Error ? err.message : String(err) };
    }
  };
  const connector = { ...(Object.fromEntries(EFFECT_KINDS.map((kind) => [kind, send])) as unknown as Connector), checkPayment };
  return Object.assign(connector, { close: () => agent.destroy() });
}
