import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { findLogFiles, scanLogs, scanText, secretsInDataDir, seededNeedles } from '../../helpers/log-scan';

// Not plantDir(): its files are kept for the whole-run scan, which would then rightly fail on these plants.
const planted: string[] = [];
function plantDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-log-scan-'));
  planted.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of planted.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const what = (text: string, needles: string[] = []): string[] => scanText(text, 'f.log', needles).map((h) => `${h.line}:${h.what}`);

describe('the whole-run log scanner', () => {
  it('catches a planted e-mail, phone number and seeded secret, naming the line', () => {
    const text = ['{"msg":"started"}', '{"msg":"member kari.nordmann@example.com"}', '{"msg":"sms to +47 998 87 766"}', '{"msg":"call 412 34 567 or 99 88 77 66"}', '{"msg":"x","key":"sk_seeded_secret_0123456789"}', '{"msg":"+34-612-345-678"}'].join('\n');
    expect(what(text, ['sk_seeded_secret_0123456789'])).toEqual(['2:e-mail address', '3:phone number', '4:phone number', '4:phone number', '5:seeded secret or test value', '6:phone number']);
  });

  it('does not take ids, hashes, timestamps, amounts or ports for phone numbers', () => {
    const clean = [
      '{"level":30,"time":1764583200123,"pid":41234567,"hostname":"till-3","msg":"till-agent started"}',
      '{"at":"2026-03-02T10:00:00.000+01:00","receiptId":"pos-3-20260302-000017","amount":49990000}',
      '{"hash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","id":"3f2b8a4e-9c1d-4e5f-8a7b-6c5d4e3f2a1b"}',
      '{"url":"http://127.0.0.1:7420/api/status","bytes":"1e+21","gtin":"07038010000010","version":"0.1.0"}',
      '{"token":"[redacted]","phone":"[redacted]","msg":"member [redacted] not found","key":"Zk3vQx9Lr2Tn8Wm5Yp1Bc7Hd4Jf6Ks0Ua2Ve9Xg3Qi"}',
      '{"msg":"module @fastify/websocket, see node_modules/@fastify/static"}',
    ].join('\n');
    expect(what(clean)).toEqual([]);
  });

  it('finds log files in logs/ folders and by name, and scans them', () => {
    const root = plantDir();
    fs.mkdirSync(path.join(root, 'a', 'logs'), { recursive: true });
    fs.writeFileSync(path.join(root, 'a', 'logs', 'till-agent.1'), 'a@b.no\n');
    fs.writeFileSync(path.join(root, 'serve.log'), 'ok\n');
    fs.writeFileSync(path.join(root, 'notes.txt'), 'a@b.no\n');
    expect(findLogFiles(root).map((f) => path.relative(root, f))).toEqual(['a/logs/till-agent.1', 'serve.log']);
    const { files, hits } = scanLogs(root, []);
    expect(files).toHaveLength(2);
    expect(hits).toEqual([expect.objectContaining({ file: path.join(root, 'a', 'logs', 'till-agent.1'), line: 1, what: 'e-mail address' })]);
  });

  it('collects the secrets a data directory holds, and the seeded values of test sources', () => {
    const dir = plantDir();
    fs.writeFileSync(path.join(dir, 'api-token'), 'Zk3vQx9Lr2Tn8Wm5Yp1Bc7Hd4Jf6Ks0Ua2Ve9Xg3Qi\n');
    fs.writeFileSync(path.join(dir, 'till-agent.config.json'), JSON.stringify({ dintero: { clientSecret: 'cs-0123456789' }, loyalty: { apiKey: 'lk-9876543210' } }));
    expect(secretsInDataDir(dir).sort()).toEqual(['Zk3vQx9Lr2Tn8Wm5Yp1Bc7Hd4Jf6Ks0Ua2Ve9Xg3Qi', 'cs-0123456789', 'lk-9876543210']);
    const src = plantDir();
    fs.writeFileSync(path.join(src, 'a.test.ts'), "const s = 'sk_seeded_secret_0123456789'; const p = '+4799887766'; const f = 'clientSecret'; const e = 'ola@example.com';");
    expect(seededNeedles([src]).sort()).toEqual(['+4799887766', '99887766', 'ola@example.com', 'sk_seeded_secret_0123456789']);
  });
});
