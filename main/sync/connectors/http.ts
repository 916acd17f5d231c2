/**
 * The one HTTP path both back ends go through. It never throws at callers: every answer is either `ok` or a
 * classified failure, because the outbox decides retry vs. needs-attention from that classification alone.
 *
 * What reaches the log: method, path (never the query string, which can carry an e-mail or phone number),
 * status, duration and the ids a caller hands in. Never headers, never bodies.
 */

import { safeText } from '../../core/safe-text';
import { Redactor } from '../../log/redact';

export type LogFn = (obj: Record<string, unknown>, msg: string) => void;

/** The pino methods the connectors use; a pino logger fits, and tests can hand in a recorder. */
export interface ConnectorLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}

export const NULL_LOGGER: ConnectorLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * `not_sent`: the request cannot have reached the server's logic (refused, DNS, 429), so resending is safe even
 * without an idempotency key. `unknown`: it may have been applied (timeout, reset, 5xx); only an idempotent call
 * may simply be resent.
 */
export type Delivery = 'not_sent' | 'unknown';

export type HttpFailure =
  | {
      readonly kind: 'transient';
      readonly reason: string;
      readonly delivery: Delivery;
      readonly status?: number;
      readonly retryAt?: Date;
    }
  | {
      readonly kind: 'permanent';
      readonly reason: string;
      readonly status: number;
      /** The server's own error code, when its body carries one. */
      readonly code?: string;
    };

export type HttpOk = {
  readonly ok: true;
  readonly status: number;
  readonly body: unknown;
  readonly etag: string | undefined;
};

export type HttpResult = HttpOk | { readonly ok: false; readonly failure: HttpFailure };

export type HttpRequest = {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Appended to the base URL; no leading slash needed. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly timeoutMs?: number;
  /** Ids and confirmation codes that may be logged with the request line (never personal data). */
  readonly logIds?: Readonly<Record<string, string | number | undefined>>;
  /** The outbox's stop signal: aborting it ends the request like a timeout (outcome unknown). */
  readonly signal?: AbortSignal;
};

export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

export type HttpClientOptions = {
  readonly baseUrl: string;
  readonly logger?: ConnectorLogger;
  readonly fetch?: FetchFn;
  readonly timeoutMs?: number;
  /** Wall clock for Retry-After dates; tests pin it. */
  readonly now?: () => number;
  /** Headers on every request (ids and credentials); never logged. */
  readonly headers?: () => Readonly<Record<string, string>>;
  /** The name logged with each line (`dintero`, `loyalty`). */
  readonly name: string;
  /** Largest answer body read, in bytes (default MAX_BODY_BYTES); a longer one is cut off and fails. */
  readonly maxBodyBytes?: number;
};

/**
 * The largest answer we read. The biggest real answers (a rule set, a page of members) are well under a MiB;
 * a hostile or broken back end sending hundreds of MB would otherwise be held whole in memory (issue 19,
 * finding 7: 400 MB took the agent to 1.36 GB).
 */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Thrown by readBody when the answer is longer than allowed; classified as a transient failure. */
class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`answer larger than ${limit} bytes`);
  }
}

const SCRUB = new Redactor();

/**
 * Masks e-mails, phone numbers and credentials a server quoted back in its error message, then escapes its
 * control characters and caps it (main/core/safe-text.ts): every back-end reason passes here before it is
 * logged, stored in the outbox or printed.
 */
export function scrubReason(text: string): string {
  return safeText(SCRUB.scrubString(text));
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL']);

/** Parses `Retry-After` (delta-seconds or an HTTP date) into an absolute time; undefined when absent or bad. */
export function parseRetryAfter(value: string | null | undefined, now: number): Date | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+$/.test(trimmed)) return new Date(now + Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return new Date(Math.max(at, now));
}

/** Walks an error's `cause` chain for a Node system error code (undici nests it). */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Classifies a thrown fetch error; `timedOut` is set when our own timer aborted the request. */
export function classifyNetworkError(error: unknown, timedOut: boolean): HttpFailure {
  if (timedOut) return { kind: 'transient', reason: 'timeout', delivery: 'unknown' };
  const raw = errorCode(error);
  const code = raw === undefined ? undefined : safeText(raw, 60);
  if (code !== undefined && NOT_SENT_CODES.has(code)) return { kind: 'transient', reason: `network: ${code}`, delivery: 'not_sent' };
  return { kind: 'transient', reason: `network: ${code ?? 'connection failed'}`, delivery: 'unknown' };
}

/** The server's reason from a Dintero `{error:{code,message}}` or Loyalty `{status:'error',error:{...}}` body. */
export function serverReason(body: unknown): { message?: string; code?: string } {
  if (body === null || typeof body !== 'object') return {};
  const error = (body as { error?: unknown }).error;
  if (error === null || typeof error !== 'object') {
    const message = (body as { message?: unknown }).message;
    return typeof message === 'string' ? { message } : {};
  }
  const e = error as { code?: unknown; message?: unknown };
  const out: { message?: string; code?: string } = {};
  if (typeof e.message === 'string') out.message = e.message;
  if (typeof e.code === 'string' || typeof e.code === 'number') out.code = String(e.code);
  return out;
}

