import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL } from '../api/channels';
import type { ShellBridge } from '../api/contract';
import { buildKioskShellBridge } from './preload-bridge';

/**
 * The kiosk window's preload (issue 19, finding 8): the same `window.till` as preload.preload.ts, with the
 * kiosk's routes only. A separate file, chosen by the main process when it makes the kiosk window
 * (window-options.ts), so the kiosk page never holds a method for a cashier's or manager's call.
 */
const till = buildKioskShellBridge(
  (channel, input) => ipcRenderer.invoke(channel, input) as Promise<unknown>,
  (listener) => {
    // Only the payload crosses: the IpcRendererEvent (whose `sender` is ipcRenderer) stays in the preload.
    const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
) satisfies ShellBridge;
contextBridge.exposeInMainWorld('till', till);
