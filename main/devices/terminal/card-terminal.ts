import type { Minor } from '../../core/money';

/**
 * The contract of an external card payment terminal. The till never sees card data: it asks the terminal to
 * take an amount and gets back the terminal's reference for the receipt and the ledger (a card tender's
 * `terminalRef`), or why it was not taken. A real adapter (a vendor's local API or serial protocol) implements
 * this interface; `SimulatedTerminal` is the one demo tills, the sandbox and the tests use.
 *
 * `pay` must settle: an adapter that cannot reach its terminal, or whose terminal does not answer in time,
 * resolves `declined` (or rejects) rather than hanging, because the kiosk waits on it.
 */
export type CardPaymentRequest = {
  readonly amount: Minor;
  readonly currency: string;
  /** Ours, unique per attempt: the terminal echoes it, so a late answer can be matched to its attempt. */
  readonly reference: string;
};

export type CardPaymentResult =
  | { readonly outcome: 'approved'; readonly terminalRef: string }
  | { readonly outcome: 'declined'; readonly reason: string };

/** How an earlier payment ended, as the terminal remembers it by our reference; `unknown` when it cannot say. */
export type CardPaymentOutcome = CardPaymentResult | { readonly outcome: 'unknown'; readonly reason: string };

export interface CardTerminal {
  readonly id: string;
  pay(request: CardPaymentRequest): Promise<CardPaymentResult>;
  /**
   * Optional: asks the terminal how the payment with our `reference` ended (after an agent restart mid-payment).
   * A terminal without it leaves such a payment to staff, with the reference.
   */
  outcomeOf?(reference: string): Promise<CardPaymentOutcome>;
}
