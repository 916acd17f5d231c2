import os from 'node:os';
import type { Clock } from '../../core/clock';
import { assertNever, TillError } from '../../core/errors';
import type { WritableDb } from '../../store/db-types';
import {
  acquireDeliveryLease,
  claimEnvelope,
  commitBatch,
  dueHeadOfKey,
  listDueHeads,
  listEffects,
  markEffectSent,
  markEnvelopeDone,
  markNeedsAttention,
  nextRetryAt,
  recordEffectFailure,
  type EffectFailure,
  recordEffectSuccess,
  recoverInFlight,
  releaseDeliveryLease,
  renewDeliveryLease,
  scheduleRetry,
  type EffectKind,
  type Envelope,
  type RecoveredEnvelope,
} from '../../store/outbox';
import type { Connector, DeliveryResult, EffectToDeliver } from './connector';
import { DEFAULT_RETRY_POLICY, nextAttemptAt, type RandomSource, type RetryPolicy } from './retry-policy';

/**
 * Another process holds this till's delivery lease: expected (a `sync drain` next to the running agent, or two
 * agents started on one data directory), and settled by waiting, so callers log it without a stack.
 */
export class DeliveryLeaseHeldError extends TillError {
  override readonly name = 'DeliveryLeaseHeldError';
  constructor(readonly holder: { readonly host: string; readonly pid: number }) {
    super('CONFLICT', `Another till-agent process (pid ${holder.pid} on ${holder.host}) is delivering this till's outbox.`, {
      fix: 'Let it finish (the running agent delivers by itself), or stop it before running `till-agent sync drain`.',
    });
  }
}

/** Sleeps `ms`; resolves early (never rejects) when `signal` aborts. Injected so tests run on fake time. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export type OutboxLogger = {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
};

/** How one delivery attempt of an envelope ended. */
export type Settlement = 'done' | 'retry' | 'needs_attention' | 'skipped';

export type OutboxWorkerOptions = {
  readonly db: WritableDb;
  readonly connector: Connector;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly random: RandomSource;
  readonly policy?: RetryPolicy;
  /** How many ordering keys (customers) are delivered at the same time. */
  readonly concurrency?: number;
  readonly logger?: OutboxLogger;
  /** Called after every attempt at an envelope, for progress bars and the manager view. */
  readonly onDidSettle?: (envelope: Envelope, settlement: Settlement) => void;
  /** The delivery lease (one deliverer per till database); defaults: this host and process, 5 min. */
  readonly lease?: { readonly ttlMs?: number; readonly host?: string; readonly pid?: number; readonly isAlive?: (pid: number) => boolean };
};

export type DrainOptions = {
  /** Also wait for scheduled retries, sleeping until each is due, as long as the wait stays within this budget (ms). */
  readonly waitForRetriesMs?: number;
  readonly signal?: AbortSignal;
};

export type DrainReport = {
  readonly recovered: readonly RecoveredEnvelope[];
  readonly attempts: number;
  readonly done: number;
  readonly retries: number;
  readonly needsAttention: number;
};

/** Non-idempotent on the server: a request whose outcome is unknown must not be sent again without a person. */
const NOT_IDEMPOTENT: ReadonlySet<EffectKind> = new Set<EffectKind>(['loyalty_payment']);

/**
 * Delivers the outbox (DESIGN.md §5, docs/sync.md): in order per ordering key, effects in order within an
 * envelope, each effect recorded done as it succeeds so a retry skips it. Different keys are delivered in
 * parallel up to `concurrency`. All database writes are short synchronous transactions between awaits.
 */
