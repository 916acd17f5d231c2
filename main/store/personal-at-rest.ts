import type { ReadableDb, WritableDb } from './db-types';
import { sealField, tryOpenField } from './sealed-field';

/**
 * What the customer caches keep of a person (issue 19 finding 5, decided in docs/security.md): only what the till
 * uses. The till shows a name and finds a member again by membership number; it prices with the customer's id
 * only (the discount engine gets no profile). So a cached member keeps its membership number (`externalId`, in
 * clear: the offline search by number and its index need it) and its first and last name, sealed; a cached Dintero
 * customer keeps its name, sealed. Birth dates, consents, addresses, gender, assets and everything else the back
 * end answered are not stored at all. Phone numbers and e-mails were never stored (only their keyed hashes).
 */

type Rec = Record<string, unknown>;

const MEMBER_NAME_KEYS = ['firstName', 'lastName'] as const;
const CUSTOMER_NAME_KEYS = ['first_name', 'last_name'] as const;

function rec(value: unknown): Rec {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Rec) : {};
}

function pick(from: Rec, keys: readonly string[]): Rec {
  const out: Rec = {};
  for (const k of keys) if (typeof from[k] === 'string' && from[k] !== '') out[k] = from[k];
  return out;
}

function seal(db: WritableDb, fields: Rec): string | null {
  return Object.keys(fields).length === 0 ? null : sealField(db, 'personal', JSON.stringify(fields));
}

/** The sealed name, or nothing when there is none or it was sealed with a key this till no longer has. */
function open(db: ReadableDb, sealed: string | null): Rec {
  if (sealed === null) return {};
  const plain = tryOpenField(db, 'personal', sealed);
  if (plain === undefined) return {};
  try {
    return rec(JSON.parse(plain));
  } catch {
    return {};
  }
}

export type BodyAtRest = { readonly bodyJson: string; readonly personalSealed: string | null };

/** A member's cached body (`{ profile, assets }`) as stored: the number in clear, the name sealed, nothing else. */
export function memberBodyAtRest(db: WritableDb, body: Readonly<Rec>): BodyAtRest {
  const profile = rec(body.profile);
  return { bodyJson: JSON.stringify({ profile: pick(profile, ['externalId']), assets: [] }), personalSealed: seal(db, pick(profile, MEMBER_NAME_KEYS)) };
}

export function memberBodyFromRow(db: ReadableDb, bodyJson: string, personalSealed: string | null): Rec {
  const body = rec(JSON.parse(bodyJson));
  return { ...body, profile: { ...rec(body.profile), ...open(db, personalSealed) } };
}

/** A Dintero customer's cached profile as stored: the name, sealed. */
export function customerBodyAtRest(db: WritableDb, body: Readonly<Rec>): BodyAtRest {
  return { bodyJson: '{}', personalSealed: seal(db, pick(body, CUSTOMER_NAME_KEYS)) };
}

export function customerBodyFromRow(db: ReadableDb, bodyJson: string, personalSealed: string | null): Rec {
  return { ...rec(JSON.parse(bodyJson)), ...open(db, personalSealed) };
}
