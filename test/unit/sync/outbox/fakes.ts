import type { Clock } from '../../../../main/core/clock';
import { openDb, type WritableDb } from '../../../../main/store';
import { EFFECT_KINDS, enqueueEnvelope, type NewEffect, type NewEnvelope } from '../../../../main/store/outbox';
import type { Connector, DeliveryResult, EffectToDeliver, PaymentCheck, PaymentCheckRequest } from '../../../../main/sync/outbox';
import type { Sleep } from '../../../../main/sync/outbox/worker';

/** Fake time: `sleep` advances the clock instead of waiting. */
export type FakeTime = { clock: Clock; sleep: Sleep; now(): number; advance(ms: number): void; sleeps: number[] };

export function fakeTime(start = Date.UTC(2026, 10, 23, 9, 0, 0)): FakeTime {
  let t = start;
  const sleeps: number[] = [];
  return {
    clock: { now: () => new Date(t) },
    sleep: (ms) => {
      sleeps.push(ms);
      t += ms;
      return Promise.resolve();
    },
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    sleeps,
  };
}

export type Call = { readonly key: string; readonly kind: string; readonly result: DeliveryResult['type'] | `check:${PaymentCheck['type']}` };

/**
 * An in-memory back end: answers each call from a script per idempotency key (then `applied`), and remembers
 * which keys it applied, answering `already_applied` for a key it holds.
 */
export class ScriptedConnector {
  readonly calls: Call[] = [];
  readonly applied: string[] = [];
  private readonly scripts = new Map<string, DeliveryResult[]>();
  private readonly lost = new Map<string, boolean[]>();
  private readonly checks = new Map<string, PaymentCheck[]>();

  script(key: string, ...results: DeliveryResult[]): void {
    this.scripts.set(key, [...(this.scripts.get(key) ?? []), ...results]);
  }

  /** The next request under `key` loses its answer (a reset or timeout); `landed` says whether the server applied it. */
  loseAnswer(key: string, landed: boolean): void {
    this.lost.set(key, [...(this.lost.get(key) ?? []), landed]);
  }

  /** Scripted answers to the till's balance checks of `key`; unscripted, the fake reads twice and tells the truth. */
  scriptCheck(key: string, ...results: PaymentCheck[]): void {
    this.checks.set(key, [...(this.checks.get(key) ?? []), ...results]);
  }

  check(effect: EffectToDeliver, request: PaymentCheckRequest): PaymentCheck {
    const key = effect.idempotencyKey;
    const evidence = { asset: 'points', before: 1000, amount: 100, direction: -1 as const, readings: [...request.readings, { at: request.readings.length, balance: 1000 }] };
    const result: PaymentCheck =
      this.checks.get(key)?.shift() ??
      (request.readings.length === 0
        ? { type: 'read', evidence }
        : this.applied.includes(key)
          ? { type: 'landed', detail: 'fake: applied', evidence }
          : { type: 'not_landed', detail: 'fake: not applied', evidence, resend: request.resendAllowed });
    this.calls.push({ key, kind: effect.kind, result: `check:${result.type}` });
    return result;
  }

  handle(effect: EffectToDeliver): DeliveryResult {
    const landed = this.lost.get(effect.idempotencyKey)?.shift();
    if (landed !== undefined) {
      if (landed) this.applied.push(effect.idempotencyKey);
      this.calls.push({ key: effect.idempotencyKey, kind: effect.kind, result: 'transient' });
      return { type: 'transient', reason: 'connection reset', uncertain: true };
    }
    const next = this.scripts.get(effect.idempotencyKey)?.shift();
    let result: DeliveryResult;
    if (next) result = next;
    else if (this.applied.includes(effect.idempotencyKey)) result = { type: 'already_applied' };
    else result = { type: 'applied' };
    if (result.type === 'applied') this.applied.push(effect.idempotencyKey);
    this.calls.push({ key: effect.idempotencyKey, kind: effect.kind, result: result.type });
    return result;
  }

  connector(): Connector {
    const handler = (effect: EffectToDeliver): Promise<DeliveryResult> => Promise.resolve(this.handle(effect));
    const checkPayment = (effect: EffectToDeliver, request: PaymentCheckRequest): Promise<PaymentCheck> => Promise.resolve(this.check(effect, request));
    return { ...(Object.fromEntries(EFFECT_KINDS.map((k) => [k, handler])) as unknown as Connector), checkPayment };
  }
}

export function memoryDb(): WritableDb {
  return openDb(':memory:');
}

export function sale(ref: string, orderingKey = 'anonymous', extra: readonly NewEffect[] = []): NewEnvelope {
  return {
    kind: 'sale',
    ref,
    orderingKey,
    effects: [
      { kind: 'discount_claim', idempotencyKey: `${ref}:claim`, payload: { ref } },
      { kind: 'receipt', idempotencyKey: `${ref}:receipt`, payload: { ref } },
      ...extra,
    ],
  };
}

export function enqueue(db: WritableDb, envelope: NewEnvelope, at: number): number {
  return db.transaction(() => enqueueEnvelope(db, envelope, new Date(at)))();
}
