/**
 * What a member's own code carries, so a scan of it identifies the member instead of being looked up as an item.
 *
 * The member QR (and the code-128 on a printed card) encodes `MEMBER:<membership number>`: the prefix in any
 * case, then the membership number (the Loyalty API's `externalId`, also the Dintero token of type `card`),
 * 4 to 20 digits. A prefix cannot be confused with a GTIN, a GS1 element string or an in-store code, and the
 * number is what the cashier would otherwise type. Format and reasons: docs/barcodes.md.
 */
export const MEMBER_CODE_PREFIX = 'MEMBER:';

const NUMBER = /^\d{4,20}$/;

export type MemberCode = { readonly memberNumber: string };

/** The membership number in a scanned member code; undefined when the code is not a member code at all. */
export function parseMemberCode(raw: string): MemberCode | undefined {
  const text = raw.trim();
  if (text.length <= MEMBER_CODE_PREFIX.length || text.slice(0, MEMBER_CODE_PREFIX.length).toUpperCase() !== MEMBER_CODE_PREFIX) return undefined;
  const number = text.slice(MEMBER_CODE_PREFIX.length).trim();
  return NUMBER.test(number) ? { memberNumber: number } : undefined;
}

/** A member code's prefix with something after it that is not a membership number: a damaged or foreign code. */
export function looksLikeMemberCode(raw: string): boolean {
  return raw.trim().toUpperCase().startsWith(MEMBER_CODE_PREFIX);
}

export function isMemberNumber(value: string): boolean {
  return NUMBER.test(value.trim());
}

/** "•••• 0001": the last four characters, for screens that must not show the whole id. */
export function maskId(id: string): string {
  const tail = id.trim().slice(-4);
  return `•••• ${tail}`;
}
