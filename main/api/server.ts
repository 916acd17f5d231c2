import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance } from 'fastify';
import { TillError } from '../core/errors';
import type { Logger } from '../log';
import { type AgentEvent, ROUTES, type RouteName, SchemaParseError, type TillBridge, parseUnknown } from './contract';
import { asTillError, ERROR_STATUS } from './error-status';
import { checkRequest, presentedToken } from './loopback-guard';

export type EventSource = { subscribe(listener: (event: AgentEvent) => void): () => void };

export type ServerOptions = {
  readonly handlers: TillBridge;
  readonly events: EventSource;
  readonly token: string;
  /** 0 = any free port. */
  readonly port: number;
  /** The built renderer (index.html and assets); served at `/` when present. */
  readonly rendererDir: string | undefined;
  /** A getter, because the agent creates its log file only after the port is bound. */
  readonly logger: () => Logger;
  readonly version: string;
};

export type RunningServer = { readonly url: string; readonly port: number; close(): Promise<void> };

/** The Content-Security-Policy for pages the agent serves; the Electron shell sets the same one. */
export function contentSecurityPolicy(port: number | '*'): string {
  const ws = port === '*' ? '' : ` ws://127.0.0.1:${port} ws://localhost:${port}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${ws}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The loopback HTTP server: the API under /api/ (token required), the event WebSocket at /api/events and the
 * renderer at /. Binds 127.0.0.1 only. Every route comes from the contract's route table and parses its input.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const app: FastifyInstance = Fastify({
    logger: false,
    bodyLimit: 1024 * 1024,
    // Closing the agent must not wait on an idle browser tab's keep-alive or event socket.
    forceCloseConnections: true,
    // Fastify's own JSON parser rejects prototype pollution (__proto__, constructor) in bodies.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });
  let port = options.port;

  app.addHook('onRequest', async (req, reply) => {
    const decision = checkRequest({
      port,
      host: req.headers.host,
      origin: req.headers.origin,
      path: req.url.split('?')[0] ?? req.url,
      token: options.token,
      presentedToken: presentedToken(req.headers.authorization, req.query),
    });
    if (!decision.ok) {
      options.logger().warn({ path: req.url.split('?')[0], status: decision.status }, 'refused a request to the local API');
      if (req.headers.upgrade) {
        // A refused WebSocket upgrade: answer on the raw socket and close it, since an upgrade socket is
        // detached from the HTTP server and would otherwise linger (and hold up shutdown).
        reply.hijack();
        const reason = decision.status === 401 ? 'Unauthorized' : 'Forbidden';
        req.raw.socket.end(`HTTP/1.1 ${decision.status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      await reply.code(decision.status).send({ error: { code: decision.code, message: decision.message } });
    }
  });

  app.addHook('onSend', async (_req, reply, payload) => {
    void reply.header('X-Content-Type-Options', 'nosniff');
    void reply.header('Referrer-Policy', 'no-referrer');
    void reply.header('Cache-Control', 'no-store');
    void reply.header('Content-Security-Policy', contentSecurityPolicy(port));
    return payload;
  });

  app.setErrorHandler(async (err: unknown, _req, reply) => {
    if (err instanceof SchemaParseError) {
      return reply.code(400).send({ error: { code: 'SCHEMA_INVALID', message: err.message, issues: err.issues } });
    }
    const till = asTillError(err);
    if (till) {
      return reply.code(ERROR_STATUS[till.code]).send({ error: { code: till.code, message: till.message } });
    }
    const statusCode = (err as { statusCode?: unknown }).statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return reply.code(statusCode).send({ error: { code: 'SCHEMA_INVALID', message: (err as Error).message } });
    }
    options.logger().error({ err }, 'unexpected error in a local API handler');
    return reply.code(500).send({ error: { code: 'INTERNAL', message: 'The agent failed to handle this request; see its log.' } });
  });

  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  app.get('/api/events', { websocket: true }, (socket) => {
    const send = (event: AgentEvent): void => socket.send(JSON.stringify(event));
    send({ type: 'hello', version: options.version });
    const unsubscribe = options.events.subscribe(send);
    socket.on('close', unsubscribe);
  });

  for (const name of Object.keys(ROUTES) as RouteName[]) {
    const r = ROUTES[name];
    const handler = options.handlers[name] as (input: unknown) => Promise<unknown>;
    app.route({
      method: r.method,
      url: r.path,
      handler: async (req) => {
        const input = parseUnknown(r.input, r.method === 'GET' ? undefined : req.body);
        return parseUnknown(r.output, await handler(input));
      },
    });
  }

  app.setNotFoundHandler(async (req, reply) => {
    if (req.url.startsWith('/api/')) return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `No API route ${req.method} ${req.url.split('?')[0]}` } });
    if (options.rendererDir && fs.existsSync(path.join(options.rendererDir, 'index.html'))) return reply.sendFile('index.html');
    return reply.code(404).type('text/plain').send('The till screens are not built: run `npm run build`.');
  });

  if (options.rendererDir && fs.existsSync(options.rendererDir)) {
    await app.register(fastifyStatic, { root: options.rendererDir, index: ['index.html'], wildcard: true });
  }

  try {
    await app.listen({ host: '127.0.0.1', port: options.port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new TillError('PORT_IN_USE', `Port ${options.port} on 127.0.0.1 is already in use, so the till API cannot start.`, {
        cause: err,
        fix: 'Another till-agent may be running: stop it, or start this one with --port 0 (any free port) or another --port.',
      });
    }
    throw err;
  }
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: () => app.close(),
  };
}
