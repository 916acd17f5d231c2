/**
 * Real-time printer status (ESC/POS `DLE EOT n`): the requests, and a pure decoder for the four answer bytes.
 * Each answer is one byte with bits 1 and 4 set and bits 0 and 7 clear, which is how answers are told apart
 * from other bytes a printer may send.
 */

/** `DLE EOT n` for n = 1 printer, 2 offline cause, 3 error cause, 4 roll paper sensor. */
export const STATUS_REQUESTS = {
  printer: Uint8Array.from([0x10, 0x04, 0x01]),
  offline: Uint8Array.from([0x10, 0x04, 0x02]),
  error: Uint8Array.from([0x10, 0x04, 0x03]),
  paper: Uint8Array.from([0x10, 0x04, 0x04]),
} as const;

export type StatusKind = keyof typeof STATUS_REQUESTS;
export const STATUS_KINDS: readonly StatusKind[] = ['printer', 'offline', 'error', 'paper'];

export type StatusBytes = { readonly [K in StatusKind]: number };

/**
 * Pin 3 of the drawer connector reports the drawer switch; whether "high" means open depends on the drawer's
 * wiring, so it is configuration. Most drawers sold with Epson printers close the switch when the drawer is
 * shut, which reads as low, so open reads as high.
 */
export type DrawerPolarity = 'open-when-high' | 'open-when-low';

export type PaperState = 'ok' | 'near-end' | 'out';

export type PrinterStatus = {
  readonly online: boolean;
  readonly coverOpen: boolean;
  readonly paper: PaperState;
  readonly drawerOpen: boolean;
  /** Offline until paper or cover is fixed and the printer recovers by itself. */
  readonly waitingForRecovery: boolean;
  readonly feedButtonPressed: boolean;
  readonly errors: {
    readonly recoverable: boolean;
    readonly autocutter: boolean;
    readonly unrecoverable: boolean;
    readonly autoRecoverable: boolean;
  };
  readonly bytes: StatusBytes;
};

const bit = (byte: number, n: number): boolean => (byte & (1 << n)) !== 0;

/** True for a byte shaped like a `DLE EOT` answer (0xx1 xx10 in bits 7..0 for the fixed bits). */
export function isStatusByte(byte: number): boolean {
  return (byte & 0x93) === 0x12;
}

export function decodePrinterStatus(bytes: StatusBytes, polarity: DrawerPolarity = 'open-when-high'): PrinterStatus {
  const { printer, offline, error, paper } = bytes;
  const pin3High = bit(printer, 2);
  // n=4: bits 2-3 are the near-end sensor, bits 5-6 the roll end sensor; either bit of a pair counts, since
  // printers differ in which of the two they set. n=2 bit 5 says printing stopped because the paper ran out.
  const paperOut = bit(paper, 5) || bit(paper, 6) || bit(offline, 5);
  const nearEnd = bit(paper, 2) || bit(paper, 3);
  return {
    online: !bit(printer, 3),
    coverOpen: bit(offline, 2),
    paper: paperOut ? 'out' : nearEnd ? 'near-end' : 'ok',
    drawerOpen: polarity === 'open-when-high' ? pin3High : !pin3High,
    waitingForRecovery: bit(printer, 5),
    feedButtonPressed: bit(printer, 6) || bit(offline, 3),
    errors: {
      recoverable: bit(error, 2),
      autocutter: bit(error, 3),
      unrecoverable: bit(error, 5),
      autoRecoverable: bit(error, 6),
    },
    bytes,
  };
}

export type Readiness =
  | { readonly ready: true; readonly warning?: 'paper-near-end' }
  | { readonly ready: false; readonly reason: 'paper-out' | 'cover-open' | 'error' | 'offline'; readonly message: string };

/** Whether a receipt can be printed now, and if not, what the cashier should fix. */
export function printerReadiness(status: PrinterStatus): Readiness {
  if (status.paper === 'out') return { ready: false, reason: 'paper-out', message: 'The printer is out of paper: load a new roll' };
  if (status.coverOpen) return { ready: false, reason: 'cover-open', message: 'The printer cover is open: close it' };
  const e = status.errors;
  if (e.unrecoverable || e.autocutter || e.recoverable) {
    const what = e.unrecoverable ? 'an unrecoverable error: switch it off and on' : e.autocutter ? 'a cutter error: clear the cutter' : 'an error';
    return { ready: false, reason: 'error', message: `The printer reports ${what}` };
  }
  if (!status.online) return { ready: false, reason: 'offline', message: 'The printer is offline' };
  return status.paper === 'near-end' ? { ready: true, warning: 'paper-near-end' } : { ready: true };
}

/** The four answer bytes a printer in the given state sends; the inverse of `decodePrinterStatus`, for fakes. */
export function encodeStatusBytes(
  state: { online?: boolean; coverOpen?: boolean; paper?: PaperState; drawerOpen?: boolean; autocutterError?: boolean },
  polarity: DrawerPolarity = 'open-when-high',
): StatusBytes {
  const online = state.online ?? true;
  const paper = state.paper ?? 'ok';
  const pin3High = polarity === 'open-when-high' ? state.drawerOpen === true : state.drawerOpen !== true;
  const stopped = paper === 'out' || state.coverOpen === true;
  return {
    printer: 0x12 | (pin3High ? 0x04 : 0) | (!online || stopped ? 0x08 : 0) | (stopped ? 0x20 : 0),
    offline: 0x12 | (state.coverOpen === true ? 0x04 : 0) | (paper === 'out' ? 0x20 : 0) | (stopped ? 0x40 : 0),
    error: 0x12 | (state.autocutterError === true ? 0x08 : 0),
    paper: 0x12 | (paper === 'near-end' || paper === 'out' ? 0x0c : 0) | (paper === 'out' ? 0x60 : 0),
  };
}
