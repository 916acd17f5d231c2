import fs from 'node:fs';
import { dbPath } from '../../main/agent/data-dir';
import { openDb } from '../../main/store';
import { seedTill } from '../integration/sale-api/seed';

/** A data dir whose till database already has the small test catalog and cached discount rules. */
export function seededDataDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const db = openDb(dbPath(dir));
  try {
    seedTill(db);
  } finally {
    db.close();
  }
  return dir;
}
