/**
 * The worked examples of docs/discounts.md, one test each (section numbers refer to that document).
 */
import { describe, expect, it } from 'vitest';
import { claimBody, explainText } from '../../../../main/core/discounts';
import { MONDAY_NOON, linesOf, outcome, receipt, rule, run } from './helpers';

describe('reward types (§5)', () => {
  it('5.1 discount_amount on items: per unit, capped by discount_reward_usage', () => {
    const chair = rule('chair', { requirement: { item: { items: [{ id: 'chair' }] } }, reward: { type: 'discount_amount', value: 10000 }, limitation: { discount_reward_usage: 1 } });
    const res = run(receipt([{ id: 'chair', gross: 120000, qty: 2 }]), [chair]);
    expect(linesOf(res)).toEqual({ 1: 10000 });
    const unlimited = rule('chair2', { requirement: { item: { items: [{ id: 'chair' }] } }, reward: { type: 'discount_amount', value: 10000 } });
    expect(linesOf(run(receipt([{ id: 'chair', gross: 120000, qty: 2 }]), [unlimited]))).toEqual({ 1: 20000 });
  });

  it('5.1 discount_amount on the receipt: split pro rata, remainder to the largest lines', () => {
    const off = rule('off', { reward: { type: 'discount_amount', value: 1000 } });
    expect(linesOf(run(receipt([{ id: 'a', gross: 2000 }, { id: 'b', gross: 1000 }, { id: 'c', gross: 1000 }]), [off]))).toEqual({ 1: 500, 2: 250, 3: 250 });
    const odd = rule('odd', { reward: { type: 'discount_amount', value: 100 } });
    expect(linesOf(run(receipt([{ id: 'a', gross: 1000 }, { id: 'b', gross: 1000 }, { id: 'c', gross: 1000 }]), [odd]))).toEqual({ 1: 34, 2: 33, 3: 33 });
    const big = rule('big', { reward: { type: 'discount_amount', value: 999999 } });
    expect(run(receipt([{ id: 'a', gross: 1000 }]), [big]).total_discount).toBe(1000);
  });

  it('5.2 discount_percent: half up per line', () => {
    const tenth = rule('tenth', { reward: { type: 'discount_percent', value: 10 } });
    const res = run(receipt([{ id: 'a', gross: 1999 }, { id: 'b', gross: 1005 }, { id: 'c', gross: 1004 }]), [tenth]);
    expect(linesOf(res)).toEqual({ 1: 200, 2: 101, 3: 100 });
    expect(res.receipt.items?.[0]?.discount_lines?.[0]).toMatchObject({ amount: 200, percentage: 10, discount_id: 'tenth', discount_type: 'loyalty', line_id: 1 });
  });

  it('5.3 discount_item_new_price: each unit down to the new price, never up', () => {
    const fixed = rule('fixed', { requirement: { item: { items: [{ id: 'wine' }, { id: 'cheap' }] } }, reward: { type: 'discount_item_new_price', value: 1990 } });
    expect(linesOf(run(receipt([{ id: 'wine', gross: 5980, qty: 2 }, { id: 'cheap', gross: 1500 }]), [fixed]))).toEqual({ 1: 2000 });
  });

  it('5.4 discount_item_quantity: buy 3 pay for 2, the cheapest of each set is free', () => {
    const b3 = rule('b3', { requirement: { item: { quantity: 3, items: [{ group_id: 'B1' }] } }, reward: { type: 'discount_item_quantity', value: 1 } });
    const basket = receipt([
      { id: 'soap', gross: 5000, qty: 2, groups: ['B1'] },
      { id: 'shampoo', gross: 4000, groups: ['B1'] },
    ]);
    expect(linesOf(run(basket, [b3]))).toEqual({ 1: 2500 });
    const six = receipt([{ id: 'x', gross: 6000, qty: 6, groups: ['B1'] }, { id: 'y', gross: 900, groups: ['B1'] }]);
    // 7 units: sets {1000,1000,1000} {1000,1000,1000}; the 900 unit is left over.
    expect(linesOf(run(six, [b3]))).toEqual({ 1: 2000 });
    const short = run(receipt([{ id: 'soap', gross: 5000, qty: 2, groups: ['B1'] }]), [b3]);
    expect(outcome(short, 'b3')).toMatchObject({ applied: false, reason: 'items_missing', message: 'needs 3 items of group B1, basket has 2' });
  });

  it('5.5 discount_item_percent: a stamp card gives the cheapest coffee free once 5 stamps are collected', () => {
    const card = rule('card', { requirement: { stamp: 5, item: { items: [{ group_id: 'coffee' }] } }, reward: { type: 'discount_item_percent', value: 100 }, customers: ['c-1'] });
    const basket = receipt([{ id: 'latte', gross: 4500, groups: ['coffee'] }, { id: 'espresso', gross: 3500, groups: ['coffee'] }]);
    const full = run(basket, [card], { refs: [{ discount_id: 'card', stamp: 5 }] });
    expect(linesOf(full)).toEqual({ 2: 3500 });
    expect(full.discounts[0]?.refs[0]).toMatchObject({ id: 'card:c-1', amount: 3500, usage: 1, stamp: 0, statistics: { stamp: 0, usage: 1 } });
    const collecting = run(basket, [card], { refs: [{ discount_id: 'card', stamp: 3 }] });
    expect(collecting.total_discount).toBe(0);
    expect(outcome(collecting, 'card')).toMatchObject({ reason: 'stamps_missing', message: 'stamp card: 3 of 5 stamps; this purchase adds 1' });
    expect(collecting.discounts[0]?.refs[0]).toMatchObject({ id: 'card:c-1', amount: 0, usage: 0, stamp: 1 });
    expect(collecting.receipt.is_changed).toBeUndefined();
    expect(claimBody(collecting, 'sale-1')).toBeUndefined();
  });

  it('5.6 discount_mix_new_price: burger and drink for 99.00, the saving split pro rata', () => {
    const meal = rule('meal', {
      requirement: { item: { mixes: [{ quantity: 1, reward_eligible: true, items: [{ group_id: 'burgers' }] }, { quantity: 1, reward_eligible: true, items: [{ group_id: 'drinks' }] }] } },
      reward: { type: 'discount_mix_new_price', value: 9900 },
    });
    const basket = receipt([{ id: 'burger', gross: 8900, groups: ['burgers'] }, { id: 'cola', gross: 3500, groups: ['drinks'] }, { id: 'fries', gross: 3000 }]);
    expect(linesOf(run(basket, [meal]))).toEqual({ 1: 1795, 2: 705 });
    const noDrink = run(receipt([{ id: 'burger', gross: 8900, groups: ['burgers'] }]), [meal]);
    expect(outcome(noDrink, 'meal').reason).toBe('mix_missing');
  });

  it('5.7 discount_debit: spends what is left of the balance and reports the rest', () => {
    const gift = rule('gift', { reward: { type: 'discount_debit', value: 20000 }, customers: ['c-1'] });
    const res = run(receipt([{ id: 'a', gross: 8000 }]), [gift], { refs: [{ discount_id: 'gift', debit_balance: 5000 }] });
    expect(res.total_discount).toBe(5000);
    expect(res.discounts[0]?.refs[0]?.statistics).toMatchObject({ debit_balance: 0 });
    const fresh = run(receipt([{ id: 'a', gross: 8000 }]), [gift]);
    expect(fresh.total_discount).toBe(8000);
    expect(fresh.discounts[0]?.refs[0]?.statistics).toMatchObject({ debit_balance: 12000 });
    const empty = run(receipt([{ id: 'a', gross: 8000 }]), [gift], { refs: [{ discount_id: 'gift', debit_balance: 0 }] });
    expect(outcome(empty, 'gift').reason).toBe('debit_used_up');
  });

  it('5.8 values override the value per item or group', () => {
    const r = rule('v', { requirement: { item: { items: [{ group_id: 'B1' }, { group_id: 'B2' }] } }, reward: { type: 'discount_percent', value: 10, values: [{ items: [{ group_id: 'B2' }], value: 20 }] } });
    const res = run(receipt([{ id: 'a', gross: 1000, groups: ['B1'] }, { id: 'b', gross: 1000, groups: ['B2'] }]), [r]);
    expect(linesOf(res)).toEqual({ 1: 100, 2: 200 });
    expect(res.receipt.items?.[1]?.discount_lines?.[0]?.percentage).toBe(20);
  });

  it('5.9 base net or gross: 10% of a 100.00 line with 20.00 already off', () => {
    const basket = receipt([{ id: 'a', gross: 10000, discount: 2000 }]);
    expect(run(basket, [rule('g', { reward: { type: 'discount_percent', value: 10 } })]).total_discount).toBe(1000);
    expect(run(basket, [rule('n', { reward: { type: 'discount_percent', value: 10, base: 'net' } })]).total_discount).toBe(800);
  });

  it('5.10 effect bonus earns the amount for the customer instead of lowering the price', () => {
    const bonus = rule('bonus', { reward: { type: 'discount_percent', value: 5, effect: 'bonus' }, customers: ['c-1'] });
    const res = run(receipt([{ id: 'a', gross: 20000 }]), [bonus]);
    expect(res.total_discount).toBe(0);
    expect(res.total_bonus).toBe(1000);
    expect(res.receipt.items?.[0]?.bonus_lines?.[0]).toMatchObject({ bonus: 1000, percentage: 5, discount_id: 'bonus' });
    expect(res.receipt.items?.[0]?.discount_lines).toBeUndefined();
    expect(res.discounts[0]?.refs[0]).toMatchObject({ amount: 0, bonus: 1000, usage: 1 });
    expect(claimBody(res, 's1')?.discounts[0]?.refs[0]).toEqual({ id: 'bonus:c-1', amount: 1000, usage: 1 });
  });
});

