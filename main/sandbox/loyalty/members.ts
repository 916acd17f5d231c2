/** `/member/register`, `/member/update`, `/member/details`, `/member/shortCode` and `/event`. */
import { z } from 'zod';
import { assertNever } from '../../core/errors';
import type { SandboxContext } from '../context';
import { iso } from '../context';
import type { SandboxDb } from '../db';
import type { Answer, ServerKit } from '../http';
import {
  checkHeaders,
  CODES,
  Email,
  failWith,
  findMember,
  MemberIdSchema,
  memberView,
  notFound,
  parseInput,
  PhoneNumber,
  success,
  type MemberRow,
} from './common';
import { earnedPoints, TransactionSchema } from './sales';

const Birthday = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const Name = z.string().trim().min(1).max(100);

const ProfileFields = {
  phoneNumber: PhoneNumber,
  email: Email,
  firstName: Name,
  lastName: Name,
  allowedSMS: z.boolean(),
  allowedEmail: z.boolean(),
  termsOfUse: z.boolean(),
  gdpr: z.boolean(),
  birthday: Birthday,
};

/** Every field is mandatory on registration (the seed's table marks them all Y). */
const RegisterSchema = z.strictObject(ProfileFields);
/** Only the fields to change; no empty or null fields. */
const UpdateFieldsSchema = z
  .strictObject({
    phoneNumber: ProfileFields.phoneNumber.optional(),
    email: ProfileFields.email.optional(),
    firstName: ProfileFields.firstName.optional(),
    lastName: ProfileFields.lastName.optional(),
    allowedSMS: ProfileFields.allowedSMS.optional(),
    allowedEmail: ProfileFields.allowedEmail.optional(),
    termsOfUse: ProfileFields.termsOfUse.optional(),
    gdpr: ProfileFields.gdpr.optional(),
    birthday: ProfileFields.birthday.optional(),
  })
  .refine((m) => Object.keys(m).length > 0, 'newMemberData needs at least one field');

export type NewMember = z.infer<typeof RegisterSchema> & { membershipKey?: string; externalId?: string };

function profileOf(m: Partial<NewMember>): Record<string, unknown> {
  const { phoneNumber: _p, email: _e, membershipKey: _k, externalId: _x, ...profile } = m;
  return profile;
}

