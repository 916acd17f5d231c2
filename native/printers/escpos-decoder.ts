import { codePageForNumber, decodeByte, type ReceiptCodePage } from './code-pages';

/** A printed text line as the paper shows it, with the styles that were on while it printed. */
export type DecodedLine = { readonly text: string; readonly bold: boolean; readonly double: boolean };

export type EscPosEvent =
  | { readonly type: 'initialize' }
  | { readonly type: 'cut'; readonly partial: boolean }
  | { readonly type: 'pulse'; readonly pin: 2 | 5; readonly onMs: number; readonly offMs: number }
  | { readonly type: 'code-page'; readonly page: ReceiptCodePage | undefined; readonly number: number }
  | { readonly type: 'status-request'; readonly n: number }
  | { readonly type: 'feed'; readonly lines: number };

export type DecodedEscPos = {
  readonly lines: readonly DecodedLine[];
  /** The lines' text alone, for comparing with the preview. */
  readonly text: readonly string[];
  readonly events: readonly EscPosEvent[];
};

export class EscPosDecodeError extends Error {
  override readonly name = 'EscPosDecodeError';
}

const hex = (b: number | undefined): string => `0x${(b ?? 0).toString(16).padStart(2, '0')}`;

/**
 * Turns ESC/POS bytes back into the text lines a printer would print: commands are stripped, text is mapped
 * back through the selected code page, raster images, QR codes and barcodes become the placeholder lines
 * `[image WxH]`, `[qr VALUE]` and `[barcode VALUE]`. Paper feeds (ESC d) and cuts are events, not lines.
 * For tests and diagnostics; an unknown command throws, so a test notices bytes it did not expect.
 */
