import { z } from 'zod';
import { HttpClient, NULL_LOGGER } from '../http';
import type { ConnectorLogger, FetchFn, HttpFailure, HttpRequest, HttpResult } from '../http';

export type DinteroClientOptions = {
  /** `https://api.dintero.com` (with or without `/v1`). */
  readonly baseUrl: string;
  readonly accountId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly posId: string;
  readonly branchId: string;
  readonly logger?: ConnectorLogger;
  readonly fetch?: FetchFn;
  readonly now?: () => number;
  readonly timeoutMs?: number;
  /** Defaults to `https://api.dintero.com/v1/accounts/{aid}` (reference §7). */
  readonly audience?: string;
};

const TokenSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().positive(),
});

type CachedToken = { readonly value: string; readonly refreshAt: number };
type TokenResult = { ok: true; value: string } | { ok: false; failure: HttpFailure };

/** Refresh this long before the server's expiry, so a token never dies between our check and its use. */
export function refreshMarginMs(expiresInSeconds: number): number {
  return Math.min(60_000, Math.floor(expiresInSeconds * 1000 * 0.1));
}

function accountBase(baseUrl: string, accountId: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  const v1 = /\/v1$/.test(trimmed) ? trimmed : `${trimmed}/v1`;
  return `${v1}/accounts/${encodeURIComponent(accountId)}/`;
}

/**
 * Dintero with a client-credentials token. The token is cached until shortly before `expires_in` runs out; a
 * 401 on a call (revoked or expired early) drops it, fetches one new token and retries that call once. Every
 * request, the token request included, carries `x-pos-id` and `x-branch-id`.
 */
export class DinteroClient {
  private readonly http: HttpClient;
  private readonly now: () => number;
  private readonly logger: ConnectorLogger;
  private token: CachedToken | undefined;
  private pendingToken: Promise<TokenResult> | undefined;
  /** How many tokens this client fetched (diagnostics and tests). */
  tokensFetched = 0;

  constructor(private readonly options: DinteroClientOptions) {
    this.now = options.now ?? Date.now;
    this.logger = options.logger ?? NULL_LOGGER;
    this.http = new HttpClient({
      name: 'dintero',
      baseUrl: accountBase(options.baseUrl, options.accountId),
      logger: this.logger,
      now: this.now,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      headers: () => ({ 'x-pos-id': options.posId, 'x-branch-id': options.branchId }),
    });
  }

  get accountId(): string {
    return this.options.accountId;
  }

  /**
   * A request under `/v1/accounts/{aid}/` with the bearer token. The caller's deadline (`timeoutMs`, `signal`)
   * covers the whole call, the token request included (issue 19, finding 9: a customer lookup waited 15 s on
   * a slow token call, not its 3 s): the wait for the token stops at the deadline, and the request gets what
   * is left of it. A token fetch cut short this way runs on under its own timeout and is cached for later.
   */
  async call(req: HttpRequest): Promise<HttpResult> {
    const deadline = req.timeoutMs === undefined ? undefined : performance.now() + req.timeoutMs;
    const first = await this.untilDeadline(this.bearer(false), req, deadline);
    if (!first.ok) return first;
    const result = await this.http.request(this.withToken(req, first.value, deadline));
    if (result.ok || result.failure.kind !== 'permanent' || result.failure.status !== 401) return result;
    this.logger.info({ backend: 'dintero', path: req.path }, 'token refused; fetching a new one');
    const second = await this.untilDeadline(this.bearer(true, first.value), req, deadline);
    if (!second.ok) return second;
    return this.http.request(this.withToken(req, second.value, deadline));
  }

  private withToken(req: HttpRequest, token: string, deadline: number | undefined): HttpRequest {
    return {
      ...req,
      headers: { ...(req.headers ?? {}), authorization: `Bearer ${token}` },
      ...(deadline === undefined ? {} : { timeoutMs: Math.max(1, Math.round(deadline - performance.now())) }),
    };
  }

  /** The token, or a timeout failure (the call itself not sent) when the caller's deadline or signal ends first. */
  private untilDeadline(token: Promise<TokenResult>, req: HttpRequest, deadline: number | undefined): Promise<TokenResult> {
    if (deadline === undefined && !req.signal) return token;
    const timeout: TokenResult = { ok: false, failure: { kind: 'transient', reason: 'timeout waiting for a Dintero token', delivery: 'not_sent' } };
    if (req.signal?.aborted) return Promise.resolve(timeout);
    return new Promise<TokenResult>((resolve) => {
      const done = (r: TokenResult): void => {
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', onAbort);
        resolve(r);
      };
      const onAbort = (): void => done(timeout);
      const timer = deadline === undefined ? undefined : setTimeout(onAbort, Math.max(0, deadline - performance.now()));
      req.signal?.addEventListener('abort', onAbort, { once: true });
      token.then(done, () => done(timeout));
    });
  }

  private async bearer(force: boolean, rejected?: string): Promise<TokenResult> {
    const cached = this.token;
    // Another call may already have replaced the token the server just refused: use that one.
    if (cached && cached.refreshAt > this.now() && (!force || cached.value !== rejected)) return { ok: true, value: cached.value };
    this.pendingToken ??= this.fetchToken().finally(() => {
      this.pendingToken = undefined;
    });
    return this.pendingToken;
  }

  private async fetchToken(): Promise<TokenResult> {
    const { accountId, clientId, clientSecret } = this.options;
    const basic = Buffer.from(`${clientId}:${clientSecret}`, 'utf8').toString('base64');
    // The audience names the account on Dintero's public host even when the base URL is a proxy or simulator.
    const audience = this.options.audience ?? `https://api.dintero.com/v1/accounts/${accountId}`;
    const result = await this.http.request({
      method: 'POST',
      path: 'auth/token',
      headers: { authorization: `Basic ${basic}` },
      body: { grant_type: 'client_credentials', audience },
    });
    if (!result.ok) return result;
    const parsed = TokenSchema.safeParse(result.body);
    if (!parsed.success) {
      return { ok: false, failure: { kind: 'transient', reason: 'token answer without access_token/expires_in', delivery: 'not_sent' } };
    }
    this.tokensFetched++;
    this.token = { value: parsed.data.access_token, refreshAt: this.now() + parsed.data.expires_in * 1000 - refreshMarginMs(parsed.data.expires_in) };
    this.logger.info({ backend: 'dintero', expiresIn: parsed.data.expires_in }, 'token fetched');
    return { ok: true, value: parsed.data.access_token };
  }
}
