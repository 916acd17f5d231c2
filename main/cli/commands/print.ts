import fs from 'node:fs';
import type { Command } from 'commander';
import { type Config, parsePrinterAddress, type PrinterConfig } from '../../config';
import { TillError } from '../../core/errors';
import { receiptDocument } from '../../core/sale';
import { describePrinter } from '../../devices/describe-devices';
import { receiptLayoutOptions } from '../../devices/printing/layout-options';
import { toPrintedReceipt } from '../../devices/printing/receipt-adapter';
import { TEST_TEXT, testReceipt } from '../../devices/printing/test-receipt';
import { openReadonlyDb } from '../../store';
import { findEntry } from '../../store/ledger';
import {
  createPrinterTransport,
  printerReadiness,
  renderReceiptBytes,
  renderReceiptPreview,
  type PrinterStatus,
  type PrinterTransport,
  type ReceiptLayoutOptions,
  type ReceiptStore,
} from '../../../native/printers';
import { type CommonOptions, loadFromOptions, newCommand, reportFailure } from '../common';
import { openExistingTillDb } from '../till-db';

export { TEST_TEXT, testReceipt } from '../../devices/printing/test-receipt';

/** Quick enough for a person waiting at the command line; a LAN printer answers in milliseconds. */
const CLI_TIMINGS = { statusTimeoutMs: 500, ioTimeoutMs: 3_000 } as const;

export function storeOf(config: Config): ReceiptStore {
  const { name, addressLines, orgNumber } = config.store;
  return { name, addressLines, ...(orgNumber ? { orgNumber } : {}) };
}

export function layoutFor(config: Config): ReceiptLayoutOptions {
  return receiptLayoutOptions(config.devices.printerWidth, config);
}

export { describePrinter } from '../../devices/describe-devices';

export type PrinterCheck =
  | { readonly state: 'ready'; readonly detail: string; readonly status: PrinterStatus | undefined }
  | { readonly state: 'not-ready'; readonly detail: string; readonly status: PrinterStatus }
  | { readonly state: 'unreachable'; readonly detail: string };

/** Opens the transport (if needed) and reads DLE EOT once; every outcome comes back in words, nothing throws. */
export async function checkPrinter(transport: PrinterTransport): Promise<PrinterCheck> {
  try {
    await transport.open();
    const status = await transport.readStatus();
    if (status === undefined) {
      return { state: 'ready', detail: 'Connected; the printer does not report its status (one-way cable or status disabled)', status };
    }
    const readiness = printerReadiness(status);
    if (!readiness.ready) return { state: 'not-ready', detail: readiness.message, status };
    return { state: 'ready', detail: readiness.warning === 'paper-near-end' ? 'Ready, but the paper is running low' : 'Ready', status };
  } catch (err) {
    const detail = err instanceof TillError ? `${err.message}${err.fix ? `. ${err.fix}` : ''}` : err instanceof Error ? err.message : String(err);
    return { state: 'unreachable', detail };
  }
}

export function openPrinter(config: PrinterConfig): PrinterTransport {
  return createPrinterTransport(config, CLI_TIMINGS);
}

export function baudRate(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new TillError('SCHEMA_INVALID', `--baud ${text} is not a baud rate.`, { fix: 'Use the rate set on the device, e.g. 9600 or 38400.' });
  return n;
}

type TestOptions = CommonOptions & { printer?: string; baud: string; json?: boolean };

async function printTest(opts: TestOptions): Promise<void> {
  const { config } = loadFromOptions(opts);
  const printer = opts.printer !== undefined ? parsePrinterAddress(opts.printer, baudRate(opts.baud), '--printer') : config.devices.printer;
  if (printer.kind === 'none') {
    throw new TillError('DEVICE_UNAVAILABLE', 'No receipt printer is configured.', {
      fix: 'Set devices.printer in the config file, or name one with --printer tcp://HOST:PORT, serial:PATH or usb:PATH.',
    });
  }
  const transport = openPrinter(printer);
  try {
    const say = (line: string): void => void process.stdout.write(`${line}\n`);
    const before = await checkPrinter(transport);
    say(`${describePrinter(printer)} (${transport.id}): ${before.detail}`);
    if (before.state === 'unreachable') throw new TillError('DEVICE_DISCONNECTED', `Cannot reach the ${describePrinter(printer)}; nothing was printed.`);
    if (before.state === 'not-ready') throw new TillError('DEVICE_UNAVAILABLE', `${before.detail}; nothing was printed.`, { fix: 'Fix the printer and run the test again.' });
    const receipt = testReceipt(storeOf(config), new Date());
    await transport.write(renderReceiptBytes(receipt, layoutFor(config)));
    // The printer buffers before it prints: paper running out during the test shows only in a second read.
    const after = await checkPrinter(transport);
    if (after.state === 'not-ready') throw new TillError('DEVICE_UNAVAILABLE', `The test receipt was sent, but then: ${after.detail}.`);
    say(`Printed test receipt ${receipt.receiptId}: check "${TEST_TEXT}", the store header, the QR code and the cut.`);
  } finally {
    await transport.close();
  }
}

type PreviewOptions = CommonOptions & { out?: string; copy?: boolean };

function preview(receiptId: string, opts: PreviewOptions): void {
  const { config } = loadFromOptions(opts);
  const db = openExistingTillDb(config.dataDir, openReadonlyDb);
  let html: string;
  try {
    const found = findEntry(db, receiptId);
    if (!found) throw new TillError('NOT_FOUND', `There is no sale ${receiptId} on this till.`, { fix: 'List the receipts with `till-agent sale list`.' });
    const printed = toPrintedReceipt(receiptDocument(found.entry), storeOf(config), config.locale);
    html = renderReceiptPreview({ ...printed, copy: opts.copy === true }, layoutFor(config));
  } finally {
    db.close();
  }
  if (opts.out === undefined) process.stdout.write(`${html}\n`);
  else fs.writeFileSync(opts.out, `${html}\n`, { mode: 0o600 });
}

export function printCommand(): Command {
  const print = newCommand('print', 'receipt printer: a test print, or the preview of a committed sale');
  print
    .command('test')
    .description(`print a test receipt ("${TEST_TEXT}", store header, QR code, cut); checks the printer status first and refuses when it is not ready`)
    .option('--printer <address>', 'use this printer instead of the configured one: tcp://HOST:PORT, serial:PATH or usb:PATH')
    .option('--baud <n>', 'baud rate for --printer serial:PATH', '38400')
    .action(async (_o: unknown, cmd: Command) => {
      try {
        await printTest(cmd.optsWithGlobals<TestOptions>());
      } catch (err) {
        reportFailure(err);
      }
    });
  print
    .command('preview')
    .description("write the on-screen preview (HTML) of a committed sale's receipt, line for line what the printer prints")
    .argument('<receipt-id>')
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--copy', 'show it as a reprint (COPY)')
    .action((receiptId: string, _o: unknown, cmd: Command) => {
      try {
        preview(receiptId, cmd.optsWithGlobals<PreviewOptions>());
      } catch (err) {
        reportFailure(err);
      }
    });
  return print;
}
