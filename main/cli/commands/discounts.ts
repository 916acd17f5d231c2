import fs from 'node:fs';
import { Command } from 'commander';
import { parseUnknown, SchemaParseError } from '../../api/contract';
import { TillError } from '../../core/errors';
import { buildIndex, CustomerStateSchema, evaluate, explainText, parseRules, ReceiptSchema } from '../../core/discounts';
import { reportFailure, withCommonOptions } from '../common';

type EvalOptions = { rules: string; receipt: string; at?: string; customerState?: string; explain?: boolean };

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new TillError('NOT_FOUND', `Cannot read the ${what} file ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new TillError('SCHEMA_INVALID', `The ${what} file ${file} is not valid JSON.`);
  }
}

/** Evaluates a receipt against a rule export exactly as the till would, for support and rule authors. */
export function runDiscountsEval(opts: EvalOptions, out: (text: string) => void, warn: (text: string) => void): void {
  const rulesJson = readJson(opts.rules, 'rules');
  if (!Array.isArray(rulesJson)) throw new TillError('SCHEMA_INVALID', `The rules file ${opts.rules} must hold a JSON array of Dintero discount rules.`);
  const { rules, rejected } = parseRules(rulesJson);
  for (const r of rejected) warn(`rule ${r.id} rejected: ${r.path}: ${r.message}`);
  const receipt = parseUnknown(ReceiptSchema, readJson(opts.receipt, 'receipt'));
  const state = opts.customerState ? parseUnknown(CustomerStateSchema, readJson(opts.customerState, 'customer state')) : undefined;
  if (opts.at !== undefined && Number.isNaN(Date.parse(opts.at))) {
    throw new TillError('SCHEMA_INVALID', `--at must be an ISO date-time such as 2026-11-23T14:30:00+01:00, got "${opts.at}".`);
  }
  const result = evaluate(receipt, buildIndex(rules), {
    ...(opts.at === undefined ? {} : { at: opts.at }),
    ...(state === undefined ? {} : { state }),
    explainAll: opts.explain === true,
  });
  // Plain output is what Dintero's available_for_receipt answers: the receipt with discount lines and discounts[].
  out(opts.explain ? explainText(result) : JSON.stringify(result.receipt, null, 2));
}

export function discountsCommand(): Command {
  const command = new Command('discounts').description('evaluate loyalty discounts locally');
  command.addCommand(
    withCommonOptions(new Command('eval'))
      .description('price a receipt against discount rules and print what available_for_receipt would answer')
      .requiredOption('--rules <file>', 'JSON array of Dintero rule objects, each with an optional "customers" array of grants')
      .requiredOption('--receipt <file>', 'a Dintero Receipt as JSON')
      .option('--at <iso-time>', 'evaluate as of this time instead of the receipt\'s purchase_at')
      .option('--customer-state <file>', "the customer's usage counts and stamps per rule/ref")
      .option('--explain', 'print a table for people: every rule, applied or why not')
      .action((opts: EvalOptions) => {
        try {
          runDiscountsEval(opts, (t) => process.stdout.write(`${t}\n`), (t) => process.stderr.write(`${t}\n`));
        } catch (err) {
          if (err instanceof SchemaParseError) {
            process.stderr.write(`till-agent: the receipt or customer state is invalid:\n${err.issues.map((i) => `  - ${i}`).join('\n')}\n`);
            process.exitCode = 2;
          } else {
            reportFailure(err, 2);
          }
        }
      }),
  );
  return command;
}
