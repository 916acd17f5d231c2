import { afterEach, describe, expect, it } from 'vitest';
import { buildIndex, ReceiptSchema, type Receipt } from '../../../main/core/discounts';
import { driftChecksForReceipt, listDriftChecks } from '../../../main/store/discount-drift';
import { checkDrift, type DriftDeps } from '../../../main/sync/pull/drift';
import { fetchCustomerRefs } from '../../../main/sync/pull/discount-refs';
import { RulesPuller } from '../../../main/sync/pull/rules-pull';
import { KARI, RULE_ID, startRig, stopRig, type Rig } from './fixtures';

let rig: Rig | undefined;
afterEach(async () => {
  await stopRig(rig);
  rig = undefined;
});

function deps(r: Rig): DriftDeps {
  return { db: r.db, client: r.dintero, now: r.now, logger: r.log };
}

function basket(receiptId: string, customerId?: string): Receipt {
  return ReceiptSchema.parse({
    receipt_id: receiptId,
    purchase_at: '2026-11-23T10:00:00.000Z',
    store: { id: 'oslo-1' },
    currency: 'NOK',
    ...(customerId === undefined ? {} : { customer_id: customerId }),
    items: [
      { line_id: 1, id: '7038010009457', quantity: 1, gross_amount: 10_000, eligible_for_discount: true },
      { line_id: 2, id: '7038010000010', quantity: 2, gross_amount: 4_990, eligible_for_discount: true },
    ],
  });
}

describe('drift check against the sandbox', () => {
  it('records a check without differences when the local engine prices like Dintero', async () => {
    rig = await startRig();
    await new RulesPuller(rig.dintero, rig.db, rig.now).pull();
    // The till learns Kari's refs when Kari is identified (the rule list carries no grants).
    expect(await fetchCustomerRefs({ db: rig.db, client: rig.dintero, now: rig.now }, KARI.customerId)).toEqual({ status: 'fetched', refs: 1 });
    const result = await checkDrift(deps(rig), basket('till-7-000001', KARI.customerId));
    expect(result.status).toBe('checked');
    if (result.status !== 'checked') return;
    // 10 % of 10 000 and of 4 990 (half up): both sides agree.
    expect(result.check).toMatchObject({ receiptId: 'till-7-000001', checkedAt: rig.clock.t, localDiscount: 1_499, remoteDiscount: 1_499, differenceCount: 0, differences: [] });
    expect(result.check.rulesVersion).toMatch(/^"rules-\d+"$/);
    // Dintero was asked, and nothing was claimed.
    expect(rig.sandbox.inspect().requests['dintero.available-for-receipt']).toBe(1);
    expect(rig.sandbox.inspect().claims.live).toBe(0);
  });

  it('records per rule and per line where a stale local rule set disagrees with Dintero', async () => {
    rig = await startRig();
    await checkDrift(deps(rig), basket('till-7-000001'));
    const result = await checkDrift(deps(rig), basket('till-7-000002', KARI.customerId), { rules: { version: 'stale-v1', index: buildIndex([]) } });
    if (result.status !== 'checked') throw new Error(result.status);
    expect(result.check).toMatchObject({ rulesVersion: 'stale-v1', localDiscount: 0, remoteDiscount: 1_499, differenceCount: 3 });
    expect(result.check.differences).toEqual([
      { ruleId: RULE_ID, lineId: null, measure: 'discount', localAmount: 0, remoteAmount: 1_499 },
      { ruleId: RULE_ID, lineId: 1, measure: 'discount', localAmount: 0, remoteAmount: 1_000 },
      { ruleId: RULE_ID, lineId: 2, measure: 'discount', localAmount: 0, remoteAmount: 499 },
    ]);
    expect(listDriftChecks(rig.db).map((c) => c.receiptId)).toEqual(['till-7-000002', 'till-7-000001']);
    expect(listDriftChecks(rig.db, { onlyDrift: true }).map((c) => c.receiptId)).toEqual(['till-7-000002']);
    expect(rig.log.lines.some((l) => l.includes('local discounts differ from Dintero') && l.includes('till-7-000002'))).toBe(true);
  });

  it('records nothing when Dintero cannot be reached or is not configured', async () => {
    rig = await startRig();
    await rig.sandbox.setOffline(true);
    expect(await checkDrift(deps(rig), basket('till-7-000003', KARI.customerId))).toMatchObject({ status: 'unavailable' });
    expect(await checkDrift({ ...deps(rig), client: undefined }, basket('till-7-000003'))).toMatchObject({ status: 'unavailable' });
    expect(driftChecksForReceipt(rig.db, 'till-7-000003')).toEqual([]);
  });
});
