import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { minor } from '../../main/core/money';
import { roundToCashUnit } from '../../main/core/sale';
import { MILK, SCAN, SOAP } from '../integration/sale-api/seed';
import { startServe } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';
import { accessibilityViolations, saveScreenshot, useBrowserAndAgents, wedgeScan } from './page-helpers';
import { CACHED_MEMBER, seedCachedMember, seededDataDir } from './seed-till';

const harness = useBrowserAndAgents();

const focusedId = (page: Page): Promise<string | undefined> => page.evaluate(() => document.activeElement?.id);

// A real browser and agent on a 2-core machine busy with other test files: give each test room.
describe('cashier sale in headless Chromium against the headless agent', { timeout: 90_000 }, () => {
  it('rings up a cash sale with a discount, refuses a bad barcode, explains the discounts and shows the receipt', async () => {
    const dataDir = seededDataDir(tempDir());
    const { child, ready } = await startServe(['--data-dir', dataDir, '--port', '0'], { TILL_BRANCH_ID: 'oslo-sentrum', TILL_POS_ID: 'kasse-4', TILL_LOCALE: 'en-GB' });
    harness.track(child);
    const page = await harness.browser().newPage({ viewport: { width: 1366, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text() + ' ' + m.location().url));
    page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${ready.url}?token=${ready.token}`);
    await expect.poll(() => focusedId(page)).toBe('scan-input');
    expect(await page.getByTestId('basket-empty').isVisible()).toBe(true);

    // Scan milk (discounted 10 %) and soap, as a keyboard-wedge scanner types them into the scan field.
    await page.keyboard.type(SCAN.milk);
    await page.keyboard.press('Enter');
    await page.keyboard.type(SCAN.soap);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('basket-line').count()).toBe(2);
    const discount = page.getByTestId('line-discount');
    expect(await discount.count()).toBe(1);
    expect(await discount.textContent()).toContain('Dairy 10% off');
    const tenPercent = Math.round(MILK.unitPrice / 10);
    const net = MILK.unitPrice + SOAP.unitPrice - tenPercent;
    const fmt = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'NOK' });
    expect(await page.getByTestId('total-net').textContent()).toBe(fmt.format(net / 100));
    expect(await page.getByTestId('total-discount').textContent()).toBe(`−${fmt.format(tenPercent / 100)}`);

    // A bad check digit: a clear message, flagged as an alert, and the basket is untouched.
    await page.keyboard.type('7038010000011');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('Check digit wrong');
    expect(await page.getByTestId('basket-line').count()).toBe(2);
    await saveScreenshot(page, 'cashier-basket-bad-scan', { fullPage: true });

    // Quantity with F2 on the selected (last) line, then back on milk with the arrow keys.
    await page.keyboard.press('F2');
    await page.getByTestId('quantity-input').fill('2');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('line-qty').nth(1).textContent()).toBe('2');
    await expect.poll(() => focusedId(page)).toBe('scan-input');

    // Clicking elsewhere does not take the scan focus away.
    await page.getByTestId('total-net').click();
    await expect.poll(() => focusedId(page)).toBe('scan-input');

    // The "why" view.
    await page.keyboard.press('F7');
    await expect.poll(() => page.getByTestId('why-rule').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('why-panel').textContent()).toContain('Dairy 10 %');
    await saveScreenshot(page, 'cashier-why', { fullPage: true });
    const violations = await accessibilityViolations(page);
    expect(violations).toEqual([]);

    // Cash with change: F10, 200 NOK.
    const due = MILK.unitPrice + 2 * SOAP.unitPrice - tenPercent;
    await page.keyboard.press('F10');
    await expect.poll(() => page.getByTestId('tender-remaining').textContent()).toBe(fmt.format(due / 100));
    // NOK rounds cash to whole kroner: the dialog says what to pay in cash (docs/ledger.md, "Cash rounding").
    const cashDue = roundToCashUnit(minor(due), 100);
    expect(await page.getByTestId('tender-cash-due').textContent()).toBe(fmt.format(cashDue / 100));
    await saveScreenshot(page, 'cashier-tender-cash', { fullPage: true });
    await page.getByTestId('cash-amount').fill('200');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('receipt-preview').isVisible()).toBe(true);
    // The receipt on screen is the printer's layout: store header, TOTAL, VAT table, cash and change lines.
    const paper = (): Promise<string> => page.getByTestId('receipt-paper').innerText().catch(() => '');
    const plain = (text: string): string => text.replace(/[\u00a0\u202f]/g, ' ');
    await expect.poll(paper).toMatch(new RegExp(`TOTAL\\s+${plain(fmt.format(due / 100)).replace('.', '\\.')}`));
    expect(await paper()).toContain('till-agent demo store');
    expect(await paper()).toMatch(/VAT\s+Net\s+VAT amt\s+Gross/);
    expect(await paper()).toMatch(new RegExp(`Rounding\\s+${((cashDue - due) / 100).toFixed(2).replace('.', '\\.')}`));
    expect(await paper()).toMatch(/Cash\s+200\.00/);
    expect(await paper()).toMatch(new RegExp(`Change\\s+${((20_000 - cashDue) / 100).toFixed(2).replace('.', '\\.')}`));
    expect(await page.getByTestId('change-due').textContent()).toContain(fmt.format((20_000 - cashDue) / 100));
    expect(await page.getByTestId('handed-over').textContent()).toContain(fmt.format(200));
    expect(await page.getByTestId('basket-empty').isVisible()).toBe(true);
    await expect.poll(() => focusedId(page)).toBe('scan-input');
    await saveScreenshot(page, 'cashier-receipt', { fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);

    // A reloaded screen gets the agent's state back (an empty basket), but not the last customer's receipt and
    // change: they belong to the sale just paid, not to whoever stands at the till after a reload.
    expect(await page.getByTestId('receipt-id').textContent()).toMatch(/^oslo-sentrum-kasse-4-0+1$/);
    await page.reload();
    await expect.poll(() => focusedId(page)).toBe('scan-input');
    expect(await page.getByTestId('basket-empty').isVisible()).toBe(true);
    expect(await page.getByTestId('receipt-preview').count()).toBe(0);
    expect(await page.getByTestId('change-due').count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it('in Norwegian: a wedge scan inside a dialog goes to the basket, a member gets the member price, suspend/resume, card and cash split', async () => {
    const dataDir = seededDataDir(tempDir());
    seedCachedMember(dataDir);
    const { child, ready } = await startServe(['--data-dir', dataDir, '--port', '0'], { TILL_LOCALE: 'nb-NO' });
    harness.track(child);
    const page = await harness.browser().newPage({ viewport: { width: 1366, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${ready.url}?token=${ready.token}`);
    await expect.poll(() => focusedId(page)).toBe('scan-input');
    expect(await page.locator('html').getAttribute('lang')).toBe('nb-NO');
    expect(await page.getByText('Skann eller tast en kode').count()).toBe(1);

    // The customer dialog is open and its field has the focus when the scanner fires: the code is not
    // typed into the membership field, it goes to the basket.
    await page.keyboard.press('F6');
    await expect.poll(() => focusedId(page)).toBe('member-input');
    await wedgeScan(page, SCAN.bread);
    await expect.poll(() => page.getByTestId('basket-line').count()).toBe(1);
    expect(await page.getByTestId('member-input').inputValue()).toBe('');
    expect(await page.getByTestId('dialog-customer').isVisible()).toBe(true);
    // Now a person types the membership number (this till has no back end: the member comes from its cache).
    await page.getByTestId('member-input').pressSequentially(CACHED_MEMBER.number, { delay: 120 });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('customer').textContent()).toContain(CACHED_MEMBER.name);
    expect(await page.getByTestId('customer-points').textContent()).toContain('for 3 timer siden');
    await expect.poll(() => page.getByTestId('line-discount').textContent()).toContain('Member price bread');
    const fmt = new Intl.NumberFormat('nb-NO', { style: 'currency', currency: 'NOK' });
    expect(await page.getByTestId('total-net').textContent()).toBe(fmt.format(25));
    await saveScreenshot(page, 'cashier-nb-member', { fullPage: true });

    // Suspend (F8), serve someone else's soap, then resume the bread basket (F9).
    await page.keyboard.press('F8');
    await expect.poll(() => page.getByTestId('basket-empty').isVisible()).toBe(true);
    await page.keyboard.type(SCAN.soap);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('basket-line').count()).toBe(1);
    await page.keyboard.press('F10');
    // Soap 49,50 in cash is 50,00 in Norway: the dialog shows the rounding and what to pay in cash.
    await expect.poll(() => page.getByTestId('tender-cash-due').textContent()).toBe(fmt.format(50));
    expect(await page.getByTestId('tender-cash-rounding').textContent()).toBe(`Øreavrunding: +${fmt.format(0.5)}`);
    expect(await page.getByTestId('dialog-tender-cash').innerText()).toContain('Mottatt');
    await saveScreenshot(page, 'cashier-nb-cash-rounding', { fullPage: true });
    await page.getByTestId('cash-exact').click();
    await expect.poll(() => page.getByTestId('receipt-preview').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('receipt-paper').innerText().catch(() => '')).toMatch(/Øreavrunding\s+0,50/);
    await saveScreenshot(page, 'cashier-nb-receipt-rounding', { fullPage: true });
    // F9 at once: the tender dialog closed in the same render that showed the receipt (renderer/cashier/tender-close.ts).
    await page.keyboard.press('F9');
    await expect.poll(() => page.getByTestId('dialog-resume').count()).toBe(1);
    await page.getByTestId('dialog-resume').getByRole('button', { name: 'Hent parkert' }).click();
    await expect.poll(() => page.getByTestId('basket-line').count()).toBe(1);
    expect(await page.getByTestId('line-discount').textContent()).toContain('Member price bread');

    // Split: 10 kr on the stand-alone card terminal (this till drives none: no reference to type, Enter confirms
    // the terminal approved), the rest in cash.
    await page.keyboard.press('F12');
    expect(await page.getByTestId('card-ref').count()).toBe(0);
    expect(await page.getByTestId('external-card-confirm').textContent()).toContain('Enter');
    await page.getByTestId('card-amount').fill('10');
    await saveScreenshot(page, 'cashier-nb-external-card', { fullPage: true });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('total-remaining').textContent()).toBe(fmt.format(15));
    await page.keyboard.press('F10');
    await page.getByTestId('cash-amount').fill('20');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('change-due').textContent()).toContain(fmt.format(5));
    await expect.poll(() => page.getByTestId('receipt-paper').innerText().catch(() => '')).toContain('Kort (ekstern terminal)');
    expect(await page.getByTestId('receipt-paper').innerText()).toContain('Tilbake');
    await saveScreenshot(page, 'cashier-nb-receipt', { fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
  });
});
