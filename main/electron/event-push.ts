import { EVENT_CHANNEL } from '../api/channels';
import type { AgentEvent } from '../api/contract';

/** The part of a BrowserWindow's webContents the push needs. */
export type EventTarget = { isDestroyed(): boolean; send(channel: string, payload: AgentEvent): void };

/**
 * Pushes every agent event to a window on the one event channel, as the WebSocket does for a browser, so the
 * Electron screen needs no polling. Stops by itself once the window is gone; the returned function stops it
 * earlier.
 */
export function pushAgentEvents(subscribe: (listener: (event: AgentEvent) => void) => () => void, target: EventTarget): () => void {
  let stopped = false;
  const end = (): void => {
    if (stopped) return;
    stopped = true;
    stop();
  };
  const stop = subscribe((event) => {
    if (stopped) return;
    if (target.isDestroyed()) {
      end();
      return;
    }
    target.send(EVENT_CHANNEL, event);
  });
  return end;
}
