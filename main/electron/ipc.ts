import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { type IpcResult, ROUTE_LEVELS } from '../api/channels';
import { parseUnknown, ROUTES, type RouteName, type TillBridge } from '../api/contract';
import { expectedError, INTERNAL_ERROR } from '../api/error-status';
import type { Logger } from '../log';
import { navigationAllowed } from './security';
import type { WindowRole } from './window-roles';

/** Only frames showing the app's own pages may call the agent; anything else (an injected frame) is refused. */
export function senderTrusted(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const url = event.senderFrame?.url;
  return typeof url === 'string' && navigationAllowed(url);
}

/** Whether a window of this role may call the route: a `till` window every route, the kiosk window the kiosk's only. */
export function roleMayCall(role: WindowRole | undefined, name: RouteName): boolean {
  if (role === undefined) return false;
  return role === 'till' || ROUTE_LEVELS[name] === 'kiosk';
}

/**
 * One `ipcMain.handle` per contract route, on the route's channel: the sender is checked, the input parsed
 * with the contract, the output parsed again before it crosses back. `roleOf` names the sender's window role
 * (window-roles.ts): the kiosk window's preload does not even have the other channels, and a call on one of
 * them from it (a compromised page invoking the channel by name) is refused here as well (issue 19, finding 8). A handler never throws to the page:
 * Electron would pass the message alone, and the screen needs the code (back to the PIN screen on
 * UNAUTHORIZED, a retry on BACKEND_UNREACHABLE). Every failure is `{ok: false, error: {code, message}}`, the
 * same code and message the HTTP API answers (main/api/error-status.ts).
 */
export function registerIpcHandlers(ipc: Pick<IpcMain, 'handle'>, handlers: TillBridge, roleOf: (event: IpcMainInvokeEvent) => WindowRole | undefined, logger?: () => Logger): void {
  for (const name of Object.keys(ROUTES) as RouteName[]) {
    const r = ROUTES[name];
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    ipc.handle(r.channel, async (event: IpcMainInvokeEvent, input: unknown): Promise<IpcResult<unknown>> => {
      if (!senderTrusted(event)) return { ok: false, error: { code: 'FORBIDDEN', message: `Refused ${r.channel} from an untrusted frame.` } };
      const role = roleOf(event);
      if (!roleMayCall(role, name)) {
        logger?.().warn({ channel: r.channel, role: role ?? 'none' }, 'refused an IPC call this window may not make');
        return { ok: false, error: { code: 'FORBIDDEN', message: `Refused ${r.channel}: ${role === 'kiosk' ? 'the kiosk window may not make this call; staff use the till screen' : 'the call came from a window the shell did not open'}.` } };
      }
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
