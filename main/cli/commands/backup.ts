import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { dbPath } from '../../agent/data-dir';
import { FISCAL_KEY_FILE_NAME } from '../../agent/fiscal-key';
import { TillError } from '../../core/errors';
import { backupDb, openReadonlyDb } from '../../store';
import { FIELD_KEY_FILE_NAME, LOOKUP_KEY_FILE_NAME } from '../../store/at-rest-keys';
import { type CommonOptions, loadFromOptions, newCommand, reportFailure } from '../common';
import { openExistingTillDb } from '../till-db';

/** The files a restored database needs beside it (docs/storage.md, "Backups"); none of them is in the database. */
export const KEY_FILE_NAMES = [LOOKUP_KEY_FILE_NAME, FIELD_KEY_FILE_NAME, FISCAL_KEY_FILE_NAME] as const;

/**
 * Copies the key files the data directory has into `dir` (made 0700, each file 0600): they are kept apart from the
 * database copy, so one stolen copy does not open the other. Refuses to overwrite a key there unless `force`.
 */
export function copyKeyFiles(dataDir: string, dir: string, force: boolean): string[] {
  const present = KEY_FILE_NAMES.filter((name) => fs.existsSync(path.join(dataDir, name)));
  const clash = present.find((name) => fs.existsSync(path.join(dir, name)));
  if (clash !== undefined && !force) {
    throw new TillError('CONFLICT', `${path.join(dir, clash)} already exists; no key file was copied.`, { fix: 'Choose an empty directory, or pass --force to overwrite.' });
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const name of present) {
    fs.copyFileSync(path.join(dataDir, name), path.join(dir, name));
    fs.chmodSync(path.join(dir, name), 0o600);
  }
  return present;
}

export function backupCommand(): Command {
  return newCommand('backup', "copy the till's database to FILE while the till keeps running (SQLite online backup)")
    .argument('<file>', 'where to write the copy')
    .option('--force', 'overwrite FILE (and key files in --keys-to) if they exist')
    .option('--keys-to <dir>', 'also copy the key files (lookup-hash-key, sealed-field-key, fiscal-signing-key) into DIR; keep DIR apart from FILE')
    .action(async (file: string, opts: CommonOptions & { force?: boolean; keysTo?: string }) => {
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
        if (opts.keysTo !== undefined) {
          const keysDir = path.resolve(opts.keysTo);
          const copied = copyKeyFiles(config.dataDir, keysDir, opts.force === true);
          process.stdout.write(`Copied ${copied.length} key file(s) to ${keysDir}: ${copied.join(', ')}. Keep them apart from the database copy.\n`);
        } else {
          process.stderr.write(
            'The copy holds no keys. A till restored without lookup-hash-key, sealed-field-key and fiscal-signing-key drops its customer caches and cannot send waiting gift-card payments: copy them too with --keys-to DIR, kept apart from the database copy.\n',
          );
        }
      } catch (err) {
        reportFailure(err);
      }
    });
}
