/* eslint-disable @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument -- simulator answers are JSON; the assertions are the type check */
import { describe, expect, it } from 'vitest';
import { dintero, manualClock, refOf, sandbox } from './clients';

const receipt = (over: Record<string, unknown> = {}) => ({
  receipt_id: 'till-1-0001',
  purchase_at: '2026-11-23T10:00:00Z',
  store: { id: 'demo-store-1' },
  currency: 'NOK',
  items: [
    { line_id: 1, id: 'dairy-milk-1l', groups: [{ id: 'dairy' }], quantity: 2, gross_amount: 4780, eligible_for_discount: true },
    { line_id: 2, id: 'soda-cola-15', groups: [{ id: 'soda' }], quantity: 3, gross_amount: 10470, eligible_for_discount: true },
  ],
  ...over,
});

describe('Dintero simulator: discount rules', () => {
  it('pages the rule list with limit and starting_after, in id order, and refuses a limit over 100', async () => {
    const s = await sandbox({ demo: true });
    const call = await dintero(s);
    const seen: string[] = [];
    let after = '';
    for (;;) {
      const page = await call('GET', `discounts/rules?limit=4${after ? `&starting_after=${after}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.map((r: { id: string }) => r.id));
      if (page.body.length < 4) break;
      after = page.body.at(-1).id;
    }
    // Without `state` only available rules are listed (the sandbox's reading; the till always sends state=all):
    // the demo has 21 rules, one of them inactive.
    expect(seen).toHaveLength(20);
    expect((await call('GET', 'discounts/rules?limit=100&state=all')).body).toHaveLength(21);
    expect([...seen].sort()).toEqual(seen);
    expect((await call('GET', 'discounts/rules?limit=101')).status).toBe(400);
  });

  it('gives an ETag that answers 304 until any rule or grant changes', async () => {
    const s = await sandbox({ demo: true });
    const call = await dintero(s);
    const admin = await dintero(s, true);
    const first = await call('GET', 'discounts/rules?limit=100');
    const etag = first.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    expect((await call('GET', 'discounts/rules?limit=100', undefined, { 'if-none-match': etag })).status).toBe(304);
    await admin('POST', 'discounts/rules/demo-coffee-20kr/customers', { customers: ['cust-0004'] });
    const after = await call('GET', 'discounts/rules?limit=100', undefined, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
  });

  it('lists only rules changed since since_datetime, deleted ones with state=all, and refuses what the API does not offer', async () => {
    const clock = manualClock('2026-11-01T08:00:00Z');
    const s = await sandbox({ demo: true, now: clock.now });
    const call = await dintero(s);
    const admin = await dintero(s, true);
    clock.advance(3_600_000);
    await admin('POST', 'discounts/rules/demo-bonus-account/customers', { customers: ['cust-0003'] });
    await admin('DELETE', 'discounts/rules/demo-coffee-20kr');
    const changed = await call('GET', 'discounts/rules?since_datetime=2026-11-01T08:30:00Z');
    expect(changed.body.map((r: { id: string }) => r.id)).toEqual(['demo-bonus-account']);
    const all = await call('GET', 'discounts/rules?since_datetime=2026-11-01T08:30:00Z&state=all');
    expect(all.body.map((r: { id: string; deleted_at?: string }) => [r.id, r.deleted_at !== undefined])).toEqual([
      ['demo-bonus-account', false],
      ['demo-coffee-20kr', true],
    ]);
    expect((await call('GET', 'discounts/rules?since_datetime=yesterday')).status).toBe(400);
    // S1 aid_discounts_get: include offers only statistics; since_datetime cannot be combined with starting_after.
    const include = await call('GET', 'discounts/rules?include=customers');
    expect(include.status).toBe(400);
    expect(include.body.error.message).toMatch(/include/);
    expect((await call('GET', 'discounts/rules?include=statistics')).status).toBe(200);
    const both = await call('GET', 'discounts/rules?since_datetime=2026-11-01T08:30:00Z&starting_after=demo-a');
    expect(both.status).toBe(400);
    expect(both.body.error.message).toMatch(/since_datetime cannot be combined with starting_after/);
    expect((await call('GET', 'discounts/rules?state=gone')).status).toBe(400);
  });

  it('hands a rule to customers: * and / once, one instance per offering_constraint_id, a new ref otherwise', async () => {
    const s = await sandbox({ demo: true });
    const admin = await dintero(s, true);
    const list = async () => (await admin('GET', 'discounts/rules/demo-coffee-20kr/customers')).body as { customer_id: string | null; id: string }[];
    const before = (await list()).length;
    await admin('POST', 'discounts/rules/demo-coffee-20kr/customers', { customers: ['*', '/'] });
    expect((await list()).length).toBe(before + 1); // '*' was already there; '/' is new
    await admin('POST', 'discounts/rules/demo-coffee-20kr/customers', { customers: ['cust-0007'], offering_constraint_id: 'stamp-2026' });
    await admin('POST', 'discounts/rules/demo-coffee-20kr/customers', { customers: ['cust-0007'], offering_constraint_id: 'stamp-2026' });
    expect((await list()).filter((g) => g.customer_id === 'cust-0007')).toHaveLength(1);
    await admin('POST', 'discounts/rules/demo-coffee-20kr/customers', { customers: ['cust-0007'] });
    const refs = (await list()).filter((g) => g.customer_id === 'cust-0007').map((g) => g.id);
    expect(new Set(refs).size).toBe(2);
    // Server-issued refs: UUIDs, nothing derived from the rule or customer; the `*` ref is listed with customer_id null.
    for (const g of await list()) expect(g.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await list()).some((g) => g.customer_id === null)).toBe(true);
    expect((await admin('POST', 'discounts/rules/no-such-rule/customers', { customers: ['x'] })).status).toBe(404);
    expect((await admin('POST', 'discounts/rules/demo-coffee-20kr/customers', { customers: [' padded'] })).status).toBe(400);
    expect((await admin('POST', 'discounts/rules/demo-coffee-20kr/customers', { customers: [] })).status).toBe(400);
  });

  it("lists a customer's rules with refs and statistics, leaving out inactive and used-up ones", async () => {
    const s = await sandbox({ demo: true });
    const call = await dintero(s);
    const rules = (await call('GET', 'discounts/customers/cust-0002/rules?limit=100')).body as { id: string; ref_id: string; statistics: Record<string, number> }[];
    const ids = rules.map((r) => r.id);
    expect(ids).toContain('demo-bonus-account');
    expect(ids).toContain('demo-welcome');
    expect(ids).not.toContain('demo-any-item-gold'); // given to cust-0001 only
    expect(ids).not.toContain('demo-expired-campaign'); // inactive
    const bonus = rules.find((r) => r.id === 'demo-bonus-account');
    expect(bonus?.statistics).toMatchObject({ usage: 0, debit_balance: 20000 });
    // Use the welcome offer (repeat usage 1) and it drops out of the listing.
    const welcome = rules.find((r) => r.id === 'demo-welcome');
    const claim = await call('POST', 'discounts/available_for_receipt/claims', {
      ref: 'till-1-0001',
      type: 'pos',
      purchase_at: '2026-11-23T10:00:00Z',
      customer_id: 'cust-0002',
      discounts: [{ id: 'demo-welcome', refs: [{ id: welcome?.ref_id, amount: 3000, usage: 1 }] }],
    });
    expect(claim.status).toBe(200);
    const after = (await call('GET', 'discounts/customers/cust-0002/rules?limit=100')).body as { id: string }[];
    expect(after.map((r) => r.id)).not.toContain('demo-welcome');
  });
});

