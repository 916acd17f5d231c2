import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SCAN } from '../integration/sale-api/seed';
import { startServe } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';
import { useBrowserAndAgents } from './page-helpers';
import { seededDataDir } from './seed-till';

const harness = useBrowserAndAgents();

const focusedId = (page: Page): Promise<string | undefined> => page.evaluate(() => document.activeElement?.id);

/** A scanner programmed with a prefix key, on a till so busy that its keys reach the page `gapMs` apart. */
async function slowPrefixedScan(page: Page, prefix: string, code: string, gapMs: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const press = async (key: string, code: string, keyCode: number, text?: string): Promise<void> => {
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key, code, windowsVirtualKeyCode: keyCode, ...(text ? { text, unmodifiedText: text } : {}) });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key, code, windowsVirtualKeyCode: keyCode });
    await new Promise((r) => setTimeout(r, gapMs));
  };
  await press(prefix, prefix, 124);
  for (const ch of code) await press(ch, `Digit${ch}`, ch.charCodeAt(0), ch);
  await press('Enter', 'Enter', 13, '\r');
  await cdp.detach();
}

describe('keyboard-wedge framing from the till\'s settings', { timeout: 90_000 }, () => {
  it('with a prefix key configured, a scan whose keys come 80 ms apart into a dialog field still goes to the basket', async () => {
    const dataDir = seededDataDir(tempDir());
    fs.writeFileSync(path.join(dataDir, 'till-agent.config.json'), JSON.stringify({ devices: { keyboardWedge: { prefixKey: 'F13' } } }));
    const { child, ready } = await startServe(['--data-dir', dataDir, '--port', '0'], { TILL_LOCALE: 'en-GB' });
    harness.track(child);
    const page = await harness.browser().newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(`${ready.url}?token=${ready.token}`);
    await expect.poll(() => focusedId(page)).toBe('scan-input');
    const status = (await (await fetch(new URL('api/status', ready.url), { headers: { authorization: `Bearer ${ready.token}` } })).json()) as { keyboardWedge: unknown };
    expect(status.keyboardWedge).toEqual({ prefixKey: 'F13', suffixKeys: ['Enter'], maxInterKeyMs: 30, minLength: 6 });

    // The customer dialog's field has the focus: by timing alone these keys are typing and would fill it.
    await page.keyboard.press('F6');
    await expect.poll(() => focusedId(page)).toBe('member-input');
    await slowPrefixedScan(page, 'F13', SCAN.bread, 80);
    await expect.poll(() => page.getByTestId('basket-line').count()).toBe(1);
    expect(await page.getByTestId('member-input').inputValue()).toBe('');
  });
});
