import type { RouteName, TillBridge } from '../api/contract';
import type { ManagerService } from './manager-service';

export type ManagerRouteName = Extract<RouteName, `manager${string}`>;

/**
 * The manager routes: each checks the session before it reads or changes anything (the login excepted), so a
 * caller with only the API token (the cashier's screen) gets 401 from every one of them.
 */
export function createManagerHandlers(manager: ManagerService): Pick<TillBridge, ManagerRouteName> {
  const guarded = <T>(session: string, fn: () => T | Promise<T>): Promise<T> => {
    try {
      manager.require(session);
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  };
  return {
    managerLogin: ({ pin }) => manager.login(pin),
    managerLogout: ({ session }) => Promise.resolve(manager.logout(session)),
    managerSync: ({ session }) => guarded(session, () => manager.sync()),
    managerRetry: ({ session, id, seq, note }) => guarded(session, () => manager.retry(id, seq, note)),
    managerResolve: ({ session, id, seq, note }) => guarded(session, () => manager.resolve(id, seq, note)),
    managerWriteOff: ({ session, id, seq, note }) => guarded(session, () => manager.writeOff(id, seq, note)),
    managerRules: ({ session, query }) => guarded(session, () => manager.rules(query)),
    managerRefreshRules: ({ session, query }) => guarded(session, () => manager.refreshRules(query)),
    managerExplainRule: ({ session, id }) => guarded(session, () => manager.explainRule(id)),
    managerDevices: ({ session }) => guarded(session, () => manager.devices()),
    managerTestPrint: ({ session }) => guarded(session, () => manager.testPrint()),
    managerOpenDrawer: ({ session }) => guarded(session, () => manager.openDrawer()),
    managerDay: ({ session }) => guarded(session, () => manager.day()),
    managerOpenDay: ({ session, operatorId }) => guarded(session, () => manager.openDay(operatorId)),
    managerCloseDay: ({ session, countedCash }) => guarded(session, () => manager.closeDay(countedCash)),
    managerReport: ({ session, kind, businessDayId }) => guarded(session, () => manager.report(kind, businessDayId)),
    managerPrintReport: ({ session, kind, businessDayId }) => guarded(session, () => manager.printReport(kind, businessDayId)),
    managerTraining: ({ session, on }) => guarded(session, () => manager.fiscal.setTraining(on)),
    managerCashWithdrawal: ({ session, amount, note }) => guarded(session, () => manager.fiscal.withdrawCash(amount, note)),
    managerSettings: ({ session }) => guarded(session, () => manager.settings()),
    managerSaveSettings: ({ session, ...change }) => guarded(session, () => manager.saveSettings(change)),
  };
}
