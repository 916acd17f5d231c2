import { ZERO } from '../../core/money';
import type { Logger } from '../../log';
import type { WritableDb } from '../../store';
import { currentBusinessDay, currentShift, openBusinessDay, openShift } from '../../store/ledger';
import type { DemoTill } from './sale-options';

/** A demo till gets its catalog, a business day and a shift the first time the database is there. */
export function prepareDemoTill(demo: DemoTill, db: WritableDb, now: Date, log: Logger): void {
  demo.seedCatalog(db, now);
  if (currentShift(db)) return;
  if (!currentBusinessDay(db)) openBusinessDay(db, now);
  openShift(db, demo.operatorId, ZERO, now);
  log.info({ operatorId: demo.operatorId }, 'demo till: opened a business day and a shift');
}
