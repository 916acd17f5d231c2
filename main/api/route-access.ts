import type { FastifyReply, FastifyRequest } from 'fastify';
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
 * - `till`: the API token.
 */
export type Access = 'public' | 'till';

declare module 'fastify' {
  // Module augmentation can only merge into an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface FastifyContextConfig {
    access?: Access;
  }
}

export type AccessDecision = { ok: true } | { ok: false; status: 401; code: 'UNAUTHORIZED'; message: string };

const UNAUTHORIZED: AccessDecision = { ok: false, status: 401, code: 'UNAUTHORIZED', message: 'Missing or wrong API token: open the URL the agent printed at start-up.' };

/**
 * `upgrade`: a WebSocket upgrade. Only the event route takes one; an upgrade matched to a public route (the
 * static wildcard catches `//api/events`) would be upgraded and closed by the WebSocket plugin, so it needs
 * the token like any other non-file request.
 */
export function decideAccess(access: Access | undefined, upgrade: boolean, expectedToken: string, presented: string | undefined): AccessDecision {
  const level: Access = access === 'public' && upgrade ? 'till' : (access ?? 'till');
  switch (level) {
    case 'public':
      return { ok: true };
    case 'till':
      return tokenMatches(expectedToken, presented) ? { ok: true } : UNAUTHORIZED;
  }
}

/** The level of the route this request matched (undefined for the 404 route: the caller treats it as `till`). */
export function matchedAccess(req: FastifyRequest): Access | undefined {
  return req.routeOptions.config.access;
}

export function requestToken(req: FastifyRequest): string | undefined {
  return presentedToken(req.headers.authorization, req.query);
}

/** The decision for a request the router could not match or a public route failed: the token, always. */
export function decideTokenOnly(req: FastifyRequest, expectedToken: string): AccessDecision {
  return decideAccess('till', Boolean(req.headers.upgrade), expectedToken, requestToken(req));
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
