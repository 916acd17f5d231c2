import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { describe, expect, it } from 'vitest';
import { CLI, cleanEnv, runCli } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';

type SandboxReady = { event: string; dintero: string; loyalty: string; accountId: string; clientId: string; clientSecret: string; apiKey: string };

describe('till-agent sandbox', () => {
  it('prints one ready line with both URLs and its own test credentials, and answers with them', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, [CLI, 'sandbox', '--port', '0', '--data-dir', dir], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
      });
      const ready = JSON.parse(line) as SandboxReady;
      expect(ready.event).toBe('ready');
      expect(ready.dintero).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(ready.loyalty).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/$/);
      expect(ready.accountId).toMatch(/^T\d{8}$/);
      const token = await fetch(`${ready.dintero}/v1/accounts/${ready.accountId}/auth/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${ready.clientId}:${ready.clientSecret}`).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credentials', audience: `https://api.dintero.com/v1/accounts/${ready.accountId}` }),
      });
      expect(token.status).toBe(200);
      expect(fs.existsSync(path.join(dir, 'sandbox.sqlite'))).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses a bad fault file with the path of the bad field', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'faults.json');
    fs.writeFileSync(file, JSON.stringify({ routes: 42 }));
    const r = await runCli(['sandbox', '--data-dir', dir, '--faults', file]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/faults\.json: Invalid fault configuration/);
  });
});
