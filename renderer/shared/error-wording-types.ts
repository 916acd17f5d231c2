import type { ErrorReason, TillErrorCode } from '../../main/api/contract';

/**
 * One language's wordings of what the agent can refuse. Typed by the agent's own lists, so a reason or an error
 * code added in main/core without a wording here in every language fails to compile.
 */
export type ErrorWordings = {
  /** For a reason or code this screen does not know (a newer agent): `{code}` is the code. */
  readonly generic: string;
  /** The tender kinds a `tender` parameter names. */
  readonly tenders: Readonly<Record<'gift_card' | 'points' | 'credit' | 'card' | 'cash', string>>;
  /** A refusal without a reason: worded by its error code (and AGENT_UNREACHABLE, which the client sets). */
  readonly codes: Readonly<Record<TillErrorCode | 'AGENT_UNREACHABLE', string>>;
  readonly reasons: Readonly<Record<ErrorReason, string>>;
};
