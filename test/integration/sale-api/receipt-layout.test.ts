import { afterEach, describe, expect, it } from 'vitest';
import { ReceiptLayoutSchema, TenderOutputSchema } from '../../../main/api/contract';
import { voidSale } from '../../../main/store/ledger';
import { SCAN, SOAP, startTestAgent, type TestAgent } from './fixtures';

let till: TestAgent | undefined;
afterEach(async () => {
  await till?.close();
  till = undefined;
});

const texts = (body: unknown): string[] => ReceiptLayoutSchema.parse(body).lines.map((l) => l.text);

describe('the receipt on screen is the printed layout', () => {
  it('has the store header, the VAT table and the change line; a reprint queues a copy on the printer', async () => {
    till = await startTestAgent({ config: { branchId: 'oslo-1', posId: 'pos-3', locale: 'en-GB', store: { name: 'Butikken Grünerløkka', addressLines: ['Thorvald Meyers gate 1'], orgNumber: '999 888 777' } } });
    // A configured till (not the demo): a day and a shift are opened before selling.
    await till.call('shift/open-day', {});
    await till.call('shift/open', { operatorId: 'kari' });
    await till.call('sale/scan', { code: SCAN.soap });
    const paid = TenderOutputSchema.parse((await till.call('sale/tender', { kind: 'cash', amount: 10_000 })).body);
    const receiptId = paid.receipt?.receiptId ?? '';
    const res = await till.call('sale/receipt-layout', { receiptId });
    expect(res.status).toBe(200);
    const layout = ReceiptLayoutSchema.parse(res.body);
    expect(layout.columns).toBe(48);
    const lines = texts(res.body);
    expect(lines.some((l) => l.includes('Butikken Grünerløkka'))).toBe(true);
    expect(lines.some((l) => l.includes('Org. no. 999 888 777'))).toBe(true);
    expect(lines.some((l) => /^VAT\s+Net\s+VAT amt\s+Gross$/.test(l))).toBe(true);
    // NOK rounds cash to whole kroner by default: 49.50 is paid as 50.00, the rounding its own line, the note handed
    // over and the change after it (docs/ledger.md, "Cash rounding").
    expect(lines.some((l) => /^Rounding\s+0\.50$/.test(l))).toBe(true);
    expect(lines.some((l) => /^Cash\s+100\.00$/.test(l))).toBe(true);
    expect(lines.some((l) => /^Change\s+50\.00$/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('COPY'))).toBe(false);
    for (const l of layout.lines) if (l.kind === 'text') expect([...l.text].length).toBeLessThanOrEqual(l.double ? 24 : 48);

    const jobs = (): { copy: number }[] => till?.agent.db.prepare('SELECT copy FROM print_jobs ORDER BY id').all() as { copy: number }[];
    expect(jobs()).toEqual([{ copy: 0 }]);
    const reprint = await till.call('sale/reprint', {});
    expect(reprint.body).toMatchObject({ receiptId, copy: true });
    expect(jobs()).toEqual([{ copy: 0 }, { copy: 1 }]);
    expect(texts((await till.call('sale/receipt-layout', { receiptId, copy: true })).body).filter((l) => l.includes('COPY'))).toHaveLength(2);
  });

  it('says a void is a void and names the sale it voids; an unknown receipt is a 404', async () => {
    till = await startTestAgent();
    await till.call('sale/scan', { code: SCAN.soap });
    const paid = TenderOutputSchema.parse((await till.call('sale/tender', { kind: 'cash' })).body);
    const original = paid.receipt?.receiptId ?? '';
    const voided = voidSale(till.agent.db, { till: { branchId: 'oslo-1', posId: 'pos-3', currency: 'NOK' }, receiptId: original }, new Date());
    const lines = texts((await till.call('sale/receipt-layout', { receiptId: voided.entry.receiptId })).body);
    expect(lines.some((l) => l.trim() === 'Void receipt')).toBe(true);
    expect(lines.some((l) => l.includes(`For receipt ${original}`))).toBe(true);
    expect(lines.some((l) => l.includes(SOAP.name))).toBe(true);
    expect((await till.call('sale/receipt-layout', { receiptId: 'nope-1' })).status).toBe(404);
  });
});
