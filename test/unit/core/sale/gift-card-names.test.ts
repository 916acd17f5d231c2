import { describe, expect, it } from 'vitest';
import { minor } from '../../../../main/core/money';
import type { CatalogItem } from '../../../../main/core/catalog';
import { addToBasket, basketReceipt, buildSaleEntry, buildVoidEntry, EMPTY_BASKET, planEnvelope, receiptId, type EntryHeader, type SaleReceipt } from '../../../../main/core/sale';
import { planTenderRefund } from '../../../../main/core/sale/tender-refunds';

/**
 * Which name of a gift card each planned call carries (issue 14): a card code serves one transaction, so only a
 * drawdown's first try may use it; a fund and a replay name the card by the `card_id` read at tender time.
 */

const header = (saleNo: number): EntryHeader => ({ receiptId: receiptId('b', 'p', saleNo), saleNo, branchId: 'b', posId: 'p', operatorId: 'op', currency: 'NOK', purchaseAt: '2026-03-02T10:00:00.000Z', ruleSetVersion: 'v' });
const receipt = (): SaleReceipt => {
  const milk: CatalogItem = { id: 'milk', codes: ['1'], name: 'Milk', groups: [], unitPrice: minor(2190), vatRateBp: 1500, unit: 'piece', eligibleForDiscount: true };
  return basketReceipt(addToBasket(EMPTY_BASKET, { item: milk }), { receiptId: 'draft', purchaseAt: 'x', storeId: 'b', currency: 'NOK' });
};

const tender = { kind: 'gift_card' as const, amount: minor(3000), cardToken: 'GC-CODE-77', cardId: 'card-77' };

describe('gift-card names in planned effects', () => {
  it('an offline tender draws by its code (and its id, for retries); its void funds by the id', () => {
    const s = buildSaleEntry(header(1), { receipt: receipt(), tenders: [{ ...tender, amount: minor(2190), offline: true }], amountsAtRisk: [2190] });
    const draw = planEnvelope(s).effects.find((e) => e.kind === 'wallet_transaction');
    expect(draw?.payload).toMatchObject({ token: 'GC-CODE-77', card_id: 'card-77', type: 'drawdown' });
    const fund = planEnvelope(buildVoidEntry(header(2), s), s).effects.find((e) => e.kind === 'wallet_transaction');
    expect(fund?.payload).toMatchObject({ card_id: 'card-77', type: 'fund' });
  });

  it('a removed tender is funded by card id; a lost one is replayed by card id under its own key, then funded', () => {
    const removed = planTenderRefund(tender, 'k1', 'removed', 'NOK');
    expect(removed.effects.map((e) => e.payload)).toEqual([{ amount: 3000, currency: 'NOK', card_id: 'card-77', type: 'fund', reverses: 'k1' }]);
    const lost = planTenderRefund(tender, 'k2', 'uncertain', 'NOK');
    expect(lost.effects.map((e) => [e.idempotencyKey, e.payload])).toEqual([
      ['k2', { amount: 3000, currency: 'NOK', card_id: 'card-77', type: 'drawdown', replay: true }],
      ['k2:refund', { amount: 3000, currency: 'NOK', card_id: 'card-77', type: 'fund', reverses: 'k2' }],
    ]);
    // Without an id (never for a tender settled online), the code is all there is.
    const { cardId: _id, ...noId } = tender;
    expect(planTenderRefund(noId, 'k3', 'removed', 'NOK').effects[0]?.payload).toMatchObject({ token: 'GC-CODE-77' });
  });
});
