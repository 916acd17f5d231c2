import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RotatingFile } from '../../../main/log/rotating-file';
import { mountSmallDisk, type SmallDisk, smallDiskUnavailable } from '../../helpers/small-disk';
import { tempDir } from '../../helpers/temp-dir';

const unavailable = smallDiskUnavailable();
let disk: SmallDisk | undefined;
afterEach(() => {
  disk?.unmount();
  disk = undefined;
});

const line = (i: number): string => `${JSON.stringify({ level: 30, msg: `line ${i} ${'x'.repeat(300)}` })}\n`;

describe.skipIf(unavailable !== undefined)(`the log file on a full disk${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('never throws: lines the file cannot take go to stderr, no half line stays, and the file is used again once there is room', () => {
    disk = mountSmallDisk(1);
    const file = path.join(disk.dir, 'logs', 'till-agent.log');
    const fallback: string[] = [];
    const log = new RotatingFile(file, 10 * 1024 * 1024, 3, (text) => fallback.push(text));
    log.write(line(0));
    disk.fill();
    // Enough lines to use up what is left of the file's last block, then some.
    for (let i = 1; i <= 40; i++) expect(() => log.write(line(i))).not.toThrow();
    expect(fallback[0]).toMatch(/cannot write the log file .*till-agent\.log \(ENOSPC\); log lines go to stderr/);
    expect(fallback.filter((t) => t.startsWith('{"level":30')).length).toBeGreaterThan(0);
    // Every line in the file is whole: it parses, and the file ends with a newline.
    const text = fs.readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    for (const l of text.split('\n').filter((x) => x.length > 0)) expect(() => JSON.parse(l) as unknown).not.toThrow();
    // Each line is in exactly one place.
    const inFile = text.split('\n').filter((x) => x.includes('"line ')).length;
    const inFallback = fallback.filter((t) => t.includes('"line ')).length;
    expect(inFile + inFallback).toBe(41);

    disk.free();
    const now = Date.now;
    Date.now = () => now() + 10_000; // past the retry wait
    try {
      log.write(line(41));
    } finally {
      Date.now = now;
    }
    const after = fs.readFileSync(file, 'utf8');
    expect(after).toMatch(/log file was not writable for \d+ ms; \d+ line\(s\) went to stderr/);
    expect(after).toContain('"line 41 ');
    log.close();
  });
});

describe('a log file in a place that cannot hold one', () => {
  it('a log file that cannot even be opened does not stop the logger', () => {
    const dir = tempDir();
    const fallback: string[] = [];
    fs.writeFileSync(path.join(dir, 'logs'), 'a file where the directory should be');
    const log = new RotatingFile(path.join(dir, 'logs', 'till-agent.log'), 1024, 3, (text) => fallback.push(text));
    expect(() => log.write(line(1))).not.toThrow();
    expect(fallback.join('')).toMatch(/cannot write the log file/);
    expect(fallback.join('')).toContain('"line 1 ');
    log.close();
  });
});
