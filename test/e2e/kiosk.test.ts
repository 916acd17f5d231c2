import { describe, expect, it } from 'vitest';
import { MILK, SCAN } from '../integration/sale-api/seed';
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
    await page.clock.install();
    await page.goto(`${ready.url}?token=${ready.token}&idle=30,10`);
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
    await page.clock.fastForward(31_000);
    await expect.poll(() => page.getByTestId('kiosk-idle-warning').isVisible()).toBe(true);
    await saveScreenshot(page, 'kiosk-idle-warning');
    await page.clock.fastForward(11_000);
    await expect.poll(() => page.getByTestId('kiosk-attract').isVisible()).toBe(true);
    expect(await page.getByTestId('kiosk-help-called').count()).toBe(0);
  });
});
