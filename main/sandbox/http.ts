/**
 * What both simulators share: the fastify instance, a route wrapper that runs the fault plan around each
 * handler, and the listener switch for offline mode. Handlers return an `Answer` instead of sending it, so the
 * wrapper can apply the request and then drop the answer (reset or hang after apply).
 */
import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { assertNever } from '../core/errors';
import type { FaultKind, FaultPlan } from './faults';

export type Answer = { readonly status: number; readonly body: unknown; readonly headers?: Readonly<Record<string, string>> };

export type RouteHandler = (req: FastifyRequest) => Answer | Promise<Answer>;

/** Builds the error body in the simulator's own shape (Dintero `{error}`, Loyalty `{status, error}`). */
export type ErrorBody = (status: number, code: string, message: string) => unknown;

export type FaultEvent = { readonly route: string; readonly kind: FaultKind | 'latency' };

/**
 * Emitted as `request` when a request arrives, before any fault or handler: a chaos harness uses it to kill the
 * calling till while its request is on the wire. `posId` is the caller's `x-pos-id` header, when it sent one.
 */
export type RequestEvent = { readonly route: string; readonly posId: string | undefined };

export type Traffic = {
  /** Requests per route name, counted when they arrive (faulted ones included). */
  readonly requests: Map<string, number>;
  /** Faults per route name and kind. */
  readonly faults: Map<string, Map<string, number>>;
};

export type ServerKit = {
  readonly app: FastifyInstance;
  route(method: 'GET' | 'POST' | 'DELETE', url: string, name: string, handler: RouteHandler): void;
};

export type KitOptions = {
  readonly plan: () => FaultPlan;
  readonly events: EventEmitter;
  readonly traffic: Traffic;
  readonly errorBody: ErrorBody;
  /** Sockets of requests held open by a hang fault; destroyed on close. */
  readonly hung: Set<Socket>;
  /** Aborted on close, so injected latency never outlives the sandbox. */
  readonly closing: AbortSignal;
};

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function noteFault(options: KitOptions, route: string, kind: FaultKind | 'latency'): void {
  let perKind = options.traffic.faults.get(route);
  if (!perKind) {
    perKind = new Map();
    options.traffic.faults.set(route, perKind);
  }
  count(perKind, kind);
  options.events.emit('fault', { route, kind } satisfies FaultEvent);
}

function resetSocket(req: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  // An RST rather than a FIN: the client sees ECONNRESET, as with a crashed proxy.
  req.raw.socket.resetAndDestroy();
}

function hangSocket(req: FastifyRequest, reply: FastifyReply, hung: Set<Socket>): void {
  reply.hijack();
  const socket = req.raw.socket;
  hung.add(socket);
  socket.once('close', () => hung.delete(socket));
}

const STATUS_FAULTS = { 'status-429': 429, 'status-500': 500, 'status-502': 502, 'status-503': 503 } as const;

export function createServerKit(options: KitOptions): ServerKit {
  const app = Fastify({
    logger: false,
    bodyLimit: 4 * 1024 * 1024,
    forceCloseConnections: true,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });

  app.setNotFoundHandler(async (req, reply) => {
    await reply.code(404).send(options.errorBody(404, 'NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0] ?? ''}`));
  });
  app.setErrorHandler(async (err: { statusCode?: number; message?: string }, _req, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    const code = status === 500 ? 'INTERNAL' : 'BAD_REQUEST';
    await reply.code(status).send(options.errorBody(status, code, status === 500 ? 'Internal error' : (err.message ?? 'Bad request')));
  });

  const route: ServerKit['route'] = (method, url, name, handler) => {
    app.route({
      method,
      url,
      handler: async (req, reply) => {
        count(options.traffic.requests, name);
        const posId = req.headers['x-pos-id'];
        options.events.emit('request', { route: name, posId: typeof posId === 'string' ? posId : undefined } satisfies RequestEvent);
        const decision = options.plan().decide(name);
        if (decision.latencyMs > 0) {
          noteFault(options, name, 'latency');
          await delay(decision.latencyMs, undefined, { signal: options.closing, ref: false });
        }
        switch (decision.kind) {
          case 'reset-before':
            noteFault(options, name, decision.kind);
            resetSocket(req, reply);
            return reply;
          case 'hang':
            noteFault(options, name, decision.kind);
            hangSocket(req, reply, options.hung);
            return reply;
          case 'status-429':
          case 'status-500':
          case 'status-502':
          case 'status-503': {
            noteFault(options, name, decision.kind);
            const status = STATUS_FAULTS[decision.kind];
            if (status === 429) void reply.header('retry-after', String(decision.retryAfterSeconds));
            return reply
              .code(status)
              .send(options.errorBody(status, status === 429 ? 'TOO_MANY_REQUESTS' : 'SERVER_ERROR', `Injected fault: HTTP ${status}`));
          }
          case 'none':
          case 'reset-after':
          case 'hang-after':
            break;
          default:
            return assertNever(decision.kind);
        }
        const answer = await handler(req);
        if (decision.kind === 'reset-after') {
          noteFault(options, name, decision.kind);
          resetSocket(req, reply);
          return reply;
        }
        if (decision.kind === 'hang-after') {
          noteFault(options, name, decision.kind);
          hangSocket(req, reply, options.hung);
          return reply;
        }
        if (answer.headers) void reply.headers(answer.headers);
        if (answer.status === 304) return reply.code(304).send();
        return reply.code(answer.status).send(answer.body);
      },
    });
  };
  return { app, route };
}

/**
 * Takes a listening server off the network (connection refused, open connections cut) and back onto the
 * same port, which is what a crashed or unreachable back end looks like from the till.
 */
export async function setListening(app: FastifyInstance, port: number, listening: boolean): Promise<void> {
  const server = app.server;
  if (listening === server.listening) return;
  if (!listening) {
    await new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
    });
    return;
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
