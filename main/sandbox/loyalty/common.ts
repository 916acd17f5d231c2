/**
 * The Loyalty POS API's envelope, header checks and member identification (seed 004). Every refusal uses a
 * documented code (1001 invalid input, 4001012 member not found, 407 balance too low), so the sandbox never
 * teaches the connector a code the vendor did not publish; the only other code is `401` for a missing or wrong
 * key, an assumption (docs/loyalty-api.md), which the connector reads as undocumented.
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from '../context';
import type { SandboxDb } from '../db';
import type { Answer } from '../http';

export const CODES = {
  invalidInput: '1001',
  insufficient: '407',
  memberNotFound: '4001012',
  unauthorized: '401',
  server: '500',
} as const;

const HTTP_STATUS: Record<string, number> = {
  [CODES.invalidInput]: 400,
  [CODES.insufficient]: 422,
  [CODES.memberNotFound]: 404,
  [CODES.unauthorized]: 401,
};

export function loyaltyErrorBody(status: number, code: string, message: string): unknown {
  // Faults and framework errors arrive with an HTTP status; the envelope carries it as the code.
  const envelopeCode = /^\d+$/.test(code) ? code : status === 400 || status === 415 ? CODES.invalidInput : String(status);
  return { status: 'error', error: { code: envelopeCode, message } };
}

export function failWith(code: string, message: string, path?: string): Answer {
  return { status: HTTP_STATUS[code] ?? 500, body: { status: 'error', error: path ? { code, message, path } : { code, message } } };
}

/**
 * A success body in the shape the sandbox is set to (SandboxOptions.loyaltyAnswers): fields inside `data`, or
 * beside `status` as seed 004 shows, or `/member/details`' `status: "ok"` sample.
 */
export function successBody(ctx: SandboxContext, data: Record<string, unknown>, extra?: Record<string, unknown>, route?: string): Record<string, unknown> {
  const shape = ctx.loyaltySuccessShape();
  if (shape === 'data') return { status: 'success', ...extra, data };
  if (shape === 'ok' && route === 'member/details') return { status: 'ok', ...extra, ...data };
  return { status: 'success', ...extra, ...data };
}

export function success(ctx: SandboxContext, data: Record<string, unknown>, extra?: Record<string, unknown>, route?: string): Answer {
  return { status: 200, body: successBody(ctx, data, extra, route) };
}

const REQUIRED_HEADERS = ['x-source-type', 'x-source-name', 'x-branch-id', 'x-pos-id'] as const;
const SOURCE_TYPES = new Set(['POS', 'Web', 'Website', 'Kiosk']);

export type Caller = { readonly branchId: string; readonly posId: string; readonly sourceType: string; readonly sourceName: string };

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** Every call needs the API key and the four identification headers (seed 004, "Required Headers"). */
export function checkHeaders(ctx: SandboxContext, req: FastifyRequest): { ok: true; caller: Caller } | { ok: false; answer: Answer } {
  const key = header(req, 'x-api-key');
  if (key === undefined) return { ok: false, answer: failWith(CODES.unauthorized, 'Missing x-api-key header', 'headers.x-api-key') };
  if (key !== ctx.apiKey) return { ok: false, answer: failWith(CODES.unauthorized, 'Invalid API key', 'headers.x-api-key') };
  for (const name of REQUIRED_HEADERS) {
    if (header(req, name) === undefined) {
      return { ok: false, answer: failWith(CODES.invalidInput, `Missing required header ${name}`, `headers.${name}`) };
    }
  }
  const sourceType = header(req, 'x-source-type') ?? '';
  if (!SOURCE_TYPES.has(sourceType)) {
    return { ok: false, answer: failWith(CODES.invalidInput, `x-source-type must be one of ${[...SOURCE_TYPES].join(', ')}`, 'headers.x-source-type') };
  }
  return {
    ok: true,
    caller: { branchId: header(req, 'x-branch-id') ?? '', posId: header(req, 'x-pos-id') ?? '', sourceType, sourceName: header(req, 'x-source-name') ?? '' },
  };
}

export function parseInput<T>(schema: z.ZodType<T>, body: unknown): { ok: true; value: T } | { ok: false; answer: Answer } {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const path = issue ? ['body', ...issue.path.map(String)].join('.') : 'body';
  return { ok: false, answer: failWith(CODES.invalidInput, `${path.slice(5) || 'body'} is not allowed: ${issue?.message ?? 'invalid'}`, path) };
}

/** "Do not include null or empty strings": a present identifier must be a non-empty string. */
const Identifier = z.string().trim().min(1).max(255);

export const PhoneNumber = z.string().regex(/^\+?\d{6,15}$/, 'a phone number with digits only, optionally starting with +');
export const Email = z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an e-mail address').max(254);

export const MemberIdSchema = z
  .strictObject({
    phoneNumber: Identifier.optional(),
    email: Identifier.optional(),
    membershipKey: Identifier.optional(),
    externalId: Identifier.optional(),
  })
  .refine((m) => Object.values(m).some((v) => v !== undefined), 'at least one of phoneNumber, email, membershipKey, externalId');

export type MemberId = z.infer<typeof MemberIdSchema>;

export type MemberRow = {
  membership_key: string;
  phone_number: string | null;
  email: string | null;
  external_id: string | null;
  profile: string;
  points: number;
  credit: number;
  visit: number;
  total_spent: number;
  status: string;
  created_at: string;
};

/** The member every given identifier points at; more than one identifier must agree on one member. */
export function findMember(db: SandboxDb, id: MemberId): MemberRow | undefined {
  return db
    .prepare<Record<string, string | null>, MemberRow>(
      `SELECT * FROM members WHERE (@phone IS NULL OR phone_number = @phone) AND (@email IS NULL OR lower(email) = lower(@email))
         AND (@key IS NULL OR membership_key = @key) AND (@ext IS NULL OR external_id = @ext)`,
    )
    .get({
      phone: id.phoneNumber?.replace(/\s+/g, '') ?? null,
      email: id.email ?? null,
      key: id.membershipKey ?? null,
      ext: id.externalId ?? null,
    });
}

export function memberView(row: MemberRow): Record<string, unknown> {
  const profile = JSON.parse(row.profile) as Record<string, unknown>;
  const birthday = typeof profile['birthday'] === 'string' ? `${profile['birthday']}T00:00:00.000Z` : undefined;
  return {
    status: row.status,
    ...profile,
    ...(birthday ? { birthday } : {}),
    phoneNumber: row.phone_number,
    email: row.email,
    membershipKey: row.membership_key,
    ...(row.external_id ? { externalId: row.external_id } : {}),
    visit: row.visit,
    totalSpent: row.total_spent,
    points: row.points,
    credit: row.credit,
  };
}

export function notFound(): Answer {
  return failWith(CODES.memberNotFound, 'Member not found', 'body.member');
}
