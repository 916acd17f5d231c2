import type { Config } from '../config';
import type { WritableDb } from '../store';
import type { ConnectorLogger } from '../sync/connectors/http';
import { TillConnector } from '../sync/connectors/till-connector';
import { AGENT_VERSION } from './version';

/** The real connectors for the back ends this till is configured with; undefined when it has none. */
export function connectorFromConfig(config: Config, db: WritableDb, logger?: ConnectorLogger, onLoyaltyReach?: (reached: boolean) => void): TillConnector | undefined {
  if (!config.dintero && !config.loyalty) return undefined;
  return new TillConnector({
    db,
    posId: config.posId,
    branchId: config.branchId,
    sourceType: config.sourceType,
    version: AGENT_VERSION,
    ...(config.dintero ? { dintero: config.dintero } : {}),
    ...(config.loyalty ? { loyalty: config.loyalty } : {}),
    ...(logger ? { logger } : {}),
    ...(onLoyaltyReach ? { onLoyaltyReach } : {}),
  });
}
