import fs from 'node:fs';
import path from 'node:path';
import { TillError } from '../core/errors';

/**
 * Checks that the data directory can be written (or created) without creating anything: start-up must
 * leave the disk untouched when it is going to fail anyway.
 */
export function assertDataDirUsable(dir: string): void {
  let probe = path.resolve(dir);
  for (;;) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(probe);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw unusable(dir, err);
    }
    if (stat) {
      if (!stat.isDirectory()) {
        throw new TillError('DATA_DIR_UNWRITABLE', `The data directory ${dir} cannot be used: ${probe} is a file, not a directory.`, {
          fix: 'Choose another --data-dir or move the file away.',
        });
      }
      try {
        fs.accessSync(probe, fs.constants.W_OK | fs.constants.X_OK);
      } catch (err) {
        throw unusable(dir, err);
      }
      return;
    }
    const parent = path.dirname(probe);
    if (parent === probe) return;
    probe = parent;
  }
}

function unusable(dir: string, cause: unknown): TillError {
  return new TillError('DATA_DIR_UNWRITABLE', `The data directory ${dir} is not writable by this user (${(cause as NodeJS.ErrnoException).code ?? 'error'}).`, {
    cause,
    fix: 'Make it writable by the user that runs till-agent, or choose another with --data-dir.',
  });
}

export const DB_FILE_NAME = 'till.sqlite';
export const TOKEN_FILE_NAME = 'api-token';
/** The kiosk screen's token (docs/local-api.md): reaches only the kiosk's routes. */
export const KIOSK_TOKEN_FILE_NAME = 'kiosk-token';

export function dbPath(dataDir: string): string {
  return path.join(dataDir, DB_FILE_NAME);
}
