/**
 * Shapes the ledger's transaction into the Loyalty API's Transaction (reference §3.2, protel
 * `/references/transaction`) and Item (§3.3, `/references/item`). Only documented fields are sent. Where the
 * published pages contradict each other, the name or sign is a setting (`loyalty.wire`, docs/configuration.md)
 * whose default is what the vendor's reference page says; docs/connectors.md lists each field's source.
 */

/** The settings for the places where the vendor's own pages disagree. Defaults: the reference pages. */
export type LoyaltyWire = {
  /**
   * The payment breakdown's name. `meansOfPayment`: protel `/references/transaction` (required) and bade-docs
   * `/transaction`; `payments`: the `/payment`, `/member/details` and rekonect `/transaction` examples.
   */
  readonly paymentsField: 'meansOfPayment' | 'payments';
  /** Item amounts. `grossAmount/netAmount`: `/references/item` (both required); `subtotal/total`: the examples. */
  readonly itemAmounts: 'grossAmount/netAmount' | 'subtotal/total';
  /**
   * A cancel's `amount`. `negative`: `/references/payment` ("positive for pay, negative for cancel", example
   * `{"action":"cancel","confirmationCode":"ABC123XYZ","amount":-1000}`); `omit`: the payment flow page's example.
   */
  readonly cancelAmount: 'negative' | 'omit';
  /**
   * A partial refund. `cancel`: a cancel by confirmation code with the negative part (`/references/payment`:
   * the amount is negative for cancel); `negative_pay`: a `pay` with a negative amount (`/payment` page:
   * "if reimbursing the member, the amount should be negative").
   */
  readonly partialRefund: 'cancel' | 'negative_pay';
};

export const DEFAULT_WIRE: LoyaltyWire = { paymentsField: 'meansOfPayment', itemAmounts: 'grossAmount/netAmount', cancelAmount: 'negative', partialRefund: 'cancel' };

/** Transaction fields of `/references/transaction` that pass through as the ledger wrote them. */
const PASSED_FIELDS = ['openTime', 'dateTime', 'totalAmount', 'totalTaxAmount', 'totalGeneralDiscount', 'orderType', 'tags', 'employee'] as const;

/** Item departments are required (`/references/item`); the till's catalog has none yet: one catch-all. */
export const DEFAULT_DEPARTMENT = { code: 'GENERAL', name: 'General' } as const;

function rec(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}

/**
 * One Item. `grossAmount` is the line before discounts, `netAmount` after all of them (`/references/item`), both
 * from the ledger's line (`grossAmount`/`netAmount`; older envelopes wrote `amount` for the net and no gross,
 * and then the net stands for both). A return line is sent with positive amounts and `action: "return"`.
 */
export function apiItem(raw: unknown, wire: LoyaltyWire = DEFAULT_WIRE): Record<string, unknown> {
  const item = rec(raw);
  const quantity = num(item.quantity) ?? 1;
  const net = num(item.netAmount) ?? num(item.total) ?? num(item.amount) ?? 0;
  const gross = num(item.grossAmount) ?? num(item.subtotal) ?? net;
  const isReturn = item.action === 'return' || quantity < 0 || net < 0 || gross < 0;
  const [grossName, netName] = wire.itemAmounts === 'subtotal/total' ? ['subtotal', 'total'] : ['grossAmount', 'netAmount'];
  return {
    lineId: str(item.lineId) ?? '0',
    code: str(item.code) ?? 'UNKNOWN',
    name: str(item.name) ?? str(item.code) ?? 'item',
    departmentCode: str(item.departmentCode) ?? DEFAULT_DEPARTMENT.code,
    departmentName: str(item.departmentName) ?? DEFAULT_DEPARTMENT.name,
    quantity: Math.abs(quantity) || 1,
    [grossName]: Math.abs(gross),
    [netName]: Math.abs(net),
    ...(Array.isArray(item.tags) ? { tags: item.tags.filter((t): t is string => typeof t === 'string') } : {}),
    ...(isReturn ? { action: 'return' } : {}),
  };
}

/** The payment breakdown, from whichever name the ledger used, under the configured name. */
function paymentLines(raw: Record<string, unknown>): { type: string; amount: number }[] {
  const lines = Array.isArray(raw.meansOfPayment) ? raw.meansOfPayment : Array.isArray(raw.payments) ? raw.payments : [];
  return lines.map(rec).flatMap((p) => {
    const type = str(p.type);
    const amount = num(p.amount);
    return type === undefined || amount === undefined ? [] : [{ type, amount }];
  });
}

export function apiTransaction(raw: Record<string, unknown>, transactionId: string, wire: LoyaltyWire = DEFAULT_WIRE): Record<string, unknown> {
  const out: Record<string, unknown> = { transactionId };
  for (const field of PASSED_FIELDS) if (raw[field] !== undefined) out[field] = raw[field];
  out.items = Array.isArray(raw.items) ? raw.items.map((i) => apiItem(i, wire)) : [];
  out[wire.paymentsField] = paymentLines(raw);
  return out;
}

/**
 * Whether a ledger transaction is the full sale (items and totals) rather than the stub older envelopes carry
 * (`{transactionId}` only); a stub is not sent with a payment, since `transaction` is optional there.
 */
export function isFullTransaction(raw: Record<string, unknown> | undefined): raw is Record<string, unknown> {
  return raw !== undefined && Array.isArray(raw.items) && raw.totalAmount !== undefined && raw.dateTime !== undefined;
}
