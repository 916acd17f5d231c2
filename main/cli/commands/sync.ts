import type { Command } from 'commander';
import type { LoadedConfig } from '../../config';
import { TillError } from '../../core/errors';
import { safeText } from '../../core/safe-text';
import { minor, toDecimal } from '../../core/money';
import { currencyExponent } from '../../core/sale/currency';
import { openDb, openReadonlyDb, type ReadableDb, type WritableDb } from '../../store';
import { outboxStatus, resolveEffect, resolveEnvelope, retryEffect, retryEnvelope, writeOffEffect, type OutboxStatus } from '../../store/outbox';
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

/** `12` names envelope 12; `12.3` names its effect 3, as `sync status` prints them. */
export function parseTarget(text: string): { readonly envelopeId: number; readonly seq?: number } {
  const m = /^#?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m?.[1]) {
    throw new TillError('SCHEMA_INVALID', `"${text}" is not an envelope or effect id (12 for an envelope, 12.3 for one of its effects; see \`till-agent sync status\`).`);
  }
  return m[2] === undefined ? { envelopeId: Number(m[1]) } : { envelopeId: Number(m[1]), seq: Number(m[2]) };
}

function effectTarget(text: string): { readonly envelopeId: number; readonly seq: number } {
  const t = parseTarget(text);
  if (t.seq === undefined) throw new TillError('SCHEMA_INVALID', `"${text}" names an envelope; name the effect to write off (e.g. ${t.envelopeId}.2, from \`till-agent sync status\`).`);
  return { envelopeId: t.envelopeId, seq: t.seq };
}

function recommendationOf(evidence: unknown): string | undefined {
  const r = evidence !== null && typeof evidence === 'object' ? (evidence as { recommendation?: unknown }).recommendation : undefined;
  return typeof r === 'string' ? r : undefined;
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
  if (status.checking > 0) lines.push(`Checking: ${status.checking} payment(s) whose answer was lost; the till reads the balance again by itself`);
  if (status.needsAttention.length > 0) {
    lines.push('Needs attention:');
    for (const item of status.needsAttention) {
      // Escaped again here: a reason stored before the connector escaped it must not drive the terminal.
      lines.push(`  #${item.id} ${item.kind} ${safeText(item.ref, 120)}`);
      for (const e of item.effects) {
        const risk = e.amountAtRisk > 0 ? `, ${money(e.amountAtRisk)} at risk` : '';
        lines.push(`    ${e.id} ${e.kind} [${e.reasonCode ?? 'unknown'}${risk}]: ${e.reason === null ? 'no reason recorded' : safeText(e.reason)}`);
        const advice = recommendationOf(e.evidence);
        if (advice) lines.push(`      Recommended: ${advice}`);
        if (e.mandated) lines.push(`      A ${e.kind === 'receipt' ? 'receipt' : 'Loyalty transaction'} cannot be resolved: retry it, or \`sync write-off ${e.id} --note TEXT\` (counted in the day's report).`);
      }
    }
    lines.push('One effect at a time: `till-agent sync retry <id>`, or settle it by hand with `till-agent sync resolve <id> --note TEXT` (ids like 12.3).');
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
  const sync = newCommand('sync', 'the outbox of deliveries to the back ends: status, retry, resolve, write-off, drain');

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

  /** Opens the till's database for one manager action, runs it and closes it again. */
  const withTillDb = (cmd: Command, run: (db: WritableDb) => string): void => {
    try {
      const { config } = loadFromOptions(cmd.optsWithGlobals<CommonOptions>());
      const db: WritableDb = openExistingTillDb(config.dataDir, (f) => openDb(f));
      try {
        stdout.write(run(db));
      } finally {
        db.close();
      }
    } catch (err) {
      reportFailure(err);
    }
  };

  sync
    .command('retry')
    .description('try an effect (12.3) or every waiting effect of an envelope (12) again now; an uncertain payment is checked first, never resent blindly')
    .argument('<id>', 'effect or envelope id, from `sync status`')
    .option('--note <text>', 'why, for the record')
    .action((id: string, opts: { note?: string }, cmd: Command) => {
      withTillDb(cmd, (db) => {
        const t = parseTarget(id);
        if (t.seq === undefined) {
          const env = retryEnvelope(db, t.envelopeId, new Date(), opts.note);
          return `Envelope #${env.id} (${env.kind} ${env.ref}) is pending again; the running agent or \`till-agent sync drain\` delivers it.\n`;
        }
        const e = retryEffect(db, { envelopeId: t.envelopeId, seq: t.seq }, new Date(), opts.note);
        const how = e.state === 'uncertain' ? 'will be checked against the balance first and sent again only if it did not land' : 'is pending again';
        return `Effect ${t.envelopeId}.${t.seq} (${e.kind}) ${how}; the running agent or \`till-agent sync drain\` delivers it.\n`;
      });
    });

  sync
    .command('resolve')
    .description('mark one effect settled by hand (12.3, or 12 when only one effect of it can be resolved); the rest of the sale is still delivered')
    .argument('<id>', 'effect or envelope id, from `sync status`')
    .requiredOption('--note <text>', 'how it was settled, for the record')
    .action((id: string, opts: { note: string }, cmd: Command) => {
      withTillDb(cmd, (db) => {
        const t = parseTarget(id);
        if (t.seq === undefined) {
          const env = resolveEnvelope(db, t.envelopeId, opts.note, new Date());
          return `Envelope #${env.id} (${env.kind} ${env.ref}): its one waiting effect is resolved by hand (${opts.note}); it is now ${env.state}.\n`;
        }
        const e = resolveEffect(db, { envelopeId: t.envelopeId, seq: t.seq }, opts.note, new Date());
        return `Effect ${t.envelopeId}.${t.seq} (${e.kind}) is resolved by hand: ${opts.note}\n`;
      });
    });

  sync
    .command('write-off')
    .description("write off a receipt or Loyalty transaction the back end will never take; needs a note and is counted in the day's report")
    .argument('<id>', 'effect id (e.g. 12.3), from `sync status`')
    .requiredOption('--note <text>', 'why it is written off, for the record and the day report')
    .action((id: string, opts: { note: string }, cmd: Command) => {
      withTillDb(cmd, (db) => {
        const e = writeOffEffect(db, effectTarget(id), opts.note, new Date());
        return `Effect ${e.envelopeId}.${e.seq} (${e.kind}) is written off: ${opts.note}. The day's X/Z report counts it.\n`;
      });
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
