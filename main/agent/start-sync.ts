import type { Config } from '../config';
import type { Logger } from '../log';
import type { WritableDb } from '../store';
import { nextRetryAt } from '../store/outbox';
import { DeliveryLeaseHeldError, OutboxWorker, realSleep } from '../sync/outbox';
import { refreshStaleMembers } from '../sync/pull/members';
import { PullScheduler, type PullJob } from '../sync/pull/pull-scheduler';
import { refreshDiscountRefs } from '../sync/pull/discount-refs';
import { RulesPuller, type RulesPullResult } from '../sync/pull/rules-pull';
import { SyncService } from '../sync/sync-service';
import type { DinteroClient } from '../sync/connectors/dintero/dintero-client';
import type { LoyaltyClient } from '../sync/connectors/loyalty/loyalty-client';
import { connectorFromConfig } from './connector-from-config';
import { type ValuePayments, valuePaymentsOf } from './sale/value-payments';

export type SyncHandle = {
  /** Deliver now rather than at the next look (a sale was just committed). */
  wake(): void;
  /** Pull the discount rules now; resolves when the cache is updated (or the pull failed); undefined without Dintero. */
  refreshRules(): Promise<RulesPullResult | undefined>;
  stop(): Promise<void>;
  /** The connectors' clients, for lookups while a customer waits (main/agent/member-directory.ts). */
  readonly dinteroClient: DinteroClient | undefined;
  readonly loyaltyClient: LoyaltyClient | undefined;
  /** Gift-card and points payments at tender time, through the same connector as the outbox. */
  readonly valuePayments: ValuePayments;
};

const RULES_PULL_MS = 5 * 60_000;
/** A full rules pull at start and then once a day: it drops rules the change feed could not report (docs/connectors.md). */
const RULES_FULL_MS = 24 * 3600_000;
/** Customers' discount refs older than this are fetched again with the rules, at most this many per run. */
const REFS_STALE_MS = 60 * 60_000;
const REFS_PER_RUN = 50;
const OUTBOX_IDLE_MS = 2_000;
const MEMBERS_PULL_MS = 15 * 60_000;
const MEMBERS_STALE_MS = 60 * 60_000;
const MEMBERS_PER_RUN = 50;

/**
 * A drain that could not run. Another process holding the delivery lease is expected and settles by waiting:
 * one info line (no stack) when the holder changes, debug after that. Anything else is an error with its stack.
 */
function drainFailureLogger(): (log: Logger, err: unknown) => void {
  let lastHolder: string | undefined;
  return (log, err) => {
    if (err instanceof DeliveryLeaseHeldError) {
      const holder = `${err.holder.host}:${err.holder.pid}`;
      const level = holder === lastHolder ? 'debug' : 'info';
      lastHolder = holder;
      log[level]({ holder: err.holder }, 'outbox: another till-agent process is delivering; this one waits its turn');
      return;
    }
    lastHolder = undefined;
    log.error({ err }, 'outbox drain failed; trying again shortly');
  };
}

/**
 * Starts background sync for a till with at least one back end configured: the outbox worker on the real
 * connectors, and the rules pull on a schedule. A till with neither has nothing to sync with; its queue
 * waits (and `till-agent sync status` shows it) until the store configures one.
 */
export function startSync(config: Config, db: WritableDb, logger: Logger, onDidChange: () => void, onLoyaltyReach?: (reached: boolean) => void): SyncHandle | undefined {
  const log = logger.child({ module: 'sync' });
  const logDrainFailure = drainFailureLogger();
  const connector = connectorFromConfig(config, db, log, onLoyaltyReach);
  if (!connector) return undefined;
  const clock = { now: () => new Date() };
  const worker = new OutboxWorker({ db, connector, clock, sleep: realSleep, random: Math.random, logger: log, onDidSettle: () => onDidChange() });
  const service = new SyncService({
    worker,
    clock,
    sleep: realSleep,
    nextRetryAt: () => nextRetryAt(db),
    idleMs: OUTBOX_IDLE_MS,
    onError: (err) => logDrainFailure(log, err),
  });
  const dinteroClient = connector.dinteroClient;
  const loyaltyClient = connector.loyaltyClient;
  const jobs: PullJob[] = [];
  if (dinteroClient) {
    let lastFullAt: number | undefined;
    jobs.push({
      name: 'rules',
      intervalMs: RULES_PULL_MS,
      run: async () => {
        const started = Date.now();
        const full = lastFullAt === undefined || started - lastFullAt >= RULES_FULL_MS;
        const result = await new RulesPuller(dinteroClient, db, Date.now).pull({ full });
        if (full && result.status !== 'failed') lastFullAt = started;
        log.info({ status: result.status, full }, 'discount rules pulled');
        if (result.status !== 'failed') {
          // The refs claims must name: the public ones, and the lists of customers seen before, refreshed.
          const refs = await refreshDiscountRefs({ db, client: dinteroClient, now: Date.now, logger: log }, { olderThanMs: REFS_STALE_MS, limit: REFS_PER_RUN });
          log.info({ public: refs.public.status, customers: refs.customers, failed: refs.failed }, 'discount refs refreshed');
        }
        onDidChange();
        return result;
      },
    });
  }
  if (loyaltyClient) {
    jobs.push({
      name: 'members',
      intervalMs: MEMBERS_PULL_MS,
      // Keeps the cached points and credit of members seen recently fresh for the offline limits.
      run: async () => {
        const result = await refreshStaleMembers({ db, client: loyaltyClient, now: Date.now, logger: log }, { olderThanMs: MEMBERS_STALE_MS, limit: MEMBERS_PER_RUN });
        log.info({ refreshed: result.refreshed, notFound: result.notFound, stoppedBy: result.stoppedBy }, 'cached members refreshed');
        return result;
      },
    });
  }
  const pulls = new PullScheduler(jobs);
  service.start();
  pulls.start();
  return {
    wake: () => service.wake(),
    valuePayments: valuePaymentsOf(connector),
    dinteroClient,
    loyaltyClient,
    // The rules job's run returns the puller's result, so the refresh resolves with it.
    refreshRules: () => (dinteroClient ? (pulls.refresh('rules') as Promise<RulesPullResult>) : Promise.resolve(undefined)),
    stop: async () => {
      pulls.stop();
      await service.stop();
      // A gift-card code's lookup after its transaction ends within seconds; the database must outlive it.
      await connector.giftCardCodes?.settled();
    },
  };
}