describe('requirements (§4)', () => {
  const tenth = (extra: Record<string, unknown>, id = 'r'): ReturnType<typeof rule> => rule(id, { requirement: extra, reward: { type: 'discount_percent', value: 10 } });
  const basket = receipt([{ id: 'a', gross: 10000 }]);

  it('purchase_from and purchase_to use the purchase time, or --at', () => {
    const r = rule('r', { requirement: { purchase_from: '2025-06-01T00:00:00Z', purchase_to: '2025-06-30T00:00:00Z' }, reward: { type: 'discount_percent', value: 10 } });
    expect(run(basket, [r]).total_discount).toBe(1000);
    expect(outcome(run(basket, [r], undefined, '2025-07-01T00:00:00Z'), 'r')).toMatchObject({ reason: 'ended', message: 'ended 2025-06-30 00:00 UTC' });
    expect(outcome(run(basket, [r], undefined, '2025-05-01T00:00:00Z'), 'r').reason).toBe('not_started');
  });

  it('grants: a customer id, * for identified purchases, / for anonymous ones', () => {
    const own = rule('own', { reward: { type: 'discount_percent', value: 10 }, customers: ['c-1'] });
    const any = rule('any', { reward: { type: 'discount_percent', value: 10 }, customers: ['*'] });
    const anon = rule('anon', { reward: { type: 'discount_percent', value: 10 }, customers: ['/'] });
    const ungranted = rule('none', { reward: { type: 'discount_percent', value: 10 }, customers: [] });
    const known = run(basket, [own, any, anon, ungranted]);
    expect(known.outcomes.map((o) => [o.discount_id, o.applied])).toEqual([['anon', false], ['any', true], ['none', false], ['own', true]]);
    expect(known.discounts.map((d) => d.refs[0]?.id)).toEqual(['any:*', 'own:c-1']);
    const anonymous = run(receipt([{ id: 'a', gross: 10000 }], { customer_id: undefined }), [own, any, anon]);
    expect(anonymous.outcomes.filter((o) => o.applied).map((o) => o.discount_id)).toEqual(['anon']);
    expect(anonymous.discounts[0]?.refs[0]?.id).toBe('anon:/');
    expect(claimBody(anonymous, 'sale-2')).toBeUndefined();
  });

  it('customer filters: every listed attribute must match the receipt customer', () => {
    const vip = tenth({ customer: { status: ['vip'], marketing_consent: { email: { consent: ['true'] } } } });
    expect(run(receipt([{ id: 'a', gross: 10000 }], { customer: { status: 'vip', marketing_consent: { email: { consent: true } } } }), [vip]).total_discount).toBe(1000);
    expect(outcome(run(receipt([{ id: 'a', gross: 10000 }], { customer: { status: 'basic' } }), [vip]), 'r').reason).toBe('customer_mismatch');
  });

  it('store and currency filters, including anything-but', () => {
    expect(outcome(run(basket, [tenth({ store: { id: ['bergen-1'] } })]), 'r')).toMatchObject({ reason: 'store_mismatch', message: 'only in stores bergen-1' });
    expect(run(basket, [tenth({ store_ids: ['oslo-1'] })]).total_discount).toBe(1000);
    expect(outcome(run(basket, [tenth({ currencies: [{ 'anything-but': ['NOK'] }] })]), 'r').reason).toBe('currency_mismatch');
    expect(run(basket, [tenth({ currencies: ['NOK', 'SEK'] })]).total_discount).toBe(1000);
  });

  it('discount_code: in receipt.discount_code or as an item id', () => {
    const code = tenth({ discount_code: 'TACO' });
    expect(outcome(run(basket, [code]), 'r')).toMatchObject({ reason: 'code_missing', message: 'needs the code TACO' });
    expect(run(receipt([{ id: 'a', gross: 10000 }], { discount_code: ['TACO'] }), [code]).total_discount).toBe(1000);
    expect(run(receipt([{ id: 'a', gross: 10000 }, { id: 'TACO', gross: 0 }]), [code]).total_discount).toBe(1000);
  });

  it('gross_amount and net_amount minimums', () => {
    expect(outcome(run(basket, [tenth({ gross_amount: 20000 })]), 'r')).toMatchObject({ reason: 'gross_below_minimum', message: 'needs a purchase of at least 200.00 NOK, receipt is 100.00 NOK' });
    const discounted = receipt([{ id: 'a', gross: 10000, discount: 3000 }]);
    expect(outcome(run(discounted, [tenth({ net_amount: 8000 })]), 'r').reason).toBe('net_below_minimum');
    expect(run(discounted, [tenth({ gross_amount: 10000 })]).total_discount).toBe(1000);
  });

  it('only eligible lines with a positive gross count', () => {
    const res = run(receipt([{ id: 'a', gross: 10000, eligible: false }, { id: 'b', gross: 5000 }]), [tenth({})]);
    expect(linesOf(res)).toEqual({ 2: 500 });
  });
});

