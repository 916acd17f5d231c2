import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { IpcResult } from '../api/channels';
import { parseUnknown, ROUTES, type RouteName, type TillBridge } from '../api/contract';
import { expectedError, INTERNAL_ERROR } from '../api/error-status';
import type { Logger } from '../log';
import { navigationAllowed } from './security';

/** Only frames showing the app's own pages may call the agent; anything else (an injected frame) is refused. */
export function senderTrusted(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const url = event.senderFrame?.url;
  return typeof url === 'string' && navigationAllowed(url);
}

/**
 * One `ipcMain.handle` per contract route, on the route's channel: the sender is checked, the input parsed
 * with the contract, the output parsed again before it crosses back. A handler never throws to the page:
 * Electron would pass the message alone, and the screen needs the code (back to the PIN screen on
 * UNAUTHORIZED, a retry on BACKEND_UNREACHABLE). Every failure is `{ok: false, error: {code, message}}`, the
 * same code and message the HTTP API answers (main/api/error-status.ts).
 */
export function registerIpcHandlers(ipc: Pick<IpcMain, 'handle'>, handlers: TillBridge, logger?: () => Logger): void {
  for (const name of Object.keys(ROUTES) as RouteName[]) {
    const r = ROUTES[name];
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    ipc.handle(r.channel, async (event: IpcMainInvokeEvent, input: unknown): Promise<IpcResult<unknown>> => {
      if (!senderTrusted(event)) return { ok: false, error: { code: 'FORBIDDEN', message: `Refused ${r.channel} from an untrusted frame.` } };
      try {
        return { ok: true, value: parseUnknown(r.output, await handler(parseUnknown(r.input, input))) };
      } catch (err) {
        const expected = expectedError(err);
        if (expected) return { ok: false, error: expected.body };
        logger?.().error({ err, channel: r.channel }, 'unexpected error in an IPC handler');
        return { ok: false, error: INTERNAL_ERROR };
      }
    });
  }
}
