/**
 * Found by the soak (docs/reliability.md): the till priced a customer's basket without the customer's usage of
 * each discount, so a rule with `discount_repeat_usage` was granted again after the customer used it up at this
 * very till. The back end then refused the claim (400 REPEAT_USAGE_EXCEEDED), the sale's envelope needed a
 * manager, and every later sale of that customer waited behind it. Pricing now counts the uses the till's
 * ledger holds for the customer (main/store/discount-usage.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SaleViewSchema, TenderOutputSchema } from '../../../main/api/contract';
import { voidSale } from '../../../main/store/ledger';
import { MILK, seedTill, startTestAgent, type TestAgent } from './fixtures';

let till: TestAgent | undefined;
afterEach(async () => {
  await till?.close();
  till = undefined;
});

const ONCE_PER_CUSTOMER = {
  id: 'milk-5kr-once',
  name: 'Milk 5,- off, once per customer',
  receipt_text: 'Milk 5,- off (once)',
  active: true,
  requirement: { purchase_from: '2020-01-01T00:00:00Z', purchase_to: '2040-01-01T00:00:00Z', item: { items: [{ id: 'milk' }] } },
  reward: { type: 'discount_amount', value: 500 },
  limitation: { discount_repeat_usage: 1 },
  customers: ['*'],
};

/** The discount the customer got, and the sale's receipt id. */
async function sellMilkTo(t: TestAgent, customerId: string): Promise<{ discount: number; receiptId: string }> {
  await t.call('sale/items', { itemId: MILK.id });
  const view = SaleViewSchema.parse((await t.call('sale/customer', { customerId })).body);
  const paid = TenderOutputSchema.parse((await t.call('sale/tender', { kind: 'cash' })).body);
  expect(paid.committed).toBe(true);
  return { discount: view.totals.discount, receiptId: paid.receipt?.receiptId ?? '' };
}

describe('a discount with a repeat-usage limit', () => {
  it('is not granted again to a customer who used it up at this till', async () => {
    till = await startTestAgent({ seed: false });
    seedTill(till.agent.db, [ONCE_PER_CUSTOMER]);
    const first = await sellMilkTo(till, 'cust-7');
    expect(first.discount).toBe(500);
    // The first sale's claim used the customer's one allowed use; the second sale must be at list price.
    expect((await sellMilkTo(till, 'cust-7')).discount).toBe(0);
    // Another customer is not affected.
    expect((await sellMilkTo(till, 'cust-8')).discount).toBe(500);
    // Voiding the first sale releases its claim (done here as `till-agent sale void` would, on the same file).
    voidSale(till.agent.db, { till: { branchId: 'oslo-1', posId: 'pos-3', currency: 'NOK' }, receiptId: first.receiptId }, new Date());
    expect((await sellMilkTo(till, 'cust-7')).discount).toBe(500);
  });
});