describe('limitations (§6)', () => {
  it('discount_combination 0: the option with the larger total wins, and the loser says why', () => {
    const solo = rule('solo', { name: 'Summer sale', reward: { type: 'discount_percent', value: 10 }, limitation: { discount_combination: 0 } });
    const a = rule('a', { requirement: { item: { items: [{ id: 'x' }] } }, reward: { type: 'discount_amount', value: 500 } });
    const b = rule('b', { reward: { type: 'discount_percent', value: 5 } });
    const small = run(receipt([{ id: 'x', gross: 10000 }]), [solo, a, b]);
    // a + b: 500 + 5 % of the receipt's gross 10000 = 1000 (gross is before discounts, Dintero `Reward.base`),
    // Summer sale alone: 1000. A tie keeps the combinable set (§3).
    expect(outcome(small, 'a').applied).toBe(true);
    expect(outcome(small, 'b')).toMatchObject({ applied: true, amount: 500 });
    expect(outcome(small, 'solo').reason).toBe('not_combinable');
    const less = run(receipt([{ id: 'x', gross: 10000 }]), [solo, rule('a3', { requirement: { item: { items: [{ id: 'x' }] } }, reward: { type: 'discount_amount', value: 400 } }), b]);
    // a3 + b: 400 + 500 = 900 against 1000 alone.
    expect(outcome(less, 'solo').applied).toBe(true);
    expect(outcome(less, 'a3')).toMatchObject({ reason: 'not_combinable', message: 'not combinable with Summer sale' });
    const big = run(receipt([{ id: 'x', gross: 10000, qty: 2 }]), [rule('a2', { requirement: { item: { items: [{ id: 'x' }] } }, reward: { type: 'discount_amount', value: 2000 } }), solo]);
    expect(outcome(big, 'a2').applied).toBe(true);
    expect(outcome(big, 'solo').reason).toBe('not_combinable');
  });

  it('discount_eligible item_eligible_for_discount_no_discount skips lines that already have a discount', () => {
    const r = rule('r', { reward: { type: 'discount_percent', value: 10 }, limitation: { discount_eligible: 'item_eligible_for_discount_no_discount' } });
    expect(linesOf(run(receipt([{ id: 'a', gross: 1000, discount: 100 }, { id: 'b', gross: 1000 }]), [r]), 'r')).toEqual({ 2: 100 });
  });

  it('discount_eligible receipt_no_discount needs a receipt without any discount', () => {
    const r = rule('r', { reward: { type: 'discount_percent', value: 10 }, limitation: { discount_eligible: 'receipt_no_discount' } });
    expect(outcome(run(receipt([{ id: 'a', gross: 1000, discount: 100 }, { id: 'b', gross: 1000 }]), [r]), 'r').reason).toBe('receipt_has_discount');
    const item = rule('i', { requirement: { item: { items: [{ id: 'a' }] } }, reward: { type: 'discount_amount', value: 100 } });
    expect(outcome(run(receipt([{ id: 'a', gross: 1000 }]), [r, item]), 'r').reason).toBe('receipt_has_discount');
  });

  it('discount_repeat_usage counts purchases per ref', () => {
    const r = rule('r', { reward: { type: 'discount_percent', value: 10 }, limitation: { discount_repeat_usage: 2 }, customers: ['c-1'] });
    const basket = receipt([{ id: 'a', gross: 1000 }]);
    expect(run(basket, [r], { refs: [{ discount_id: 'r', usage: 1 }] }).total_discount).toBe(100);
    expect(outcome(run(basket, [r], { refs: [{ discount_id: 'r', usage: 2 }] }), 'r')).toMatchObject({ reason: 'used_up', message: 'already used in 2 purchases, the limit is 2' });
  });

  it('stamp_expire_days: stamps older than the limit no longer count', () => {
    const card = rule('card', { requirement: { stamp: 2 }, reward: { type: 'discount_amount', value: 500 }, limitation: { stamp_expire_days: 30 }, customers: ['c-1'] });
    const basket = receipt([{ id: 'a', gross: 1000 }]);
    expect(run(basket, [card], { refs: [{ discount_id: 'card', stamp: 2, first_stamp_at: '2025-05-10T00:00:00Z' }] }).total_discount).toBe(500);
    const old = run(basket, [card], { refs: [{ discount_id: 'card', stamp: 2, first_stamp_at: '2025-04-01T00:00:00Z' }] });
    expect(outcome(old, 'card').message).toBe('stamp card: 0 of 2 stamps (earlier stamps expired); this purchase adds 1');
  });

  it('blacklist items are never discounted', () => {
    const r = rule('r', { reward: { type: 'discount_percent', value: 10 }, limitation: { blacklist: [{ group_id: 'tobacco' }] } });
    expect(linesOf(run(receipt([{ id: 'snus', gross: 1000, groups: ['tobacco'] }, { id: 'b', gross: 1000 }]), [r]))).toEqual({ 2: 100 });
  });

  it('discount_hours in the rule time zone, daylight saving included', () => {
    const r = rule('r', {
      reward: { type: 'discount_percent', value: 10 },
      limitation: { discount_hours: { timezone: 'Europe/Oslo', hours: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day, start: '10:00', end: '20:00' })) } },
    });
    const basket = receipt([{ id: 'a', gross: 1000 }]);
    expect(run(basket, [r], undefined, '2025-06-02T08:30:00Z').total_discount).toBe(100); // 10:30 in Oslo (UTC+2)
    expect(outcome(run(basket, [r], undefined, '2025-06-02T07:30:00Z'), 'r')).toMatchObject({ reason: 'outside_hours', message: 'valid Mon-Fri 10:00-20:00 Europe/Oslo' });
    expect(run(basket, [r], undefined, '2025-01-06T09:30:00Z').total_discount).toBe(100); // 10:30 in Oslo (UTC+1)
    expect(run(basket, [r], undefined, '2025-06-07T10:00:00Z').total_discount).toBe(0); // Saturday
  });

  it('discount_activation deactivate_if_discount_active', () => {
    const member = rule('member', { name: 'Member price', requirement: { item: { items: [{ id: 'a' }] } }, reward: { type: 'discount_amount', value: 100 } });
    const r = rule('r', { reward: { type: 'discount_percent', value: 10 }, limitation: { discount_activation: [{ type: 'deactivate_if_discount_active', value: 'member' }] } });
    const res = run(receipt([{ id: 'a', gross: 1000 }]), [member, r]);
    expect(outcome(res, 'r')).toMatchObject({ reason: 'deactivated', message: 'turned off because Member price applies' });
    expect(run(receipt([{ id: 'b', gross: 1000 }]), [member, r]).total_discount).toBe(100);
  });

  it('dynamic_purchase_to_days counts from when the customer got the discount', () => {
    const r = rule('r', { reward: { type: 'discount_percent', value: 10 }, limitation: { dynamic_purchase_to_days: 7 }, customers: [{ customer_id: 'c-1', received_at: '2025-05-20T10:00:00Z' }] });
    expect(outcome(run(receipt([{ id: 'a', gross: 1000 }]), [r]), 'r').reason).toBe('expired_for_customer');
    expect(run(receipt([{ id: 'a', gross: 1000 }]), [r], undefined, '2025-05-25T10:00:00Z').total_discount).toBe(100);
  });

  it('ANY_ITEM rules do not combine with other item rules on the same item', () => {
    const anyItem = rule('any', { requirement: { item: { items: [{ id: 'ANY_ITEM' }] } }, reward: { type: 'discount_percent', value: 10 } });
    const specific = rule('spec', { requirement: { item: { items: [{ id: 'a' }] } }, reward: { type: 'discount_percent', value: 30 } });
    const res = run(receipt([{ id: 'a', gross: 1000 }, { id: 'b', gross: 1000 }]), [anyItem, specific]);
    expect(linesOf(res, 'spec')).toEqual({ 1: 300 });
    expect(linesOf(res, 'any')).toEqual({ 2: 100 });
  });

  it('item rules come before receipt rules; a gross-based receipt rule still counts on the gross', () => {
    const item = rule('item', { requirement: { item: { items: [{ id: 'a' }] } }, reward: { type: 'discount_amount', value: 5000 } });
    const total = rule('total', { reward: { type: 'discount_percent', value: 10 } });
    const res = run(receipt([{ id: 'a', gross: 10000 }]), [total, item]);
    // Gross is "total expense amount" before discounts (Dintero `Reward.base`): 10 % of 10000, not of 5000.
    expect(linesOf(res, 'total')).toEqual({ 1: 1000 });
    expect(res.receipt.items?.[0]?.net_amount).toBe(4000);
    expect(res.receipt).toMatchObject({ is_changed: true, net_amount: 4000, total_discount: 6000 });
    // base net: what the item rule left.
    const net = rule('net', { reward: { type: 'discount_percent', value: 10, base: 'net' } });
    expect(linesOf(run(receipt([{ id: 'a', gross: 10000 }]), [net, item]), 'net')).toEqual({ 1: 500 });
  });
});

describe('output', () => {
  it('claims and the explanation table', () => {
    const r = rule('r', { name: 'Spar 10%', reward: { type: 'discount_percent', value: 10 }, customers: ['c-1'] });
    const res = run(receipt([{ id: 'a', gross: 1000 }]), [r]);
    expect(claimBody(res, 'till1-42')).toEqual({ ref: 'till1-42', type: 'pos', purchase_at: MONDAY_NOON, customer_id: 'c-1', discounts: [{ id: 'r', refs: [{ id: 'r:c-1', amount: 100, usage: 1 }] }] });
    const text = explainText(res);
    expect(text).toContain('Spar 10%');
    expect(text).toContain('1.00 NOK off on line 1');
    expect(text).toContain('total discount 1.00 NOK');
  });
});
