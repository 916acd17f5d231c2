import { type AgentEvent, EventSchema, parseUnknown, ROUTES, type RouteName, type TillBridge, type TillShellBridge } from '../../main/api/contract';

declare global {
  // Set by the Electron preload; absent in a browser talking to the headless agent.
  var till: TillShellBridge | undefined;
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
export function subscribeShellEvents(shell: Pick<TillShellBridge, 'onEvent'>, onEvent: (e: AgentEvent) => void): () => void {
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

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The same calls as `window.till`, over the loopback HTTP API; every answer is parsed with the contract. */
export function httpBridge(token: string, fetchImpl: typeof fetch = fetch): TillBridge {
  const bridge: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of Object.keys(ROUTES) as RouteName[]) {
    const r = ROUTES[name];
    bridge[name] = async (input: unknown) => {
      const res = await fetchImpl(r.path, {
        method: r.method,
        headers: { authorization: `Bearer ${token}`, ...(r.method === 'POST' ? { 'content-type': 'application/json' } : {}) },
        ...(r.method === 'POST' ? { body: JSON.stringify(input ?? {}) } : {}),
      });
      const body: unknown = await res.json().catch(() => undefined);
      if (!res.ok) {
        const err = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
        throw new ApiError(res.status, err?.code ?? 'INTERNAL', err?.message ?? `The agent answered ${res.status}`);
      }
      return parseUnknown(r.output, body);
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
