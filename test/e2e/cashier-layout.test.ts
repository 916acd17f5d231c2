import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ready, startServe } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';
import { SCAN } from '../integration/sale-api/seed';
import { accessibilityViolations, saveScreenshot, useBrowserAndAgents } from './page-helpers';
import { seededDataDir } from './seed-till';

const harness = useBrowserAndAgents();
let ready: Ready;

beforeAll(async () => {
  const dataDir = seededDataDir(tempDir());
  // A store in New York on a machine whose clock runs in UTC: every time on screen must be New York's.
  const started = await startServe(['--data-dir', dataDir, '--port', '0'], { TILL_LOCALE: 'en-GB', TILL_TIME_ZONE: 'America/New_York' });
  harness.track(started.child);
  ready = started.ready;
});
afterAll(() => undefined);

async function api(path: string, body: unknown = {}): Promise<unknown> {
  const res = await fetch(new URL(path, ready.url), { method: 'POST', headers: { authorization: `Bearer ${ready.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** 30 lines: milk, bread and soap in turn (a scan of another item than the last line's makes a new line). */
async function ringUp(lines: number): Promise<void> {
  const codes = [SCAN.milk, SCAN.bread, SCAN.soap];
  for (let i = 0; i < lines; i++) await api('/api/sale/scan', { code: codes[i % codes.length] });
}

/**
 * Whether an element is fully on screen: inside the viewport and inside every box that scrolls or clips it (a line
 * scrolled out of the basket's box is inside the viewport's rectangle but not visible).
 */
function fullyVisible(page: Page, testId: string, nth: 'first' | 'last' = 'last'): Promise<string> {
  return page.evaluate(
    ([id, which]) => {
      const all = document.querySelectorAll(`[data-testid="${id}"]`);
      const el = which === 'last' ? all[all.length - 1] : all[0];
      if (!el) return `${id}: not found`;
      const r = el.getBoundingClientRect();
      if (r.height === 0) return `${id}: not drawn`;
      if (r.top < 0 || r.bottom > window.innerHeight + 0.5 || r.left < 0 || r.right > window.innerWidth + 0.5) return `${id}: outside the viewport (${Math.round(r.top)}..${Math.round(r.bottom)} of ${window.innerHeight})`;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const style = getComputedStyle(p);
        if (style.overflowY === 'visible' && style.overflowX === 'visible') continue;
        const b = p.getBoundingClientRect();
        if (r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5) return `${id}: hidden by the scrolling box ${p.className || p.tagName}`;
      }
      return 'visible';
    },
    [testId, nth] as const,
  );
}

async function expectEssentialsVisible(page: Page, withLines: boolean): Promise<void> {
  if (withLines) await expect.poll(() => fullyVisible(page, 'basket-line')).toBe('visible');
  expect(await fullyVisible(page, 'total-net')).toBe('visible');
  expect(await fullyVisible(page, 'action-cancelSale')).toBe('visible');
  expect(await fullyVisible(page, 'action-quantity', 'first')).toBe('visible');
  // The page itself never scrolls: only the basket and the side panel's box do.
  expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight + 1)).toBe(true);
}

const focusedId = (page: Page): Promise<string | undefined> => page.evaluate(() => document.activeElement?.id);

describe('cashier layout: the newest line, the total and the key bar stay on screen', { timeout: 120_000 }, () => {
  for (const [width, height] of [
    [1366, 768],
    [1024, 768],
  ] as const) {
    it(`at ${width}x${height}: 30 lines, with the why panel, and with a receipt open`, async () => {
      const size = `${width}x${height}`;
      await api('/api/sale/cancel');
      const page = await harness.browser().newPage({ viewport: { width, height } });
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(`${ready.url}?token=${ready.token}`);
      await expect.poll(() => focusedId(page)).toBe('scan-input');

      await ringUp(30);
      await expect.poll(() => page.getByTestId('basket-line').count()).toBe(30);
      // The newest line is the selected one, and the basket box scrolled to it.
      expect(await page.getByTestId('basket-line').last().getAttribute('aria-current')).toBe('true');
      await expectEssentialsVisible(page, true);
      await saveScreenshot(page, `cashier-30-lines-${size}`);

      // One more scan: the box follows the new line.
      await api('/api/sale/scan', { code: SCAN.milk });
      await expect.poll(() => page.getByTestId('basket-line').count()).toBe(31);
      await expectEssentialsVisible(page, true);

      await page.keyboard.press('F7');
      await expect.poll(() => page.getByTestId('why-panel').count()).toBe(1);
      await expectEssentialsVisible(page, true);
      await saveScreenshot(page, `cashier-30-lines-why-${size}`);
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.keyboard.press('F7');

      // Paid in cash; then the next customer's 30 lines with the last receipt's copy open beside them.
      await page.keyboard.press('F10');
      await page.getByTestId('cash-amount').fill('5000');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByTestId('receipt-preview').count()).toBe(1);
      await expectEssentialsVisible(page, false);
      expect(await fullyVisible(page, 'change-due', 'first')).toBe('visible');
      await saveScreenshot(page, `cashier-receipt-${size}`);
      await ringUp(30);
      await expect.poll(() => page.getByTestId('basket-line').count()).toBe(30);
      // A new sale took the last receipt off the screen ...
      expect(await page.getByTestId('receipt-preview').count()).toBe(0);
      // ... and a reprint shows its copy without pushing anything out.
      await page.keyboard.press('Control+p');
      await expect.poll(() => page.getByTestId('receipt-preview').count()).toBe(1);
      await expectEssentialsVisible(page, true);
      await saveScreenshot(page, `cashier-30-lines-receipt-${size}`);
      expect(await accessibilityViolations(page)).toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    });
  }

  it('keyboard: a typed quantity replaces the old one, delete and cancel ask first and say what happened, an ID check holds payment with its reason and has a key', async () => {
    await api('/api/sale/cancel');
    const page = await harness.browser().newPage({ viewport: { width: 1366, height: 768 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${ready.url}?token=${ready.token}`);
    await expect.poll(() => focusedId(page)).toBe('scan-input');
    await page.keyboard.type(SCAN.milk);
    await page.keyboard.press('Enter');
    await page.keyboard.type(SCAN.soap);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('basket-line').count()).toBe(2);

    // F2 then 4: the quantity is 4, not 14.
    await page.keyboard.press('F2');
    await expect.poll(() => focusedId(page)).toBe('quantity-input');
    await page.keyboard.type('4');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('line-qty').nth(1).textContent()).toBe('4');

    // Delete asks; Escape keeps the line.
    // The dialog has closed and the cursor is back in the scan field before the next key, as a cashier sees it.
    await expect.poll(() => focusedId(page)).toBe('scan-input');
    await page.keyboard.press('Delete');
    await expect.poll(() => page.getByTestId('dialog-confirm-void').count()).toBe(1);
    expect(await page.getByTestId('confirm-subject').textContent()).toContain('Hand soap');
    await saveScreenshot(page, 'cashier-confirm-void');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('dialog-confirm-void').count()).toBe(0);
    expect(await page.getByTestId('basket-line').count()).toBe(2);
    // Delete, Enter: gone, and the notice says so (not the "Added" of the last scan).
    await page.keyboard.press('Delete');
    await expect.poll(() => page.getByTestId('dialog-confirm-void').count()).toBe(1);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('basket-line').count()).toBe(1);
    await expect.poll(() => page.getByTestId('notice').textContent()).toBe('Line deleted: Hand soap');
    await expect.poll(() => focusedId(page)).toBe('scan-input');

    // Ctrl+B: a provisional receipt (a bill before payment) of the basket, which stays to be paid.
    await page.keyboard.press('Control+b');
    await expect.poll(() => page.getByTestId('notice').textContent()).toMatch(/^No printer is set up: provisional receipt .+-P\d{6} is journaled only$/);
    expect(await page.getByTestId('basket-line').count()).toBe(1);
    await expect.poll(() => focusedId(page)).toBe('scan-input');

    // An 18+ item: cash and card are disabled with the reason, F10 is refused with it, Ctrl+I approves.
    await page.keyboard.type(SCAN.beer);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('check-id').count()).toBe(1);
    expect(await page.getByTestId('action-cash').isDisabled()).toBe(true);
    expect(await page.getByTestId('action-card').getAttribute('title')).toContain('ID');
    expect(await page.getByTestId('payments-blocked').textContent()).toContain('Ctrl+I');
    await page.keyboard.press('F10');
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('ID first');
    expect(await page.getByTestId('dialog-tender-cash').count()).toBe(0);
    await saveScreenshot(page, 'cashier-id-check-keys');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.keyboard.press('Control+i');
    await expect.poll(() => page.getByTestId('check-id').count()).toBe(0);
    expect(await page.getByTestId('action-cash').isDisabled()).toBe(false);

    // Park it (F8): the notice says where it went; the resume list shows the time in the store's zone.
    await page.keyboard.press('F8');
    await expect.poll(() => page.getByTestId('basket-empty').count()).toBe(1);
    await expect.poll(() => page.getByTestId('notice').textContent()).toContain('F9');
    await page.keyboard.press('F9');
    const suspendedAt = (await (await fetch(new URL('/api/sale', ready.url), { headers: { authorization: `Bearer ${ready.token}` } })).json()) as { suspended: { suspendedAt: string }[] };
    const at = suspendedAt.suspended[0]?.suspendedAt ?? '';
    const newYork = new Intl.DateTimeFormat('en-GB', { timeStyle: 'short', timeZone: 'America/New_York' }).format(new Date(at));
    await expect.poll(() => page.getByTestId('dialog-resume').textContent()).toContain(newYork);
    await page.getByTestId('dialog-resume').getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.getByTestId('basket-line').count()).toBe(2);
    // The resume dialog gives the focus back to the scan field; keys pressed before that would go nowhere.
    await expect.poll(() => focusedId(page)).toBe('scan-input');

    // Ctrl+Delete asks before the whole sale goes.
    await page.keyboard.press('Control+Delete');
    await expect.poll(() => page.getByTestId('dialog-confirm-cancel').count()).toBe(1);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('basket-empty').count()).toBe(1);
    await expect.poll(() => page.getByTestId('notice').textContent()).toBe('Sale cancelled: the basket is empty');
    expect(problems).toEqual([]);
    await page.close();
  });
});
