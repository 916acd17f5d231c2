import fs from 'node:fs';
import path from 'node:path';

/**
 * The whole-run log scan: every log file the agents wrote during the test run is searched for the secrets and
 * tokens the tests seeded, and for anything shaped like an e-mail address or a phone number. Used by the
 * vitest global teardown (test/global-setup.ts); no vitest imports, so the teardown can load it.
 */
export type LogHit = { readonly file: string; readonly line: number; readonly what: string; readonly excerpt: string };

/** A log file: `*.log`, or any file in a `logs` directory (rotated files, pino's own names). */
export function findLogFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, inLogs: boolean): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, inLogs || e.name === 'logs');
      else if (e.isFile() && (inLogs || e.name.endsWith('.log'))) out.push(p);
    }
  };
  walk(root, false);
  return out.sort();
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g;
// International numbers (+47 998 87 766, +34-612-345-678), and Norwegian mobile numbers written the usual ways
// (998 87 766, 99 88 77 66). A bare run of eight digits is not matched: ids, amounts and ports look the same.
const PHONES = [/\+\d(?:[ -]?\d){6,14}(?!\d)/g, /(?<![\d.:-])[49]\d{2} \d{2} \d{3}(?![\d])/g, /(?<![\d.:-])[49]\d (?:\d{2} ){2}\d{2}(?!\d)/g];
// Shapes that hold long digit runs but are not personal data; blanked out before the patterns run.
const NOT_PERSONAL = [
  /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?/g, // ISO timestamps, with offsets
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, // UUIDs
  /\b[0-9a-f]{16,}\b/gi, // hashes, ids in hex
  /\b[A-Za-z0-9_-]{32,}\b/g, // base64url ids and hashes
  /\b\d+(?:\.\d+)?e[+-]\d+\b/gi, // numbers in exponent form (1e+21)
];

function blank(text: string): string {
  let out = text;
  for (const re of NOT_PERSONAL) out = out.replace(re, (m) => ' '.repeat(m.length));
  return out;
}

/** The hits in one text. `needles` are exact values that must never appear (seeded secrets, tokens, test phones). */
export function scanText(text: string, file: string, needles: readonly string[]): LogHit[] {
  const hits: LogHit[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const add = (what: string, at: number, length: number): void => {
      hits.push({ file, line: i + 1, what, excerpt: raw.slice(Math.max(0, at - 20), at + length + 20) });
    };
    for (const needle of needles) {
      const at = raw.indexOf(needle);
      if (at >= 0) add('seeded secret or test value', at, needle.length);
    }
    const line = blank(raw);
    for (const m of line.matchAll(EMAIL)) add('e-mail address', m.index, m[0].length);
    // The national patterns also match inside an international number: report each number once.
    const taken: [number, number][] = [];
    for (const re of PHONES) {
      for (const m of line.matchAll(re)) {
        const end = m.index + m[0].length;
        if (taken.some(([a, b]) => m.index < b && end > a)) continue;
        taken.push([m.index, end]);
        add('phone number', m.index, m[0].length);
      }
    }
  });
  return hits;
}

export function scanLogs(root: string, needles: readonly string[]): { files: string[]; hits: LogHit[] } {
  const files = findLogFiles(root);
  const hits = files.flatMap((f) => scanText(fs.readFileSync(f, 'utf8'), f, needles));
  return { files, hits };
}

// Values the test sources seed: secret-looking literals (with a digit, long enough not to be a field name),
// phone numbers (also their national form, as a careless log line would write them) and e-mail addresses.
const SOURCE_SECRET = /['"`]((?:sk|pk|rk)_[A-Za-z0-9_]{8,}|S3CRET-[A-Za-z0-9-]{6,}|[A-Za-z0-9_-]*(?:secret|apikey|api-key|token)[A-Za-z0-9_-]*)['"`]/gi;
const SOURCE_PHONE = /\+\d{10,13}\b/g;

/** The seeded values in the test sources (and the sandbox's seed data): secrets, phone numbers, e-mails. */
export function seededNeedles(sourceDirs: readonly string[]): string[] {
  const out = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|tsx|json)$/.test(e.name)) {
        const text = fs.readFileSync(p, 'utf8');
        for (const m of text.matchAll(SOURCE_SECRET)) {
          const value = m[1] as string;
          if (value.length >= 12 && /\d/.test(value)) out.add(value);
        }
        for (const m of text.matchAll(SOURCE_PHONE)) {
          out.add(m[0]);
          if (m[0].startsWith('+47')) out.add(m[0].slice(3));
        }
        for (const m of text.matchAll(EMAIL)) out.add(m[0]);
      }
    }
  };
  for (const d of sourceDirs) if (fs.existsSync(d)) walk(d);
  return [...out];
}

/** Secrets written to a data directory: the API token, the at-rest keys, and the back-end credentials of a config file. */
export function secretsInDataDir(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number): void => {
    if (depth > 3) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name !== 'logs') walk(p, depth + 1);
      else if (e.name === 'api-token' || e.name === 'kiosk-token' || e.name === 'lookup-hash-key' || e.name === 'sealed-field-key') {
        const token = fs.readFileSync(p, 'utf8').trim();
        if (token.length >= 16) out.push(token);
      } else if (e.name.endsWith('.config.json')) {
        try {
          const config = JSON.parse(fs.readFileSync(p, 'utf8')) as { dintero?: { clientSecret?: unknown }; loyalty?: { apiKey?: unknown } };
          for (const v of [config.dintero?.clientSecret, config.loyalty?.apiKey]) if (typeof v === 'string' && v.length >= 8) out.push(v);
        } catch {
          // A test's deliberately broken config: nothing to collect.
        }
      }
    }
  };
  walk(dir, 0);
  return out;
}

export function formatHits(hits: readonly LogHit[]): string {
  return hits.map((h) => `  ${h.file}:${h.line}: ${h.what}: …${h.excerpt}…`).join('\n');
}

/** Set by the global setup: every temp directory of the run lives under it (it is also TMPDIR). */
export const RUN_ROOT_ENV = 'TILL_TEST_RUN_ROOT';
/** Under the run root: the secrets the test data directories held, one a line. */
export const SEEN_SECRETS_FILE = 'seen-secrets.txt';

