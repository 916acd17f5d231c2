import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { assertNever } from '../../main/core/errors';
import type { ReceiptCodePage } from './code-pages';
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
 * ESC/POS bytes for laid-out lines: initialise, select the code page, then one printed line per layout
 * line, a feed and a cut. Text lines are written exactly as laid out; the encoder never rewraps them.
 */
export function encodeEscPos(lines: readonly LayoutLine[], options: EscPosOptions): Uint8Array {
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
        cachedLogo ??= createLogoImage();
        encoder.align('center').image(cachedLogo, cachedLogo.width, cachedLogo.height, 'threshold').align('left');
        break;
      case 'qr':
        encoder.align('center').qrcode(line.value, 2, 6, 'm').align('left');
        break;
      case 'barcode':
        encoder.align('center').barcode(line.value, 'code128', { height: 60, text: 'none' }).align('left');
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
