import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL } from '../api/channels';
import type { TillShellBridge } from '../api/contract';
import { buildShellBridge } from './preload-bridge';

const till = buildShellBridge(
  (channel, input) => ipcRenderer.invoke(channel, input) as Promise<unknown>,
  (listener) => {
    // Only the payload crosses: the IpcRendererEvent (whose `sender` is ipcRenderer) stays in the preload.
    const handler = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, handler);
  },
) satisfies TillShellBridge;
contextBridge.exposeInMainWorld('till', till);
