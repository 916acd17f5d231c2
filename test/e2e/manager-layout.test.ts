import { describe, expect, it } from 'vitest';
import { runCli, startServe } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';
import { accessibilityViolations, saveScreenshot, useBrowserAndAgents } from './page-helpers';
import { seededDataDir } from './seed-till';

const harness = useBrowserAndAgents();

/**
 * Issue 17: every manager view at the small till layout (1024x768) as well as the 1366x768 one the manager
 * e2e uses: nothing runs off the side, axe finds nothing serious, and a screenshot of each lands for people to
 * look at.
 */
describe('manager views at 1024x768', { timeout: 120_000 }, () => {
  it('sync, rules (a rule explained), devices, business day and settings fit the width and pass axe', async () => {
    const dataDir = seededDataDir(tempDir());
    const env = { TILL_LOCALE: 'en-GB' };
    const setPin = await runCli(['manager', 'set-pin', '--data-dir', dataDir], env, 30_000, '4711\n');
    expect(setPin.code, setPin.stderr).toBe(0);
    const { child, ready } = await startServe(['--data-dir', dataDir, '--port', '0'], env);
    harness.track(child);
    const page = await harness.browser().newPage({ viewport: { width: 1024, height: 768 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${ready.url}?token=${ready.token}#/manager`);
    await page.getByTestId('pin-input').fill('4711');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('manager-login').count()).toBe(0);

    const views: [string, string, () => Promise<void>][] = [
      ['Alt+1', 'sync', () => page.getByTestId('attention-empty').waitFor()],
      [
        'Alt+2',
        'rules',
        async () => {
          await page.getByTestId('rule-list').locator('li').first().waitFor();
          await page.getByTestId('rule-list').getByRole('button').first().click();
          await page.getByTestId('rule-explanation').waitFor();
        },
      ],
      ['Alt+3', 'devices', () => page.getByTestId('device-printer').waitFor()],
      ['Alt+4', 'day', () => page.getByRole('heading', { level: 2 }).first().waitFor()],
      ['Alt+5', 'settings', () => page.getByTestId('settings-form').waitFor()],
    ];
    for (const [key, name, ready] of views) {
      await page.keyboard.press(key);
      await ready();
      // Nothing wider than the window: a manager on a small till never scrolls sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), name).toBe(true);
      await saveScreenshot(page, `manager-${name}-1024x768`, { fullPage: true });
      expect(await accessibilityViolations(page), name).toEqual([]);
    }
    expect(problems).toEqual([]);
  });
});
