import fs from 'node:fs';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { TillError } from '../core/errors';
import type { Logger } from '../log';
import { type AgentEvent, ROUTES, type RouteName, type TillBridge, parseUnknown } from './contract';
import { expectedError, INTERNAL_ERROR } from './error-status';
import { checkRequest } from './loopback-guard';
import { type ApiTokens, decideAccess, decideTokenOnly, matchedAccess, refuse, requestToken, routeAccess } from './route-access';

export type EventSource = { subscribe(listener: (event: AgentEvent) => void): () => void };

export type ServerOptions = {
  readonly handlers: TillBridge;
  readonly events: EventSource;
  readonly token: string;
  /** The kiosk screen's token: reaches only the `kiosk` routes and the event WebSocket (route-access.ts). */
  readonly kioskToken: string;
  /** 0 = any free port. */
  readonly port: number;
  /** The built renderer (index.html and assets); served at `/` when present. */
  readonly rendererDir: string | undefined;
  /** A getter, because the agent creates its log file only after the port is bound. */
  readonly logger: () => Logger;
  readonly version: string;
  /** Slow-client limits; the defaults are SERVER_LIMITS (tests shorten them). */
  readonly limits?: Partial<ServerLimits>;
};

export type ServerLimits = {
  /** The whole request (headers and body) must arrive within this time, else 408 and the socket closes. */
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  /** A socket silent this long is closed (not the event WebSocket: ws clears the timeout on upgrade). */
  readonly idleTimeoutMs: number;
  /** Open sockets at once; more are refused at accept. Screens use a handful; a local flood gets no more. */
  readonly maxConnections: number;
};

/**
 * Issue 19, finding 11: slow request bodies were held with no time limit and no connection cap. A till's own
 * screens send small bodies at once over one or two connections, so tight limits cost nothing.
 */
