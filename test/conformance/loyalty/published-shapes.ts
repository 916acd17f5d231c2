/**
 * The Loyalty POS API's requests, written field by field from the published pages, separately from the sandbox
 * and the connector. `§` numbers are sections of /work/shared/reference/loyalty-api.md (which cites the vendor
 * pages: docs.rekonect.works, docs.protelloyalty.com, bade-docs.netlify.app); "seed 004" is
 * /work/shared/seeds/004_*.txt. Each check returns the problems found, as `path: what is wrong`.
 */

type Problems = string[];
type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function need(o: Obj, field: string, type: 'string' | 'number' | 'boolean' | 'array' | 'object', at: string, out: Problems): void {
  const v = o[field];
  if (v === undefined) out.push(`${at}.${field}: required, missing`);
  else typed(v, type, `${at}.${field}`, out);
}

function may(o: Obj, field: string, type: 'string' | 'number' | 'boolean' | 'array' | 'object', at: string, out: Problems): void {
  if (o[field] !== undefined) typed(o[field], type, `${at}.${field}`, out);
}

function typed(v: unknown, type: string, at: string, out: Problems): void {
  const ok = type === 'array' ? Array.isArray(v) : type === 'object' ? obj(v) !== undefined : typeof v === type && (type !== 'number' || Number.isFinite(v));
  if (!ok) out.push(`${at}: expected ${type}, got ${JSON.stringify(v)}`);
  // §3.1 "Do not include null or empty strings"; §2.6 "Send only relevant fields; leave out empty ones".
  if (v === '' || v === null) out.push(`${at}: empty values must be left out`);
}

function onlyKnown(o: Obj, known: readonly string[], at: string, out: Problems): void {
  for (const k of Object.keys(o)) if (!known.includes(k)) out.push(`${at}.${k}: not a documented field`);
}

/** §1: every request carries the five identification headers, as JSON. */
export function checkHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): Problems {
  const out: Problems = [];
  if (!String(headers['content-type'] ?? '').startsWith('application/json')) out.push('header content-type: must be application/json (§1)');
  for (const h of ['x-api-key', 'x-source-type', 'x-source-name', 'x-branch-id', 'x-pos-id']) {
    if (typeof headers[h] !== 'string' || headers[h] === '') out.push(`header ${h}: required (§1)`);
  }
  return out;
}

/** §3.1 Member: at least one of the four identifiers, strings, nothing else. */
export function checkMember(v: unknown, at: string): Problems {
  const out: Problems = [];
  const m = obj(v);
  if (!m) return [`${at}: expected a Member object (§3.1)`];
  const ids = ['phoneNumber', 'email', 'membershipKey', 'externalId'];
  for (const f of ids) may(m, f, 'string', at, out);
  if (!ids.some((f) => typeof m[f] === 'string' && m[f] !== '')) out.push(`${at}: at least one identifier is required (§3.1)`);
  onlyKnown(m, ids, at, out);
  return out;
}

/** §3.3 Item (protel /references/item). `amounts` picks the documented names (loyalty.wire `itemAmounts`). */
export function checkItem(v: unknown, at: string, amounts: 'grossAmount/netAmount' | 'subtotal/total'): Problems {
  const out: Problems = [];
  const i = obj(v);
  if (!i) return [`${at}: expected an Item (§3.3)`];
  for (const f of ['lineId', 'code', 'name', 'departmentCode', 'departmentName']) need(i, f, 'string', at, out);
  need(i, 'quantity', 'number', at, out);
  const [gross, net] = amounts === 'subtotal/total' ? ['subtotal', 'total'] : ['grossAmount', 'netAmount'];
  need(i, gross, 'number', at, out);
  need(i, net, 'number', at, out);
  // "Pre-discount price in smallest currency unit": whole minor units.
  for (const f of [gross, net]) if (typeof i[f] === 'number' && !Number.isInteger(i[f])) out.push(`${at}.${f}: smallest currency unit, must be whole`);
  if (typeof i[gross] === 'number' && typeof i[net] === 'number' && (i[net]) > (i[gross])) out.push(`${at}: ${net} is after discounts, cannot exceed ${gross}`);
  may(i, 'tags', 'array', at, out);
  may(i, 'action', 'string', at, out);
  onlyKnown(i, ['lineId', 'code', 'name', 'departmentCode', 'departmentName', 'quantity', gross, net, 'tags', 'action'], at, out);
  return out;
}

export type WireNames = { readonly payments: 'meansOfPayment' | 'payments'; readonly amounts: 'grossAmount/netAmount' | 'subtotal/total' };
export const REFERENCE_NAMES: WireNames = { payments: 'meansOfPayment', amounts: 'grossAmount/netAmount' };

/** §3.2 Transaction (protel /references/transaction): the required fields, with their documented types. */
export function checkTransaction(v: unknown, at: string, names: WireNames = REFERENCE_NAMES): Problems {
  const out: Problems = [];
  const t = obj(v);
  if (!t) return [`${at}: expected a Transaction (§3.2)`];
  for (const f of ['transactionId', 'openTime', 'dateTime']) need(t, f, 'string', at, out);
  for (const f of ['openTime', 'dateTime']) if (typeof t[f] === 'string' && Number.isNaN(Date.parse(t[f]))) out.push(`${at}.${f}: must be ISO 8601`);
  for (const f of ['totalAmount', 'totalTaxAmount', 'totalGeneralDiscount']) need(t, f, 'number', at, out);
  need(t, 'items', 'array', at, out);
  (Array.isArray(t.items) ? t.items : []).forEach((item, k) => out.push(...checkItem(item, `${at}.items[${k}]`, names.amounts)));
  need(t, names.payments, 'array', at, out);
  // §3.2: entries are `{ type: string, amount: number }`; no enum is documented.
  (Array.isArray(t[names.payments]) ? (t[names.payments] as unknown[]) : []).forEach((p, k) => {
    const e = obj(p);
    if (!e) out.push(`${at}.${names.payments}[${k}]: expected {type, amount}`);
    else {
      need(e, 'type', 'string', `${at}.${names.payments}[${k}]`, out);
      need(e, 'amount', 'number', `${at}.${names.payments}[${k}]`, out);
    }
  });
  may(t, 'orderType', 'string', at, out);
  may(t, 'tags', 'array', at, out);
  may(t, 'employee', 'string', at, out);
  onlyKnown(t, ['transactionId', 'openTime', 'dateTime', 'totalAmount', 'totalTaxAmount', 'totalGeneralDiscount', 'orderType', 'items', names.payments, 'tags', 'employee'], at, out);
  return out;
}

