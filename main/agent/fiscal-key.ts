import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import path from 'node:path';
import { TillError } from '../core/errors';
import type { WritableDb } from '../store';
import { attachFiscalSigner, fiscalKeys, type FiscalSigner, registerFiscalKey } from '../store/fiscal-signatures';
import { readSecretFile, type SecretSealer, writeSecretFile } from './secret-store';

/**
 * The till's fiscal signing key (docs/fiscal-no.md): RSA, 1024 bits, public exponent 65537, as the Tax
 * Administration's signature validator (Skatteetaten/saf-t, `Digital Signature Validator/validator.js`) checks.
 * The private key lives in `<data-dir>/fiscal-signing-key`, sealed like the till's other secrets (0600, and the OS
 * key store in the desktop app); the database keeps only the public key of each version. A lost or replaced key
 * gets the next version, so signatures made with the old one still verify against its recorded public key.
 */
export const FISCAL_KEY_FILE_NAME = 'fiscal-signing-key';
const MODULUS_BITS = 1024;

type StoredKey = { readonly version: number; readonly privateKeyPem: string };

export type LoadedFiscalKey = { readonly version: number; readonly publicKeyPem: string; readonly fingerprint: string; readonly created: boolean };

function keyFile(dataDir: string): string {
  return path.join(dataDir, FISCAL_KEY_FILE_NAME);
}

function publicPem(key: KeyObject): string {
  return createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
}

/** SHA-256 of the public key's DER (SubjectPublicKeyInfo), hex: how a key is recognised without comparing PEM text. */
export function publicKeyFingerprint(publicKeyPem: string): string {
  return createHash('sha256').update(createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' })).digest('hex');
}

function readStored(dataDir: string, sealer: SecretSealer): StoredKey | undefined {
  const file = keyFile(dataDir);
  const stored = readSecretFile(file, sealer);
  if (!stored) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored.value);
  } catch {
    parsed = undefined;
  }
  const p = parsed as Partial<StoredKey> | undefined;
  if (!p || typeof p.version !== 'number' || !Number.isInteger(p.version) || p.version < 1 || typeof p.privateKeyPem !== 'string') {
    throw new TillError('CONFIG_INVALID', `The fiscal signing key file ${file} is damaged.`, {
      fix: 'Restore it from the backup of this till. Without it the till cannot sign sales; `till-agent saft new-key` makes a new key version instead.',
    });
  }
  return { version: p.version, privateKeyPem: p.privateKeyPem };
}

function privateKeyOf(stored: StoredKey, file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(stored.privateKeyPem);
  } catch {
    throw new TillError('CONFIG_INVALID', `The fiscal signing key in ${file} cannot be read as a private key.`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (key.asymmetricKeyType !== 'rsa' || bits !== MODULUS_BITS) {
    throw new TillError('CONFIG_INVALID', `The fiscal signing key in ${file} must be RSA with ${MODULUS_BITS} bits (it is ${key.asymmetricKeyType ?? 'unknown'}, ${bits ?? '?'} bits).`);
  }
  return key;
}

function newKey(dataDir: string, db: WritableDb, sealer: SecretSealer, now: Date): { stored: StoredKey; key: KeyObject } {
  const version = Math.max(0, ...fiscalKeys(db).map((k) => k.version)) + 1;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: MODULUS_BITS, publicExponent: 0x10001 });
  const stored = { version, privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
  // The sealed file first: a crash before the database row leaves a key that the next start registers.
  writeSecretFile(keyFile(dataDir), JSON.stringify(stored), sealer);
  const pem = publicPem(privateKey);
  registerFiscalKey(db, { version, publicKeyPem: pem, fingerprint: publicKeyFingerprint(pem) }, now);
  return { stored, key: privateKey };
}

export function signerFor(key: KeyObject, keyVersion: number, timeZone: string): FiscalSigner {
  return { keyVersion, timeZone, sign: (text) => sign('sha1', Buffer.from(text, 'utf8'), key).toString('base64') };
}

/**
 * Loads the signing key at start-up (making the first one when the till has none) and attaches its signer to
 * the database, so every sale committed through it is signed.
 */
export function loadFiscalSigningKey(dataDir: string, db: WritableDb, sealer: SecretSealer, timeZone: string, now: Date): LoadedFiscalKey {
  const file = keyFile(dataDir);
  const stored = readStored(dataDir, sealer);
  let key: KeyObject;
  let version: number;
  let created = false;
  if (stored) {
    key = privateKeyOf(stored, file);
    version = stored.version;
    const newest = Math.max(0, ...fiscalKeys(db).map((k) => k.version));
    if (newest > version) {
      throw new TillError('CONFLICT', `The signing key in ${file} is version ${version}, but this till already signs with version ${newest}.`, {
        fix: 'Restore the newest signing key file, or make a new key version with till-agent saft new-key.',
      });
    }
    const pem = publicPem(key);
    registerFiscalKey(db, { version, publicKeyPem: pem, fingerprint: publicKeyFingerprint(pem) }, now);
  } else {
    const made = newKey(dataDir, db, sealer, now);
    key = made.key;
    version = made.stored.version;
    created = true;
  }
  attachFiscalSigner(db, signerFor(key, version, timeZone));
  const pem = publicPem(key);
  return { version, publicKeyPem: pem, fingerprint: publicKeyFingerprint(pem), created };
}

/** Replaces the signing key with a new version (a key that may have leaked, or a planned change). */
export function replaceFiscalSigningKey(dataDir: string, db: WritableDb, sealer: SecretSealer, timeZone: string, now: Date): LoadedFiscalKey {
  const made = newKey(dataDir, db, sealer, now);
  attachFiscalSigner(db, signerFor(made.key, made.stored.version, timeZone));
  const pem = publicPem(made.key);
  return { version: made.stored.version, publicKeyPem: pem, fingerprint: publicKeyFingerprint(pem), created: true };
}
