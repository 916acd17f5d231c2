import type { AgentEvent, Status, TillBridge } from '../api/contract';
import type { Config } from '../config';
import type { Clock } from '../core/clock';
import { cashUnitFor } from '../core/sale';
import type { DeviceManager } from '../devices/device-manager';
import type { CardTerminal } from '../devices/terminal/card-terminal';
import { SimulatedTerminal } from '../devices/terminal/simulated-terminal';
import type { Logger } from '../log';
import type { WritableDb } from '../store';
import { searchCatalogByName } from '../store/catalog';
import type { RulesPullResult } from '../sync/pull/rules-pull';
import { importDemoCatalogIfEmpty } from './demo-catalog';
import { type BackEnds, MemberDirectory } from './member-directory';
import { createManagerHandlers } from './manager-handlers';
import { ManagerService } from './manager-service';
import { createReceiptHandlers } from './receipt-handlers';
import { SaleService } from './sale-service';
import type { ValuePayments } from './sale/value-payments';

/** What the API handlers may use; start-agent.ts builds it. */
export type AgentServices = {
  readonly config: Config;
  /** The database; throws while the agent is still starting (the API answers before the file is opened). */
  db(): WritableDb;
  status(): Status;
  readonly devices: DeviceManager;
  publish(event: AgentEvent): void;
  readonly clock: Clock;
  logger(): Logger;
  /** The sale at this till; built from the services above when start-agent does not pass one. */
  readonly sale?: SaleService;
  /** A sale was committed: deliver its effects now rather than at the next look at the queue. */
  wakeSync?(): void;
  /** Gift-card and points payments at tender time (main/agent/sale/value-payments.ts); without it the outbox pays. */
  readonly valuePayments?: ValuePayments;
  /** The back-end clients for lookups while the customer waits; without them lookups use the caches only. */
  readonly backEnds?: BackEnds;
  /** Pull the discount rules now (the manager's "refresh"); undefined result when Dintero is not configured. */
  refreshRules?(): Promise<RulesPullResult | undefined>;
  /** The config file the till's settings come from, for the manager's settings view. */
  readonly configFile?: string | undefined;
  /** The environment the config was loaded with (process.env when not given): its `TILL_*` variables win. */
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** The manager back office; built from the services above when start-agent does not pass one. */
  readonly manager?: ManagerService;
  /** Manager session idle time and expiry sweep (tests shorten them; main/agent/manager-sessions.ts has the defaults). */
  readonly managerSessionTimes?: { readonly idleMs?: number; readonly sweepMs?: number } | undefined;
  /** The kiosk's card terminal; a demo kiosk without one gets the simulated terminal (docs/screens.md). */
  readonly cardTerminal?: CardTerminal | undefined;
};

function cardTerminalFor(services: Omit<AgentServices, 'sale'>): CardTerminal | undefined {
  if (services.cardTerminal) return services.cardTerminal;
  return services.config.demo && services.config.mode === 'kiosk' ? new SimulatedTerminal() : undefined;
}

/** The operator a demo till opens its shift for. */
export const DEMO_OPERATOR = 'demo';

/** The sale service of an agent: scans from the device manager go into its basket; every change is published. */
export function createSaleService(services: Omit<AgentServices, 'sale'>): SaleService {
  const { config } = services;
  const sale = new SaleService({
    till: { branchId: config.branchId, posId: config.posId, currency: config.currency, storeId: config.store.id, cashUnit: cashUnitFor(config.currency, config.cashUnit) },
    mode: config.mode,
    cardTerminal: cardTerminalFor(services),
    onDidQueuePrint: () => services.devices.wakePrinter(),
    db: () => services.db(),
    clock: services.clock,
    logger: () => services.logger(),
    onDidChange: (view) => services.publish({ type: 'sale', sale: view }),
    onDidCommit: () => {
      services.devices.wakePrinter();
      services.wakeSync?.();
    },
    searchByName: searchCatalogByName,
    valuePayments: services.valuePayments,
    wakeSync: () => services.wakeSync?.(),
    offlineLimits: config.offlineLimits,
    directory: new MemberDirectory({
      db: () => services.db(),
      backEnds: services.backEnds ?? { loyalty: () => undefined, dintero: () => undefined },
      now: () => services.clock.now().getTime(),
      logger: () => services.logger(),
      knownOffline: (backEnd) => services.status().online[backEnd] === 'offline',
    }),
    demo: config.demo ? { operatorId: DEMO_OPERATOR, seedCatalog: (db, now) => void importDemoCatalogIfEmpty(db, config.currency, now, services.logger()) } : undefined,
  });
  services.devices.onDidScan((event) => sale.acceptScan(event));
  return sale;
}

