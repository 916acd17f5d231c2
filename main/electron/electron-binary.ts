import { createRequire } from 'node:module';

/**
 * Whether the Electron binary is installed. Under plain Node, requiring the `electron` package returns the
 * path of its binary, and throws when the download never happened (as on machines without internet access).
 */
export function electronBinary(): { present: true; path: string } | { present: false; reason: string } {
  const require = createRequire(__filename);
  try {
    const binary: unknown = require('electron');
    return typeof binary === 'string' ? { present: true, path: binary } : { present: false, reason: 'the electron package did not name a binary' };
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] ?? '' : String(err);
    return {
      present: false,
      reason: /Cannot find module/.test(message) ? 'the electron package is not installed' : 'the Electron binary was not downloaded (npm run electron:install fetches it)',
    };
  }
}
