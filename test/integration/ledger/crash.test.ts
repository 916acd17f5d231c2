import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../main/store';
import { verifyJournal } from '../../../main/store/journal';
import { seededRandom } from '../../../main/sync/outbox';
import { tempDir } from '../../helpers/temp-dir';

const CHILD = path.join(import.meta.dirname, 'sale-loop-child.ts');
const KILLS = 24;

type Run = { readonly reported: string[]; readonly signal: NodeJS.Signals | null; readonly code: number | null; readonly stderr: string };

/**
 * Starts the sale loop and kills it with SIGKILL once it has reported `afterCommits` commits; with `nextTick`
 * the kill waits one more turn of the event loop, so it lands at another point of the following commit.
 */
function killedRun(file: string, seed: number, afterCommits: number, nextTick: boolean): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const reported: string[] = [];
    let ready = false;
    let pending = '';
    let stderr = '';
    let killed = false;
    const kill = (): void => {
      if (killed) return;
      killed = true;
      if (nextTick) setImmediate(() => child.kill('SIGKILL'));
      else child.kill('SIGKILL');
    };
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') ready = true;
        else reported.push(line);
      }
      if (ready && reported.length >= afterCommits) kill();
    });
    child.on('exit', (code, signal) => resolve({ reported, signal, code, stderr }));
  });
}

const all = <T>(db: ReturnType<typeof openDb>, sql: string): T[] => db.prepare(sql).all() as T[];
const one = <T>(db: ReturnType<typeof openDb>, sql: string): T => db.prepare(sql).get() as T;

describe('SIGKILL during sale commits', () => {
  // A generous timeout: each round starts a child process and signs every sale; a loaded machine took over 60 s once.
  it('after kills at random moments and restarts, every sale is whole and the numbers and journal have no gaps', async () => {
    const random = seededRandom(20261123);
    const file = path.join(tempDir('till-crash-'), 'till.sqlite');
    const reported: string[] = [];
    for (let round = 0; round < KILLS; round++) {
      const run = await killedRun(file, round + 1, Math.floor(random() * 12), random() < 0.5);
      // Died of the kill, not of an error of its own.
      expect(run.signal, run.stderr).toBe('SIGKILL');
      reported.push(...run.reported);
    }

    const db = openDb(file);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const verdict = verifyJournal(db);
      expect(verdict).toMatchObject({ ok: true });

      const sales = all<{ id: number; sale_no: number; receipt_id: string; kind: string; document_json: string }>(
        db,
        'SELECT id, sale_no, receipt_id, kind, document_json FROM sales ORDER BY sale_no',
      );
      // Enough happened to mean something: sales in most rounds, some voids, some offline gift cards.
      expect(sales.length).toBeGreaterThan(KILLS);
      expect(sales.some((s) => s.kind === 'void')).toBe(true);
      expect(one<{ n: number }>(db, "SELECT count(*) AS n FROM sale_tenders WHERE kind = 'gift_card' AND offline = 1").n).toBeGreaterThan(0);

      // Gap-free numbers, and the counter agrees (a refused or killed sale took no number).
      expect(sales.map((s) => s.sale_no)).toEqual(sales.map((_, i) => i + 1));
      expect(one<{ n: number }>(db, 'SELECT last_sale_no AS n FROM sale_counters').n).toBe(sales.length);

      // Whatever a process reported as committed survived its death.
      const receipts = new Set(sales.map((s) => s.receipt_id));
      for (const r of reported) expect(receipts.has(r), r).toBe(true);

      const perSale = (sql: string): Map<number, number> => new Map(all<{ id: number; n: number }>(db, sql).map((r) => [r.id, r.n]));
      const envelopes = perSale('SELECT s.id, count(e.id) AS n FROM sales s LEFT JOIN outbox_envelopes e ON e.ref = s.receipt_id GROUP BY s.id');
      const printJobs = perSale('SELECT s.id, count(p.id) AS n FROM sales s LEFT JOIN print_jobs p ON p.sale_id = s.id GROUP BY s.id');
      const journal = perSale('SELECT s.id, count(j.seq) AS n FROM sales s LEFT JOIN journal j ON j.sale_id = s.id GROUP BY s.id');
      const lines = perSale('SELECT s.id, count(l.line_id) AS n FROM sales s LEFT JOIN sale_lines l ON l.sale_id = s.id GROUP BY s.id');
      const tenders = perSale('SELECT s.id, count(t.tender_index) AS n FROM sales s LEFT JOIN sale_tenders t ON t.sale_id = s.id GROUP BY s.id');
      const effects = perSale('SELECT s.id, count(f.seq) AS n FROM sales s JOIN outbox_envelopes e ON e.ref = s.receipt_id LEFT JOIN outbox_effects f ON f.envelope_id = e.id GROUP BY s.id');
      for (const s of sales) {
        const doc = JSON.parse(s.document_json) as { receipt: { items: unknown[] }; tenders: unknown[] };
        expect([envelopes.get(s.id), printJobs.get(s.id), journal.get(s.id)], s.receipt_id).toEqual([1, 1, 1]);
        // No half-written sale: every line and tender of the stored document has its row, and the envelope its effects.
        expect([lines.get(s.id), tenders.get(s.id)], s.receipt_id).toEqual([doc.receipt.items.length, doc.tenders.length]);
        expect(effects.get(s.id) ?? 0, s.receipt_id).toBeGreaterThan(0);
      }
      // And nothing that belongs to no sale.
      const count = (sql: string): number => one<{ n: number }>(db, sql).n;
      expect(count('SELECT count(*) AS n FROM outbox_envelopes')).toBe(sales.length);
      expect(count('SELECT count(*) AS n FROM print_jobs')).toBe(sales.length);
      expect(count("SELECT count(*) AS n FROM journal WHERE kind IN ('sale', 'void', 'refund')")).toBe(sales.length);
      expect(count('SELECT count(*) AS n FROM journal WHERE sale_id IS NULL')).toBe(3); // the day and the shift, opened once, and the cashier's log-in event
      // The risk recorded on the tenders is exactly the risk the outbox carries.
      expect(count('SELECT COALESCE(SUM(amount_at_risk), 0) AS n FROM outbox_effects')).toBe(count('SELECT COALESCE(SUM(amount_at_risk_minor), 0) AS n FROM sale_tenders'));
    } finally {
      db.close();
    }
  }, 180_000);
});
