import fs from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshotPath } from '../helpers/browser';
import { startServe } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';

let browser: Browser;
const children: ChildProcess[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser.close();
  for (const c of children) c.kill('SIGKILL');
});

// A real browser and agent on a 2-core machine busy with other test files: give each test room.
describe('cashier status screen in headless Chromium', { timeout: 90_000 }, () => {
  it('shows the till identity, version and connection state from the headless agent', async () => {
    const { child, ready } = await startServe(['--data-dir', tempDir(), '--port', '0'], { TILL_BRANCH_ID: 'oslo-sentrum', TILL_POS_ID: 'kasse-4', TILL_LOCALE: 'en-GB' });
    children.push(child);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${ready.url}?token=${ready.token}`);
    await expect.poll(() => page.getByTestId('branch-id').textContent()).toBe('oslo-sentrum');
    expect(await page.getByTestId('pos-id').textContent()).toBe('kasse-4');
    expect(await page.getByTestId('version').textContent()).toBe('0.1.0');
    await expect.poll(() => page.getByTestId('agent-connection').textContent()).toBe('Agent: Connected');
    expect(await page.getByTestId('dintero-state').textContent()).toBe('Dintero: Not configured');
    // The token is taken out of the address bar once read.
    expect(page.url()).not.toContain('token=');
    const file = screenshotPath('cashier-status');
    await page.screenshot({ path: file });
    expect(fs.statSync(file).size).toBeGreaterThan(5000);
    expect(problems).toEqual([]);

    // Reloading keeps working for this tab without the token in the URL.
    await page.reload();
    await expect.poll(() => page.getByTestId('branch-id').textContent()).toBe('oslo-sentrum');
  });

  it('tells a visitor without the token what to do, and the API refuses them', async () => {
    const { child, ready } = await startServe(['--data-dir', tempDir(), '--port', '0']);
    children.push(child);
    const page = await browser.newPage();
    await page.goto(ready.url);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/link the agent printed|lenken agenten/);
    const status = await page.evaluate(async () => (await fetch('/api/status')).status);
    expect(status).toBe(401);
  });
});
