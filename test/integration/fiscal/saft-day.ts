import fs from 'node:fs';
import path from 'node:path';
import { dbPath } from '../../../main/agent/data-dir';
import { dayReportFor } from '../../../main/agent/day-reports';
import { loadFiscalSigningKey } from '../../../main/agent/fiscal-key';
import { ownerOnlyFile } from '../../../main/agent/secret-store';
import { minor } from '../../../main/core/money';
import { provisionalReceiptDocument } from '../../../main/core/sale';
import { openDb } from '../../../main/store';
import { importCatalog } from '../../../main/store/catalog';
import { recordFiscalEvent } from '../../../main/store/fiscal-events';
import { closeBusinessDay, closeShift, commitSale, openBusinessDay, openShift, refundSale, voidSale } from '../../../main/store/ledger';
import { enqueuePrintJob, markPrinted, reprintSale } from '../../../main/store/print-jobs';
import { queueProvisionalReceipt } from '../../../main/store/provisional-receipts';
import { tempDir } from '../../helpers/temp-dir';
import { APPLES, BEER, MILK, NOW, sampleReceipt, TILL } from '../ledger/fixtures';

/**
 * A till's data directory with one whole business day: sales (cash and card), a copy, a void, a refund, a training
 * sale, a kiosk sale without a printed receipt, a drawer opening without a sale, a price look-up, a cancelled
 * sale, a provisional receipt, the drawer closing, an X report, then shift and day closed and the Z report made. Returns the paths a CLI run needs.
 */
export function tillWithADay(dataDir: string = tempDir('till-saft-')): { dataDir: string; configFile: string } {
  const configFile = path.join(dataDir, 'till.config.json');
  fs.writeFileSync(
    configFile,
    JSON.stringify({ branchId: TILL.branchId, posId: TILL.posId, timeZone: 'Europe/Oslo', store: { name: 'Butikken AS', addressLines: ['Storgata 1', '0155 Oslo'], orgNumber: '999 999 999' }, fiscal: { articleGroups: { dairy: '04006', alcohol: '04007' } } }),
  );
  const db = openDb(dbPath(dataDir));
  let t = NOW.getTime();
  const at = (): Date => new Date((t += 60_000));
  importCatalog(db, [MILK, BEER, APPLES].map((item, i) => ({ line: i + 2, item })), NOW);
  loadFiscalSigningKey(dataDir, db, ownerOnlyFile, 'Europe/Oslo', NOW);
  recordFiscalEvent(db, 'app_start', {}, at());
  openBusinessDay(db, at(), '2026-03-02');
  // The shift is the cashier's log-in (13003) and its close her log-out (13004): openShift and closeShift journal them.
  openShift(db, 'anna', minor(50_000), at());
  const printAll = (): void => {
    for (const job of db.prepare("SELECT id FROM print_jobs WHERE state = 'pending' ORDER BY id").all() as { id: number }[]) markPrinted(db, job.id, at());
  };
  // Cash rounded to whole kroner (89.47 paid as 89.00, rounding -0.47): the file carries <rounding> (docs/ledger.md).
  const cash = commitSale(db, { till: { ...TILL, cashUnit: 100 }, receipt: sampleReceipt(), tenders: [{ kind: 'cash', amount: minor(10_000) }], ruleSetVersion: 'r1' }, at());
  if (cash.entry.rounding !== -47) throw new Error(`expected a cash rounding of -47, got ${String(cash.entry.rounding)}`);
  const card = commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'card', amount: minor(8947), terminalRef: 'T-1' }], ruleSetVersion: 'r1' }, at());
  printAll();
  reprintSale(db, card.saleId, at(), 'anna');
  printAll();
  voidSale(db, { till: TILL, receiptId: cash.entry.receiptId, reason: 'customer changed mind' }, at());
  refundSale(db, { till: TILL, receiptId: card.entry.receiptId, lines: [{ lineId: 1, quantity: 1 }], tenders: (due) => [{ kind: 'card', amount: due, terminalRef: 'T-2' }] }, at());
  commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'cash', amount: minor(9000) }], ruleSetVersion: 'r1', training: true }, at());
  commitSale(db, { till: TILL, receipt: sampleReceipt(), tenders: [{ kind: 'card', amount: minor(8947), terminalRef: 'T-3' }], ruleSetVersion: 'r1', printReceipt: false }, at());
  enqueuePrintJob(db, null, { kind: 'drawer' }, at());
  printAll();
  // The drawer's sensor read shut after that opening (the spool reports it: main/devices/device-manager.ts).
  recordFiscalEvent(db, 'drawer_close', {}, at());
  // A bill before payment, on the provisional series.
  const billAt = at();
  queueProvisionalReceipt(
    db,
    (n) => provisionalReceiptDocument(sampleReceipt(), { receiptId: `${TILL.branchId}-${TILL.posId}-P${n}`, number: n, branchId: TILL.branchId, posId: TILL.posId, operatorId: 'anna', currency: TILL.currency, at: billAt.toISOString(), ruleSetVersion: 'r1' }),
    billAt,
  );
  printAll();
  recordFiscalEvent(db, 'price_lookup', { operatorId: 'anna', text: 'artID milk; 21.90' }, at());
  recordFiscalEvent(db, 'sale_cancelled', { operatorId: 'anna', text: '2 lines, 51.80' }, at());
  dayReportFor(db, { ...TILL }, 'X', undefined, at());
  closeShift(db, minor(50_000 + 9000), at());
  closeBusinessDay(db, at());
  dayReportFor(db, { ...TILL }, 'Z', undefined, at());
  recordFiscalEvent(db, 'app_stop', {}, at());
  db.close();
  return { dataDir, configFile };
}
