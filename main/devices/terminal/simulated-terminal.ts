import type { CardPaymentRequest, CardPaymentResult, CardTerminal } from './card-terminal';

export type SimulatedTerminalOptions = {
  /** How long the "customer" takes at the terminal. */
  readonly delayMs?: number;
};

/** Amounts whose last two minor digits are this are declined, as payment sandboxes use magic amounts. */
export const SIMULATED_DECLINE_CENTS = 13;

/**
 * A card terminal for demo tills, the sandbox and tests: it approves after a short delay and answers with a
 * reference derived from the request (`SIM-<reference>`), except for amounts ending in ,13, which it declines.
 * Every request is kept in `recording`, like the other device fakes.
 */
export class SimulatedTerminal implements CardTerminal {
  readonly id = 'simulated-terminal';
  readonly recording: CardPaymentRequest[] = [];
  private readonly delayMs: number;

  constructor(options: SimulatedTerminalOptions = {}) {
    this.delayMs = options.delayMs ?? 1500;
  }

  async pay(request: CardPaymentRequest): Promise<CardPaymentResult> {
    this.recording.push(request);
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (request.amount % 100 === SIMULATED_DECLINE_CENTS) return { outcome: 'declined', reason: 'The card was declined (simulated terminal: amounts ending in ,13 are declined).' };
    return { outcome: 'approved', terminalRef: `SIM-${request.reference}` };
  }

  reset(): void {
    this.recording.length = 0;
  }
}
