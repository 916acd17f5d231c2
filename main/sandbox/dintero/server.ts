/** The Dintero simulator: one fastify app with every route under `/v1/accounts/{aid}/`. */
import { z } from 'zod';
import type { SandboxContext } from '../context';
import { createServerKit, type KitOptions, type ServerKit } from '../http';
import { basicCredentials, sameSecret, signToken } from './auth';
import { registerAvailableRoute } from './available';
import { registerClaimRoutes } from './claims';
import { audience, checkAccount, checkIdentification, dinteroErrorBody, fail, ok, parseBody } from './common';
import { registerCustomerRoutes } from './customers';
import { registerReceiptRoutes } from './receipts';
import { registerRuleRoutes } from './rules';
import { registerWalletRoutes } from './wallets';

const TokenRequestSchema = z.looseObject({
  grant_type: z.literal('client_credentials'),
  audience: z.string().min(1),
});

function registerAuthRoute(kit: ServerKit, ctx: SandboxContext): void {
  kit.route('POST', '/v1/accounts/:aid/auth/token', 'dintero.auth.token', (req) => {
    const ident = checkIdentification(ctx, req);
    if (ident) return ident;
    const account = checkAccount(ctx, req);
    if (account) return account;
    const creds = basicCredentials(req.headers.authorization);
    const client = creds ? ctx.clients.find((c) => c.clientId === creds.id) : undefined;
    if (!creds || !client || !sameSecret(client.clientSecret, creds.secret)) {
      return fail(401, 'UNAUTHORIZED', 'Invalid client credentials');
    }
    const parsed = parseBody(TokenRequestSchema, req.body);
    if (!parsed.ok) return parsed.answer;
    if (!parsed.value.audience.endsWith(`/v1/accounts/${ctx.accountId}`)) {
      return fail(400, 'BAD_REQUEST', `audience must be the account URL ending in /v1/accounts/${ctx.accountId}`);
    }
    const iat = Math.floor(ctx.now().getTime() / 1000);
    const token = signToken(ctx.signingKey, {
      sub: client.clientId,
      aud: audience(ctx),
      scope: client.scopes.join(' '),
      iat,
      exp: iat + ctx.tokenTtlSeconds,
    });
    return ok({ access_token: token, token_type: 'Bearer', expires_in: ctx.tokenTtlSeconds });
  });
}

export function createDinteroServer(ctx: SandboxContext, kit: Omit<KitOptions, 'errorBody'>): ServerKit {
  const server = createServerKit({ ...kit, errorBody: dinteroErrorBody });
  registerAuthRoute(server, ctx);
  registerRuleRoutes(server, ctx);
  registerAvailableRoute(server, ctx);
  registerClaimRoutes(server, ctx);
  registerReceiptRoutes(server, ctx);
  registerCustomerRoutes(server, ctx);
  registerWalletRoutes(server, ctx);
  return server;
}
