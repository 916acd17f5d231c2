import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { dbPath } from '../../agent/data-dir';
import { type CatalogFormat, parseCatalog } from '../../core/catalog';
import { TillError } from '../../core/errors';
import { toDecimal } from '../../core/money';
import { currencyExponent } from '../../core/sale/currency';
import { importCatalog, lookupByCode } from '../../store/catalog';
import { type CommonOptions, loadFromOptions, newCommand, reportFailure } from '../common';
import { openTillDb } from '../till-db';

/** Exit code when some rows were refused and the rest imported: scripts can tell it from a clean import. */
export const EXIT_PARTIAL = 3;

function formatOf(file: string, given: string | undefined): CatalogFormat {
  const f = given ?? (path.extname(file).toLowerCase() === '.json' ? 'json' : 'csv');
  if (f !== 'csv' && f !== 'json') throw new TillError('SCHEMA_INVALID', `--format must be csv or json, not "${f}".`);
  return f;
}

/** Progress on a terminal only: a redirected stderr (a log, a test) gets the summary, not 100 carriage returns. */
function progress(label: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  const width = 30;
  return (done, total) => {
    const filled = total === 0 ? width : Math.round((done / total) * width);
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}${done === total ? '\n' : ''}`);
  };
}

export function catalogCommand(): Command {
  const catalog = newCommand('catalog', 'the item catalog: import from CSV or JSON, look up a code');

  catalog
    .command('import')
    .description('validate FILE (CSV or JSON), report bad rows by line and reason, import the rest in one transaction')
    .argument('<file>', 'CSV with a header row (id,codes,name,groups,unit_price,vat_rate,unit,age_limit,eligible_for_discount) or JSON array')
    .option('--format <format>', 'csv or json (default: from the file name)')
    .option('--dry-run', 'validate and report only; change nothing')
    .action((file: string, opts: { format?: string; dryRun?: boolean }, cmd: Command) => {
      const common = cmd.optsWithGlobals<CommonOptions>();
      try {
        const { config } = loadFromOptions(common);
        const format = formatOf(file, opts.format);
        let content: string;
        try {
          content = fs.readFileSync(file, 'utf8');
        } catch (err) {
          throw new TillError('NOT_FOUND', `Cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`, { cause: err });
        }
        const parsed = parseCatalog(content, format, currencyExponent(config.currency));
        const where = format === 'csv' ? 'line' : 'item';
        let imported = 0;
        let refused = parsed.problems.map((p) => ({ ...p }));
        if (!opts.dryRun && parsed.rows.length > 0) {
          const db = openTillDb(config.dataDir);
          try {
            const result = importCatalog(db, parsed.rows, new Date(), { onProgress: progress('importing'), progressEvery: 2000, file: dbPath(config.dataDir) });
            imported = result.imported;
            refused = [...refused, ...result.conflicts].sort((a, b) => a.line - b.line);
          } finally {
            db.close();
          }
        }
        for (const p of refused) process.stderr.write(`${path.basename(file)} ${where} ${p.line}: ${p.reason}\n`);
        const verb = opts.dryRun ? 'would import' : 'imported';
        process.stdout.write(`${verb} ${opts.dryRun ? parsed.rows.length : imported} item(s); refused ${refused.length} row(s)\n`);
        if (refused.length > 0) process.exitCode = imported > 0 || (opts.dryRun && parsed.rows.length > 0) ? EXIT_PARTIAL : 1;
      } catch (err) {
        reportFailure(err);
      }
    });

  catalog
    .command('lookup')
    .description('show the item a code finds (GTINs match in any length)')
    .argument('<code>', 'a GTIN or in-store code')
    .option('--json', 'print the item as JSON')
    .action((code: string, opts: { json?: boolean }, cmd: Command) => {
      const common = cmd.optsWithGlobals<CommonOptions>();
      try {
        const { config } = loadFromOptions(common);
        const db = openTillDb(config.dataDir);
        try {
          const item = lookupByCode(db, code);
          if (!item) throw new TillError('NOT_FOUND', `No item has the code ${code}.`, { fix: 'Check the code, or import the catalog with till-agent catalog import.' });
          const exponent = currencyExponent(config.currency);
          if (opts.json) process.stdout.write(`${JSON.stringify(item)}\n`);
          else {
            const per = item.unit === 'weight' ? '/kg' : '';
            process.stdout.write(
              `${item.id}  ${item.name}  ${toDecimal(item.unitPrice, exponent)} ${config.currency}${per}  VAT ${item.vatRateBp / 100} %` +
                `${item.ageLimit ? `  age ${item.ageLimit}+` : ''}${item.eligibleForDiscount ? '' : '  no discounts'}\n  codes: ${item.codes.join(', ')}\n` +
                `${item.groups.length ? `  groups: ${item.groups.map((g) => g.id).join(', ')}\n` : ''}`,
            );
          }
        } finally {
          db.close();
        }
      } catch (err) {
        reportFailure(err);
      }
    });
  return catalog;
}
