import fs from 'node:fs';
import type { Command } from 'commander';
import type { Config } from '../../config';
import { TillError } from '../../core/errors';
import { buildIndex, parseRules } from '../../core/discounts';
import { type Minor, minor, parseDecimal, sub, sum, toDecimal, ZERO } from '../../core/money';
import { addToBasket, cashUnitFor, currencyExponent, stillToPay, EMPTY_BASKET, identifyCustomer, priceBasket, type SaleEntry, type Tender } from '../../core/sale';
import { SaleScriptSchema, type ScriptTender } from '../../core/sale/script';
import { acknowledgeLostSales, lostSalesMessage, type WritableDb } from '../../store';
import { lookupByCode } from '../../store/catalog';
import { localDiscountUsage } from '../../store/discount-usage';
import { closeBusinessDay, closeShift, currentBusinessDay, commitSale, type CommitResult, currentShift, findEntry, listEntries, openBusinessDay, openShift, refundSale, storeIdOf, type TillIdentity, voidSale } from '../../store/ledger';
import { type CommonOptions, loadFromOptions, newCommand, reportFailure } from '../common';
import { openTillDb } from '../till-db';
import { balanceKeysFor } from '../../agent/balance-keys';
import { loadFiscalSigningKey } from '../../agent/fiscal-key';
import { ownerOnlyFile } from '../../agent/secret-store';

type Ctx = { db: WritableDb; till: TillIdentity; exponent: number; offlineLimits: Config['offlineLimits'] };

function withTill(cmd: Command, fn: (ctx: Ctx) => void): void {
  try {
    const { config } = loadFromOptions(cmd.optsWithGlobals<CommonOptions>());
    const db = openTillDb(config.dataDir);
    try {
      // Sales from the command line are signed like the agent's (the desktop app's OS-sealed key cannot be opened here).
      loadFiscalSigningKey(config.dataDir, db, ownerOnlyFile, config.timeZone, new Date());
      fn({ db, till: { branchId: config.branchId, posId: config.posId, currency: config.currency, storeId: config.store.id, cashUnit: cashUnitFor(config.currency, config.cashUnit) }, exponent: currencyExponent(config.currency), offlineLimits: config.offlineLimits });
    } finally {
      db.close();
    }
  } catch (err) {
    reportFailure(err);
  }
}

