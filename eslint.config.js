// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/** The core decides; it never talks to the outside world. Adapters do. */
const CORE_FORBIDDEN_IMPORTS = [
  {group: ['@kubernetes/*'], message: 'functions/core is pure: Kubernetes belongs in an adapter.'},
  {
    group: ['@google-cloud/*'],
    message: 'functions/core is pure: Google Cloud belongs in an adapter.',
  },
  {group: ['@slack/*'], message: 'functions/core is pure: Slack belongs in an adapter.'},
  {group: ['google-auth-library'], message: 'functions/core is pure: auth belongs in an adapter.'},
  {
    group: ['node:fs', 'node:fs/*', 'node:http', 'node:https', 'node:net', 'fs', 'http', 'https'],
    message: 'functions/core does no I/O.',
  },
];

const CORE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'functions', 'core');

/**
 * functions/core depends on nothing outside it, at any depth of its folders: a relative import
 * is resolved against the importing file and must stay under functions/core (a pattern like
 * `../*.js` cannot tell `../incident.js` in a nested folder from `../ports.js` at the top).
 * @type {import('eslint').Rule.RuleModule}
 */
const staysInCore = {
  meta: {type: 'problem', schema: []},
  create(context) {
    const dir = path.dirname(context.filename);
    /** @param {any} node */
    const check = node => {
      const source = node.source;
      if (source?.type !== 'Literal' || typeof source.value !== 'string') return;
      if (!source.value.startsWith('.')) return;
      const target = path.resolve(dir, source.value);
      if (target === CORE_DIR || target.startsWith(CORE_DIR + path.sep)) return;
      context.report({
        node: source,
        message: `functions/core depends on nothing outside it: '${source.value}' leaves it.`,
      });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default tseslint.config(
  {ignores: ['build/', 'node_modules/', '.cronjob-watcher/', '.stryker-tmp/', 'reports/']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {globals: {...globals.node}},
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {argsIgnorePattern: '^_', varsIgnorePattern: '^_'},
      ],
      'no-console': 'off',
    },
  },
  {
    files: ['functions/core/**/*.ts'],
    plugins: {core: {rules: {'stays-in-core': staysInCore}}},
    rules: {
      'no-restricted-imports': ['error', {patterns: CORE_FORBIDDEN_IMPORTS}],
      'core/stays-in-core': 'error',
    },
  },
  prettier,
);
