import type { SaleEntry } from './entry';

/**
 * What of a gift card is shown: the last four characters of its token ("…0004"), on the receipt, in `sale show`,
 * in the SAF-T export. Idempotent: masking a masked token gives it back unchanged.
 */
export function maskCardToken(token: string): string {
  return `…${token.trim().slice(-4)}`;
}

/**
 * The entry as it is stored and hashed into the journal (issue 19 finding 4): every gift card's token masked.
 * The full token, which a void needs to give the money back to the card, is sealed beside it in `sale_tenders`
 * (main/store/ledger.ts). Entries stored before schema 220 keep their token: their hash is in the signed journal,
 * so they are never rewritten (docs/security.md).
 */
export function entryAtRest(entry: SaleEntry): SaleEntry {
  if (!entry.tenders.some((t) => t.kind === 'gift_card')) return entry;
  return { ...entry, tenders: entry.tenders.map((t) => (t.kind === 'gift_card' ? { ...t, cardToken: maskCardToken(t.cardToken) } : t)) };
}

/** A stored gift card token that is only its mask (an entry stored from schema 220 on). */
export function isMaskedCardToken(token: string): boolean {
  return token.startsWith('…');
}
