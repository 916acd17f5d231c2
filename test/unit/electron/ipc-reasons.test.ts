import { describe, expect, it } from 'vitest';
import type { TillBridge } from '../../../main/api/contract';
import { expectedError } from '../../../main/api/error-status';
import { because } from '../../../main/core/error-reasons';
import { TillError } from '../../../main/core/errors';
import { surfaceUrl } from '../../../main/electron/app-protocol';
import { registerIpcHandlers } from '../../../main/electron/ipc';
import { buildShellBridge } from '../../../main/electron/preload-bridge';
import { httpError, shellClient } from '../../../renderer/shared/api-client';
import { wordError } from '../../../renderer/shared/i18n-errors';

const REFUSAL = new TillError('OFFLINE_LIMIT', 'Offline gift-card payments are limited to 500.00 NOK each; this one is 600.00 NOK.', because('offline.per-payment', { tender: 'gift_card', cap: 50_000, amount: 60_000 }));
const NB = { locale: 'nb-NO', currency: 'NOK' };

describe('a refusal reason crosses every transport whole', () => {
  it('over Electron IPC and the preload (structured clone), the page gets the reason and its parameters', async () => {
    const registered = new Map<string, (event: unknown, input: unknown) => Promise<unknown>>();
    const handlers = { addTender: () => Promise.reject(REFUSAL) } as unknown as TillBridge;
    registerIpcHandlers({ handle: ((channel: string, fn: never) => registered.set(channel, fn)) as never }, handlers, () => 'till');
    const trusted = { senderFrame: { url: surfaceUrl('cashier') } };
    const invoke = async (channel: string, input: unknown): Promise<unknown> => structuredClone(await (registered.get(channel) as (e: unknown, i: unknown) => Promise<unknown>)(trusted, structuredClone(input)));
    const page = shellClient(buildShellBridge(invoke, () => () => undefined));
    const err: unknown = await page.addTender({ kind: 'gift_card', cardNumber: '9999000011112222', amount: 60_000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ApiError', code: 'OFFLINE_LIMIT', reason: 'offline.per-payment', params: { tender: 'gift_card', cap: 50_000, amount: 60_000 }, message: REFUSAL.message });
    const worded = wordError(err, NB);
    expect(worded).toContain('gavekort');
    expect(worded).toMatch(/500,00/);
    expect(worded).not.toContain('Offline');
  });

  it('over HTTP, the error body parsed by the page client keeps the reason and its parameters', () => {
    const expected = expectedError(REFUSAL);
    expect(expected?.status).toBe(422);
    const err = httpError(422, JSON.parse(JSON.stringify({ error: expected?.body })));
    expect(err).toMatchObject({ code: 'OFFLINE_LIMIT', reason: 'offline.per-payment', params: { tender: 'gift_card', cap: 50_000, amount: 60_000 } });
  });
});
