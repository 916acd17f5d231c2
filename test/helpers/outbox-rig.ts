import { afterEach } from 'vitest';
import { dbPath } from '../../main/agent/data-dir';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../main/sandbox';
import { openDb, type WritableDb } from '../../main/store';
import type { TillConnector } from '../../main/sync/connectors/till-connector';
import { OutboxWorker, seededRandom } from '../../main/sync/outbox';
import { recordingLogger } from '../unit/sync/connectors/test-server';
import { fakeTime, type FakeTime } from '../unit/sync/outbox/fakes';
import { sandboxBackends } from './sandbox-env';
import { tempDir } from './temp-dir';
import { testConnector } from './test-connector';

/** A till's delivery path on real parts: the sandbox over loopback, a real SQLite file, the connector and the outbox worker on fake time. */
export type OutboxRig = { readonly sandbox: SandboxHandle; readonly db: WritableDb; readonly time: FakeTime; readonly connector: TillConnector; readonly worker: OutboxWorker };

/**
 * Call at a test file's top level: returns `start`, which builds one rig per test, closed after it. `seed` seeds
 * the sandbox and the worker's jitter; `sandbox` adds to the sandbox's options (its clock is the rig's).
 */
export function useOutboxRig(defaults: { readonly seed: number; readonly sandbox?: SandboxOptions; readonly concurrency?: number }): () => Promise<OutboxRig> {
  let rig: OutboxRig | undefined;
  afterEach(async () => {
    rig?.db.close();
    await rig?.sandbox.close();
    rig = undefined;
  });
  return async () => {
    const time = fakeTime();
    const sandbox = await startSandbox({ seed: defaults.seed, ...defaults.sandbox, now: () => new Date(time.now()) });
    const db = openDb(dbPath(tempDir()));
    const connector = testConnector({ db, ...sandboxBackends(sandbox), logger: recordingLogger(), now: () => time.now(), timeoutMs: 400 });
    const worker = new OutboxWorker({ db, connector, clock: time.clock, sleep: time.sleep, random: seededRandom(defaults.seed), concurrency: defaults.concurrency ?? 2 });
    rig = { sandbox, db, time, connector, worker };
    return rig;
  };
}
