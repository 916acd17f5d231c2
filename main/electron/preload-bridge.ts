import { CHANNELS, CLIENT_ERROR_CODES, type ChannelName, type IpcResult, KIOSK_ROUTES } from '../api/channels';
import type { ShellBridge, TillShellBridge, TillShellRoutes } from '../api/contract';

type Invoke = (channel: string, input: unknown) => Promise<unknown>;
/** Listens on the event channel; returns what stops listening. The payload only, never Electron's event object. */
export type SubscribeEvents = (listener: (payload: unknown) => void) => () => void;

/**
 * The answer of one IPC call as the page receives it. The main process answers every call with an IpcResult;
 * an invoke that rejects means no handler answered (the agent did not start, or the main process is going
 * away), which the page must tell apart from a refusal: AGENT_UNREACHABLE. Electron gives such a rejection's
 * message only ("Error invoking remote method ..."), and it is kept for the log.
 */
async function settle(invoke: Invoke, channel: string, input: unknown): Promise<IpcResult<unknown>> {
  try {
    return (await invoke(channel, input)) as IpcResult<unknown>;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, error: { code: CLIENT_ERROR_CODES.agentUnreachable, message: `The till agent did not answer ${channel}: ${detail}` } };
  }
}

/**
 * Builds `window.till`'s routes from the channel table: one named method per route, each invoking only its
 * own channel and answering an IpcResult (plain data crosses the contextBridge whole; an error's `code` would
 * not). There is no generic send/invoke/on, so a compromised page cannot reach other channels.
 */
export function buildBridge(invoke: Invoke): TillShellRoutes {
  const bridge: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of Object.keys(CHANNELS) as ChannelName[]) {
    const channel = CHANNELS[name];
    bridge[name] = (input: unknown) => settle(invoke, channel, input);
  }
  return Object.freeze(bridge) as unknown as TillShellRoutes;
}

/**
 * The kiosk window's routes (issue 19, finding 8): only the channels ROUTE_LEVELS marks `kiosk`, so the page
 * has no method for approving a sale, taking cash, shifts or the back office (and the main process refuses
 * those channels from the kiosk window even if invoked by name).
 */
export function buildKioskBridge(invoke: Invoke): Partial<TillShellRoutes> {
  const bridge: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of KIOSK_ROUTES) {
    const channel = CHANNELS[name];
    bridge[name] = (input: unknown) => settle(invoke, channel, input);
  }
  return Object.freeze(bridge);
}

/**
 * `onEvent(listener)`: the page's only way to hear from the main process, on the one event channel. The
 * listener gets the payload alone (Electron's IpcRendererEvent carries `sender`, the ipcRenderer itself, so it
 * must never reach the page); the returned function unsubscribes, once, and a stopped listener is never
 * called again even if an event was already queued.
 */
export function buildOnEvent(subscribe: SubscribeEvents): TillShellBridge['onEvent'] {
  return (listener) => {
    if (typeof listener !== 'function') throw new TypeError('window.till.onEvent needs a function');
    let active = true;
    const stop = subscribe((payload) => {
      if (active) listener(payload);
    });
    return () => {
      if (!active) return;
      active = false;
      stop();
    };
  };
}

/** `window.till` as the preload exposes it: the routes and `onEvent`, frozen. */
export function buildShellBridge(invoke: Invoke, subscribe: SubscribeEvents): TillShellBridge {
  return Object.freeze({ ...buildBridge(invoke), onEvent: buildOnEvent(subscribe) });
}

/** `window.till` in the kiosk window: the kiosk's routes and `onEvent`, frozen. */
export function buildKioskShellBridge(invoke: Invoke, subscribe: SubscribeEvents): ShellBridge {
  return Object.freeze({ ...buildKioskBridge(invoke), onEvent: buildOnEvent(subscribe) });
}
