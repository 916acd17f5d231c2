import fs from 'node:fs';
import type { Command } from 'commander';
import { replaceFiscalSigningKey } from '../../agent/fiscal-key';
import { ownerOnlyFile } from '../../agent/secret-store';
import { TillError } from '../../core/errors';
import { openReadonlyDb } from '../../store';
import { fiscalKeys } from '../../store/fiscal-signatures';
import { type CommonOptions, loadFromOptions, newCommand, reportFailure } from '../common';
import { openExistingTillDb, openTillDb } from '../till-db';
import { addExportCommands } from './saft-export';

/** `till-agent saft`: the Norwegian fiscal signing key and the SAF-T Cash Register file (docs/fiscal-no.md). */
export function saftCommand(): Command {
  const saft = newCommand('saft', 'Norwegian SAF-T Cash Register: signing key, export and verification (docs/fiscal-no.md)');
  saft
    .command('public-key')
    .description('print the public key (PEM) that verifies the signatures; by default the newest version')
    .option('--key-version <n>', 'a key version (the <keyVersion> of a transaction)')
    .option('--out <file>', 'write the PEM to this file instead of stdout')
    .action((opts: { keyVersion?: string; out?: string }, cmd: Command) => {
      try {
        const { config } = loadFromOptions(cmd.optsWithGlobals<CommonOptions>());
        const db = openExistingTillDb(config.dataDir, openReadonlyDb);
        let keys;
        try {
          keys = fiscalKeys(db);
        } finally {
          db.close();
        }
        if (keys.length === 0) throw new TillError('NOT_FOUND', 'This till has no signing key yet: it is made when the till first starts (till-agent serve) or sells.');
        const wanted = opts.keyVersion === undefined ? keys.at(-1) : keys.find((k) => String(k.version) === opts.keyVersion);
        if (!wanted) throw new TillError('NOT_FOUND', `This till has no signing key version ${opts.keyVersion ?? ''}; it has ${keys.map((k) => k.version).join(', ')}.`);
        if (opts.out === undefined) process.stdout.write(wanted.publicKeyPem);
        else fs.writeFileSync(opts.out, wanted.publicKeyPem);
      } catch (err) {
        reportFailure(err);
      }
    });
  saft
    .command('new-key')
    .description('replace the signing key with a new version (the old public key stays, so old signatures still verify)')
    .action((_o: unknown, cmd: Command) => {
      try {
        const { config } = loadFromOptions(cmd.optsWithGlobals<CommonOptions>());
        const db = openTillDb(config.dataDir);
        try {
          const key = replaceFiscalSigningKey(config.dataDir, db, ownerOnlyFile, config.timeZone, new Date());
          process.stdout.write(`new signing key version ${key.version}, fingerprint ${key.fingerprint}\n`);
        } finally {
          db.close();
        }
      } catch (err) {
        reportFailure(err);
      }
    });
  addExportCommands(saft);
  return saft;
}
