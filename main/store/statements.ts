import type { Statement } from 'better-sqlite3';
import type { ReadableDb } from './db-types';

// Prepared once per connection and SQL text: a sale commit runs some 60 statements and preparing them
// each time would cost more than running them.
const cache = new WeakMap<ReadableDb, Map<string, Statement<unknown[]>>>();

export function prepared(db: ReadableDb, sql: string): Statement<unknown[]> {
  let perDb = cache.get(db);
  if (!perDb) {
    perDb = new Map();
    cache.set(db, perDb);
  }
  let s = perDb.get(sql);
  if (!s) {
    s = db.prepare<unknown[]>(sql);
    perDb.set(sql, s);
  }
  return s;
}
