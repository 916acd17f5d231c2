/**
 * Dintero's published API, call by call and field by field, as far as the till uses it: written from the OpenAPI
 * types, separately from the sandbox and the connector. Sources:
 * - S1 = repository RobertoSnap/dintero-api-customers-ts @ d5842d18a86010505c2170e462172912ee74ad88, files
 *   `src/api/dintero-discounts-api.d.ts` (D), `src/api/dintero-receipts-api.d.ts` (R),
 *   `src/api/dintero-wallets-api.d.ts` (W), `src/api/dintero-customers-api.d.ts` (C); the name after the file is the
 *   `operations[...]` or `definitions[...]` entry.
 * - S2 = docs.dintero.com pages, as cited in /work/shared/reference/dintero-api.md §12.
 * Each check returns the problems found, as `where: what is wrong`.
 */

type Obj = Record<string, unknown>;
type Problems = string[];

export type QueryParam = { readonly source: string; readonly values?: readonly string[]; readonly check?: (v: string) => boolean };

export type Operation = {
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** Under `/v1/accounts/{aid}/`. */
  readonly path: RegExp;
  readonly source: string;
  readonly query?: Readonly<Record<string, QueryParam>>;
  /** Query parameters that must not be sent together. */
  readonly exclusive?: readonly (readonly [string, string])[];
  readonly body?: (body: unknown) => Problems;
  /** Response fields the API publishes for the answer the till reads (top level, or per element of an array). */
  readonly responseFields?: readonly string[];
};

