import { contextBridge, ipcRenderer } from 'electron';
import type { TillBridge } from '../api/contract';
import { buildBridge } from './preload-bridge';

const till = buildBridge((channel, input) => ipcRenderer.invoke(channel, input) as Promise<unknown>) satisfies TillBridge;
contextBridge.exposeInMainWorld('till', till);
