import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ManagerSaveSettings } from '../api/contract';
import { CONFIG_FILE_NAME, type Config, ConfigSchema, ENV_VARS, parsePrinterAddress, parseScannerAddress } from '../config';
import { PrinterConfigSchema, ScannerConfigSchema } from '../config/schema';
import { TillError } from '../core/errors';

export type SettingsField = 'locale' | 'printer' | 'scanner';
export type SettingsChange = Partial<Record<SettingsField, string>>;

/** Where each editable setting lives in the config file. */
const FIELD_PATH: Record<SettingsField, readonly string[]> = {
  locale: ['locale'],
  printer: ['devices', 'printer'],
  scanner: ['devices', 'scanner'],
};
const FIELDS = Object.keys(FIELD_PATH) as SettingsField[];

const startsWith = (p: readonly PropertyKey[], prefix: readonly string[]): boolean => prefix.every((key, i) => p[i] === key);

/** The file a till's settings are saved to: its own config file, or the default one in its data directory. */
export function settingsFile(config: Config, configFile: string | undefined): string {
  return configFile ?? path.join(config.dataDir, CONFIG_FILE_NAME);
}

/** The `TILL_*` variables set in `env` that override an editable setting: the environment wins over the file. */
export function environmentWins(env: NodeJS.ProcessEnv, fields: readonly SettingsField[] = FIELDS): { field: SettingsField; variable: string }[] {
  const out: { field: SettingsField; variable: string }[] = [];
  for (const field of fields) {
    for (const v of ENV_VARS) {
      if (env[v.name] !== undefined && (startsWith(v.path, FIELD_PATH[field]) || startsWith(FIELD_PATH[field], v.path))) out.push({ field, variable: v.name });
    }
  }
  return out;
}

/**
 * Saves the manager's change into the till's config file: merged into the file's own JSON (every other field,
 * unknown ones and secrets included, keeps its value), checked with the real config schema, then written
 * atomically with mode 0600. The running agent keeps its settings: the answer says a restart applies them.
 * Nothing of the file's content is logged or echoed, only field names.
 */
export function saveSettings(opts: { config: Config; configFile: string | undefined; env: NodeJS.ProcessEnv; change: SettingsChange }): ManagerSaveSettings {
  const { config, change } = opts;
  if (config.demo) {
    throw new TillError('FORBIDDEN', 'This is the demo till: its settings come from the demo config and are not saved from this screen.', {
      fix: 'Give the till its own config file (<data-dir>/till-agent.config.json or --config) without "demo": true, then change the settings here.',
    });
  }
  const changed = FIELDS.filter((f) => change[f] !== undefined);
  if (changed.length === 0) throw new TillError('SCHEMA_INVALID', 'Nothing to save: give at least one of locale, printer or scanner.');
  const file = settingsFile(config, opts.configFile);
  const raw = readConfigJson(file);

  if (change.locale !== undefined) raw.locale = change.locale;
  if (change.printer !== undefined || change.scanner !== undefined) {
    const devices = isObject(raw.devices) ? raw.devices : {};
    if (change.printer !== undefined) devices.printer = printerFrom(change.printer, config);
    if (change.scanner !== undefined) devices.scanner = scannerFrom(change.scanner, config);
    raw.devices = devices;
  }

  // Only the changed fields are judged: other parts of the file may rely on the environment or on secrets kept
  // in the sealed credentials file, and they were valid when the agent started.
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.filter((issue) => changed.some((f) => startsWith(issue.path, FIELD_PATH[f])));
    if (issues.length > 0) {
      const lines = issues.map((issue) => `${fieldOf(issue.path)}: ${issue.message}`);
      throw new TillError('SCHEMA_INVALID', `Not saved: ${lines.join('; ')}.`, { fix: 'Correct the field named and save again; the config file is unchanged.' });
    }
  }

  writeFileAtomic(file, `${JSON.stringify(raw, null, 2)}\n`);
  const wins = environmentWins(opts.env, changed);
  const envNote = wins.map((w) => ` ${w.variable} is set and overrides ${w.field}: the environment wins over the file.`).join('');
  return {
    configFile: file,
    changed,
    restartRequired: true,
    environmentWins: wins,
    message: `Saved ${changed.join(', ')} to ${file}. Restart the till agent to use the new settings.${envNote}`,
  };
}

function fieldOf(issuePath: readonly PropertyKey[]): string {
  return FIELDS.find((f) => startsWith(issuePath, FIELD_PATH[f])) ?? issuePath.map(String).join('.');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The printer as the schema stores it; a serial printer keeps its configured baud rate, else the schema's default. */
function printerFrom(text: string, config: Config): unknown {
  if (text === 'none') return { kind: 'none' };
  const current = config.devices.printer;
  const baud = current.kind === 'serial' ? current.baudRate : defaultPrinterBaud();
  return parsePrinterAddress(text, baud, 'printer');
}

function defaultPrinterBaud(): number {
  const p = PrinterConfigSchema.parse({ kind: 'serial', path: 'schema-default' });
  if (p.kind !== 'serial') throw new TillError('INTERNAL', 'The printer schema changed kind while parsing.');
  return p.baudRate;
}

/** A serial scanner keeps its configured baud rate and terminator, else gets the schema's defaults. */
function scannerFrom(text: string, config: Config): unknown {
  const parsed = parseScannerAddress(text, 'scanner');
  if (parsed.kind === 'none') return parsed;
  const current = config.devices.scanner;
  if (current.kind === 'serial') return { ...parsed, baudRate: current.baudRate, terminator: current.terminator };
  return ScannerConfigSchema.parse(parsed);
}

function readConfigJson(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new TillError('CONFIG_UNREADABLE', `Cannot read the config file ${file}: ${String((err as NodeJS.ErrnoException).code ?? err)}.`, { cause: err });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // No cause and no excerpt: the parser's message quotes the text, which may hold a secret.
    throw new TillError('CONFIG_INVALID', `The config file ${file} is not valid JSON; nothing was saved.`, { fix: 'Fix the file by hand first.' });
  }
  if (!isObject(value)) throw new TillError('CONFIG_INVALID', `The config file ${file} must hold a JSON object; nothing was saved.`);
  return value;
}

/**
 * A new 0600 file in the same directory, flushed to disk, then renamed over the old one: a crash leaves the old
 * file or the new one, never half of either, and the secrets in it are never readable by others.
 */
export function writeFileAtomic(file: string, text: string): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'wx', 0o600);
    try {
      fs.writeFileSync(fd, text);
      fs.fchmodSync(fd, 0o600);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  syncDir(dir);
}

/** Makes the rename itself durable; not every platform can open a directory (Windows), which is fine to skip. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // best effort
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