function money(text: string, exponent: number, what: string): Minor {
  try {
    return parseDecimal(text, exponent);
  } catch (err) {
    throw new TillError('SCHEMA_INVALID', `${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function readScript(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TillError('SCHEMA_INVALID', `Cannot read the sale script ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Tenders without an amount pay what the earlier tenders left (cash: rounded to the cash unit, docs/ledger.md). */
function tendersFor(due: Minor, script: readonly ScriptTender[], exponent: number, cashUnit: number): Tender[] {
  const out: Tender[] = [];
  for (const [i, t] of script.entries()) {
    const paid = sum(out.map((o) => o.amount));
    const left = t.kind === 'cash' ? stillToPay(due, out, cashUnit, true) : sub(due, paid);
    const amount = t.amount !== undefined ? money(t.amount, exponent, `tender ${i + 1}`) : left;
    switch (t.kind) {
      case 'cash':
        out.push({ kind: 'cash', amount });
        break;
      case 'card':
        out.push({ kind: 'card', amount, terminalRef: t.terminalRef });
        break;
      case 'gift_card':
        out.push({ kind: 'gift_card', amount, cardToken: t.cardToken, ...(t.offline ? { offline: true } : {}) });
        break;
      case 'loyalty':
        out.push({ kind: 'loyalty', amount, memberId: t.memberId, asset: t.asset, ...(t.offline ? { offline: true } : {}) });
        break;
    }
  }
  return out;
}

function printResult(result: CommitResult, json: boolean | undefined, exponent: number): void {
  const e: SaleEntry = result.entry;
  if (json) {
    process.stdout.write(`${JSON.stringify({ receiptId: e.receiptId, saleNo: e.saleNo, kind: e.kind, totals: e.totals, change: e.change, envelopeId: result.envelopeId, printJobId: result.printJobId, journalSeq: result.journalSeq })}\n`);
    return;
  }
  process.stdout.write(`${e.kind} ${e.receiptId}: total ${toDecimal(e.totals.net, exponent)} ${e.currency}` + `${e.totals.discount !== 0 ? ` (discount ${toDecimal(e.totals.discount, exponent)})` : ''}` + `${e.change > 0 ? `, change ${toDecimal(e.change, exponent)}` : ''}\n`);
}

function runScript(ctx: Ctx, file: string, opts: { openShift?: string; ruleSetVersion?: string }): CommitResult {
  const parsed = SaleScriptSchema.safeParse(readScript(file));
  if (!parsed.success) {
    throw new TillError('SCHEMA_INVALID', `The sale script ${file} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  const script = parsed.data;
  const now = new Date();
  if (opts.openShift && !currentShift(ctx.db)) {
    if (!currentBusinessDay(ctx.db)) openBusinessDay(ctx.db, now);
    openShift(ctx.db, opts.openShift, ZERO, now);
  }
  let basket = EMPTY_BASKET;
  for (const [i, line] of script.lines.entries()) {
    const item = lookupByCode(ctx.db, line.code);
    if (!item) throw new TillError('NOT_FOUND', `Line ${i + 1}: no item has the code ${line.code}.`);
    basket = addToBasket(basket, {
      item,
      ...(line.quantity !== undefined ? { quantity: line.quantity } : {}),
      ...(line.grams !== undefined ? { grams: line.grams } : {}),
      ...(line.price !== undefined ? { price: money(line.price, ctx.exponent, `line ${i + 1} price`) } : {}),
      barcode: line.code,
    });
  }
  basket = identifyCustomer(basket, { ...(script.customerId ? { customerId: script.customerId } : {}), ...(script.memberId ? { memberId: script.memberId } : {}) });
  let rules = buildIndex([]);
  let ruleSetVersion = opts.ruleSetVersion ?? script.ruleSetVersion ?? 'none';
  if (script.rules) {
    const parsed = parseRules(script.rules);
    if (parsed.rejected.length > 0) throw new TillError('RULE_INVALID', `${parsed.rejected.length} discount rule(s) in the script are not valid.`);
    rules = buildIndex(parsed.rules);
    ruleSetVersion = opts.ruleSetVersion ?? script.ruleSetVersion ?? 'script';
  }
  // Priced the way the till prices (main/core/sale/price-basket.ts), with the customer's uses at this till.
  const state = basket.customerId === undefined ? undefined : localDiscountUsage(ctx.db, basket.customerId);
  const { receipt } = priceBasket(basket, { receiptId: 'draft', purchaseAt: now.toISOString(), storeId: storeIdOf(ctx.till), currency: ctx.till.currency }, rules, { state });
  const due = receipt.net_amount;
  const tenders = tendersFor(due, script.tenders, ctx.exponent, ctx.till.cashUnit ?? 1);
  // Offline value tenders are taken at full risk, within the till's offline limits (checked in the commit).
  const amountsAtRisk = tenders.map((t) => ((t.kind === 'gift_card' || t.kind === 'loyalty') && t.offline ? Math.min(t.amount, due) : 0));
  return commitSale(
    ctx.db,
    {
      till: ctx.till,
      receipt,
      tenders,
      amountsAtRisk,
      ruleSetVersion,
      offlineLimits: ctx.offlineLimits,
      balanceKeyOf: balanceKeysFor(ctx.db),
      ...(script.operator ? { operatorId: script.operator } : {}),
      ...(script.customerId ? { customerId: script.customerId } : {}),
      ...(script.memberId ? { memberId: script.memberId } : {}),
    },
    now,
  );
}

export function saleCommand(): Command {
  const sale = newCommand('sale', 'sales at this till: scripted sales, voids, refunds, business day and shift');

  sale
    .command('run')
    .description('run a scripted sale from a JSON file (lines by code, tenders) and commit it')
    .argument('<file>', 'the sale script (docs/ledger.md)')
    .option('--open-shift <operator>', 'open a business day and shift for OPERATOR first if none is open')
    .option('--rule-set-version <version>', 'the rule-set version the sale is priced with')
    .option('--json', 'print the result as JSON')
    .action((file: string, opts: { openShift?: string; ruleSetVersion?: string; json?: boolean }, cmd: Command) =>
      withTill(cmd, (ctx) => printResult(runScript(ctx, file, opts), opts.json, ctx.exponent)),
    );

  sale
    .command('void')
    .description('void a sale of the open business day (a new entry; the sale itself is never changed)')
    .argument('<receipt-id>')
    .option('--reason <text>')
    .option('--json')
    .action((id: string, opts: { reason?: string; json?: boolean }, cmd: Command) =>
      withTill(cmd, (ctx) => printResult(voidSale(ctx.db, { till: ctx.till, receiptId: id, ...(opts.reason ? { reason: opts.reason } : {}) }, new Date()), opts.json, ctx.exponent)),
    );

  sale
    .command('refund')
    .description('refund lines of a sale: --line LINE[:QTY] (QTY pieces, or grams for weight items; default all that is left)')
    .argument('<receipt-id>')
    .requiredOption('--line <line...>', 'LINE or LINE:QTY, repeatable')
    .option('--card <terminal-ref>', 'pay back to a card (terminal reference) instead of cash')
    .option('--reason <text>')
    .option('--json')
    .action((id: string, opts: { line: string[]; card?: string; reason?: string; json?: boolean }, cmd: Command) =>
      withTill(cmd, (ctx) => {
        const lines = opts.line.map((l) => {
          const m = /^(\d+)(?::(\d+))?$/.exec(l);
          if (!m) throw new TillError('SCHEMA_INVALID', `--line ${l}: expected LINE or LINE:QTY`);
          return m[2] === undefined ? { lineId: Number(m[1]) } : { lineId: Number(m[1]), quantity: Number(m[2]) };
        });
        const result = refundSale(
          ctx.db,
          { till: ctx.till, receiptId: id, lines, tenders: (due) => due === 0 ? [] : [opts.card ? { kind: 'card', amount: due, terminalRef: opts.card } : { kind: 'cash', amount: due }], ...(opts.reason ? { reason: opts.reason } : {}) },
          new Date(),
        );
        printResult(result, opts.json, ctx.exponent);
      }),
    );

  sale
    .command('list')
    .description('the latest entries (sales, voids, refunds)')
    .option('--limit <n>', 'how many', '20')
    .action((opts: { limit: string }, cmd: Command) =>
      withTill(cmd, (ctx) => {
        for (const e of listEntries(ctx.db, Number(opts.limit))) {
          process.stdout.write(`${e.receiptId}  ${e.kind.padEnd(6)}  ${toDecimal(minor(e.netMinor), ctx.exponent).padStart(10)}  ${e.purchaseAt}${e.refersTo ? `  -> ${e.refersTo}` : ''}\n`);
        }
      }),
    );

  sale
    .command('show')
    .description('print one entry as JSON')
    .argument('<receipt-id>')
    .action((id: string, _opts: unknown, cmd: Command) =>
      withTill(cmd, (ctx) => {
        const found = findEntry(ctx.db, id);
        if (!found) throw new TillError('NOT_FOUND', `There is no entry ${id} on this till.`);
        process.stdout.write(`${JSON.stringify(found.entry, null, 2)}\n`);
      }),
    );

  sale
    .command('acknowledge-lost')
    .description('after a storage fault lost committed sales (docs/storage.md): sell on with numbers above the lost ones')
    .requiredOption('--by <manager>', 'the manager who checked the lost sales')
    .action((o: { by: string }, cmd: Command) =>
      withTill(cmd, (ctx) => {
        const finding = acknowledgeLostSales(ctx.db, o.by, new Date());
        if (!finding) process.stdout.write('No lost sales to acknowledge: selling is not stopped.\n');
        else process.stdout.write(`Acknowledged: ${lostSalesMessage(finding).split(':')[0] ?? ''}. Selling resumes; the next sale numbers are above ${finding.tills.map((g) => `${g.posId} ${g.witness}`).join(', ')}.\n`);
      }),
    );

  const day = sale.command('day').description('open or close the business day');
  day.command('open').action((_o: unknown, cmd: Command) => withTill(cmd, (ctx) => process.stdout.write(`business day ${openBusinessDay(ctx.db, new Date())} open\n`)));
  day.command('close').action((_o: unknown, cmd: Command) => withTill(cmd, (ctx) => process.stdout.write(`business day ${closeBusinessDay(ctx.db, new Date())} closed\n`)));

  const shift = sale.command('shift').description('open or close the shift');
  shift
    .command('open')
    .requiredOption('--operator <id>')
    .option('--float <amount>', 'opening cash float', '0')
    .action((o: { operator: string; float: string }, cmd: Command) =>
      withTill(cmd, (ctx) => process.stdout.write(`shift ${openShift(ctx.db, o.operator, money(o.float, ctx.exponent, '--float'), new Date())} open\n`)),
    );
  shift
    .command('close')
    .option('--counted <amount>', 'cash counted in the drawer')
    .action((o: { counted?: string }, cmd: Command) =>
      withTill(cmd, (ctx) => {
        const s = closeShift(ctx.db, o.counted === undefined ? null : money(o.counted, ctx.exponent, '--counted'), new Date());
        process.stdout.write(`shift ${s.shiftId} closed: ${s.entries} entries, expected cash ${toDecimal(s.expectedCash, ctx.exponent)}${s.difference === null ? '' : `, difference ${toDecimal(s.difference, ctx.exponent)}`}\n`);
      }),
    );
  return sale;
}
