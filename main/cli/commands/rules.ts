import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Command } from 'commander';
import { describeRule, grantsText, parseRules, type Rule, ruleExplanationLines, ruleKind, rewardText } from '../../core/discounts';
import { TillError } from '../../core/errors';
import { openReadonlyDb } from '../../store';
import { cachedRulesWithRefs } from '../../store/discount-refs';
import { applyRulesPull, getRulesCacheMeta } from '../../store/rules-cache';
import { type CommonOptions, loadFromOptions, reportFailure, withCommonOptions } from '../common';
import { openExistingTillDb, openTillDb } from '../till-db';

function readRuleFile(file: string): { text: string; rules: unknown[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new TillError('NOT_FOUND', `Cannot read the rules file ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new TillError('RULE_INVALID', `The rules file ${file} is not valid JSON.`);
  }
  if (!Array.isArray(value)) throw new TillError('RULE_INVALID', `The rules file ${file} must hold a JSON array of Dintero discount rules.`);
  return { text, rules: value as unknown[] };
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

/** The cached rule set, parsed as the till prices with it. */
function cachedRules(dataDir: string): { rules: Rule[]; header: string } {
  const db = openExistingTillDb(dataDir, openReadonlyDb);
  try {
    const meta = getRulesCacheMeta(db);
    if (!meta) return { rules: [], header: 'No discount rules cached yet (they arrive with the first pull from Dintero, or `till-agent rules import`).' };
    const { rules } = parseRules(cachedRulesWithRefs(db));
    const age = Math.round((Date.now() - meta.fetchedAt) / 60_000);
    return { rules, header: `Rule set ${meta.version}: ${meta.ruleCount} rule(s), as of ${new Date(meta.fetchedAt).toISOString()} (${age} min ago)` };
  } finally {
    db.close();
  }
}

export function rulesCommand(): Command {
  const command = new Command('rules').description("the till's cached discount rules");
  command.addCommand(
    withCommonOptions(new Command('import'))
      .description('load a rule export (JSON array of Dintero rules with their "customers" grants) into the cache, replacing it')
      .argument('<file>', 'the rule export')
      .action((file: string, opts: CommonOptions) => {
        try {
          const { config } = loadFromOptions(opts);
          const { text, rules } = readRuleFile(file);
          const parsed = parseRules(rules);
          for (const r of parsed.rejected) process.stderr.write(`rule ${r.id} rejected: ${r.path}: ${r.message}\n`);
          const accepted = new Set(parsed.rules.map((r) => r.id));
          const bodies = rules.filter((r): r is { id: string } => typeof (r as { id?: unknown }).id === 'string' && accepted.has((r as { id: string }).id));
          const version = `import:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
          const db = openTillDb(config.dataDir);
          try {
            const meta = applyRulesPull(
              db,
              { full: true, upserts: bodies.map((body) => ({ id: body.id, body, updatedAt: null })), deletes: [] },
              // No watermark or ETag: the next pull from Dintero is a full one and replaces this import.
              () => ({ version, etag: null, sinceWatermark: null, fetchedAt: Date.now() }),
            );
            process.stdout.write(`Imported ${meta.ruleCount} rule(s) as version ${meta.version}; rejected ${parsed.rejected.length}.\n`);
          } finally {
            db.close();
          }
          if (parsed.rejected.length > 0) process.exitCode = 3;
        } catch (err) {
          reportFailure(err, 2);
        }
      }),
  );
  command.addCommand(
    withCommonOptions(new Command('list'))
      .description('list the cached rules with their kind, reward, validity and who holds them')
      .option('--json', 'print the parsed rules as JSON')
      .action((opts: CommonOptions & { json?: boolean }) => {
        try {
          const { config } = loadFromOptions(opts);
          const { rules, header } = cachedRules(config.dataDir);
          if (opts.json) {
            process.stdout.write(`${JSON.stringify(rules)}\n`);
            return;
          }
          process.stdout.write(`${header}\n`);
          if (rules.length === 0) return;
          const rows = [['id', 'name', 'kind', 'reward', 'valid', 'customers', 'active']];
          for (const r of rules) {
            rows.push([r.id, r.name ?? '', ruleKind(r), rewardText(r), `${r.requirement.purchase_from.slice(0, 10)}..${r.requirement.purchase_to.slice(0, 10)}`, grantsText(r), r.active === false ? 'no' : 'yes']);
          }
          process.stdout.write(`${table(rows)}\n`);
        } catch (err) {
          reportFailure(err);
        }
      }),
  );
  command.addCommand(
    withCommonOptions(new Command('explain'))
      .description('show one cached rule: what a purchase needs, what it gives, and its limits')
      .argument('<id>', 'the rule id')
      .action((id: string, opts: CommonOptions) => {
        try {
          const { config } = loadFromOptions(opts);
          const { rules, header } = cachedRules(config.dataDir);
          const rule = rules.find((r) => r.id === id);
          if (!rule) throw new TillError('NOT_FOUND', `No cached rule has the id "${id}". ${header}`, { fix: 'See `till-agent rules list` for the ids.' });
          const lines = ruleExplanationLines(describeRule(rule));
          process.stdout.write(`${lines.join('\n')}\n`);
        } catch (err) {
          reportFailure(err);
        }
      }),
  );
  return command;
}
