import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Agent, startAgent } from '../../../main/agent/start-agent';
import { runDoctor } from '../../../main/cli/commands/doctor';
import { loadConfig } from '../../../main/config';
import { backupDb, openDb } from '../../../main/store';
import { runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';

const mode = (p: string): number => fs.statSync(p).mode & 0o777;
const skip = process.platform === 'win32';

// Modes are checked under the usual umask 022 (files 0644, directories 0755 unless the code says otherwise).
let savedUmask = 0;
beforeEach(() => {
  savedUmask = process.umask(0o022);
});
let agent: Agent | undefined;
afterEach(async () => {
  await agent?.close();
  agent = undefined;
  process.umask(savedUmask);
});

describe.skipIf(skip)('the database and the data directory are the owner’s only', () => {
  it('a new database, its WAL and shared-memory files are 0600 whatever the umask', () => {
    const file = path.join(tempDir(), 'till.sqlite');
    const db = openDb(file);
    db.prepare("INSERT INTO agent_meta (key, value) VALUES ('k', 'v')").run();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f)).toBe(0o600);
    db.close();
  });

  it('a database an older agent left readable by everyone is made 0600 when opened, WAL and SHM too', () => {
    const file = path.join(tempDir(), 'till.sqlite');
    const first = openDb(file);
    first.prepare("INSERT INTO agent_meta (key, value) VALUES ('k', 'v')").run();
    for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.chmodSync(f, 0o644);
    const db = openDb(file);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(mode(f)).toBe(0o600);
    db.close();
    first.close();
  });

  it('a backup is 0600', async () => {
    const dir = tempDir();
    const db = openDb(path.join(dir, 'till.sqlite'));
    const target = path.join(dir, 'copy.sqlite');
    await backupDb(db, target);
    db.close();
    expect(mode(target)).toBe(0o600);
  });

  it('the agent makes its data directory 0700, and doctor warns about files others can read', async () => {
    const dataDir = tempDir();
    fs.chmodSync(dataDir, 0o755);
    const { config } = loadConfig({ dataDir, env: {} });
    agent = await startAgent({ config, port: 0, rendererDir: undefined });
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, 'till.sqlite'))).toBe(0o600);
    await agent.close();
    agent = undefined;

    const ok = (await runDoctor({ dataDir })).find((c) => c.name === 'file-modes');
    expect(ok).toMatchObject({ level: 'ok' });
    fs.chmodSync(path.join(dataDir, 'till.sqlite'), 0o644);
    const warn = (await runDoctor({ dataDir })).find((c) => c.name === 'file-modes');
    expect(warn?.level).toBe('warn');
    expect(warn?.detail).toContain(`${path.join(dataDir, 'till.sqlite')} (mode 644)`);
  });

  it('`till-agent backup` writes a 0600 copy', async () => {
    const dataDir = tempDir();
    openDb(path.join(dataDir, 'till.sqlite')).close();
    const target = path.join(tempDir(), 'backup.sqlite');
    const backup = await runCli(['backup', target, '--data-dir', dataDir]);
    expect(backup.code, backup.stderr).toBe(0);
    expect(mode(target)).toBe(0o600);
    // Without --keys-to the command says the copy holds no keys.
    expect(backup.stderr).toContain('--keys-to');
  });

  it('`till-agent backup --keys-to DIR` copies the key files a restore needs, 0600 in a 0700 directory, never over an existing key', async () => {
    const dataDir = tempDir();
    const { config } = loadConfig({ dataDir, env: {} });
    agent = await startAgent({ config, port: 0, rendererDir: undefined });
    await agent.close();
    agent = undefined;
    const names = ['lookup-hash-key', 'sealed-field-key', 'fiscal-signing-key'];
    for (const name of names) expect(fs.existsSync(path.join(dataDir, name)), name).toBe(true);
    const target = path.join(tempDir(), 'backup.sqlite');
    const keys = path.join(tempDir(), 'keys');
    const backup = await runCli(['backup', target, '--keys-to', keys, '--data-dir', dataDir]);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain('Copied 3 key file(s)');
    expect(mode(keys)).toBe(0o700);
    for (const name of names) {
      expect(fs.readFileSync(path.join(keys, name))).toEqual(fs.readFileSync(path.join(dataDir, name)));
      expect(mode(path.join(keys, name))).toBe(0o600);
    }
    // A second backup into the same key directory is refused before anything is overwritten.
    fs.writeFileSync(path.join(keys, 'lookup-hash-key'), 'older key');
    const again = await runCli(['backup', path.join(tempDir(), 'b2.sqlite'), '--keys-to', keys, '--data-dir', dataDir]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('already exists; no key file was copied');
    expect(fs.readFileSync(path.join(keys, 'lookup-hash-key'), 'utf8')).toBe('older key');
  });
});