/** §3.4 Payment (protel /references/payment): `amount` positive for pay, negative for cancel; code for cancel. */
export function checkPayment(v: unknown, at: string, cancelAmount: 'negative' | 'omit' = 'negative'): Problems {
  const out: Problems = [];
  const p = obj(v);
  if (!p) return [`${at}: expected a Payment (§3.4)`];
  need(p, 'action', 'string', at, out);
  if (p.action !== 'pay' && p.action !== 'cancel') out.push(`${at}.action: "pay" or "cancel", got ${JSON.stringify(p.action)}`);
  if (p.action === 'cancel') {
    need(p, 'confirmationCode', 'string', at, out);
    // The reference page requires it (negative); the flow page's example leaves it out (loyalty.wire cancelAmount).
    if (cancelAmount === 'negative' || p.amount !== undefined) {
      need(p, 'amount', 'number', at, out);
      if (typeof p.amount === 'number' && !(p.amount < 0)) out.push(`${at}.amount: negative for cancel (§3.4)`);
    }
  } else {
    need(p, 'amount', 'number', at, out);
    if (typeof p.amount === 'number' && !(p.amount > 0)) out.push(`${at}.amount: positive for pay (§3.4)`);
    if (p.confirmationCode !== undefined) out.push(`${at}.confirmationCode: only for cancel (§3.4)`);
  }
  onlyKnown(p, ['action', 'amount', 'confirmationCode'], at, out);
  return out;
}

/** The body of each endpoint (§2.1 to §2.7). */
export function checkBody(path: string, v: unknown, names: WireNames = REFERENCE_NAMES, cancelAmount: 'negative' | 'omit' = 'negative'): Problems {
  const b = obj(v);
  if (!b) return [`body: expected a JSON object (§2: "UTF-8 JSON body")`];
  const out: Problems = [];
  switch (path) {
    case '/v1/member/details':
      // §2.3: member required, transaction optional (a benefit preview).
      out.push(...checkMember(b.member, 'member'));
      if (b.transaction !== undefined) out.push(...checkTransaction(b.transaction, 'transaction', names));
      onlyKnown(b, ['member', 'transaction', 'usedAssets'], 'body', out);
      break;
    case '/v1/payment':
      // §2.6: member and payment required; transaction optional, but the flow page wants it with a pay.
      out.push(...checkMember(b.member, 'member'));
      out.push(...checkPayment(b.payment, 'payment', cancelAmount));
      if (b.transaction !== undefined) out.push(...checkTransaction(b.transaction, 'transaction', names));
      onlyKnown(b, ['member', 'payment', 'transaction'], 'body', out);
      break;
    case '/v1/transaction': {
      // §2.5: transaction required, member optional. The cancel body is NOT FOUND in the docs (§2.5 "Gaps"):
      // the INFERRED shape is `transaction: {action: "cancel", confirmationCode}`; checked for that only.
      if (b.member !== undefined) out.push(...checkMember(b.member, 'member'));
      const t = obj(b.transaction);
      if (t?.action === 'cancel') {
        need(t, 'confirmationCode', 'string', 'transaction', out);
      } else out.push(...checkTransaction(b.transaction, 'transaction', names));
      may(b, 'usedAssets', 'array', 'body', out);
      may(b, 'appliedDeals', 'array', 'body', out);
      onlyKnown(b, ['member', 'transaction', 'usedAssets', 'appliedDeals'], 'body', out);
      break;
    }
    case '/v1/member/update':
      // §2.2: member and newMemberData both mandatory.
      out.push(...checkMember(b.member, 'member'));
      need(b, 'newMemberData', 'object', 'body', out);
      onlyKnown(b, ['member', 'newMemberData'], 'body', out);
      break;
    case '/v1/member/register':
      // §2.1: flat fields (rekonect curl); all marked mandatory in the rekonect table.
      for (const f of ['phoneNumber', 'email', 'firstName', 'lastName', 'birthday']) may(b, f, 'string', 'body', out);
      for (const f of ['allowedSMS', 'allowedEmail', 'termsOfUse', 'gdpr']) may(b, f, 'boolean', 'body', out);
      if (typeof b.phoneNumber !== 'string' && typeof b.email !== 'string') out.push('body: a phoneNumber or email is required (§2.1)');
      break;
    case '/v1/event': {
      // §2.7: event.type required; member optional.
      if (b.member !== undefined) out.push(...checkMember(b.member, 'member'));
      const e = obj(b.event);
      if (!e) out.push('body.event: required (§2.7)');
      else {
        need(e, 'type', 'string', 'event', out);
        may(e, 'subType', 'string', 'event', out);
        may(e, 'dateTime', 'string', 'event', out);
        may(e, 'payload', 'object', 'event', out);
        may(e, 'tags', 'array', 'event', out);
      }
      break;
    }
    default:
      out.push(`${path}: not a documented endpoint (§2)`);
  }
  return out;
}
