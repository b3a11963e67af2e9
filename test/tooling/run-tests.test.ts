/**
 * `npm test` on a machine without gcloud or Java: the runner names what to install, runs the
 * tests that need neither, lists the ones it did not run, and exits non-zero (3 when
 * everything it ran passed) so nobody mistakes it for a full pass. Run for real, with a PATH
 * that holds only the project's Node (and, in the second case, gcloud).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {chmod, symlink, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {REPO_ROOT, shown, tempDir, type CliResult} from '../cli/helpers.js';

const RUNNER = path.join(REPO_ROOT, 'build', 'test', 'run-tests.js');
const NO_EMULATOR_NEEDED = path.join(REPO_ROOT, 'build', 'test', 'core', 'config.test.js');
const EMULATOR_NEEDED = path.join(
  REPO_ROOT,
  'build',
  'test',
  'stores',
  'firestore-incident-store.test.js',
);

/** A directory holding links to these commands only, to use as the whole PATH. */
async function binDir(commands: Record<string, string>): Promise<string> {
  const dir = await tempDir('bin');
  for (const [name, target] of Object.entries(commands)) {
    await symlink(target, path.join(dir, name));
  }
  return dir;
}

function runRunner(envPath: string): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {HOME: process.env.HOME, PATH: envPath};
  return new Promise(resolve => {
    execFile(
      process.execPath,
      [RUNNER, NO_EMULATOR_NEEDED, EMULATOR_NEEDED],
      {cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 120_000},
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
          stdout,
          stderr,
        }),
    );
  });
}

function assertPartialRun(result: CliResult): void {
  assert.equal(result.code, 3, shown(result));
  assert.doesNotMatch(result.stderr, /Unhandled 'error' event|ENOENT\n\s+at /, shown(result));
  // The tests that need no emulator ran, and passed.
  assert.match(result.stdout, /parseConfig: accepted/, shown(result));
  assert.match(result.stdout, /ℹ fail 0/, shown(result));
  // Said twice (before and after the run, so it is the last thing on screen).
  const reports = result.stderr.match(/NOT A FULL RUN: 1 of 2 test file\(s\) were NOT run/g);
  assert.equal(reports?.length, 2, shown(result));
  assert.match(
    result.stderr,
    /build\/test\/stores\/firestore-incident-store\.test\.js \(needs the Cloud Firestore emulator/,
  );
  assert.doesNotMatch(result.stderr, /config\.test\.js \(needs/);
}

describe('npm test without the tools from outside npm', () => {
  it('no gcloud: names the Google Cloud CLI, its emulator component and Java', async () => {
    const bin = await binDir({node: process.execPath});
    const result = await runRunner(bin);
    assertPartialRun(result);
    assert.match(result.stderr, /gcloud is not on PATH/);
    assert.match(result.stderr, /https:\/\/cloud\.google\.com\/sdk\/docs\/install/);
    assert.match(result.stderr, /gcloud components install cloud-firestore-emulator/);
    assert.match(result.stderr, /java is not on PATH: install a Java runtime/);
  });

  it('gcloud but no Java: names Java only', async () => {
    const bin = await binDir({node: process.execPath});
    // A stand-in: the runner must not get as far as running it, Java being missing.
    await writeFile(
      path.join(bin, 'gcloud'),
      '#!/bin/sh\necho "stand-in gcloud ran" >&2\nexit 1\n',
    );
    await chmod(path.join(bin, 'gcloud'), 0o755);
    const result = await runRunner(bin);
    assertPartialRun(result);
    assert.doesNotMatch(result.stderr, /gcloud is not on PATH/);
    assert.match(result.stderr, /java is not on PATH: install a Java runtime/);
    assert.doesNotMatch(result.stderr, /stand-in gcloud ran/);
  });
});

describe('npm test when a suite fails around passing tests', () => {
  // node --test exits 0 when every test passed but a suite's `after` hook failed (or timed
  // out): the cleanup that stops a test's servers and children did not run, and the run must
  // not pass.
  it('an after hook that throws: the run fails and names the suite', async () => {
    const dir = await tempDir('hook');
    const file = path.join(dir, 'hook.test.mjs');
    await writeFile(
      file,
      [
        "import {after, describe, it} from 'node:test';",
        "describe('a suite whose cleanup fails', () => {",
        "  after(() => { throw new Error('cleanup failed'); });",
        "  it('a test that passes', () => {});",
        '});',
        '',
      ].join('\n'),
    );
    const result = await new Promise<CliResult>(resolve => {
      execFile(
        process.execPath,
        [RUNNER, file],
        {cwd: REPO_ROOT, env: {HOME: process.env.HOME, PATH: process.env.PATH}, encoding: 'utf8'},
        (error, stdout, stderr) =>
          resolve({
            code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
            stdout,
            stderr,
          }),
      );
    });
    assert.equal(result.code, 1, shown(result));
    assert.match(result.stdout, /ℹ pass 1/, shown(result));
    assert.match(
      result.stderr,
      /node --test passed, but these failed \(a suite or one of its hooks\): a suite whose cleanup fails/,
      shown(result),
    );
  });
});
