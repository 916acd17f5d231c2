import { deleteBalance, putBalance } from './balance-cache';
import type { ReadableDb, WritableDb } from './db-types';
import { memberBodyAtRest, memberBodyFromRow } from './personal-at-rest';

/**
 * The member cache (migration 0080). Phone and e-mail arrive here already hashed (keyed, per install); the
 * body must not carry them. Of the body only the membership number (clear) and the name (sealed) are kept
 * (main/store/personal-at-rest.ts). Writing a member also writes its points and credit to `balance_cache`.
 */

export type CachedMember = {
  readonly membershipKey: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly points: number | null;
  readonly credit: number | null;
  readonly fetchedAt: number;
};

export type MemberToCache = CachedMember & { readonly phoneHash: string | null; readonly emailHash: string | null };

type Row = { membership_key: string; body_json: string; personal_sealed: string | null; points: number | null; credit: number | null; fetched_at: number };

const COLUMNS = 'membership_key, body_json, personal_sealed, points, credit, fetched_at';

function fromRow(db: ReadableDb, r: Row): CachedMember {
  return { membershipKey: r.membership_key, body: memberBodyFromRow(db, r.body_json, r.personal_sealed), points: r.points, credit: r.credit, fetchedAt: r.fetched_at };
}

function writeBalance(db: WritableDb, kind: 'loyalty_points' | 'loyalty_credit', key: string, value: number | null, fetchedAt: number): void {
  // A balance the server no longer reports (or reports as a fraction) is dropped: a stale figure would let an
  // offline tender through on a number nobody vouches for.
  if (value !== null && Number.isSafeInteger(value)) putBalance(db, kind, key, value, fetchedAt);
  else deleteBalance(db, kind, key);
}

/**
 * Stores a member as just fetched. A phone number or e-mail belongs to one member: another cached member that
 * held the same hash (the number moved to someone else) loses it.
 */
export function cacheMember(db: WritableDb, m: MemberToCache): void {
  db.transaction(() => {
    if (m.phoneHash !== null) db.prepare('UPDATE member_cache SET phone_hash = NULL WHERE phone_hash = ? AND membership_key != ?').run(m.phoneHash, m.membershipKey);
    if (m.emailHash !== null) db.prepare('UPDATE member_cache SET email_hash = NULL WHERE email_hash = ? AND membership_key != ?').run(m.emailHash, m.membershipKey);
    const body = memberBodyAtRest(db, m.body);
    db.prepare(
      `INSERT INTO member_cache (membership_key, phone_hash, email_hash, body_json, personal_sealed, points, credit, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (membership_key) DO UPDATE SET phone_hash = excluded.phone_hash, email_hash = excluded.email_hash, body_json = excluded.body_json,
         personal_sealed = excluded.personal_sealed, points = excluded.points, credit = excluded.credit, fetched_at = excluded.fetched_at`,
    ).run(m.membershipKey, m.phoneHash, m.emailHash, body.bodyJson, body.personalSealed, m.points, m.credit, m.fetchedAt);
    writeBalance(db, 'loyalty_points', m.membershipKey, m.points, m.fetchedAt);
    writeBalance(db, 'loyalty_credit', m.membershipKey, m.credit, m.fetchedAt);
  }).immediate();
}

export function cachedMemberByKey(db: ReadableDb, membershipKey: string): CachedMember | undefined {
  const r = db.prepare(`SELECT ${COLUMNS} FROM member_cache WHERE membership_key = ?`).get(membershipKey) as Row | undefined;
  return r && fromRow(db, r);
}

export function cachedMemberByPhoneHash(db: ReadableDb, phoneHash: string): CachedMember | undefined {
  const r = db.prepare(`SELECT ${COLUMNS} FROM member_cache WHERE phone_hash = ?`).get(phoneHash) as Row | undefined;
  return r && fromRow(db, r);
}

/** By membership number (the Loyalty API's `externalId`, kept in the cached profile; index from migration 0120). */
export function cachedMemberByExternalId(db: ReadableDb, externalId: string): CachedMember | undefined {
  const r = db.prepare(`SELECT ${COLUMNS} FROM member_cache WHERE json_extract(body_json, '$.profile.externalId') = ?`).get(externalId) as Row | undefined;
  return r && fromRow(db, r);
}

export function cachedMemberByEmailHash(db: ReadableDb, emailHash: string): CachedMember | undefined {
  const r = db.prepare(`SELECT ${COLUMNS} FROM member_cache WHERE email_hash = ?`).get(emailHash) as Row | undefined;
  return r && fromRow(db, r);
}

/** The back end says this member does not exist (any more): the till stops recognising it and its balances. */
export function forgetMember(db: WritableDb, membershipKey: string): void {
  db.transaction(() => {
    db.prepare('DELETE FROM member_cache WHERE membership_key = ?').run(membershipKey);
    deleteBalance(db, 'loyalty_points', membershipKey);
    deleteBalance(db, 'loyalty_credit', membershipKey);
  }).immediate();
}

/** The back end knows no member with this phone number or e-mail (any more): the cache stops matching it. */
export function forgetMemberContact(db: WritableDb, field: 'phone' | 'email', hash: string): void {
  const column = field === 'phone' ? 'phone_hash' : 'email_hash';
  db.prepare(`UPDATE member_cache SET ${column} = NULL WHERE ${column} = ?`).run(hash);
}

/** Members fetched before `fetchedBefore`, oldest first: what a scheduled refresh should read again. */
export function staleMemberKeys(db: ReadableDb, fetchedBefore: number, limit: number): string[] {
  return (db.prepare('SELECT membership_key FROM member_cache WHERE fetched_at < ? ORDER BY fetched_at, membership_key LIMIT ?').all(fetchedBefore, limit) as { membership_key: string }[]).map(
    (r) => r.membership_key,
  );
}
