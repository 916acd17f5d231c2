import { CHANNELS, type ChannelName } from '../api/channels';
import type { TillBridge } from '../api/contract';

type Invoke = (channel: string, input: unknown) => Promise<unknown>;

/**
 * Builds `window.till` from the contract's route table: one named method per route, each invoking only its
 * own channel. There is no generic send/invoke/on, so a compromised page cannot reach other channels.
 */
export function buildBridge(invoke: Invoke): TillBridge {
  const bridge: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of Object.keys(CHANNELS) as ChannelName[]) {
    const channel = CHANNELS[name];
    bridge[name] = (input: unknown) => invoke(channel, input);
  }
  return Object.freeze(bridge) as unknown as TillBridge;
}
