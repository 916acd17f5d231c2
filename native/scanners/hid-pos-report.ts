/**
 * HID POS scanned-data reports (HID Point of Sale Usage Tables, usage page 0x8C). Pure functions.
 *
 * Scanners in "HID POS" mode (Honeywell, Zebra, Datalogic and others) send fixed 64-byte input reports:
 *
 * | byte  | content |
 * |-------|---------|
 * | 0     | report ID 0x02 (scanned data report) |
 * | 1     | number of data bytes in this report |
 * | 2-4   | AIM symbology identifier, e.g. `]E0` (some scanners leave it zero) |
 * | 5-60  | data bytes, zero padded (56 at most per report) |
 * | 61-62 | vendor specific (Honeywell: its own code id) |
 * | 63    | bit 0 set: more data follows in the next report |
 *
 * A code longer than 56 bytes arrives in several reports; `HidPosAssembler` joins them.
 */

export const HID_POS_USAGE_PAGE = 0x8c;
export const SCANNED_DATA_REPORT_ID = 0x02;
const DATA_OFFSET = 5;
const DATA_MAX = 56;
const FLAGS_OFFSET = 63;

export type HidPosReport = {
  readonly symbology: string | undefined;
  readonly data: Uint8Array;
  /** More reports of the same code follow. */
  readonly more: boolean;
};

export type HidPosReportError = { readonly error: string };

/** Reads one input report (report ID first, as hidraw and node-hid deliver numbered reports). */
export function parseHidPosReport(report: Uint8Array): HidPosReport | HidPosReportError {
  if (report.length < DATA_OFFSET) return { error: `report too short (${report.length} bytes)` };
  if (report[0] !== SCANNED_DATA_REPORT_ID) return { error: `not a scanned-data report (report ID ${report[0]})` };
  const length = report[1] as number;
  if (length > DATA_MAX || DATA_OFFSET + length > report.length) {
    return { error: `data length ${length} does not fit the report` };
  }
  const data = report.slice(DATA_OFFSET, DATA_OFFSET + length);
  const more = report.length > FLAGS_OFFSET && ((report[FLAGS_OFFSET] as number) & 0x01) === 1;
  return { symbology: readAim(report.subarray(2, 5)), data, more };
}

function readAim(bytes: Uint8Array): string | undefined {
  const text = String.fromCharCode(...bytes.filter((b) => b !== 0));
  if (text.length === 0) return undefined;
  if (/^\][A-Za-z][0-9A-Za-z]$/.test(text)) return text;
  // Some firmware leaves out the "]" and sends the code letter and modifier alone.
  if (/^[A-Za-z][0-9A-Za-z]$/.test(text)) return `]${text}`;
  return undefined;
}

/** Joins multi-report codes; a new code after a half-finished one replaces it (the scanner gave up on it). */
export class HidPosAssembler {
  private parts: Uint8Array[] = [];
  private symbology: string | undefined;

  push(report: HidPosReport): { data: Uint8Array; symbology: string | undefined } | undefined {
    if (this.parts.length === 0) this.symbology = report.symbology;
    this.parts.push(report.data);
    if (report.more) return undefined;
    const total = this.parts.reduce((n, p) => n + p.length, 0);
    const data = new Uint8Array(total);
    let at = 0;
    for (const part of this.parts) {
      data.set(part, at);
      at += part.length;
    }
    const symbology = this.symbology;
    this.reset();
    return { data, symbology };
  }

  reset(): void {
    this.parts = [];
    this.symbology = undefined;
  }
}

/** Builds reports for one code, the way a scanner would: for the fake device and for tests. */
export function encodeHidPosReports(data: Uint8Array, symbology: string | undefined): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (let at = 0; at === 0 || at < data.length; at += DATA_MAX) {
    const chunk = data.subarray(at, at + DATA_MAX);
    const report = new Uint8Array(64);
    report[0] = SCANNED_DATA_REPORT_ID;
    report[1] = chunk.length;
    if (symbology !== undefined) report.set([...symbology].slice(0, 3).map((c) => c.charCodeAt(0)), 2);
    report.set(chunk, DATA_OFFSET);
    report[FLAGS_OFFSET] = at + DATA_MAX < data.length ? 1 : 0;
    reports.push(report);
  }
  return reports;
}
