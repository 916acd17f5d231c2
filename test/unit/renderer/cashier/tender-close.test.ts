import { describe, expect, it } from 'vitest';
import { dialogAfterSaleChange, type OpenDialog, type SaleMark, withoutEndedTenderDialog } from '../../../../renderer/cashier/tender-close';

const at = (receiptId: string | undefined, tenders: number): SaleMark => ({ receiptId, tenders });
const open = (kind: OpenDialog['kind'], mark: SaleMark): OpenDialog => ({ kind, at: mark });

describe('a taken tender closes its dialog (the next function key works at once)', () => {
  it('closes a tender dialog once the sale view shows a new receipt, before the tender call has answered', () => {
    for (const kind of ['cash', 'card', 'giftCard', 'points'] as const) {
      expect(dialogAfterSaleChange(open(kind, at('r-1', 0)), at('r-2', 0))).toBeUndefined();
      expect(dialogAfterSaleChange(open(kind, at(undefined, 1)), at('r-1', 0))).toBeUndefined();
    }
  });

  it('closes a tender dialog once the sale view shows one tender more (the card part of a split)', () => {
    expect(dialogAfterSaleChange(open('card', at('r-1', 0)), at('r-1', 1))).toBeUndefined();
    expect(dialogAfterSaleChange(open('points', at(undefined, 1)), at(undefined, 2))).toBeUndefined();
  });

  it('keeps a tender dialog open while nothing was taken (a refused tender shows its reason there)', () => {
    expect(dialogAfterSaleChange(open('cash', at('r-1', 1)), at('r-1', 1))).toBe('cash');
    expect(dialogAfterSaleChange(open('points', at(undefined, 0)), at(undefined, 0))).toBe('points');
  });

  it('leaves other dialogs alone', () => {
    expect(dialogAfterSaleChange(open('resume', at('r-1', 0)), at('r-2', 0))).toBe('resume');
    expect(dialogAfterSaleChange(open('customer', at(undefined, 0)), at('r-1', 3))).toBe('customer');
    expect(dialogAfterSaleChange(undefined, at('r-1', 0))).toBeUndefined();
  });

  it('forgets the ended tender dialog, but not one a key opened after it ended (F9 or F10 before the effect ran)', () => {
    expect(withoutEndedTenderDialog(open('cash', at('r-1', 0)), at('r-2', 0))).toBeUndefined();
    const resume = open('resume', at('r-2', 0));
    expect(withoutEndedTenderDialog(resume, at('r-2', 0))).toBe(resume);
    const cashAfterCard = open('cash', at('r-1', 1));
    expect(withoutEndedTenderDialog(cashAfterCard, at('r-1', 1))).toBe(cashAfterCard);
    expect(withoutEndedTenderDialog(undefined, at('r-2', 0))).toBeUndefined();
  });
});
