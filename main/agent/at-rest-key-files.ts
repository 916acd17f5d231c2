import path from 'node:path';
import { FIELD_KEY_FILE_NAME, type KeyFileIo, LOOKUP_KEY_FILE_NAME } from '../store/at-rest-keys';
import { readSecretFile, type SecretSealer, writeSecretFile } from './secret-store';

/**
 * The at-rest key files (`lookup-hash-key`, `sealed-field-key`, main/store/at-rest-keys.ts) kept like the till's
 * other secrets: 0600, and in the desktop app sealed with the OS key store, so a copied data directory alone
 * does not open them either.
 */
export function keyFilesOf(sealer: SecretSealer): KeyFileIo {
  return {
    read: (file) => readSecretFile(file, sealer)?.value,
    write: (file, value) => writeSecretFile(file, value, sealer),
  };
}

/**
 * Key files written in plain (by migration 0220 under an older shell, or by the CLI) are sealed once the OS key
 * store can protect them, as the API token is.
 */
export function sealKeyFiles(dataDir: string, sealer: SecretSealer): void {
  if (sealer.kind !== 'os-key-store') return;
  for (const name of [LOOKUP_KEY_FILE_NAME, FIELD_KEY_FILE_NAME]) {
    const file = path.join(dataDir, name);
    const stored = readSecretFile(file, sealer);
    if (stored && stored.sealedWith !== sealer.kind) writeSecretFile(file, stored.value, sealer);
  }
}
