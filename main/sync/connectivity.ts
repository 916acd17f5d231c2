import net from 'node:net';
import type { ConnectionState } from '../core/connection';

/**
 * `http`: a GET of the URL; any HTTP answer counts as reachable. `tcp`: only a TCP connection to the URL's host
 * and port, opened and closed again: no request reaches the server's application. The Loyalty POS API takes
 * only authenticated POSTs with five headers (seed 004), so it is probed by `tcp` and never sent an
 * unauthenticated call (docs/connectors.md, "Reachability").
 */
export type Probe = { readonly name: 'dintero' | 'loyalty'; readonly url: string | undefined; readonly kind?: 'http' | 'tcp' };

export type FetchLike = (url: string, init: { method: string; signal: AbortSignal; headers?: Record<string, string> }) => Promise<{ status: number }>;

/** Opens a TCP connection and closes it; resolves when it was accepted, rejects otherwise. */
export type TcpConnect = (host: string, port: number, signal: AbortSignal) => Promise<void>;

export const tcpConnect: TcpConnect = (host, port, signal) =>
  new Promise<void>((resolve, reject) => {
    const socket = net.connect({ host, port });
    const done = (error?: Error): void => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    const onAbort = (): void => done(new Error('timeout'));
    signal.addEventListener('abort', onAbort);
    socket.once('connect', () => done());
    socket.once('error', (err) => done(err));
  });

/** The host and port a TCP probe connects to: the URL's, or 443/80 by scheme. */
export function tcpTarget(url: string): { host: string; port: number } {
  const u = new URL(url);
  const port = u.port === '' ? (u.protocol === 'https:' ? 443 : 80) : Number(u.port);
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port };
}

/**
 * Tells whether each back end can be reached right now. A probe runs on an interval for the quiet periods, and
 * the outcomes of real calls (`report`) say the same whenever traffic flows, so the cashier's badge is true even
 * when nothing is queued. A refused connection, a DNS failure or no answer within the timeout is offline.
 */
export class ConnectivityMonitor {
  private readonly states = new Map<Probe['name'], ConnectionState>();
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly probes: readonly Probe[],
    private readonly fetchImpl: FetchLike,
    private readonly options: { intervalMs: number; timeoutMs: number; headers?: Record<string, string>; connect?: TcpConnect },
  ) {
    for (const p of probes) this.states.set(p.name, p.url ? 'offline' : 'unconfigured');
  }

  state(name: Probe['name']): ConnectionState {
    return this.states.get(name) ?? 'unconfigured';
  }

  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** What a real call learnt: it reached the server (any answer) or not (refused, DNS, timeout). */
  report(name: Probe['name'], reached: boolean): void {
    const probe = this.probes.find((p) => p.name === name);
    if (!probe?.url) return;
    this.set(name, reached ? 'online' : 'offline');
  }

  async probeOnce(): Promise<void> {
    await Promise.all(
      this.probes.map(async (p) => {
        if (!p.url) return;
        this.set(p.name, await this.reach({ ...p, url: p.url }));
      }),
    );
  }

  start(): void {
    if (this.timer || this.probes.every((p) => !p.url)) return;
    void this.probeOnce();
    this.timer = setInterval(() => void this.probeOnce(), this.options.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private set(name: Probe['name'], next: ConnectionState): void {
    if (this.states.get(name) === next) return;
    this.states.set(name, next);
    for (const l of this.listeners) l();
  }

  private async reach(probe: Probe & { url: string }): Promise<ConnectionState> {
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      if (probe.kind === 'tcp') {
        const { host, port } = tcpTarget(probe.url);
        await (this.options.connect ?? tcpConnect)(host, port, controller.signal);
      } else {
        await this.fetchImpl(probe.url, { method: 'GET', signal: controller.signal, headers: this.options.headers ?? {} });
      }
      return 'online';
    } catch {
      return 'offline';
    } finally {
      clearTimeout(timeout);
    }
  }
}
