import { z } from 'zod';
import { lazySchema } from '../core/lazy-schema';

/** The till's status on the wire (identity, back ends, queue, devices) and the reasons screens word. Re-exported by contract.ts. */

export const ConnectionStateSchema = lazySchema(() => z.enum(['online', 'offline', 'unconfigured']));

/**
 * A reason a screen words in its own language (main/core/error-reasons.ts lists them with their parameters):
 * a string on the wire, because a newer agent may send one this screen does not know (it falls back to a
 * generic sentence with the code). Money parameters are minor units.
 */
export const ReasonParamsSchema = lazySchema(() => z.record(z.string(), z.union([z.string(), z.number()])));
export const ReasonedSchema = lazySchema(() => z.object({ reason: z.string(), params: ReasonParamsSchema }));

export const QueueCountsSchema = lazySchema(() => z.object({
  pending: z.number().int().nonnegative(),
  inFlight: z.number().int().nonnegative(),
  retry: z.number().int().nonnegative(),
  needsAttention: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
}));

export const DeviceStatusSchema = lazySchema(() => z.object({
  id: z.string(),
  state: z.enum(['connected', 'disconnected', 'unavailable', 'not-configured']),
  detail: z.string(),
  /** The detail as a reason the screen words; absent when only the driver's own text is known. */
  reason: z.string().optional(),
  params: ReasonParamsSchema.optional(),
}));

export const StatusSchema = lazySchema(() => z.object({
  branchId: z.string(),
  /** The store's name as customers know it (config `store.name`): the kiosk greets with it. */
  storeName: z.string(),
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
  /** How the screen tells a keyboard-wedge scan from typing (config `devices.keyboardWedge`). */
  keyboardWedge: z.object({
    prefixKey: z.string().nullable(),
    suffixKeys: z.array(z.string()),
    maxInterKeyMs: z.number().int(),
    minLength: z.number().int(),
  }),
}));
