import os from 'node:os';
import { assertNever } from '../../core/errors';
import { payloadForDelivery } from '../../store/effect-payload-at-rest';
import {
  acquireDeliveryLease,
  claimEnvelope,
  dueHeadOfKey,
  listDueHeads,
  listEffects,
  markEffectSent,
  mostUrgent,
  nextRetryAt,
  recordEffectFailure,
  type EffectFailure,
  recordEffectSuccess,
  recoverInFlight,
  releaseDeliveryLease,
  renewDeliveryLease,
  settleEnvelope,
  type AttentionCode,
  type Effect,
  type EffectKind,
  type EffectState,
  type Envelope,
  type RecoveredEnvelope,
} from '../../store/outbox';
import type { DeliveryResult, EffectToDeliver } from './connector';
import { blockerFor } from './effect-order';
import { GroupCommit } from './group-commit';
import { processAlive } from './process-runtime';
import { checkStep, type CheckTiming, DEFAULT_CHECK_TIMING, recordCheckStep } from './payment-check';
import { DeliveryLeaseHeldError, type DrainOptions, type DrainReport, type OutboxWorkerOptions, type Settlement } from './worker-options';
import { DEFAULT_RETRY_POLICY, nextAttemptAt, type RetryPolicy } from './retry-policy';

export { DeliveryLeaseHeldError, type DrainOptions, type DrainReport, type OutboxLogger, type OutboxWorkerOptions, type Settlement } from './worker-options';
export { realSleep, type Sleep } from './process-runtime';

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
  private readonly checkTiming: CheckTiming;
  private readonly lease: { readonly owner: string; readonly host: string; readonly pid: number; readonly ttlMs: number; readonly isAlive: (pid: number) => boolean };
  private renewAt = 0;
  /**
   * Handed to connectors. A drain's stop signal does not abort requests already sent (that would turn a
   * payment into an uncertain one); it stops the worker between requests. Connectors keep their own timeouts.
   */
  private readonly inFlight = new AbortController();
  private readonly commits: GroupCommit;

  constructor(private readonly options: OutboxWorkerOptions) {
    this.policy = options.policy ?? DEFAULT_RETRY_POLICY;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.checkTiming = { ...DEFAULT_CHECK_TIMING, ...options.check };
    const host = options.lease?.host ?? os.hostname();
    const pid = options.lease?.pid ?? process.pid;
    this.lease = { host, pid, owner: `${host}:${pid}`, ttlMs: options.lease?.ttlMs ?? 5 * 60_000, isAlive: options.lease?.isAlive ?? processAlive };
    this.commits = new GroupCommit(options.db, () => {
      // The lease is renewed with the group commits, every third of its lifetime.
      const nowMs = options.clock.now().getTime();
      if (nowMs < this.renewAt) return undefined;
      this.renewAt = nowMs + this.lease.ttlMs / 3;
      const expiresAt = nowMs + this.lease.ttlMs;
      return () => renewDeliveryLease(options.db, this.lease.owner, expiresAt);
    });
  }

  private write<T>(op: () => T, durable = false): Promise<T> {
    return this.commits.write(op, durable);
  }

  private later(op: () => void): void {
    this.commits.later(op);
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
    const stopped = (): boolean => fatal !== undefined || this.commits.failed || drainOptions.signal?.aborted === true;

    const runLane = async (first: Envelope): Promise<void> => {
      let env: Envelope | undefined = first;
      while (env && !stopped()) {
        const settlement = await this.deliver(env, drainOptions.signal);
        if (settlement !== 'skipped') counters.attempts += 1;
        if (settlement === 'done') counters.done += 1;
        else if (settlement === 'retry') counters.retries += 1;
        else if (settlement === 'needs_attention') counters.needsAttention += 1;
        // A delivered envelope, or one left to a manager for a refusal, lets the person's next one go; one that
        // waits to retry, is being checked or holds an undecided payment holds the lane (docs/sync.md, "Order").
        // A needs-attention mark is committed here, so the head is read afresh (maybe this envelope, holding an undecided payment).
        env = settlement === 'done' || settlement === 'needs_attention' ? dueHeadOfKey(db, first.orderingKey, clock.now().getTime(), settlement === 'done' ? env.id : 0) : undefined;
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
    await this.commits.flush();
    if (fatal) throw fatal.error;
    return { recovered, ...counters };
  }

  /**
   * One attempt at one envelope: every effect not done is tried on its own (docs/sync.md, "States"). A refusal
   * or an unknown outcome of one effect does not stop the others, except those that must follow it
   * (`blockerFor`). The envelope ends done, due again (some effect waits to retry or is being checked), or
   * waiting for a manager (everything left does).
   */
  private async deliver(envelope: Envelope, signal: AbortSignal | undefined): Promise<Settlement> {
    const { db, clock, connector, logger } = this.options;
    if (!(await this.write(() => claimEnvelope(db, envelope.id, clock.now().getTime())))) return 'skipped';
    const attempt = envelope.attempts + 1;
    const settle = (settlement: Settlement): Settlement => {
      this.options.onDidSettle?.(envelope, settlement);
      return settlement;
    };
    const effects = listEffects(db, envelope.id);
    // The worker's view of each effect's state, ahead of the batch that records it.
    const states = new Map(effects.map((e) => [e.idempotencyKey, { kind: e.kind, state: e.state }]));
    const setState = (e: Effect, state: EffectState): void => {
      states.set(e.idempotencyKey, { kind: e.kind, state });
    };
    const due: number[] = [];
    /** Why the envelope waits, when it does: the first transient failure or check of this attempt. */
    let waitReason: string | undefined;
    const attention: { code: AttentionCode; reason: string }[] = [];
    const backoff = (): number => nextAttemptAt(this.policy, { type: 'transient', reason: 'waiting' }, attempt, clock.now().getTime(), this.options.random);
    let stopped = false;

    for (const stored of effects) {
      let effect = stored;
      if (effect.state === 'done') continue;
      if (effect.state === 'needs_attention') {
        attention.push({ code: effect.reasonCode ?? 'rejected', reason: effect.reason ?? `${effect.kind} needs attention` });
        continue;
      }
      if (signal?.aborted) {
        stopped = true;
        break;
      }
      const blocker = blockerFor(db, effect, states);
      if (blocker?.by === 'manager') {
        const reason = `${effect.kind} ${effect.idempotencyKey} waits for ${blocker.key}, which needs attention`;
        await this.write(() =>
          recordEffectFailure(db, { envelopeId: envelope.id, seq: effect.seq, error: null, nowMs: clock.now().getTime(), countAttempt: false, keepSent: true, next: { state: 'needs_attention', code: 'held', reason, waitsFor: blocker.key } }),
        );
        setState(effect, 'needs_attention');
        attention.push({ code: 'held', reason });
        continue;
      }
      if (blocker?.by === 'till') {
        // Settled by the till soon: this one goes on a later attempt, after it. A blocker in this envelope brings
        // its own due time; one queued elsewhere is looked at again after a backoff.
        if (!states.has(blocker.key)) due.push(backoff());
        continue;
      }
      // A sealed gift-card token is opened for the connector only; one this till can no longer open is the manager's.
      const opened = payloadForDelivery(db, effect.payload);
      if (!opened.ok) {
        const reason = `${effect.kind} ${effect.idempotencyKey}: ${opened.reason}`;
        await this.write(() =>
          recordEffectFailure(db, { envelopeId: envelope.id, seq: effect.seq, error: opened.reason, nowMs: clock.now().getTime(), countAttempt: false, keepSent: true, next: { state: 'needs_attention', code: 'rejected', reason } }),
        );
        setState(effect, 'needs_attention');
        attention.push({ code: 'rejected', reason });
        continue;
      }
      const toDeliver: EffectToDeliver = {
        envelopeId: envelope.id,
        envelopeRef: envelope.ref,
        seq: effect.seq,
        kind: effect.kind,
        idempotencyKey: effect.idempotencyKey,
        payload: opened.payload,
        amountAtRisk: effect.amountAtRisk,
        attempt: effect.attempts + 1,
      };
      const guarded = NOT_IDEMPOTENT.has(effect.kind);
      if (guarded && effect.sentAt !== null && effect.state !== 'uncertain') {
        // A sent marker without an answer recorded (e.g. a lost done mark): never resent blindly, checked first.
        effect = { ...effect, state: 'uncertain', nextAttemptAt: null };
      }
      if (effect.state === 'uncertain') {
        const now = clock.now().getTime();
        if (effect.nextAttemptAt !== null && effect.nextAttemptAt > now) {
          due.push(effect.nextAttemptAt);
          continue;
        }
        const step = await checkStep(connector, toDeliver, effect, now, this.checkTiming, this.inFlight.signal);
        const checked = effect;
        await this.write(() => recordCheckStep(db, envelope.id, checked, step, clock.now().getTime()));
        if (step.next === 'done') {
          setState(effect, 'done');
          logger?.info({ envelope: envelope.id, key: effect.idempotencyKey }, 'outbox: uncertain payment settled by its balance check');
          continue;
        }
        if (step.next === 'uncertain') {
          due.push(step.atMs);
          waitReason ??= step.reason;
          continue;
        }
        if (step.next === 'needs_attention') {
          setState(effect, 'needs_attention');
          attention.push({ code: 'uncertain', reason: step.reason });
          logger?.warn({ envelope: envelope.id, key: effect.idempotencyKey }, 'outbox: uncertain payment could not be decided by its balance check; needs attention');
          continue;
        }
        // Proven not sent, or proven not landed after a manager's retry: delivered as new below.
        effect = { ...effect, state: 'pending', sentAt: null };
      }
      if (guarded) await this.write(() => markEffectSent(db, envelope.id, effect.seq, clock.now().getTime()), true);
      let result: DeliveryResult;
      try {
        result = checkedResult(await connector[effect.kind](toDeliver, this.inFlight.signal));
      } catch (err) {
        result = { type: 'transient', reason: `connector error: ${err instanceof Error ? err.message : String(err)}`, uncertain: true };
      }
      const now = clock.now().getTime();
      const sent = effect;
      const fail = (error: string, how: Pick<EffectFailure, 'countAttempt' | 'keepSent'>, next: EffectFailure['next']): Promise<void> =>
        this.write(() => recordEffectFailure(db, { envelopeId: envelope.id, seq: sent.seq, error, nowMs: now, ...how, next }));
      switch (result.type) {
        case 'applied':
        case 'already_applied': {
          const success = { envelopeId: envelope.id, seq: sent.seq, idempotencyKey: sent.idempotencyKey, outcome: result.type, nowMs: now, countAttempt: !guarded };
          // A payment's done mark is awaited: losing it would leave its sent marker looking uncertain.
          if (guarded) await this.write(() => recordEffectSuccess(db, success));
          else this.later(() => recordEffectSuccess(db, success));
          setState(sent, 'done');
          break;
        }
        case 'transient':
          // A payment, or an effect that waits on one (a cancelled sale's refund), is checked, never retried blind.
          if ((guarded || result.checkPayment === true) && result.uncertain === true) {
            const atMs = now + this.checkTiming.gapMs;
            await fail(result.reason, { countAttempt: false, keepSent: true }, { state: 'uncertain', atMs, reason: `payment ${sent.idempotencyKey}: ${result.reason}; whether the server applied it is unknown, so the till checks the balance instead of sending it again` });
            setState(sent, 'uncertain');
            due.push(atMs);
            waitReason ??= result.reason;
            logger?.warn({ envelope: envelope.id, key: sent.idempotencyKey }, 'outbox: payment outcome unknown; checking the balance');
            break;
          }
          {
            const atMs = nextAttemptAt(this.policy, result, attempt, now, this.options.random);
            await fail(result.reason, { countAttempt: !guarded, keepSent: false }, { state: 'retry', atMs });
            setState(sent, 'retry');
            due.push(atMs);
            waitReason ??= result.reason;
          }
          break;
        case 'permanent': {
          if (result.evidence) {
            // Not a refusal: the answer cannot tell whether an earlier attempt landed; a manager decides with the evidence.
            const reason = `${sent.kind} ${sent.idempotencyKey}: outcome unknown: ${result.reason}`;
            await this.write(() =>
              recordEffectFailure(db, { envelopeId: envelope.id, seq: sent.seq, error: result.reason, nowMs: now, countAttempt: !guarded, keepSent: false, next: { state: 'needs_attention', code: 'uncertain', reason }, evidence: result.evidence }),
            );
            setState(sent, 'needs_attention');
            attention.push({ code: 'uncertain', reason });
            logger?.warn({ envelope: envelope.id, kind: sent.kind }, 'outbox: effect outcome unknown; needs attention');
            break;
          }
          const reason = `${sent.kind} ${sent.idempotencyKey} refused: ${result.reason}`;
          await fail(result.reason, { countAttempt: !guarded, keepSent: false }, { state: 'needs_attention', code: 'rejected', reason });
          setState(sent, 'needs_attention');
          attention.push({ code: 'rejected', reason });
          logger?.warn({ envelope: envelope.id, kind: sent.kind }, 'outbox: effect refused; needs attention');
          break;
        }
        default:
          return assertNever(result);
      }
    }

    const nowMs = clock.now().getTime();
    if (stopped) {
      // A graceful stop between effects: nothing is in doubt, so it is simply due again.
      await this.write(() => settleEnvelope(db, envelope.id, { state: 'retry', atMs: nowMs, reason: 'stopped before delivery finished' }, nowMs));
      return settle('retry');
    }
    if ([...states.values()].every((s) => s.state === 'done')) {
      this.later(() => settleEnvelope(db, envelope.id, { state: 'done' }, nowMs));
      return settle('done');
    }
    const waiting = [...states.values()].some((s) => s.state !== 'done' && s.state !== 'needs_attention');
    if (due.length > 0 || waiting) {
      const atMs = due.length > 0 ? Math.min(...due) : backoff();
      await this.write(() => settleEnvelope(db, envelope.id, { state: 'retry', atMs, reason: waitReason ?? 'waiting for an earlier effect' }, nowMs));
      return settle('retry');
    }
    const code = mostUrgent(attention.map((a) => a.code));
    const reason = attention.length === 1 ? (attention[0]?.reason ?? '') : `${attention.length} effects need attention; first: ${attention[0]?.reason ?? ''}`;
    await this.write(() => settleEnvelope(db, envelope.id, { state: 'needs_attention', code, reason }, nowMs));
    return settle('needs_attention');
  }
}

/** A connector outside the type system may answer nonsense; that is a failure of unknown outcome, not a crash. */
function checkedResult(result: DeliveryResult): DeliveryResult {
  const type = (result as { type?: unknown } | undefined)?.type;
  if (type === 'applied' || type === 'already_applied' || type === 'transient' || type === 'permanent') return result;
  throw new TypeError(`unknown delivery result ${JSON.stringify(result)}`);
}
