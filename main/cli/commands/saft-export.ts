import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Command } from 'commander';
import { exportSaft } from '../../agent/saft-export';
import { TillError } from '../../core/errors';
import { SaftChecker, type SaftVerdict } from '../../core/fiscal/saft-verify';
import { XmlReader, XmlSyntaxError } from '../../core/fiscal/xml-reader';
import { openReadonlyDb } from '../../store';
import { type CommonOptions, loadFromOptions, reportFailure } from '../common';
import { openExistingTillDb } from '../till-db';

/** A progress bar on a terminal only; a redirected stderr gets the summary alone. */
function progressBar(label: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  const width = 30;
  return (done, total) => {
    const filled = total === 0 ? width : Math.round((done / total) * width);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : ''}`);
  };
}

function readKeys(files: readonly string[]): KeyObject[] {
  return files.map((file) => {
    let pem: string;
    try {
      pem = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new TillError('NOT_FOUND', `Cannot read the public key ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
    }
    try {
      return createPublicKey(pem);
    } catch {
      throw new TillError('SCHEMA_INVALID', `${file} is not a public key in PEM form (till-agent saft public-key prints one).`);
    }
  });
}

/** Streams FILE through the XML reader and the checker; the signatures are checked with any of the keys given. */
export function verifySaftFile(file: string, keys: readonly KeyObject[]): SaftVerdict {
  const check = (text: string, signature: string): boolean | undefined => {
    if (keys.length === 0) return undefined;
    const sig = Buffer.from(signature, 'base64');
    return keys.some((k) => verify('sha1', Buffer.from(text, 'utf8'), k, sig));
  };
  const checker = new SaftChecker(check);
  const reader = new XmlReader((e) => checker.on(e));
  const decoder = new StringDecoder('utf8');
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    throw new TillError('NOT_FOUND', `Cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  const buffer = Buffer.alloc(1 << 20);
  try {
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      reader.feed(decoder.write(buffer.subarray(0, n)));
    }
    reader.feed(decoder.end());
    reader.end();
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw new TillError('SCHEMA_INVALID', `${file} is not well-formed XML: ${err.message}.`);
    throw err;
  } finally {
    fs.closeSync(fd);
  }
  return checker.result();
}

function dateOption(text: string | undefined, name: string): string {
  if (text === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
    throw new TillError('SCHEMA_INVALID', `--${name} ${text ?? ''} is not a date: give YYYY-MM-DD (a local date of the till).`);
  }
  return text;
}

export function addExportCommands(saft: Command): void {
  saft
    .command('export')
    .description('write the SAF-T Cash Register XML of a period (local dates, inclusive): master data, events, signed transactions')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD')
    .requiredOption('--out <file>', 'the XML file to write (replaced when it exists)')
    .action((opts: { from?: string; to?: string; out: string }, cmd: Command) => {
      try {
        const { config } = loadFromOptions(cmd.optsWithGlobals<CommonOptions>());
        const from = dateOption(opts.from, 'from');
        const to = dateOption(opts.to, 'to');
        const db = openExistingTillDb(config.dataDir, openReadonlyDb);
        try {
          const r = exportSaft(db, config, { from, to, out: opts.out, now: new Date(), onProgress: progressBar('exporting') });
          process.stdout.write(`wrote ${r.file}: ${r.transactions} transactions, ${r.events} events, ${r.bytes} bytes\n`);
        } finally {
          db.close();
        }
      } catch (err) {
        reportFailure(err);
      }
    });
  saft
    .command('verify')
    .description('check a SAF-T Cash Register file: structure, and with --public-key the signature chain; names the first broken link (exit 1)')
    .argument('<file>', 'the XML file')
    .option('--public-key <file...>', 'PEM public key(s) (till-agent saft public-key); without one only the structure is checked')
    .option('--json', 'print the verdict as JSON')
    .action((file: string, opts: { publicKey?: string[]; json?: boolean }) => {
      try {
        const verdict = verifySaftFile(file, readKeys(opts.publicKey ?? []));
        if (opts.json) process.stdout.write(`${JSON.stringify(verdict)}\n`);
        else {
          const what = `${verdict.transactions} transactions, ${verdict.events} events, ${verdict.registers} register(s)`;
          const sigs = verdict.signaturesChecked > 0 ? `${verdict.signaturesChecked} signatures checked` : 'signatures not checked (no --public-key)';
          if (verdict.ok) process.stdout.write(`SAF-T file intact: ${what}; ${sigs}${verdict.unsigned > 0 ? `; ${verdict.unsigned} unsigned from before the till had a key` : ''}\n`);
          else {
            const [first] = verdict.problems;
            process.stdout.write(`SAF-T file BROKEN at ${first?.where ?? '?'}: ${first?.problem ?? ''}\n`);
            for (const p of verdict.problems.slice(1)) process.stdout.write(`  also ${p.where}: ${p.problem}\n`);
          }
        }
        if (!verdict.ok) process.exitCode = 1;
      } catch (err) {
        reportFailure(err);
      }
    });
}
