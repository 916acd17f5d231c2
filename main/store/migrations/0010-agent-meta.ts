import type { WritableDb } from '../db-types';

/** Facts about this till's install that must survive restarts (install id, first start). */
export default function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE agent_meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;
  `);
}
