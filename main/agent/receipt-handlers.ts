import type { ReceiptLayoutView, TillBridge } from '../api/contract';
import { because } from '../core/error-reasons';
import { TillError } from '../core/errors';
import { receiptDocument } from '../core/sale';
import { screenReceiptLayout } from '../devices/printing/receipt-screen';
import { findEntry, reprintReceiptOf } from '../store/ledger';
import type { Clock } from '../core/clock';
import type { DeviceManager } from '../devices/device-manager';
import type { WritableDb } from '../store';
import type { Config } from '../config';
import type { SaleService } from './sale-service';

/** What the receipt handlers use of the agent's services (a narrow type, so this file does not import handlers.ts back). */
export type ReceiptServices = { readonly config: Config; db(): WritableDb; readonly clock: Clock; readonly devices: Pick<DeviceManager, 'wakePrinter'> };

/**
 * The receipt routes: the screen's receipt is laid out by the very function that lays out the paper (store
 * header, VAT table, change, void title), so the two cannot differ; and a reprint queues a real copy on the
 * printer as well as showing it.
 */
export function createReceiptHandlers(services: ReceiptServices, sale: SaleService): Pick<TillBridge, 'receiptLayout' | 'reprintReceipt' | 'printProvisional'> {
  const { config } = services;
  const store = { name: config.store.name, addressLines: config.store.addressLines, ...(config.store.orgNumber ? { orgNumber: config.store.orgNumber } : {}) };
  return {
    receiptLayout: ({ receiptId, copy }) => {
      try {
        const found = findEntry(services.db(), receiptId);
        if (!found) throw new TillError('NOT_FOUND', `There is no sale ${receiptId} on this till.`, because('receipt.unknown', { id: receiptId }));
        return Promise.resolve<ReceiptLayoutView>(screenReceiptLayout(receiptDocument(found.entry), store, config.devices.printerWidth, config, copy === true));
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
    reprintReceipt: () => {
      try {
        const copy = sale.reprint();
        reprintReceiptOf(services.db(), copy.receiptId, services.clock.now());
        services.devices.wakePrinter();
        return Promise.resolve(copy);
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
    printProvisional: () => {
      try {
        const { receipt } = sale.provisional();
        services.devices.wakePrinter();
        return Promise.resolve(receipt);
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)));
      }
    },
  };
}
