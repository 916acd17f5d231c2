import type { AgentEvent, Status, TillBridge } from '../api/contract';
import type { Config } from '../config';
import type { Clock } from '../core/clock';
import type { DeviceManager } from '../devices/device-manager';
import type { Logger } from '../log';
import type { WritableDb } from '../store';

/** What the API handlers may use; start-agent.ts builds it. */
export type AgentServices = {
  readonly config: Config;
  /** The database; throws while the agent is still starting (the API answers before the file is opened). */
  db(): WritableDb;
  status(): Status;
  readonly devices: DeviceManager;
  publish(event: AgentEvent): void;
  readonly clock: Clock;
  logger(): Logger;
};

/** One handler per contract route: the same functions serve the loopback HTTP API and Electron's IPC. */
export function createHandlers(services: AgentServices): TillBridge {
  return {
    getStatus: () => Promise.resolve(services.status()),
  };
}
