import fs from 'node:fs';
import path from 'node:path';
import { parseCatalogJson } from '../core/catalog';
import { currencyExponent } from '../core/sale';
import type { Logger } from '../log';
import { findDemoDir } from '../sandbox/demo-dir';
import type { WritableDb } from '../store';
import { countCatalogItems, importCatalog } from '../store/catalog';

/**
 * A demo till with an empty catalog gets the demo store's items (demo/catalog.json), so `npm start` sells
 * at once. A catalog that has anything in it is never touched; a missing demo folder only logs.
 */
export function importDemoCatalogIfEmpty(db: WritableDb, currency: string, now: Date, logger: Logger): number {
  if (countCatalogItems(db) > 0) return 0;
  let file: string;
  try {
    file = path.join(findDemoDir(), 'catalog.json');
  } catch (err) {
    logger.warn({ err }, 'demo till: no demo catalog found; the catalog stays empty');
    return 0;
  }
  const parsed = parseCatalogJson(fs.readFileSync(file, 'utf8'), currencyExponent(currency));
  const result = importCatalog(db, parsed.rows, now, { file });
  logger.info({ imported: result.imported, refused: parsed.problems.length + result.conflicts.length }, 'demo till: imported the demo catalog');
  return result.imported;
}
