import { describe, expect, it } from 'vitest';
import { CustomerStateSchema, parseRules, ReceiptSchema, ruleKind } from '../../../../main/core/discounts';
import { FROM, TO } from './helpers';

const ok = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  requirement: { purchase_from: FROM, purchase_to: TO },
  reward: { type: 'discount_percent', value: 10 },
  ...extra,
});

describe('parseRules', () => {
  it('rejects a bad rule alone, with its id and the path of the bad field', () => {
    const res = parseRules([
      ok('good'),
      ok('bad-type', { reward: { type: 'discount_free_lunch', value: 1 } }),
      ok('bad-hours', { limitation: { discount_hours: { timezone: 'Mars/Olympus', hours: [] } } }),
      ok('bad-item', { requirement: { purchase_from: FROM, purchase_to: TO, item: { items: [{ id: 'x' }, {}] } } }),
      ok('bad-percent', { reward: { type: 'discount_percent', value: 150 } }),
      'not a rule',
    ]);
    expect(res.rules.map((r) => r.id)).toEqual(['good']);
    expect(res.rejected.map((r) => [r.id, r.path])).toEqual([
      ['bad-type', 'reward.type'],
      ['bad-hours', 'limitation.discount_hours.timezone'],
      ['bad-item', 'requirement.item.items[1]'],
      ['bad-percent', 'reward.value'],
      ['#5', ''],
    ]);
  });

  it('keeps unknown fields so a newer server does not break an older till', () => {
    const res = parseRules([ok('new', { shiny_new_field: { a: 1 }, reward: { type: 'discount_amount', value: 100, cap: 5 } })]);
    expect(res.rules[0]).toMatchObject({ shiny_new_field: { a: 1 }, reward: { cap: 5 } });
  });

  it('refuses every copy of a duplicated id, whatever the order', () => {
    const res = parseRules([ok('twin'), ok('solo'), ok('twin', { name: 'other' })]);
    expect(res.rules.map((r) => r.id)).toEqual(['solo']);
    expect(res.rejected).toEqual([
      { id: 'twin', path: 'id', message: 'the id appears 2 times in the rule set' },
      { id: 'twin', path: 'id', message: 'the id appears 2 times in the rule set' },
    ]);
  });

  it('derives item or receipt from requirement.item.items', () => {
    const kinds = parseRules([
      ok('none'),
      ok('wild', { requirement: { purchase_from: FROM, purchase_to: TO, item: { items: [{ id: '*' }] } } }),
      ok('any', { type: 'receipt', requirement: { purchase_from: FROM, purchase_to: TO, item: { items: [{ id: 'ANY_ITEM' }] } } }),
      ok('group', { requirement: { purchase_from: FROM, purchase_to: TO, item: { items: [{ group_id: 'B1' }] } } }),
    ]).rules.map((r) => [r.id, ruleKind(r)]);
    expect(kinds).toEqual([['none', 'receipt'], ['wild', 'receipt'], ['any', 'item'], ['group', 'item']]);
  });

  it('checks receipts and customer state', () => {
    const twice = ReceiptSchema.safeParse({ receipt_id: '1', purchase_at: FROM, store: { id: 's' }, items: [{ line_id: 1, gross_amount: 1 }, { line_id: 1, gross_amount: 2 }] });
    expect(twice.success).toBe(false);
    expect(CustomerStateSchema.safeParse({ refs: [{ discount_id: 'r', stamp: -1 }] }).success).toBe(false);
  });
});
