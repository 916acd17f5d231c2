import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ChannelName, ROUTE_LEVELS, type RouteLevel } from './channels';
import { presentedToken, tokenMatches } from './loopback-guard';

/**
 * Who may call a route, decided once per request on the route the router MATCHED, never on the raw URL: the
 * raw URL can spell the same route many ways (`/%61pi/status`, `/api//status`, `/API/status/`), and a check on
 * its text misses spellings the router decodes (issue 19, finding 1). Every route the agent registers carries
 * its level in the route config; a route without one (the 404 route, anything a plugin adds) needs the token:
 * deny by default.
 *
 * - `public`: the static screen files (index.html, scripts, styles): nothing secret, and the first page load
 *   must work before the screen has its token.
 * - `kiosk`: the self-service kiosk screen's calls (ROUTE_LEVELS in channels.ts) and the event WebSocket: the
 *   kiosk token or the API token (issue 19, finding 8).
 * - `till`: the API token only. The kiosk token on such a route (or on an unknown path) is 403 FORBIDDEN: the
 *   caller is known, and may not do this; a missing or wrong token stays 401.
 */
export type Access = 'public' | RouteLevel;

declare module 'fastify' {
  // Module augmentation can only merge into an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface FastifyContextConfig {
    access?: Access;
  }
}

/** The two tokens of an install: the API token (the till's screens) and the kiosk token (the kiosk screen only). */
export type ApiTokens = { readonly till: string; readonly kiosk: string };

export type AccessDecision = { ok: true } | { ok: false; status: 401; code: 'UNAUTHORIZED'; message: string } | { ok: false; status: 403; code: 'FORBIDDEN'; message: string };

const UNAUTHORIZED: AccessDecision = { ok: false, status: 401, code: 'UNAUTHORIZED', message: 'Missing or wrong API token: open the URL the agent printed at start-up.' };
const KIOSK_REFUSED: AccessDecision = { ok: false, status: 403, code: 'FORBIDDEN', message: "The kiosk's token does not reach this route: staff use the till's own screen (the attendant view) for it." };

/**
 * `upgrade`: a WebSocket upgrade. Only the event route takes one; an upgrade matched to a public route (the
 * static wildcard catches `//api/events`) would be upgraded and closed by the WebSocket plugin, so it needs
 * the API token like any other non-file request.
 */
export function decideAccess(access: Access | undefined, upgrade: boolean, tokens: ApiTokens, presented: string | undefined): AccessDecision {
  const level: Access = access === 'public' && upgrade ? 'till' : (access ?? 'till');
  if (level === 'public') return { ok: true };
  if (tokenMatches(tokens.till, presented)) return { ok: true };
  if (!tokenMatches(tokens.kiosk, presented)) return UNAUTHORIZED;
  switch (level) {
    case 'kiosk':
      return { ok: true };
    case 'till':
      return KIOSK_REFUSED;
  }
}

/** The level of each contract route, for its route config. */
export function routeAccess(name: ChannelName): Access {
  return ROUTE_LEVELS[name];
}

/** The level of the route this request matched (undefined for the 404 route: the caller treats it as `till`). */
export function matchedAccess(req: FastifyRequest): Access | undefined {
  return req.routeOptions.config.access;
}

export function requestToken(req: FastifyRequest): string | undefined {
  return presentedToken(req.headers.authorization, req.query);
}

/** The decision for a request the router could not match or a public route failed: the API token, always. */
export function decideTokenOnly(req: FastifyRequest, tokens: ApiTokens): AccessDecision {
  return decideAccess('till', Boolean(req.headers.upgrade), tokens, requestToken(req));
}

/**
 * Sends a refusal, on the raw socket for a WebSocket upgrade: an upgrade socket is detached from the HTTP
 * server and would otherwise linger (and hold up shutdown). The upgrade refusal carries the same
 * `{error: {code, message}}` body as the HTTP one, so a client that can read it (the `ws` package's
 * `unexpected-response`) learns the code; a browser cannot, and learns it from its next HTTP call.
 */
export async function refuse(req: FastifyRequest, reply: FastifyReply, status: 401 | 403, code: string, message: string): Promise<void> {
  if (req.headers.upgrade) {
    reply.hijack();
    const reason = status === 401 ? 'Unauthorized' : 'Forbidden';
    const body = JSON.stringify({ error: { code, message } });
    const head = `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
    req.raw.socket.end(head + body);
    return;
  }
  await reply.code(status).send({ error: { code, message } });
}