describe('Dintero simulator: available_for_receipt', () => {
  it('calculates with the discount engine: member gets the group percent and the 3-for-2', async () => {
    const s = await sandbox({ demo: true });
    const call = await dintero(s);
    const res = await call('POST', 'discounts/available_for_receipt', receipt({ customer_id: 'cust-0003' }));
    expect(res.status).toBe(200);
    const ids = res.body.discounts.map((d: { id: string }) => d.id);
    expect(ids).toContain('demo-dairy-10pct');
    expect(ids).toContain('demo-soda-3for2');
    const soda = res.body.items.find((i: { line_id: number }) => i.line_id === 2);
    expect(soda.discount_lines.find((d: { discount_id: string }) => d.discount_id === 'demo-soda-3for2').amount).toBe(3490);
  });

  it('an anonymous receipt only gets rules given to "/"; a card token resolves to its customer', async () => {
    const s = await sandbox({ demo: true });
    const call = await dintero(s);
    const anon = await call('POST', 'discounts/available_for_receipt', receipt());
    const anonIds = anon.body.discounts.map((d: { id: string }) => d.id);
    expect(anonIds).toContain('demo-soda-3for2');
    expect(anonIds).not.toContain('demo-dairy-10pct');
    const byToken = await call('POST', 'discounts/available_for_receipt', receipt({ customer: { token: { type: 'card', value: '9990000003' } } }));
    expect(byToken.body.discounts.map((d: { id: string }) => d.id)).toContain('demo-dairy-10pct');
    const unknown = await call('POST', 'discounts/available_for_receipt', receipt({ customer: { token: { type: 'card', value: 'nobody' } } }));
    expect(unknown.body.discounts).toEqual([]);
  });

  it('refuses an invalid receipt with 400 and the path of the problem', async () => {
    const s = await sandbox({ demo: true });
    const call = await dintero(s);
    const res = await call('POST', 'discounts/available_for_receipt', { receipt_id: 'x', store: { id: 'demo-store-1' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/purchase_at/);
  });

  it('is free of side effects: asking twice claims nothing', async () => {
    const s = await sandbox({ demo: true });
    const call = await dintero(s);
    await call('POST', 'discounts/available_for_receipt', receipt({ customer_id: 'cust-0002' }));
    await call('POST', 'discounts/available_for_receipt', receipt({ customer_id: 'cust-0002' }));
    expect(s.inspect().claims).toEqual({ live: 0, released: 0 });
  });
});

describe('Dintero simulator: claims', () => {
  // The `*` ref of demo-coffee-20kr, read from the sandbox before each test's claims (refs are random UUIDs).
  let coffee = '';
  const claim = (over: Record<string, unknown> = {}) => ({
    ref: 'till-1-0001',
    type: 'pos',
    purchase_at: '2026-11-23T10:00:00Z',
    customer_id: 'cust-0003',
    discounts: [{ id: 'demo-coffee-20kr', refs: [{ id: coffee, amount: 2000, usage: 1 }] }],
    ...over,
  });
  const start = async () => {
    const s = await sandbox({ demo: true });
    const call = await dintero(s);
    coffee = await refOf(call, 'cust-0003', 'demo-coffee-20kr');
    return { s, call };
  };

  it('accepts a claim, echoes it with id and created_at, and answers a reused ref with 409', async () => {
    const { s, call } = await start();
    const first = await call('POST', 'discounts/available_for_receipt/claims', claim());
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ref: 'till-1-0001', customer_id: 'cust-0003', created_by: s.clientId });
    expect(first.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const again = await call('POST', 'discounts/available_for_receipt/claims', claim());
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');
    expect(s.inspect().claimsApplied).toEqual({ 'till-1-0001': 1 });
  });

  it('validates the body: customer_id, purchase_at and at least one discount with refs', async () => {
    const { s, call } = await start();
    for (const bad of [
      claim({ customer_id: undefined }),
      claim({ customer_id: ' cust-0003' }),
      claim({ purchase_at: 'today' }),
      claim({ discounts: [] }),
      claim({ discounts: [{ id: 'demo-coffee-20kr', refs: [] }] }),
      claim({ discounts: [{ id: 'demo-coffee-20kr', refs: [{ id: coffee, amount: 1.5, usage: 1 }] }] }),
    ]) {
      const res = await call('POST', 'discounts/available_for_receipt/claims', bad);
      expect(res.status).toBe(400);
    }
    const unknownRef = await call('POST', 'discounts/available_for_receipt/claims', claim({ discounts: [{ id: 'demo-coffee-20kr', refs: [{ id: 'stolen', amount: 1, usage: 1 }] }] }));
    expect(unknownRef.body.error.code).toBe('REF_NOT_FOUND');
    expect(s.inspect().claims.live).toBe(0);
  });

  it('enforces discount_reward_usage per claim and discount_repeat_usage across purchases', async () => {
    const { call } = await start();
    const twice = await call('POST', 'discounts/available_for_receipt/claims', claim({ discounts: [{ id: 'demo-coffee-20kr', refs: [{ id: coffee, amount: 4000, usage: 2 }] }] }));
    expect(twice.status).toBe(400);
    expect(twice.body.error.code).toBe('REWARD_USAGE_EXCEEDED');
    // demo-spend-500 may be used in 3 purchases.
    const spendRef = await refOf(call, 'cust-0003', 'demo-spend-500');
    const spend = (n: number) => claim({ ref: `spend-${n}`, discounts: [{ id: 'demo-spend-500', refs: [{ id: spendRef, amount: 5000, usage: 1 }] }] });
    for (const n of [1, 2, 3]) expect((await call('POST', 'discounts/available_for_receipt/claims', spend(n))).status).toBe(200);
    const fourth = await call('POST', 'discounts/available_for_receipt/claims', spend(4));
    expect(fourth.status).toBe(400);
    expect(fourth.body.error.code).toBe('REPEAT_USAGE_EXCEEDED');
  });

  it('releases a claim with DELETE (twice is harmless), which frees its usage and its ref', async () => {
    const { s, call } = await start();
    const welcomeRef = await refOf(call, 'cust-0003', 'demo-welcome');
    const welcome = (n: number) => claim({ ref: `welcome-${n}`, discounts: [{ id: 'demo-welcome', refs: [{ id: welcomeRef, amount: 3000, usage: 1 }] }] });
    const first = await call('POST', 'discounts/available_for_receipt/claims', welcome(1));
    expect(first.status).toBe(200);
    expect((await call('POST', 'discounts/available_for_receipt/claims', welcome(2))).body.error.code).toBe('REPEAT_USAGE_EXCEEDED');
    const released = await call('DELETE', `discounts/available_for_receipt/claims/${first.body.id}`);
    expect(released.status).toBe(200);
    expect(released.body.deleted_at).toBeDefined();
    expect((await call('DELETE', `discounts/available_for_receipt/claims/${first.body.id}`)).status).toBe(200);
    expect((await call('POST', 'discounts/available_for_receipt/claims', welcome(2))).status).toBe(200);
    // The released ref is free again (no 409); the usage is what welcome-2 now holds.
    expect((await call('POST', 'discounts/available_for_receipt/claims', welcome(1))).body.error.code).toBe('REPEAT_USAGE_EXCEEDED');
    expect((await call('DELETE', 'discounts/available_for_receipt/claims/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect(s.inspect().claims).toEqual({ live: 1, released: 1 });
  });

  it('finds claims by ref and by id, so a till can check whether an unanswered claim landed', async () => {
    const { call } = await start();
    const made = await call('POST', 'discounts/available_for_receipt/claims', claim());
    const byRef = await call('GET', 'discounts/available_for_receipt/claims?ref=till-1-0001');
    expect(byRef.body.map((c: { id: string }) => c.id)).toEqual([made.body.id]);
    expect((await call('GET', `discounts/available_for_receipt/claims/${made.body.id}`)).body.ref).toBe('till-1-0001');
    expect((await call('GET', 'discounts/available_for_receipt/claims?ref=other')).body).toEqual([]);
  });

  it('draws a discount_debit balance down by the claimed amount and refuses more than is left', async () => {
    const { call } = await start();
    const debitRef = await refOf(call, 'cust-0002', 'demo-bonus-account');
    const debit = (n: number, amount: number) =>
      claim({ ref: `debit-${n}`, customer_id: 'cust-0002', discounts: [{ id: 'demo-bonus-account', refs: [{ id: debitRef, amount, usage: 1 }] }] });
    expect((await call('POST', 'discounts/available_for_receipt/claims', debit(1, 15000))).status).toBe(200);
    const over = await call('POST', 'discounts/available_for_receipt/claims', debit(2, 6000));
    expect(over.body.error.code).toBe('DEBIT_BALANCE_EXCEEDED');
    const listed = (await call('GET', 'discounts/customers/cust-0002/rules?limit=100')).body.find((r: { id: string }) => r.id === 'demo-bonus-account');
    expect(listed.statistics.debit_balance).toBe(5000);
  });
});

describe('Dintero simulator: receipts', () => {
  it('takes an array and counts a receipt id seen before as a duplicate, not an error', async () => {
    const s = await sandbox({ demo: true });
    const call = await dintero(s);
    const first = await call('POST', 'receipts', [receipt(), receipt({ receipt_id: 'till-1-0002' })]);
    expect(first.status).toBe(200);
    expect(first.body.duplicates).toBe(0);
    expect(first.body.receipts.map((r: { receipt_id: string }) => r.receipt_id)).toEqual(['till-1-0001', 'till-1-0002']);
    const again = await call('POST', 'receipts', [receipt({ receipt_id: 'till-1-0002' }), receipt({ receipt_id: 'till-1-0003' })]);
    expect(again.body).toMatchObject({ duplicates: 1 });
    expect(again.body.receipts).toHaveLength(1);
    expect(s.inspect().receipts).toBe(3);
  });

  it('refuses a body that is not an array of receipts with receipt_id, purchase_at and store', async () => {
    const s = await sandbox({ demo: true });
    const call = await dintero(s);
    expect((await call('POST', 'receipts', receipt())).status).toBe(400);
    expect((await call('POST', 'receipts', [{ receipt_id: 'x', purchase_at: '2026-11-23T10:00:00Z' }])).status).toBe(400);
    expect((await call('POST', 'receipts', [])).status).toBe(400);
  });

  it("adds the stamps a receipt's refs carry to the customer's stamp card", async () => {
    const s = await sandbox({ demo: true });
    const call = await dintero(s);
    const stampRef = await refOf(call, 'cust-0004', 'demo-coffee-stamp');
    const stamped = (id: string) =>
      receipt({ receipt_id: id, customer_id: 'cust-0004', discounts: [{ id: 'demo-coffee-stamp', refs: [{ id: stampRef, stamp: 1, usage: 0, amount: 0 }] }] });
    await call('POST', 'receipts', [stamped('s1'), stamped('s2')]);
    await call('POST', 'receipts', [stamped('s2')]); // a duplicate adds nothing
    const card = (await call('GET', 'discounts/customers/cust-0004/rules?limit=100')).body.find((r: { id: string }) => r.id === 'demo-coffee-stamp');
    expect(card.statistics.current_stamp).toBe(2);
  });
});

describe('Dintero simulator: customers', () => {
  it('finds customers by phone number (with + sent as %2B), e-mail prefix and token', async () => {
    const s = await sandbox({ demo: true });
    const call = await dintero(s);
    const byPhone = await call('GET', 'customers/users?phone_number=%2B4799999903');
    expect(byPhone.body.map((c: { customer_id: string }) => c.customer_id)).toEqual(['cust-0003']);
    // An unencoded + arrives as a space, as with the real service.
    expect((await call('GET', 'customers/users?phone_number=+4799999903')).body).toEqual([]);
    expect((await call('GET', 'customers/users?email=kari.')).body.map((c: { customer_id: string }) => c.customer_id)).toEqual(['cust-0002']);
    const byToken = await call('GET', 'customers/users?token_type=card&token_value=9990000005');
    expect(byToken.body.map((c: { customer_id: string }) => c.customer_id)).toEqual(['cust-0005']);
    expect((await call('GET', 'customers/users?phone_number=%2B4799999903&email=kari')).body).toEqual([]);
  });

  it('resolves a scanned card token to its customer with tokens/events', async () => {
    const s = await sandbox({ demo: true });
    const call = await dintero(s);
    const known = await call('POST', 'customers/tokens/events', { token: { type: 'card', value: '9990000001' } });
    expect(known.status).toBe(200);
    expect(known.body.customer.customer_id).toBe('cust-0001');
    const unknown = await call('POST', 'customers/tokens/events', { token: { type: 'card', value: '123' } });
    expect(unknown.body).toMatchObject({ status: 'UNKNOWN' });
    expect(unknown.body.customer).toBeUndefined();
    expect((await call('POST', 'customers/tokens/events', { token: { type: 'card' } })).status).toBe(400);
    // Recording an event is a write; the POS client only reads customers.
    expect((await call('POST', 'customers/tokens/events', { token: { type: 'card', value: '9990000001' }, event: { type: 'seen' } })).status).toBe(403);
  });
});

describe('Dintero simulator: wallets (gift cards)', () => {
  it('looks a card up by token, with its PIN when it has one', async () => {
    const s = await sandbox({ demo: true });
    const call = await dintero(s);
    const info = await call('POST', 'wallets/info', { token: 'GC1000000001' });
    expect(info.body).toMatchObject({ card_id: 'gc-0001', amount_available: 50000, amount_balance: 50000, currency: 'NOK' });
    expect((await call('POST', 'wallets/info', { token: 'GC1000000003' })).body.error.code).toBe('PIN_REQUIRED');
    expect((await call('POST', 'wallets/info', { token: 'GC1000000003', pin: '9999' })).status).toBe(403);
    expect((await call('POST', 'wallets/info', { token: 'GC1000000003', pin: '1234' })).body.amount_available).toBe(25000);
    expect((await call('POST', 'wallets/info', { token: 'nope' })).status).toBe(404);
  });

  it('draws down once per ref_id: a retry answers the first transaction and debits nothing more', async () => {
    const s = await sandbox({ demo: true });
    const call = await dintero(s);
    const body = { ref_id: 'till-1-0001-gc', amount: 12000, currency: 'NOK', token: 'GC1000000001' };
    const first = await call('POST', 'wallets/transactions', body);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ type: 'drawdown', amount: 12000, card_id: 'gc-0001' });
    const retry = await call('POST', 'wallets/transactions', body);
    expect(retry.body).toEqual(first.body);
    expect(s.inspect().walletBalances['gc-0001']).toEqual({ balance: 38000, available: 38000 });
  });

  it('a card code serves one transaction: then info and new transactions answer 404, a retry with the same ref_id the first answer', async () => {
    const clock = manualClock('2026-12-06T10:00:00Z');
    const s = await sandbox({ demo: true, now: clock.now });
    const call = await dintero(s);
    const admin = await dintero(s, true);
    // The demo's single-use code (gc-0008), and a temporary code made for a demo card.
    const drawn = await call('POST', 'wallets/transactions', { ref_id: 'once-1', amount: 1000, currency: 'NOK', token: 'GC1000000008' });
    expect(drawn.status).toBe(200);
    expect((await call('POST', 'wallets/transactions', { ref_id: 'once-1', amount: 1000, currency: 'NOK', token: 'GC1000000008' })).body).toEqual(drawn.body);
    expect((await call('POST', 'wallets/transactions', { ref_id: 'once-2', amount: 1000, currency: 'NOK', token: 'GC1000000008' })).status).toBe(404);
    expect((await call('POST', 'wallets/info', { token: 'GC1000000008' })).status).toBe(404);
    // The card itself stays usable by its id (broad scope only).
    expect((await call('POST', 'wallets/transactions', { ref_id: 'by-id', amount: 1000, currency: 'NOK', card_id: 'gc-0008', type: 'fund' })).status).toBe(403);
    expect((await admin('POST', 'wallets/transactions', { ref_id: 'by-id', amount: 1000, currency: 'NOK', card_id: 'gc-0008', type: 'fund' })).status).toBe(200);
    expect(s.inspect().walletBalances['gc-0008']).toEqual({ balance: 30000, available: 30000 });

    expect((await call('POST', 'wallets/cards/gc-0002/tokens', { ref_id: 'code-1', expires_in: 600 })).status).toBe(403);
    const made = await admin('POST', 'wallets/cards/gc-0002/tokens', { ref_id: 'code-1', expires_in: 600 });
    expect(made.body).toMatchObject({ card_id: 'gc-0002', expires_after_transaction: true });
    expect((await admin('POST', 'wallets/cards/gc-0002/tokens', { ref_id: 'code-1', expires_in: 600 })).body).toEqual(made.body);
    const code = String(made.body.token);
    expect((await call('POST', 'wallets/info', { token: code })).body).toMatchObject({ card_id: 'gc-0002' });
    expect((await call('POST', 'wallets/transactions', { ref_id: 'c-1', amount: 500, currency: 'NOK', token: code })).status).toBe(200);
    expect((await call('POST', 'wallets/transactions', { ref_id: 'c-2', amount: 500, currency: 'NOK', token: code })).status).toBe(404);
    // The card's own reusable code is not affected; a reusable temporary code serves until it expires.
    expect((await call('POST', 'wallets/transactions', { ref_id: 'own-1', amount: 500, currency: 'NOK', token: 'GC1000000002' })).status).toBe(200);
    expect((await call('POST', 'wallets/transactions', { ref_id: 'own-2', amount: 500, currency: 'NOK', token: 'GC1000000002' })).status).toBe(200);
    const reusable = String((await admin('POST', 'wallets/cards/gc-0002/tokens', { ref_id: 'code-2', expires_in: 60, expires_after_transaction: false })).body.token);
    expect((await call('POST', 'wallets/transactions', { ref_id: 'r-1', amount: 100, currency: 'NOK', token: reusable })).status).toBe(200);
    expect((await call('POST', 'wallets/transactions', { ref_id: 'r-2', amount: 100, currency: 'NOK', token: reusable })).status).toBe(200);
    clock.advance(61_000);
    expect((await call('POST', 'wallets/info', { token: reusable })).status).toBe(404);
    expect(s.inspect().walletBalances['gc-0002']?.available).toBe(100000 - 500 - 1000 - 200);
  });

  it('refuses more than the available balance with a clear 400, and an expired card or wrong currency', async () => {
    const s = await sandbox({ demo: true });
    const call = await dintero(s);
    const res = await call('POST', 'wallets/transactions', { ref_id: 'r1', amount: 2001, currency: 'NOK', token: 'GC1000000004' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INSUFFICIENT_FUNDS');
    expect(res.body.error.message).toMatch(/2000 available/);
    expect((await call('POST', 'wallets/transactions', { ref_id: 'r2', amount: 100, currency: 'NOK', token: 'GC1000000006' })).body.error.code).toBe('CARD_EXPIRED');
    expect((await call('POST', 'wallets/transactions', { ref_id: 'r3', amount: 100, currency: 'SEK', token: 'GC1000000001' })).body.error.code).toBe('CURRENCY_MISMATCH');
    const admin = await dintero(s, true);
    expect((await admin('POST', 'wallets/transactions', { ref_id: 'r4', amount: 100, currency: 'NOK', token: 'GC1000000001', card_id: 'gc-0001' })).status).toBe(400);
    expect(s.inspect().walletBalances['gc-0004']).toEqual({ balance: 2000, available: 2000 });
  });

  it('locks a pending drawdown, captures part of it, voids the rest, each idempotent by ref_id', async () => {
    const s = await sandbox({ demo: true });
    const call = await dintero(s);
    const pending = await call('POST', 'wallets/transactions', { ref_id: 'p1', amount: 30000, currency: 'NOK', token: 'GC1000000002', pending: true });
    expect(s.inspect().walletBalances['gc-0002']).toEqual({ balance: 100000, available: 70000 });
    const capture = await call('POST', `wallets/transactions/${pending.body.id}/capture`, { ref_id: 'c1', amount: 20000 });
    expect(capture.body).toMatchObject({ type: 'pending_capture', amount: 20000, parent_id: pending.body.id });
    expect((await call('POST', `wallets/transactions/${pending.body.id}/capture`, { ref_id: 'c1', amount: 20000 })).body).toEqual(capture.body);
    expect(s.inspect().walletBalances['gc-0002']).toEqual({ balance: 80000, available: 70000 });
    const voided = await call('POST', `wallets/transactions/${pending.body.id}/void`, { ref_id: 'v1' });
    expect(voided.body).toMatchObject({ type: 'voided', amount: 10000 });
    expect(s.inspect().walletBalances['gc-0002']).toEqual({ balance: 80000, available: 80000 });
    expect((await call('POST', `wallets/transactions/${pending.body.id}/void`, { ref_id: 'v2' })).body.error.code).toBe('NOT_PENDING');
    expect((await call('POST', 'wallets/transactions/nope/capture', { ref_id: 'c9' })).status).toBe(404);
  });
});
