import { describe, expect, it } from 'vitest';
import { classifyLoyaltyAnswer, classifyLoyaltyError, DOCUMENTED_REFUSALS } from '../../../../../main/sync/connectors/loyalty/loyalty-answer';

describe('classifyLoyaltyAnswer', () => {
  it('reads success fields at the top level (seed 004) and inside data (/payment page), data winning', () => {
    expect(classifyLoyaltyAnswer(200, { status: 'success', confirmationCode: 'ABC123' })).toEqual({ kind: 'success', data: { confirmationCode: 'ABC123' }, confirmationCode: 'ABC123' });
    expect(classifyLoyaltyAnswer(200, { status: 'success', data: { confirmationCode: 'C-9', newBalance: { points: 1700, credit: 0 } } })).toEqual({
      kind: 'success',
      data: { confirmationCode: 'C-9', newBalance: { points: 1700, credit: 0 } },
      confirmationCode: 'C-9',
    });
    expect(classifyLoyaltyAnswer(200, { status: 'success', message: 'Member updated successfully', data: { memberId: 'mem_001' } })).toMatchObject({ data: { message: 'Member updated successfully', memberId: 'mem_001' } });
    expect(classifyLoyaltyAnswer(200, { status: 'success', confirmationCode: 'top', data: { confirmationCode: 'inner' } })).toMatchObject({ confirmationCode: 'inner' });
    expect(classifyLoyaltyAnswer(200, { status: 'ok', member: { points: 3 } })).toEqual({ kind: 'success', data: { member: { points: 3 } }, confirmationCode: undefined });
  });

  it('treats exactly the documented codes as refusals, 500 as a server failure, everything else as undocumented', () => {
    expect(Object.keys(DOCUMENTED_REFUSALS).sort()).toEqual(['1001', '203', '4001012', '407', 'BAD_REQUEST', 'MEMBER_NOT_FOUND']);
    expect(classifyLoyaltyAnswer(200, { status: 'error', error: { code: '203', message: 'Cannot find any member with the given identifier!' } })).toMatchObject({ kind: 'refused', refusal: 'member_not_found' });
    expect(classifyLoyaltyAnswer(400, { status: 'error', error: { code: 407, message: 'insufficient' } })).toMatchObject({ kind: 'refused', refusal: 'balance_too_low', code: '407' });
    expect(classifyLoyaltyAnswer(400, { status: 'error', error: { code: '1001', message: 'phoneNumber is not allowed' } })).toMatchObject({ kind: 'refused', refusal: 'invalid_input' });
    expect(classifyLoyaltyAnswer(500, { status: 'error', error: { code: '500', message: 'Server error' } })).toMatchObject({ kind: 'server_error' });
    expect(classifyLoyaltyAnswer(409, { status: 'error', error: { code: '2003', message: 'already' } })).toMatchObject({ kind: 'undocumented', code: '2003' });
    expect(classifyLoyaltyAnswer(400, { status: 'error' })).toMatchObject({ kind: 'undocumented', code: undefined });
    expect(classifyLoyaltyError(undefined, 'no code')).toMatchObject({ kind: 'undocumented' });
  });

  it('never reads an answer without a documented status as a success', () => {
    expect(classifyLoyaltyAnswer(200, undefined)).toMatchObject({ kind: 'undocumented' });
    expect(classifyLoyaltyAnswer(200, { confirmationCode: 'X' })).toMatchObject({ kind: 'undocumented' });
    expect(classifyLoyaltyAnswer(200, 'OK')).toMatchObject({ kind: 'undocumented' });
    expect(classifyLoyaltyAnswer(202, { status: 'accepted' })).toMatchObject({ kind: 'undocumented' });
    expect(classifyLoyaltyAnswer(400, { status: 'success', confirmationCode: 'X' })).toMatchObject({ kind: 'undocumented' });
  });
});
