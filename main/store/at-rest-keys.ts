import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TillError } from '../core/errors';
import { getMeta, setMetaIfAbsent } from './agent-meta';
import type { ReadableDb, WritableDb } from './db-types';

/**
 * The two keys that protect personal data and gift-card numbers at rest (issue 19 findings 4 and 5), kept next to
 * the database but never in it, so a copied `till.sqlite` (or its WAL, or a backup) gives neither away:
 *
 * - `lookup-hash-key`: the HMAC key the caches index phone numbers, e-mails and tokens by (main/store/lookup-hash.ts).
 *   Until schema 220 it lived in `agent_meta`; migration 0220 writes it out and deletes it there, so the hashes
 *   already cached keep matching.
 * - `sealed-field-key`: the AES-256-GCM key of the sealed fields (main/store/sealed-field.ts): gift-card tokens the
 *   outbox still needs, the open baskets, cached customers' names.
 *
 * Each file holds 32 random bytes as hex, readable by the agent's user only (0600, written to a new file and
 * renamed into place). The agent hands in how to read and write them (`useKeyFileIo`): in the desktop app sealed
 * with the OS key store like the API token; elsewhere (plain Node, the CLI, tests) the owner-only file itself.
 *
 * A key file that is missing while the database shows it existed (the marker below, or rows that need it) is not
 * fatal: what the key protected is a cache, dropped and read again from the back ends (`KeyLoadReport` says so, and
 * the agent warns). Gift-card tokens sealed in the outbox are the exception; they cannot be recovered and their
 * effects go to the manager (docs/security.md, "A stolen till").
 */

export const LOOKUP_KEY_FILE_NAME = 'lookup-hash-key';
export const FIELD_KEY_FILE_NAME = 'sealed-field-key';
const LEGACY_META_KEY = 'lookup_hash_key';
/** Set once this database's keys live in files: from then on a missing file is a lost key, not a new install. */
const MARKER_META_KEY = 'at_rest_key_files_since';

export type AtRestKeys = { readonly lookupKey: Buffer; readonly fieldKey: Buffer };

/** How the key files are read and written: the agent passes its secret store; the default is a 0600 file. */
export type KeyFileIo = { read(file: string): string | undefined; write(file: string, value: string): void };

export type KeyLoadReport = {
  readonly lookupKey: 'file' | 'moved-from-database' | 'created' | 'lost' | 'ephemeral';
  readonly fieldKey: 'file' | 'created' | 'lost' | 'ephemeral';
  /** With `fieldKey: 'lost'`: undelivered outbox effects whose gift-card token can no longer be read. */
  readonly unreadableEffects: number;
};

const SEALED_FILE_PREFIX = 'safeStorage:';

/** The default: the key in a file only the agent's user can read (what plain Node and the CLI use). */
export const ownerOnlyKeyFiles: KeyFileIo = {
  read(file) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8').trim();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new TillError('DATA_DIR_UNWRITABLE', `Cannot read the key file ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, {
        fix: 'Run till-agent as the user that owns the data directory.',
      });
    }
    if (text.startsWith(SEALED_FILE_PREFIX)) {
      throw new TillError('CONFIG_UNREADABLE', `The key in ${file} is encrypted with the desktop app's OS key store, which plain Node cannot open.`, {
        fix: 'Run this with the desktop app (or stop the desktop app and use till-agent serve only after restoring a plain key file).',
      });
    }
    return text === '' ? undefined : text;
  },
  write(file, value) {
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      fs.writeFileSync(tmp, `${value}\n`, { mode: 0o600, flag: 'wx' });
      fs.chmodSync(tmp, 0o600);
      fs.renameSync(tmp, file);
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
  },
};

const ios = new WeakMap<ReadableDb, KeyFileIo>();
const loaded = new WeakMap<ReadableDb, { readonly keys: AtRestKeys; readonly report: KeyLoadReport }>();

/** Called by `openDb` before it migrates: the key files of this connection are read and written with `io`. */
export function useKeyFileIo(db: ReadableDb, io: KeyFileIo): void {
  ios.set(db, io);
}

/** The directory of the database file, or undefined for an in-memory database (whose keys die with it). */
function keyDir(db: ReadableDb): string | undefined {
  return db.name === '' || db.name === ':memory:' ? undefined : path.dirname(path.resolve(db.name));
}

