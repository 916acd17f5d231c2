import type { ShiftView } from '../../api/contract';
import { minor } from '../../core/money';
import { closeBusinessDay, closeShift, openBusinessDay, openShift, type ShiftSummary } from '../../store/ledger';
import type { SaleSession } from './sale-session';

/** The business day and the cashier's shift: opened and closed here, shown on every screen with the sale. */
export class BusinessDay {
  constructor(private readonly session: SaleSession) {}

  openBusinessDay(): ShiftView {
    openBusinessDay(this.session.db(), this.session.now());
    return this.changed();
  }

  closeBusinessDay(): ShiftView {
    closeBusinessDay(this.session.db(), this.session.now());
    return this.changed();
  }

  openShift(operatorId: string, openingFloat: number | undefined): ShiftView {
    openShift(this.session.db(), operatorId, minor(openingFloat ?? 0), this.session.now());
    return this.changed();
  }

  closeShift(countedCash: number | undefined): ShiftSummary {
    const summary = closeShift(this.session.db(), countedCash === undefined ? null : minor(countedCash), this.session.now());
    this.changed();
    return summary;
  }

  private changed(): ShiftView {
    this.session.bump();
    return this.session.publish().shift;
  }
}