const limit100: QueryParam = { source: 'parameters.limit ("between 1 and 100")', check: (v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 100 };
const startingAfter: QueryParam = { source: 'parameters.startingAfter' };
const dateTime = (source: string): QueryParam => ({ source, check: (v) => !Number.isNaN(Date.parse(v)) });

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function fields(o: Obj, at: string, spec: { required?: readonly string[]; known: readonly string[] }, out: Problems): void {
  for (const k of spec.required ?? []) if (o[k] === undefined) out.push(`${at}.${k}: required, missing`);
  for (const k of Object.keys(o)) if (!spec.known.includes(k)) out.push(`${at}.${k}: not a published field`);
}

/** D `definitions.Entity` (the read-only fields every object may carry). */
const ENTITY = ['id', 'created_at', 'created_by', 'updated_at', 'deleted_at', 'deleted_by'];

/** D `definitions.Discount` (+ Entity). */
export const DISCOUNT_FIELDS = [
  ...ENTITY,
  'campaign_id', 'active', 'private', 'updated_by', 'type', 'name', 'receipt_text', 'visible_from', 'description',
  'requirement', 'reward', 'limitation', 'metadata', 'links',
] as const;

/** R `definitions.Receipt` (S2 adds store.payout_destination_id). Reference §4. */
const RECEIPT_FIELDS = [
  'store', 'receipt_id', 'purchase_at', 'discounts', 'items', 'delivery', 'customer_id', 'customer', 'gross_amount', 'gross_amount_dwh',
  'net_amount', 'net_amount_dwh', 'round_off_to_coin', 'currency', 'order_number', 'transaction_date', 'amount_due', 'amount_due_dwh',
  'no_of_items', 'is_changed', 'transaction_id', 'total_discount', 'total_manual_discount_amount', 'total_manual_percentage_discount',
  'operator_id', 'operator_name', 'salesperson_id', 'salesperson_name', 'entry_status', 'comment', 'tax_lines', 'payments',
  'infocode_items', 'receipt_text', 'discount_code', 'extra_info',
];
const STORE_FIELDS = ['id', 'name', 'business_name', 'address', 'chain', 'email', 'gln', 'organization_number', 'phone_number', 'mcc', 'bax', 'terminal_id', 'payout_destination_id'];
/** R `definitions.ReceiptItem`. Reference §2.1. */
const ITEM_FIELDS = [
  'id', 'groups', 'quantity', 'unit', 'description', 'description_alias', 'gross_amount', 'gross_amount_dwh', 'net_amount', 'net_amount_dwh',
  'unit_gross_price', 'unit_gross_price_dwh', 'tax_percent', 'line_id', 'barcode', 'cost_price', 'voided', 'scale_item', 'eligible_for_discount',
  'included_in_total_discount', 'price_has_been_keyedIn', 'discount_has_been_keyedIn', 'is_return_item', 'is_linked_item', 'is_virtual_product',
  'is_changed', 'salesperson_id', 'salesperson_name', 'serial_id', 'comment', 'infocode_lines', 'tax_lines', 'dimension', 'discount_lines',
  'bonus_lines', 'extra_info',
];
/** R `definitions.DiscountItem`. */
const DISCOUNT_LINE_FIELDS = ['amount', 'percentage', 'discount_type', 'discount_id', 'description', 'line_id', 'amount_dwh'];
const DISCOUNT_TYPES = ['customer', 'periodic', 'manual', 'loyalty', 'total', 'employee', 'external'];
/** R `definitions.PaymentItem`. */
const PAYMENT_FIELDS = ['line_id', 'amount', 'amount_dwh', 'type_id', 'token_id', 'token_type', 'description', 'voided', 'card_info', 'reference_id', 'infocode_lines'];
/** R `definitions.TaxItem`. */
const TAX_FIELDS = ['amount', 'amount_dwh', 'exempt', 'included_in_price', 'percentage', 'tax_basis', 'tax_basis_dwh', 'tax_code', 'tax_group'];
const ENTRY_STATUS = ['None', 'Voided', 'Posted', 'Concluded', 'Cancelled', 'OnHold', 'Training'];

/** A Receipt as R publishes it; `at` names where it sits in the request. */
export function checkReceipt(v: unknown, at: string): Problems {
  const out: Problems = [];
  const r = obj(v);
  if (!r) return [`${at}: expected a Receipt object (R definitions.Receipt)`];
  fields(r, at, { required: ['store', 'receipt_id', 'purchase_at'], known: RECEIPT_FIELDS }, out);
  const store = obj(r['store']);
  if (r['store'] !== undefined && !store) out.push(`${at}.store: expected an object`);
  if (store) fields(store, `${at}.store`, { required: ['id'], known: STORE_FIELDS }, out);
  if (r['entry_status'] !== undefined && !ENTRY_STATUS.includes(JSON.stringify(r['entry_status']).replaceAll('"', ''))) out.push(`${at}.entry_status: not one of ${ENTRY_STATUS.join(', ')}`);
  if (r['discount_code'] !== undefined && !Array.isArray(r['discount_code'])) out.push(`${at}.discount_code: must be a string[]`);
  (Array.isArray(r['items']) ? r['items'] : []).forEach((item, i) => {
    const it = obj(item);
    if (!it) return void out.push(`${at}.items[${i}]: expected an object`);
    fields(it, `${at}.items[${i}]`, { known: ITEM_FIELDS }, out);
    (Array.isArray(it['discount_lines']) ? it['discount_lines'] : []).forEach((d, j) => {
      const dl = obj(d);
      if (!dl) return;
      fields(dl, `${at}.items[${i}].discount_lines[${j}]`, { known: DISCOUNT_LINE_FIELDS }, out);
      if (dl['discount_type'] !== undefined && !DISCOUNT_TYPES.includes(JSON.stringify(dl['discount_type']).replaceAll('"', ''))) out.push(`${at}.items[${i}].discount_lines[${j}].discount_type: not a DiscountType`);
    });
  });
  (Array.isArray(r['payments']) ? r['payments'] : []).forEach((p, i) => {
    const pay = obj(p);
    if (pay) fields(pay, `${at}.payments[${i}]`, { known: PAYMENT_FIELDS }, out);
  });
  (Array.isArray(r['tax_lines']) ? r['tax_lines'] : []).forEach((t, i) => {
    const tax = obj(t);
    if (tax) fields(tax, `${at}.tax_lines[${i}]`, { known: TAX_FIELDS }, out);
  });
  (Array.isArray(r['discounts']) ? r['discounts'] : []).forEach((d, i) => {
    const refs = obj(d)?.['refs'];
    (Array.isArray(refs) ? refs : []).forEach((ref, j) => {
      const o = obj(ref);
      // R `definitions.DiscountRefs`: refs[] {id, stamp, amount, bonus, usage, items, statistics}.
      if (o) fields(o, `${at}.discounts[${i}].refs[${j}]`, { known: ['id', 'stamp', 'amount', 'bonus', 'usage', 'items', 'statistics'] }, out);
    });
  });
  return out;
}

/** D `definitions.Claim` (the request body of `aid_discounts_available_for_receipt_post_claim`). */
function checkClaim(v: unknown): Problems {
  const out: Problems = [];
  const c = obj(v);
  if (!c) return ['body: expected a Claim'];
  fields(c, 'body', { required: ['purchase_at', 'customer_id', 'discounts'], known: ['ref', 'type', 'purchase_at', 'customer_id', 'discounts'] }, out);
  const discounts = Array.isArray(c['discounts']) ? c['discounts'] : [];
  if (discounts.length === 0) out.push('body.discounts: at least one (S2 rendering)');
  discounts.forEach((d, i) => {
    const o = obj(d);
    if (!o) return void out.push(`body.discounts[${i}]: expected an object`);
    fields(o, `body.discounts[${i}]`, { required: ['id', 'refs'], known: ['id', 'refs'] }, out);
    (Array.isArray(o['refs']) ? o['refs'] : []).forEach((r, j) => {
      const ref = obj(r);
      if (!ref) return;
      fields(ref, `body.discounts[${i}].refs[${j}]`, { required: ['id', 'amount', 'usage'], known: ['id', 'amount', 'usage'] }, out);
      // Server-issued refs: the ids a till could derive (`<rule>:<customer>`) are not refs Dintero gave out.
      if (typeof ref['id'] === 'string' && ref['id'].startsWith(`${String(o['id'])}:`)) out.push(`body.discounts[${i}].refs[${j}].id: derived from the rule id, not a ref the server issued`);
    });
  });
  return out;
}

/**
 * W `definitions.TransactionInput` / `aid_wallets_transactions_post` body, field by field with its source. The card
 * is named by `token` (a card code, by default single-use: W `aid_wallets_cards_tokens_post`
 * `expires_after_transaction`, default true) or by `card_id`, never both.
 */
export const TRANSACTION_FIELDS: Readonly<Record<string, string>> = {
  ref_id: 'S1 W definitions.TransactionInput.ref_id ("Unique ref ID provided by the client to support safely retrying requests"); what a repeated ref_id answers is undocumented (docs/connectors.md D5)',
  amount: 'S1 W definitions.TransactionInput.amount (minor units)',
  currency: 'S1 W definitions.TransactionInput.currency',
  token: 'S1 W definitions.TransactionInput.token ("required if card_id is not set", cannot be combined with card_id)',
  card_id: 'S1 W definitions.TransactionInput.card_id (requires the admin:wallets or write:wallets scope)',
  type: 'S1 W definitions.TransactionInput.type (drawdown | fund; fund requires admin:wallets or write:wallets)',
  pending: 'S1 W definitions.TransactionInput.pending (drawdown only)',
  metadata: 'S1 W definitions.TransactionInput.metadata',
  pin: 'S2 https://docs.dintero.com changelog 2024-02-01 ("pin can be included when creating a transaction"; reference §5)',
  originated_by: 'S2 reference §5 (Transaction.originated_by)',
};

function checkTransaction(v: unknown): Problems {
  const out: Problems = [];
  const t = obj(v);
  if (!t) return ['body: expected a transaction'];
  fields(t, 'body', { required: ['ref_id', 'amount', 'currency'], known: Object.keys(TRANSACTION_FIELDS) }, out);
  if ((t['token'] === undefined) === (t['card_id'] === undefined)) out.push('body: exactly one of token and card_id (W: "token cannot be combined with card_id")');
  // The PIN belongs to a card code (S2 2024-02-01 pairs it with the token): sending it with card_id is not published.
  if (t['pin'] !== undefined && t['token'] === undefined) out.push('body.pin: published only with a token, not with card_id');
  if (t['type'] !== undefined && !['drawdown', 'fund'].includes(JSON.stringify(t['type']).replaceAll('"', ''))) out.push('body.type: drawdown or fund');
  return out;
}

export const OPERATIONS: readonly Operation[] = [
  {
    name: 'token',
    method: 'POST',
    path: /^auth\/token$/,
    source: 'S2 https://docs.dintero.com/api-reference/authenticate/get-token (reference §7)',
    body: (b) => {
      const out: Problems = [];
      const o = obj(b);
      if (!o) return ['body: expected an object'];
      fields(o, 'body', { required: ['grant_type', 'audience'], known: ['grant_type', 'audience'] }, out);
      if (o['grant_type'] !== 'client_credentials') out.push('body.grant_type: client_credentials');
      return out;
    },
    responseFields: ['access_token', 'token_type', 'expires_in', 'refresh_token'],
  },
  {
    name: 'rules list',
    method: 'GET',
    path: /^discounts\/rules$/,
    source: 'S1 D operations.aid_discounts_get',
    query: {
      limit: limit100,
      starting_after: startingAfter,
      since_datetime: dateTime('since_datetime (date-time)'),
      purchase_from: dateTime('purchase_from'),
      purchase_to: dateTime('purchase_to'),
      state: { source: 'state: "all" | "available" | "deleted" | "inactive" (S2 2026-02-27 adds active, scheduled, completed)', values: ['all', 'available', 'deleted', 'inactive', 'active', 'scheduled', 'completed'] },
      campaign_id: { source: 'campaign_id: string[]' },
      include: { source: 'include?: "statistics"[]', values: ['statistics'] },
    },
    exclusive: [['since_datetime', 'starting_after']],
    responseFields: [...DISCOUNT_FIELDS, 'statistics'],
  },
  {
    name: 'customer rules',
    method: 'GET',
    path: /^discounts\/customers\/[^/]+\/rules$/,
    source: 'S1 D operations.aid_discounts_customer_cid_get',
    query: { limit: limit100, starting_after: startingAfter },
    responseFields: [...DISCOUNT_FIELDS, 'statistics', 'ref_id'],
  },
  {
    name: 'public rules',
    method: 'GET',
    path: /^discounts\/public\/rules$/,
    source: 'S1 D operations.aid_discounts_public_get',
    query: { limit: limit100, starting_after: startingAfter, no_customer_id: { source: 'no_customer_id?: boolean', values: ['true', 'false'] }, campaign_id: { source: 'campaign_id?: string[]' } },
    responseFields: [...DISCOUNT_FIELDS, 'ref_id'],
  },
  {
    name: 'claim',
    method: 'POST',
    path: /^discounts\/available_for_receipt\/claims$/,
    source: 'S1 D operations.aid_discounts_available_for_receipt_post_claim, definitions.Claim',
    body: checkClaim,
    responseFields: [...ENTITY, 'ref', 'type', 'purchase_at', 'customer_id', 'discounts'],
  },
  {
    name: 'claims list',
    method: 'GET',
    path: /^discounts\/available_for_receipt\/claims$/,
    source: 'S1 D operations.aid_discounts_available_for_receipt_get_claims',
    query: { limit: limit100, starting_after: startingAfter, ref: { source: 'ref ("filter claims by ref")' }, customer_id: { source: 'customer_id' }, total: { source: 'parameters.total' } },
    responseFields: [...ENTITY, 'ref', 'type', 'purchase_at', 'customer_id', 'discounts'],
  },
  {
    name: 'claim release',
    method: 'DELETE',
    path: /^discounts\/available_for_receipt\/claims\/[^/]+$/,
    source: 'S1 D operations.aid_discounts_available_for_receipt_delete_claim',
  },
  {
    name: 'available for receipt',
    method: 'POST',
    path: /^discounts\/available_for_receipt$/,
    source: 'S1 D operations.aid_discounts_available_for_receipt_post (body and answer: definitions.Receipt)',
    body: (b) => checkReceipt(b, 'body'),
    responseFields: RECEIPT_FIELDS,
  },
  {
    name: 'receipts',
    method: 'POST',
    path: /^receipts$/,
    source: 'S1 R operations.aid_receipts_post (body: Receipt[]; 200: {receipts?: Entity[], duplicates?: number})',
    query: { token_expire_days: { source: 'token_expire_days' } },
    body: (b) => (Array.isArray(b) ? b.flatMap((r, i) => checkReceipt(r, `body[${i}]`)) : ['body: must be an array of receipts']),
    responseFields: ['receipts', 'duplicates'],
  },
  {
    name: 'wallet transaction',
    method: 'POST',
    path: /^wallets\/transactions$/,
    source: 'S1 W operations.aid_wallets_transactions_post, definitions.TransactionInput',
    body: checkTransaction,
    responseFields: [...ENTITY, 'ref_id', 'amount', 'currency', 'token', 'card_id', 'type', 'pending', 'metadata', 'parent_id'],
  },
  {
    name: 'wallet info',
    method: 'POST',
    path: /^wallets\/info$/,
    source: 'S1 W paths["/accounts/{aid}/wallets/info"] (body {token, pin?}; 200: definitions.Card)',
    body: (b) => {
      const out: Problems = [];
      const o = obj(b);
      if (!o) return ['body: expected an object'];
      fields(o, 'body', { required: ['token'], known: ['token', 'pin'] }, out);
      return out;
    },
    responseFields: ['card_id', 'customer_id', 'name', 'id', 'created_at', 'created_by', 'metadata', 'amount', 'currency', 'amount_balance', 'amount_available', 'active_from', 'expires_at', 'type', 'status'],
  },
  {
    name: 'customers search',
    method: 'GET',
    path: /^customers\/users$/,
    source: 'S1 C operations.aid_customers_get',
    query: {
      token_value: { source: 'token_value' },
      token_type: { source: 'token_type' },
      email: { source: 'email' },
      phone_number: { source: 'phone_number (E.164, + as %2B)' },
      type: { source: 'type', values: ['customer', 'company', 'contact', 'employee', 'other', 'any'] },
      search: { source: 'search' },
      limit: limit100,
      starting_after: startingAfter,
    },
    responseFields: ['customer_id', 'type', 'first_name', 'last_name', 'email', 'phone_number', 'attributes', 'status', 'favorite_store', 'enrolled_by', 'marketing_consent', 'addresses', 'term', 'company', 'gender', 'date_of_birth', 'contact_for', 'metadata', ...ENTITY],
  },
];

/** Every problem with one request: an operation the table does not know, a parameter or field it does not publish. */
export function checkRequest(method: string, pathAndQuery: string, body: unknown): Problems {
  const url = new URL(pathAndQuery, 'http://x');
  const m = /\/v1\/accounts\/[^/]+\/(.*)$/.exec(url.pathname);
  if (!m) return [`${method} ${url.pathname}: not under /v1/accounts/{aid}/`];
  const sub = decodeURIComponent(m[1] ?? '');
  const op = OPERATIONS.find((o) => o.method === method && o.path.test(sub));
  if (!op) return [`${method} ${sub}: no published operation in the table`];
  const out: Problems = [];
  for (const [key, value] of url.searchParams) {
    const p = op.query?.[key];
    if (!p) {
      out.push(`${op.name}: query ${key} is not a published parameter (${op.source})`);
      continue;
    }
    if (p.values && !p.values.includes(value)) out.push(`${op.name}: query ${key}=${value} is not one of ${p.values.join(', ')} (${p.source})`);
    if (p.check && !p.check(value)) out.push(`${op.name}: query ${key}=${value} is not valid (${p.source})`);
  }
  for (const [a, b] of op.exclusive ?? []) if (url.searchParams.has(a) && url.searchParams.has(b)) out.push(`${op.name}: ${a} cannot be combined with ${b} (${op.source})`);
  if (op.body) out.push(...op.body(body).map((p) => `${op.name}: ${p}`));
  else if (body !== undefined) out.push(`${op.name}: no body is published`);
  return out;
}

export function operationOf(method: string, path: string): Operation | undefined {
  return OPERATIONS.find((o) => o.method === method && o.path.test(path));
}
