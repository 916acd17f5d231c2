/**
 * Why the agent refused something, as a stable code with parameters, so a screen words it in its own language
 * (docs/renderer.md "Reason codes"). The English `message` of a TillError stays for logs and the CLI; a
 * screen never shows it on an `nb` or `es` till.
 *
 * Each reason lists its parameters and how a screen formats each one. The renderer's wording table is typed
 * `Record<ErrorReason, …>` per language, so a reason added here without a wording in every language fails to
 * compile (renderer/shared/i18n-errors.ts), and a unit test checks every `{param}` of every wording.
 */

/**
 * How a screen shows a parameter: `money` is integer minor units in the till's currency, `number` a count,
 * `tender` a tender kind (`gift_card`, `points`, `card`, `cash`) the screen words itself, `text` as it is
 * (a product name, a masked card number, a date, a code: never an English sentence).
 */
export type ReasonParamKind = 'money' | 'number' | 'text' | 'tender';

export const ERROR_REASONS = {
  // ---- items and the basket
  'item.not-in-catalog': { item: 'text' },
  'item.sold-by-weight': { item: 'text' },
  'item.weigh-again': { item: 'text' },
  'item.quantity-range': { item: 'text', quantity: 'number' },
  'basket.no-line': { line: 'number' },
  'basket.empty': {},
  'basket.payments-exceed': {},
  'basket.suspend-paid': {},
  'basket.resume-unknown': { id: 'text' },
  'basket.resume-busy': {},
  // ---- ID checks and staff approval (`items`: names with their age limit, "Beer (18+), Apples")
  'checks.id-check': { items: 'text' },
  'checks.staff-approval': { items: 'text' },
  'checks.locked': { items: 'text' },
  'checks.nothing-pending': {},
  'checks.operator-missing': {},
  // ---- paying
  'sale.already-paid': {},
  'sale.nothing-due': {},
  'sale.no-receipt': {},
  'sale.no-receipt-offer': {},
  'card.in-progress': {},
  'card.needs-staff': {},
  'card.no-terminal': {},
  'card.at-most-due': { due: 'money' },
  'tender.at-most-due': { tender: 'tender', due: 'money' },
  'tender.value-unavailable': {},
  'tender.refused': { tender: 'tender' },
  'tender.uncertain': { tender: 'tender' },
  'gift-card.unknown': { card: 'text' },
  'gift-card.refused': { card: 'text' },
  'gift-card.pin-offline': { card: 'text' },
  'points.need-member': {},
  'points.member-unknown': {},
  'points.refused': {},
  'balance.nothing-left': { tender: 'tender', balance: 'money', inBasket: 'money' },
  'balance.too-low': { tender: 'tender', balance: 'money', inBasket: 'money', amount: 'money', left: 'money' },
  // ---- offline limits (docs/reliability.md): one reason per limit that refused
  'offline.disabled': { tender: 'tender' },
  'offline.code-spent': {},
  'offline.code-unconfirmed': {},
  'offline.per-payment': { tender: 'tender', cap: 'money', amount: 'money' },
  'offline.per-member-per-day': { tender: 'tender', cap: 'money', used: 'money', left: 'money' },
  'offline.total-exposure': { cap: 'money', used: 'money', left: 'money' },
  'offline.no-balance': { tender: 'tender' },
  'offline.balance': { tender: 'tender', balance: 'money', used: 'money', amount: 'money', left: 'money' },
  // ---- members (a phone number is never a parameter: it is personal data)
  'member.number-not-found': { number: 'text' },
  'member.phone-not-found': {},
  'member.lookup-unavailable': {},
  'member.number-unreachable': { number: 'text' },
  'member.phone-unreachable': {},
  'member.refused': {},
  'member.qr-invalid': {},
  // ---- business day, shift, drawer and reports (manager screen, the cashier's shift)
  'day.still-open': { date: 'text' },
  'day.none-open': {},
  'day.shift-open': {},
  'shift.operator-missing': {},
  'shift.no-day': {},
  'shift.still-open': { operator: 'text' },
  'shift.none-open': {},
  'sale.no-shift': {},
  'sale.training-correction': {},
  'receipt.unknown': { id: 'text' },
  'receipt.already-voided': { id: 'text', by: 'text' },
  'report.no-day': {},
  'report.day-closed': { date: 'text' },
  'report.no-z': {},
  'cash.training': {},
  'cash.no-shift': {},
  'cash.more-than-drawer': { expected: 'money', amount: 'money' },
  // ---- manager screen
  'manager.session-expired': {},
  'manager.no-printer': {},
  'manager.no-drawer': {},
  'manager.rule-unknown': { id: 'text' },
  // ---- devices (the status panel and the manager's device list)
  'device.no-scanner': {},
  'device.no-printer': {},
  'device.starting': {},
  'device.ready': {},
  'device.paper-low': {},
  'device.printer-no-status': {},
  'device.paper-out': {},
  'device.cover-open': {},
  'device.printer-error': {},
  'device.printer-offline': {},
  // the configured device, in the manager's device list (`address`: host:port, a path, or vendor:product ids)
  'device.no-printer-configured': {},
  'device.no-scanner-configured': {},
  'device.printer-network': { address: 'text' },
  'device.printer-serial': { address: 'text', baud: 'number' },
  'device.printer-usb': { address: 'text' },
  'device.scanner-serial': { address: 'text', baud: 'number' },
  'device.scanner-hid': { address: 'text' },
  // ---- the "why" panel: details of a discount rule's outcome (main/core/discounts)
  'discount.applied': { lines: 'text' },
  'discount.inactive': {},
  'discount.identified-only': {},
  'discount.not-given': {},
  'discount.not-started': { date: 'text' },
  'discount.ended': { date: 'text' },
  'discount.expired-for-customer': { date: 'text', days: 'number' },
  'discount.used-up': { used: 'number', limit: 'number' },
  'discount.debit-used-up': {},
  'discount.outside-hours': {},
  'discount.only-stores': { stores: 'text' },
  'discount.not-this-store': {},
  'discount.not-in-currency': { currency: 'text' },
  'discount.only-currencies': { currencies: 'text' },
  'discount.customer-mismatch': {},
  'discount.code-missing': { code: 'text' },
  'discount.receipt-has-discount': {},
  'discount.no-eligible-items': {},
  'discount.items-missing': { needed: 'number', has: 'number' },
  'discount.mix-missing': { needed: 'number', has: 'number' },
  'discount.gross-below-minimum': { min: 'money', gross: 'money' },
  'discount.net-below-minimum': { min: 'money', net: 'money' },
  'discount.stamps-missing': { have: 'number', stamps: 'number' },
  'discount.deactivated': { by: 'text' },
  'discount.not-combinable': { other: 'text' },
  'discount.better-together': { together: 'money', alone: 'money' },
  'discount.items-taken': {},
  'discount.items-open': { open: 'number', needed: 'number' },
  'discount.nothing-to-discount': {},
} as const satisfies Readonly<Record<string, Readonly<Record<string, ReasonParamKind>>>>;

