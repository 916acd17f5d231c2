import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LoyaltyClient } from '../../../main/sync/connectors/loyalty/loyalty-client';
import { ConnectivityMonitor, tcpTarget } from '../../../main/sync/connectivity';
import { startTestServer, type TestServer } from './connectors/test-server';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A loopback TCP server that records every byte a client sends. */
async function tcpServer(): Promise<{ port: number; bytes: () => number; connections: () => number }> {
  let bytes = 0;
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.on('data', (d: Buffer) => (bytes += d.length));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { port: (server.address() as AddressInfo).port, bytes: () => bytes, connections: () => connections };
}

const noFetch = (): Promise<{ status: number }> => Promise.reject(new Error('a tcp probe must not make an HTTP request'));

describe('ConnectivityMonitor', () => {
  it('probes the Loyalty API by a TCP connect that sends nothing, and sees a closed port as offline', async () => {
    const server = await tcpServer();
    const monitor = new ConnectivityMonitor([{ name: 'loyalty', url: `http://127.0.0.1:${server.port}/v1/`, kind: 'tcp' }], noFetch, { intervalMs: 60_000, timeoutMs: 2_000 });
    await monitor.probeOnce();
    expect(monitor.state('loyalty')).toBe('online');
    await new Promise((r) => setTimeout(r, 50));
    expect(server.connections()).toBe(1);
    expect(server.bytes()).toBe(0);

    // A port nobody listens on: taken, then given back.
    const gone = net.createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const freePort = (gone.address() as AddressInfo).port;
    await new Promise<void>((resolve) => gone.close(() => resolve()));
    const offline = new ConnectivityMonitor([{ name: 'loyalty', url: `http://127.0.0.1:${freePort}/v1/`, kind: 'tcp' }], noFetch, { intervalMs: 60_000, timeoutMs: 2_000 });
    await offline.probeOnce();
    expect(offline.state('loyalty')).toBe('offline');
  });

  it('takes the outcomes of real calls, and reports nothing for a back end that is not configured', () => {
    const monitor = new ConnectivityMonitor([{ name: 'loyalty', url: 'https://pos-api.fidelizacion.app/v1/', kind: 'tcp' }, { name: 'dintero', url: undefined }], noFetch, { intervalMs: 60_000, timeoutMs: 100 });
    let changes = 0;
    monitor.onDidChange(() => changes++);
    monitor.report('loyalty', true);
    monitor.report('loyalty', true);
    expect([monitor.state('loyalty'), changes]).toEqual(['online', 1]);
    monitor.report('loyalty', false);
    monitor.report('dintero', true);
    expect([monitor.state('loyalty'), monitor.state('dintero'), changes]).toEqual(['offline', 'unconfigured', 2]);
  });

  it('connects to the port of the URL, or 443/80 by scheme', () => {
    expect(tcpTarget('https://pos-api.fidelizacion.app/v1/')).toEqual({ host: 'pos-api.fidelizacion.app', port: 443 });
    expect(tcpTarget('http://127.0.0.1:8123/v1/')).toEqual({ host: '127.0.0.1', port: 8123 });
    expect(tcpTarget('http://[::1]/v1/')).toEqual({ host: '::1', port: 80 });
  });
});

describe('LoyaltyClient reachability', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('says a call reached the server on any HTTP answer, and not when the connection was refused', async () => {
    server = await startTestServer(() => ({ status: 400, body: { status: 'error', error: { code: '1001', message: 'x' } } }));
    const reached: boolean[] = [];
    const options = { apiKey: 'k', sourceType: 'POS' as const, version: '1', posId: 'p', branchId: 'b', onReach: (r: boolean) => reached.push(r) };
    await new LoyaltyClient({ ...options, baseUrl: `${server.url}v1/` }).post('event', {});
    const url = server.url;
    await server.close();
    server = undefined;
    await new LoyaltyClient({ ...options, baseUrl: `${url}v1/` }).post('event', {});
    expect(reached).toEqual([true, false]);
  });
});
