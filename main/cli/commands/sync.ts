import type { Command } from 'commander';
import type { LoadedConfig } from '../../config';
import { TillError } from '../../core/errors';
import { safeText } from '../../core/safe-text';
import { minor, toDecimal } from '../../core/money';
import { currencyExponent } from '../../core/sale/currency';
import { openDb, openReadonlyDb, type ReadableDb, type WritableDb } from '../../store';
import { outboxStatus, resolveEnvelope, retryEnvelope, type OutboxStatus } from '../../store/outbox';
import { OutboxWorker, realSleep, type Connector } from '../../sync/outbox';
import { openExistingTillDb } from '../till-db';
import { type CommonOptions, loadFromOptions, newCommand, reportFailure } from '../common';

export type Output = { write(text: string): unknown; readonly isTTY?: boolean };

export type SyncCommandDeps = {
  /**
   * Builds the connector `sync drain` delivers through, from the till's configuration; undefined when no back
   * end is configured. The real Dintero and Loyalty connectors plug in here.
   */
  readonly connectorFactory?: (config: LoadedConfig['config'], db: WritableDb) => Connector | undefined;
  readonly stdout?: Output;
  readonly stderr?: Output;
};

/** Exit code of `sync drain` when no back end is configured: nothing was attempted. */
export const EXIT_NO_BACKEND = 2;

function parseId(text: string): number {
  if (!/^\d+$/.test(text)) throw new TillError('SCHEMA_INVALID', `"${text}" is not an envelope id (a whole number; see \`till-agent sync status\`).`);
  return Number(text);
}

