/**
 * The chaos: the sandbox's fault plan changes phase every few seconds (5xx, 429 with Retry-After, resets before
 * and after apply, hangs, offline periods), and till agents are SIGKILLed at seeded moments, then restarted on
 * the same data directory. A kill is one of three kinds:
 * - `random`: whenever it falls;
 * - `mid-request`: the moment the sandbox receives a request from that till (the sandbox then applies it, and
 *   the answer goes to a dead process);
 * - `mid-commit`: a few milliseconds after the till's API was sent the tender that commits a sale.
 * CLI sales, voids and refunds are also killed at random moments of their run (mid-commit for the ledger).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type RandomSource, seededRandom } from '../../main/core/seeded-random';
import type { FaultConfig, RequestEvent, SandboxHandle } from '../../main/sandbox';
import type { DriverHooks } from './driver';
import type { TillProcess } from './till';

export type KillKind = 'random' | 'mid-request' | 'mid-commit' | 'cli';

export type ChaosStats = {
  readonly kills: Record<KillKind, number>;
  readonly phases: Record<string, number>;
  offlinePeriods: number;
  offlineMs: number;
  /** Restarts that failed (the agent did not come up): each is a finding. */
  readonly restartFailures: string[];
  /**
   * Starts refused because another process (a manager's CLI) held the database past the busy timeout, each
   * followed by a start that came up: the documented refusal, not a crash (docs/reliability.md).
   */
  busyStarts: number;
  /** Milliseconds from `serve` spawned to its ready line, per restart. */
  readonly startMs: number[];
};

type PhaseKind = 'calm' | 'errors' | 'throttle' | 'resets' | 'hangs' | 'mixed' | 'offline';

/** One deck of phases, shuffled anew each round: every kind comes up in every round, even in a short run. */
const DECK: readonly PhaseKind[] = ['calm', 'errors', 'throttle', 'resets', 'hangs', 'mixed', 'offline', 'calm', 'resets', 'mixed'];

/** How long the chaos leaves a mid-request or mid-commit kill armed before it kills anyway. */
const ARMED_MS = 4000;

function faultPlan(kind: Exclude<PhaseKind, 'offline'>, random: RandomSource, seed: number): FaultConfig {
  const retryAfterSeconds = 1 + Math.floor(random() * 3);
  switch (kind) {
    case 'calm':
      return { seed, routes: {} };
    case 'errors':
      return { seed, routes: { '*': { status500: 0.1, status502: 0.05, status503: 0.15 } } };
    case 'throttle':
      return { seed, routes: { '*': { status429: 0.35, retryAfterSeconds } } };
    case 'resets':
      return { seed, routes: { '*': { resetBefore: 0.12, resetAfter: 0.15 } } };
    case 'hangs':
      // Hangs hold a request until the till's 15 s timeout: a small share is plenty.
      return { seed, routes: { '*': { hang: 0.03, hangAfter: 0.04, latencyMs: 20, latencyJitterMs: 200 } } };
    case 'mixed':
      return {
        seed,
        routes: {
          '*': { status503: 0.05, status429: 0.04, retryAfterSeconds, resetBefore: 0.04, resetAfter: 0.06, hangAfter: 0.01, latencyJitterMs: 50 },
          'loyalty.payment': { resetAfter: 0.12, status503: 0.08, hangAfter: 0.02 },
          'dintero.claims.create': { resetAfter: 0.15, status502: 0.05 },
        },
      };
  }
}

export class Chaos {
  readonly stats: ChaosStats = {
    kills: { random: 0, 'mid-request': 0, 'mid-commit': 0, cli: 0 },
    phases: {},
    offlinePeriods: 0,
    offlineMs: 0,
    restartFailures: [],
    busyStarts: 0,
    startMs: [],
  };
  private readonly armedRequest = new Set<string>();
  private readonly armedCommit = new Set<string>();
  private readonly restarts = new Set<Promise<void>>();
  private killPlan: Promise<void> = Promise.resolve();
  private readonly stop = new AbortController();
  private loops: Promise<unknown>[] = [];
  private phaseNo = 0;
  // One generator per decision stream, so the phases, the kill plan and the hooks each replay from the seed
  // however the streams interleave in time.
  private readonly phaseRandom: RandomSource;
  private readonly killRandom: RandomSource;
  private readonly hookRandom: RandomSource;

