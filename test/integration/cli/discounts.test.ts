import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';

const fixtures = path.join(REPO, 'test', 'fixtures', 'cli');
const rules = path.join(fixtures, 'rules.json');
const receipt = path.join(fixtures, 'receipt.json');

type Result = { items: { line_id: number; discount_lines?: { amount: number; discount_id: string }[] }[]; discounts: { id: string; refs: { amount: number }[] }[] };

describe('till-agent discounts eval', () => {
  it('prints the priced receipt as JSON and reports a malformed rule without stopping', async () => {
    const r = await runCli(['discounts', 'eval', '--rules', rules, '--receipt', receipt]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/rule rule-broken rejected: requirement\.purchase_to/);
    const result = JSON.parse(r.stdout) as Result;
    const coffee = result.items.find((i) => i.line_id === 1);
    expect(coffee?.discount_lines).toEqual([expect.objectContaining({ amount: 899, discount_id: 'rule-coffee-10' })]);
    expect(result.items.find((i) => i.line_id === 2)?.discount_lines ?? []).toEqual([]);
    expect(result.discounts.map((d) => d.id)).toEqual(['rule-coffee-10']);
  });

  it('explains every rule for people with --explain, and honours --at', async () => {
    const r = await runCli(['discounts', 'eval', '--rules', rules, '--receipt', receipt, '--explain']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rule-coffee-10/);
    const later = await runCli(['discounts', 'eval', '--rules', rules, '--receipt', receipt, '--at', '2027-06-01T12:00:00Z']);
    const result = JSON.parse(later.stdout) as Result;
    expect(result.items.every((i) => (i.discount_lines ?? []).length === 0)).toBe(true);
  });

  it('exits 2 with a message on bad input', async () => {
    const dir = tempDir();
    const bad = path.join(dir, 'receipt.json');
    fs.writeFileSync(bad, JSON.stringify({ receipt_id: 'x', items: [{ line_id: 1, gross_amount: 'ten' }] }));
    const r = await runCli(['discounts', 'eval', '--rules', rules, '--receipt', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/receipt or customer state is invalid/);
    expect(r.stderr).toMatch(/items\.0\.gross_amount/);
    const notArray = await runCli(['discounts', 'eval', '--rules', receipt, '--receipt', receipt]);
    expect(notArray.code).toBe(2);
    expect(notArray.stderr).toMatch(/must hold a JSON array/);
    const missing = await runCli(['discounts', 'eval', '--rules', path.join(dir, 'nope.json'), '--receipt', receipt]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Cannot read the rules file/);
    const badAt = await runCli(['discounts', 'eval', '--rules', rules, '--receipt', receipt, '--at', 'tuesday']);
    expect(badAt.code).toBe(2);
  });
});
