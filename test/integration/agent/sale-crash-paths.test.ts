import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IdentifyAnswer, MemberDirectory } from '../../../main/agent/member-directory';
import { SaleService } from '../../../main/agent/sale-service';
import type { CardPaymentResult, CardTerminal } from '../../../main/devices/terminal/card-terminal';
import { ScanStream } from '../../../main/devices/scanners/scan-stream';
import { silentLogger } from '../../../main/log';
import { openDb, type WritableDb } from '../../../main/store';
import { tempDir } from '../../helpers/temp-dir';
import { seedTill } from '../sale-api/seed';

/** A promise the test settles by hand: a member lookup or a card terminal that answers when told. */
function later<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
process.on('unhandledRejection', onUnhandled);
afterEach(() => {
  unhandled.length = 0;
});

function till(db: WritableDb, lookup: Promise<IdentifyAnswer>, answer: Promise<CardPaymentResult>): { sale: SaleService; scans: ScanStream } {
  const directory = { identify: () => lookup } as unknown as MemberDirectory;
  const terminal: CardTerminal = { id: 'test-terminal', pay: () => answer };
  const clock = { now: () => new Date() };
  const sale = new SaleService({ till: { branchId: 'b', posId: 'p', currency: 'NOK' }, mode: 'kiosk', cardTerminal: terminal, db: () => db, clock, logger: () => silentLogger(), onDidChange: () => undefined, directory });
  return { sale, scans: new ScanStream({ clock }) };
}

describe('sale crash paths (issue 16)', () => {
  it('a member lookup that finishes after a kiosk card payment started is a notice, not an unhandled rejection', async () => {
    const db = openDb(path.join(tempDir(), 'till.sqlite'));
    try {
      seedTill(db);
      const lookup = later<IdentifyAnswer>();
      const terminal = later<CardPaymentResult>();
      const { sale, scans } = till(db, lookup.promise, terminal.promise);
      sale.openBusinessDay();
      sale.openShift('op-1', 0);
      sale.addItem('milk', undefined, undefined);
      // A hardware scan: nobody awaits its settled outcome.
      expect(sale.acceptScan(scans.push('hid', { raw: 'MEMBER:12345678', symbology: undefined })).notice.code).toBe('member-lookup');
      expect(sale.payByCard().payment?.state).toBe('waiting');
      lookup.resolve({ status: 'found', customer: { memberId: 'm-1', memberNumber: '12345678', name: 'Mia' } });
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
      const view = sale.view();
      expect(view.customer).toBeNull();
      expect(view.notice).toMatchObject({ level: 'error', code: 'unknown-member' });
      expect(view.payment?.state).toBe('waiting');
      terminal.resolve({ outcome: 'approved', terminalRef: 'T-1' });
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
      expect(sale.view().lines).toEqual([]);
      expect(sale.view().lastReceipt).not.toBeNull();
    } finally {
      db.close();
    }
  });

  it('a card answer whose publish fails is logged, never an unhandled rejection', async () => {
    const db = openDb(path.join(tempDir(), 'till.sqlite'));
    try {
      seedTill(db);
      const terminal = later<CardPaymentResult>();
      const { sale } = till(db, Promise.resolve({ status: 'not_found' }), terminal.promise);
      sale.addItem('milk', undefined, undefined);
      sale.payByCard();
      // The database goes away while the customer is at the terminal (a disk fault, a shutdown).
      db.close();
      terminal.resolve({ outcome: 'declined', reason: 'insufficient funds' });
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      if (db.open) db.close();
    }
  });
});
