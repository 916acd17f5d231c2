import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import { noAsyncTransactionRule } from './no-async-transaction';

RuleTester.describe = describe;
RuleTester.it = it;

const tester = new RuleTester({ languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' } });

tester.run('no-async-transaction', noAsyncTransactionRule, {
  valid: [
    { code: 'db.transaction(() => { insert.run(1); })();' },
    { code: "db.prepare('INSERT INTO t VALUES (?)');" },
    { code: "const label = 'Begin the day';" },
  ],
  invalid: [
    { code: 'db.transaction(async () => { await x(); });', errors: [{ messageId: 'asyncTx' }] },
    { code: 'db.transaction(async function () {});', errors: [{ messageId: 'asyncTx' }] },
    { code: "db.exec('BEGIN IMMEDIATE');", errors: [{ messageId: 'rawTx' }] },
    { code: "db.exec('COMMIT');", errors: [{ messageId: 'rawTx' }] },
  ],
});
