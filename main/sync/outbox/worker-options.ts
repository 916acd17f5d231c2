import type { Clock } from '../../core/clock';
import { TillError } from '../../core/errors';
import type { WritableDb } from '../../store/db-types';
import type { Envelope, RecoveredEnvelope } from '../../store/outbox';
import type { Connector } from './connector';
import type { CheckTiming } from './payment-check';
import type { Sleep } from './process-runtime';
import type { RandomSource, RetryPolicy } from './retry-policy';

/** What the outbox worker (worker.ts) is given, and what a drain reports. */

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
  /** How the till checks an uncertain payment by itself (docs/sync.md, "Uncertain payments"). */
  readonly check?: Partial<CheckTiming>;
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

