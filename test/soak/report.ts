/** The soak's summary table and its one-line JSON figures. */
import type { SoakResult } from './run-soak';

export type SoakFigures = {
  readonly sales: number;
  readonly kills: number;
  readonly faults: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly max_queue_age_s: number;
  readonly peak_rss_mb: number;
};

export function figuresOf(r: SoakResult): SoakFigures {
  return { sales: r.sales, kills: r.kills, faults: r.faults, lost: r.lost, duplicated: r.duplicated, max_queue_age_s: r.maxQueueAgeS, peak_rss_mb: r.peakRssMb };
}

/** Columns padded to their widest cell; the first and (for `textLast`) the last column left-aligned, numbers right. */
function table(rows: readonly (readonly string[])[], textLast = false): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  const last = widths.length - 1;
  const cell = (text: string, c: number): string => (c === 0 || (textLast && c === last) ? text.padEnd(widths[c] ?? 0) : text.padStart(widths[c] ?? 0));
  return rows.map((r) => r.map(cell).join('  ').trimEnd()).join('\n');
}

function startTimes(ms: readonly number[]): string {
  if (ms.length === 0) return '-';
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return `median ${at(0.5)} ms, 95th percentile ${at(0.95)} ms`;
}

export function formatSummary(r: SoakResult): string {
  const o = r.options;
  const k = r.chaos.kills;
  const v = r.audit.verdicts;
  const out: string[] = [];
  out.push(`Soak: ${o.tills} tills, ${o.minutes} min of sales (one every ~${o.saleEveryMs / 1000} s per till), seed ${o.seed}${o.sharedMembers ? ', members shared by every till' : ''}`);
  out.push(`Replay: npm run soak -- --minutes ${o.minutes} --kills ${o.kills} --tills ${o.tills} --seed ${o.seed}${o.sharedMembers ? ' --shared-members' : ''}`);
  out.push('');
  out.push(
    table([
      ['till', 'sales', 'voids', 'refunds', 'effects', 'done', 'needs attention', 'other'],
      ...r.audit.tills.map((t) => [
        t.posId,
        String(t.sales),
        String(t.voids),
        String(t.refunds),
        String(t.effects),
        String(t.envelopes['done'] ?? 0),
        String(t.envelopes['needs_attention'] ?? 0),
        String(Object.entries(t.envelopes).filter(([s]) => s !== 'done' && s !== 'needs_attention').reduce((n, [, c]) => n + c, 0)),
      ]),
    ]),
  );
  out.push('');
  const faultKinds = Object.entries(r.faultsByKind)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  out.push(
    table([
      ['figure', 'value'],
      ['sales committed', String(r.sales)],
      ['kills (SIGKILL)', `${r.kills} (random ${k.random}, mid-request ${k['mid-request']}, mid-commit ${k['mid-commit']}, CLI sale mid-run ${k.cli})`],
      ['faults injected', `${r.faults} (${faultKinds})`],
      ['offline', `${r.chaos.offlinePeriods} periods, ${Math.round(r.chaos.offlineMs / 1000)} s`],
      ['requests to the sandbox', String(r.requests)],
      ['effects exactly once', String(v.ok)],
      ['lost', String(r.lost)],
      ['double debits (member or card charged twice)', String(r.audit.doubleDebits)],
      ['lost payments', String(r.audit.lostPayments)],
      ['duplicated', `${r.duplicated}${r.audit.ghosts ? ` (${r.audit.ghosts} with no committed entry)` : ''}`],
      ['refused by a server', String(v.refused)],
      ['payment outcome undecided', String(v.uncertain)],
      ['held behind those', String(v.held)],
      ['settled by hand', String(v.resolved)],
      ['unsettled', String(v.unsettled)],
      ['balances off', String(r.audit.balanceMismatches)],
      [
        'per effect',
        Object.entries(r.audit.byKind)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([kind, counts]) => `${kind}: ${Object.entries(counts).map(([verdict, n]) => `${verdict} ${n}`).join(' ')}`)
          .join('; '),
      ],
      ['journals', r.journals.map((j) => `${j.posId} ${j.ok ? 'ok' : 'BROKEN'}`).join(', ')],
      ['manager', `${r.manager.retries} retries of uncertain payments, ${r.manager.drains} hand drains (${r.manager.drainsKilled} killed)`],
      ['max queue age', `${r.maxQueueAgeS} s`],
      ['peak agent RSS', `${r.peakRssMb} MB`],
      ['agent restart to ready', startTimes(r.chaos.startMs)],
      ['starts refused: database busy', `${r.chaos.busyStarts} (each started on a later try)`],
      ['chaos / drain', `${Math.round(r.chaosMs / 1000)} s / ${Math.round(r.drainMs / 1000)} s`],
      ['interrupted sales', String(r.driver.interrupted)],
    ], true),
  );
  const refusals = Object.entries(r.audit.refusals);
  if (refusals.length > 0) {
    out.push('', 'Refused by a server (in the manager queue; later envelopes of the same customer are held behind them):');
    for (const [reason, n] of refusals) out.push(`  ${n} envelope${n === 1 ? '' : 's'}: ${reason}`);
  }
  if (r.crashes.length > 0) out.push('', 'Crashes and failed restarts:', ...r.crashes.map((c) => `  ${c.split('\n').slice(0, 6).join('\n    ')}`));
  if (r.driver.unexpected.length > 0) out.push('', 'Unexpected answers to the cashier:', ...r.driver.unexpected.map((u) => `  ${u.split('\n')[0] ?? ''}`));
  if (r.audit.findings.length > 0) out.push('', 'Findings:', ...r.audit.findings.map((f) => `  ${f}`));
  out.push('', r.passed ? 'PASS: every effect applied exactly once, journals verify, balances match.' : 'FAIL: see above.');
  if (o.keep) out.push(`Data kept in ${r.workDir}`);
  return `${out.join('\n')}\n`;
}
