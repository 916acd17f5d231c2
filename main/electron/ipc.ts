import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { parseUnknown, ROUTES, type RouteName, type TillBridge } from '../api/contract';
import { navigationAllowed } from './security';

/** Only frames showing the app's own pages may call the agent; anything else (an injected frame) is refused. */
export function senderTrusted(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const url = event.senderFrame?.url;
  return typeof url === 'string' && navigationAllowed(url);
}

/**
 * One `ipcMain.handle` per contract route, on the route's channel: the sender is checked, the input parsed
 * with the contract, the output parsed again before it crosses back.
 */
export function registerIpcHandlers(ipc: Pick<IpcMain, 'handle'>, handlers: TillBridge): void {
  for (const name of Object.keys(ROUTES) as RouteName[]) {
    const r = ROUTES[name];
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    ipc.handle(r.channel, async (event: IpcMainInvokeEvent, input: unknown) => {
      if (!senderTrusted(event)) throw new Error(`Refused ${r.channel} from an untrusted frame`);
      return parseUnknown(r.output, await handler(parseUnknown(r.input, input)));
    });
  }
}
