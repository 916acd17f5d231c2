import { safeText } from '../../../core/safe-text';
import { HttpClient, NULL_LOGGER, scrubReason } from '../http';
import type { ConnectorLogger, FetchFn, HttpFailure } from '../http';

export type LoyaltyClientOptions = {
  /** `https://pos-api.fidelizacion.app/v1/`. */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly sourceType: 'POS' | 'Kiosk';
  /** The agent's version; sent as `x-source-name: till-agent/<version>`. */
  readonly version: string;
  readonly posId: string;
  readonly branchId: string;
  readonly logger?: ConnectorLogger;
  readonly fetch?: FetchFn;
  readonly now?: () => number;
  readonly timeoutMs?: number;
};

export type LoyaltyPath = 'member/register' | 'member/update' | 'member/details' | 'member/shortCode' | 'transaction' | 'payment' | 'event';

/** Error codes seen in the docs, grouped by what the till does about them (reference §4). */
export const MEMBER_NOT_FOUND_CODES: ReadonlySet<string> = new Set(['4001012', '203', 'MEMBER_NOT_FOUND']);
export const INVALID_INPUT_CODES: ReadonlySet<string> = new Set(['1001', 'BAD_REQUEST']);
export const BALANCE_TOO_LOW_CODE = '407';

export type LoyaltyResult =
  | { readonly ok: true; readonly data: Record<string, unknown> }
  | { readonly ok: false; readonly failure: HttpFailure };

export function isMemberNotFound(failure: HttpFailure): boolean {
  return failure.kind === 'permanent' && failure.code !== undefined && MEMBER_NOT_FOUND_CODES.has(failure.code);
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * Reads the `{status, data | error}` envelope. `success` carries `data`; the `/member/details` sample answers
 * `status: "ok"` with the member at the top level, so `ok` hands back the whole body. An error whose code is
 * `500` is the server's own failure and is retried; every other error code is the server refusing the request.
 */
export function readEnvelope(httpStatus: number, body: unknown): LoyaltyResult {
  const record = asRecord(body);
  const status = record.status;
  if (status === 'success') return { ok: true, data: asRecord(record.data) };
  if (status === 'ok') {
    const { status: _ignored, ...rest } = record;
    return { ok: true, data: 'data' in rest ? asRecord(rest.data) : rest };
  }
  const error = asRecord(record.error);
  const code = typeof error.code === 'string' || typeof error.code === 'number' ? safeText(String(error.code), 60) : undefined;
  const message = typeof error.message === 'string' ? scrubReason(error.message) : 'answer without a status';
  if (code === '500' || code === undefined) {
    return { ok: false, failure: { kind: 'transient', reason: `loyalty ${code ?? 'malformed'}: ${message}`, delivery: 'unknown', status: httpStatus } };
  }
  return { ok: false, failure: { kind: 'permanent', reason: `loyalty ${code}: ${message}`, status: httpStatus, code } };
}

/**
 * The Loyalty POS API: every call is a JSON POST carrying the five identification headers (`x-api-key`,
 * `x-source-type`, `x-source-name`, `x-branch-id`, `x-pos-id`). Answers are unwrapped from the envelope, and
 * an error envelope is classified like an HTTP failure (member not found, invalid input and a balance too low
 * are permanent).
 */
export class LoyaltyClient {
  private readonly http: HttpClient;

  constructor(options: LoyaltyClientOptions) {
    const headers = {
      'x-api-key': options.apiKey,
      'x-source-type': options.sourceType,
      'x-source-name': `till-agent/${options.version}`,
      'x-branch-id': options.branchId,
      'x-pos-id': options.posId,
    };
    this.http = new HttpClient({
      name: 'loyalty',
      baseUrl: options.baseUrl,
      logger: options.logger ?? NULL_LOGGER,
      headers: () => headers,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
  }

  async post(
    path: LoyaltyPath,
    body: unknown,
    opts: {
      readonly logIds?: Readonly<Record<string, string | number | undefined>>;
      readonly headers?: Readonly<Record<string, string>>;
      readonly timeoutMs?: number;
      readonly signal?: AbortSignal;
    } = {},
  ): Promise<LoyaltyResult> {
    const result = await this.http.request({
      method: 'POST',
      path,
      body,
      ...(opts.logIds ? { logIds: opts.logIds } : {}),
      ...(opts.headers ? { headers: opts.headers } : {}),
      ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
    if (result.ok) return readEnvelope(result.status, result.body);
    return result;
  }
}
