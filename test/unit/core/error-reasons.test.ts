import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectedError } from '../../../main/api/error-status';
import { because, ERROR_REASON_CODES, isErrorReason } from '../../../main/core/error-reasons';
import { TillError } from '../../../main/core/errors';
import { lockReason } from '../../../main/core/sale/approvals';
import { refusalReason } from '../../../main/core/sale/offline-limits';
import { minor } from '../../../main/core/money';

const MAIN = path.resolve(__dirname, '../../../main');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sources(file);
    return file.endsWith('.ts') ? [file] : [];
  });
}

/** Reason codes written in the agent's code: `because('x', …)` and device states' `reason: 'device.x'`. */
function reasonsInCode(): Set<string> {
  const found = new Set<string>();
  for (const file of sources(MAIN)) {
    if (file.endsWith(path.join('core', 'error-reasons.ts'))) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/because\(\s*'([^']+)'/g)) found.add(m[1] as string);
    for (const m of text.matchAll(/(?:reason:\s*|:\s*)'((?:device|manager|discount|offline|sale|card|tender|basket|item|checks|member|points|balance|gift-card)\.[a-z-]+)'/g)) found.add(m[1] as string);
  }
  return found;
}

describe('error reasons', () => {
  it('every reason the agent code gives is in the table, and every reason in the table is given somewhere', () => {
    const used = reasonsInCode();
    expect(used.size).toBeGreaterThan(50);
    for (const r of used) expect(isErrorReason(r), `${r} is used in main/ but not in ERROR_REASONS`).toBe(true);
    for (const r of ERROR_REASON_CODES) expect(used.has(r), `${r} is in ERROR_REASONS but nothing gives it`).toBe(true);
  });

  it('an error body carries the reason and its parameters beside the English message, the same for HTTP and IPC', () => {
    const err = new TillError('OFFLINE_LIMIT', 'Offline points payments are limited to 500.00 NOK each; this one is 625.50 NOK.', because('offline.per-payment', { tender: 'points', cap: 50_000, amount: 62_550 }));
    expect(expectedError(err)).toEqual({
      status: 422,
      body: { code: 'OFFLINE_LIMIT', message: err.message, reason: 'offline.per-payment', params: { tender: 'points', cap: 50_000, amount: 62_550 } },
    });
    expect(expectedError(new TillError('CONFLICT', 'No reason given.'))).toEqual({ status: 409, body: { code: 'CONFLICT', message: 'No reason given.' } });
  });

  it('an ID check names the lines with their age limit and no English words', () => {
    const checks = { pending: [{ kind: 'age' as const, lineId: 1, itemId: 'beer', description: 'Pils 0,5 l', ageLimit: 18 }], approvals: [] };
    expect(lockReason(checks, 'cashier')).toEqual({ reason: 'checks.id-check', params: { items: 'Pils 0,5 l (18+)' } });
    expect(lockReason(checks, 'kiosk').reason).toBe('checks.staff-approval');
  });

  it('an offline refusal gives its limit, the amounts in minor units and what is left', () => {
    const refusal = { limit: 'per_member_per_day' as const, asset: 'gift_card' as const, tenderIndex: 0, amount: minor(30_000), cap: minor(50_000), used: minor(40_000), balance: undefined };
    expect(refusalReason(refusal)).toEqual({ reason: 'offline.per-member-per-day', params: { tender: 'gift_card', cap: 50_000, used: 40_000, left: 10_000 } });
  });
});