  constructor(
    private readonly sandbox: SandboxHandle,
    private readonly tills: readonly TillProcess[],
    private readonly options: { readonly durationMs: number; readonly kills: number; readonly seed: number },
  ) {
    this.phaseRandom = seededRandom(options.seed * 7 + 1);
    this.killRandom = seededRandom(options.seed * 7 + 2);
    this.hookRandom = seededRandom(options.seed * 7 + 3);
  }

  /** What the drivers call: mid-commit kills and CLI kills. */
  readonly hooks: DriverHooks = {
    onCommitSent: (till) => {
      if (!this.armedCommit.delete(till.spec.posId)) return;
      // A few milliseconds: the request is on its way or being committed when the process dies.
      const delay = Math.floor(this.hookRandom() * 6);
      setTimeout(() => this.killAndRestart(till, 'mid-commit'), delay);
    },
    cliKillAfterMs: () => {
      if (this.stop.signal.aborted || this.hookRandom() >= 0.15) return undefined;
      this.stats.kills.cli++;
      // Node starts in ~150-400 ms on this machine, so this spread lands before, during and after the commit.
      return 150 + Math.floor(this.hookRandom() * 600);
    },
  };

  start(): void {
    this.sandbox.events.on('request', this.onRequest);
    // A loop that fails is a finding of the run, never an unhandled rejection that takes the harness down.
    const noted = (what: string) => (err: unknown) => void this.stats.restartFailures.push(`${what} stopped: ${err instanceof Error ? err.message : String(err)}`);
    this.killPlan = this.killLoop().catch(noted('kill loop'));
    this.loops = [this.faultLoop().catch(noted('fault loop')), this.killPlan];
  }

  /**
   * Resolves when every planned kill has happened (armed ones included). On a loaded machine restarts are slow and
   * the kill loop waits for a till to be up, so the plan can run past the sales period; the run waits for it.
   */
  async killPlanDone(): Promise<void> {
    await this.killPlan;
    while (this.armedCommit.size + this.armedRequest.size > 0 && !this.stop.signal.aborted) await sleep(100);
  }

  /** Ends the chaos: no more kills, faults healed, the sandbox online, every killed till running again. */
  async heal(): Promise<void> {
    this.stop.abort();
    await Promise.all(this.loops);
    this.sandbox.events.off('request', this.onRequest);
    this.armedCommit.clear();
    this.armedRequest.clear();
    this.sandbox.setFaults({ routes: {} });
    await this.online();
    while (this.restarts.size > 0) await Promise.all([...this.restarts]);
  }

