/**
 * Why a rule did or did not apply: a stable code for programs and a sentence a cashier understands.
 */
import type { Reasoned } from '../error-reasons';
import { minor, toDecimal } from '../money';
import { currencyExponent } from '../sale/currency';
import type { Matcher } from './model';

export const REASON_CODES = [
  'applied',
  'inactive',
  'not_granted',
  'not_started',
  'ended',
  'expired_for_customer',
  'used_up',
  'debit_used_up',
  'outside_hours',
  'store_mismatch',
  'currency_mismatch',
  'customer_mismatch',
  'code_missing',
  'receipt_has_discount',
  'no_eligible_items',
  'items_missing',
  'mix_missing',
  'gross_below_minimum',
  'net_below_minimum',
  'stamps_missing',
  'deactivated',
  'not_combinable',
  'items_taken',
  'nothing_to_discount',
] as const;

export type ReasonCode = (typeof REASON_CODES)[number];

/** `detail` is the message as a reason with parameters, which a screen words in its language (the why panel). */
export type Reason = { readonly code: ReasonCode; readonly message: string; readonly detail?: Reasoned };

export function reason(code: ReasonCode, message: string, detail?: Reasoned): Reason {
  return detail ? { code, message, detail } : { code, message };
}

/** Minor units as text in the currency's own exponent: 5000 NOK is "50.00 NOK", 5000 ISK is "5000 ISK". */
export function money(amount: number, currency: string | undefined): string {
  return `${toDecimal(minor(amount), currencyExponent(currency ?? ''))}${currency ? ` ${currency}` : ''}`;
}

function describeMatcher(m: Matcher): string {
  if (m.id === 'ANY_ITEM' || m.id === '*') return m.group !== undefined ? `any item of group ${m.group}` : 'any item';
  if (m.id !== undefined && m.group !== undefined) return `item ${m.id} of group ${m.group}`;
  if (m.id !== undefined) return `item ${m.id}`;
  return `group ${m.group ?? ''}`;
}

/** "item 7038 or group B1", shortened past three entries. */
export function describeMatchers(list: readonly Matcher[]): string {
  if (list.length === 0) return 'any item';
  const shown = list.slice(0, 3).map(describeMatcher).join(' or ');
  return list.length > 3 ? `${shown} or ${list.length - 3} more` : shown;
}

/** "needs 3 items of group B1, basket has 2". */
export function needsItems(needed: number, list: readonly Matcher[], has: number): string {
  const noun = needed === 1 ? '1 item' : `${needed} items`;
  const what = list.length === 0 ? '' : ` of ${describeMatchers(list)}`;
  return `needs ${noun}${what}, basket has ${has === 0 ? 'none' : String(has)}`;
}
