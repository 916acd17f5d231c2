import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../main/sandbox';
import { RULES, SCAN } from '../integration/sale-api/seed';
import { startServe } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';
import { accessibilityViolations, saveScreenshot, useBrowserAndAgents, wedgeScan } from './page-helpers';
import { CACHED_MEMBER, seedCachedMember, seededDataDir } from './seed-till';
import { sandboxEnv } from '../helpers/sandbox-env';
import { minor } from '../../main/core/money';
import { roundToCashUnit } from '../../main/core/sale';

const harness = useBrowserAndAgents();
let sandbox: SandboxHandle;

beforeAll(async () => {
  // The sandbox's demo members and gift cards; points payments draw on points.
  sandbox = await startSandbox({ port: 0, demo: true, data: { rules: RULES }, paymentAsset: 'points' });
});
afterAll(async () => {
  await sandbox.close();
});

function backEndEnv(): Record<string, string> {
  return {
    TILL_BRANCH_ID: 'oslo-sentrum',
    TILL_POS_ID: 'kasse-2',
    TILL_LOCALE: 'en-GB',
    ...sandboxEnv(sandbox),
  };
}

/** A seeded till against the sandbox, its cashier screen open at 1366x900 with the scan field focused. */
async function openTill(): Promise<{ dataDir: string; page: Page; problems: string[] }> {
  const dataDir = seededDataDir(tempDir());
  const { child, ready } = await startServe(['--data-dir', dataDir, '--port', '0'], backEndEnv());
  harness.track(child);
  const page = await harness.browser().newPage({ viewport: { width: 1366, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${ready.url}?token=${ready.token}`);
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('scan-input');
  return { dataDir, page, problems };
}

const OLA_KEY = '5a7d0000-0000-4000-8000-000000000001';

describe('members, points and gift cards in headless Chromium against the headless agent and the sandbox', { timeout: 120_000 }, () => {
  it('a member sale paid partly with points and the rest in cash; offline, the points are refused with the limit message, a cash sale queues and drains when the back ends return', async () => {
    const { page, problems } = await openTill();
    const fmt = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'NOK' });

    await page.keyboard.type(SCAN.bread);
    await page.keyboard.press('Enter');
    await page.keyboard.type(SCAN.milk);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('basket-line').count()).toBe(2);

    // F6: the membership number, looked up in the Loyalty POS API and Dintero.
    await page.keyboard.press('F6');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('member-input');
    await page.getByTestId('member-input').pressSequentially('9990000001', { delay: 60 });
    await saveScreenshot(page, 'member-identify-dialog', { fullPage: true });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('customer-name').textContent()).toBe('Ola Nordmann');
    expect(await page.getByTestId('customer-points').textContent()).toBe(`Points: 1,250 points (${fmt.format(12.5)})`);
    await expect.poll(() => page.getByTestId('line-discount').count()).toBeGreaterThan(0);
    await saveScreenshot(page, 'member-identified', { fullPage: true });
    const due = Number((await page.getByTestId('total-net').textContent())?.replace(/[^\d.]/g, ''));
    expect(due).toBeGreaterThan(12.5);

    // Ctrl+O: pay with points; no amount takes all the points (less than what is due).
    await page.keyboard.press('Control+o');
    await expect.poll(() => page.getByTestId('points-balance').textContent()).toContain('Ola Nordmann');
    await saveScreenshot(page, 'member-points-dialog', { fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('tender-line').count()).toBe(1);
    expect(await page.getByTestId('tender-line').textContent()).toBe(`Points${fmt.format(12.5)}`);
    expect(await page.getByTestId('total-remaining').textContent()).toBe(fmt.format(due - 12.5));

    // The rest in cash; the receipt shows both tenders, and F9 works at once.
    await page.keyboard.press('F10');
    await page.getByTestId('cash-exact').click();
    await expect.poll(() => page.getByTestId('receipt-preview').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('receipt-paper').count()).toBe(1);
    // The printed layout writes amounts in columns without the currency ("12.50").
    const receipt = await page.getByTestId('receipt-paper').innerText();
    const firstReceiptId = (await page.getByTestId('receipt-id').textContent()) ?? '';
    expect(receipt).toMatch(/Points\s+12\.50/);
    // The cash part is rounded to whole kroner (docs/ledger.md, "Cash rounding"): its own line, then the cash taken.
    const cashPart = Math.round((due - 12.5) * 100);
    const cashTaken = roundToCashUnit(minor(cashPart), 100);
    expect(receipt).toMatch(new RegExp(`Cash\\s+${(cashTaken / 100).toFixed(2).replace('.', '\\.')}`));
    if (cashTaken !== cashPart) expect(receipt).toMatch(new RegExp(`Rounding\\s+${((cashTaken - cashPart) / 100).toFixed(2).replace('.', '\\.')}`));
    await saveScreenshot(page, 'member-points-receipt', { fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    // The points reached the Loyalty API (outbox delivery).
    await expect.poll(() => sandbox.inspect().payments.filter((p) => p.membershipKey === OLA_KEY && p.asset === 'points').length, { timeout: 20_000 }).toBe(1);

    // Offline: the member comes from the cache with the age of the balance; points are refused with the limit's message.
    await sandbox.setOffline(true);
    await wedgeScan(page, SCAN.soap);
    await expect.poll(() => page.getByTestId('basket-line').count()).toBe(1);
    await page.keyboard.press('F6');
    await page.getByTestId('member-input').fill('9990000001');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('customer-name').textContent()).toBe('Ola Nordmann');
    expect(await page.getByTestId('customer-points').textContent()).toMatch(/as of (this minute|\d+ minutes? ago)\)$/);
    await page.keyboard.press('Control+o');
    await page.getByTestId('points-amount').fill('5');
    await page.keyboard.press('Enter');
    const refusal = page.getByTestId('dialog-tender-points').getByRole('alert');
    await expect.poll(() => refusal.textContent()).toContain('Offline points payments are not accepted at this till');
    await saveScreenshot(page, 'member-points-offline-refused', { fullPage: true });
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('tender-line').count()).toBe(0);

    // The same sale, offline, paid in cash: committed at once, its effects wait in the queue the screen shows ...
    await expect.poll(() => page.getByTestId('loyalty-state').textContent(), { timeout: 20_000 }).toContain('Offline');
    await page.keyboard.press('F10');
    await page.getByTestId('cash-exact').click();
    await expect.poll(async () => (await page.getByTestId('receipt-preview').isVisible()) && (await page.getByTestId('receipt-id').textContent()) !== firstReceiptId).toBe(true);
    const offlineReceiptId = (await page.getByTestId('receipt-id').textContent()) ?? '';
    expect(offlineReceiptId).not.toBe('');
    await expect.poll(() => page.getByTestId('queue').textContent()).toMatch(/: [1-9]\d* waiting/);
    // Offline is unmistakable: a banner (not only a red pill), the queue in it, and the sale says it will be sent.
    expect(await page.getByTestId('offline-banner').textContent()).toContain('OFFLINE');
    expect(await page.getByTestId('offline-queue').textContent()).toMatch(/^[1-9]\d* waiting to be sent$/);
    expect(await page.getByTestId('saved-offline').textContent()).toContain('will be sent');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(sandbox.inspect().receiptIds).not.toContain(offlineReceiptId);
    await saveScreenshot(page, 'member-offline-queued', { fullPage: true });

    // ... and drain when the back ends come back.
    await sandbox.setOffline(false);
    await expect.poll(() => page.getByTestId('queue').textContent(), { timeout: 60_000 }).toMatch(/: 0 waiting$/);
    await expect.poll(() => page.getByTestId('offline-banner').count(), { timeout: 30_000 }).toBe(0);
    expect(sandbox.inspect().receiptIds).toContain(offlineReceiptId);
    await saveScreenshot(page, 'member-online-drained', { fullPage: true });
    expect(problems).toEqual([]);
  });

  it('a gift card with a PIN: a wrong PIN is refused in the dialog, the right one shows the balance and pays; the PIN is kept nowhere', async () => {
    const { dataDir, page, problems } = await openTill();
    await page.keyboard.type(SCAN.bread);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('basket-line').count()).toBe(1);

    // Ctrl+G: the demo's card GC1000000003 has the PIN 1234.
    await page.keyboard.press('Control+g');
    await page.getByTestId('gift-card-number').fill('GC1000000003');
    expect(await page.getByTestId('gift-card-pin').getAttribute('type')).toBe('password');
    await page.getByTestId('gift-card-pin').fill('9876');
    await page.getByTestId('gift-card-amount').fill('10');
    await page.keyboard.press('Enter');
    const refusal = page.getByTestId('dialog-tender-gift-card').getByRole('alert');
    await expect.poll(() => refusal.textContent()).not.toBe('');
    expect(await page.getByTestId('tender-line').count()).toBe(0);
    await page.getByTestId('gift-card-pin').fill('1234');
    await page.getByTestId('gift-card-check').click();
    await expect.poll(() => page.getByTestId('gift-card-balance').textContent()).toContain('250');
    await saveScreenshot(page, 'gift-card-pin-dialog', { fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    // The focus is on "Check balance"; Enter in the amount field takes the card.
    await page.getByTestId('gift-card-amount').press('Enter');
    await expect.poll(() => page.getByTestId('tender-line').count()).toBe(1);
    await page.keyboard.press('F10');
    await page.getByTestId('cash-exact').click();
    await expect.poll(() => page.getByTestId('receipt-preview').isVisible()).toBe(true);

    // Neither PIN is in any file of the data directory (database, WAL, logs).
    const files = fs.readdirSync(dataDir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(dataDir, f)).isFile());
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(dataDir, f));
      for (const secret of ['1234', '9876']) expect(bytes.includes(Buffer.from(`"${secret}"`)), `${secret} in ${f}`).toBe(false);
    }
    expect(problems).toEqual([]);
  });

  it('a member scanned as a QR through the keyboard wedge is identified, not an unknown item; the kiosk logs a member in on its keypad', async () => {
    const dataDir = seededDataDir(tempDir());
    seedCachedMember(dataDir);
    const { child, ready } = await startServe(['--data-dir', dataDir, '--port', '0'], { TILL_LOCALE: 'en-GB' });
    harness.track(child);
    const page = await harness.browser().newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(`${ready.url}?token=${ready.token}`);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('scan-input');
    await wedgeScan(page, SCAN.milk);
    await expect.poll(() => page.getByTestId('basket-line').count()).toBe(1);
    await wedgeScan(page, `MEMBER:${CACHED_MEMBER.number}`);
    await expect.poll(() => page.getByTestId('customer-name').textContent()).toBe(CACHED_MEMBER.name);
    expect(await page.getByTestId('basket-line').count()).toBe(1);
    expect(await page.getByTestId('notice').textContent()).toBe(`Customer: ${CACHED_MEMBER.name}`);
    expect(await page.getByTestId('customer-points').textContent()).toContain('as of 3 hours ago');
    await saveScreenshot(page, 'member-qr-scanned', { fullPage: true });
    // An unknown member: a clear message, the sale unchanged.
    await page.keyboard.press('F6');
    await page.getByTestId('member-input').fill('55555555');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('dialog-customer').getByRole('alert').textContent()).toContain('membership number 55555555');
    await page.keyboard.press('Escape');
    expect(await page.getByTestId('customer-name').textContent()).toBe(CACHED_MEMBER.name);

    const kioskDir = seededDataDir(tempDir());
    seedCachedMember(kioskDir);
    const kiosk = await startServe(['--data-dir', kioskDir, '--port', '0'], { TILL_MODE: 'kiosk', TILL_LOCALE: 'en-GB' });
    harness.track(kiosk.child);
    const kpage = await harness.browser().newPage({ viewport: { width: 1080, height: 1600 } });
    await kpage.goto(`${kiosk.ready.url}?token=${kiosk.ready.token}`);
    await kpage.getByTestId('kiosk-member-login-open').click();
    for (const digit of CACHED_MEMBER.number) await kpage.getByTestId(`kiosk-key-${digit}`).click();
    expect(await kpage.getByTestId('kiosk-member-entry').textContent()).toBe(CACHED_MEMBER.number);
    await saveScreenshot(kpage, 'kiosk-member-keypad');
    expect(await accessibilityViolations(kpage)).toEqual([]);
    await kpage.getByTestId('kiosk-member-submit').click();
    await expect.poll(() => kpage.getByTestId('kiosk-member-name').textContent()).toBe(`Welcome, ${CACHED_MEMBER.name}`);
    await saveScreenshot(kpage, 'kiosk-member-welcome');
  });
});
