import type { ManagerCashWithdrawal, ManagerTraining } from '../api/contract';
import type { Clock } from '../core/clock';
import { because } from '../core/error-reasons';
import { TillError } from '../core/errors';
import { minor } from '../core/money';
import type { Logger } from '../log';
import type { WritableDb } from '../store';
import { recordFiscalEvent } from '../store/fiscal-events';
import { currentShift } from '../store/ledger';
import { enqueuePrintJob } from '../store/print-jobs';
import { openShiftCash } from '../store/shift-cash';
import { isTrainingModeOn, setTrainingMode } from '../store/training-mode';

export type FiscalControlsOptions = {
  db(): WritableDb;
  readonly clock: Clock;
  logger(): Logger;
  /** False when no receipt printer (and so no drawer) is configured. */
  readonly hasDrawer: boolean;
  /** A print job was queued: print it now. */
  wakePrinter(): void;
};

/** Who a manager action is journaled as: the manager session has no name, so the role stands for it. */
export const MANAGER_OPERATOR = 'manager';

/**
 * The manager's fiscal controls (docs/fiscal-no.md): the training-mode switch and cash taken out of the drawer.
 * Each is journaled with its code in the transaction that does it.
 */
export class FiscalControls {
  constructor(private readonly options: FiscalControlsOptions) {}

  private get log(): Logger {
    return this.options.logger().child({ module: 'fiscal' });
  }

  training(): boolean {
    return isTrainingModeOn(this.options.db());
  }

  setTraining(on: boolean): ManagerTraining {
    const changed = setTrainingMode(this.options.db(), on, this.options.clock.now(), MANAGER_OPERATOR);
    if (changed) this.log.info({ training: on }, on ? 'training mode turned on' : 'training mode turned off');
    return { training: on, changed };
  }

  /**
   * Cash taken out of the drawer (to the safe, the bank): journaled as 13019 with the amount, left out of the
   * shift's expected cash, and the drawer opened for it when the till has one.
   */
  withdrawCash(amount: number, note: string | undefined): ManagerCashWithdrawal {
    const db = this.options.db();
    const now = this.options.clock.now();
    if (isTrainingModeOn(db)) throw new TillError('CONFLICT', 'Training mode is on: cash cannot be taken out of the drawer in training mode.', { fix: 'Turn training mode off first.', ...because('cash.training', {}) });
    const result = db
      .transaction(() => {
        const shift = currentShift(db);
        if (!shift) throw new TillError('CONFLICT', 'No shift is open: cash is taken out of the drawer of an open shift.', because('cash.no-shift', {}));
        const expectedBefore = openShiftCash(db);
        if (expectedBefore !== null && amount > expectedBefore) {
          throw new TillError('CONFLICT', `The drawer should hold ${expectedBefore} (minor units); ${amount} cannot be taken out of it.`, because('cash.more-than-drawer', { expected: expectedBefore, amount }));
        }
        recordFiscalEvent(db, 'cash_withdrawal', { operatorId: MANAGER_OPERATOR, amountMinor: amount, ...(note ? { text: note } : {}) }, now);
        const jobId = this.options.hasDrawer ? enqueuePrintJob(db, null, { kind: 'drawer', reason: 'cash_withdrawal' }, now) : null;
        return { amount: minor(amount), expectedCash: openShiftCash(db), drawerJobId: jobId };
      })
      .immediate();
    if (result.drawerJobId !== null) this.options.wakePrinter();
    this.log.info({ amountMinor: amount }, 'cash taken out of the drawer');
    return result;
  }
}
