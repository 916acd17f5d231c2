import { buildIndex, evaluate, parseRules, ReceiptSchema, type Receipt, type RuleIndex } from '../../main/core/discounts';
import { generateBasket, generateRules } from '../fixtures/discounts/generate';
import type { BenchEntry } from './bench-types';

type EvalState = { index: RuleIndex; receipt: Receipt };

function evalSetup(ruleCount: number): () => EvalState {
  return () => {
    // The basket is drawn against the 5,000-rule set, so 50x100 prices the very same basket.
    const full = generateRules(5_000);
    const rules = full.slice(0, ruleCount);
    const parsed = parseRules(rules);
    if (parsed.rejected.length > 0) throw new Error(`bench rules rejected: ${JSON.stringify(parsed.rejected[0])}`);
    const state = { index: buildIndex(parsed.rules), receipt: ReceiptSchema.parse(generateBasket(50, full)) };
    // The runner warms up 5 calls; let the JIT settle first so p99 measures the engine, not the compiler.
    for (let i = 0; i < 500; i++) evaluate(state.receipt, state.index);
    return state;
  };
}

function evalRun(state: unknown): unknown {
  const s = state as EvalState;
  return evaluate(s.receipt, s.index);
}

/**
 * `discounts.eval.*`: one sample prices one 50-line basket against a prebuilt rule index. `rules.import.10000`:
 * one sample parses and indexes 10,000 rules, as a rule-set refresh does.
 */
const entries: BenchEntry[] = [
  { name: 'discounts.eval.50x5000', target: 'p99 <= 1 ms; p50 <= 5x discounts.eval.50x100', samples: 5000, setup: evalSetup(5_000), run: evalRun },
  { name: 'discounts.eval.50x100', target: 'baseline for 50x5000', samples: 5000, setup: evalSetup(100), run: evalRun },
  {
    name: 'rules.import.10000',
    target: '<= 1000 ms (parse + index)',
    samples: 10,
    setup: () => JSON.parse(JSON.stringify(generateRules(10_000))) as unknown[],
    run: (state) => {
      const parsed = parseRules(state as unknown[]);
      if (parsed.rejected.length > 0) throw new Error(`bench rules rejected: ${JSON.stringify(parsed.rejected[0])}`);
      return buildIndex(parsed.rules);
    },
  },
];

export default entries;
