import fs from 'node:fs';
import type { Command } from 'commander';
import { dbPath } from '../../agent/data-dir';
import { TillError } from '../../core/errors';
import { openReadonlyDb, preflightDb } from '../../store';
import { verifyJournal } from '../../store/journal';
import { type CommonOptions, loadFromOptions, newCommand, reportFailure } from '../common';

export function journalCommand(): Command {
  const journal = newCommand('journal', "the till's hash-chained journal of days, shifts, sales, voids and refunds");
  journal
    .command('verify')
    .description('check every link of the journal and every sale it records; report the first broken link (exit 1)')
    .option('--json', 'print the verdict as JSON')
    .action((opts: { json?: boolean }, cmd: Command) => {
      try {
        const { config } = loadFromOptions(cmd.optsWithGlobals<CommonOptions>());
        const file = dbPath(config.dataDir);
        if (!fs.existsSync(file)) throw new TillError('NOT_FOUND', `There is no till database at ${file}.`, { fix: 'Check --data-dir or --config.' });
        preflightDb(file);
        const db = openReadonlyDb(file);
        try {
          const verdict = verifyJournal(db);
          if (opts.json) process.stdout.write(`${JSON.stringify(verdict)}\n`);
          else if (verdict.ok) process.stdout.write(`journal intact: ${verdict.entries} entries, last hash ${verdict.lastHash}\n`);
          else process.stdout.write(`journal BROKEN at entry ${verdict.brokenAt}: ${verdict.problem} (${verdict.entries} entries before it are intact)\n`);
          if (!verdict.ok) process.exitCode = 1;
        } finally {
          db.close();
        }
      } catch (err) {
        reportFailure(err);
      }
    });
  return journal;
}
