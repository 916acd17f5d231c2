import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import { immediateTransactionRule } from './immediate-transaction';

RuleTester.describe = describe;
RuleTester.it = it;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' } });

tester.run('immediate-transaction', immediateTransactionRule, {
  valid: [
    { code: 'db.transaction(() => { insert.run(1); }).immediate();' },
    { code: 'const run = db.transaction((n) => insert.run(n)); run.immediate(1);' },
    { code: 'db.transaction(() => 1).exclusive();' },
    { code: 'api.transaction(e, signal);' },
  ],
  invalid: [
    { code: 'db.transaction(() => { insert.run(1); })();', errors: [{ messageId: 'deferred' }] },
    { code: 'return db.transaction(() => read())();', errors: [{ messageId: 'deferred' }] },
    { code: 'db.transaction(() => 1).deferred();', errors: [{ messageId: 'deferred' }] },
  ],
});
