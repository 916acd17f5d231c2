import type { Rule } from 'eslint';

/**
 * better-sqlite3 commits a transaction at the first `await` of an async function (STYLE.md §1.5, §2.11), so an
 * async callback to `.transaction(...)` silently splits a sale across two commits. Hand-written BEGIN/COMMIT
 * strings bypass `db.transaction` and its nesting. Both are errors.
 */
export const noAsyncTransactionRule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid async functions in db.transaction() and raw BEGIN/COMMIT in SQL strings' },
    schema: [],
    messages: {
      asyncTx: 'db.transaction() needs a synchronous function: an async one commits at its first await.',
      rawTx: 'Use db.transaction(fn) instead of a hand-written {{word}}.',
    },
  },
  create(context) {
    const rawTx = /^\s*(BEGIN|COMMIT|ROLLBACK|END)\b/i;
    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== 'MemberExpression' || callee.property.type !== 'Identifier') return;
        if (callee.property.name !== 'transaction') return;
        const fn = node.arguments[0];
        if (fn && (fn.type === 'ArrowFunctionExpression' || fn.type === 'FunctionExpression') && fn.async) {
          context.report({ node: fn, messageId: 'asyncTx' });
        }
      },
      Literal(node) {
        if (typeof node.value !== 'string') return;
        const m = rawTx.exec(node.value);
        if (m?.[1] && /\b(TRANSACTION|IMMEDIATE|EXCLUSIVE|DEFERRED)\b|^\s*(COMMIT|ROLLBACK|BEGIN)\s*;?\s*$/i.test(node.value)) {
          context.report({ node, messageId: 'rawTx', data: { word: m[1].toUpperCase() } });
        }
      },
    };
  },
};
