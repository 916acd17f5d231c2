import type { Config } from '../config';
import type { Logger } from '../log';
import type { WritableDb } from '../store';
import { nextRetryAt } from '../store/outbox';
import { OutboxWorker, realSleep } from '../sync/outbox';
import { PullScheduler } from '../sync/pull/pull-scheduler';
import { RulesPuller } from '../sync/pull/rules-pull';
import { SyncService } from '../sync/sync-service';
import { connectorFromConfig } from './connector-from-config';

export type SyncHandle = {
  /** Deliver now rather than at the next look (a sale was just committed). */
  wake(): void;
  /** Pull the discount rules now; resolves when the cache is updated (or the pull failed). */
  refreshRules(): Promise<unknown>;
  stop(): Promise<void>;
};

const RULES_PULL_MS = 5 * 60_000;
const OUTBOX_IDLE_MS = 2_000;

/**
 * Starts background sync for a till with at least one back end configured: the outbox worker on the real
 * connectors, and the rules pull on a schedule. A till with neither has nothing to sync with; its queue
 * waits (and `till-agent sync status` shows it) until the store configures one.
 */
export function startSync(config: Config, db: WritableDb, logger: Logger, onDidChange: () => void): SyncHandle | undefined {
  const log = logger.child({ module: 'sync' });
  const connector = connectorFromConfig(config, db, log);
  if (!connector) return undefined;
  const clock = { now: () => new Date() };
  const worker = new OutboxWorker({ db, connector, clock, sleep: realSleep, random: Math.random, logger: log, onDidSettle: () => onDidChange() });
  const service = new SyncService({
    worker,
    clock,
    sleep: realSleep,
    nextRetryAt: () => nextRetryAt(db),
    idleMs: OUTBOX_IDLE_MS,
    onError: (err) => log.error({ err }, 'outbox drain failed; trying again shortly'),
  });
  const dinteroClient = connector.dinteroClient;
  const pulls = new PullScheduler(
    dinteroClient
      ? [
          {
            name: 'rules',
            intervalMs: RULES_PULL_MS,
            run: async () => {
              const result = await new RulesPuller(dinteroClient, db, Date.now).pull();
              log.info({ status: result.status }, 'discount rules pulled');
              onDidChange();
              return result;
            },
          },
        ]
      : [],
  );
  service.start();
  pulls.start();
  return {
    wake: () => service.wake(),
    refreshRules: () => (dinteroClient ? pulls.refresh('rules') : Promise.resolve(undefined)),
    stop: async () => {
      pulls.stop();
      await service.stop();
    },
  };
}
