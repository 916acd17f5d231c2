/**
 * What a Loyalty POS API answer means, as a pure function of the HTTP status and the body. The outbox and the
 * uncertain-payment policy (docs/sync.md) build on it: only a documented refusal is final; a documented server
 * failure and every answer the docs do not describe leave the outcome unknown, and an unknown outcome is never
 * resent blindly (DESIGN.md §5).
 *
 * Sources: seed 004 "Response & Error Handling" (envelope, top-level success fields, code `203`);
 * `/work/shared/reference/loyalty-api.md` §2.6 (`/payment`: `data`, code `407`), §4 (codes `4001012`, `1001`,
 * `500`, and bade-docs' `MEMBER_NOT_FOUND`, `BAD_REQUEST`), §2.3 (`status: "ok"` sample of `/member/details`).
 */

import { safeText } from '../../../core/safe-text';

export type LoyaltyRefusal = 'member_not_found' | 'invalid_input' | 'balance_too_low';

export type LoyaltyAnswer =
  /**
   * `status: "success"` (or the `/member/details` sample's `"ok"`). `data` holds the success fields from both
   * documented places: the top level (seed 004: `{"status":"success","confirmationCode":"ABC123"}`) and `data`
   * (/payment page); where both carry a field, `data`'s wins.
   */
  | { readonly kind: 'success'; readonly data: Record<string, unknown>; readonly confirmationCode: string | undefined }
  /** A documented refusal: the server says it did not apply the request, for good. */
  | { readonly kind: 'refused'; readonly refusal: LoyaltyRefusal; readonly code: string; readonly message: string }
  /** The documented server failure (`500`): may or may not have been applied. */
  | { readonly kind: 'server_error'; readonly code: string; readonly message: string }
  /** Anything the docs do not describe (an unknown code, no envelope): says nothing about what was applied. */
  | { readonly kind: 'undocumented'; readonly code: string | undefined; readonly message: string };

/**
 * Every documented refusal code and what it means (reference §4). `203` and `4001012` are both "member not
 * found" in the docs; `MEMBER_NOT_FOUND` and `BAD_REQUEST` are the bade-docs draft's spelling of the same.
 */
export const DOCUMENTED_REFUSALS: Readonly<Record<string, LoyaltyRefusal>> = {
  // seed 004 example error; reference §2.2 (/member/update)
  '203': 'member_not_found',
  // reference §4, Communication Format page (path body.member.phoneNumber)
  '4001012': 'member_not_found',
  // reference §2.2, §2.7 (bade-docs /member/update, /member/shortCode)
  MEMBER_NOT_FOUND: 'member_not_found',
  // reference §2.2, §2.7 ("phoneNumber is not allow…")
  '1001': 'invalid_input',
  // reference §2.1 (bade-docs /member/register)
  BAD_REQUEST: 'invalid_input',
  // reference §2.6 (/payment: "creditBalance balance for members is insufficient")
  '407': 'balance_too_low',
};

/** The one documented server failure code (reference §2.7, /event). */
export const SERVER_ERROR_CODE = '500';

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function codeOf(value: unknown): string | undefined {
  // "Unique error identifier", a string; numeric codes arrive as strings, but a number is read the same.
  // Capped and escaped (core/safe-text): the code reaches the outbox row, the log and the manager's screen.
  const raw = typeof value === 'string' && value !== '' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
  return raw === undefined ? undefined : safeText(raw, 60);
}

/** Classifies an error code (and the HTTP status it came with) the way `classifyLoyaltyAnswer` does. */
export function classifyLoyaltyError(code: string | undefined, message: string): LoyaltyAnswer {
  if (code !== undefined) {
    const refusal = DOCUMENTED_REFUSALS[code];
    if (refusal !== undefined) return { kind: 'refused', refusal, code, message };
    if (code === SERVER_ERROR_CODE) return { kind: 'server_error', code, message };
  }
  return { kind: 'undocumented', code, message };
}

/**
 * Reads one answer. HTTP 2xx with `status: "success" | "ok"` is a success; an error envelope is classified by
 * its code; a 2xx body that is neither, or a success envelope on a non-2xx status, is undocumented. Transport
 * outcomes (no answer, 429, 5xx without an envelope) are the HTTP client's to classify, not this function's.
 */
export function classifyLoyaltyAnswer(httpStatus: number, body: unknown): LoyaltyAnswer {
  const top = record(body);
  const status = top?.status;
  if (top && (status === 'success' || status === 'ok')) {
    if (httpStatus < 200 || httpStatus >= 300) return { kind: 'undocumented', code: undefined, message: `HTTP ${httpStatus} with a success envelope` };
    const { status: _status, data, ...rest } = top;
    const inner = record(data) ?? {};
    const merged = { ...rest, ...inner };
    const code = codeOf(inner.confirmationCode) ?? codeOf(rest.confirmationCode);
    return { kind: 'success', data: merged, confirmationCode: code };
  }
  const error = record(top?.error);
  if (status === 'error' || error !== undefined) {
    const message = typeof error?.message === 'string' ? error.message : 'error without a message';
    return classifyLoyaltyError(codeOf(error?.code), message);
  }
  return { kind: 'undocumented', code: undefined, message: body === undefined ? `HTTP ${httpStatus} without a body` : `HTTP ${httpStatus}: answer without a status` };
}
