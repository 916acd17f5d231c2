import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TillError } from '../core/errors';

/**
 * How the agent keeps its secrets at rest (the API token, and the back-end credentials once moved out of the
 * config file). Every secret file is written readable by the agent's user only (0600, in a 0700 data
 * directory). In the Electron shell the value inside is also encrypted with the operating system's key store
 * (`safeStorage`: Keychain, DPAPI, libsecret/kwallet), so a copied data directory alone does not give it away;
 * under plain Node there is no key store, and the file permission is the protection.
 */
export type SecretSealer = {
  readonly kind: 'os-key-store' | 'owner-only-file';
  seal(plain: string): string;
  open(stored: string): string;
};

/** The part of Electron's `safeStorage` the agent uses (the shell passes the real one; tests a fake). */
export type SafeStorageLike = {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
};

const SEALED_PREFIX = 'safeStorage:v1:';

/** Plain text in a file only the agent's user can read. */
export const ownerOnlyFile: SecretSealer = {
  kind: 'owner-only-file',
  seal: (plain) => plain,
  open: (stored) => stored,
};

/**
 * The OS key store through Electron's safeStorage, or undefined when it cannot encrypt (Linux without a
 * secret service, where Electron would fall back to a hard-coded key: no better than the file permission).
 */
export function osKeyStore(safeStorage: SafeStorageLike): SecretSealer | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  return {
    kind: 'os-key-store',
    seal: (plain) => `${SEALED_PREFIX}${safeStorage.encryptString(plain).toString('base64')}`,
    open: (stored) => safeStorage.decryptString(Buffer.from(stored.slice(SEALED_PREFIX.length), 'base64')),
  };
}

export type ReadSecret = { readonly value: string; readonly sealedWith: SecretSealer['kind'] };

/** The secret in `file`, or undefined when there is none. A sealed file needs the key store that sealed it. */
export function readSecretFile(file: string, sealer: SecretSealer): ReadSecret | undefined {
  let stored: string;
  try {
    stored = fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new TillError('DATA_DIR_UNWRITABLE', `Cannot read the secret file ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, {
      fix: 'Run till-agent as the user that owns the data directory.',
    });
  }
  if (stored.length === 0) return undefined;
  if (!stored.startsWith(SEALED_PREFIX)) return { value: stored, sealedWith: 'owner-only-file' };
  if (sealer.kind !== 'os-key-store') {
    throw new TillError('CONFIG_UNREADABLE', `The secret in ${file} is encrypted with the desktop app's OS key store, which plain Node cannot open.`, {
      fix: 'Start the till with the desktop app, or delete that file and enter the secret again (a deleted API token is simply replaced).',
    });
  }
  try {
    return { value: sealer.open(stored), sealedWith: 'os-key-store' };
  } catch {
    throw new TillError('CONFIG_UNREADABLE', `The secret in ${file} cannot be decrypted by this user's OS key store (another user or machine sealed it).`, {
      fix: 'Delete that file and enter the secret again (a deleted API token is simply replaced).',
    });
  }
}

/**
 * Writes the secret sealed, readable by the agent's user only. Written to a new 0600 file and renamed over
 * the old one, so there is never a moment with the secret in a file others can read (even if the old file's
 * mode was wider), and a crash leaves either the old or the new secret, never half of one.
 */
export function writeSecretFile(file: string, value: string, sealer: SecretSealer): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(tmp, `${sealer.seal(value)}\n`, { mode: 0o600, flag: 'wx' });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
