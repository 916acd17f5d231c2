import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { screenLinks } from '../../../main/cli/commands/serve';
import { runCli, startServe } from '../../helpers/cli';
import { snapshotTree, tempDir } from '../../helpers/temp-dir';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

describe('till-agent serve', () => {
  it('prints one ready line with URL and token, then serves the status and the screen', async () => {
    const dir = tempDir();
    const { child, ready } = await startServe(['--data-dir', dir, '--port', '0'], { TILL_BRANCH_ID: 'bergen-2' });
    children.push(child);
    expect(ready.event).toBe('ready');
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(ready.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const status = (await (await fetch(`${ready.url}api/status`, { headers: { authorization: `Bearer ${ready.token}` } })).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ branchId: 'bergen-2', posId: 'till-1', version: '0.1.0', demo: true });
    const page = await fetch(ready.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    expect(fs.statSync(path.join(dir, 'api-token')).mode & 0o777).toBe(0o600);
    // The kiosk screen's token (docs/local-api.md): its own 0600 file, reaching the kiosk's routes only.
    expect(ready.kioskToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(ready.kioskToken).not.toBe(ready.token);
    expect(fs.readFileSync(path.join(dir, 'kiosk-token'), 'utf8').trim()).toBe(ready.kioskToken);
    expect(fs.statSync(path.join(dir, 'kiosk-token')).mode & 0o777).toBe(0o600);
    expect((await fetch(`${ready.url}api/status`, { headers: { authorization: `Bearer ${ready.kioskToken}` } })).status).toBe(200);
    expect((await fetch(`${ready.url}api/shift`, { headers: { authorization: `Bearer ${ready.kioskToken}` } })).status).toBe(403);
    expect(fs.readdirSync(path.join(dir, 'logs')).length).toBeGreaterThan(0);
  });

  it('links a kiosk till\'s customer screen with the kiosk token, and only the attendant view with the API token', () => {
    const agent = { url: 'http://127.0.0.1:7420/', token: 'T'.repeat(43), kioskToken: 'K'.repeat(43) };
    const [kiosk, attendant] = screenLinks('kiosk', agent).trim().split('\n');
    expect(kiosk).toBe(`Kiosk screen (customers): http://127.0.0.1:7420/?token=${agent.kioskToken}`);
    expect(attendant).toBe(`Attendant view (staff): http://127.0.0.1:7420/?token=${agent.token}#/attendant`);
    expect(screenLinks('cashier', agent)).toBe(`Cashier screen: http://127.0.0.1:7420/?token=${agent.token}\n`);
  });

  it('keeps the same token across restarts', async () => {
    const dir = tempDir();
    const first = await startServe(['--data-dir', dir, '--port', '0']);
    first.child.kill('SIGKILL');
    const second = await startServe(['--data-dir', dir, '--port', '0']);
    children.push(second.child);
    expect(second.ready.token).toBe(first.ready.token);
    expect(second.ready.kioskToken).toBe(first.ready.kioskToken);
  });
});

describe('bad input stops start-up with a clear message and changes nothing on disk', () => {
  async function expectRefusal(dir: string, args: string[], pattern: RegExp): Promise<void> {
    const before = snapshotTree(dir);
    const result = await runCli(['serve', '--data-dir', dir, '--port', '0', ...args]);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(pattern);
    expect(snapshotTree(dir)).toEqual(before);
  }

  it('a bad config field', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'till-agent.config.json'), JSON.stringify({ currency: 'kr', loyalty: { apiKey: 'secret-key-abcdef' } }));
    await expectRefusal(dir, [], /currency: must be an ISO 4217 code/);
    const result = await runCli(['serve', '--data-dir', dir, '--port', '0']);
    expect(result.stderr).not.toContain('secret-key-abcdef');
  });

  it('a missing --config file', async () => {
    const dir = tempDir();
    await expectRefusal(dir, ['--config', path.join(dir, 'missing.json')], /missing\.json: it does not exist/);
  });

  it('a data directory that is a file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'not-a-dir');
    fs.writeFileSync(file, 'x');
    const before = snapshotTree(dir);
    const result = await runCli(['serve', '--data-dir', path.join(file, 'data'), '--port', '0']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/is a file, not a directory/);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('a database from a newer version', async () => {
    const dir = tempDir();
    const db = new Database(path.join(dir, 'till.sqlite'));
    db.pragma('user_version = 99990');
    db.close();
    await expectRefusal(dir, [], /newer till-agent/);
  });

  it('a corrupt database file', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'till.sqlite'), 'this is not a database, just text that got here somehow'.repeat(200));
    await expectRefusal(dir, [], /damaged or is not a till-agent database/);
  });

  it('a port already in use', async () => {
    const dir = tempDir();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const before = snapshotTree(dir);
      const result = await runCli(['serve', '--data-dir', dir, '--port', String(port)]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(new RegExp(`Port ${port} .* already in use.*--port 0`, 's'));
      expect(snapshotTree(dir)).toEqual(before);
    } finally {
      blocker.close();
    }
  });
});

