import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from '../../../main/log/redact';

describe('Redactor', () => {
  const r = new Redactor();
  r.registerSecret('cs_live_abcdef123456');

  it('masks secret and personal keys at any depth', () => {
    const out = r.scrub({ req: { headers: { authorization: 'Bearer x', 'x-api-key': 'k' } }, member: { email: 'a@b.no', phone_number: '+4799999999', name: 'Kari' } }) as Record<string, Record<string, Record<string, unknown>>>;
    expect(out.req?.headers).toEqual({ authorization: REDACTED, 'x-api-key': REDACTED });
    expect(out.member).toEqual({ email: REDACTED, phone_number: REDACTED, name: 'Kari' });
  });

  it('masks e-mails, phone numbers, bearer tokens, card numbers and registered secrets inside strings', () => {
    const text = r.scrubString('member kari@example.com (+47 999 99 999) paid with 4111 1111 1111 1111; auth Bearer eyJhbGciOi.x.y; secret cs_live_abcdef123456');
    expect(text).not.toMatch(/kari@example\.com|999 99 999|4111|eyJhbGciOi|cs_live/);
    expect(text).toContain('member [redacted]');
  });

  it('leaves GTINs, amounts and receipt ids readable', () => {
    expect(r.scrubString('scanned 7038010009457 for 2990 on receipt demo-branch-till-1-42')).toBe('scanned 7038010009457 for 2990 on receipt demo-branch-till-1-42');
  });
});
