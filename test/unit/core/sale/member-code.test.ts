import { describe, expect, it } from 'vitest';
import { isMemberNumber, looksLikeMemberCode, maskId, parseMemberCode } from '../../../../main/core/sale/member-code';

describe('member codes', () => {
  it('reads the membership number from MEMBER:<digits>, in any case and with spaces around', () => {
    expect(parseMemberCode('MEMBER:9990000001')).toEqual({ memberNumber: '9990000001' });
    expect(parseMemberCode(' member: 1234 ')).toEqual({ memberNumber: '1234' });
  });

  it('is not a member code without the prefix, or with something other than 4-20 digits after it', () => {
    expect(parseMemberCode('9990000001')).toBeUndefined();
    expect(parseMemberCode('7038010009457')).toBeUndefined();
    expect(parseMemberCode('MEMBER:')).toBeUndefined();
    expect(parseMemberCode('MEMBER:12')).toBeUndefined();
    expect(parseMemberCode('MEMBER:12ab34')).toBeUndefined();
    expect(parseMemberCode('MEMBER:123456789012345678901')).toBeUndefined();
    expect(looksLikeMemberCode('MEMBER:12ab34')).toBe(true);
    expect(looksLikeMemberCode('7038010009457')).toBe(false);
  });

  it('checks typed membership numbers and masks ids to their last four characters', () => {
    expect(isMemberNumber('9990000001')).toBe(true);
    expect(isMemberNumber('+4799999901')).toBe(false);
    expect(maskId('5a7d0000-0000-4000-8000-000000000001')).toBe('•••• 0001');
  });
});
