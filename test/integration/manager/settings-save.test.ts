import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Agent, startAgent } from '../../../main/agent/start-agent';
import { DEMO_MANAGER_PIN, setManagerPin } from '../../../main/agent/manager-pin';
import { ManagerLoginOutputSchema, ManagerSaveSettingsSchema, ManagerSettingsSchema, StatusSchema } from '../../../main/api/contract';
import { CONFIG_FILE_NAME, loadConfig } from '../../../main/config';
import { tempDir } from '../../helpers/temp-dir';
import { startTestAgent, type TestAgent } from '../sale-api/fixtures';

const PIN = '97315286';
const SECRET = 'loyalty-key-5f2c9a71';

/** A till with a config file of its own: a secret, and a field the schema does not know (nested, so it loads). */
const OWN_CONFIG = {
  branchId: 'oslo-1',
  posId: 'pos-3',
  locale: 'nb-NO',
  loyalty: { baseUrl: 'http://127.0.0.1:9/', apiKey: SECRET },
  devices: { printerWidth: 58, comment: 'printer swapped by Kari in March', scanner: { kind: 'serial', path: '/dev/ttyOLD', baudRate: 115200, terminator: 'LF' } },
};

let agent: Agent | undefined;
let demo: TestAgent | undefined;
afterEach(async () => {
  await agent?.close();
  agent = undefined;
  await demo?.close();
  demo = undefined;
});