function parseKey(hex: string, file: string): Buffer;
function parseKey(hex: string | undefined, file: string): Buffer | undefined;
function parseKey(hex: string | undefined, file: string): Buffer | undefined {
  if (hex === undefined) return undefined;
  if (!/^[0-9a-f]{64}$/i.test(hex)) {
    throw new TillError('CONFIG_INVALID', `The key file ${file} is damaged (it must hold 32 bytes as hex).`, {
      fix: 'Restore it from the backup of this till, or delete it: the till then drops the caches it protected and reads them again.',
    });
  }
  return Buffer.from(hex, 'hex');
}

function exists(db: ReadableDb, sql: string): boolean {
  return db.prepare(sql).get() !== undefined;
}

/** Hashed rows that only the lookup key can match. */
function hasHashedRows(db: ReadableDb): boolean {
  return (
    exists(db, 'SELECT 1 FROM member_cache WHERE phone_hash IS NOT NULL OR email_hash IS NOT NULL LIMIT 1') ||
    exists(db, 'SELECT 1 FROM customer_cache WHERE phone_hash IS NOT NULL OR email_hash IS NOT NULL LIMIT 1') ||
    exists(db, 'SELECT 1 FROM customer_cache_tokens LIMIT 1') ||
    exists(db, "SELECT 1 FROM balance_cache WHERE kind = 'gift_card' LIMIT 1")
  );
}

/** A lost lookup key: the hashed caches can never match again; they are dropped and fill up again from the back ends. */
function dropHashedCaches(db: WritableDb): void {
  db.exec(`
    UPDATE member_cache SET phone_hash = NULL, email_hash = NULL WHERE phone_hash IS NOT NULL OR email_hash IS NOT NULL;
    UPDATE customer_cache SET phone_hash = NULL, email_hash = NULL WHERE phone_hash IS NOT NULL OR email_hash IS NOT NULL;
    DELETE FROM customer_cache_tokens;
    DELETE FROM balance_cache WHERE kind = 'gift_card';
  `);
}

/** Undelivered effects holding a sealed gift-card token. */
function sealedEffects(db: ReadableDb): number {
  return (db.prepare("SELECT count(*) AS n FROM outbox_effects WHERE state != 'done' AND json_extract(payload, '$.token_sealed') IS NOT NULL").get() as { n: number }).n;
}

/** A lost field key: cached names are dropped (read again at the next lookup); sealed baskets are set aside when read. */
function dropSealedCaches(db: WritableDb): void {
  db.exec(`
    UPDATE member_cache SET personal_sealed = NULL WHERE personal_sealed IS NOT NULL;
    UPDATE customer_cache SET personal_sealed = NULL WHERE personal_sealed IS NOT NULL;
  `);
}

function hasSealedRows(db: ReadableDb): boolean {
  return (
    sealedEffects(db) > 0 ||
    exists(db, 'SELECT 1 FROM member_cache WHERE personal_sealed IS NOT NULL LIMIT 1') ||
    exists(db, 'SELECT 1 FROM customer_cache WHERE personal_sealed IS NOT NULL LIMIT 1') ||
    exists(db, "SELECT 1 FROM open_baskets WHERE body_json LIKE 'sealed:%' LIMIT 1")
  );
}

