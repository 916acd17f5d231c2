import type { CatalogItem } from '../catalog/item';
import { because, type Reasoned } from '../error-reasons';
import { TillError } from '../errors';
import type { SaleItem } from './model';

/**
 * Lines that need a person to look before the customer may pay: an age-restricted item (someone checks the
 * customer's ID) and, at a self-service kiosk, a weighed item (staff check that the label matches the goods;
 * the kiosk has no scale of its own). While any check is pending the basket is locked: no tender is taken.
 * An approval clears every pending check at once and is kept with the sale (the ledger document, whose hash
 * is in the journal), so an audit can tell who approved what and when.
 *
 * An ID check proves an age, not an item: once staff have seen that the customer is 18 or older, more 18+
 * items need no new check, but a 20+ item does (Norwegian spirits, say).
 */
export type TillMode = 'cashier' | 'kiosk';

export type SaleCheck =
  | { readonly kind: 'age'; readonly lineId: number; readonly itemId: string; readonly description: string; readonly ageLimit: number }
  | { readonly kind: 'weight'; readonly lineId: number; readonly itemId: string; readonly description: string; readonly grams: number };

/** `id-check`: the cashier checked the customer's ID at their own till. `staff-approval`: an attendant approved a kiosk basket. */
export type ApprovalMethod = 'id-check' | 'staff-approval';

export type Approval = {
  readonly operatorId: string;
  readonly method: ApprovalMethod;
  readonly at: string;
  readonly checks: readonly SaleCheck[];
  /** The age the approver vouched for: the highest age limit among the approved checks. */
  readonly verifiedAge?: number;
};

export type SaleChecks = { readonly pending: readonly SaleCheck[]; readonly approvals: readonly Approval[] };

export const NO_CHECKS: SaleChecks = { pending: [], approvals: [] };

export function methodFor(mode: TillMode): ApprovalMethod {
  return mode === 'kiosk' ? 'staff-approval' : 'id-check';
}

/** The highest age any approval of this basket vouched for (0 when none did). */
export function verifiedAge(checks: SaleChecks): number {
  return Math.max(0, ...checks.approvals.map((a) => a.verifiedAge ?? 0));
}

/**
 * The checks a line needs after `item` was added to it (a new line, or more pieces on the last one). A line
 * that already has a pending check of a kind does not get a second one.
 */
export function requireChecks(checks: SaleChecks, mode: TillMode, item: Pick<CatalogItem, 'id' | 'ageLimit'>, line: SaleItem): SaleChecks {
  const needed: SaleCheck[] = [];
  const has = (kind: SaleCheck['kind']): boolean => checks.pending.some((c) => c.kind === kind && c.lineId === line.line_id);
  const ageLimit = item.ageLimit ?? 0;
  if (ageLimit > 0 && ageLimit > verifiedAge(checks) && !has('age')) {
    needed.push({ kind: 'age', lineId: line.line_id, itemId: item.id, description: line.description, ageLimit });
  }
  if (mode === 'kiosk' && line.unit === 'weight' && !has('weight')) {
    needed.push({ kind: 'weight', lineId: line.line_id, itemId: item.id, description: line.description, grams: line.quantity_milli });
  }
  return needed.length === 0 ? checks : { ...checks, pending: [...checks.pending, ...needed] };
}

/** A voided line takes its pending checks with it; approvals already given stay on record. */
export function dropLineChecks(checks: SaleChecks, lineId: number): SaleChecks {
  if (!checks.pending.some((c) => c.lineId === lineId)) return checks;
  return { ...checks, pending: checks.pending.filter((c) => c.lineId !== lineId) };
}

/** Approves every pending check. Refused when nothing waits, so a stray call is not recorded as an approval. */
export function approveChecks(checks: SaleChecks, by: { readonly operatorId: string; readonly method: ApprovalMethod; readonly at: string }): SaleChecks {
  if (checks.pending.length === 0) throw new TillError('CONFLICT', 'Nothing in this basket is waiting for approval.', because('checks.nothing-pending', {}));
  const operatorId = by.operatorId.trim();
  if (operatorId === '') throw new TillError('SCHEMA_INVALID', 'An approval needs the approving operator id.', because('checks.operator-missing', {}));
  const ages = checks.pending.filter((c) => c.kind === 'age').map((c) => c.ageLimit);
  const approval: Approval = { operatorId, method: by.method, at: by.at, checks: checks.pending, ...(ages.length > 0 ? { verifiedAge: Math.max(...ages) } : {}) };
  return { pending: [], approvals: [...checks.approvals, approval] };
}

function describeCheck(c: SaleCheck): string {
  return c.kind === 'age' ? `${c.description} (age ${c.ageLimit}+)` : `${c.description} (weighed item)`;
}

/** What the customer or cashier is told when paying is refused: which lines wait for whom. */
export function lockMessage(checks: SaleChecks, mode?: TillMode): string {
  const what = checks.pending.map(describeCheck).join(', ');
  if (mode === 'kiosk') return `Staff must approve this basket before payment: ${what}.`;
  if (mode === 'cashier') return `Check the customer's ID before payment: ${what}.`;
  return `The basket is locked until its checks are approved: ${what}.`;
}

/**
 * The lock as a reason a screen words: the lines by name, an age check with its limit ("Beer (18+)"), so the
 * parameter holds no English.
 */
export function lockReason(checks: SaleChecks, mode?: TillMode): Reasoned {
  const items = checks.pending.map((c) => (c.kind === 'age' ? `${c.description} (${c.ageLimit}+)` : c.description)).join(', ');
  if (mode === 'kiosk') return because('checks.staff-approval', { items });
  if (mode === 'cashier') return because('checks.id-check', { items });
  return because('checks.locked', { items });
}

/** Throws while any check is pending: the one rule every tender and every commit goes through. */
export function assertUnlocked(checks: SaleChecks, mode: TillMode): void {
  if (checks.pending.length > 0) throw new TillError('CONFLICT', lockMessage(checks, mode), lockReason(checks, mode));
}
