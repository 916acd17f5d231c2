import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ownerOnlyFile } from '../../../main/agent/secret-store';
import { readCredentials } from '../../../main/agent/credentials';
import { loadConfig } from '../../../main/config';
import { TillError } from '../../../main/core/errors';
import { type BootedAgent, bootAgent } from '../../../main/electron/boot-agent';
import { fakeSafeStorage } from '../../helpers/fake-safe-storage';
import { tempDir } from '../../helpers/temp-dir';

// The Electron binary is absent here: the shell's start-up runs for real (config, agent, files) with a fake
// safeStorage behind the same interface Electron's has.
const SECRET = 'S3CRET-client-secret-5150';
const KEY = 'S3CRET-loyalty-key-6060';

let booted: BootedAgent | undefined;
afterEach(async () => {
  await booted?.agent.close();
  booted = undefined;
});

function writeConfig(dir: string): string {
  const file = path.join(dir, 'till-agent.config.json');
  const config = {
    branchId: 'oslo-1',
    posId: 'pos-3',
    // Any free port: tests never bind the till's default 7420 (test/global-setup.ts holds it for the run).
    api: { port: 0 },
    dintero: { baseUrl: 'http://127.0.0.1:9/', accountId: 'T12345678', clientId: 'till', clientSecret: SECRET },
    loyalty: { baseUrl: 'http://127.0.0.1:9/', apiKey: KEY },
  };
  fs.writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o644 });
  return file;
}

const mode = (file: string): number => fs.statSync(file).mode & 0o777;

describe('the desktop app keeps its secrets in the OS key store', () => {
  it('seals the API token, moves the back-end secrets out of the config file, and finds them again after a restart', async () => {
    const dir = tempDir();
    const configFile = writeConfig(dir);
    const safeStorage = fakeSafeStorage();
    booted = await bootAgent({ safeStorage, configFile, dataDir: dir, rendererDir: undefined });
    expect(booted.sealer.kind).toBe('os-key-store');
    const token = booted.agent.token;
    await booted.agent.close();
    booted = undefined;

    const tokenFile = fs.readFileSync(path.join(dir, 'api-token'), 'utf8');
    expect(tokenFile).toMatch(/^safeStorage:v1:/);
    expect(tokenFile).not.toContain(token);
    const credentials = fs.readFileSync(path.join(dir, 'credentials'), 'utf8');
    expect(credentials).toMatch(/^safeStorage:v1:/);
    expect(credentials).not.toContain('S3CRET');
    expect(mode(path.join(dir, 'credentials'))).toBe(0o600);
    const configText = fs.readFileSync(configFile, 'utf8');
    expect(configText).not.toContain('S3CRET');
    expect(JSON.parse(configText)).toMatchObject({ dintero: { accountId: 'T12345678', clientId: 'till' }, loyalty: { baseUrl: 'http://127.0.0.1:9/' } });
    expect(mode(configFile)).toBe(0o600);

    booted = await bootAgent({ safeStorage, configFile, dataDir: dir, rendererDir: undefined });
    expect(booted.agent.token).toBe(token);
    expect(booted.config.dintero?.clientSecret).toBe(SECRET);
    expect(booted.config.loyalty?.apiKey).toBe(KEY);
    await booted.agent.log.flush();
    const log = fs.readFileSync(path.join(booted.agent.log.dir, 'till-agent.log'), 'utf8');
    expect(log).toMatch(/moved back-end secrets from the config file into the OS key store/);
    expect(log).not.toContain('S3CRET');
  });

  it('without a usable key store, keeps the token in a 0600 file and leaves the config file alone', async () => {
    const dir = tempDir();
    const configFile = writeConfig(dir);
    const before = fs.readFileSync(configFile, 'utf8');
    booted = await bootAgent({ safeStorage: fakeSafeStorage('till-user', false), configFile, dataDir: dir, rendererDir: undefined });
    expect(booted.sealer.kind).toBe('owner-only-file');
    expect(fs.readFileSync(path.join(dir, 'api-token'), 'utf8').trim()).toBe(booted.agent.token);
    expect(mode(path.join(dir, 'api-token'))).toBe(0o600);
    expect(fs.readFileSync(configFile, 'utf8')).toBe(before);
    expect(fs.existsSync(path.join(dir, 'credentials'))).toBe(false);
  });

  it('plain Node refuses the sealed credentials with a clear error, naming the file', async () => {
    const dir = tempDir();
    const configFile = writeConfig(dir);
    booted = await bootAgent({ safeStorage: fakeSafeStorage(), configFile, dataDir: dir, rendererDir: undefined });
    await booted.agent.close();
    booted = undefined;
    let err: unknown;
    try {
      loadConfig({ configFile, dataDir: dir, env: {}, storedSecrets: (d) => readCredentials(d, ownerOnlyFile) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TillError);
    expect((err as TillError).message).toContain(path.join(dir, 'credentials'));
    expect((err as TillError).message).toMatch(/OS key store/);
  });
});
