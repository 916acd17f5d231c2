import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { assertNever } from '../../main/core/errors';
import { ESC_T_NUMBER, type ReceiptCodePage } from './code-pages';
import { encodeText } from './code-pages';
import { createLogoImage, type MonochromeImage } from './logo';
import type { LayoutLine, ReceiptColumns } from './receipt-layout';

export type EscPosOptions = {
  readonly columns: ReceiptColumns;
  readonly codePage: ReceiptCodePage;
  /** Kick the cash drawer (ESC p) first, so it opens while the receipt prints. */
  readonly openDrawer?: boolean;
  /** Cut at the end (partial cut leaves a hinge so the receipt does not fall). Default true. */
  readonly cut?: boolean;
};

/** ESC p 0 t1 t2: pulse drawer pin 2 on for 100 ms, off for 500 ms (units of 2 ms). */
export const DRAWER_PULSE: readonly number[] = [0x1b, 0x70, 0x00, 50, 250];
/** ESC d 4 feeds the printed part past the cutter; GS V 1 cuts partially, leaving a hinge. */
export const FEED_AND_CUT: readonly number[] = [0x1b, 0x64, 0x04, 0x1d, 0x56, 0x01];

/** Built once: drawing the logo is the slowest part of a receipt and it never changes. */
let cachedLogo: MonochromeImage | undefined;

function newEncoder(columns: ReceiptColumns): ReceiptPrinterEncoder {
  return new ReceiptPrinterEncoder({
    language: 'esc-pos',
    columns,
    codepageMapping: 'epson',
    // LF alone: with CR too, printers set to "auto line feed on CR" would print every line twice.
    newline: '\n',
    // GS v 0 raster prints the image in one piece on every ESC/POS printer we know; ESC * leaves seams on some.
    imageMode: 'raster',
    // Strict: a problem throws instead of being written to the console.
    errors: 'strict',
  });
}

/**
 * ESC/POS bytes for laid-out lines, everything through the encoder library. The reference for
 * `encodeEscPos`, which must print the same; kept for the test that says so.
 */
export function encodeEscPosWithLibrary(lines: readonly LayoutLine[], options: EscPosOptions): Uint8Array {
  const encoder = newEncoder(options.columns);
  encoder.initialize().codepage(options.codePage);
  // Raw bytes, not the encoder's pulse() and cut(): those end their own printed line, which would add blank
  // lines to the paper that the preview does not have.
  if (options.openDrawer === true) encoder.raw([...DRAWER_PULSE]);
  for (const line of lines) {
    switch (line.kind) {
      case 'text':
        if (line.bold) encoder.bold(true);
        if (line.double) encoder.size(2, 2);
        encoder.line(line.text);
        if (line.double) encoder.size(1, 1);
        if (line.bold) encoder.bold(false);
        break;
      case 'logo':
      case 'qr':
      case 'barcode':
        addBlock(encoder, line);
        break;
      default:
        assertNever(line);
    }
  }
  if (options.cut ?? true) encoder.raw([...FEED_AND_CUT]);
  return encoder.encode();
}

/** Only the drawer kick, for "open drawer" without a receipt (no sale, float count). */
export function drawerPulseBytes(): Uint8Array {
  return Uint8Array.from([0x1b, 0x40, ...DRAWER_PULSE]);
}

/** A logo, QR code or barcode, centred: the same commands in the library-only path and in `blockBytes`. */
function addBlock(encoder: ReceiptPrinterEncoder, line: Exclude<LayoutLine, { kind: 'text' }>): void {
  switch (line.kind) {
    case 'logo':
      cachedLogo ??= createLogoImage();
      encoder.align('center').image(cachedLogo, cachedLogo.width, cachedLogo.height, 'threshold').align('left');
      return;
    case 'qr':
      encoder.align('center').qrcode(line.value, 2, 6, 'm').align('left');
      return;
    case 'barcode':
      encoder.align('center').barcode(line.value, 'code128', { height: 60, text: 'none' }).align('left');
      return;
    default:
      assertNever(line);
  }
}

let cachedLogoBytes: Uint8Array | undefined;

/** One block (logo, QR code, barcode) through the encoder; no initialise, so the code page stays selected. */
function blockBytes(columns: ReceiptColumns, line: Exclude<LayoutLine, { kind: 'text' }>): Uint8Array {
  const encoder = newEncoder(columns);
  addBlock(encoder, line);
  return encoder.encode();
}

/**
 * ESC/POS bytes for laid-out lines: initialise, drawer kick if asked, code page, one printed line per layout
 * line, feed and cut. Images, QR codes and barcodes come from the encoder library; plain text lines are
 * written here (ESC E for bold, GS ! for double size, the text in the code page, LF), because the library's
 * code page conversion copies the whole page table for every text run and costs about 10 ms on an 80-line
 * receipt. A test checks that this prints exactly what the library-only path prints.
 */
export function encodeEscPos(lines: readonly LayoutLine[], options: EscPosOptions): Uint8Array {
  const out = new ByteWriter();
  out.push(0x1b, 0x40, 0x1c, 0x2e, 0x1b, 0x4d, 0x00); // ESC @, cancel Kanji, font A: as the library initialises
  if (options.openDrawer === true) out.push(...DRAWER_PULSE);
  const selectPage = [0x1b, 0x74, ESC_T_NUMBER[options.codePage]];
  out.push(...selectPage);
  for (const line of lines) {
    if (line.kind !== 'text') {
      if (line.kind === 'logo') cachedLogoBytes ??= blockBytes(options.columns, line);
      out.bytes(line.kind === 'logo' ? (cachedLogoBytes ?? new Uint8Array()) : blockBytes(options.columns, line));
      continue;
    }
    if (line.bold) out.push(0x1b, 0x45, 0x01);
    if (line.double) out.push(0x1d, 0x21, 0x11);
    out.bytes(encodeText(line.text, options.codePage));
    if (line.double) out.push(0x1d, 0x21, 0x00);
    if (line.bold) out.push(0x1b, 0x45, 0x00);
    out.push(0x0a);
  }
  if (options.cut ?? true) out.push(...FEED_AND_CUT);
  return out.result();
}

class ByteWriter {
  private buffer = new Uint8Array(8192);
  private length = 0;

  push(...values: number[]): void {
    this.ensure(values.length);
    for (const v of values) this.buffer[this.length++] = v;
  }

  bytes(values: Uint8Array): void {
    this.ensure(values.length);
    this.buffer.set(values, this.length);
    this.length += values.length;
  }

  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const next = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra));
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }
}
