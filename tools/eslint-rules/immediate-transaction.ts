import type { Rule } from 'eslint';
import type { Node as EsNode } from 'estree';

/**
 * A till's database has more than one writer: the agent, and CLI commands run beside it (`sale run`, `sync
 * drain`). A transaction begun DEFERRED reads at a snapshot and asks for the write lock only at its first
 * write; when another process committed in between, SQLite answers SQLITE_BUSY_SNAPSHOT at once, without
 * waiting on the busy timeout (https://www.sqlite.org/rescode.html#busy_snapshot). The soak met it as a CLI
 * sale refused with "locked by another process". `.immediate()` takes the write lock first and waits for it,
 * so a write transaction is started with it. Flags `db.transaction(fn)()` and `.deferred(...)`; a transaction
 * function kept for later is called with `.immediate()` by convention (relaxed-sync.ts, ledger.ts).
 */
export const immediateTransactionRule: Rule.RuleModule = {
  meta: {
    type: 'problem',
    docs: { description: 'Write transactions start with .immediate(): a deferred one fails at once when another process wrote' },
    schema: [],
    messages: {
      deferred:
        'Call the transaction with .immediate(): begun deferred, it fails with SQLITE_BUSY_SNAPSHOT (no wait) when another process committed after its first read.',
    },
  },
  create(context) {
    const isTransactionCall = (node: EsNode): boolean =>
      node.type === 'CallExpression' &&
      node.callee.type === 'MemberExpression' &&
      node.callee.property.type === 'Identifier' &&
      node.callee.property.name === 'transaction';
    return {
      CallExpression(node) {
        const callee = node.callee;
        if (isTransactionCall(callee)) context.report({ node, messageId: 'deferred' });
        else if (callee.type === 'MemberExpression' && callee.property.type === 'Identifier' && callee.property.name === 'deferred' && isTransactionCall(callee.object)) {
          context.report({ node, messageId: 'deferred' });
        }
      },
    };
  },
};