/** One handler per contract route: the same functions serve the loopback HTTP API and Electron's IPC. */
export function createHandlers(services: AgentServices): TillBridge {
  const sale = services.sale ?? createSaleService(services);
  const manager =
    services.manager ??
    new ManagerService({
      config: services.config,
      configFile: services.configFile,
      ...(services.env ? { env: services.env } : {}),
      db: () => services.db(),
      clock: services.clock,
      devices: services.devices,
      logger: () => services.logger(),
      refreshRules: services.refreshRules ? () => services.refreshRules?.() ?? Promise.resolve(undefined) : undefined,
      wakeSync: () => services.wakeSync?.(),
      sessionTimes: services.managerSessionTimes,
    });
  // Handlers are synchronous underneath (SQLite is); wrapping keeps one shape and turns throws into rejections.
  const run = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  };
  return {
    getStatus: () => Promise.resolve(services.status()),
    getSale: () => run(() => sale.view()),
    scan: ({ code }) =>
      run(() => {
        // The screen's scans (keyboard wedge, typed codes) go through the same stream as the hardware's.
        const event = services.devices.scans.push('screen', { raw: code, symbology: undefined });
        return { event, outcome: sale.outcomeOf(event) ?? sale.acceptScan(event) };
        // A member code is looked up in the background; the screen that scanned it waits for the answer.
      }).then(({ event, outcome }) => sale.settledOutcomeOf(event) ?? outcome),
    addItem: ({ itemId, quantity, grams }) => run(() => sale.addItem(itemId, quantity, grams)),
    setQuantity: ({ lineId, quantity }) => run(() => sale.setQuantity(lineId, quantity)),
    voidLine: ({ lineId }) => run(() => sale.voidLine(lineId)),
    identifyCustomer: (input) => sale.identifyCustomer(input),
    addTender: (input) => sale.addTender(input),
    checkGiftCard: ({ cardNumber, pin }) => sale.checkGiftCard(cardNumber, pin),
    clearTenders: () => run(() => sale.clearTenders()),
    cancelSale: () => run(() => sale.cancel()),
    suspendSale: () => run(() => sale.suspend()),
    resumeSale: ({ id }) => run(() => sale.resume(id)),
    ...createReceiptHandlers(services, sale),
    priceCheck: ({ code }) => run(() => sale.priceCheck(code)),
    searchItems: ({ query, limit }) => run(() => ({ items: sale.searchItems(query, limit ?? 20) })),
    getShift: () => run(() => sale.shiftView()),
    openBusinessDay: () => run(() => sale.openBusinessDay()),
    closeBusinessDay: () => run(() => sale.closeBusinessDay()),
    openShift: ({ operatorId, openingFloat }) => run(() => sale.openShift(operatorId, openingFloat)),
    closeShift: ({ countedCash }) => run(() => sale.closeShift(countedCash)),
    requestHelp: () => run(() => sale.requestHelp()),
    clearHelp: () => run(() => sale.clearHelp()),
    ...createManagerHandlers(manager),
    approveSale: ({ operatorId }) => run(() => sale.approve(operatorId)),
    payByCard: () => run(() => sale.payByCard()),
    chooseReceipt: ({ print }) => run(() => sale.chooseReceipt(print)),
  };
}
