import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../main/config';
import { TillError } from '../../../main/core/errors';
import { tempDir } from '../../helpers/temp-dir';

function writeConfig(dir: string, value: unknown): string {
  const file = path.join(dir, 'till-agent.config.json');
  fs.writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  return file;
}

function failure(fn: () => unknown): TillError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TillError) return err;
    throw err;
  }
  throw new Error('expected a TillError');
}

describe('loadConfig', () => {
  it('starts the demo till with defaults when there is no config file', () => {
    const dir = tempDir();
    const { config, file } = loadConfig({ dataDir: dir, env: {} });
    expect(file).toBeUndefined();
    expect(config).toMatchObject({ demo: true, branchId: 'demo-branch', posId: 'till-1', mode: 'cashier', sourceType: 'POS', currency: 'NOK', dataDir: dir });
    expect(config.dintero).toBeUndefined();
  });

  it('reads the file from the data directory and lets TILL_* variables win', () => {
    const dir = tempDir();
    writeConfig(dir, { branchId: 'oslo-1', posId: 'pos-7', mode: 'kiosk', loyalty: { apiKey: 'k-123456789' } });
    const { config } = loadConfig({ dataDir: dir, env: { TILL_POS_ID: 'pos-9', TILL_API_PORT: '8123', TILL_DEMO: 'no' } });
    expect(config.branchId).toBe('oslo-1');
    expect(config.posId).toBe('pos-9');
    expect(config.api.port).toBe(8123);
    expect(config.mode).toBe('kiosk');
    expect(config.sourceType).toBe('Kiosk'); // follows the mode unless set
    expect(config.loyalty?.baseUrl).toBe('https://pos-api.fidelizacion.app/v1/');
  });

  it('names every bad field and why, and never echoes a value', () => {
    const dir = tempDir();
    const secret = 'super-secret-value-123';
    const file = writeConfig(dir, {
      posId: '',
      mode: 'tablet',
      currency: 'kroner',
      timeZone: 'Mars/Olympus',
      dintero: { accountId: 'X1', clientId: 'id', clientSecret: secret, baseUrl: 'ftp://nope' },
      posID: 'typo',
    });
    const err = failure(() => loadConfig({ dataDir: dir, env: {} }));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain(file);
    for (const field of ['posId', 'mode', 'currency', 'timeZone', 'dintero.accountId', 'dintero.baseUrl']) {
      expect(err.message).toContain(`- ${field}:`);
    }
    expect(err.message).toMatch(/unknown field\(s\) "posID"/);
    expect(err.message).toMatch(/T or P followed by 8 digits/);
    expect(err.message).not.toContain(secret);
    expect(err.message).not.toContain('typo');
    expect(err.fix).toMatch(/Correct the field/);
  });

  it('says where JSON is broken', () => {
    const dir = tempDir();
    writeConfig(dir, '{\n  "branchId": "a",\n  "posId": \n}');
    const err = failure(() => loadConfig({ dataDir: dir, env: {} }));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toMatch(/not valid JSON \(line 4\)/);
  });

  it('refuses a missing --config file instead of falling back to the demo', () => {
    const err = failure(() => loadConfig({ configFile: path.join(tempDir(), 'nope.json'), env: {} }));
    expect(err.code).toBe('CONFIG_UNREADABLE');
    expect(err.message).toMatch(/does not exist/);
  });

  it('names the field a bad environment variable sets', () => {
    const err = failure(() => loadConfig({ dataDir: tempDir(), env: { TILL_API_PORT: 'eighty', TILL_SOURCE_TYPE: 'Web' } }));
    expect(err.message).toMatch(/- api\.port:/);
    expect(err.message).toMatch(/- sourceType:/);
    expect(err.message).toContain('the environment');
  });

  it('never throws anything but a TillError, whatever the file holds (fuzz)', () => {
    const dir = tempDir();
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.string()), (value) => {
        writeConfig(dir, typeof value === 'string' ? value : JSON.stringify(value));
        try {
          loadConfig({ dataDir: dir, env: {} });
        } catch (err) {
          expect(err).toBeInstanceOf(TillError);
        }
      }),
      { seed: 20261123, numRuns: 300 },
    );
  });
});

describe('the demo till configuration', () => {
  it('is valid, and its in-store layouts are ones the scanner accepts', async () => {
    const { layoutProblem } = await import('../../../native/barcode');
    const file = path.join(import.meta.dirname, '..', '..', '..', 'demo', 'till-agent.config.json');
    const { config } = loadConfig({ configFile: file, dataDir: tempDir(), env: {} });
    expect(config.demo).toBe(true);
    expect(config.store.id).toBe('demo-store-1');
    expect(config.devices.inStoreLayouts.length).toBeGreaterThan(0);
    for (const layout of config.devices.inStoreLayouts) expect(layoutProblem(layout)).toBeUndefined();
  });
});
