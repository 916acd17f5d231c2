import fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { getBalance } from '../../../main/store/balance-cache';
import { cacheMember, cachedMemberByKey } from '../../../main/store/member-cache';
import { lookupMember, refreshStaleMembers, sendMemberShortCode, verifyMemberShortCode, type MemberDeps } from '../../../main/sync/pull/members';
import { KARI, OLA, personalValues, startRig, stopRig, type Rig } from './fixtures';

let rig: Rig | undefined;
afterEach(async () => {
  await stopRig(rig);
  rig = undefined;
});

function deps(r: Rig): MemberDeps {
  return { db: r.db, client: r.loyalty, now: r.now, logger: r.log };
}

describe('member lookup against the sandbox', () => {
  it('finds a member by phone online, caches the balances and serves the cache offline with its age', async () => {
    rig = await startRig();
    const online = await lookupMember(deps(rig), { phoneNumber: '+47 998 87 766' });
    expect(online).toMatchObject({ status: 'found', source: 'online', fetchedAt: rig.clock.t, value: { membershipKey: KARI.membershipKey, points: KARI.points, credit: KARI.credit } });
    if (online.status !== 'found') throw new Error('not found');
    expect(online.value.profile).toMatchObject({ firstName: 'Kari' });
    expect(online.value.profile).not.toHaveProperty('phoneNumber');
    expect(online.value.profile).not.toHaveProperty('email');
    expect(getBalance(rig.db, 'loyalty_credit', KARI.membershipKey)).toMatchObject({ balanceMinor: KARI.credit, fetchedAt: rig.clock.t });
    expect(getBalance(rig.db, 'loyalty_points', KARI.membershipKey)).toMatchObject({ balanceMinor: KARI.points });

    const fetchedAt = rig.clock.t;
    rig.clock.t += 90_000;
    await rig.sandbox.setOffline(true);
    // The e-mail was never asked for, but the answer carried it: the cache knows the member by it too.
    for (const query of [{ email: ' Kari.Nordmann@example.com ' }, { phoneNumber: KARI.phoneNumber }, { membershipKey: KARI.membershipKey }]) {
      const offline = await lookupMember(deps(rig), query);
      expect(offline).toMatchObject({ status: 'found', source: 'cache', fetchedAt, ageMs: 90_000, value: { membershipKey: KARI.membershipKey, credit: KARI.credit } });
    }
    expect(await lookupMember(deps(rig), { phoneNumber: OLA.phoneNumber })).toMatchObject({ status: 'unavailable' });
  });

  it('never writes a phone number or e-mail to the database file or the log', async () => {
    rig = await startRig();
    await lookupMember(deps(rig), { phoneNumber: KARI.phoneNumber });
    await lookupMember(deps(rig), { email: OLA.email });
    await lookupMember(deps(rig), { phoneNumber: '+4711111111' });
    await rig.sandbox.setOffline(true);
    await lookupMember(deps(rig), { email: KARI.email });
    rig.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = Buffer.concat([fs.readFileSync(rig.file), ...(fs.existsSync(`${rig.file}-wal`) ? [fs.readFileSync(`${rig.file}-wal`)] : [])]).toString('latin1');
    const logs = rig.log.lines.join('\n');
    expect(rig.log.lines.length).toBeGreaterThan(0);
    for (const value of [KARI.phoneNumber, KARI.email, OLA.phoneNumber, OLA.email, '+4711111111']) {
      expect(bytes).not.toContain(value);
      expect(logs).not.toContain(value);
    }
    for (const value of personalValues()) expect(logs).not.toContain(value);
  });

  it('answers not found, and drops a cached member and its balances the back end no longer knows', async () => {
    rig = await startRig();
    expect(await lookupMember(deps(rig), { phoneNumber: '+4711111111' })).toEqual({ status: 'not_found' });
    // A member cached earlier that the back end has since deleted.
    cacheMember(rig.db, { membershipKey: 'mk-deleted', body: { profile: {}, assets: [] }, points: 5, credit: 7, fetchedAt: rig.clock.t, phoneHash: null, emailHash: null });
    expect(getBalance(rig.db, 'loyalty_credit', 'mk-deleted')?.balanceMinor).toBe(7);
    expect(await lookupMember(deps(rig), { membershipKey: 'mk-deleted' })).toEqual({ status: 'not_found' });
    expect(cachedMemberByKey(rig.db, 'mk-deleted')).toBeUndefined();
    expect(getBalance(rig.db, 'loyalty_credit', 'mk-deleted')).toBeUndefined();
    expect(getBalance(rig.db, 'loyalty_points', 'mk-deleted')).toBeUndefined();
    // A phone number nobody has any more stops matching the member cached under it.
    await lookupMember(deps(rig), { phoneNumber: KARI.phoneNumber });
    await rig.loyalty.post('member/update', { member: { membershipKey: KARI.membershipKey }, newMemberData: { phoneNumber: '+4722222222' } });
    expect(await lookupMember(deps(rig), { phoneNumber: KARI.phoneNumber })).toEqual({ status: 'not_found' });
    await rig.sandbox.setOffline(true);
    expect(await lookupMember(deps(rig), { phoneNumber: KARI.phoneNumber })).toMatchObject({ status: 'unavailable' });
    expect(await lookupMember(deps(rig), { membershipKey: KARI.membershipKey })).toMatchObject({ status: 'found', source: 'cache' });
  });

  it('verifies a short code and refreshes the member; a wrong code is rejected', async () => {
    rig = await startRig();
    expect(await sendMemberShortCode(deps(rig), { phoneNumber: KARI.phoneNumber })).toEqual({ status: 'sent' });
    const got = await rig.loyalty.post('member/shortCode', { member: { phoneNumber: KARI.phoneNumber }, action: 'get' });
    if (!got.ok) throw new Error(got.failure.reason);
    const code = String(got.data.shortCode);
    const wrong = code === '000000' ? '111111' : '000000';
    expect(await verifyMemberShortCode(deps(rig), { phoneNumber: KARI.phoneNumber }, wrong)).toMatchObject({ status: 'rejected' });
    const verified = await verifyMemberShortCode(deps(rig), { phoneNumber: KARI.phoneNumber }, code);
    expect(verified).toMatchObject({ status: 'verified', member: { status: 'found', source: 'online', value: { membershipKey: KARI.membershipKey } } });
    expect(await verifyMemberShortCode(deps(rig), { email: 'nobody@example.com' }, code)).toEqual({ status: 'not_found' });
    await rig.sandbox.setOffline(true);
    expect(await verifyMemberShortCode(deps(rig), { phoneNumber: KARI.phoneNumber }, code)).toMatchObject({ status: 'unavailable' });
  });

  it('serves the cache when the Loyalty API is not configured', async () => {
    rig = await startRig();
    await lookupMember(deps(rig), { membershipKey: KARI.membershipKey });
    rig.clock.t += 5_000;
    expect(await lookupMember({ ...deps(rig), client: undefined }, { membershipKey: KARI.membershipKey })).toMatchObject({ status: 'found', source: 'cache', ageMs: 5_000 });
  });

  it('refreshes stale members oldest first, and stops when the API is out of reach', async () => {
    rig = await startRig();
    await lookupMember(deps(rig), { membershipKey: KARI.membershipKey });
    rig.clock.t += 1_000;
    await lookupMember(deps(rig), { membershipKey: OLA.membershipKey });
    rig.clock.t += 10 * 60_000;
    const first = await refreshStaleMembers(deps(rig), { olderThanMs: 5 * 60_000, limit: 1 });
    expect(first).toEqual({ refreshed: 1, notFound: 0 });
    expect(cachedMemberByKey(rig.db, KARI.membershipKey)?.fetchedAt).toBe(rig.clock.t);
    expect(cachedMemberByKey(rig.db, OLA.membershipKey)?.fetchedAt).toBeLessThan(rig.clock.t);
    await rig.sandbox.setOffline(true);
    const second = await refreshStaleMembers(deps(rig), { olderThanMs: 5 * 60_000, limit: 10 });
    expect(second.refreshed).toBe(0);
    expect(second.stoppedBy).toMatch(/network/);
  });
});
