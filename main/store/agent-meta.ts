import type { ReadableDb, WritableDb } from './db-types';

export function getMeta(db: ReadableDb, key: string): string | undefined {
  const row = db.prepare('SELECT value FROM agent_meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMetaIfAbsent(db: WritableDb, key: string, value: string): string {
  db.prepare('INSERT INTO agent_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING').run(key, value);
  return getMeta(db, key) ?? value;
}
