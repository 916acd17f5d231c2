import { describe, expect, it } from 'vitest';
import { BEER, MILK, SCAN } from '../integration/sale-api/seed';
import { startServe } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';
import { accessibilityViolations, saveScreenshot, useBrowserAndAgents, wedgeScan } from './page-helpers';
import { seededDataDir } from './seed-till';

const harness = useBrowserAndAgents();

// A real browser and agent on a 2-core machine busy with other test files: give each test room.
describe('self-service kiosk in headless Chromium', { timeout: 90_000 }, () => {
  it('attract screen, a scanned item, the help flag, and the idle warning that then clears the basket', async () => {
    const dataDir = seededDataDir(tempDir());
    const { child, ready } = await startServe(['--data-dir', dataDir, '--port', '0'], { TILL_MODE: 'kiosk', TILL_LOCALE: 'en-GB' });
    harness.track(child);
    const page = await harness.browser().newPage({ viewport: { width: 1080, height: 1200 }, hasTouch: true });
    await page.goto(`${ready.url}?token=${ready.kioskToken}&idle=30,10`);
    await expect.poll(() => page.getByTestId('kiosk-attract').isVisible()).toBe(true);
    await saveScreenshot(page, 'kiosk-attract');

    await wedgeScan(page, SCAN.milk);
    await expect.poll(() => page.getByTestId('kiosk-line').count()).toBe(1);
    const fmt = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'NOK' });
    expect(await page.getByTestId('kiosk-total').textContent()).toBe(fmt.format((MILK.unitPrice - Math.round(MILK.unitPrice / 10)) / 100));
    expect(await page.getByTestId('kiosk-line').textContent()).toContain('Dairy 10% off');

    await page.getByTestId('kiosk-help').click();
    await expect.poll(() => page.getByTestId('kiosk-help-called').isVisible()).toBe(true);
    await saveScreenshot(page, 'kiosk-basket-help');
    expect(await accessibilityViolations(page)).toEqual([]);

    // 30 s without a touch: the kiosk asks; 10 s later the basket is cleared and the attract screen is back.
    // The fake clock comes only now: the scan above runs on the browser's own timers, as a customer's does. The
    // kiosk's idle check (a real one-second interval) reads the faked Date.now(), so fast-forwarding ages the basket.
    await page.clock.install();
    await page.clock.fastForward(31_000);
    await expect.poll(() => page.getByTestId('kiosk-idle-warning').isVisible()).toBe(true);
    await saveScreenshot(page, 'kiosk-idle-warning');
    await page.clock.fastForward(11_000);
    await expect.poll(() => page.getByTestId('kiosk-attract').isVisible()).toBe(true);
    expect(await page.getByTestId('kiosk-help-called').count()).toBe(0);
  });
  it('an age-restricted item locks the basket, the attendant approves, the customer pays by card and skips the receipt', async () => {
    const dataDir = seededDataDir(tempDir());
    const { child, ready } = await startServe(['--data-dir', dataDir, '--port', '0'], { TILL_MODE: 'kiosk', TILL_LOCALE: 'en-GB' });
    harness.track(child);
    const page = await harness.browser().newPage({ viewport: { width: 1080, height: 1200 }, hasTouch: true });
    await page.goto(`${ready.url}?token=${ready.kioskToken}`);
    await expect.poll(() => page.getByTestId('kiosk-attract').isVisible()).toBe(true);

    await wedgeScan(page, SCAN.beer);
    await expect.poll(() => page.getByTestId('kiosk-locked').isVisible()).toBe(true);
    expect(await page.getByTestId('kiosk-locked').textContent()).toContain(`${BEER.name}: age 18+: staff will check your ID`);
    expect(await page.getByTestId('kiosk-pay').isDisabled()).toBe(true);
    // The lock called staff by itself.
    expect(await page.getByTestId('kiosk-help').getAttribute('aria-pressed')).toBe('true');
    await saveScreenshot(page, 'kiosk-locked-age');
    expect(await accessibilityViolations(page)).toEqual([]);

    // The attendant's view of this kiosk (the cashier surface at #/attendant) shows the lock and approves it.
    const attendant = await harness.browser().newPage({ viewport: { width: 1366, height: 900 } });
    await attendant.goto(`${ready.url}?token=${ready.token}#/attendant`);
    await expect.poll(() => attendant.getByTestId('check-id').isVisible()).toBe(true);
    expect(await attendant.getByTestId('check-id').textContent()).toContain(`The kiosk waits for staff approval: ${BEER.name} (18+)`);
    await saveScreenshot(attendant, 'kiosk-attendant-approve');
    await attendant.getByTestId('check-id-done').click();
    await expect.poll(() => attendant.getByTestId('check-id').count()).toBe(0);

    await expect.poll(() => page.getByTestId('kiosk-locked').count()).toBe(0);
    expect(await page.getByTestId('kiosk-help').getAttribute('aria-pressed')).toBe('false');
    await page.getByTestId('kiosk-pay').click();
    // The demo kiosk's simulated terminal takes a moment, as a customer at a real one does.
    await expect.poll(() => page.getByTestId('kiosk-paying').isVisible()).toBe(true);
    expect(await page.getByTestId('kiosk-start-over').count()).toBe(0);
    await saveScreenshot(page, 'kiosk-paying');

    await expect.poll(() => page.getByTestId('kiosk-receipt-offer').isVisible(), { timeout: 15_000 }).toBe(true);
    const fmt = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'NOK' });
    expect(await page.getByTestId('kiosk-receipt-offer').textContent()).toContain(`You paid ${fmt.format(BEER.unitPrice / 100)}`);
    await saveScreenshot(page, 'kiosk-receipt-offer');
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByTestId('kiosk-receipt-skip').click();
    await expect.poll(() => page.getByTestId('kiosk-attract').isVisible()).toBe(true);
    await saveScreenshot(page, 'kiosk-after-sale');

    // The sale is in the ledger with the approval and the card reference; no receipt was queued for the printer.
    const res = await fetch(`${ready.url}api/sale`, { headers: { authorization: `Bearer ${ready.token}` } });
    const view = (await res.json()) as { lastReceipt: { tenders: { kind: string; reference?: string }[] } | null; receiptOffer: unknown };
    expect(view.receiptOffer).toBeNull();
    expect(view.lastReceipt?.tenders).toEqual([expect.objectContaining({ kind: 'card', reference: expect.stringMatching(/^SIM-/) })]);
    await attendant.close();
  });
});
