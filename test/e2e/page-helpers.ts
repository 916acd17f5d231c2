import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { ChildProcess } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { launchBrowser, screenshotPath } from '../helpers/browser';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2 A/AA rules; evaluated through the DevTools protocol, so the page's CSP stays as it is. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
    return r.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
  return result;
}

/**
 * Types like a keyboard-wedge scanner: every key event is queued on the DevTools protocol at once, so they
 * reach the page back to back (a few ms apart), as a scanner's do, instead of one round trip per key.
 */
export async function wedgeScan(page: Page, code: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  const sends: Promise<unknown>[] = [];
  // Each key carries its own time, 4 ms apart, as a scanner's events do (the OS stamps them): a loaded browser
  // process that forwards them late must not turn one scan into slow typing.
  const start = Date.now() / 1000;
  let n = 0;
  const at = (): number => start + 0.004 * n++;
  for (const ch of code) {
    const timestamp = at();
    sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: ch, text: ch, unmodifiedText: ch, code: `Digit${ch}`, windowsVirtualKeyCode: ch.charCodeAt(0), timestamp }));
    sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: ch, code: `Digit${ch}`, windowsVirtualKeyCode: ch.charCodeAt(0), timestamp }));
  }
  const timestamp = at();
  sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Enter', code: 'Enter', text: '\r', windowsVirtualKeyCode: 13, timestamp }));
  sends.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, timestamp }));
  await Promise.all(sends);
  await cdp.detach();
}


/** Saves a screenshot to test-results/screenshots/NAME.png for people to look at, and checks it is not blank. */
export async function saveScreenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  const file = screenshotPath(name);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? false });
  expect(fs.statSync(file).size).toBeGreaterThan(5000);
}

/**
 * One headless Chromium for a test file, and the agents the file starts, killed when it ends. Call at the top
 * level of the file; `browser()` is ready inside the tests.
 */
export function useBrowserAndAgents(): { browser(): Browser; track(child: ChildProcess): void } {
  let browser: Browser | undefined;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    for (const c of children) c.kill('SIGKILL');
  });
  return {
    browser: () => {
      if (!browser) throw new Error('the browser starts in beforeAll');
      return browser;
    },
    track: (child) => void children.push(child),
  };
}
