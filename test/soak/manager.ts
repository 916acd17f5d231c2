/**
 * The store manager, with the till's own CLI: looks at the queue, retries payments whose outcome is unknown
 * (the connector reconciles with the member's balance before it sends anything), and now and then drains by
 * hand while the agent is delivering too (the delivery lease decides who goes), sometimes killed mid-drain.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RandomSource } from '../../main/core/seeded-random';
import type { CliOutcome, TillProcess } from './till';

export type ManagerStats = {
  retries: number;
  drains: number;
  drainsKilled: number;
  /** CLI answers that are crashes, not refusals ("unexpected error", a stack): each is a finding. */
  readonly crashes: string[];
};

type StatusJson = { counts: Record<string, number>; needsAttention: { id: number; reasonCode: string | null }[] };

function crashed(out: CliOutcome): boolean {
  return /unexpected error/i.test(out.stderr);
}

export class Manager {
  readonly stats: ManagerStats = { retries: 0, drains: 0, drainsKilled: 0, crashes: [] };

  private check(till: TillProcess, what: string, out: CliOutcome): void {
    if (crashed(out)) this.stats.crashes.push(`${till.spec.posId} ${what}: ${out.stderr.trim()}`);
  }

  /** `sync status --json`, then `sync retry` for each envelope whose payment outcome is unknown. */
  async retryUncertain(till: TillProcess): Promise<void> {
    const status = await till.runCli(['sync', 'status', '--json']);
    this.check(till, 'sync status', status);
    if (status.code !== 0) return;
    const parsed = JSON.parse(status.stdout) as StatusJson;
    for (const item of parsed.needsAttention.filter((n) => n.reasonCode === 'uncertain')) {
      const retried = await till.runCli(['sync', 'retry', String(item.id), '--note', 'soak manager: reconcile and resend']);
      this.check(till, 'sync retry', retried);
      if (retried.code === 0) this.stats.retries++;
    }
  }

  /** `sync drain`: exit 0 (all delivered) or 1 (some need attention, or the agent holds the lease) are answers. */
  async drain(till: TillProcess, options: { waitSeconds: number; killAfterMs?: number | undefined }): Promise<CliOutcome> {
    const out = await till.runCli(['sync', 'drain', '--wait', String(options.waitSeconds)], options.killAfterMs === undefined ? {} : { killAfterMs: options.killAfterMs });
    this.stats.drains++;
    if (out.signal === 'SIGKILL') this.stats.drainsKilled++;
    this.check(till, 'sync drain', out);
    return out;
  }

  /** While the chaos runs: every 20-40 s one till's queue is looked at; half the time the manager drains too. */
  async during(tills: readonly TillProcess[], random: RandomSource, stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      await sleep(20_000 + Math.floor(random() * 20_000), undefined, { signal: stop }).catch(() => undefined);
      if (stop.aborted) return;
      const till = tills[Math.floor(random() * tills.length)];
      if (!till) return;
      if (random() < 0.5) await this.drain(till, { waitSeconds: 0, ...(random() < 0.5 ? { killAfterMs: 300 + Math.floor(random() * 1500) } : {}) });
      await this.retryUncertain(till);
    }
  }
}