export function classifyStatus(status: number, body: unknown, retryAfter: string | null, now: number): HttpFailure {
  const { message, code } = serverReason(body);
  // A server's message can quote the e-mail or phone number it rejected; the reason is logged and shown.
  const reason = scrubReason(`HTTP ${status}${code === undefined ? '' : ` ${code}`}${message === undefined ? '' : `: ${message}`}`);
  if (status === 429) {
    const retryAt = parseRetryAfter(retryAfter, now);
    return { kind: 'transient', reason, status, delivery: 'not_sent', ...(retryAt ? { retryAt } : {}) };
  }
  if (status >= 500 || status === 408) {
    const retryAt = parseRetryAfter(retryAfter, now);
    return { kind: 'transient', reason, status, delivery: 'unknown', ...(retryAt ? { retryAt } : {}) };
  }
  return { kind: 'permanent', reason, status, ...(code === undefined ? {} : { code: safeText(code, 60) }) };
}

function buildUrl(base: string, path: string, query: HttpRequest['query']): string {
  const url = new URL(path.replace(/^\/+/, ''), base.endsWith('/') ? base : `${base}/`);
  if (query) {
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
  }
  return url.toString();
}

/**
 * Reads the answer as it streams and stops at `limit` bytes (cancelling the rest), so a huge answer never sits
 * in memory; a declared Content-Length over the limit fails before reading anything.
 */
async function readBody(response: Response, limit: number): Promise<unknown> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw new BodyTooLarge(limit);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (response.body) {
    const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        throw new BodyTooLarge(limit);
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * A 3xx answer is never followed (issue 19, finding 3: Node's fetch followed redirects to other hosts with the
 * custom `x-api-key` header, and a 307 re-sent the body with the member's phone number). It fails permanently
 * with the target's origin in the reason, since only a corrected base URL can fix it.
 */
function redirectFailure(status: number, location: string | null, base: string): HttpFailure {
  let target = 'no location';
  if (location !== null) {
    try {
      target = new URL(location, base).origin;
    } catch {
      target = 'an unreadable location';
    }
  }
  return { kind: 'permanent', status, code: 'REDIRECT', reason: `HTTP ${status}: the back end redirected to ${target}; redirects are not followed, check the base URL` };
}

export class HttpClient {
  private readonly logger: ConnectorLogger;
  private readonly fetchImpl: FetchFn;
  private readonly now: () => number;

  constructor(private readonly options: HttpClientOptions) {
    this.logger = options.logger ?? NULL_LOGGER;
    this.fetchImpl = options.fetch ?? ((url, init) => fetch(url, init));
    this.now = options.now ?? Date.now;
  }

  async request(req: HttpRequest): Promise<HttpResult> {
    const url = buildUrl(this.options.baseUrl, req.path, req.query);
    const headers: Record<string, string> = { accept: 'application/json', ...(this.options.headers?.() ?? {}), ...(req.headers ?? {}) };
    let payload: string | undefined;
    if (req.body !== undefined) {
      payload = JSON.stringify(req.body);
      headers['content-type'] = 'application/json';
    }
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, req.timeoutMs ?? this.options.timeoutMs ?? 15_000);
    const signal = req.signal ? AbortSignal.any([controller.signal, req.signal]) : controller.signal;
    const started = performance.now();
    const line = { backend: this.options.name, method: req.method, path: new URL(url).pathname, ...(req.logIds ?? {}) };
    try {
      // `manual`: a redirect comes back as the 3xx itself, nothing is sent to the new location.
      const response = await this.fetchImpl(url, { method: req.method, headers, signal, redirect: 'manual', ...(payload === undefined ? {} : { body: payload }) });
      if (response.status >= 300 && response.status < 400 && response.status !== 304) {
        await response.body?.cancel().catch(() => undefined);
        const failure = redirectFailure(response.status, response.headers.get('location'), url);
        this.logger.warn({ ...line, status: response.status, durationMs: Math.round(performance.now() - started), failure: failure.kind, reason: failure.reason }, 'http failed');
        return { ok: false, failure };
      }
      // A reset while the body streams is as uncertain as a reset before the answer: it may have been applied.
      const body = await readBody(response, this.options.maxBodyBytes ?? MAX_BODY_BYTES);
      const durationMs = Math.round(performance.now() - started);
      if (response.status >= 200 && response.status < 300) {
        this.logger.debug({ ...line, status: response.status, durationMs }, 'http ok');
        return { ok: true, status: response.status, body, etag: response.headers.get('etag') ?? undefined };
      }
      if (response.status === 304) {
        this.logger.debug({ ...line, status: 304, durationMs }, 'http not modified');
        return { ok: true, status: 304, body: undefined, etag: response.headers.get('etag') ?? undefined };
      }
      const failure = classifyStatus(response.status, body, response.headers.get('retry-after'), this.now());
      this.logger.warn({ ...line, status: response.status, durationMs, failure: failure.kind, reason: failure.reason }, 'http failed');
      return { ok: false, failure };
    } catch (error: unknown) {
      // An answer too long to read: whatever the request did is as uncertain as after a reset.
      const failure: HttpFailure =
        error instanceof BodyTooLarge ? { kind: 'transient', reason: `the answer was larger than ${Math.round(error.limit / 1024)} KiB and was not read`, delivery: 'unknown' } : classifyNetworkError(error, timedOut || req.signal?.aborted === true);
      this.logger.warn({ ...line, durationMs: Math.round(performance.now() - started), failure: failure.kind, reason: failure.reason }, 'http failed');
      return { ok: false, failure };
    } finally {
      clearTimeout(timer);
    }
  }
}
