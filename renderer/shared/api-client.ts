import { CLIENT_ERROR_CODES, type ErrorBody, type IpcResult } from '../../main/api/channels';
import { type AgentEvent, ApiErrorSchema, EventSchema, parseUnknown, ROUTES, type RouteName, type ShellBridge, type TillBridge, type TillShellRoutes } from '../../main/api/contract';

declare global {
  // Set by the Electron preload (the kiosk window's has the kiosk's routes only); absent in a browser talking to the headless agent.
  var till: ShellBridge | undefined;
}

/** An event from the agent, parsed with the contract; one this screen does not understand (a newer agent) is dropped. */
export function parseEvent(raw: unknown): AgentEvent | undefined {
  try {
    return parseUnknown(EventSchema, raw);
  } catch {
    return undefined;
  }
}

/** Under Electron: the preload's event channel, parsed like the WebSocket's. Returns the unsubscribe. */
export function subscribeShellEvents(shell: Pick<ShellBridge, 'onEvent'>, onEvent: (e: AgentEvent) => void): () => void {
  return shell.onEvent((raw) => {
    const event = parseEvent(raw);
    if (event) onEvent(event);
  });
}

const TOKEN_KEY = 'till-agent-token';

/**
 * The token arrives once in the URL the agent printed (`?token=`); it is kept for this tab only and removed
 * from the address bar, so it does not linger in history or a screenshot.
 */
export function takeToken(location: Location, storage: Storage, history: History): string | undefined {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    params.delete('token');
    const query = params.toString();
    history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY) ?? undefined;
}

/**
 * A failed call, with the agent's code whichever way it came (HTTP or IPC): screens branch on `code`
 * (UNAUTHORIZED back to the PIN, BACKEND_UNREACHABLE offers a retry, AGENT_UNREACHABLE shows the agent is
 * down). `status` is the HTTP status, undefined over IPC.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly issues: readonly string[] | undefined;
  /** Why, as the agent's reason code and parameters: the screen words these (i18n-errors.ts), not `message`. */
  readonly reason: string | undefined;
  readonly params: Readonly<Record<string, string | number>> | undefined;
  constructor(
    readonly status: number | undefined,
    readonly code: string,
    message: string,
    issues?: readonly string[],
    reasoned?: { readonly reason?: string | undefined; readonly params?: Readonly<Record<string, string | number>> | undefined },
  ) {
    super(message);
    this.issues = issues;
    this.reason = reasoned?.reason;
    this.params = reasoned?.params;
  }

  static of(status: number | undefined, body: ErrorBody): ApiError {
    return new ApiError(status, body.code, body.message, body.issues, body);
  }
}

function unreachable(detail: string, status?: number): ApiError {
  return new ApiError(status, CLIENT_ERROR_CODES.agentUnreachable, `The till agent cannot be reached (${detail}). It may be restarting; try again in a moment.`);
}

/**
 * The error an HTTP answer carries. An answer without the agent's `{error: {code, message}}` body did not come
 * from the agent (a proxy, another program on the port, a dev server's 404 page): AGENT_UNREACHABLE, never a
 * NOT_FOUND the agent did not say.
 */
export function httpError(status: number, body: unknown): ApiError {
  const parsed = ApiErrorSchema.safeParse(body);
  return parsed.success ? ApiError.of(status, parsed.data.error) : unreachable(`something else answered with HTTP ${status}`, status);
}

/** The same calls as `window.till`, over the loopback HTTP API; every answer is parsed with the contract. */
export function httpBridge(token: string, fetchImpl: typeof fetch = fetch): TillBridge {
  const bridge: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of Object.keys(ROUTES) as RouteName[]) {
    const r = ROUTES[name];
    bridge[name] = async (input: unknown) => {
      let res: Response;
      try {
        res = await fetchImpl(r.path, {
          method: r.method,
          headers: { authorization: `Bearer ${token}`, ...(r.method === 'POST' ? { 'content-type': 'application/json' } : {}) },
          ...(r.method === 'POST' ? { body: JSON.stringify(input ?? {}) } : {}),
        });
      } catch (err) {
        // fetch rejects only when no answer came at all: connection refused, reset, DNS.
        throw unreachable(err instanceof Error ? err.message : String(err));
      }
      const body: unknown = await res.json().catch(() => undefined);
      if (!res.ok) throw httpError(res.status, body);
      return parseUnknown(r.output, body);
    };
  }
  return bridge as unknown as TillBridge;
}

/**
 * Under Electron: `window.till`'s routes as a TillBridge. Each IpcResult is unwrapped: a failure throws an
 * ApiError with the agent's code, a value is parsed with the contract like an HTTP answer. A route this
 * window's preload does not have (the kiosk window has the kiosk's only) fails FORBIDDEN, as the main process
 * would answer it.
 */
export function shellClient(shell: Partial<TillShellRoutes>): TillBridge {
  const bridge: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of Object.keys(ROUTES) as RouteName[]) {
    const r = ROUTES[name];
    const call = shell[name] as ((input: unknown) => Promise<IpcResult<unknown>>) | undefined;
    bridge[name] = async (input: unknown) => {
      if (!call) throw new ApiError(undefined, 'FORBIDDEN', `This window may not call ${r.channel}.`);
      const result = await call(input);
      if (!result.ok) throw ApiError.of(undefined, result.error);
      return parseUnknown(r.output, result.value);
    };
  }
  return bridge as unknown as TillBridge;
}

/** Subscribes to the agent's event stream, reconnecting with a short backoff when the agent restarts. */
export function subscribeEvents(token: string, onEvent: (e: AgentEvent) => void, onConnection: (up: boolean) => void): () => void {
  let socket: WebSocket | undefined;
  let stopped = false;
  let delay = 250;
  const connect = (): void => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${location.host}/api/events?token=${encodeURIComponent(token)}`);
    socket.onopen = () => {
      delay = 250;
      onConnection(true);
    };
    socket.onmessage = (m) => {
      let raw: unknown;
      try {
        raw = JSON.parse(String(m.data));
      } catch {
        return;
      }
      const event = parseEvent(raw);
      if (event) onEvent(event);
    };
    socket.onclose = () => {
      onConnection(false);
      if (!stopped) setTimeout(connect, (delay = Math.min(delay * 2, 5000)));
    };
  };
  connect();
  return () => {
    stopped = true;
    socket?.close();
  };
}
