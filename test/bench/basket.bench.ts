import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SaleService } from '../../main/agent/sale-service';
import { ScanStream } from '../../main/devices/scanners/scan-stream';
import { silentLogger } from '../../main/log';
import { openDb, type WritableDb } from '../../main/store';
import { openBusinessDay, openShift } from '../../main/store/ledger';
import { minor } from '../../main/core/money';
import { SCAN, seedTill } from '../integration/sale-api/seed';
import type { BenchEntry } from './bench-types';

type State = { dir: string; db: WritableDb; sale: SaleService; stream: ScanStream; n: number };

const CODES = [SCAN.milk, SCAN.bread, SCAN.soap];

/**
 * `sale.scan.persisted`: one scan through the sale service into the basket, with the open basket written to a
 * real SQLite file (WAL, synchronous=FULL) as every change is (migration 0120). The basket grows to 30 lines and
 * is cancelled, so the stored body is the size of a large real basket.
 */
const entries: BenchEntry[] = [
  {
    name: 'sale.scan.persisted',
    target: 'p50 <= 1 ms, p99 <= 20 ms (scan -> priced basket, stored in SQLite)',
    samples: 600,
    setup: (): State => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-bench-basket-'));
      const db = openDb(path.join(dir, 'till.sqlite'));
      seedTill(db);
      const now = new Date();
      openBusinessDay(db, now);
      openShift(db, 'bench', minor(0), now);
      const logger = silentLogger();
      const sale = new SaleService({
        till: { branchId: 'bench', posId: 'p1', currency: 'NOK' },
        db: () => db,
        clock: { now: () => new Date() },
        logger: () => logger,
        onDidChange: () => undefined,
      });
      const stream = new ScanStream({ clock: { now: () => new Date() }, parse: { inStoreLayouts: [] } });
      return { dir, db, sale, stream, n: 0 };
    },
    run: (state) => {
      const s = state as State;
      if (s.n % 30 === 29) s.sale.cancel();
      // setQuantity-free path: alternate codes so each scan adds a line (merging would keep the basket small).
      const event = s.stream.push('bench', { raw: CODES[s.n++ % CODES.length] as string, symbology: undefined });
      const outcome = s.sale.acceptScan(event);
      if (!outcome.ok) throw new Error(`bench scan went wrong: ${JSON.stringify(outcome.notice)}`);
    },
    teardown: (state) => {
      const s = state as State;
      s.stream.dispose();
      s.db.close();
      fs.rmSync(s.dir, { recursive: true, force: true });
    },
  },
];

export default entries;