  /** Back online; a port taken meanwhile (EADDRINUSE) is tried again for a while before the run gives up. */
  private async online(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.sandbox.setOffline(false);
        return;
      } catch (err) {
        if (attempt >= 60) throw err;
        this.stats.restartFailures.push(`sandbox could not listen again (attempt ${attempt}): ${err instanceof Error ? err.message : String(err)}`);
        await sleep(500);
      }
    }
  }

  private readonly onRequest = (event: RequestEvent): void => {
    if (event.posId === undefined || !this.armedRequest.delete(event.posId)) return;
    const till = this.tills.find((t) => t.spec.posId === event.posId);
    if (till) this.killAndRestart(till, 'mid-request');
  };

  private killAndRestart(till: TillProcess, kind: KillKind): void {
    if (!till.running || this.stop.signal.aborted) return;
    if (!till.killNow()) return;
    this.stats.kills[kind]++;
    this.armedCommit.delete(till.spec.posId);
    this.armedRequest.delete(till.spec.posId);
    const downMs = 200 + Math.floor(this.hookRandom() * 1300);
    const restart = (async () => {
      await till.waitExited();
      await sleep(downMs);
      for (let attempt = 1; ; attempt++) {
        try {
          const from = Date.now();
          await till.start();
          this.stats.startMs.push(Date.now() - from);
          return;
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          if (attempt < 5 && message.includes('is locked by another process')) this.stats.busyStarts++;
          else this.stats.restartFailures.push(`${till.spec.posId} restart ${attempt}: ${message}`);
          if (attempt >= 5) return;
          await sleep(1000);
        }
      }
    })();
    this.restarts.add(restart);
    void restart.finally(() => this.restarts.delete(restart));
  }

  private async killLoop(): Promise<void> {
    const { durationMs, kills } = this.options;
    if (kills === 0) return;
    const slot = durationMs / kills;
    const started = Date.now();
    for (let k = 0; k < kills && !this.stop.signal.aborted; k++) {
      const at = started + (k + this.killRandom()) * slot;
      await sleep(Math.max(0, at - Date.now()), undefined, { signal: this.stop.signal }).catch(() => undefined);
      if (this.stop.signal.aborted) return;
      const up = this.tills.filter((t) => t.running && !this.armedCommit.has(t.spec.posId) && !this.armedRequest.has(t.spec.posId));
      if (up.length === 0) {
        // Every till is down or already marked: this kill waits for one to come back.
        k--;
        await sleep(200, undefined, { signal: this.stop.signal }).catch(() => undefined);
        continue;
      }
      const till = up[Math.floor(this.killRandom() * up.length)] as TillProcess;
      const roll = this.killRandom();
      if (roll < 0.4) {
        this.killAndRestart(till, 'random');
        continue;
      }
      const armed = roll < 0.75 ? this.armedRequest : this.armedCommit;
      const posId = till.spec.posId;
      armed.add(posId);
      // Not triggered in time (no request, no commit): kill anyway, so the count of kills holds.
      setTimeout(() => {
        if (armed.delete(posId)) this.killAndRestart(till, 'random');
      }, ARMED_MS).unref();
    }
  }

  private async faultLoop(): Promise<void> {
    const { durationMs, seed } = this.options;
    // Short runs change phase every few seconds; long runs hold phases longer and go offline for minutes.
    const long = durationMs >= 10 * 60_000;
    // A short run fits a whole deck, so every kind of fault (offline included) comes up at least once.
    const base = Math.min(10_000, durationMs / (DECK.length + 2));
    let deck: PhaseKind[] = [];
    while (!this.stop.signal.aborted) {
      if (deck.length === 0) {
        deck = [...DECK];
        for (let i = deck.length - 1; i > 0; i--) {
          const j = Math.floor(this.phaseRandom() * (i + 1));
          [deck[i], deck[j]] = [deck[j] as PhaseKind, deck[i] as PhaseKind];
        }
      }
      const kind = deck.pop() ?? 'calm';
      const [min, max] = kind === 'offline' ? (long ? [60_000, 180_000] : [base * 0.6, base * 1.5]) : long ? [10_000, 40_000] : [base * 0.3, base];
      const ms = min + Math.floor(this.phaseRandom() * (max - min));
      this.stats.phases[kind] = (this.stats.phases[kind] ?? 0) + 1;
      this.phaseNo++;
      if (kind === 'offline') {
        this.sandbox.setFaults({ routes: {} });
        await this.sandbox.setOffline(true);
        this.stats.offlinePeriods++;
        const from = Date.now();
        await sleep(ms, undefined, { signal: this.stop.signal }).catch(() => undefined);
        this.stats.offlineMs += Date.now() - from;
        await this.online();
      } else {
        this.sandbox.setFaults(faultPlan(kind, this.phaseRandom, seed * 1000 + this.phaseNo));
        await sleep(ms, undefined, { signal: this.stop.signal }).catch(() => undefined);
      }
    }
  }
}