async function start(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<Agent> {
  const { config, file } = loadConfig({ dataDir, env });
  const a = await startAgent({ config, configFile: file, env, port: 0, rendererDir: undefined, probeIntervalMs: 60_000 });
  await setManagerPin(a.db, PIN, new Date());
  return a;
}

async function call(a: Agent, route: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${a.url}api/${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${a.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: await res.json() };
}

async function login(a: Agent): Promise<string> {
  const out = ManagerLoginOutputSchema.parse((await call(a, 'manager/login', { pin: PIN })).body);
  if (out.result !== 'ok') throw new Error(`login failed: ${out.result}`);
  return out.session;
}

function ownTill(): { dataDir: string; file: string } {
  const dataDir = tempDir('till-settings-');
  const file = path.join(dataDir, CONFIG_FILE_NAME);
  fs.writeFileSync(file, JSON.stringify(OWN_CONFIG, null, 2), { mode: 0o644 });
  return { dataDir, file };
}

describe('manager settings saved to the config file', { timeout: 60_000 }, () => {
  it('saves locale and printer atomically (0600), keeps every other field, and a restarted agent uses them', async () => {
    const { dataDir, file } = ownTill();
    agent = await start(dataDir);
    const session = await login(agent);
    const inodeBefore = fs.statSync(file).ino;

    const before = ManagerSettingsSchema.parse((await call(agent, 'manager/settings', { session })).body);
    expect(before).toMatchObject({ demo: false, locale: 'nb-NO', printerAddress: 'none', scannerAddress: 'serial:/dev/ttyOLD', environmentWins: [], configFile: file });

    const res = await call(agent, 'manager/settings/save', { session, locale: 'es-ES', printer: 'tcp://127.0.0.1:9101' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const saved = ManagerSaveSettingsSchema.parse(res.body);
    expect(saved).toMatchObject({ configFile: file, changed: ['locale', 'printer'], restartRequired: true, environmentWins: [] });
    expect(saved.message).toContain('Restart the till agent');

    // Written by rename (a new inode), owner-only, with no temp file left behind.
    const stat = fs.statSync(file);
    expect(stat.mode & 0o777).toBe(0o600);
    expect(stat.ino).not.toBe(inodeBefore);
    expect(fs.readdirSync(dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof OWN_CONFIG & { devices: Record<string, unknown> };
    expect(written.loyalty).toEqual(OWN_CONFIG.loyalty);
    expect(written.devices.comment).toBe(OWN_CONFIG.devices.comment);
    expect(written.devices.scanner).toEqual(OWN_CONFIG.devices.scanner);
    expect(written).toMatchObject({ branchId: 'oslo-1', posId: 'pos-3', locale: 'es-ES', devices: { printerWidth: 58, printer: { kind: 'tcp', host: '127.0.0.1', port: 9101 } } });

    // The running agent keeps its settings until it is restarted.
    expect(StatusSchema.parse((await call(agent, 'status')).body).locale).toBe('nb-NO');
    const logDir = agent.log.dir;
    await agent.close();
    agent = undefined;
    const logText = fs.readdirSync(logDir).map((f) => fs.readFileSync(path.join(logDir, f), 'utf8')).join('\n');
    expect(logText).toContain('manager saved settings');
    expect(logText).not.toContain(SECRET);
    expect(logText).not.toContain('9101');
    expect(logText).not.toContain('es-ES');

    agent = await start(dataDir);
    expect(StatusSchema.parse((await call(agent, 'status')).body).locale).toBe('es-ES');
    const after = ManagerSettingsSchema.parse((await call(agent, 'manager/settings', { session: await login(agent) })).body);
    expect(after).toMatchObject({ locale: 'es-ES', printerAddress: 'tcp://127.0.0.1:9101', scannerAddress: 'serial:/dev/ttyOLD' });
    expect(after.printer).toContain('127.0.0.1');
  });

  it('refuses a bad printer, scanner or locale with the field named and leaves the file byte for byte as it was', async () => {
    const { dataDir, file } = ownTill();
    agent = await start(dataDir);
    const session = await login(agent);
    const bytes = fs.readFileSync(file);
    const cases: [Record<string, string>, RegExp][] = [
      [{ printer: 'lpt1' }, /printer lpt1 is not a printer address/],
      [{ printer: 'tcp://till-printer:70000' }, /printer .*the port must be 1 to 65535/],
      [{ scanner: 'hid:0x05e0' }, /scanner hid:0x05e0 is not a scanner address/],
      [{ locale: 'not a locale!', printer: 'none' }, /locale: must be a BCP 47 locale/],
      [{ printer: 'serial:' }, /printer serial: is not a printer address/],
    ];
    for (const [change, message] of cases) {
      const res = await call(agent, 'manager/settings/save', { session, ...change });
      expect(res.status, JSON.stringify(change)).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'SCHEMA_INVALID', message: expect.stringMatching(message) } });
      expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    }
    // Nothing to save is refused too; unknown fields (the till's identity) are not accepted by this route.
    expect((await call(agent, 'manager/settings/save', { session })).status).toBe(400);
    const identity = await call(agent, 'manager/settings/save', { session, posId: 'pos-9' });
    expect(identity.status).toBe(400);
    expect(JSON.stringify(identity.body)).toContain('posId');
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o644);

    // A serial scanner keeps the configured baud rate and terminator.
    expect((await call(agent, 'manager/settings/save', { session, scanner: 'serial:/dev/ttyACM0' })).status).toBe(200);
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as { devices: { scanner: unknown } };
    expect(written.devices.scanner).toEqual({ kind: 'serial', path: '/dev/ttyACM0', baudRate: 115200, terminator: 'LF' });
  });

  it('refuses without a manager session', async () => {
    const { dataDir, file } = ownTill();
    agent = await start(dataDir);
    const bytes = fs.readFileSync(file);
    const forged = await call(agent, 'manager/settings/save', { session: 'x'.repeat(32), locale: 'es-ES' });
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    expect((await call(agent, 'manager/settings/save', { locale: 'es-ES' })).status).toBe(400);
    expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses on the demo till and writes nothing', async () => {
    demo = await startTestAgent();
    const out = ManagerLoginOutputSchema.parse((await demo.call('manager/login', { pin: DEMO_MANAGER_PIN })).body);
    if (out.result !== 'ok') throw new Error(`login failed: ${out.result}`);
    const view = ManagerSettingsSchema.parse((await demo.call('manager/settings', { session: out.session })).body);
    expect(view.demo).toBe(true);
    const res = await demo.call('manager/settings/save', { session: out.session, locale: 'es-ES' });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'FORBIDDEN', message: expect.stringContaining('demo till') } });
    expect(fs.existsSync(view.configFile ?? '')).toBe(false);
  });

  it('creates the config file in the data dir when the till has none, and says when the environment wins', async () => {
    const dataDir = tempDir('till-settings-nofile-');
    const env = { TILL_DEMO: 'false', TILL_LOCALE: 'en-GB' };
    agent = await start(dataDir, env);
    const session = await login(agent);
    const view = ManagerSettingsSchema.parse((await call(agent, 'manager/settings', { session })).body);
    expect(view.environmentWins).toEqual([{ field: 'locale', variable: 'TILL_LOCALE' }]);
    const res = await call(agent, 'manager/settings/save', { session, locale: 'nb-NO', printer: 'usb:/dev/usb/lp0' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const saved = ManagerSaveSettingsSchema.parse(res.body);
    expect(saved.configFile).toBe(path.join(dataDir, CONFIG_FILE_NAME));
    expect(saved.environmentWins).toEqual([{ field: 'locale', variable: 'TILL_LOCALE' }]);
    expect(saved.message).toContain('TILL_LOCALE');
    expect(fs.statSync(saved.configFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(saved.configFile, 'utf8'))).toEqual({ locale: 'nb-NO', devices: { printer: { kind: 'usb', devicePath: '/dev/usb/lp0' } } });
  });
});
