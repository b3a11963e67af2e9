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
import {loadExpectedVerdicts} from '../support/kube-fixtures.js';
import {failingCronJobs, REPO_ROOT, runCli, shown, tempDir} from './helpers.js';

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

// The CronJobs that run every few minutes or hours, with their fixture's last start
// (status.lastScheduleTime) and the minutes past each period their schedule names.
const FREQUENT = [
  {key: 'backups/db-backup', lastStart: '2026-03-10T09:00:00Z', periodMin: 60, offsetMin: 0},
  {key: 'data/export-csv', lastStart: '2026-03-10T09:05:00Z', periodMin: 60, offsetMin: 5},
  {key: 'mail/send-digest', lastStart: '2026-03-10T09:00:00Z', periodMin: 15, offsetMin: 0},
  {key: 'ops/log-rotate', lastStart: '2026-03-10T09:00:00Z', periodMin: 60, offsetMin: 0},
];
// The missed detection's default grace (README: missed-grace).
const GRACE_MS = 10 * 60_000;

/**
 * When a CronJob's first run after `lastStartMs` counts as missed: its next tick on the UTC
 * clock, plus the grace. Moved by 5-minute steps, a last start can fall just before a tick (an
 * hourly run moved to 09:55 is due again at 10:00): the test then knows when a miss is real.
 */
function missedFrom(lastStartMs: number, periodMin: number, offsetMin: number): number {
  const period = periodMin * 60_000;
  const offset = offsetMin * 60_000;
  const tick = Math.floor((lastStartMs - offset) / period + 1) * period + offset;
  return tick + GRACE_MS;
}

describe('npm run test-cluster, the fixtures moved to now', () => {
  it('status shows no run days old; the first check opens no flood of missed runs', async () => {
    const cwd = await tempDir('moved');
    const run = start(cwd);
    try {
      await serving(run);
      const moved =
        /moved forward \d+ day\(s\) so that their "now" \((\S+)\) is now \((\S+)\)/.exec(
          run.output(),
        );
      assert.ok(moved, run.output());
      const shiftMs = Date.parse(moved[2]!) - Date.parse(moved[1]!);
      const kubeconfig = path.join(cwd, '.cronjob-watcher', 'test-cluster.kubeconfig');
      // Every detection, as a newcomer runs it (the helpers turn the silent ones off).
      const env = {DETECTIONS: undefined};
      const status = await runCli(['status', '--kubeconfig', kubeconfig], {env});
      assert.equal(status.code, 0, shown(status));
      // The fixtures' newest runs are minutes old, the oldest kept ones about a day (weekly).
      assert.doesNotMatch(status.stdout, /\b\d+d\b/, status.stdout);
      assert.match(status.stdout, /stream-compact .* Running \d+m/);

      const check = await runCli(['check', '--kubeconfig', kubeconfig, '--dry-run'], {env});
      assert.equal(check.code, 0, shown(check));
      assert.doesNotMatch(check.stdout, /more than 100/);
      const json = await runCli(['check', '--kubeconfig', kubeconfig, '--dry-run', '--json'], {
        env,
      });
      const checkedBy = Date.now();
      const summary = JSON.parse(json.stdout) as {
        transitions: Array<{incidentKind: string; namespace: string; name: string}>;
      };
      const opened = (kind: string) =>
        summary.transitions
          .filter(t => t.incidentKind === kind)
          .map(t => `${t.namespace}/${t.name}`)
          .sort();
      // The failing streaks are the fixtures' own.
      assert.deepEqual(opened('failing'), failingCronJobs(loadExpectedVerdicts()));
      // Moved by whole 5-minute steps, not whole days or weeks, a daily or weekly schedule's
      // tick can fall between its last run and now: one missed run at most. A CronJob that runs
      // every few minutes or hours is not late, unless the test ran past its next tick's grace.
      const late = FREQUENT.filter(
        c => checkedBy >= missedFrom(Date.parse(c.lastStart) + shiftMs, c.periodMin, c.offsetMin),
      ).map(c => c.key);
      for (const c of FREQUENT) {
        if (late.includes(c.key)) continue;
        assert.ok(!opened('missed').includes(c.key), `${c.key} is not late yet`);
      }
      const missed = opened('missed').filter(key => !late.includes(key));
      assert.ok(missed.length <= 2, JSON.stringify(missed));
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
  });
});

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