describe('other commands', () => {
  it('--version and --help for every command', async () => {
    expect((await runCli(['--version'])).stdout.trim()).toBe('0.1.0');
    const help = await runCli(['--help']);
    for (const cmd of ['serve', 'doctor', 'backup']) {
      expect(help.stdout).toContain(cmd);
      const sub = await runCli([cmd, '--help']);
      expect(sub.code).toBe(0);
      expect(sub.stdout).toContain('--data-dir');
      expect(sub.stdout).toContain('--config');
    }
  });

  it('doctor reports Node, SQLite, config, data directory, Electron and libusb', async () => {
    const dir = tempDir();
    const result = await runCli(['doctor', '--json', '--data-dir', dir]);
    expect(result.code).toBe(0);
    const { checks } = JSON.parse(result.stdout) as { checks: { name: string; level: string; detail: string }[] };
    const names = checks.map((c) => c.name);
    for (const n of ['node', 'sqlite', 'config', 'data-dir', 'database', 'electron', 'libusb', 'serial-ports']) expect(names).toContain(n);
    expect(checks.find((c) => c.name === 'sqlite')?.detail).toMatch(/^SQLite 3\.\d+/);
    const withSecret = path.join(dir, 'till-agent.config.json');
    fs.writeFileSync(withSecret, JSON.stringify({ loyalty: { apiKey: 'k-0123456789' } }), { mode: 0o644 });
    fs.chmodSync(withSecret, 0o644);
    const open = JSON.parse((await runCli(['doctor', '--json', '--data-dir', dir])).stdout) as { checks: { name: string; level: string; detail: string }[] };
    expect(open.checks.find((c) => c.name === 'secrets')).toMatchObject({ level: 'warn', detail: expect.stringMatching(/chmod 600/) });
    fs.chmodSync(withSecret, 0o600);
    const closed = JSON.parse((await runCli(['doctor', '--json', '--data-dir', dir])).stdout) as { checks: { name: string; level: string }[] };
    expect(closed.checks.find((c) => c.name === 'secrets')?.level).toBe('ok');
    // The API token is a secret too.
    fs.writeFileSync(path.join(dir, 'api-token'), `${'t'.repeat(43)}\n`, { mode: 0o644 });
    fs.chmodSync(path.join(dir, 'api-token'), 0o644);
    const token = JSON.parse((await runCli(['doctor', '--json', '--data-dir', dir])).stdout) as { checks: { name: string; level: string; detail: string }[] };
    expect(token.checks.find((c) => c.name === 'secrets')).toMatchObject({ level: 'warn', detail: expect.stringMatching(/api-token \(mode 644\)/) });
    expect(token.checks.find((c) => c.name === 'secrets')?.detail).not.toContain('till-agent.config.json (mode');
    fs.writeFileSync(path.join(dir, 'till-agent.config.json'), '{"mode": "drive-through"}');
    const bad = await runCli(['doctor', '--data-dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL\s+config[\s\S]*- mode: Invalid option/);
  });

  it('backup copies a running till\'s database and refuses to overwrite', async () => {
    const dir = tempDir();
    const { child } = await startServe(['--data-dir', dir, '--port', '0']);
    children.push(child);
    const target = path.join(tempDir(), 'copy.sqlite');
    const first = await runCli(['backup', target, '--data-dir', dir]);
    expect(first.code).toBe(0);
    const copy = new Database(target, { readonly: true });
    expect(copy.pragma('quick_check', { simple: true })).toBe('ok');
    expect((copy.prepare("SELECT value FROM agent_meta WHERE key = 'first_started_at'").get() as { value: string }).value).toMatch(/^\d{4}-/);
    copy.close();
    const again = await runCli(['backup', target, '--data-dir', dir]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already exists/);
  });
});
