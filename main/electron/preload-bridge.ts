import { CHANNELS, type ChannelName } from '../api/channels';
import type { TillBridge, TillShellBridge } from '../api/contract';

type Invoke = (channel: string, input: unknown) => Promise<unknown>;
/** Listens on the event channel; returns what stops listening. The payload only, never Electron's event object. */
export type SubscribeEvents = (listener: (payload: unknown) => void) => () => void;

/**
 * Builds `window.till` from the contract's route table: one named method per route, each invoking only its
 * own channel. There is no generic send/invoke/on, so a compromised page cannot reach other channels.
 */
export function buildBridge(invoke: Invoke): TillBridge {
  const bridge: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of Object.keys(CHANNELS) as ChannelName[]) {
    const channel = CHANNELS[name];
    bridge[name] = (input: unknown) => invoke(channel, input);
  }
  return Object.freeze(bridge) as unknown as TillBridge;
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
