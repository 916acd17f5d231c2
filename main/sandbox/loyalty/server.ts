/** The Loyalty POS API simulator: every call is a POST under `/v1/`, with the seed's envelope. */
import type { SandboxContext } from '../context';
import { createServerKit, type KitOptions, type ServerKit } from '../http';
import { loyaltyErrorBody } from './common';
import { registerMemberRoutes } from './members';
import { registerSaleRoutes } from './sales';

export function createLoyaltyServer(ctx: SandboxContext, kit: Omit<KitOptions, 'errorBody'>): ServerKit {
  const server = createServerKit({ ...kit, errorBody: loyaltyErrorBody });
  registerMemberRoutes(server, ctx);
  registerSaleRoutes(server, ctx);
  return server;
}
