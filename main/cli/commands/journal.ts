import fs from 'node:fs';
import type { Command } from 'commander';
import { dbPath } from '../../agent/data-dir';
import { TillError } from '../../core/errors';
import { openReadonlyDb, preflightDb } from '../../store';
import { verifyFiscalSignatures } from '../../store/fiscal-verify';
import { verifyJournal } from '../../store/journal';
import { type CommonOptions, loadFromOptions, newCommand, reportFailure } from '../common';

export function journalCommand(): Command {
  const journal = newCommand('journal', "the till's hash-chained journal of days, shifts, sales, voids and refunds");
  journal
    .command('verify')
    .description('check every link of the journal, every sale it records and every fiscal signature; report the first broken link (exit 1)')
    .option('--json', 'print the verdict as JSON')
    .action((opts: { json?: boolean }, cmd: Command) => {
      try {
        const { config } = loadFromOptions(cmd.optsWithGlobals<CommonOptions>());
        const file = dbPath(config.dataDir);
        if (!fs.existsSync(file)) throw new TillError('NOT_FOUND', `There is no till database at ${file}.`, { fix: 'Check --data-dir or --config.' });
        // A verification reads every page anyway: a damaged one is named as such, not as a broken link.
        preflightDb(file, { pages: true });
        const db = openReadonlyDb(file);
        try {
          const verdict = verifyJournal(db);
          // The signatures are checked against the sale rows themselves, so an amount changed in `sales` is named too.
          const fiscal = verifyFiscalSignatures(db);
          if (opts.json) process.stdout.write(`${JSON.stringify({ ...verdict, fiscal })}\n`);
          else {
            if (verdict.ok) process.stdout.write(`journal intact: ${verdict.entries} entries, last hash ${verdict.lastHash}\n`);
            else process.stdout.write(`journal BROKEN at entry ${verdict.brokenAt}: ${verdict.problem} (${verdict.entries} entries before it are intact)\n`);
            if (fiscal.ok) process.stdout.write(`fiscal signatures intact: ${fiscal.signed} signed sales${fiscal.unsignedBeforeKeys > 0 ? `, ${fiscal.unsignedBeforeKeys} from before the till had a signing key` : ''}\n`);
            else process.stdout.write(`fiscal signatures BROKEN at ${fiscal.receiptId}: ${fiscal.problem} (${fiscal.signed} signed sales before it verify)\n`);
          }
          if (!verdict.ok || !fiscal.ok) process.exitCode = 1;
        } finally {
          db.close();
        }
      } catch (err) {
        reportFailure(err);
      }
    });
  return journal;
}
