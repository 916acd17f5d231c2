import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Seen = {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: unknown;
};

export type Reply =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> }
  | 'reset'
  | 'hang';

export type TestServer = {
  readonly url: string;
  readonly seen: Seen[];
  close(): Promise<void>;
};

/** A loopback server whose answers a test scripts; it records every request it got. */
export async function startTestServer(handler: (req: Seen) => Reply): Promise<TestServer> {
  const seen: Seen[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const entry: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
      seen.push(entry);
      const reply = handler(entry);
      if (reply === 'reset') {
        req.socket.destroy();
        return;
      }
      if (reply === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...(reply.headers ?? {}) });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.socket?.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A logger that keeps every line as JSON text, to prove what never reaches a log. */
export function recordingLogger(): { lines: string[]; debug: (o: Record<string, unknown>, m: string) => void; info: (o: Record<string, unknown>, m: string) => void; warn: (o: Record<string, unknown>, m: string) => void; error: (o: Record<string, unknown>, m: string) => void } {
  const lines: string[] = [];
  const log = (level: string) => (o: Record<string, unknown>, m: string) => {
    lines.push(JSON.stringify({ level, ...o, msg: m }));
  };
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** A port nobody listens on (bound, then closed). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
