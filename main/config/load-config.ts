import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { TillError } from '../core/errors';
import { overlayEnv } from './env';
import { CONFIG_FILE_NAME, defaultDataDir } from './paths';
import { type Config, ConfigSchema, SECRET_FIELDS, type SecretField } from './schema';

export type ConfigSource = {
  /** `--config FILE`: must exist. */
  readonly configFile?: string | undefined;
  /** `--data-dir DIR`: wins over the file's and the environment's dataDir. */
  readonly dataDir?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Back-end secrets kept outside the config file (the desktop app moves them into a file sealed with the OS
   * key store), read for the data directory the config resolves to. They fill only fields the file and the
   * environment leave empty, and only in sections the file configures.
   */
  readonly storedSecrets?: (dataDir: string) => Readonly<Partial<Record<SecretField, string>>>;
};

export type LoadedConfig = {
  readonly config: Config;
  /** The file it came from, or undefined when no file exists and the defaults (demo) apply. */
  readonly file: string | undefined;
};

/**
 * Reads, overlays and validates the configuration without touching the disk beyond reading. Errors name every
 * bad field and why; no value of the input is echoed, so a secret in a wrong place cannot leak into a message.
 */
export function loadConfig(source: ConfigSource = {}): LoadedConfig {
  const env = source.env ?? process.env;
  const dirHint = source.dataDir ?? env.TILL_DATA_DIR ?? defaultDataDir(env);
  const explicit = source.configFile !== undefined;
  const file = path.resolve(source.configFile ?? path.join(dirHint, CONFIG_FILE_NAME));

  let raw: Record<string, unknown> = {};
  let found = false;
  try {
    const text = fs.readFileSync(file, 'utf8');
    found = true;
    raw = parseJsonObject(text, file);
  } catch (err) {
    if (err instanceof TillError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if ((code === 'ENOENT' || code === 'ENOTDIR') && !explicit) {
      raw = { demo: true };
    } else {
      throw new TillError(
        'CONFIG_UNREADABLE',
        `Cannot read the config file ${file}: ${code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' ? 'permission denied' : String(code ?? err)}.`,
        { cause: err, fix: explicit ? 'Check the path given to --config.' : 'Fix the file permissions or remove the file.' },
      );
    }
  }

  const merged = overlayEnv(raw, env);
  if (source.dataDir !== undefined) merged.dataDir = source.dataDir;
  if (source.storedSecrets) fillStoredSecrets(merged, source.storedSecrets(path.resolve(typeof merged.dataDir === 'string' ? merged.dataDir : dirHint)));
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    throw new TillError('CONFIG_INVALID', describeIssues(parsed.error, found ? file : 'the environment'), {
      fix: `Correct the field(s) named above in ${found ? file : 'the TILL_* environment variables'} and start again.`,
    });
  }
  const config = { ...parsed.data, dataDir: path.resolve(parsed.data.dataDir ?? dirHint) };
  return { config, file: found ? file : undefined };
}

function fillStoredSecrets(merged: Record<string, unknown>, stored: Readonly<Partial<Record<SecretField, string>>>): void {
  for (const field of SECRET_FIELDS) {
    const [section, key] = field.split('.') as [string, string];
    const parent = merged[section];
    const value = stored[field];
    if (value === undefined || typeof parent !== 'object' || parent === null || Array.isArray(parent)) continue;
    if ((parent as Record<string, unknown>)[key] === undefined) (parent as Record<string, unknown>)[key] = value;
  }
}

function parseJsonObject(text: string, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // V8's message quotes the text around the error (which may be a secret written without its quotes), so
    // neither the message nor the parser's error as `cause` goes along: only the line number does.
    throw new TillError('CONFIG_INVALID', `The config file ${file} is not valid JSON (line ${firstBadLine(text)}).`, {
      fix: 'Fix the JSON syntax (a missing value, comma or quote), or move the file away to start with the demo defaults.',
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TillError('CONFIG_INVALID', `The config file ${file} must hold a JSON object ({ ... }).`);
  }
  return value as Record<string, unknown>;
}

/** The first line at which the text stops being a valid JSON prefix. Config files are small; quadratic is fine. */
function firstBadLine(text: string): number {
  const lines = text.split('\n');
  for (let k = 1; k <= lines.length; k++) {
    const prefix = lines.slice(0, k).join('\n');
    try {
      JSON.parse(prefix);
    } catch (err) {
      // An error at the very end of the prefix only means "not finished yet"; anywhere else it is the mistake.
      const message = (err as Error).message;
      const at = /position (\d+)/.exec(message);
      const atEnd = /end of JSON input/i.test(message) || (at !== null && Number(at[1]) >= prefix.trimEnd().length);
      if (!atEnd) return k;
    }
  }
  return lines.length;
}

function describeIssues(error: z.ZodError, where: string): string {
  const lines = error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    let why = issue.message;
    if (issue.code === 'unrecognized_keys') why = `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) why = 'is required';
    return `  - ${field}: ${why}`;
  });
  return `The configuration in ${where} is invalid:\n${lines.join('\n')}`;
}
