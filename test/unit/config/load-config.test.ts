import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../main/config';
import { TillError } from '../../../main/core/errors';
import { ENV_VARS } from '../../../main/config/env';
import { fuzzParams } from '../../helpers/fuzz';
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

  it('reads the cash unit (docs/configuration.md): a whole number of minor units, 1 or more', () => {
    const dir = tempDir();
    writeConfig(dir, { cashUnit: 50 });
    expect(loadConfig({ dataDir: dir, env: {} }).config.cashUnit).toBe(50);
    writeConfig(dir, {});
    expect(loadConfig({ dataDir: dir, env: {} }).config.cashUnit).toBeUndefined();
    for (const bad of [0, 0.5, -100]) {
      writeConfig(dir, { cashUnit: bad });
      const err = failure(() => loadConfig({ dataDir: dir, env: {} }));
      expect(err.message).toContain('- cashUnit:');
    }
  });

  it('does not keep the JSON parser\'s message, which quotes the text around a bare secret (found by the fuzz below)', () => {
    const dir = tempDir();
    writeConfig(dir, '{\n  "dintero": { "accountId": "T12345678", "clientId": "c", "clientSecret": S3CRET-dintero-7f1c9a }\n}');
    const err = failure(() => loadConfig({ dataDir: dir, env: {} }));
    expect(err.message).toMatch(/not valid JSON \(line 2\)/);
    expect(err.cause).toBeUndefined();
    expect(JSON.stringify(err, Object.getOwnPropertyNames(err))).not.toContain('S3CRET');
  });

  it('gives the screens the keyboard-wedge framing: the defaults, a prefix key, and a bad gap named by its field', () => {
    const dir = tempDir();
    expect(loadConfig({ dataDir: dir, env: {} }).config.devices.keyboardWedge).toEqual({ suffixKeys: ['Enter'], maxInterKeyMs: 30, minLength: 6 });
    writeConfig(dir, { devices: { keyboardWedge: { prefixKey: 'F13', suffixKeys: ['Tab'] } } });
    expect(loadConfig({ dataDir: dir, env: {} }).config.devices.keyboardWedge).toEqual({ prefixKey: 'F13', suffixKeys: ['Tab'], maxInterKeyMs: 30, minLength: 6 });
    writeConfig(dir, { devices: { keyboardWedge: { maxInterKeyMs: 1000 } } });
    expect(failure(() => loadConfig({ dataDir: dir, env: {} })).message).toContain('- devices.keyboardWedge.maxInterKeyMs:');
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

  it('fills back-end secrets kept outside the file only where the file and environment leave them empty', () => {
    const dir = tempDir();
    writeConfig(dir, { dintero: { accountId: 'T12345678', clientId: 'c' }, loyalty: { apiKey: 'from-file-key' } });
    const seen: string[] = [];
    const stored = (d: string) => (seen.push(d), { 'dintero.clientSecret': 'stored-secret', 'loyalty.apiKey': 'stored-key' });
    const { config } = loadConfig({ dataDir: dir, env: {}, storedSecrets: stored });
    expect(seen).toEqual([dir]);
    expect(config.dintero?.clientSecret).toBe('stored-secret');
    expect(config.loyalty?.apiKey).toBe('from-file-key');
    expect(loadConfig({ dataDir: dir, env: { TILL_DINTERO_CLIENT_SECRET: 'env-secret' }, storedSecrets: stored }).config.dintero?.clientSecret).toBe('env-secret');
    // A stored secret does not switch on a back end the file does not configure.
    writeConfig(dir, { branchId: 'b' });
    expect(loadConfig({ dataDir: dir, env: {}, storedSecrets: stored }).config.dintero).toBeUndefined();
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
      fuzzParams(300),
    );
  });
});

/** Everything an error can carry to a screen, a terminal or a log: message, fix and the whole cause chain. */
function everythingSaid(err: TillError): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && depth < 5; depth++) {
    const { message, fix } = e as { message?: unknown; fix?: unknown };
    parts.push(typeof message === 'string' ? message : '', typeof fix === 'string' ? fix : '', e instanceof Error ? e.toString() : JSON.stringify(e), JSON.stringify(e, Object.getOwnPropertyNames(e ?? {})));
    e = (e as { cause?: unknown }).cause;
  }
  return parts.join('\n');
}

/** Whether any 8 characters of the secret in a row appear: a quoted fragment leaks as surely as the whole. */
function leaks(said: string, secret: string): boolean {
  for (let i = 0; i + 8 <= secret.length; i++) if (said.includes(secret.slice(i, i + 8))) return true;
  return false;
}

