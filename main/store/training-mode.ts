import type { ReadableDb, WritableDb } from './db-types';
import { recordFiscalEvent } from './fiscal-events';
import { prepared } from './statements';

/**
 * The till's training-mode switch (docs/fiscal-no.md): kept in `agent_meta` so the agent and the CLI see the
 * same switch, and read inside every commit's transaction. Turning it on or off is journaled (13023, 13024)
 * in the same transaction as the switch itself.
 */
const KEY = 'training_mode';

export function isTrainingModeOn(db: ReadableDb): boolean {
  return (prepared(db, 'SELECT value FROM agent_meta WHERE key = ?').get(KEY) as { value: string } | undefined)?.value === 'on';
}

/** Sets the switch; returns whether it changed (setting it to what it is records nothing). */
export function setTrainingMode(db: WritableDb, on: boolean, now: Date, operatorId?: string): boolean {
  return db.transaction(() => {
    if (isTrainingModeOn(db) === on) return false;
    prepared(db, 'INSERT INTO agent_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(KEY, on ? 'on' : 'off');
    recordFiscalEvent(db, on ? 'training_on' : 'training_off', operatorId === undefined ? {} : { operatorId }, now);
    return true;
  }).immediate();
}
