import type { ReceiptDocumentView, SaleNotice, SaleView } from '../../api/contract';
import type { CatalogItem } from '../../core/catalog';
import type { Clock } from '../../core/clock';
import type { OfflineLimits } from '../../core/sale/offline-limits';
import type { TillMode } from '../../core/sale';
import type { CardTerminal } from '../../devices/terminal/card-terminal';
import type { Logger } from '../../log';
import type { WritableDb } from '../../store';
import type { TillIdentity } from '../../store/ledger';
import type { MemberDirectory } from '../member-directory';
import type { ValuePayments } from './value-payments';

export type SaleServiceOptions = {
  readonly till: TillIdentity;
  /**
   * A kiosk locks weighed items for staff as well as age-restricted ones, and leaves the receipt to the
   * customer's choice after paying; a cashier till checks ID and prints every receipt. Default cashier.
   */
  readonly mode?: TillMode;
  /**
   * The card terminal the till drives (the kiosk pays on it); without one the kiosk's customers pay at staff and a
   * cashier's card tenders are confirmed from a stand-alone terminal (`terminal: 'external'`, docs/ledger.md).
   */
  readonly cardTerminal?: CardTerminal | undefined;
  /** A receipt was queued after the sale (the kiosk customer asked for it): wake the print spool. */
  onDidQueuePrint?(): void;
  /** Throws while the agent is still starting. */
  db(): WritableDb;
  readonly clock: Clock;
  logger(): Logger;
  /** Called with the new view after every change, to publish it to every screen. */
  onDidChange(view: SaleView): void;
  /** Called after a sale is committed: print its receipt and deliver its effects now. */
  onDidCommit?(): void;
  /** The till's offline value limits, checked inside the commit (docs/ledger.md). */
  readonly offlineLimits?: OfflineLimits | undefined;
  /**
   * Item search by name (the store's catalog query). Without it a search finds an item only by an exact code:
   * main/store/catalog.ts has no name search yet (docs/screens.md).
   */
  readonly searchByName?: ((db: WritableDb, query: string, limit: number) => readonly CatalogItem[]) | undefined;
  /**
   * Demo tills open a business day and a shift by themselves, and fill an empty catalog, so a new user can
   * sell at once.
   */
  readonly demo?: DemoTill | undefined;
  /**
   * Member, customer, points and gift-card lookups (the back ends online, the caches offline). Without it only
   * ids can be attached and value tenders are refused.
   */
  readonly directory?: MemberDirectory | undefined;
  /** Gift-card and points payments made at tender time (the outbox's connector); without it the outbox pays them. */
  readonly valuePayments?: ValuePayments | undefined;
  /** Something was queued outside a sale commit (a refund of a tender paid at tender time): deliver it now. */
  wakeSync?(): void;
};

export type DemoTill = { readonly operatorId: string; seedCatalog(db: WritableDb, now: Date): void };

export type ScanOutcome = { readonly ok: boolean; readonly notice: SaleNotice; readonly sale: SaleView };

export type TenderOutcome = { readonly committed: boolean; readonly receipt: ReceiptDocumentView | null; readonly sale: SaleView };
