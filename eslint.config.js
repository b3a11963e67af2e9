// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

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
  {
    group: ['../adapters/*', '../adapters', '../*.js'],
    message: 'functions/core depends on nothing outside it.',
  },
];

export default tseslint.config(
  {ignores: ['build/', 'node_modules/', '.cronjob-watcher/']},
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
    rules: {'no-restricted-imports': ['error', {patterns: CORE_FORBIDDEN_IMPORTS}]},
  },
  prettier,
);
