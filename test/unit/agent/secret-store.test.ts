import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readToken, writeToken } from '../../../main/agent/api-token';
import { osKeyStore, ownerOnlyFile, readSecretFile, writeSecretFile } from '../../../main/agent/secret-store';
import { TillError } from '../../../main/core/errors';
import { fakeSafeStorage } from '../../helpers/fake-safe-storage';
import { tempDir } from '../../helpers/temp-dir';

const mode = (file: string): number => fs.statSync(file).mode & 0o777;

describe('secret files under plain Node', () => {
  it('are written readable by the agent user only, also over an older file that others could read', () => {
    const file = path.join(tempDir(), 'secret');
    fs.writeFileSync(file, 'old\n', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    writeSecretFile(file, 'new-value', ownerOnlyFile);
    expect(mode(file)).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toBe('new-value\n');
    expect(readSecretFile(file, ownerOnlyFile)).toEqual({ value: 'new-value', sealedWith: 'owner-only-file' });
    // No temp file left next to it.
    expect(fs.readdirSync(path.dirname(file))).toEqual(['secret']);
  });

  it('keep the API token across restarts, mode 600', () => {
    const dir = tempDir();
    expect(readToken(dir)).toBeUndefined();
    writeToken(dir, 'a'.repeat(43));
    expect(mode(path.join(dir, 'api-token'))).toBe(0o600);
    expect(readToken(dir)).toEqual({ token: 'a'.repeat(43), sealedWith: 'owner-only-file' });
  });

  it('refuse a secret sealed by the desktop app with a message saying what to do', () => {
    const file = path.join(tempDir(), 'credentials');
    const sealer = osKeyStore(fakeSafeStorage());
    if (!sealer) throw new Error('fake key store unavailable');
    writeSecretFile(file, 'the-secret-value', sealer);
    let err: unknown;
    try {
      readSecretFile(file, ownerOnlyFile);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TillError);
    expect((err as TillError).code).toBe('CONFIG_UNREADABLE');
    expect((err as TillError).message).toMatch(/OS key store/);
    expect((err as TillError).fix).toMatch(/desktop app|delete/i);
    // A sealed API token is not worth a refusal: plain Node makes a new one.
    const dir = path.dirname(file);
    writeToken(dir, 'b'.repeat(43), sealer);
    expect(readToken(dir, ownerOnlyFile)).toBeUndefined();
  });
});

describe('secret files with the OS key store', () => {
  it('hold only the sealed value, which the same key store opens', () => {
    const store = fakeSafeStorage();
    const sealer = osKeyStore(store);
    expect(sealer?.kind).toBe('os-key-store');
    if (!sealer) return;
    const file = path.join(tempDir(), 'secret');
    writeSecretFile(file, 'S3CRET-value-42', sealer);
    const raw = fs.readFileSync(file, 'utf8');
    expect(raw).toMatch(/^safeStorage:v1:[A-Za-z0-9+/=]+\n$/);
    expect(raw).not.toContain('S3CRET');
    expect(mode(file)).toBe(0o600);
    expect(readSecretFile(file, sealer)).toEqual({ value: 'S3CRET-value-42', sealedWith: 'os-key-store' });
    // Another user's key store cannot open it: a clear refusal, not garbage.
    const other = osKeyStore(fakeSafeStorage('other-user'));
    expect(() => other && readSecretFile(file, other)).toThrow(/cannot be decrypted/);
  });

  it('is not used when safeStorage cannot encrypt (Linux without a secret service)', () => {
    expect(osKeyStore(fakeSafeStorage('user', false))).toBeUndefined();
  });
});
