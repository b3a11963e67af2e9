// @ts-check
/**
 * Mutation testing of the pure core: `npm run mutate` (README, Development). Too slow for CI.
 *
 * The tests run on tsc's output, so each sandbox is instrumented once (every mutant behind a
 * switch), built once with tsc, and every mutant then runs only the built core test files
 * that reach it (the tap runner counts a file as one test). Incremental: a run re-tests only
 * mutants whose code or covering tests changed since the last one.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  packageManager: 'npm',
  plugins: ['@stryker-mutator/tap-runner'],
  testRunner: 'tap',
  tap: {
    testFiles: ['build/test/core/*.test.js'],
    nodeArgs: ['--test-reporter=tap', '-r', '{{hookFile}}', '{{testFile}}'],
  },
  coverageAnalysis: 'perTest',
  mutate: ['functions/core/**/*.ts'],
  // The instrumented sources do not type-check; tsc still emits them.
  disableTypeChecks: 'functions/core/**/*.ts',
  buildCommand: 'tsc -p tsconfig.json',
  ignorePatterns: ['/.cronjob-watcher', '/infra'],
  // The machine is shared: two test processes at a time.
  concurrency: 2,
  incremental: true,
  incrementalFile: 'reports/mutation/incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: {fileName: 'reports/mutation/index.html'},
  jsonReporter: {fileName: 'reports/mutation/mutation.json'},
  clearTextReporter: {allowColor: false, logTests: false},
  tempDirName: '.stryker-tmp',
};
