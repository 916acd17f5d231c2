import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser';
import { seededDataDir } from '../e2e/seed-till';
import { SCAN } from '../integration/sale-api/seed';
import type { BenchEntry } from './bench-types';

const CLI = path.join(import.meta.dirname, '..', '..', 'bin', 'till-agent.cjs');

type Till = { child: ChildProcess; url: string; token: string; dir: string; browser: Browser; page: Page; codes: string[]; n: number };

async function startTill(): Promise<Omit<Till, 'page' | 'codes' | 'n'>> {
  const dir = seededDataDir(fs.mkdtempSync(path.join(os.tmpdir(), 'till-bench-ui-')));
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TILL_')) env[k] = v;
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...env, TILL_LOCALE: 'en-GB', TILL_LOG_LEVEL: 'warn' } });
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`agent exited with ${code}`)));
  });
  const ready = JSON.parse(line) as { url: string; token: string };
  const browser = await launchBrowser();
  return { child, url: ready.url, token: ready.token, dir, browser };
}

async function openCashier(t: Omit<Till, 'page' | 'codes' | 'n'>): Promise<Page> {
  const page = await t.browser.newPage({ viewport: { width: 1366, height: 900 } });
  await page.goto(`${t.url}?token=${t.token}`);
  await page.getByTestId('scan-input').waitFor();
  return page;
}

async function stopTill(t: Omit<Till, 'page' | 'codes' | 'n'>): Promise<void> {
  await t.browser.close();
  t.child.kill('SIGKILL');
  fs.rmSync(t.dir, { recursive: true, force: true });
}

/**
 * One scan, timed from inside the page so a sample costs one DevTools round trip: the probe is armed, the scan
 * is posted to the agent's scan route (the answer is ignored: the screen must learn of the scan from the
 * agent's WebSocket event, as it does for a hardware scan), and the sample ends at the first animation frame
 * after the basket changed, i.e. when the new line is painted.
 */
function scanAndPaint(page: Page, token: string, code: string): Promise<void> {
  return page.evaluate(
    async ({ token, code }) => {
      const painted = new Promise<void>((resolve) => {
        const root = document.querySelector('.basket-panel') ?? document.body;
        const observer = new MutationObserver(() => {
          observer.disconnect();
          requestAnimationFrame(() => resolve());
        });
        observer.observe(root, { subtree: true, childList: true, characterData: true });
      });
      const res = await fetch('/api/sale/scan', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ code }) });
      if (!res.ok) throw new Error(`scan answered ${res.status}`);
      await painted;
    },
    { token, code },
  );
}

const entries: BenchEntry[] = [
  {
    // The scan enters at the agent's scan route, the path every scan takes; the page learns of it only from the
    // WebSocket event; a sample ends when the changed basket is painted in Chromium.
    name: 'ui.scan-to-paint',
    target: 'p99 <= 50 ms',
    samples: 100,
    async setup() {
      const base = await startTill();
      const page = await openCashier(base);
      const till: Till = { ...base, page, codes: [SCAN.milk, SCAN.soap, SCAN.bread], n: 0 };
      return till;
    },
    async run(state) {
      const t = state as Till;
      // Alternating items make a new line each time (a basket grows to ~100 lines: a heavy one).
      const code = t.codes[t.n++ % t.codes.length] ?? SCAN.milk;
      await scanAndPaint(t.page, t.token, code);
    },
    teardown: (state) => stopTill(state as Till),
  },
  {
    name: 'ui.first-paint',
    target: 'p50 <= 1000 ms',
    samples: 20,
    setup: () => startTill(),
    async run(state) {
      const page = await openCashier(state as Till);
      await page.close();
    },
    teardown: (state) => stopTill(state as Till),
  },
];

export default entries;
