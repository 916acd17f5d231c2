import path from 'node:path';
import type { Rule } from 'eslint';
import { internalAllowed, layerOf, packageAllowed } from './layers';

/**
 * Fails an import that points the wrong way through the layers of DESIGN.md §2, and an npm package that the
 * importing layer does not list (so every dependency is placed in a layer, as Signal's file-suffix rule does).
 * Layers and allowlists live in ./layers.ts.
 */
export function createLayeringRule(root: string): Rule.RuleModule {
  return {
    meta: {
      type: 'problem',
      docs: { description: 'Enforce the import direction between till-agent layers' },
      schema: [],
      messages: {
        wrongWay: 'Bad layering: {{from}} may not import {{target}}. Allowed: {{allowed}}.',
        package: "Bad layering: {{from}} may not import the package '{{pkg}}'. Add it to that layer in tools/eslint-rules/layers.ts with the reason, or move the code.",
      },
    },
    create(context) {
      const file = path.relative(root, context.filename).split(path.sep).join('/');
      const layer = layerOf(file);
      if (!layer) return {};
      const check = (node: Rule.Node, source: unknown): void => {
        if (typeof source !== 'string') return;
        if (source.startsWith('.') || source.startsWith('/')) {
          const target = path
            .relative(root, path.resolve(path.dirname(context.filename), source))
            .split(path.sep)
            .join('/');
          if (!internalAllowed(layer, target)) {
            context.report({
              node,
              messageId: 'wrongWay',
              data: { from: layer.folder, target, allowed: layer.internal.join(', ') },
            });
          }
          return;
        }
        if (!packageAllowed(layer, source)) {
          context.report({ node, messageId: 'package', data: { from: layer.folder, pkg: source } });
        }
      };
      return {
        ImportDeclaration: (node) => check(node, node.source.value),
        ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
        ExportAllDeclaration: (node) => check(node, node.source.value),
        ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
        CallExpression: (node) => {
          if (node.callee.type === 'Identifier' && node.callee.name === 'require') {
            const arg = node.arguments[0];
            if (arg?.type === 'Literal') check(node, arg.value);
          }
        },
      };
    },
  };
}