function load(db: WritableDb): { keys: AtRestKeys; report: KeyLoadReport } {
  const dir = keyDir(db);
  if (dir === undefined) {
    return { keys: { lookupKey: randomBytes(32), fieldKey: randomBytes(32) }, report: { lookupKey: 'ephemeral', fieldKey: 'ephemeral', unreadableEffects: 0 } };
  }
  const io = ios.get(db) ?? ownerOnlyKeyFiles;
  const lookupFile = path.join(dir, LOOKUP_KEY_FILE_NAME);
  const fieldFile = path.join(dir, FIELD_KEY_FILE_NAME);
  return db.transaction(() => {
    const hadFiles = getMeta(db, MARKER_META_KEY) !== undefined;
    const legacy = getMeta(db, LEGACY_META_KEY);
    let lookupKey = parseKey(io.read(lookupFile), lookupFile);
    let lookupHow: KeyLoadReport['lookupKey'] = 'file';
    if (lookupKey && legacy !== undefined && legacy.toLowerCase() !== lookupKey.toString('hex')) {
      throw new TillError('CONFLICT', `The database still holds a lookup key that differs from the one in ${lookupFile}.`, {
        fix: 'The key file belongs to another database: put back this till’s own key file, or move it away to let the till take the key from the database.',
      });
    }
    if (!lookupKey && legacy !== undefined) {
      lookupKey = parseKey(legacy, `${db.name} (agent_meta)`);
      // The file first: a crash between the two leaves the key in both places, never in neither.
      io.write(lookupFile, lookupKey.toString('hex'));
      lookupHow = 'moved-from-database';
    }
    if (!lookupKey) {
      lookupHow = hadFiles || hasHashedRows(db) ? 'lost' : 'created';
      if (lookupHow === 'lost') dropHashedCaches(db);
      lookupKey = randomBytes(32);
      io.write(lookupFile, lookupKey.toString('hex'));
    }
    if (legacy !== undefined) db.prepare('DELETE FROM agent_meta WHERE key = ?').run(LEGACY_META_KEY);

    let fieldKey = parseKey(io.read(fieldFile), fieldFile);
    let fieldHow: KeyLoadReport['fieldKey'] = 'file';
    let unreadableEffects = 0;
    if (!fieldKey) {
      fieldHow = hadFiles || hasSealedRows(db) ? 'lost' : 'created';
      if (fieldHow === 'lost') {
        unreadableEffects = sealedEffects(db);
        dropSealedCaches(db);
      }
      fieldKey = randomBytes(32);
      io.write(fieldFile, fieldKey.toString('hex'));
    }
    setMetaIfAbsent(db, MARKER_META_KEY, new Date().toISOString());
    return { keys: { lookupKey, fieldKey }, report: { lookupKey: lookupHow, fieldKey: fieldHow, unreadableEffects } };
  }).immediate();
}

/** This connection's keys, loaded (moved out of the database, or made) on first use. */
export function atRestKeys(db: WritableDb): AtRestKeys {
  let entry = loaded.get(db);
  if (!entry) {
    entry = load(db);
    loaded.set(db, entry);
  }
  return entry.keys;
}

/**
 * The keys without writing anything: those already loaded on this connection, or on a read-only connection the
 * two files if both are there. Undefined when there are none yet (nothing was hashed or sealed with them).
 */
export function existingAtRestKeys(db: ReadableDb): AtRestKeys | undefined {
  const entry = loaded.get(db);
  if (entry) return entry.keys;
  if (!db.readonly) return atRestKeys(db as WritableDb);
  const dir = keyDir(db);
  if (dir === undefined) return undefined;
  const io = ios.get(db) ?? ownerOnlyKeyFiles;
  const lookupKey = parseKey(io.read(path.join(dir, LOOKUP_KEY_FILE_NAME)), LOOKUP_KEY_FILE_NAME);
  const fieldKey = parseKey(io.read(path.join(dir, FIELD_KEY_FILE_NAME)), FIELD_KEY_FILE_NAME);
  return lookupKey && fieldKey ? { lookupKey, fieldKey } : undefined;
}

/** How this connection's keys were found (undefined before they are loaded): the agent warns about a lost one. */
export function atRestKeyReport(db: ReadableDb): KeyLoadReport | undefined {
  return loaded.get(db)?.report;
}

/** What a manager must hear about a lost key, or undefined when nothing was lost. */
export function lostKeyWarning(report: KeyLoadReport | undefined): string | undefined {
  if (!report) return undefined;
  const parts: string[] = [];
  if (report.lookupKey === 'lost') {
    parts.push(`The lookup key file (${LOOKUP_KEY_FILE_NAME}) was missing: the cached phone, e-mail and gift-card lookups were dropped and fill up again as customers are looked up online.`);
  }
  if (report.fieldKey === 'lost') {
    parts.push(
      `The sealed-field key file (${FIELD_KEY_FILE_NAME}) was missing: cached customer names were dropped` +
        (report.unreadableEffects > 0 ? `, and ${report.unreadableEffects} undelivered gift-card effect(s) can no longer be sent (see till-agent sync status).` : '.'),
    );
  }
  return parts.length === 0 ? undefined : `${parts.join(' ')} Restore the key files from this till's backup if you have them.`;
}
