import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TOKEN_FILE_NAME } from './data-dir';

/**
 * The per-install token of the local API: 32 random bytes, kept in the data directory readable by the agent's
 * user only, and the same across restarts so a kiosk launcher's bookmarked URL keeps working.
 */
export function readToken(dataDir: string): string | undefined {
  try {
    const value = fs.readFileSync(path.join(dataDir, TOKEN_FILE_NAME), 'utf8').trim();
    return /^[A-Za-z0-9_-]{32,}$/.test(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function writeToken(dataDir: string, token: string): void {
  const file = path.join(dataDir, TOKEN_FILE_NAME);
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}
