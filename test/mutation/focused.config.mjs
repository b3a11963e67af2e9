// @ts-check
/**
 * `stryker.config.mjs` with only the test files named in MUTATE_TESTS (comma-separated globs of
 * built tests): for a group of files whose mutants most core test files reach, running the
 * tests aimed at them is several times faster. A mutant that survives here may still be killed
 * by a test left out, so a focused score is a lower bound (test/mutation/README.md).
 */
import base from '../../stryker.config.mjs';

const tests = (process.env.MUTATE_TESTS ?? '').split(',').filter(t => t !== '');
if (tests.length === 0) throw new Error('MUTATE_TESTS names no test files');

export default {...base, tap: {...base.tap, testFiles: tests}};