export const SERVER_LIMITS: ServerLimits = { requestTimeoutMs: 10_000, headersTimeoutMs: 5_000, idleTimeoutMs: 60_000, maxConnections: 64 };

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
 * The loopback HTTP server: the API under /api/ (a token required: route-access.ts), the event WebSocket at /api/events and the
 * renderer at /. Binds 127.0.0.1 only. Every route comes from the contract's route table and parses its input.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const tokens: ApiTokens = { till: options.token, kiosk: options.kioskToken };
  const refused = (req: FastifyRequest, status: number): void => {
    // The path without the query (which may carry a token), as the client spelled it, to see probing.
    options.logger().warn({ path: req.url.split('?')[0], method: req.method, status }, 'refused a request to the local API');
  };
  /** Refuses a request without the API token (401; the kiosk token: 403); true when it did. For answers no matched route decided. */
  const refusedWithoutToken = async (req: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    const access = decideTokenOnly(req, tokens);
    if (access.ok) return false;
    refused(req, access.status);
    await refuse(req, reply, access.status, access.code, access.message);
    return true;
  };

  const limits: ServerLimits = { ...SERVER_LIMITS, ...options.limits };
  const app: FastifyInstance = Fastify({
    logger: false,
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: 5_000,
    maxRequestsPerSocket: 1_000,
    // Node checks the request and header deadlines on this interval (30 s by default, longer than the limits).
    http: { headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs), connectionsCheckingInterval: Math.min(1_000, limits.requestTimeoutMs) },
    // A URL the router cannot decode (`/%c1%a1pi/status`) never reaches a route: without the token it is 401
    // like every other non-file request, so the answer tells a prober nothing.
    frameworkErrors: (err, req, reply) => {
      void (async () => {
        if (await refusedWithoutToken(req, reply)) return;
        if (req.headers.upgrade) return refuse(req, reply, 403, 'FORBIDDEN', 'No WebSocket here.');
        await (reply as FastifyReply).code(400).send({ error: { code: 'SCHEMA_INVALID', message: err.message } });
      })();
    },
    bodyLimit: 1024 * 1024,
    // Closing the agent must not wait on an idle browser tab's keep-alive or event socket.
    forceCloseConnections: true,
    // Fastify's own JSON parser rejects prototype pollution (__proto__, constructor) in bodies.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Requests are checked with zod (parse-unknown.ts), never with route JSON schemas: without these factories
    // Fastify loads Ajv and fast-json-stringify at construction, about 14 ms of every start (docs/performance.md).
    schemaController: { compilersFactory: NO_JSON_SCHEMAS },
  });
  let port = options.port;

  app.addHook('onRequest', async (req, reply) => {
    const guard = checkRequest({ port, host: req.headers.host, origin: req.headers.origin });
    if (!guard.ok) {
      refused(req, guard.status);
      return refuse(req, reply, guard.status, guard.code, guard.message);
    }
    // One decision, on the route the router matched (its config); the 404 route has none and needs the token.
    const access = decideAccess(matchedAccess(req), Boolean(req.headers.upgrade), tokens, requestToken(req));
    if (!access.ok) {
      refused(req, access.status);
      return refuse(req, reply, access.status, access.code, access.message);
    }
  });

  app.addHook('onSend', async (_req, reply, payload) => {
    void reply.header('X-Content-Type-Options', 'nosniff');
    void reply.header('Referrer-Policy', 'no-referrer');
    void reply.header('Cache-Control', 'no-store');
    void reply.header('Content-Security-Policy', contentSecurityPolicy(port));
    return payload;
  });

  app.setErrorHandler(async (err: unknown, req, reply) => {
    // A public route (a screen file) that fails (`/api/status%00` reaches the file server) answers a caller
    // without the token as every other non-file request: 401.
    if (matchedAccess(req) === 'public' && (await refusedWithoutToken(req, reply))) return reply;
    const expected = expectedError(err);
    if (expected) return reply.code(expected.status).send({ error: expected.body });
    const statusCode = (err as { statusCode?: unknown }).statusCode;
    if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
      return reply.code(statusCode).send({ error: { code: 'SCHEMA_INVALID', message: (err as Error).message } });
    }
    options.logger().error({ err }, 'unexpected error in a local API handler');
    return reply.code(500).send({ error: INTERNAL_ERROR });
  });

  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  // The kiosk screen hears its sale and status changes here too: the kiosk token opens it.
  app.get('/api/events', { websocket: true, config: { access: 'kiosk' } }, (socket) => {
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
      config: { access: routeAccess(name) },
      handler: async (req) => {
        const input = parseUnknown(r.input, r.method === 'GET' ? undefined : req.body);
        return parseUnknown(r.output, await handler(input));
      },
    });
  }

  app.setNotFoundHandler(async (req, reply) => {
    // The static plugin's public wildcard route hands unknown paths here without the onRequest check having
    // asked for the token (its route is public), so this answer decides again: without the token, every unknown
    // path is 401, so probing cannot tell an API spelling from a missing file.
    if (await refusedWithoutToken(req, reply)) return reply;
    if (req.headers.upgrade) return refuse(req, reply, 403, 'FORBIDDEN', 'No WebSocket here.');
    // The screens use hash routes (`/#/manager`), so nothing but `/` needs index.html: every other unknown
    // path is a plain 404 that names nothing.
    if (req.method === 'GET' && req.url.split('?')[0] === '/') return reply.code(404).type('text/plain').send('The till screens are not built: run `npm run build`.');
    return reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'No such route.' } });
  });

  if (options.rendererDir && fs.existsSync(options.rendererDir)) {
    const rendererDir = options.rendererDir;
    // In its own context, so the hook marks only the static plugin's routes public.
    await app.register(async (statics) => {
      statics.addHook('onRoute', (route) => {
        route.config = { ...route.config, access: 'public' };
      });
      await statics.register(fastifyStatic, { root: rendererDir, index: ['index.html'], wildcard: true });
    });
  }

  app.server.maxConnections = limits.maxConnections;
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

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/**
 * A route JSON schema would be a second, unchecked contract beside the zod one: refused when a route is added.
 * Fastify calls a factory's result with `{ schema, method, url, httpPart }` (lib/schema-controller.js); its typings
 * describe Ajv's own compile function instead, hence the one cast.
 */
function noJsonSchemas(): (route: { readonly url: string; readonly httpPart?: string }) => never {
  return (route) => {
    throw new Error(`Route ${route.url}: ${route.httpPart ?? 'response'} JSON schemas are not used; check requests with zod (main/api/parse-unknown.ts).`);
  };
}
const NO_JSON_SCHEMAS = { buildValidator: noJsonSchemas, buildSerializer: noJsonSchemas } as unknown as CompilersFactory;
