import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { dbPath } from '../../agent/data-dir';
import { TillError } from '../../core/errors';
import { backupDb, openReadonlyDb } from '../../store';
import { type CommonOptions, loadFromOptions, newCommand, reportFailure } from '../common';
import { openExistingTillDb } from '../till-db';

export function backupCommand(): Command {
  return newCommand('backup', "copy the till's database to FILE while the till keeps running (SQLite online backup)")
    .argument('<file>', 'where to write the copy')
    .option('--force', 'overwrite FILE if it exists')
    .action(async (file: string, opts: CommonOptions & { force?: boolean }) => {
      try {
        const { config } = loadFromOptions(opts);
        const source = dbPath(config.dataDir);
        const target = path.resolve(file);
        if (fs.existsSync(target) && !opts.force) {
          throw new TillError('CONFLICT', `${target} already exists; the backup was not written.`, { fix: 'Choose a new file name, or pass --force to overwrite it.' });
        }
        const db = openExistingTillDb(config.dataDir, openReadonlyDb);
        try {
          const { pages } = await backupDb(db, target);
          process.stdout.write(`Backed up ${source} to ${target} (${pages} pages).\n`);
        } finally {
          db.close();
        }
      } catch (err) {
        reportFailure(err);
      }
    });
}
