import { afterEach, describe, expect, it } from 'vitest';
import { getBalance } from '../../../main/store/balance-cache';
import { lookupCustomer, type CustomerDeps } from '../../../main/sync/pull/customers';
import { cachedGiftCardBalance, refreshGiftCard, type GiftCardDeps } from '../../../main/sync/pull/gift-cards';
import { lookupHasher } from '../../../main/sync/pull/lookup-hash';
import type { DemoData } from '../../../main/sandbox';
import { CARD, DATA, KARI, OLA, personalValues, PIN_CARD, startRig, stopRig, type Rig } from './fixtures';

let rig: Rig | undefined;
afterEach(async () => {
  await stopRig(rig);
  rig = undefined;
});

function deps(r: Rig): CustomerDeps & GiftCardDeps {
  return { db: r.db, client: r.dintero, now: r.now, logger: r.log };
}

describe('customer lookup against the sandbox', () => {
  it('finds the exact phone match among prefix matches, and serves it offline with its age', async () => {
    rig = await startRig();
    // Ola's number starts with Kari's: Dintero's prefix search returns both, only Kari is an exact match.
    const online = await lookupCustomer(deps(rig), { phoneNumber: KARI.phoneNumber });
    expect(online).toMatchObject({ status: 'found', source: 'online', value: { customerId: KARI.customerId, profile: { first_name: 'Kari' } } });
    if (online.status !== 'found') throw new Error('not found');
    expect(online.value.profile).not.toHaveProperty('phone_number');
    expect(online.value.profile).not.toHaveProperty('email');
    expect(await lookupCustomer(deps(rig), { phoneNumber: OLA.phoneNumber })).toMatchObject({ status: 'found', value: { customerId: OLA.customerId } });
    expect(await lookupCustomer(deps(rig), { email: 'KARI.nordmann@example.com' })).toMatchObject({ status: 'found', value: { customerId: KARI.customerId } });
    expect(await lookupCustomer(deps(rig), { token: KARI.externalId, tokenType: 'card' })).toMatchObject({ status: 'found', value: { customerId: KARI.customerId } });

    const fetchedAt = rig.clock.t;
    rig.clock.t += 30_000;
    await rig.sandbox.setOffline(true);
    expect(await lookupCustomer(deps(rig), { phoneNumber: '+47 99 88 77 66' })).toMatchObject({ status: 'found', source: 'cache', fetchedAt, ageMs: 30_000, value: { customerId: KARI.customerId } });
    expect(await lookupCustomer(deps(rig), { token: KARI.externalId, tokenType: 'card' })).toMatchObject({ status: 'found', source: 'cache', value: { customerId: KARI.customerId } });
    // A token is cached under its type: the same value as another type was never looked up.
    expect(await lookupCustomer(deps(rig), { token: KARI.externalId })).toMatchObject({ status: 'unavailable' });
    expect(await lookupCustomer(deps(rig), { email: 'someone.else@example.com' })).toMatchObject({ status: 'unavailable' });
    for (const value of personalValues()) expect(rig.log.lines.join('\n')).not.toContain(value);
  });

  it('answers not found for a number nobody has exactly, and for a token prefix that names several customers', async () => {
    rig = await startRig();
    expect(await lookupCustomer(deps(rig), { phoneNumber: '+479988' })).toEqual({ status: 'not_found' });
    expect(await lookupCustomer(deps(rig), { email: 'nobody@example.com' })).toEqual({ status: 'not_found' });
    rig.sandbox.load({ members: [{ ...DATA.members?.[1], customerId: 'cust-3', membershipKey: 'mk-3', phoneNumber: '+4733333333', email: 'per@example.com', externalId: `${KARI.externalId}9` }] as DemoData['members'] });
    // Dintero matches token prefixes: this one names Kari's card and Per's, so it identifies nobody.
    expect(await lookupCustomer(deps(rig), { token: KARI.externalId.slice(0, -1) })).toEqual({ status: 'not_found' });
    expect(await lookupCustomer(deps(rig), { token: `${KARI.externalId}9` })).toMatchObject({ status: 'found', value: { customerId: 'cust-3' } });
    expect(await lookupCustomer(deps(rig), { token: 'no-such-token' })).toEqual({ status: 'not_found' });
  });
});

describe('gift-card balances against the sandbox', () => {
  it('reads the balance into balance_cache by the hashed token, and serves it offline with its age', async () => {
    rig = await startRig();
    const online = await refreshGiftCard(deps(rig), CARD.token);
    expect(online).toMatchObject({ status: 'found', source: 'online', value: { availableMinor: CARD.amount, card: { cardId: CARD.card_id, currency: 'NOK', balanceMinor: CARD.amount } } });
    const key = lookupHasher(rig.db).hash('gift_card', CARD.token);
    expect(key).not.toContain(CARD.token);
    expect(getBalance(rig.db, 'gift_card', key)).toMatchObject({ balanceMinor: CARD.amount, fetchedAt: rig.clock.t });
    expect(cachedGiftCardBalance(rig.db, CARD.token)?.balanceMinor).toBe(CARD.amount);

    // A drawdown elsewhere moves the balance; the next read follows it.
    const spent = await rig.dintero.call({ method: 'POST', path: 'wallets/transactions', body: { ref_id: 'elsewhere-1', amount: 1_500, currency: 'NOK', token: CARD.token } });
    expect(spent.ok).toBe(true);
    rig.clock.t += 1_000;
    expect(await refreshGiftCard(deps(rig), CARD.token)).toMatchObject({ status: 'found', value: { availableMinor: CARD.amount - 1_500 } });

    const fetchedAt = rig.clock.t;
    rig.clock.t += 120_000;
    await rig.sandbox.setOffline(true);
    expect(await refreshGiftCard(deps(rig), CARD.token)).toEqual({ status: 'found', source: 'cache', fetchedAt, ageMs: 120_000, value: { availableMinor: CARD.amount - 1_500 }, reason: expect.stringMatching(/network/) as unknown });
    expect(await refreshGiftCard(deps(rig), PIN_CARD.token)).toMatchObject({ status: 'unavailable' });
    expect(await refreshGiftCard({ ...deps(rig), client: undefined }, CARD.token)).toMatchObject({ status: 'found', source: 'cache' });
    for (const value of personalValues()) expect(rig.log.lines.join('\n')).not.toContain(value);
  });

  it('sends the PIN a card needs, refuses a wrong one, and forgets an unknown token', async () => {
    rig = await startRig();
    expect(await refreshGiftCard(deps(rig), PIN_CARD.token)).toMatchObject({ status: 'refused', code: 'PIN_REQUIRED' });
    expect(await refreshGiftCard(deps(rig), PIN_CARD.token, { pin: '0000' })).toMatchObject({ status: 'refused', code: 'PIN_INVALID' });
    expect(cachedGiftCardBalance(rig.db, PIN_CARD.token)).toBeUndefined();
    expect(await refreshGiftCard(deps(rig), PIN_CARD.token, { pin: PIN_CARD.pin })).toMatchObject({ status: 'found', value: { availableMinor: PIN_CARD.amount } });
    expect(await refreshGiftCard(deps(rig), 'no-such-card')).toEqual({ status: 'not_found' });
    expect(cachedGiftCardBalance(rig.db, 'no-such-card')).toBeUndefined();
    for (const value of personalValues()) expect(rig.log.lines.join('\n')).not.toContain(value);
  });
});
