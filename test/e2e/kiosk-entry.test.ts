import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BREAD, MILK, SCAN } from '../integration/sale-api/seed';
import { startServe } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';
import { accessibilityViolations, saveScreenshot, useBrowserAndAgents } from './page-helpers';
import { seededDataDir } from './seed-till';

const harness = useBrowserAndAgents();

const press = async (page: Page, keys: string): Promise<void> => {
  for (const k of keys) await page.getByTestId(`kiosk-key-${k}`).click();
};

// A real browser and agent on a 2-core machine busy with other test files: give each test room.
describe('kiosk start screen and basket edits in headless Chromium, portrait 1080x1920', { timeout: 120_000 }, () => {
  it('greets with the store, speaks the customer\'s language, takes a typed code and a named item, lets lines be changed, and forgets a paid sale once another basket was abandoned', async () => {
    const dataDir = seededDataDir(tempDir());
    fs.writeFileSync(path.join(dataDir, 'till-agent.config.json'), JSON.stringify({ demo: true, store: { name: 'Bakken Nærbutikk', addressLines: [] } }));
    const { child, ready } = await startServe(['--data-dir', dataDir, '--port', '0'], { TILL_MODE: 'kiosk', TILL_LOCALE: 'en-GB' });
    harness.track(child);
    const page = await harness.browser().newPage({ viewport: { width: 1080, height: 1920 }, hasTouch: true });
    await page.clock.install();
    await page.goto(`${ready.url}?token=${ready.token}&idle=30,10`);
    await expect.poll(() => page.getByTestId('kiosk-attract').isVisible()).toBe(true);
    expect(await page.getByTestId('kiosk-store-name').textContent()).toBe('Bakken Nærbutikk');
    expect(await page.getByText('Welcome to Bakken Nærbutikk').count()).toBe(1);
    await saveScreenshot(page, 'kiosk-start-1080x1920');
    expect(await accessibilityViolations(page)).toEqual([]);

    // The customer picks Norwegian: the screen speaks it for this visit.
    await page.getByTestId('kiosk-language-nb-NO').click();
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('nb-NO');
    expect(await page.getByTestId('kiosk-find-item').textContent()).toBe('Finn en vare');
    expect(await page.getByTestId('kiosk-language-nb-NO').getAttribute('aria-pressed')).toBe('true');

    // A code the scanner could not read, typed on the keypad; a wrong one is refused in the dialog.
    await page.getByTestId('kiosk-type-code').click();
    await press(page, '123');
    await page.getByTestId('kiosk-code-submit').click();
    await expect.poll(() => page.getByTestId('kiosk-code-error').isVisible()).toBe(true);
    for (let i = 0; i < 3; i++) await page.getByTestId('kiosk-key-back').click();
    await press(page, SCAN.milk);
    await page.getByTestId('kiosk-code-submit').click();
    await expect.poll(() => page.getByTestId('kiosk-line').count()).toBe(1);
    expect(await page.getByTestId('kiosk-code-entry').count()).toBe(0);

    // Bread has no barcode here: found by the first letters of its name.
    await page.getByTestId('kiosk-find-item').click();
    await press(page, 'WHO');
    await expect.poll(() => page.getByTestId('kiosk-found-item').count()).toBe(1);
    expect(await page.getByTestId('kiosk-found-item').textContent()).toContain(BREAD.name);
    await saveScreenshot(page, 'kiosk-find-item-1080x1920');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByTestId('kiosk-found-item').click();
    await expect.poll(() => page.getByTestId('kiosk-line').count()).toBe(2);

    // One more milk, one fewer, then removing asks first.
    const milk = page.getByTestId('kiosk-line').filter({ hasText: MILK.name });
    await milk.getByTestId('kiosk-line-more').click();
    await expect.poll(() => milk.textContent()).toContain(`2 × ${MILK.name}`);
    await milk.getByTestId('kiosk-line-less').click();
    await expect.poll(() => milk.textContent()).not.toContain('2 ×');
    await milk.getByTestId('kiosk-line-less').click();
    await expect.poll(() => page.getByTestId('kiosk-remove-confirm').isVisible()).toBe(true);
    await saveScreenshot(page, 'kiosk-remove-confirm-1080x1920');
    await page.getByTestId('kiosk-remove-keep').click();
    expect(await page.getByTestId('kiosk-line').count()).toBe(2);
    await milk.getByTestId('kiosk-line-remove').click();
    await page.getByTestId('kiosk-remove-yes').click();
    await expect.poll(() => page.getByTestId('kiosk-line').count()).toBe(1);
    await saveScreenshot(page, 'kiosk-basket-1080x1920');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Paid by card: the start screen says the sale is done, in the till's language again.
    await page.getByTestId('kiosk-pay').click();
    await expect.poll(() => page.getByTestId('kiosk-receipt-offer').isVisible(), { timeout: 15_000 }).toBe(true);
    await page.getByTestId('kiosk-receipt-skip').click();
    await expect.poll(() => page.getByTestId('kiosk-attract').isVisible()).toBe(true);
    expect(await page.getByTestId('kiosk-sale-done').isVisible()).toBe(true);
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('en-GB');

    // The next customer scans and walks away: once the idle timer clears the basket, no "Sale completed".
    await page.getByTestId('kiosk-type-code').click();
    await press(page, SCAN.milk);
    await page.getByTestId('kiosk-code-submit').click();
    await expect.poll(() => page.getByTestId('kiosk-line').count()).toBe(1);
    await page.clock.fastForward(31_000);
    await expect.poll(() => page.getByTestId('kiosk-idle-warning').isVisible()).toBe(true);
    await page.clock.fastForward(11_000);
    await expect.poll(() => page.getByTestId('kiosk-attract').isVisible()).toBe(true);
    expect(await page.getByTestId('kiosk-sale-done').count()).toBe(0);
  });
});
