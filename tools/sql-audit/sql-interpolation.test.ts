import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyse, auditSource, auditTree, type AllowedSubstitution } from './sql-interpolation';

const REPO = path.join(import.meta.dirname, '..', '..');

/** How many times `name(` appears in main/ and native/ (the definition plus its calls). */
function fileTextCount(name: string): number {
  let n = 0;
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) n += (fs.readFileSync(p, 'utf8').match(new RegExp(`\\b${name}(?:<[^>]*>)?\\(`, 'g')) ?? []).length;
    }
  };
  for (const d of ['main', 'native']) walk(path.join(REPO, d));
  return n;
}

/**
 * The reviewed substitutions: SQL text that is built, but only from values the code fixes. PRAGMA statements
 * take no bound parameters, and identifiers (column names) cannot be bound either; each entry says why its
 * value cannot come from outside.
 */
const ALLOWED: readonly AllowedSubstitution[] = [
  {
    file: 'main/store/migrate.ts',
    expression: 'm.version',
    reason: 'PRAGMA user_version cannot be bound; the version is the integer of a migration in the compiled-in migration list',
  },
  {
    file: 'main/store/open-db.ts',
    expression: 'options.busyTimeoutMs ?? 5000',
    reason: 'PRAGMA busy_timeout cannot be bound; the value is a number option set by the agent code, never by a request or a file',
  },
  {
    file: 'main/store/wal-checkpoint.ts',
    expression: 'Math.max(0, Math.floor(bytes))',
    reason: 'PRAGMA journal_size_limit cannot be bound; Math.floor of a number option set by the agent code is always an integer',
  },
  {
    file: 'main/sandbox/loyalty/sales.ts',
    expression: 'column',
    reason: "a column name (identifiers cannot be bound): ctx.paymentAsset, typed 'credit' | 'points' and set by the sandbox's own options",
  },
];

describe('SQL interpolation audit', () => {
  it('finds interpolated and concatenated SQL in a planted example, naming the line', () => {
    const source = [
      "const COLUMNS = 'id, name';",
      'const SELECT = `SELECT ${COLUMNS} FROM t`;',
      'export function bad(db: Db, body: { name: string; id: string }) {',
      '  const { name, id } = body;',
      '  db.prepare(`SELECT * FROM t WHERE name = \'${name}\'`).get();',
      "  db.exec('DELETE FROM t WHERE id = ' + id);",
      '  const sql = `UPDATE t SET name = ${JSON.stringify(name)}`;',
      '  db.prepare(sql).run();',
      '  db.pragma(`table_info(${name})`);',
      '  db.prepare(makeSql()).run();',
      '}',
      'export function good(db: Db, phone: boolean) {',
      '  const column = phone ? \'phone_hash\' : \'email_hash\';',
      '  db.prepare(`${SELECT} WHERE ${column} = ?`).get(1);',
      "  db.prepare('SELECT 1 WHERE a = ' + '?').get(1);",
      "  db.pragma('journal_mode = WAL');",
      '  /^(\\d+)$/.exec(`${phone}`);',
      '}',
    ].join('\n');
    const found = auditSource('planted.ts', source);
    expect(found.map((f) => `${f.line}:${f.method}`)).toEqual(['5:prepare', '6:exec', '8:prepare', '9:pragma', '10:prepare']);
    expect(found[0]?.why).toMatch(/interpolates `name`/);
    expect(found[1]?.why).toMatch(/concatenates `id`/);
    expect(found[2]?.why).toMatch(/interpolates `JSON.stringify\(name\)`/);
  });

  it('audits the callers of a function that prepares its parameter, not the function', () => {
    const source = [
      'function cached(db: Db, sql: string) { return db.prepare(sql); }',
      "export function ok(db: Db) { return cached(db, 'SELECT 1 WHERE a = ?').get(1); }",
      'export function bad(db: Db, body: { table: string }) { return cached(db, `SELECT * FROM ${body.table}`).get(); }',
    ].join('\n');
    const wrappers = analyse('w.ts', source, [], new Map()).wrappers;
    expect(wrappers).toEqual(new Map([['cached', { index: 1, file: 'w.ts', exported: false }]]));
    const found = auditSource('w.ts', source, [], wrappers);
    // The same name elsewhere is another function: a local wrapper does not apply there.
    expect(auditSource('other.ts', source.split('\n').slice(1).join('\n'), [], wrappers)).toEqual([]);
    expect(found.map((f) => `${f.line}:${f.method}:${f.why}`)).toEqual(['3:cached:interpolates `body.table` (a value computed at run time)']);
  });

  it('an allowlist entry covers only its own file and expression', () => {
    const source = 'export function f(db: Db, m: { v: number }) { db.pragma(`user_version = ${m.v}`); }';
    expect(auditSource('a.ts', source, [{ file: 'a.ts', expression: 'm.v', reason: 'test' }])).toEqual([]);
    expect(auditSource('b.ts', source, [{ file: 'a.ts', expression: 'm.v', reason: 'test' }])).toHaveLength(1);
  });

  it('every SQL statement in main/ and native/ is parameterized (or a reviewed constant substitution)', () => {
    const { files, calls, wrappers, findings } = auditTree(REPO, ['main', 'native'], ALLOWED);
    expect(files).toBeGreaterThan(100);
    expect(calls).toBeGreaterThan(100);
    // The statement caches are audited at their call sites.
    expect([...wrappers.keys()]).toEqual(expect.arrayContaining(['prepared', 'stmt']));
    // A wrapper nobody in main/ calls would leave its SQL unaudited (its callers would be elsewhere).
    for (const name of wrappers.keys()) expect(fileTextCount(name), name).toBeGreaterThan(1);
    expect(findings.map((f) => `${f.file}:${f.line}: .${f.method}(…) ${f.why}: ${f.text}`)).toEqual([]);
    // Every allowlist entry is still needed: a stale one would silently allow a future bug.
    for (const entry of ALLOWED) {
      const without = ALLOWED.filter((a) => a !== entry);
      expect(auditTree(REPO, [path.dirname(entry.file)], without).findings.length, `${entry.file}: ${entry.expression}`).toBeGreaterThan(0);
    }
  });
});