export type ErrorReason = keyof typeof ERROR_REASONS;

/** Every reason the agent can give, derived from the table above (tests and the screen iterate it). */
export const ERROR_REASON_CODES = Object.keys(ERROR_REASONS) as readonly ErrorReason[];

/** A parameter as it crosses the wire: numbers (money in minor units, counts) or text. */
export type ReasonParamValue = string | number;
export type ReasonParamsOf<R extends ErrorReason> = {
  readonly [P in keyof (typeof ERROR_REASONS)[R]]: (typeof ERROR_REASONS)[R][P] extends 'text' | 'tender' ? string : number;
};

/** A reason with its parameters, as the agent attaches it to a TillError, a notice or a view. */
export type Reasoned = { readonly reason: ErrorReason; readonly params: Readonly<Record<string, ReasonParamValue>> };

/** A reason and parameters checked against the table: a missing or misspelt parameter does not compile. */
export function because<R extends ErrorReason>(reason: R, params: ReasonParamsOf<R>): Reasoned {
  return { reason, params: params };
}

export function isErrorReason(value: string): value is ErrorReason {
  return Object.prototype.hasOwnProperty.call(ERROR_REASONS, value);
}

/** How the screen shows `tender` parameters: the tender kinds a refusal can name. */
export function tenderParam(kind: 'gift_card' | 'points' | 'loyalty' | 'card' | 'cash'): string {
  return kind === 'loyalty' ? 'points' : kind;
}
