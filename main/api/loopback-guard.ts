import { timingSafeEqual } from 'node:crypto';

/**
 * The checks that keep other web pages and other machines out of the local API: the Host header must be a
 * loopback name with our port (a DNS-rebinding page arrives with its own host name), an Origin, when sent,
 * must be our own origin (a page on another origin gets 403, and no CORS header ever grants it). Which routes
 * need the per-install token is decided on the matched route (route-access.ts), not here on the raw URL.
 */
export type GuardDecision = { ok: true } | { ok: false; status: 403; code: 'FORBIDDEN'; message: string };

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

export function allowedHosts(port: number): Set<string> {
  return new Set(LOOPBACK_HOSTS.map((h) => `${h}:${port}`));
}

export function allowedOrigins(port: number): Set<string> {
  return new Set(LOOPBACK_HOSTS.map((h) => `http://${h}:${port}`));
}

export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function checkRequest(args: {
  port: number;
  host: string | undefined;
  origin: string | undefined;
}): GuardDecision {
  if (!args.host || !allowedHosts(args.port).has(args.host.toLowerCase())) {
    return { ok: false, status: 403, code: 'FORBIDDEN', message: 'Host not allowed: the till API answers only to 127.0.0.1 and localhost.' };
  }
  if (args.origin !== undefined && !allowedOrigins(args.port).has(args.origin.toLowerCase())) {
    return { ok: false, status: 403, code: 'FORBIDDEN', message: 'Origin not allowed: only the till\'s own screens may call this API.' };
  }
  return { ok: true };
}

/** The token from `Authorization: Bearer …`, or from `?token=` (the first page load and the WebSocket). */
export function presentedToken(authorization: string | undefined, query: unknown): string | undefined {
  const m = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  if (m) return m[1];
  const q = (query as { token?: unknown } | undefined)?.token;
  return typeof q === 'string' ? q : undefined;
}
