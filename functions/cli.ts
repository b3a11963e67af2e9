#!/usr/bin/env node
/**
 * The `cronjob-watcher` command. The shebang runs whatever `node` is first on PATH, and the
 * CLI's dependencies crash with a stack trace while loading on Node older than 22.19: so this
 * entry checks the version first and only then loads the CLI (`cli-main.ts`) dynamically.
 * It imports nothing heavy: static imports are loaded before any of this code runs.
 */
import {nodeVersionProblem} from './node-version.js';

const problem = nodeVersionProblem(process.versions.node, process.execPath);
if (problem !== null) {
  process.stderr.write(`${problem}\n`);
  process.exitCode = 1;
} else {
  const {main, SIGNAL_EXIT_CODES} = await import('./cli-main.js');
  const {describeError} = await import('./core/errors.js');
  const interrupted: number[] = Object.values(SIGNAL_EXIT_CODES);
  main(process.argv.slice(2)).then(
    code => {
      // An interrupted pass stopped waiting for requests still open: they must not keep the
      // process alive (nor finish a send) after the state was saved.
      if (interrupted.includes(code)) process.exit(code);
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${describeError(error)}\n`);
      process.exitCode = 70;
    },
  );
}