export class OutboxWorker {
  private readonly policy: RetryPolicy;
  private readonly concurrency: number;
  private readonly lease: { readonly owner: string; readonly host: string; readonly pid: number; readonly ttlMs: number; readonly isAlive: (pid: number) => boolean };
  private renewAt = 0;
  /**
   * Handed to connectors. A drain's stop signal does not abort requests already sent (that would turn a
   * payment into an uncertain one); it stops the worker between requests. Connectors keep their own timeouts.
   */
  private readonly inFlight = new AbortController();
  private batch: { ops: (() => void)[]; durable: boolean; done: Promise<void> } | undefined;
  private writeError: { error: unknown } | undefined;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.policy = options.policy ?? DEFAULT_RETRY_POLICY;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    const host = options.lease?.host ?? os.hostname();
    const pid = options.lease?.pid ?? process.pid;
    this.lease = { host, pid, owner: `${host}:${pid}`, ttlMs: options.lease?.ttlMs ?? 5 * 60_000, isAlive: options.lease?.isAlive ?? processAlive };
  }

  /**
   * Takes the delivery lease, then recovers what a dead deliverer left in flight: safe only while no other
   * process delivers, which the lease guarantees. A holder that is a dead process on this host is replaced.
   */
  private acquire(): readonly RecoveredEnvelope[] {
    const { db, clock, logger } = this.options;
    const nowMs = clock.now().getTime();
    const result = acquireDeliveryLease(db, { owner: this.lease.owner, host: this.lease.host, pid: this.lease.pid, nowMs, ttlMs: this.lease.ttlMs }, (holder) =>
      holder.host === this.lease.host ? !this.lease.isAlive(holder.pid) : false,
    );
    if (!result.acquired) {
      throw new DeliveryLeaseHeldError(result.holder);
    }
    this.renewAt = nowMs + this.lease.ttlMs / 3;
    const out = recoverInFlight(db, clock.now());
    if (out.length > 0) logger?.warn({ recovered: out }, 'outbox: envelopes interrupted in flight recovered');
    return out;
  }

  /** Delivers everything that is due now (and, with `waitForRetriesMs`, what becomes due within that budget). */
  async drain(drainOptions: DrainOptions = {}): Promise<DrainReport> {
    const recovered = this.acquire();
    try {
      return await this.deliverAll(recovered, drainOptions);
    } finally {
      try {
        releaseDeliveryLease(this.options.db, this.lease.owner);
      } catch {
        // A full disk: the lease stays with this process, which the next worker here may take over.
      }
    }
  }

  private async deliverAll(recovered: readonly RecoveredEnvelope[], drainOptions: DrainOptions): Promise<DrainReport> {
    const { db, clock } = this.options;
    const counters = { attempts: 0, done: 0, retries: 0, needsAttention: 0 };
    const lanes = new Map<string, Promise<void>>();
    let fatal: { error: unknown } | undefined;
    const startedAt = clock.now().getTime();
    const budget = drainOptions.waitForRetriesMs ?? 0;
    const stopped = (): boolean => fatal !== undefined || this.writeError !== undefined || drainOptions.signal?.aborted === true;

    const runLane = async (first: Envelope): Promise<void> => {
      let env: Envelope | undefined = first;
      while (env && !stopped()) {
        const settlement = await this.deliver(env, drainOptions.signal);
        if (settlement !== 'skipped') counters.attempts += 1;
        if (settlement === 'done') counters.done += 1;
        else if (settlement === 'retry') counters.retries += 1;
        else if (settlement === 'needs_attention') counters.needsAttention += 1;
        // Only a delivered envelope lets its customer's next one go; anything else holds the key.
        env = settlement === 'done' ? dueHeadOfKey(db, first.orderingKey, clock.now().getTime(), env.id) : undefined;
      }
    };

    // Heads fetched ahead: one scan of the queue serves many lanes. A stale entry is harmless (its claim fails).
    let candidates: Envelope[] = [];
    for (;;) {
      if (!stopped() && lanes.size < this.concurrency) {
        for (let refilled = false; lanes.size < this.concurrency; ) {
          if (candidates.length === 0) {
            if (refilled) break;
            refilled = true;
            candidates = listDueHeads(db, clock.now().getTime(), Math.max(256, this.concurrency * 4));
            if (candidates.length === 0) break;
          }
          const head = candidates.shift();
          if (!head || lanes.has(head.orderingKey)) continue;
          const key = head.orderingKey;
          lanes.set(
            key,
            runLane(head)
              .catch((error: unknown) => {
                fatal ??= { error };
              })
              .finally(() => lanes.delete(key)),
          );
        }
      }
      if (lanes.size > 0) {
        await Promise.race(lanes.values());
        continue;
      }
      if (stopped()) break;
      const next = nextRetryAt(db);
      const now = clock.now().getTime();
      if (next === undefined || next - startedAt > budget) break;
      await this.options.sleep(Math.max(0, next - now), drainOptions.signal);
    }
    await this.flush();
    if (fatal) throw fatal.error;
    return { recovered, ...counters };
  }

  /**
   * Queues a bookkeeping write; writes queued by all lanes in the same turn of the event loop share one
   * commit (group commit). Resolves once that commit is on disk (or in the OS, for relaxed commits), so a
   * lane never sends the next request before the record of the previous one is committed.
   */
  private write<T>(op: () => T, durable = false): Promise<T> {
    let result: T | undefined;
    if (!this.batch) {
      const ops: (() => void)[] = [];
      const nowMs = this.options.clock.now().getTime();
      if (nowMs >= this.renewAt) {
        this.renewAt = nowMs + this.lease.ttlMs / 3;
        const expiresAt = nowMs + this.lease.ttlMs;
        ops.push(() => renewDeliveryLease(this.options.db, this.lease.owner, expiresAt));
      }
      const batch = {
        ops,
        durable: false,
        done: new Promise<void>((resolve, reject) => {
          setImmediate(() => {
            this.batch = undefined;
            try {
              commitBatch(this.options.db, ops, batch.durable);
              resolve();
            } catch (err) {
              reject(err instanceof Error ? err : new Error(String(err)));
            }
          });
        }),
      };
      this.batch = batch;
    }
    this.batch.ops.push(() => {
      result = op();
    });
    if (durable) this.batch.durable = true;
    return this.batch.done.then(() => result as T);
  }

  /**
   * Queues a write without waiting for its commit: for records whose loss is harmless (an idempotent effect
   * done, an envelope done), so the lane goes on at once and the record shares the next awaited commit.
   */
  private later(op: () => void): void {
    this.write(op).catch((err: unknown) => {
      this.writeError ??= { error: err };
    });
  }

  /** Waits for queued writes; rethrows a failed fire-and-forget commit (e.g. a full disk). */
  private async flush(): Promise<void> {
    while (this.batch) await this.batch.done.catch(() => undefined);
    if (this.writeError) {
      const { error } = this.writeError;
      this.writeError = undefined;
      throw error;
    }
  }

  /** One attempt at one envelope. */
  private async deliver(envelope: Envelope, signal: AbortSignal | undefined): Promise<Settlement> {
    const { db, clock, connector, logger } = this.options;
    if (!(await this.write(() => claimEnvelope(db, envelope.id, clock.now().getTime())))) return 'skipped';
    const attempt = envelope.attempts + 1;
    const settle = (settlement: Settlement): Settlement => {
      this.options.onDidSettle?.(envelope, settlement);
      return settlement;
    };
    const effects = listEffects(db, envelope.id);
    const pendingCount = effects.filter((e) => e.state === 'pending').length;
    let remaining = pendingCount;
    for (const effect of effects) {
      if (effect.state === 'done') continue;
      if (signal?.aborted) {
        // A graceful stop between effects: nothing is in doubt, so it is simply due again.
        await this.write(() => scheduleRetry(db, envelope.id, clock.now().getTime(), 'stopped before delivery finished', clock.now().getTime()));
        return settle('retry');
      }
      const guarded = NOT_IDEMPOTENT.has(effect.kind);
      if (guarded) {
        if (effect.sentAt !== null) {
          await this.write(() =>
            markNeedsAttention(db, envelope.id, 'uncertain', `payment ${effect.idempotencyKey} was sent before and its outcome is unknown`, clock.now().getTime()),
          );
          return settle('needs_attention');
        }
        await this.write(() => markEffectSent(db, envelope.id, effect.seq, clock.now().getTime()), true);
      }
      const toDeliver: EffectToDeliver = {
        envelopeId: envelope.id,
        envelopeRef: envelope.ref,
        seq: effect.seq,
        kind: effect.kind,
        idempotencyKey: effect.idempotencyKey,
        payload: effect.payload,
        amountAtRisk: effect.amountAtRisk,
        attempt: effect.attempts + 1,
      };
      let result: DeliveryResult;
      try {
        result = checkedResult(await connector[effect.kind](toDeliver, this.inFlight.signal));
      } catch (err) {
        result = { type: 'transient', reason: `connector error: ${err instanceof Error ? err.message : String(err)}`, uncertain: true };
      }
      const now = clock.now().getTime();
      const fail = (error: string, how: Pick<EffectFailure, 'countAttempt' | 'keepSent'>, next: EffectFailure['next']): Promise<void> =>
        this.write(() => recordEffectFailure(db, { envelopeId: envelope.id, seq: effect.seq, error, nowMs: now, ...how, next }));
      switch (result.type) {
        case 'applied':
        case 'already_applied':
          remaining -= 1;
          {
            const success = { envelopeId: envelope.id, seq: effect.seq, outcome: result.type, nowMs: now, countAttempt: !guarded, envelopeDone: remaining === 0 };
            // A payment's done mark is awaited: losing it would leave its sent marker looking uncertain.
            if (guarded) await this.write(() => recordEffectSuccess(db, success));
            else this.later(() => recordEffectSuccess(db, success));
          }
          if (remaining === 0) return settle('done');
          break;
        case 'transient':
          if (guarded && result.uncertain === true) {
            await fail(result.reason, { countAttempt: false, keepSent: true }, {
              state: 'needs_attention',
              code: 'uncertain',
              reason: `payment ${effect.idempotencyKey}: ${result.reason}; whether the server applied it is unknown, so it is not sent again automatically`,
            });
            logger?.warn({ envelope: envelope.id, key: effect.idempotencyKey }, 'outbox: payment outcome unknown; needs attention');
            return settle('needs_attention');
          }
          await fail(result.reason, { countAttempt: !guarded, keepSent: false }, { state: 'retry', atMs: nextAttemptAt(this.policy, result, attempt, now, this.options.random) });
          return settle('retry');
        case 'permanent':
          await fail(result.reason, { countAttempt: !guarded, keepSent: false }, { state: 'needs_attention', code: 'rejected', reason: `${effect.kind} ${effect.idempotencyKey} refused: ${result.reason}` });
          logger?.warn({ envelope: envelope.id, kind: effect.kind }, 'outbox: effect refused; needs attention');
          return settle('needs_attention');
        default:
          return assertNever(result);
      }
    }
    // Every effect was already done (e.g. resolved by a retry after a crash between the last effect and this).
    await this.write(() => markEnvelopeDone(db, envelope.id, clock.now().getTime()));
    return settle('done');
  }
}

/** A connector outside the type system may answer nonsense; that is a failure of unknown outcome, not a crash. */
function checkedResult(result: DeliveryResult): DeliveryResult {
  const type = (result as { type?: unknown } | undefined)?.type;
  if (type === 'applied' || type === 'already_applied' || type === 'transient' || type === 'permanent') return result;
  throw new TypeError(`unknown delivery result ${JSON.stringify(result)}`);
}

/** Whether a process on this host is alive: signal 0 checks without sending anything (EPERM: alive, not ours). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Real sleep for production: a timer that an abort ends early. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
