import type { RouteLevel } from '../api/channels';
import type { Surface } from './app-protocol';

/**
 * Which routes a window may call over IPC (issue 19, finding 8): a cashier or manager window is `till` (every
 * route), the self-service kiosk window `kiosk` (the routes ROUTE_LEVELS marks `kiosk`). The main process keeps
 * each window's role by its webContents id, set when it creates the window, so a page cannot claim another
 * role by navigating or changing its hash; a sender it did not create a window for has no role and is refused
 * everything.
 */
export type WindowRole = RouteLevel;

export function roleOfSurface(surface: Surface): WindowRole {
  return surface === 'kiosk' ? 'kiosk' : 'till';
}

/** The part of a webContents the registry uses (a plain object in the unit tests). */
export type RoledContents = { readonly id: number; once(event: 'destroyed', listener: () => void): unknown };

export class WindowRoles {
  private readonly roles = new Map<number, WindowRole>();

  assign(contents: RoledContents, role: WindowRole): void {
    this.roles.set(contents.id, role);
    contents.once('destroyed', () => this.roles.delete(contents.id));
  }

  /** The role of the window an IPC call came from; undefined for one the shell did not create. */
  roleOf(event: { readonly sender?: { readonly id: number } | null }): WindowRole | undefined {
    const id = event.sender?.id;
    return id === undefined ? undefined : this.roles.get(id);
  }
}
