/**
 * The code pages receipts are printed in, with the byte tables to map printed bytes back to text. Both
 * pages hold the Nordic (ÆØÅ æøå) and Spanish (ñ Ñ ¿ ¡ áéíóú) letters and the euro sign; the ESC t numbers are
 * Epson's, which most ESC/POS printers follow.
 */
export type ReceiptCodePage = 'cp858' | 'windows1252';

export const CODE_PAGES: readonly ReceiptCodePage[] = ['cp858', 'windows1252'];

/** The `ESC t n` page number for each code page (Epson numbering). */
export const ESC_T_NUMBER: Readonly<Record<ReceiptCodePage, number>> = { cp858: 19, windows1252: 16 };

/** Bytes 0x80..0xFF of each page, as written in the vendors' tables. U+FFFD marks an unassigned byte. */
const UPPER_HALF: Readonly<Record<ReceiptCodePage, string>> = {
  // PC858: PC850 with the euro sign at 0xD5 in place of the dotless i.
  cp858:
    'ÇüéâäàåçêëèïîìÄÅ' +
    'ÉæÆôöòûùÿÖÜø£Ø×ƒ' +
    'áíóúñÑªº¿®¬½¼¡«»' +
    '░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐' +
    '└┴┬├─┼ãÃ╚╔╩╦╠═╬¤' +
    'ðÐÊËÈ€ÍÎÏ┘┌█▄¦Ì▀' +
    'ÓßÔÒõÕµþÞÚÛÙýÝ¯´' +
    '\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0',
  windows1252:
    '€\ufffd‚ƒ„…†‡ˆ‰Š‹Œ\ufffdŽ\ufffd' +
    '\ufffd‘’“”•–—˜™š›œ\ufffdžŸ' +
    '\u00a0¡¢£¤¥¦§¨©ª«¬\u00ad®¯' +
    '°±²³´µ¶·¸¹º»¼½¾¿' +
    'ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏ' +
    'ÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞß' +
    'àáâãäåæçèéêëìíîï' +
    'ðñòóôõö÷øùúûüýþÿ',
};

const TABLES = new Map<ReceiptCodePage, readonly string[]>(
  CODE_PAGES.map((page) => [page, [...UPPER_HALF[page]]]),
);

const PRINTABLE = new Map<ReceiptCodePage, ReadonlySet<string>>(
  CODE_PAGES.map((page) => [page, new Set((TABLES.get(page) ?? []).filter((c) => c !== '\ufffd'))]),
);

/** The character a byte prints as in `page`; ASCII below 0x80, U+FFFD for control and unassigned bytes. */
export function decodeByte(page: ReceiptCodePage | undefined, byte: number): string {
  if (byte >= 0x20 && byte < 0x7f) return String.fromCharCode(byte);
  if (byte < 0x80 || page === undefined) return '\ufffd';
  return TABLES.get(page)?.[byte - 0x80] ?? '\ufffd';
}

/** The page for an `ESC t n` number, or undefined for a page we do not print in. */
export function codePageForNumber(n: number): ReceiptCodePage | undefined {
  return CODE_PAGES.find((page) => ESC_T_NUMBER[page] === n);
}

/**
 * Makes text printable in `page`: control characters (which could smuggle printer commands in an item name)
 * are dropped, and characters the page lacks become "?", exactly as the printer would show them. The preview
 * uses the same text, so screen and paper agree.
 */
export function toPrintable(text: string, page: ReceiptCodePage): string {
  const printable = PRINTABLE.get(page);
  let out = '';
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0)) continue;
    if (code < 0x7f || printable?.has(c) === true) out += c;
    else out += '?';
  }
  return out;
}

const ENCODE = new Map<ReceiptCodePage, ReadonlyMap<string, number>>(
  CODE_PAGES.map((page) => [page, new Map((TABLES.get(page) ?? []).map((c, i) => [c, 0x80 + i] as const).filter(([c]) => c !== '\ufffd'))]),
);

/** Text as bytes in `page`; characters the page lacks become "?" (run `toPrintable` first to see that). */
export function encodeText(text: string, page: ReceiptCodePage): Uint8Array {
  const table = ENCODE.get(page);
  const out: number[] = [];
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0x3f;
    out.push(code >= 0x20 && code < 0x7f ? code : (table?.get(c) ?? 0x3f));
  }
  return Uint8Array.from(out);
}
