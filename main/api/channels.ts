/**
 * Route names and their Electron IPC channels, without schemas: the preload needs only these, and keeping zod
 * out of it keeps the sandboxed preload small. contract.ts pairs each name with its schemas.
 */
export const CHANNELS = {
  getStatus: 'get-status',
} as const;

export type ChannelName = keyof typeof CHANNELS;
