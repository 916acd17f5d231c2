import { describe, expect, it } from 'vitest';
import { decodePrinterStatus, encodeStatusBytes, isStatusByte, printerReadiness, type StatusBytes } from '../../../../native/printers/printer-status';

const CLEAR: StatusBytes = { printer: 0x12, offline: 0x12, error: 0x12, paper: 0x12 };
const withBit = (kind: keyof StatusBytes, bit: number): StatusBytes => ({ ...CLEAR, [kind]: 0x12 | (1 << bit) });

describe('decodePrinterStatus', () => {
  it('reads an all-clear answer as online with paper and drawer closed', () => {
    const s = decodePrinterStatus(CLEAR);
    expect(s).toMatchObject({ online: true, coverOpen: false, paper: 'ok', drawerOpen: false, waitingForRecovery: false, feedButtonPressed: false });
    expect(s.errors).toEqual({ recoverable: false, autocutter: false, unrecoverable: false, autoRecoverable: false });
    expect(printerReadiness(s)).toEqual({ ready: true });
  });

  it('n=1 bit 2: drawer pin 3, with configurable polarity', () => {
    expect(decodePrinterStatus(withBit('printer', 2)).drawerOpen).toBe(true);
    expect(decodePrinterStatus(withBit('printer', 2), 'open-when-low').drawerOpen).toBe(false);
    expect(decodePrinterStatus(CLEAR, 'open-when-low').drawerOpen).toBe(true);
  });

  it('n=1 bit 3: offline', () => {
    const s = decodePrinterStatus(withBit('printer', 3));
    expect(s.online).toBe(false);
    expect(printerReadiness(s)).toMatchObject({ ready: false, reason: 'offline' });
  });

  it('n=1 bit 5: waiting for online recovery; bit 6: feed button', () => {
    expect(decodePrinterStatus(withBit('printer', 5)).waitingForRecovery).toBe(true);
    expect(decodePrinterStatus(withBit('printer', 6)).feedButtonPressed).toBe(true);
  });

  it('n=2 bit 2: cover open', () => {
    const s = decodePrinterStatus(withBit('offline', 2));
    expect(s.coverOpen).toBe(true);
    expect(printerReadiness(s)).toMatchObject({ ready: false, reason: 'cover-open' });
  });

  it('n=2 bit 3: paper fed by button; bit 5: stopped at paper end', () => {
    expect(decodePrinterStatus(withBit('offline', 3)).feedButtonPressed).toBe(true);
    expect(decodePrinterStatus(withBit('offline', 5)).paper).toBe('out');
  });

  it('n=3 bits 2, 3, 5, 6: recoverable, autocutter, unrecoverable, auto-recoverable errors', () => {
    expect(decodePrinterStatus(withBit('error', 2)).errors.recoverable).toBe(true);
    expect(decodePrinterStatus(withBit('error', 3)).errors.autocutter).toBe(true);
    expect(decodePrinterStatus(withBit('error', 5)).errors.unrecoverable).toBe(true);
    expect(decodePrinterStatus(withBit('error', 6)).errors.autoRecoverable).toBe(true);
    expect(printerReadiness(decodePrinterStatus(withBit('error', 3)))).toMatchObject({ ready: false, reason: 'error' });
    // A head too hot recovers by itself: not a reason to hold the receipt back.
    expect(printerReadiness(decodePrinterStatus(withBit('error', 6))).ready).toBe(true);
  });

  it('n=4 bits 2-3: paper near end; bits 5-6: paper out', () => {
    for (const b of [2, 3]) expect(decodePrinterStatus(withBit('paper', b)).paper).toBe('near-end');
    for (const b of [5, 6]) expect(decodePrinterStatus(withBit('paper', b)).paper).toBe('out');
    expect(printerReadiness(decodePrinterStatus(withBit('paper', 2)))).toEqual({ ready: true, warning: 'paper-near-end' });
    expect(printerReadiness(decodePrinterStatus({ ...CLEAR, paper: 0x7e }))).toMatchObject({ ready: false, reason: 'paper-out' });
  });

  it('ignores the fixed bits and keeps the raw bytes', () => {
    const s = decodePrinterStatus({ printer: 0x16, offline: 0x12, error: 0x12, paper: 0x12 });
    expect(s.bytes.printer).toBe(0x16);
  });

  it('encodeStatusBytes is the inverse for the states the fakes use', () => {
    for (const paper of ['ok', 'near-end', 'out'] as const) {
      for (const coverOpen of [false, true]) {
        for (const drawerOpen of [false, true]) {
          const s = decodePrinterStatus(encodeStatusBytes({ paper, coverOpen, drawerOpen }));
          expect(s).toMatchObject({ paper, coverOpen, drawerOpen });
          for (const byte of Object.values(s.bytes)) expect(isStatusByte(byte)).toBe(true);
        }
      }
    }
  });
});

describe('isStatusByte', () => {
  it('accepts only bytes with bits 1 and 4 set and bits 0 and 7 clear', () => {
    expect(isStatusByte(0x12)).toBe(true);
    expect(isStatusByte(0x7e)).toBe(true);
    expect(isStatusByte(0x13)).toBe(false);
    expect(isStatusByte(0x92)).toBe(false);
    expect(isStatusByte(0x02)).toBe(false);
    expect(isStatusByte(0x10)).toBe(false);
  });
});
