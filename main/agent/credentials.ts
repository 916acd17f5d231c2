import fs from 'node:fs';
import path from 'node:path';
import { SECRET_FIELDS, type SecretField } from '../config';
import { TillError } from '../core/errors';
import { readSecretFile, type SecretSealer, writeSecretFile } from './secret-store';

/**
 * The back-end credentials kept out of the config file: `<data-dir>/credentials`, a JSON object from secret
 * field (`dintero.clientSecret`, `loyalty.apiKey`) to value, sealed like every secret file. The desktop app
 * moves the secrets of a hand-written config file here, encrypted with the OS key store.
 */
export const CREDENTIALS_FILE_NAME = 'credentials';
export type Credentials = Partial<Record<SecretField, string>>;

export function readCredentials(dataDir: string, sealer: SecretSealer): Credentials {
  const file = path.join(dataDir, CREDENTIALS_FILE_NAME);
  const stored = readSecretFile(file, sealer);
  if (!stored) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored.value);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TillError('CONFIG_INVALID', `The credentials file ${file} is damaged.`, { fix: 'Delete it and put the back-end secrets in the config file again.' });
  }
  const out: Credentials = {};
  for (const field of SECRET_FIELDS) {
    const v = (parsed as Record<string, unknown>)[field];
    if (typeof v === 'string' && v.length > 0) out[field] = v;
  }
  return out;
}

/**
 * Moves the back-end secrets of a config file into the sealed credentials file, then rewrites the config file
 * without them. Only with the OS key store: with the file sealer both files are equally protected (0600), and
 * moving would only scatter the secrets. The credentials are written first, so a crash between the two writes
 * leaves the secret in both places, never in neither. Returns the fields moved.
 */
export function moveSecretsOutOfConfig(configFile: string, dataDir: string, sealer: SecretSealer): SecretField[] {
  if (sealer.kind !== 'os-key-store') return [];
  const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  const found: Credentials = {};
  for (const field of SECRET_FIELDS) {
    const [section, key] = field.split('.') as [string, string];
    const value = (config[section] as Record<string, unknown> | undefined)?.[key];
    if (typeof value === 'string' && value.length > 0) found[field] = value;
  }
  const moved = Object.keys(found) as SecretField[];
  if (moved.length === 0) return [];
  writeSecretFile(path.join(dataDir, CREDENTIALS_FILE_NAME), JSON.stringify({ ...readCredentials(dataDir, sealer), ...found }), sealer);
  for (const field of moved) {
    const [section, key] = field.split('.') as [string, string];
    delete (config[section] as Record<string, unknown>)[key];
  }
  const mode = fs.statSync(configFile).mode & 0o777;
  const tmp = `${configFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: mode & 0o600 });
  fs.renameSync(tmp, configFile);
  return moved;
}
