/** Dintero's error body, and the checks every Dintero route makes before it touches state. */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context';
import type { Answer } from '../http';
import { bearerToken, verifyToken, type TokenClaims } from './auth';

export function dinteroErrorBody(_status: number, code: string, message: string): unknown {
  return { error: { code, message } };
}

export function fail(status: number, code: string, message: string, errors?: readonly unknown[]): Answer {
  return { status, body: { error: errors ? { code, message, errors } : { code, message } } };
}

export function ok(body: unknown, status = 200, headers?: Record<string, string>): Answer {
  return headers ? { status, body, headers } : { status, body };
}

export function audience(ctx: SandboxContext): string {
  return `https://api.dintero.com/v1/accounts/${ctx.accountId}`;
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** The strict switch: the real service ignores these headers, the sandbox in tests demands them. */
export function checkIdentification(ctx: SandboxContext, req: FastifyRequest): Answer | undefined {
  if (!ctx.strictIdentification) return undefined;
  const missing = ['x-pos-id', 'x-branch-id'].filter((h) => header(req, h) === undefined);
  if (missing.length === 0) return undefined;
  return fail(400, 'IDENTIFICATION_MISSING', `Missing header(s) ${missing.join(', ')} (the sandbox runs with strict identification)`);
}

export function checkAccount(ctx: SandboxContext, req: FastifyRequest): Answer | undefined {
  const { aid } = req.params as { aid?: string };
  if (aid === undefined || !/^[PT]\d{8}$/.test(aid)) return fail(400, 'BAD_REQUEST', 'The account id must be T or P followed by 8 digits');
  if (aid !== ctx.accountId) return fail(404, 'NOT_FOUND', `No account ${aid}`);
  return undefined;
}

export type Authorized = { readonly ok: true; readonly claims: TokenClaims } | { readonly ok: false; readonly answer: Answer };

/**
 * Identification, account, bearer token and scope, in that order. `scopes` lists the scopes of which any one
 * is enough, as Dintero's API reference lists them per endpoint.
 */
export function authorize(ctx: SandboxContext, req: FastifyRequest, scopes: readonly string[]): Authorized {
  const ident = checkIdentification(ctx, req);
  if (ident) return { ok: false, answer: ident };
  const account = checkAccount(ctx, req);
  if (account) return { ok: false, answer: account };
  const token = bearerToken(req.headers.authorization);
  if (!token) return { ok: false, answer: fail(401, 'UNAUTHORIZED', 'Access forbidden, invalid JWT token was used: no bearer token') };
  const check = verifyToken(ctx.signingKey, token, Math.floor(ctx.now().getTime() / 1000), audience(ctx));
  if (!check.ok) return { ok: false, answer: fail(401, 'UNAUTHORIZED', `Access forbidden, invalid JWT token was used: ${check.reason}`) };
  const granted = check.claims.scope.split(' ');
  if (!scopes.some((s) => granted.includes(s))) {
    return { ok: false, answer: fail(403, 'FORBIDDEN', `The client lacks a scope for this call (one of: ${scopes.join(', ')})`) };
  }
  return { ok: true, claims: check.claims };
}

/** Parses a body with zod and turns the issues into Dintero's 400 body with `errors[]`. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): { ok: true; value: T } | { ok: false; answer: Answer } {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  const errors = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const first = errors[0];
  return { ok: false, answer: fail(400, 'BAD_REQUEST', first ? `${first.path || 'body'}: ${first.message}` : 'Invalid body', errors) };
}

export const DateTime = z.iso.datetime({ offset: true });

export const Trimmed = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => s.trim() === s, 'must not have leading or trailing spaces');

export function queryString(req: FastifyRequest, name: string): string | undefined {
  const v = (req.query as Record<string, unknown>)[name];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : undefined;
  return typeof v === 'string' ? v : undefined;
}

export function queryList(req: FastifyRequest, name: string): string[] {
  const v = (req.query as Record<string, unknown>)[name];
  const list = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return list.filter((x): x is string => typeof x === 'string').flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

/** `limit` 1 to 100, default 10, as every Dintero list endpoint. */
export function pageLimit(req: FastifyRequest): number | Answer {
  const raw = queryString(req, 'limit');
  if (raw === undefined) return 10;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100) return fail(400, 'BAD_REQUEST', 'limit must be a whole number from 1 to 100');
  return n;
}

export const READ_DISCOUNTS = ['admin:discounts', 'write:discounts', 'read:discounts'] as const;
export const WRITE_DISCOUNTS = ['admin:discounts', 'write:discounts'] as const;
export const CALC_DISCOUNTS = ['admin:discounts', 'write:discounts', 'write:discounts:/available_for_receipt'] as const;
export const READ_CLAIMS = [...CALC_DISCOUNTS, 'read:discounts', 'read:discounts:/available_for_receipt'] as const;
export const WRITE_RECEIPTS = ['admin:receipts', 'write:receipts'] as const;
export const READ_CUSTOMERS = ['admin:customers', 'write:customers', 'read:customers'] as const;
export const WRITE_CUSTOMERS = ['admin:customers', 'write:customers'] as const;
export const WALLET_INFO = ['admin:wallets', 'write:wallets', 'write:wallets:/info'] as const;
export const WALLET_TRANSACTIONS = ['admin:wallets', 'write:wallets', 'write:wallets:/transactions'] as const;
export const WALLET_ADMIN = ['admin:wallets', 'write:wallets'] as const;
