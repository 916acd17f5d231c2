import { z } from 'zod';
import { CHANNELS, type ChannelName } from './channels';

/**
 * The one contract between the agent and its screens: zod schemas for every call and event, and the route
 * table that both the loopback HTTP server and the Electron preload are generated from. Types come from
 * z.infer, so the server, the preload and the renderer cannot drift apart.
 */

export const ConnectionStateSchema = z.enum(['online', 'offline', 'unconfigured']);

export const QueueCountsSchema = z.object({
  pending: z.number().int().nonnegative(),
  inFlight: z.number().int().nonnegative(),
  retry: z.number().int().nonnegative(),
  needsAttention: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
});

export const DeviceStatusSchema = z.object({
  id: z.string(),
  state: z.enum(['connected', 'disconnected', 'unavailable', 'not-configured']),
  detail: z.string(),
});

export const StatusSchema = z.object({
  branchId: z.string(),
  posId: z.string(),
  mode: z.enum(['cashier', 'kiosk']),
  sourceType: z.enum(['POS', 'Kiosk']),
  version: z.string(),
  demo: z.boolean(),
  currency: z.string(),
  locale: z.string(),
  timeZone: z.string(),
  startedAt: z.string(),
  online: z.object({ dintero: ConnectionStateSchema, loyalty: ConnectionStateSchema }),
  queue: QueueCountsSchema,
  devices: z.object({ scanner: DeviceStatusSchema, printer: DeviceStatusSchema }),
});

export const ApiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), issues: z.array(z.string()).optional() }),
});

export const EventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), status: StatusSchema }),
  z.object({ type: z.literal('hello'), version: z.string() }),
]);

export type Status = z.infer<typeof StatusSchema>;
export type QueueCounts = z.infer<typeof QueueCountsSchema>;
export type ConnectionState = z.infer<typeof ConnectionStateSchema>;
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;
export type ApiError = z.infer<typeof ApiErrorSchema>;
export type AgentEvent = z.infer<typeof EventSchema>;

type Route<I extends z.ZodType, O extends z.ZodType> = {
  readonly method: 'GET' | 'POST';
  readonly path: `/api/${string}`;
  /** Electron IPC channel, kebab-case, matching the route's name (from channels.ts). */
  readonly channel: (typeof CHANNELS)[ChannelName];
  readonly input: I;
  readonly output: O;
};

function route<I extends z.ZodType, O extends z.ZodType>(r: Route<I, O>): Route<I, O> {
  return r;
}

export const ROUTES = {
  getStatus: route({ method: 'GET', path: '/api/status', channel: CHANNELS.getStatus, input: z.undefined(), output: StatusSchema }),
} as const;

export type RouteName = keyof typeof ROUTES;

// Every channel has a route and every route a channel: a mismatch fails to compile.
const _sameNames: [RouteName, ChannelName] extends [ChannelName, RouteName] ? true : never = true;
void _sameNames;
export type RouteInput<N extends RouteName> = z.input<(typeof ROUTES)[N]['input']>;
export type RouteOutput<N extends RouteName> = z.infer<(typeof ROUTES)[N]['output']>;

/** What the preload exposes as `window.till`, and what the renderer's HTTP client implements in a browser. */
export type TillBridge = {
  readonly [N in RouteName]: (input: RouteInput<N>) => Promise<RouteOutput<N>>;
};

export class SchemaParseError extends Error {
  override readonly name = 'SchemaParseError';
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super(`Invalid input: ${issues.join('; ')}`);
    this.issues = issues;
  }
}

/** Parses with a schema and throws one error that lists every failing path (Signal's parseUnknown). */
export function parseUnknown<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new SchemaParseError(result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`));
}
