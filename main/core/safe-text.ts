/**
 * Text from a back end (error messages, names, rule descriptions) made safe to store, log and print: every
 * control character is replaced by a visible escape, and the text is capped. A back end's error text once
 * printed a clear-screen, a window title and a forged line in `till-agent sync status` (issue 19, finding 6).
 *
 * Replaced: C0 controls (tab and newline included: one message is one line), DEL, C1 controls (8-bit CSI
 * `\u009b` is a terminal escape too), the bidirectional overrides and isolates that reorder what a reader sees
 * (Trojan Source), zero-width characters, line and paragraph separators, the BOM, and lone surrogates.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Longest back-end text kept, in characters (code points); longer text ends in `…`. */
export const MAX_BACKEND_TEXT = 300;

function escape(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export function safeText(text: string, max: number = MAX_BACKEND_TEXT): string {
  const visible = text.replace(UNSAFE, escape);
  const chars = Array.from(visible);
  return chars.length <= max ? visible : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** True when the text has nothing `safeText` would replace (for tests and assertions). */
export function isSafeText(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return !new RegExp(UNSAFE.source).test(text);
}
