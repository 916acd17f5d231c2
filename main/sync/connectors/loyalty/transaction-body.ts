/**
 * Shapes the ledger's transaction into the Loyalty API's Transaction (reference §3.2, §3.3). The server checks
 * its fields strictly, so only documented fields are sent; the ledger's own names (`price`, `amount`) are mapped
 * to `grossAmount`/`netAmount`, and the department fields the API requires default to one catch-all
 * department when the till has none (docs/connectors.md).
 */

const TRANSACTION_FIELDS = [
  'transactionId',
  'openTime',
  'dateTime',
  'totalAmount',
  'totalTaxAmount',
  'totalGeneralDiscount',
  'orderType',
  'payments',
  'meansOfPayment',
  'tags',
  'employee',
] as const;

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

export function apiItem(raw: unknown): Record<string, unknown> {
  const item = rec(raw);
  const quantity = num(item.quantity) ?? 1;
  const net = num(item.netAmount) ?? num(item.total) ?? num(item.amount) ?? 0;
  const gross = num(item.grossAmount) ?? num(item.subtotal) ?? net;
  const isReturn = item.action === 'return' || quantity < 0 || net < 0;
  return {
    lineId: str(item.lineId) ?? '0',
    code: str(item.code) ?? 'UNKNOWN',
    name: str(item.name) ?? str(item.code) ?? 'item',
    departmentCode: str(item.departmentCode) ?? DEFAULT_DEPARTMENT.code,
    departmentName: str(item.departmentName) ?? DEFAULT_DEPARTMENT.name,
    quantity: Math.abs(quantity) || 1,
    grossAmount: Math.abs(gross),
    netAmount: Math.abs(net),
    ...(Array.isArray(item.tags) ? { tags: item.tags.filter((t): t is string => typeof t === 'string') } : {}),
    ...(isReturn ? { action: 'return' } : {}),
  };
}

export function apiTransaction(raw: Record<string, unknown>, transactionId: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of TRANSACTION_FIELDS) if (raw[field] !== undefined) out[field] = raw[field];
  out.transactionId = transactionId;
  out.items = Array.isArray(raw.items) ? raw.items.map(apiItem) : [];
  if (out.payments === undefined && out.meansOfPayment === undefined) out.payments = [];
  return out;
}
