import type { Command } from 'commander';
import type { Config, ScannerConfig } from '../../config';
import { describeScannerConfig } from '../../devices/describe-devices';
import { libusbStatus } from '../../devices/system-libraries';
import type { SerialPortEntry } from '../../../native/scanners';
import { type CommonOptions, loadFromOptions, newCommand, reportFailure } from '../common';
import { checkPrinter, describePrinter, openPrinter } from './print';

export type DeviceReport = {
  readonly configured: string;
  /** `ok` works now; `problem` is configured but not working; `not-configured` has nothing set. */
  readonly state: 'ok' | 'problem' | 'not-configured';
  readonly detail: string;
};

export type DevicesReport = {
  readonly serialPorts: readonly SerialPortEntry[];
  readonly hid: { readonly libusb: { readonly present: boolean; readonly detail: string }; readonly nodeHid: { readonly loaded: boolean; readonly detail: string } };
  readonly scanner: DeviceReport;
  readonly printer: DeviceReport;
};

/** Opens the scanner just long enough to learn whether it is there, then releases it for the till. */
async function probeScanner(config: ScannerConfig): Promise<DeviceReport> {
  const configured = describeScannerConfig(config);
  if (config.kind === 'none') return { configured, state: 'not-configured', detail: 'No scanner configured; keyboard-wedge scanners still work' };
  const { createScanner } = await import('../../../native/scanners');
  const scanner = createScanner(config);
  try {
    await scanner.open();
    const s = scanner.status;
    return s.state === 'connected' ? { configured, state: 'ok', detail: s.detail } : { configured, state: 'problem', detail: s.reason };
  } finally {
    await scanner.close();
  }
}

async function probePrinter(config: Config['devices']['printer']): Promise<DeviceReport> {
  const configured = describePrinter(config);
  if (config.kind === 'none') return { configured, state: 'not-configured', detail: 'No receipt printer configured' };
  const transport = openPrinter(config);
  try {
    const check = await checkPrinter(transport);
    return { configured, state: check.state === 'ready' ? 'ok' : 'problem', detail: check.detail };
  } finally {
    await transport.close();
  }
}

export async function devicesReport(config: Config): Promise<DevicesReport> {
  const scanners = await import('../../../native/scanners');
  const serialPorts = await scanners.listSerialPorts();
  const libusb = libusbStatus();
  // HID scanners need node-hid, which needs libusb on Linux: loading it once is the real test.
  const hid = await scanners.loadNodeHid();
  const [scanner, printer] = await Promise.all([probeScanner(config.devices.scanner), probePrinter(config.devices.printer)]);
  return {
    serialPorts,
    hid: { libusb, nodeHid: hid.ok ? { loaded: true, detail: `node-hid loaded; ${hid.binding.devices().length} HID device(s) visible` } : { loaded: false, detail: hid.reason } },
    scanner,
    printer,
  };
}

function printText(report: DevicesReport): void {
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const mark = { ok: 'ok  ', problem: 'FAIL', 'not-configured': '-   ' } as const;
  out('Serial ports:');
  if (report.serialPorts.length === 0) out('  none seen');
  for (const p of report.serialPorts) {
    const ids = p.vendorId && p.productId ? ` [${p.vendorId}:${p.productId}]` : '';
    out(`  ${p.path}${p.manufacturer ? ` (${p.manufacturer})` : ''}${ids}`);
  }
  out('USB HID:');
  out(`  ${report.hid.libusb.present ? 'ok  ' : 'warn'}  libusb   ${report.hid.libusb.detail}`);
  out(`  ${report.hid.nodeHid.loaded ? 'ok  ' : 'warn'}  node-hid ${report.hid.nodeHid.detail}`);
  out(`Scanner: ${report.scanner.configured}`);
  out(`  ${mark[report.scanner.state]}  ${report.scanner.detail}`);
  out(`Printer: ${report.printer.configured}`);
  out(`  ${mark[report.printer.state]}  ${report.printer.detail}`);
}

export function devicesCommand(): Command {
  return newCommand('devices', 'serial ports, USB HID support, and the configured scanner and printer with their live status')
    .option('--json', 'print the report as JSON')
    .action(async (opts: CommonOptions & { json?: boolean }) => {
      try {
        const { config } = loadFromOptions(opts);
        const report = await devicesReport(config);
        if (opts.json) process.stdout.write(`${JSON.stringify(report)}\n`);
        else printText(report);
        // Scripts can tell "a configured device does not work" from "all good" without parsing words.
        if (report.scanner.state === 'problem' || report.printer.state === 'problem') process.exitCode = 1;
      } catch (err) {
        reportFailure(err);
      }
    });
}
