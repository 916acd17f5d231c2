import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { TillError } from '../core/errors';
import { KIOSK_TOKEN_FILE_NAME, TOKEN_FILE_NAME } from './data-dir';
import { ownerOnlyFile, readSecretFile, type SecretSealer, writeSecretFile } from './secret-store';

/**
 * The per-install token of the local API: 32 random bytes, kept in the data directory readable by the agent's
 * user only (and, in the desktop app, encrypted with the OS key store), the same across restarts so a kiosk
 * launcher's bookmarked URL keeps working. The kiosk token (issue 19, finding 8) is made and kept the same way
 * in its own file; it reaches only the kiosk screen's routes (main/api/route-access.ts).
 */
export type StoredToken = { readonly token: string; readonly sealedWith: SecretSealer['kind'] };

export type TokenKind = 'api' | 'kiosk';

const FILE_NAMES: Readonly<Record<TokenKind, string>> = { api: TOKEN_FILE_NAME, kiosk: KIOSK_TOKEN_FILE_NAME };

export function readToken(dataDir: string, sealer: SecretSealer = ownerOnlyFile, kind: TokenKind = 'api'): StoredToken | undefined {
  let stored;
  try {
    stored = readSecretFile(path.join(dataDir, FILE_NAMES[kind]), sealer);
  } catch (err) {
    // A token this process cannot open (sealed by the desktop app, or by another user) is replaced: the screens
    // get the new one in the URL the agent prints, and nothing else depends on it.
    if (err instanceof TillError && err.code === 'CONFIG_UNREADABLE') return undefined;
    throw err;
  }
  return stored && /^[A-Za-z0-9_-]{32,}$/.test(stored.value) ? { token: stored.value, sealedWith: stored.sealedWith } : undefined;
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function writeToken(dataDir: string, token: string, sealer: SecretSealer = ownerOnlyFile, kind: TokenKind = 'api'): void {
  writeSecretFile(path.join(dataDir, FILE_NAMES[kind]), token, sealer);
}
