import { assertNever } from '../../../core/errors';
import { HttpClient, NULL_LOGGER, scrubReason } from '../http';
import type { ConnectorLogger, FetchFn, HttpFailure } from '../http';
import { classifyLoyaltyAnswer, classifyLoyaltyError, DOCUMENTED_REFUSALS, type LoyaltyAnswer } from './loyalty-answer';

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
  /** Told after each call whether it reached the server (any HTTP answer) or not: the reachability badge. */
  readonly onReach?: (reached: boolean) => void;
};

export type LoyaltyPath = 'member/register' | 'member/update' | 'member/details' | 'member/shortCode' | 'transaction' | 'payment' | 'event';

/** Error codes seen in the docs, grouped by what the till does about them (reference §4; loyalty-answer.ts). */
export const MEMBER_NOT_FOUND_CODES: ReadonlySet<string> = new Set(
  Object.entries(DOCUMENTED_REFUSALS).filter(([, r]) => r === 'member_not_found').map(([code]) => code),
);

/**
 * `ok`: a success, with its fields from the top level and `data` together and the confirmation code wherever the
 * answer put it. Not `ok`: a failure as the outbox reads it; `answer` is the classified envelope when there was one.
 */
export type LoyaltyResult =
  | { readonly ok: true; readonly data: Record<string, unknown>; readonly confirmationCode: string | undefined }
  | { readonly ok: false; readonly failure: HttpFailure; readonly answer?: LoyaltyAnswer };

export function isMemberNotFound(failure: HttpFailure): boolean {
  return failure.kind === 'permanent' && failure.code !== undefined && MEMBER_NOT_FOUND_CODES.has(failure.code);
}

/**
 * The failure the outbox sees for a classified answer: a documented refusal is permanent; the documented server
 * failure and anything undocumented are transient with an unknown outcome, so a payment is reconciled, never
 * resent blindly.
 */
export function failureOf(answer: Exclude<LoyaltyAnswer, { kind: 'success' }>, httpStatus: number): HttpFailure {
  const reason = `loyalty ${answer.code ?? 'answer'}: ${scrubReason(answer.message)}`;
  switch (answer.kind) {
    case 'refused':
      return { kind: 'permanent', reason, status: httpStatus, code: answer.code };
    case 'server_error':
      return { kind: 'transient', reason, delivery: 'unknown', status: httpStatus };
    case 'undocumented':
      return { kind: 'transient', reason: `${reason} (undocumented: outcome unknown)`, delivery: 'unknown', status: httpStatus };
    default:
      return assertNever(answer);
  }
}

/** Reads the `{status, data | error}` envelope of an HTTP answer through `classifyLoyaltyAnswer`. */
export function readEnvelope(httpStatus: number, body: unknown): LoyaltyResult {
  const answer = classifyLoyaltyAnswer(httpStatus, body);
  if (answer.kind === 'success') return { ok: true, data: answer.data, confirmationCode: answer.confirmationCode };
  return { ok: false, failure: failureOf(answer, httpStatus), answer };
}

/**
 * An HTTP failure of the client: transport outcomes (no answer, 429, 408, 5xx) stay as classified; a 4xx is
 * read by its envelope code, because the HTTP statuses of this API are not documented and only a documented
 * code says "not applied".
 */
function fromHttpFailure(failure: HttpFailure): LoyaltyResult {
  if (failure.kind !== 'permanent') return { ok: false, failure };
  const answer = classifyLoyaltyError(failure.code, failure.reason);
  if (answer.kind === 'success') return { ok: false, failure };
  return { ok: false, failure: answer.kind === 'refused' ? failure : failureOf(answer, failure.status), answer };
}

/**
 * The Loyalty POS API: every call is a JSON POST carrying the five identification headers (`x-api-key`,
 * `x-source-type`, `x-source-name`, `x-branch-id`, `x-pos-id`). Answers are unwrapped from the envelope, and
 * an error envelope is classified by `classifyLoyaltyAnswer` (only documented refusals are permanent).
 */
export class LoyaltyClient {
  private readonly http: HttpClient;
  private readonly onReach: ((reached: boolean) => void) | undefined;

  constructor(options: LoyaltyClientOptions) {
    const headers = {
      'x-api-key': options.apiKey,
      'x-source-type': options.sourceType,
      'x-source-name': `till-agent/${options.version}`,
      'x-branch-id': options.branchId,
      'x-pos-id': options.posId,
    };
    this.onReach = options.onReach;
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
    this.onReach?.(result.ok || result.failure.status !== undefined);
    if (result.ok) return readEnvelope(result.status, result.body);
    return fromHttpFailure(result.failure);
  }
}
