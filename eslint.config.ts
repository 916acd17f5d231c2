import js from '@eslint/js';
import vitest from '@vitest/eslint-plugin';
import unicorn from 'eslint-plugin-unicorn';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { createLayeringRule } from './tools/eslint-rules/layering';
import { immediateTransactionRule } from './tools/eslint-rules/immediate-transaction';
import { noAsyncTransactionRule } from './tools/eslint-rules/no-async-transaction';

const local = {
  rules: {
    layering: createLayeringRule(import.meta.dirname),
    'no-async-transaction': noAsyncTransactionRule,
    'immediate-transaction': immediateTransactionRule,
  },
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'release/', 'coverage/', 'bin/', '**/*.cjs', '**/*.mjs', 'test/fixtures/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    plugins: { local, unicorn },
    rules: {
      'local/layering': 'error',
      'local/no-async-transaction': 'error',
      'no-console': 'error',
      'no-throw-literal': 'off',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'unicorn/filename-case': ['error', { case: 'kebabCase' }],
    },
  },
  {
    // A till's database has several writers (the agent and CLI commands): write transactions begin IMMEDIATE.
    files: ['main/**/*.ts'],
    rules: { 'local/immediate-transaction': 'error' },
  },
  {
    // Driver and service contracts may be interfaces (STYLE.md §2.4); everything else uses `type`.
    files: ['native/**/*.ts', 'main/devices/**/*.ts', 'main/sync/**/*.ts'],
    rules: { '@typescript-eslint/consistent-type-definitions': 'off' },
  },
  {
    // The core is pure (STYLE.md §2.2): time, randomness and I/O come in through injected ports.
    files: ['main/core/**/*.ts', 'native/barcode/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'setImmediate', 'process', 'fetch', 'require', 'Buffer', 'crypto'],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Take the time from a Clock or from the input (purchase_at).' },
        { object: 'Math', property: 'random', message: 'Take randomness from an injected source.' },
      ],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'new Date() reads the clock; take the time from a Clock.' }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['test/**/*.ts', 'tools/**/*.test.ts'],
    plugins: { vitest },
    rules: {
      'vitest/no-focused-tests': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  {
    // The CLI prints to the terminal by design; it is the one place that may write to stdout.
    files: ['main/cli/**/*.ts', 'test/bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