/** "2d 3h", "14m 5s", "800 ms": the age of the oldest undelivered envelope, readable at a glance. */
export function formatAge(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = Math.floor(ms / 1000);
  const units: [number, string][] = [
    [Math.floor(s / 86_400), 'd'],
    [Math.floor((s % 86_400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ];
  const first = units.findIndex(([n]) => n > 0);
  return units
    .slice(first, first + 2)
    .map(([n, u]) => `${n}${u}`)
    .join(' ');
}

export function formatStatus(status: OutboxStatus, currency: string): string {
  const money = (amount: number): string => `${toDecimal(minor(amount), currencyExponent(currency))} ${currency}`;
  const c = status.counts;
  const lines = [
    `Outbox: ${c.pending} pending, ${c.in_flight} in flight, ${c.retry} waiting to retry, ${c.needs_attention} need attention, ${c.done} done`,
    `Oldest undelivered: ${status.oldestPendingAgeMs === null ? 'none' : `${formatAge(status.oldestPendingAgeMs)} old`}`,
    `Exposure: ${money(status.exposure)} at risk in envelopes needing attention; ${money(status.openExposure)} open offline in all undelivered envelopes`,
  ];
  if (status.needsAttention.length > 0) {
    lines.push('Needs attention:');
    for (const item of status.needsAttention) {
      const risk = item.amountAtRisk > 0 ? `, ${money(item.amountAtRisk)} at risk` : '';
      // Escaped again here: a reason stored before the connector escaped it must not drive the terminal.
      lines.push(`  #${item.id} ${item.kind} ${safeText(item.ref, 120)} [${item.reasonCode ?? 'unknown'}${risk}]: ${item.reason === null ? 'no reason recorded' : safeText(item.reason)}`);
    }
    lines.push('Retry with `till-agent sync retry <id>`, or settle by hand with `till-agent sync resolve <id> --note TEXT`.');
  }
  return `${lines.join('\n')}\n`;
}

/** A progress bar on a terminal only; a redirected stream gets the summary alone. */
function progressBar(out: Output, total: number): ((done: number) => void) | undefined {
  if (!out.isTTY || total === 0) return undefined;
  const width = 30;
  return (done) => {
    const shown = Math.min(done, total);
    const filled = Math.round((shown / total) * width);
    out.write(`\rdelivering [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${shown}/${total}`);
  };
}

export function syncCommand(deps: SyncCommandDeps = {}): Command {
  const stdout = deps.stdout ?? process.stdout;
  const stderr = deps.stderr ?? process.stderr;
  const sync = newCommand('sync', 'the outbox of deliveries to the back ends: status, retry, resolve, drain');

  sync
    .command('status')
    .description('counts by state, age of the oldest undelivered envelope, envelopes needing attention and the exposure')
    .option('--json', 'print machine-readable JSON')
    .action((opts: { json?: boolean }, cmd: Command) => {
      try {
        const { config } = loadFromOptions(cmd.optsWithGlobals<CommonOptions>());
        const db: ReadableDb = openExistingTillDb(config.dataDir, openReadonlyDb);
        try {
          const status = outboxStatus(db, new Date());
          stdout.write(opts.json ? `${JSON.stringify({ ...status, currency: config.currency })}\n` : formatStatus(status, config.currency));
        } finally {
          db.close();
        }
      } catch (err) {
        reportFailure(err);
      }
    });

  sync
    .command('retry')
    .description('send an envelope that needs attention (or waits to retry) again now')
    .argument('<id>', 'envelope id, from `sync status`')
    .option('--note <text>', 'why, for the record')
    .action((id: string, opts: { note?: string }, cmd: Command) => {
      try {
        const { config } = loadFromOptions(cmd.optsWithGlobals<CommonOptions>());
        const db: WritableDb = openExistingTillDb(config.dataDir, (f) => openDb(f));
        try {
          const env = retryEnvelope(db, parseId(id), new Date(), opts.note);
          stdout.write(`Envelope #${env.id} (${env.kind} ${env.ref}) is pending again; the running agent or \`till-agent sync drain\` delivers it.\n`);
        } finally {
          db.close();
        }
      } catch (err) {
        reportFailure(err);
      }
    });

  sync
    .command('resolve')
    .description('mark an envelope done by hand (its undelivered effects were settled another way); the note is kept')
    .argument('<id>', 'envelope id, from `sync status`')
    .requiredOption('--note <text>', 'how it was settled, for the record')
    .action((id: string, opts: { note: string }, cmd: Command) => {
      try {
        const { config } = loadFromOptions(cmd.optsWithGlobals<CommonOptions>());
        const db: WritableDb = openExistingTillDb(config.dataDir, (f) => openDb(f));
        try {
          const env = resolveEnvelope(db, parseId(id), opts.note, new Date());
          stdout.write(`Envelope #${env.id} (${env.kind} ${env.ref}) is resolved by hand: ${opts.note}\n`);
        } finally {
          db.close();
        }
      } catch (err) {
        reportFailure(err);
      }
    });

  sync
    .command('drain')
    .description('deliver everything that can be delivered now; exits non-zero if anything is left needing attention')
    .option('--wait <seconds>', 'also wait for retries that come due within this many seconds', '0')
    .action(async (opts: { wait: string }, cmd: Command) => {
      try {
        const { config } = loadFromOptions(cmd.optsWithGlobals<CommonOptions>());
        const waitSeconds = Number(opts.wait);
        if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new TillError('SCHEMA_INVALID', `--wait must be a number of seconds, not "${opts.wait}".`);
        const db: WritableDb = openExistingTillDb(config.dataDir, (f) => openDb(f));
        try {
          const connector = deps.connectorFactory?.(config, db);
          if (!connector) {
            stderr.write('till-agent: no back end configured; nothing was delivered.\nConfigure the Dintero and Loyalty connections in the config file.\n');
            process.exitCode = EXIT_NO_BACKEND;
            return;
          }
          const before = outboxStatus(db, new Date()).counts;
          const bar = progressBar(stderr, before.pending + before.retry + before.in_flight);
          let settled = 0;
          const worker = new OutboxWorker({
            db,
            connector,
            clock: { now: () => new Date() },
            sleep: realSleep,
            random: Math.random,
            onDidSettle: (_env, settlement) => {
              if (settlement === 'done' || settlement === 'needs_attention') bar?.((settled += 1));
            },
          });
          const report = await worker.drain({ waitForRetriesMs: waitSeconds * 1000 });
          if (bar) stderr.write('\n');
          const after = outboxStatus(db, new Date());
          stdout.write(
            `Delivered ${report.done} envelope(s) in ${report.attempts} attempt(s); ${after.counts.pending + after.counts.retry} still waiting, ${after.counts.needs_attention} need attention.\n`,
          );
          if (after.counts.needs_attention > 0) {
            stdout.write(formatStatus(after, config.currency));
            process.exitCode = 1;
          }
        } finally {
          db.close();
        }
      } catch (err) {
        reportFailure(err);
      }
    });

  return sync;
}
