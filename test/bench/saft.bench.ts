import path from 'node:path';
import fs from 'node:fs';
import { exportSaft } from '../../main/agent/saft-export';
import type { BenchEntry } from './bench-types';
import { SALES, type YearOfSales, yearOfSales } from './year-of-sales';

/**
 * `saft.export.100000` (issue 18): a year of a busy till, 100,000 signed three-line sales, exported as SAF-T Cash
 * Register XML. Target: under 60 s and 300 MB RSS. The sales are committed (and signed) in setup.
 */
const entries: BenchEntry[] = [
  {
    name: 'saft.export.100000',
    target: '< 60 s, RSS <= 300 MB',
    samples: 1,
    setup: yearOfSales,
    run(state) {
      const s = state as YearOfSales;
      const r = exportSaft(s.db, s.config, { from: '2026-01-01', to: '2026-12-31', out: path.join(s.dir, 'saft.xml'), now: new Date() });
      if (r.transactions !== SALES) throw new Error(`exported ${r.transactions} transactions, expected ${SALES}`);
    },
    teardown(state) {
      const s = state as YearOfSales;
      s.db.close();
      fs.rmSync(s.dir, { recursive: true, force: true });
    },
  },
];

export default entries;