export function decodeEscPos(bytes: Uint8Array): DecodedEscPos {
  const lines: DecodedLine[] = [];
  const events: EscPosEvent[] = [];
  let page: ReceiptCodePage | undefined;
  let bold = false;
  let double = false;
  let current = '';
  let lineBold = false;
  let lineDouble = false;
  let image: { width: number; height: number } | undefined;
  let qrData = '';
  let i = 0;

  const at = (k: number): number => {
    const b = bytes[k];
    if (b === undefined) throw new EscPosDecodeError(`Command cut short at byte ${k}`);
    return b;
  };
  const flushImage = (): void => {
    if (image !== undefined) current += `[image ${image.width}x${image.height}]`;
    image = undefined;
  };
  const append = (text: string): void => {
    flushImage();
    current += text;
    lineBold ||= bold;
    lineDouble ||= double;
  };
  const endLine = (): void => {
    flushImage();
    lines.push({ text: current, bold: lineBold, double: lineDouble });
    current = '';
    lineBold = false;
    lineDouble = false;
  };
  const ascii = (from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));

  while (i < bytes.length) {
    const b = at(i);
    if (b === 0x0a) {
      endLine();
      i += 1;
    } else if (b === 0x0d) {
      i += 1; // CR: carriage return only; LF ends lines
    } else if (b >= 0x20 && b !== 0x7f) {
      append(decodeByte(page, b));
      i += 1;
    } else if (b === 0x1b) {
      const c = at(i + 1);
      switch (c) {
        case 0x40: // ESC @
          events.push({ type: 'initialize' });
          page = undefined;
          bold = false;
          double = false;
          i += 2;
          break;
        case 0x45: // ESC E n: bold
          bold = (at(i + 2) & 1) === 1;
          i += 3;
          break;
        case 0x21: {
          // ESC ! n: print mode (bit 3 bold, bits 4-5 double height and width)
          const n = at(i + 2);
          bold = (n & 0x08) !== 0;
          double = (n & 0x30) !== 0;
          i += 3;
          break;
        }
        case 0x74: {
          // ESC t n: code page
          const n = at(i + 2);
          page = codePageForNumber(n);
          events.push({ type: 'code-page', page, number: n });
          i += 3;
          break;
        }
        case 0x64: // ESC d n: print and feed n lines
          events.push({ type: 'feed', lines: at(i + 2) });
          i += 3;
          break;
        case 0x70: {
          // ESC p m t1 t2: drawer kick
          const m = at(i + 2);
          events.push({ type: 'pulse', pin: (m & 1) === 0 ? 2 : 5, onMs: at(i + 3) * 2, offMs: at(i + 4) * 2 });
          i += 5;
          break;
        }
        case 0x2a: {
          // ESC * m nL nH d1...dk: bit image in columns (8 or 24 dots high)
          const m = at(i + 2);
          const width = at(i + 3) + at(i + 4) * 256;
          const rows = m >= 32 ? 24 : 8;
          image = image !== undefined && image.width === width ? { width, height: image.height + rows } : (flushImage(), { width, height: rows });
          i += 5 + width * (rows / 8);
          break;
        }
        case 0x32: // ESC 2: default line spacing
          i += 2;
          break;
        case 0x2d: // ESC - n: underline
        case 0x34: // ESC 4 n: italic
        case 0x4d: // ESC M n: font
        case 0x61: // ESC a n: alignment
        case 0x33: // ESC 3 n: line spacing
        case 0x47: // ESC G n: double strike
        case 0x52: // ESC R n: international character set
        case 0x56: // ESC V n: rotation
        case 0x7b: // ESC { n: upside down
        case 0x4a: // ESC J n: feed n dots
          i += 3;
          break;
        default:
          throw new EscPosDecodeError(`Unknown command ESC ${hex(c)} at byte ${i}`);
      }
    } else if (b === 0x1d) {
      const c = at(i + 1);
      switch (c) {
        case 0x21: {
          // GS ! n: character size
          const n = at(i + 2);
          double = n !== 0;
          i += 3;
          break;
        }
        case 0x56: {
          // GS V m [n]: cut
          const m = at(i + 2);
          events.push({ type: 'cut', partial: m === 1 || m === 49 || m === 66 });
          i += m >= 65 ? 4 : 3;
          break;
        }
        case 0x76: {
          // GS v 0 m xL xH yL yH d...: raster image
          const width = (at(i + 4) + at(i + 5) * 256) * 8;
          const height = at(i + 6) + at(i + 7) * 256;
          image = image !== undefined && image.width === width ? { width, height: image.height + height } : (flushImage(), { width, height });
          i += 8 + (width / 8) * height;
          break;
        }
        case 0x28: {
          // GS ( x pL pH ...: function with a length; GS ( k is the 2D code family
          const kind = at(i + 2);
          const size = at(i + 3) + at(i + 4) * 256;
          const start = i + 5;
          at(start + size - 1);
          if (kind === 0x6b && at(start) === 0x31) {
            const fn = at(start + 1);
            if (fn === 0x50) qrData = ascii(start + 3, start + size);
            if (fn === 0x51) append(`[qr ${qrData}]`);
          }
          i = start + size;
          break;
        }
        case 0x6b: {
          // GS k m ...: barcode; m <= 6 ends with NUL, m >= 65 has a length byte
          const m = at(i + 2);
          let data: string;
          if (m <= 6) {
            let end = i + 3;
            while (at(end) !== 0) end++;
            data = ascii(i + 3, end);
            i = end + 1;
          } else {
            const n = at(i + 3);
            at(i + 3 + n);
            data = ascii(i + 4, i + 4 + n);
            i += 4 + n;
          }
          // Code 128 data starts with a code set selector such as "{B".
          append(`[barcode ${m === 73 ? data.replace(/^\{[ABC]/, '') : data}]`);
          break;
        }
        case 0x42: // GS B n: reverse
        case 0x68: // GS h n: barcode height
        case 0x77: // GS w n: barcode module width
        case 0x48: // GS H n: HRI position
        case 0x66: // GS f n: HRI font
        case 0x61: // GS a n: automatic status back
        case 0x72: // GS r n: transmit status
        case 0x49: // GS I n: transmit printer id
          i += 3;
          break;
        case 0x50: // GS P x y: motion units
        case 0x4c: // GS L nL nH: left margin
        case 0x57: // GS W nL nH: print area width
          i += 4;
          break;
        default:
          throw new EscPosDecodeError(`Unknown command GS ${hex(c)} at byte ${i}`);
      }
    } else if (b === 0x1c) {
      const c = at(i + 1);
      if (c === 0x2e) i += 2; // FS .: cancel Kanji mode
      else if (c === 0x26) i += 2; // FS &: Kanji mode
      else if (c === 0x43) i += 3; // FS C n: Kanji code system
      else throw new EscPosDecodeError(`Unknown command FS ${hex(c)} at byte ${i}`);
    } else if (b === 0x10) {
      const c = at(i + 1);
      if (c === 0x04) {
        events.push({ type: 'status-request', n: at(i + 2) });
        i += 3;
      } else if (c === 0x05) {
        i += 3; // DLE ENQ n: real-time request
      } else if (c === 0x14) {
        const fn = at(i + 2);
        if (fn === 1) {
          events.push({ type: 'pulse', pin: at(i + 3) === 0 ? 2 : 5, onMs: at(i + 4) * 100, offMs: at(i + 4) * 100 });
          i += 5;
        } else if (fn === 8) i += 10;
        else i += 5;
      } else {
        throw new EscPosDecodeError(`Unknown command DLE ${hex(c)} at byte ${i}`);
      }
    } else if (b === 0x09) {
      append(' ');
      i += 1;
    } else if (b === 0x0c || b === 0x00) {
      i += 1;
    } else {
      throw new EscPosDecodeError(`Unexpected control byte ${hex(b)} at byte ${i}`);
    }
  }
  if (current !== '' || image !== undefined) endLine();
  return { lines, text: lines.map((l) => l.text), events };
}
