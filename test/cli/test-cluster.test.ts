/**
 * `npm run test-cluster` (build/test/demo/test-cluster.js), run as a newcomer runs it: in a
 * directory with no `.cronjob-watcher/` yet, the CLI works against the kubeconfig it writes,
 * and Ctrl-C (SIGINT) or SIGTERM ends it with exit code 0. When it cannot start it exits by
 * itself instead of keeping the server alive.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {REPO_ROOT, runCli, shown, tempDir} from './helpers.js';

const SCRIPT = path.join(REPO_ROOT, 'build', 'test', 'demo', 'test-cluster.js');
// A safety net, not a wait: a process that does not end is killed so the test fails. It
// covers the CLI run inside the test too, which takes 2-4 s alone but up to a minute on a
// machine shared by several test runs; below node --test's 120 s so the kill shows first.
const SAFETY_MS = 100_000;

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
}

function start(cwd: string): Running {
  const child = spawn(process.execPath, [SCRIPT], {cwd, stdio: ['ignore', 'pipe', 'pipe']});
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(resolve => {
    const timer = setTimeout(() => child.kill('SIGKILL'), SAFETY_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({code, signal});
    });
  });
  return {child, output: () => output, exited};
}

/** Resolves once the script says it is serving; rejects if it exits first. */
async function serving(run: Running): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (run.output().includes('Ctrl-C stops it.')) resolve();
    };
    run.child.stdout?.on('data', check);
    check();
    void run.exited.then(e => reject(new Error(`exited ${String(e.code)}:\n${run.output()}`)));
  });
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  describe(`npm run test-cluster, stopped with ${signal}`, () => {
    it('creates .cronjob-watcher/ on a fresh checkout, serves the fixtures, exits 0', async () => {
      const cwd = await tempDir('fresh-clone');
      const run = start(cwd);
      await serving(run);
      const kubeconfig = path.join(cwd, '.cronjob-watcher', 'test-cluster.kubeconfig');
      assert.ok(existsSync(kubeconfig), run.output());
      assert.match(
        run.output(),
        /npx cronjob-watcher status --kubeconfig \.cronjob-watcher\/test-cluster\.kubeconfig/,
      );

      const status = await runCli(['status', '--kubeconfig', kubeconfig, '--json']);
      assert.equal(status.code, 0, shown(status));
      const doc = JSON.parse(status.stdout) as {cronJobs: unknown[]};
      assert.ok(doc.cronJobs.length > 0, 'the fixtures are served');

      run.child.kill(signal);
      assert.deepEqual(await run.exited, {code: 0, signal: null}, run.output());
    });
  });
}

describe('npm run test-cluster that cannot start', () => {
  it('says why and exits 1 by itself', async () => {
    const cwd = await tempDir('blocked');
    // A file where the directory should be: mkdir fails.
    await writeFile(path.join(cwd, '.cronjob-watcher'), 'not a directory');
    const run = start(cwd);
    const exit = await run.exited;
    assert.deepEqual(exit, {code: 1, signal: null}, run.output());
    assert.match(run.output(), /^test-cluster: .*\.cronjob-watcher/m);
  });
});