export function insertMember(db: SandboxDb, m: NewMember, key: string, at: string, balances: { points: number; credit: number }): void {
  db.prepare(
    `INSERT INTO members (membership_key, phone_number, email, external_id, profile, points, credit, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(key, m.phoneNumber, m.email.toLowerCase(), m.externalId ?? null, JSON.stringify(profileOf(m)), balances.points, balances.credit, at);
}

function clash(db: SandboxDb, phone: string | undefined, email: string | undefined, except: string | undefined): boolean {
  const row = db
    .prepare<Record<string, string | null>, { n: number }>(
      `SELECT COUNT(*) AS n FROM members WHERE (phone_number = @phone OR lower(email) = lower(@email)) AND membership_key IS NOT @except`,
    )
    .get({ phone: phone ?? null, email: email ?? null, except: except ?? null });
  return (row?.n ?? 0) > 0;
}

const AssetsHeader = z.enum(['active', 'inactive', 'all']);

const DetailsSchema = z.strictObject({
  member: z.union([MemberIdSchema, z.strictObject({ shortCode: z.string().regex(/^\d{6}$/) })]),
  transaction: TransactionSchema.optional(),
  usedAssets: z.array(z.unknown()).optional(),
});

const ShortCodeSchema = z.strictObject({
  member: z.union([z.strictObject({ phoneNumber: z.string().min(1) }), z.strictObject({ email: z.string().min(1) })]),
  action: z.enum(['send', 'get', 'verify']),
  code: z.string().optional(),
});

const EventSchema = z.strictObject({
  member: MemberIdSchema.optional(),
  event: z.strictObject({
    type: z.string().min(1).max(100),
    subType: z.string().min(1).max(100).optional(),
    dateTime: z.iso.datetime({ offset: true }).optional(),
    payload: z.record(z.string(), z.unknown()).optional(),
    tags: z.array(z.string()).optional(),
  }),
});

const SHORT_CODE_TTL_MS = 5 * 60_000;

function assetsOf(db: SandboxDb, key: string, which: z.infer<typeof AssetsHeader>): unknown[] {
  return db
    .prepare<{ key: string; which: string }, { body: string; status: string }>(
      "SELECT body, status FROM member_assets WHERE membership_key = @key AND (@which = 'all' OR status = @which) ORDER BY key",
    )
    .all({ key, which })
    .map((r) => ({ ...(JSON.parse(r.body) as Record<string, unknown>), status: r.status }));
}

function memberByShortCode(ctx: SandboxContext, code: string): MemberRow | undefined {
  return ctx.db
    .prepare<[string, string], MemberRow>(
      'SELECT m.* FROM members m JOIN short_codes s ON s.membership_key = m.membership_key WHERE s.code = ? AND s.expires_at > ?',
    )
    .get(code, iso(ctx.now()));
}

export function registerMemberRoutes(kit: ServerKit, ctx: SandboxContext): void {
  const base = '/v1';

  kit.route('POST', `${base}/member/register`, 'loyalty.member.register', (req) => {
    const headers = checkHeaders(ctx, req);
    if (!headers.ok) return headers.answer;
    // The documents disagree on the shape: flat fields, or wrapped in newMemberData. Both are accepted.
    const raw = req.body as { newMemberData?: unknown } | undefined;
    const body = raw && typeof raw === 'object' && 'newMemberData' in raw ? raw.newMemberData : raw;
    const parsed = parseInput(RegisterSchema, body);
    if (!parsed.ok) return parsed.answer;
    return ctx.db.transaction((): Answer => {
      if (clash(ctx.db, parsed.value.phoneNumber, parsed.value.email, undefined)) {
        return failWith(CODES.invalidInput, 'A member with this phoneNumber or email already exists', 'body.phoneNumber');
      }
      const key = ctx.newId();
      insertMember(ctx.db, parsed.value, key, iso(ctx.now()), { points: 0, credit: 0 });
      const row = findMember(ctx.db, { membershipKey: key });
      return success(ctx, { member: row ? memberView(row) : { membershipKey: key } });
    }).immediate();
  });

  kit.route('POST', `${base}/member/update`, 'loyalty.member.update', (req) => {
    const headers = checkHeaders(ctx, req);
    if (!headers.ok) return headers.answer;
    const parsed = parseInput(z.strictObject({ member: MemberIdSchema, newMemberData: UpdateFieldsSchema }), req.body);
    if (!parsed.ok) return parsed.answer;
    return ctx.db.transaction((): Answer => {
      const row = findMember(ctx.db, parsed.value.member);
      if (!row) return notFound();
      const change = parsed.value.newMemberData;
      if ((change.phoneNumber ?? change.email) !== undefined && clash(ctx.db, change.phoneNumber, change.email, row.membership_key)) {
        return failWith(CODES.invalidInput, 'Another member already has this phoneNumber or email', 'body.newMemberData');
      }
      const profile = { ...(JSON.parse(row.profile) as Record<string, unknown>), ...profileOf(change) };
      ctx.db
        .prepare('UPDATE members SET phone_number = ?, email = ?, profile = ? WHERE membership_key = ?')
        .run(change.phoneNumber ?? row.phone_number, change.email?.toLowerCase() ?? row.email, JSON.stringify(profile), row.membership_key);
      return success(ctx, { memberId: row.membership_key }, { message: 'Member updated successfully' });
    }).immediate();
  });

  kit.route('POST', `${base}/member/details`, 'loyalty.member.details', (req) => {
    const headers = checkHeaders(ctx, req);
    if (!headers.ok) return headers.answer;
    const assetsHeader = AssetsHeader.safeParse(req.headers['x-return-assets'] ?? 'active');
    if (!assetsHeader.success) return failWith(CODES.invalidInput, 'x-return-assets must be active, inactive or all', 'headers.x-return-assets');
    const benefitsHeader = req.headers['x-return-benefits'] ?? 'false';
    if (benefitsHeader !== 'true' && benefitsHeader !== 'false') {
      return failWith(CODES.invalidInput, 'x-return-benefits must be true or false', 'headers.x-return-benefits');
    }
    const parsed = parseInput(DetailsSchema, req.body);
    if (!parsed.ok) return parsed.answer;
    const { member, transaction } = parsed.value;
    const row = 'shortCode' in member ? memberByShortCode(ctx, member.shortCode) : findMember(ctx.db, member);
    if (!row) return 'shortCode' in member ? failWith(CODES.invalidInput, 'Invalid or expired short code', 'body.member.shortCode') : notFound();
    const data: Record<string, unknown> = { member: memberView(row), assets: assetsOf(ctx.db, row.membership_key, assetsHeader.data) };
    if (benefitsHeader === 'true' && transaction) {
      data['benefits'] = { pointsToEarn: earnedPoints(ctx, transaction), deals: [] };
    }
    return success(ctx, data, undefined, 'member/details');
  });

  kit.route('POST', `${base}/member/shortCode`, 'loyalty.member.short-code', (req) => {
    const headers = checkHeaders(ctx, req);
    if (!headers.ok) return headers.answer;
    const parsed = parseInput(ShortCodeSchema, req.body);
    if (!parsed.ok) return parsed.answer;
    const { member, action, code } = parsed.value;
    return ctx.db.transaction((): Answer => {
      const row = findMember(ctx.db, member);
      if (!row) return notFound();
      const now = ctx.now();
      const current = ctx.db
        .prepare<[string, string], { code: string }>('SELECT code FROM short_codes WHERE membership_key = ? AND expires_at > ?')
        .get(row.membership_key, iso(now));
      switch (action) {
        case 'send':
        case 'get': {
          const fresh = current?.code ?? ctx.code(6);
          ctx.db
            .prepare('INSERT OR REPLACE INTO short_codes (membership_key, code, expires_at) VALUES (?, ?, ?)')
            .run(row.membership_key, fresh, iso(new Date(now.getTime() + SHORT_CODE_TTL_MS)));
          // `send` would go out by SMS or e-mail; only `get` shows the code to the caller (kiosk, QR).
          return success(ctx, action === 'get' ? { shortCode: fresh } : {});
        }
        case 'verify': {
          if (code === undefined) return failWith(CODES.invalidInput, 'code is required to verify', 'body.code');
          if (current?.code !== code) return failWith(CODES.invalidInput, 'Invalid or expired short code', 'body.code');
          ctx.db.prepare('DELETE FROM short_codes WHERE membership_key = ?').run(row.membership_key);
          return success(ctx, { verified: true, membershipKey: row.membership_key });
        }
        default:
          return assertNever(action);
      }
    }).immediate();
  });

  kit.route('POST', `${base}/event`, 'loyalty.event', (req) => {
    const headers = checkHeaders(ctx, req);
    if (!headers.ok) return headers.answer;
    const parsed = parseInput(EventSchema, req.body);
    if (!parsed.ok) return parsed.answer;
    const row = parsed.value.member ? findMember(ctx.db, parsed.value.member) : undefined;
    if (parsed.value.member && !row) return notFound();
    ctx.db
      .prepare('INSERT INTO loyalty_events (membership_key, type, body, created_at) VALUES (?, ?, ?, ?)')
      .run(row?.membership_key ?? null, parsed.value.event.type, JSON.stringify(parsed.value.event), iso(ctx.now()));
    return success(ctx, {});
  });
}
