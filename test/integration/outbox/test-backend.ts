import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the back ends, for outbox tests: `POST /effects/<kind>` with an `idempotency-key`
 * header. It records every key it applied and how often. Like the real services, a key it already holds is
 * answered 409, except `loyalty_payment`, which the Loyalty POS API does not deduplicate: a payment sent
 * twice is applied twice here, so a test can see it.
 *
 * Faults are queued and consumed by the first request they match:
 * - `status`: answer with that status (5xx, 4xx), nothing applied; `retryAfter` adds a Retry-After header;
 * - `reset-before`: destroy the connection without applying;
 * - `reset-after`: apply, then destroy the connection before answering;
 * - `hang`: never answer (the client's timeout has to end it); nothing applied.
 */
export type Fault =
  | { readonly type: 'status'; readonly status: number; readonly retryAfter?: string; readonly body?: string }
  | { readonly type: 'reset-before' }
  | { readonly type: 'reset-after' }
  | { readonly type: 'hang' };

export type FaultRule = { readonly match?: (kind: string, key: string) => boolean; readonly fault: Fault };

export type RequestPhase = 'received' | 'applied';

export class TestBackend {
  /** How often each idempotency key was applied. Exactly-once means every count is 1. */
  readonly applied = new Map<string, number>();
  /** Every request in arrival order, with what the server did. */
  readonly log: { kind: string; key: string; outcome: string }[] = [];
  private readonly faults: FaultRule[] = [];
  private readonly hanging = new Set<http.ServerResponse>();
  /** Hook for crash tests: called when a request arrived and again right after it was applied. */
  onPhase: ((phase: RequestPhase, kind: string, key: string) => void) | undefined;
  private server: http.Server | undefined;

  fault(rule: FaultRule | Fault): void {
    this.faults.push('fault' in rule ? rule : { fault: rule });
  }

  async start(): Promise<string> {
    const server = http.createServer((req, res) => this.handle(req, res));
    server.keepAliveTimeout = 60_000;
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  count(key: string): number {
    return this.applied.get(key) ?? 0;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      // Control routes for a back end running in another process (the drain benchmark).
      if (req.url === '/stats') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: this.applied.size, requests: this.log.length }));
        return;
      }
      if (req.url?.startsWith('/applied/')) {
        // A lookup by our own reference, which the Loyalty API lacks: lets a test connector check a payment.
        const key = decodeURIComponent(req.url.slice('/applied/'.length));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count: this.count(key) }));
        return;
      }
      if (req.url === '/reset') {
        this.applied.clear();
        this.log.length = 0;
        res.writeHead(204).end();
        return;
      }
      const kind = /^\/effects\/([a-z_]+)$/.exec(req.url ?? '')?.[1];
      const key = req.headers['idempotency-key'];
      if (req.method !== 'POST' || !kind || typeof key !== 'string') {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'bad request' }));
        return;
      }
      this.onPhase?.('received', kind, key);
      if (res.destroyed) return;
      const index = this.faults.findIndex((f) => !f.match || f.match(kind, key));
      const fault = index >= 0 ? this.faults.splice(index, 1)[0]?.fault : undefined;
      const note = (outcome: string): void => {
        this.log.push({ kind, key, outcome });
      };
      if (fault?.type === 'status') {
        note(`status ${fault.status}`);
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
        res.writeHead(fault.status, headers).end(JSON.stringify({ error: fault.body ?? `injected ${fault.status}` }));
        return;
      }
      if (fault?.type === 'reset-before') {
        note('reset before applying');
        req.socket.destroy();
        return;
      }
      if (fault?.type === 'hang') {
        note('hang');
        this.hanging.add(res);
        return;
      }
      const duplicate = kind !== 'loyalty_payment' && this.applied.has(key);
      if (duplicate) {
        note('409 already applied');
        res.writeHead(409, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'idempotency key already used', key }));
        return;
      }
      this.applied.set(key, this.count(key) + 1);
      note('applied');
      this.onPhase?.('applied', kind, key);
      if (fault?.type === 'reset-after' || res.destroyed) {
        req.socket.destroy();
        return;
      }
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, key }));
    });
  }
}
