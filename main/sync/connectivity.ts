import type { ConnectionState } from '../core/connection';

export type Probe = { readonly name: 'dintero' | 'loyalty'; readonly url: string | undefined };

export type FetchLike = (url: string, init: { method: string; signal: AbortSignal; headers?: Record<string, string> }) => Promise<{ status: number }>;

/**
 * Tells whether each back end can be reached right now. Any HTTP answer counts as online (a 401 or 404 still
 * proves the network path works); a refused connection, a DNS failure or no answer within the timeout counts
 * as offline. The sync worker reports the same state from real traffic once it runs; this probe covers the
 * quiet periods, so the cashier's badge is true even when nothing is queued.
 */
export class ConnectivityMonitor {
  private readonly states = new Map<Probe['name'], ConnectionState>();
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly probes: readonly Probe[],
    private readonly fetchImpl: FetchLike,
    private readonly options: { intervalMs: number; timeoutMs: number; headers?: Record<string, string> },
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

  async probeOnce(): Promise<void> {
    await Promise.all(
      this.probes.map(async (p) => {
        if (!p.url) return;
        const next = await this.reach(p.url);
        if (this.states.get(p.name) !== next) {
          this.states.set(p.name, next);
          for (const l of this.listeners) l();
        }
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

  private async reach(url: string): Promise<ConnectionState> {
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      await this.fetchImpl(url, { method: 'GET', signal: controller.signal, headers: this.options.headers ?? {} });
      return 'online';
    } catch {
      return 'offline';
    } finally {
      clearTimeout(timeout);
    }
  }
}
