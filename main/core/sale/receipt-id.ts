import { TillError } from '../errors';

/**
 * A receipt id names the till and the sale: `<branch>-<pos>-<sale number, 6 digits or more>`, such as
 * `demo-branch-till-1-000042`. Every idempotency key of the sale derives from it, so it must never change
 * for a sale and never repeat across tills.
 */
export function receiptId(branchId: string, posId: string, saleNo: number): string {
  if (!Number.isSafeInteger(saleNo) || saleNo < 1) throw new TillError('SCHEMA_INVALID', `A sale number is a whole number from 1, got ${saleNo}`);
  return `${branchId}-${posId}-${String(saleNo).padStart(6, '0')}`;
}

/** The sale number of a receipt id from this till, or undefined when it is not one. */
export function saleNoOf(id: string, branchId: string, posId: string): number | undefined {
  const prefix = `${branchId}-${posId}-`;
  if (!id.startsWith(prefix)) return undefined;
  const digits = id.slice(prefix.length);
  return /^\d{6,}$/.test(digits) ? Number(digits) : undefined;
}
