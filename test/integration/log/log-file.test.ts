import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, Redactor } from '../../../main/log';
import { tempDir } from '../../helpers/temp-dir';

describe('log file', () => {
  it('never receives a seeded secret or phone number, however it is logged', async () => {
    const dir = tempDir();
    const secret = 'sk_seeded_secret_0123456789';
    const phone = '+47 912 34 567';
    const redactor = new Redactor();
    redactor.registerSecret(secret);
    const log = await createLogger({ dataDir: dir, level: 'debug', redactor, pretty: false });
    log.logger.info({ clientSecret: secret, customer: { phone } }, 'token refreshed');
    log.logger.warn(`server said: member ${phone} not found (key ${secret})`);
    log.logger.error({ err: new Error(`rejected ${phone}`) }, 'request failed');
    log.logger.info({ note: `nested ${secret}` }, 'done');
    await log.flush();
    const files = fs.readdirSync(path.join(dir, 'logs'));
    expect(files.length).toBeGreaterThan(0);
    const text = files.map((f) => fs.readFileSync(path.join(dir, 'logs', f), 'utf8')).join('');
    expect(text.split('\n').filter(Boolean)).toHaveLength(4);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('912 34 567');
    expect(text).toContain('token refreshed');
    expect(text).toContain('[redacted]');
  });
});

describe('log rotation', () => {
  it('rotates by size, keeps the newest files and loses no line', async () => {
    const dir = tempDir();
    const log = await createLogger({ dataDir: dir, level: 'info', redactor: new Redactor(), pretty: false, maxFileBytes: 2000, keepFiles: 3 });
    for (let i = 0; i < 100; i++) log.logger.info({ i }, 'sale committed');
    await log.close();
    const files = fs.readdirSync(path.join(dir, 'logs')).sort();
    expect(files).toEqual(['till-agent.1.log', 'till-agent.2.log', 'till-agent.3.log', 'till-agent.log']);
    for (const f of files) expect(fs.statSync(path.join(dir, 'logs', f)).size).toBeLessThanOrEqual(2000);
    // Newest numbers are in the current file, and the kept files hold a contiguous run ending at 99.
    const order = ['till-agent.3.log', 'till-agent.2.log', 'till-agent.1.log', 'till-agent.log'];
    const seen = order.flatMap((f) =>
      fs
        .readFileSync(path.join(dir, 'logs', f), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as { i: number }).i),
    );
    expect(seen.at(-1)).toBe(99);
    seen.forEach((n, k) => k > 0 && expect(n).toBe((seen[k - 1] ?? 0) + 1));
  });
});
