import { safeText } from '../../core/safe-text';
import type { WritableDb } from '../../store/db-types';
import type { Connector, DeliveryResult, EffectToDeliver, PaymentCheck, PaymentCheckRequest } from '../outbox/connector';
import { DinteroClient } from './dintero/dintero-client';
import { DinteroEffects } from './dintero/dintero-effects';
import { GiftCardCodeFollowUp } from './dintero/gift-card-code-follow-up';
import { NULL_LOGGER, type ConnectorLogger, type FetchFn } from './http';
import { LoyaltyClient } from './loyalty/loyalty-client';
import { LoyaltyEffects } from './loyalty/loyalty-effects';
import type { LoyaltyWire } from './loyalty/transaction-body';

export type TillConnectorOptions = {
  readonly db: WritableDb;
  readonly posId: string;
  readonly branchId: string;
  /** `POS` for a cashier till, `Kiosk` for a self-service kiosk. */
  readonly sourceType: 'POS' | 'Kiosk';
  readonly version: string;
  readonly dintero?: { readonly baseUrl: string; readonly accountId: string; readonly clientId: string; readonly clientSecret: string; readonly audience?: string };
  /** `wire`: the names and signs where the vendor's pages disagree (transaction-body.ts); the reference's by default. */
  readonly loyalty?: { readonly baseUrl: string; readonly apiKey: string; readonly wire?: LoyaltyWire };
  readonly logger?: ConnectorLogger;
  readonly fetch?: FetchFn;
  readonly now?: () => number;
  readonly timeoutMs?: number;
  /** Whether each Loyalty call reached the server: feeds the connectivity badge (main/sync/connectivity.ts). */
  readonly onLoyaltyReach?: (reached: boolean) => void;
};

function notConfigured(backend: string): DeliveryResult {
  // Not a refusal: the effect waits until the store configures the back end.
  return { type: 'transient', reason: `${backend} is not configured on this till` };
}

/**
 * The connector boundary: whatever a reason was built from (a server's message, a verdict quoting an answer),
 * the outbox stores and `sync status` prints it only escaped and capped (main/core/safe-text.ts).
 */
function safeResult(result: DeliveryResult): DeliveryResult {
  return 'reason' in result ? { ...result, reason: safeText(result.reason) } : result;
}

/**
 * The outbox's connector for a real till: Dintero effects (claims, releases, receipts, wallet transactions)
 * and Loyalty POS API effects (transactions, payments, members, events), each on its own client.
 */
export class TillConnector implements Connector {
  readonly dinteroClient: DinteroClient | undefined;
  readonly loyaltyClient: LoyaltyClient | undefined;
  /** Notes what each wallet transaction says about the gift-card code it named (docs/connectors.md, "Gift-card codes"). */
  readonly giftCardCodes: GiftCardCodeFollowUp | undefined;
  private readonly dintero: DinteroEffects | undefined;
  private readonly loyalty: LoyaltyEffects | undefined;

  constructor(options: TillConnectorOptions) {
    const logger = options.logger ?? NULL_LOGGER;
    const now = options.now ?? Date.now;
    const shared = {
      posId: options.posId,
      branchId: options.branchId,
      logger,
      now,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    };
    if (options.dintero) {
      this.dinteroClient = new DinteroClient({ ...shared, ...options.dintero });
      this.dintero = new DinteroEffects(this.dinteroClient);
      this.giftCardCodes = new GiftCardCodeFollowUp({ db: options.db, client: this.dinteroClient, now, logger });
    }
    if (options.loyalty) {
      const { wire, ...endpoint } = options.loyalty;
      this.loyaltyClient = new LoyaltyClient({
        ...shared,
        ...endpoint,
        sourceType: options.sourceType,
        version: options.version,
        ...(options.onLoyaltyReach ? { onReach: options.onLoyaltyReach } : {}),
      });
      this.loyalty = new LoyaltyEffects(this.loyaltyClient, options.db, now, logger, wire);
    }
  }

  discount_claim = (e: EffectToDeliver, signal: AbortSignal): Promise<DeliveryResult> => this.withDintero((d) => d.discountClaim(e, signal));
  claim_release = (e: EffectToDeliver, signal: AbortSignal): Promise<DeliveryResult> => this.withDintero((d) => d.claimRelease(e, signal));
  receipt = (e: EffectToDeliver, signal: AbortSignal): Promise<DeliveryResult> => this.withDintero((d) => d.receipt(e, signal));
  // Every wallet transaction, at tender time (main/agent/sale/value-payments.ts) or from the outbox, passes here.
  wallet_transaction = async (e: EffectToDeliver, signal: AbortSignal): Promise<DeliveryResult> => {
    const result = await this.withDintero((d) => d.walletTransaction(e, signal));
    this.giftCardCodes?.afterTransaction(e, result);
    return result;
  };
  loyalty_transaction = (e: EffectToDeliver, signal: AbortSignal): Promise<DeliveryResult> => this.withLoyalty((l) => l.transaction(e, signal));
  loyalty_payment = (e: EffectToDeliver, signal: AbortSignal): Promise<DeliveryResult> => this.withLoyalty((l) => l.payment(e, signal));
  member_register = (e: EffectToDeliver, signal: AbortSignal): Promise<DeliveryResult> => this.withLoyalty((l) => l.memberRegister(e, signal));
  member_update = (e: EffectToDeliver, signal: AbortSignal): Promise<DeliveryResult> => this.withLoyalty((l) => l.memberUpdate(e, signal));
  loyalty_event = (e: EffectToDeliver, signal: AbortSignal): Promise<DeliveryResult> => this.withLoyalty((l) => l.event(e, signal));
  checkPayment = (e: EffectToDeliver, request: PaymentCheckRequest, signal: AbortSignal): Promise<PaymentCheck> =>
    this.loyalty ? this.loyalty.checkPayment(e, request, signal) : Promise.resolve({ type: 'unreachable', reason: 'the Loyalty API is not configured on this till' });

  private withDintero(run: (d: DinteroEffects) => Promise<DeliveryResult>): Promise<DeliveryResult> {
    return this.dintero ? run(this.dintero).then(safeResult) : Promise.resolve(notConfigured('Dintero'));
  }

  private withLoyalty(run: (l: LoyaltyEffects) => Promise<DeliveryResult>): Promise<DeliveryResult> {
    return this.loyalty ? run(this.loyalty).then(safeResult) : Promise.resolve(notConfigured('the Loyalty API'));
  }
}
