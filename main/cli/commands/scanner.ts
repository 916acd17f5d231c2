import type { Command } from 'commander';
import type { ScannerConfig } from '../../config';
import { assertNever, TillError } from '../../core/errors';
import { toDecimal } from '../../core/money';
import { currencyExponent } from '../../core/sale';
import { ScanStream, type ScanEvent } from '../../devices/scanners';
import type { ScanResult } from '../../../native/barcode';
import type { ScannerStatus } from '../../../native/scanners';
import { type CommonOptions, loadFromOptions, newCommand, reportFailure } from '../common';
import { baudRate } from './print';

const TERMINATORS = ['CR', 'LF', 'CRLF'] as const;
type CliTerminator = (typeof TERMINATORS)[number];

type ListenOptions = CommonOptions & { json?: boolean; serial?: string; baud: string; terminator: string; count?: string };

export function statusText(status: ScannerStatus): string {
  return status.state === 'connected' ? `connected: ${status.detail}` : `${status.state}: ${status.reason}`;
}

/** One scan as a line a person at the till can check against the label. */
export function describeScan(result: ScanResult, exponent: number): string {
  if (!result.ok) return `error ${result.code}: ${result.message} (${result.detail})`;
  switch (result.kind) {
    case 'gtin':
      return `gtin ${result.gtin14} (${result.format}${result.restricted ? ', restricted circulation' : ''})`;
    case 'gs1': {
      const v = result.values;
      const parts = [
        `gtin ${result.gtin14 ?? '-'}`,
        ...(v.netWeightGrams !== undefined ? [`weight ${v.netWeightGrams} g`] : []),
        ...(v.price !== undefined ? [`price ${toDecimal(v.price, exponent)}`] : []),
        ...(v.batch !== undefined ? [`batch ${v.batch}`] : []),
        ...(v.bestBefore !== undefined ? [`best before ${v.bestBefore.year}-${String(v.bestBefore.month).padStart(2, '0')}-${String(v.bestBefore.day).padStart(2, '0')}`] : []),
      ];
      return `gs1 ${parts.join(', ')} (${result.elements.length} element(s))`;
    }
    case 'in-store-price':
      return `in-store-price item ${result.itemCode} (layout ${result.layout}, lookup ${result.lookupGtin14}) price ${toDecimal(result.price, exponent)}`;
    case 'in-store-weight':
      return `in-store-weight item ${result.itemCode} (layout ${result.layout}, lookup ${result.lookupGtin14}) weight ${result.weightGrams} g`;
    case 'unknown-text':
      return `text ${JSON.stringify(result.text)}`;
    default:
      return assertNever(result);
  }
}

function positiveInt(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new TillError('SCHEMA_INVALID', `${what} ${text} must be a whole number above 0.`);
  return n;
}

export function scannerFor(opts: ListenOptions, configured: ScannerConfig): ScannerConfig {
  if (opts.serial === undefined) return configured;
  const terminator = opts.terminator.toUpperCase();
  if (!TERMINATORS.includes(terminator as CliTerminator)) {
    throw new TillError('SCHEMA_INVALID', `--terminator ${opts.terminator} is not one of CR, LF, CRLF.`);
  }
  return { kind: 'serial', path: opts.serial, baudRate: baudRate(opts.baud), terminator: terminator as CliTerminator };
}

/** Resolves when the process is asked to stop, or after `count` scans. */
async function listen(opts: ListenOptions): Promise<void> {
  const { config } = loadFromOptions(opts);
  const scannerConfig = scannerFor(opts, config.devices.scanner);
  if (scannerConfig.kind === 'none') {
    throw new TillError('DEVICE_UNAVAILABLE', 'No scanner is configured (keyboard-wedge scanners type into the till screen and need no driver).', {
      fix: 'Set devices.scanner in the config file, or name a port with --serial PATH.',
    });
  }
  const limit = opts.count === undefined ? undefined : positiveInt(opts.count, '--count');
  const exponent = currencyExponent(config.currency);
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  // Loaded here: serialport's native binding is only needed by the commands that talk to a scanner.
  const { createScanner } = await import('../../../native/scanners');
  const scanner = createScanner(scannerConfig);
  const stream = new ScanStream({ clock: { now: () => new Date() }, parse: { inStoreLayouts: config.devices.inStoreLayouts, currencyExponent: exponent } });
  stream.add(scanner);

  let lastStatus: string | undefined;
  const reportStatus = (status: ScannerStatus): void => {
    const text = statusText(status);
    if (text === lastStatus) return;
    lastStatus = text;
    if (opts.json) out(JSON.stringify({ event: 'status', source: scanner.id, status }));
    else process.stderr.write(`${scanner.id} ${text}\n`);
  };
  let seen = 0;
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    stream.onDidChangeStatus(({ status }) => reportStatus(status));
    stream.onDidScan((event: ScanEvent) => {
      seen++;
      if (opts.json) out(JSON.stringify({ event: 'scan', source: event.source, at: event.at.toISOString(), raw: event.raw, symbology: event.symbology ?? null, result: event.result }));
      else out(`${event.at.toISOString()}  ${describeScan(event.result, exponent)}  raw ${JSON.stringify(event.raw)}`);
      if (limit !== undefined && seen >= limit) stop();
    });
    void scanner.open().then(() => {
      // Drivers that settle their status without firing (or before the first listener) are reported here.
      reportStatus(scanner.status);
      if (!opts.json) process.stderr.write(limit === undefined ? 'Listening; Ctrl+C stops.\n' : `Listening for ${limit} scan(s); Ctrl+C stops.\n`);
    });
  });
  stream.dispose();
  await scanner.close();
}

export function scannerCommand(): Command {
  const scanner = newCommand('scanner', 'barcode scanner tools');
  scanner
    .command('listen')
    .description('open the configured scanner (or --serial PATH) and print each scan as it is parsed, until Ctrl+C or SIGTERM')
    .option('--json', 'one JSON object per line: {"event":"status"|"scan",...}')
    .option('--serial <path>', 'listen on this serial port instead of the configured scanner')
    .option('--baud <n>', 'baud rate for --serial', '9600')
    .option('--terminator <t>', 'what ends a scan for --serial: CR, LF or CRLF', 'CR')
    .option('--count <n>', 'exit after this many scans')
    .action(async (_o: unknown, cmd: Command) => {
      try {
        await listen(cmd.optsWithGlobals<ListenOptions>());
      } catch (err) {
        reportFailure(err);
      }
    });
  return scanner;
}
