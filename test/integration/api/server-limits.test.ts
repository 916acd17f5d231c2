import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { TillBridge } from '../../../main/api/contract';
import { type RunningServer, startServer } from '../../../main/api/server';
import { silentLogger } from '../../../main/log';

/**
 * Issue 19, finding 11: a slow request body was held with no time limit, and connections had no cap. A real
 * loopback server with shortened limits (the defaults are the same mechanism, ten times longer).
 */
let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(limits: { requestTimeoutMs?: number; maxConnections?: number }): Promise<RunningServer> {
  server = await startServer({
    // No route is called: the limits act before any handler.
    handlers: {} as TillBridge,
    events: { subscribe: () => () => undefined },
    token: 'x'.repeat(43),
    kioskToken: 'k'.repeat(43),
    port: 0,
    rendererDir: undefined,
    logger: () => silentLogger(),
    version: 'test',
    limits,
  });
  return server;
}

/** Connects and resolves with what the server sent and when it closed the socket (ms after connecting). */
function slowClient(port: number, first: string, dripMs: number): Promise<{ got: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect(port, '127.0.0.1', () => socket.write(first));
    let got = '';
    const drip = setInterval(() => socket.writable && socket.write('{'), dripMs);
    socket.on('data', (d: Buffer) => (got += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(drip);
      resolve({ got, closedAfterMs: performance.now() - started });
    });
  });
}

describe('local server limits', () => {
  it('cuts off a client that drips its body, even one byte at a time', async () => {
    const s = await start({ requestTimeoutMs: 1_000 });
    const head = `POST /api/sale/scan HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nAuthorization: Bearer ${'x'.repeat(43)}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`;
    const { got, closedAfterMs } = await slowClient(s.port, head, 100);
    expect(got).toMatch(/^HTTP\/1\.1 408/);
    // Cut off near the 1 s limit (Node checks every second), though the client kept sending.
    expect(closedAfterMs).toBeLessThan(8_000);
  }, 20_000);

  it('cuts off a client that never finishes its headers', async () => {
    const s = await start({ requestTimeoutMs: 1_000 });
    const { closedAfterMs } = await slowClient(s.port, 'GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\n', 200);
    expect(closedAfterMs).toBeLessThan(8_000);
  }, 20_000);

  it('refuses connections beyond the cap and serves again once they close', async () => {
    const s = await start({ maxConnections: 3 });
    const open = await Promise.all(Array.from({ length: 3 }, () => new Promise<net.Socket>((resolve) => { const c = net.connect(s.port, '127.0.0.1', () => resolve(c)); })));
    // Give the server a moment to account the accepted sockets.
    await new Promise((r) => setTimeout(r, 100));
    const extra = await new Promise<string>((resolve) => {
      const c = net.connect(s.port, '127.0.0.1', () => c.write(`GET /api/status HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\n\r\n`));
      let got = '';
      c.on('data', (d: Buffer) => (got += d.toString()));
      c.on('error', () => resolve('refused'));
      c.on('close', () => resolve(got === '' ? 'closed' : got));
    });
    expect(['closed', 'refused']).toContain(extra);
    for (const c of open) c.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const res = await fetch(`${s.url}api/status`);
    expect(res.status).toBe(401);
  });
});
