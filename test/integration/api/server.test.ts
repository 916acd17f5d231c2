import http from 'node:http';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startAgent, type Agent } from '../../../main/agent/start-agent';
import { StatusSchema } from '../../../main/api/contract';
import { loadConfig } from '../../../main/config';
import { tempDir } from '../../helpers/temp-dir';

let agent: Agent | undefined;
afterEach(async () => {
  await agent?.close();
  agent = undefined;
});

async function start(): Promise<Agent> {
  const { config } = loadConfig({ dataDir: tempDir(), env: { TILL_BRANCH_ID: 'oslo-1', TILL_POS_ID: 'pos-3' } });
  agent = await startAgent({ config, port: 0, rendererDir: undefined });
  return agent;
}

/** A raw request, so the test controls Host and Origin exactly as a hostile page or rebinding attack would. */
function request(port: number, path: string, headers: Record<string, string>, hostAddress = '127.0.0.1'): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostAddress, port, path, method: 'GET', headers, setHost: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('local API', () => {
  it('answers /api/status with the till identity, version, mode, online state and queue counts', async () => {
    const a = await start();
    const res = await request(a.port, '/api/status', { host: `127.0.0.1:${a.port}`, authorization: `Bearer ${a.token}` });
    expect(res.status).toBe(200);
    const status = StatusSchema.parse(JSON.parse(res.body));
    expect(status).toMatchObject({ branchId: 'oslo-1', posId: 'pos-3', mode: 'cashier', sourceType: 'POS', demo: true, version: '0.1.0' });
    expect(status.online).toEqual({ dintero: 'unconfigured', loyalty: 'unconfigured' });
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('requires the token on every API call', async () => {
    const a = await start();
    const host = `127.0.0.1:${a.port}`;
    expect((await request(a.port, '/api/status', { host })).status).toBe(401);
    expect((await request(a.port, '/api/status', { host, authorization: 'Bearer wrong-token' })).status).toBe(401);
    expect((await request(a.port, `/api/status?token=${a.token}`, { host })).status).toBe(200);
    const missing = await request(a.port, '/api/nope', { host, authorization: `Bearer ${a.token}` });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('refuses foreign Host and Origin headers (DNS rebinding, other web pages) even with the token', async () => {
    const a = await start();
    const auth = { authorization: `Bearer ${a.token}` };
    expect((await request(a.port, '/api/status', { host: `evil.example:${a.port}`, ...auth })).status).toBe(403);
    expect((await request(a.port, '/api/status', { host: `127.0.0.1:${a.port + 1}`, ...auth })).status).toBe(403);
    const cross = await request(a.port, '/api/status', { host: `127.0.0.1:${a.port}`, origin: 'https://evil.example', ...auth });
    expect(cross.status).toBe(403);
    expect(cross.headers['access-control-allow-origin']).toBeUndefined();
    expect((await request(a.port, '/api/status', { host: `localhost:${a.port}`, origin: `http://localhost:${a.port}`, ...auth })).status).toBe(200);
  });

  it('listens on loopback only', async () => {
    const a = await start();
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return; // no non-loopback interface on this machine: nothing else to try
    await expect(request(a.port, '/api/status', { host: `127.0.0.1:${a.port}` }, external.address)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('streams events over the WebSocket to a client with the token, and refuses one without', async () => {
    const a = await start();
    const messages = await new Promise<unknown[]>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${a.port}/api/events?token=${a.token}`);
      const got: unknown[] = [];
      ws.on('message', (m: Buffer) => {
        got.push(JSON.parse(m.toString()));
        ws.close();
      });
      ws.on('close', () => resolve(got));
      ws.on('error', reject);
    });
    expect(messages[0]).toEqual({ type: 'hello', version: '0.1.0' });
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${a.port}/api/events`);
      ws.on('unexpected-response', (req, res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      ws.on('error', () => resolve(-1));
    });
    expect(refused).toBe(401);
  });
});
