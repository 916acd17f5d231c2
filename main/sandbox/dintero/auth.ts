/**
 * Client credentials and bearer tokens. Tokens are HS256 JWTs signed with the sandbox's own key, so they look
 * and expire like Dintero's (the till must refresh on `expires_in`), without any real secret involved.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type Client = { readonly clientId: string; readonly clientSecret: string; readonly scopes: readonly string[] };

export type TokenClaims = { readonly sub: string; readonly aud: string; readonly scope: string; readonly iat: number; readonly exp: number };

/** What a till needs (seed 001), and no more: the POS client of the sandbox. */
export const POS_SCOPES = [
  'read:discounts',
  'write:discounts:/available_for_receipt',
  'read:discounts:/available_for_receipt',
  'write:receipts',
  'read:customers',
  'write:wallets:/info',
  'write:wallets:/transactions',
] as const;

/** A back-office client, for tests and demo tooling that hand out discounts or fund cards. */
export const ADMIN_SCOPES = ['admin:discounts', 'admin:receipts', 'admin:customers', 'admin:wallets'] as const;

function b64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

export function signToken(key: string, claims: TokenClaims): string {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', key).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

export type TokenCheck = { readonly ok: true; readonly claims: TokenClaims } | { readonly ok: false; readonly reason: string };

export function verifyToken(key: string, token: string, nowSeconds: number, audience: string): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'the token is not a JWT' };
  const [head = '', body = '', sig = ''] = parts;
  const expected = Buffer.from(createHmac('sha256', key).update(`${head}.${body}`).digest('base64url'));
  const given = Buffer.from(sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'the token signature is invalid' };
  let claims: TokenClaims;
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenClaims;
  } catch {
    return { ok: false, reason: 'the token payload is not JSON' };
  }
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return { ok: false, reason: 'the token has expired' };
  if (claims.aud !== audience) return { ok: false, reason: 'the token was issued for another account' };
  return { ok: true, claims };
}

/** Parses `Authorization: Basic base64(id:secret)`. */
export function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
