/** What every simulator route reads: the state, the clock and the sandbox's own credentials and settings. */
import type { SandboxDb } from './db';
import type { Client } from './dintero/auth';

export type EarnRule = {
  /** One point per this many minor units paid by other means than loyalty balance (default 1000: 1 per 10 NOK). */
  readonly minorPerPoint: number;
};

/**
 * Where a Loyalty POS API success puts its fields; each is a published variant. `data`: inside `data` (the
 * /payment page). `top-level`: beside `status` (seed 004, "Response & Error Handling"). `ok`: `/member/details`
 * answers `{"status":"ok","member":…}` (the bade-docs sample), other calls as `top-level`.
 */
export type LoyaltySuccessShape = 'data' | 'top-level' | 'ok';

export type SandboxContext = {
  readonly db: SandboxDb;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly accountId: string;
  readonly signingKey: string;
  readonly clients: readonly Client[];
  readonly apiKey: string;
  readonly tokenTtlSeconds: number;
  readonly strictIdentification: boolean;
  readonly currency: string;
  readonly earn: EarnRule;
  /** Which balance a Loyalty API `/payment` draws on: the business configuration the seed mentions. */
  readonly paymentAsset: 'credit' | 'points';
  /** The success shape of the next Loyalty answer (a fixed variant, or each in turn: see SandboxOptions). */
  readonly loyaltySuccessShape: () => LoyaltySuccessShape;
  /** Six-digit short codes and confirmation codes; seeded when the sandbox is. */
  readonly code: (digits: number) => string;
};

export function iso(date: Date): string {
  return date.toISOString();
}
