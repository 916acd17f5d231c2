import { describe, expect, it } from 'vitest';
import { dialogAfterSaleChange, withoutEndedTenderDialog } from '../../../../renderer/cashier/tender-close';

describe('a committed sale closes the tender dialog (F9 right after paying works)', () => {
  it('closes a tender dialog once the sale view shows a new receipt, before the tender call has answered', () => {
    for (const kind of ['cash', 'card', 'giftCard', 'points'] as const) {
      expect(dialogAfterSaleChange(kind, 'r-1', 'r-2')).toBeUndefined();
      expect(dialogAfterSaleChange(kind, undefined, 'r-1')).toBeUndefined();
    }
  });

  it('keeps a tender dialog open while the sale is not committed (a part payment, the same last receipt)', () => {
    expect(dialogAfterSaleChange('cash', 'r-1', 'r-1')).toBe('cash');
    expect(dialogAfterSaleChange('points', undefined, undefined)).toBe('points');
  });

  it('leaves other dialogs alone', () => {
    expect(dialogAfterSaleChange('resume', 'r-1', 'r-2')).toBe('resume');
    expect(dialogAfterSaleChange('customer', undefined, 'r-1')).toBe('customer');
    expect(dialogAfterSaleChange(undefined, 'r-1', 'r-2')).toBeUndefined();
  });

  it('forgets the ended tender dialog, but not one a key opened after it ended (F9 before the effect ran)', () => {
    expect(withoutEndedTenderDialog({ kind: 'cash', receiptId: 'r-1' }, 'r-2')).toBeUndefined();
    const resume = { kind: 'resume', receiptId: 'r-2' } as const;
    expect(withoutEndedTenderDialog(resume, 'r-2')).toBe(resume);
    const part = { kind: 'card', receiptId: 'r-2' } as const;
    expect(withoutEndedTenderDialog(part, 'r-2')).toBe(part);
    expect(withoutEndedTenderDialog(undefined, 'r-2')).toBeUndefined();
  });
});
