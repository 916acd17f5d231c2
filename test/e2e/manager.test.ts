import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox, type SandboxHandle } from '../../main/sandbox';
import { decodeEscPos } from '../../native/printers/escpos-decoder';
import { listUsbPrinters } from '../../main/devices/port-discovery';
import { runCli, startServe } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';
import { SCAN } from '../integration/sale-api/seed';
import { TcpPrinterServer } from '../integration/printers/printer-emulator';
import { accessibilityViolations, saveScreenshot, useBrowserAndAgents } from './page-helpers';
import { seededDataDir } from './seed-till';
import { sandboxEnv } from '../helpers/sandbox-env';

const harness = useBrowserAndAgents();
let sandbox: SandboxHandle | undefined;
let printer: TcpPrinterServer | undefined;
afterAll(async () => {
  await sandbox?.close();
  await printer?.close();
});

const PIN = '4711';
/** Members the sandbox does not know yet: the Loyalty API refuses their transactions (404), for good. */
const LATE_MEMBER = 'member-joins-later';
const UNKNOWN_MEMBER = 'member-never-known';

type Api = (route: string, body?: unknown) => Promise<unknown>;

function apiFor(url: string, token: string): Api {
  return async (route, body) => {
    const res = await fetch(new URL(route, url), {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json: unknown = await res.json();
    if (!res.ok) throw new Error(`${route}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
}

/** A cash sale for a member, through the same API the cashier's screen uses. */
async function memberSale(api: Api, memberId: string): Promise<string> {
  await api('/api/sale/customer', { memberId });
  await api('/api/sale/scan', { code: SCAN.milk });
  const out = (await api('/api/sale/tender', { kind: 'cash' })) as { committed: boolean; receipt: { receiptId: string } };
  expect(out.committed).toBe(true);
  return out.receipt.receiptId;
}

describe('manager back office in headless Chromium against the headless agent and the sandbox', { timeout: 120_000 }, () => {
  it('logs in with the PIN, retries and resolves refused envelopes, checks rules and devices, prints an X report and downloads its CSV', async () => {
    sandbox = await startSandbox({ port: 0, demo: true });
    printer = new TcpPrinterServer();
    const printerPort = await printer.listen();
    const dataDir = seededDataDir(tempDir());
    fs.writeFileSync(path.join(dataDir, 'till-agent.config.json'), JSON.stringify({ devices: { printer: { kind: 'tcp', host: '127.0.0.1', port: printerPort } } }));
    const env = {
      TILL_BRANCH_ID: 'oslo-sentrum',
      TILL_POS_ID: 'kasse-7',
      TILL_LOCALE: 'en-GB',
      ...sandboxEnv(sandbox),
    };
    // The PIN goes in on stdin, as a script would set it; it is never written anywhere but as a hash.
    const setPin = await runCli(['manager', 'set-pin', '--data-dir', dataDir], env, 30_000, `${PIN}\n`);
    expect(setPin.code, setPin.stderr).toBe(0);

    const { child, ready } = await startServe(['--data-dir', dataDir, '--port', '0'], env);
    harness.track(child);
    const api = apiFor(ready.url, ready.token);
    await api('/api/shift/open-day', {});
    await api('/api/shift/open', { operatorId: 'anna' });
    const lateReceipt = await memberSale(api, LATE_MEMBER);
    const unknownReceipt = await memberSale(api, UNKNOWN_MEMBER);
    // The agent delivers in the background; both are refused by the Loyalty API and wait for a manager.
    await expect
      .poll(async () => ((await api('/api/status')) as { queue: { needsAttention: number } }).queue.needsAttention, { timeout: 30_000 })
      .toBe(2);

    const page = await harness.browser().newPage({ viewport: { width: 1366, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${ready.url}?token=${ready.token}`);
    // From the cashier's screen: the button is there, and Ctrl+M opens the back office.
    await page.getByTestId('open-manager').waitFor();
    await saveScreenshot(page, 'manager-entry-cashier');
    await page.keyboard.press('Control+m');
    await page.getByTestId('manager-login').waitFor();
    expect(page.url()).toContain('#/manager');

    // A wrong PIN is refused and counts down; the right one opens the back office.
    await page.getByTestId('pin-input').fill('0000');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('login-message').textContent()).toContain('4 attempts left');
    await saveScreenshot(page, 'manager-login', { fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByTestId('pin-input').fill(PIN);
    await page.keyboard.press('Enter');

    // Sync: both refused transactions, one row per effect, with the Loyalty API's reason and the recommendation.
    await page.getByTestId('attention-table').waitFor();
    const rows = page.locator('[data-testid^="effect-"]');
    expect(await rows.count()).toBe(2);
    const lateRow = rows.filter({ hasText: lateReceipt });
    const unknownRow = rows.filter({ hasText: unknownReceipt });
    expect(await lateRow.textContent()).toContain('Refused by the back end');
    // A refused Loyalty transaction must reach the back end: retry first, and it offers write-off, never resolve.
    expect(await lateRow.locator('[data-testid^="recommended-"]').getAttribute('data-action')).toBe('retry');
    expect(await lateRow.getByRole('button', { name: 'Resolve' }).count()).toBe(0);
    expect(await page.getByTestId('count-needs-attention').textContent()).toBe('2');
    await saveScreenshot(page, 'manager-sync', { fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    // The member joins; retrying now delivers the first envelope.
    sandbox.load({
      rules: [],
      giftCards: [],
      members: [
        { customerId: 'cust-late', membershipKey: LATE_MEMBER, firstName: 'Kari', lastName: 'Sent', phoneNumber: '+4799999977', email: 'kari.sent@example.com', birthday: '1980-05-17', allowedSMS: false, allowedEmail: false, termsOfUse: true, gdpr: true, points: 0, credit: 0, assets: [] },
      ],
    });
    await lateRow.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => page.getByTestId('sync-feedback').textContent()).toContain('queued for delivery again');
    await expect.poll(() => rows.filter({ hasText: lateReceipt }).count(), { timeout: 30_000 }).toBe(0);

    // The other is refused again after a retry: the till now recommends writing it off, which needs a note.
    await unknownRow.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => unknownRow.locator('[data-testid^="recommended-"]').getAttribute('data-action'), { timeout: 30_000 }).toBe('write_off');
    await unknownRow.getByRole('button', { name: 'Write off' }).click();
    await expect.poll(() => page.getByTestId('sync-feedback').textContent()).toContain('Write why');
    await unknownRow.getByRole('textbox').fill('Member never registered; posted by hand in the loyalty back office');
    await unknownRow.getByRole('button', { name: 'Write off' }).click();
    await page.getByTestId('attention-empty').waitFor();
    expect(await page.getByTestId('count-needs-attention').textContent()).toBe('0');
    await saveScreenshot(page, 'manager-sync-cleared', { fullPage: true });

    // Rules: version and age of the cache, search, explain.
    await page.keyboard.press('Alt+2');
    await page.getByTestId('rules-version').waitFor();
    expect(await page.getByTestId('rules-version').textContent()).not.toBe('');
    await page.getByTestId('rule-search').fill('dairy');
    await expect.poll(() => page.getByTestId('rule-list').locator('li').count()).toBeGreaterThan(0);
    await page.getByTestId('rule-list').getByRole('button').first().click();
    await page.getByTestId('rule-explanation').waitFor();
    // The rule in words: what it gives, who gets it, where; no JSON, wildcard or reward type name.
    const explanation = (await page.getByTestId('rule-explanation').textContent()) ?? '';
    expect(explanation).toContain('What it gives');
    expect(explanation).toContain('Who gets it');
    expect(explanation).not.toMatch(/[{}*]|discount_|purchase_|store_ids/);
    await saveScreenshot(page, 'manager-rules', { fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    // Refresh while Dintero is unreachable: the failure in words, and the cached set stays.
    const version = await page.getByTestId('rules-version').textContent();
    await sandbox.setOffline(true);
    await page.getByTestId('refresh-rules').click();
    await expect.poll(() => page.getByTestId('rules-feedback').textContent(), { timeout: 30_000 }).toContain('Refresh failed');
    expect(await page.getByTestId('rules-feedback').getAttribute('role')).toBe('alert');
    expect(await page.getByTestId('rules-version').textContent()).toBe(version);
    await saveScreenshot(page, 'manager-rules-refresh-offline');
    await sandbox.setOffline(false);
    await page.getByTestId('refresh-rules').click();
    await expect.poll(() => page.getByTestId('rules-feedback').textContent(), { timeout: 30_000 }).toContain('up to date');

    // Devices: the printer on the loopback, a test print reaches it.
    await page.keyboard.press('Alt+3');
    await page.getByTestId('device-printer').waitFor();
    const printedBefore = printer.emulator.receipts().length;
    await page.getByTestId('test-print').click();
    await expect.poll(() => page.getByTestId('devices-feedback').textContent()).toContain('Sent to the printer');
    await expect.poll(() => printer?.emulator.receipts().length ?? 0, { timeout: 20_000 }).toBeGreaterThan(printedBefore);
    await saveScreenshot(page, 'manager-devices', { fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    // Business day: the X report of the open day, printed through the spool and downloaded as CSV.
    await page.keyboard.press('Alt+4');
    await page.getByTestId('x-report').click();
    await page.getByTestId('report').waitFor();
    expect(await page.getByTestId('report-entries').textContent()).toContain('Sales');
    expect(await page.getByTestId('report-totals').textContent()).toContain('Reports written off (1)');
    // The Norwegian rules' sections (docs/fiscal-no.md), from the agent's real figures: two sales receipts printed,
    // the cash of the open shift, and the article group the milk sells under.
    const fiscalRow = async (label: string): Promise<string> => (await page.getByTestId('report-fiscal').getByRole('row', { name: label }).textContent()) ?? '';
    await expect.poll(() => fiscalRow('Sales receipts'), { timeout: 20_000 }).toContain('2');
    expect(await fiscalRow('Provisional receipts')).toContain('0');
    expect(await page.getByTestId('report-article-groups').textContent()).toMatch(/\d/);
    const expectedText = (await page.getByTestId('report-cash').getByRole('row', { name: 'Expected' }).textContent()) ?? '';
    expect(expectedText).toMatch(/kr|NOK/);
    expect(await page.getByTestId('training-state').textContent()).toBe('Off');
    expect(await page.getByTestId('expected-cash').textContent()).toBe(expectedText.replace('Expected', '').trim());
    await saveScreenshot(page, 'manager-day-x-report', { fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    // Cash to the safe: journaled, the drawer kicked on the loopback printer, and counted on the next X report.
    await page.getByLabel('Cash to take out').fill('10');
    await page.getByLabel('Note (optional, e.g. to the safe)').fill('to the safe');
    await page.getByTestId('withdraw-cash').click();
    await expect.poll(() => page.getByTestId('day-feedback').textContent()).toContain('taken out of the drawer');
    // Training on and off again from the screen; both switches are journaled.
    await page.getByTestId('training-toggle').click();
    await expect.poll(() => page.getByTestId('training-state').textContent()).toContain('On:');
    expect(await page.getByTestId('withdraw-cash').isDisabled()).toBe(true);
    await page.getByTestId('training-toggle').click();
    await expect.poll(() => page.getByTestId('training-state').textContent()).toBe('Off');
    await page.getByTestId('x-report').click();
    await expect.poll(() => fiscalRow('Cash taken out')).toMatch(/^Cash taken out1.*10/);
    await saveScreenshot(page, 'manager-day-fiscal', { fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    // Counted by what is on paper: the withdrawal's drawer kick alone has no cut, so it shares the report's piece.
    const emulator = printer.emulator;
    const xReports = (): number => emulator.receipts().filter((r) => decodeEscPos(r).lines.some((l) => l.text.includes('X REPORT'))).length;
    const reportsBefore = xReports();
    await page.getByTestId('print-report').click();
    await expect.poll(xReports, { timeout: 20_000 }).toBeGreaterThan(reportsBefore);
    const printedText = decodeEscPos(emulator.receipts().at(-1) as Uint8Array).lines.map((l) => l.text).join('\n');
    expect(printedText).toContain('X REPORT');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^x-report-\d{4}-\d{2}-\d{2}-kasse-7\.csv$/);
    const csv = fs.readFileSync((await download.path()) ?? '', 'utf8');
    expect(csv.split('\r\n')[0]).toBe('section,key,count,amount,currency');
    expect(csv).toContain('entries,sales,2,');

    // Settings: read-only, and where to change them.
    await page.keyboard.press('Alt+5');
    await page.getByTestId('manager-settings').waitFor();
    expect(await page.getByTestId('manager-settings').textContent()).toContain('kasse-7');
    await saveScreenshot(page, 'manager-settings', { fullPage: true });

    // Settings: the locale saved to the config file, the printer kept; the environment's TILL_LOCALE is named.
    const configFile = path.join(dataDir, 'till-agent.config.json');
    // A bad printer address, submitted from the keyboard: refused in an alert naming the field, file untouched.
    const fileBefore = fs.readFileSync(configFile, 'utf8');
    // Choices, not free text: the connection, then the host (network) or a port found on this machine.
    const connection = page.getByLabel('Printer', { exact: true });
    expect(await connection.locator('option').allTextContents()).toEqual(['None', 'Network', 'Serial port', 'USB']);
    expect(await connection.inputValue()).toBe('tcp');
    await connection.selectOption('usb');
    // No USB printer on this machine: a path field, and the screen says none was found.
    if (listUsbPrinters().length === 0) await expect.poll(() => page.getByTestId('manager-settings').textContent()).toContain('None found on this machine');
    await connection.selectOption('tcp');
    const printerField = page.getByLabel('Printer address (host name or IP, with :port when not 9100)');
    const printerText = await printerField.inputValue();
    expect(printerText).toBe(`127.0.0.1:${printerPort}`);
    await printerField.fill('printer.local:99999');
    await printerField.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('the port must be 1 to 65535');
    expect(fs.readFileSync(configFile, 'utf8')).toBe(fileBefore);
    await printerField.fill(printerText);
    const locale = page.getByLabel('Locale', { exact: true });
    expect(await locale.locator('option').allTextContents()).toEqual(['Norsk', 'English', 'Español']);
    await locale.selectOption('nb-NO');
    await page.getByTestId('settings-save').click();
    await expect.poll(() => page.getByTestId('settings-feedback').textContent()).toContain('Saved. Restart the till agent to use the new settings.');
    expect(await page.getByTestId('settings-feedback').textContent()).toContain('TILL_LOCALE');
    expect(JSON.parse(fs.readFileSync(configFile, 'utf8'))).toEqual({ locale: 'nb-NO', devices: { printer: { kind: 'tcp', host: '127.0.0.1', port: printerPort } } });
    expect(fs.statSync(configFile).mode & 0o777).toBe(0o600);
    await saveScreenshot(page, 'manager-settings-saved', { fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