describe('config loader fuzz', () => {
  const SECRET = 'S3CRET-dintero-7f1c9a';
  const KEY = 'S3CRET-loyalty-2b8e44';
  const valid = (): Record<string, unknown> => ({
    branchId: 'oslo-1',
    posId: 'pos-3',
    mode: 'cashier',
    currency: 'NOK',
    locale: 'nb-NO',
    timeZone: 'Europe/Oslo',
    store: { name: 'Butikk', addressLines: ['Gate 1'] },
    api: { port: 7420 },
    dintero: { accountId: 'T12345678', clientId: 'client', clientSecret: SECRET },
    loyalty: { apiKey: KEY },
    devices: { scanner: { kind: 'serial', path: '/dev/ttyUSB0' }, printer: { kind: 'tcp', host: 'printer.local', port: 9100 }, printerWidth: 80, keyboardWedge: { prefixKey: 'F13', maxInterKeyMs: 30 } },
    offlineLimits: { giftCard: { perPayment: 1, perMemberPerDay: 2, totalOpenExposure: 3 } },
    log: { level: 'info' },
  });
  const FIELDS = [
    'branchId', 'posId', 'sourceType', 'mode', 'currency', 'locale', 'timeZone', 'demo', 'startAtLogin', 'store', 'store.name', 'store.addressLines', 'api', 'api.port',
    'dintero', 'dintero.baseUrl', 'dintero.accountId', 'dintero.clientId', 'dintero.clientSecret', 'loyalty.baseUrl', 'loyalty.apiKey',
    'devices.scanner', 'devices.scanner.kind', 'devices.scanner.baudRate', 'devices.printer', 'devices.printer.port', 'devices.printerWidth', 'devices.inStoreLayouts', 'devices.keyboardWedge.prefixKey', 'devices.keyboardWedge.maxInterKeyMs',
    'offlineLimits.giftCard.perPayment', 'offlineLimits.points', 'log.level',
  ];
  // Wrong values, some of them carrying a secret-looking string that must never be repeated back.
  const wrong = fc.oneof(fc.jsonValue(), fc.string(), fc.double(), fc.constant(null), fc.constant(SECRET), fc.constant({ nested: KEY }), fc.constant([SECRET]), fc.constant(`${SECRET}\n`));

  function failureOf(dir: string, env: NodeJS.ProcessEnv = {}): TillError | undefined {
    try {
      loadConfig({ dataDir: dir, env });
      return undefined;
    } catch (err) {
      expect(err).toBeInstanceOf(TillError);
      return err as TillError;
    }
  }

  it('a wrong value in any field gives an error naming that field, and never echoes a secret', () => {
    const dir = tempDir();
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), wrong, (field, value) => {
        const config = valid();
        const keys = field.split('.');
        let node = config;
        for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
        node[keys[keys.length - 1] as string] = value;
        writeConfig(dir, config);
        const err = failureOf(dir);
        if (err === undefined) return; // the random value happened to be valid for that field
        expect(err.code).toBe('CONFIG_INVALID');
        expect(err.message).toMatch(new RegExp(`- ${keys[0] as string}[.:]`));
        const said = everythingSaid(err);
        expect(leaks(said, SECRET), said).toBe(false);
        expect(leaks(said, KEY), said).toBe(false);
      }),
      fuzzParams(400),
    );
  });

  it('a broken file never leaks the secrets around the break, in the message or the cause', () => {
    const dir = tempDir();
    const text = JSON.stringify(valid(), null, 2);
    fc.assert(
      fc.property(fc.nat(), fc.nat(3), fc.constantFrom('', ',', '}', '"', ' x', '\\', '\u0001', '{'), (at, op, insert) => {
        const i = at % text.length;
        // Cut, insert or unquote: the typos people make editing JSON by hand.
        const broken = op === 0 ? text.slice(0, i) : op === 1 ? `${text.slice(0, i)}${insert}${text.slice(i)}` : op === 2 ? text.replaceAll(`"${SECRET}"`, SECRET) : text.replaceAll(`"${KEY}"`, `${KEY}${insert}`);
        writeConfig(dir, broken);
        const err = failureOf(dir);
        if (err === undefined) return;
        expect(err.message).toMatch(/not valid JSON \(line \d+\)|must hold a JSON object|\n {2}- [^:\n]+: /);
        const said = everythingSaid(err);
        expect(leaks(said, SECRET), said).toBe(false);
        expect(leaks(said, KEY), said).toBe(false);
      }),
      fuzzParams(300),
    );
  });

  it('a bad TILL_* variable is named by the field it sets, and its value is not echoed', () => {
    const dir = tempDir();
    writeConfig(dir, valid());
    fc.assert(
      fc.property(fc.constantFrom(...ENV_VARS), fc.oneof(fc.string(), fc.constant(SECRET), fc.constant(` ${KEY} `), fc.integer().map(String)), (v, raw) => {
        const err = failureOf(dir, { [v.name]: raw });
        if (err === undefined) return;
        expect(err.code).toBe('CONFIG_INVALID');
        expect(err.message).toContain(`- ${v.path.join('.')}:`);
        const said = everythingSaid(err);
        expect(leaks(said, SECRET), said).toBe(false);
        expect(leaks(said, KEY), said).toBe(false);
      }),
      fuzzParams(400),
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
