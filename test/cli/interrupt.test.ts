/**
 * `cronjob-watcher check` interrupted while Slack is slow to answer: Ctrl-C (SIGINT), SIGTERM
 * and kill -9, each sent to the real CLI process at a moment the test servers reveal (a post
 * Slack holds, a Pod read the Kubernetes server holds), never after a wall-clock wait. After
 * each, the state says what was sent or left in doubt, no lock is left (except after kill -9,
 * which the next pass clears), and the next `check` sends every message exactly once: it
 * looks a message in doubt up in the channel's history by its notification id first.
 *
 * Both delivery paths are covered: a few openings go record by record, ten or more go in
 * batches (delivery.ts).
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import type {PendingNotification, SubjectRecord} from '../../functions/core/incident.js';
import {TOKEN} from '../kubernetes/helpers.js';
import {deliveredById, notificationIdOf} from '../reliability/helpers.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {objectsFor} from '../support/scenario.js';
import {startSlackApiServer, type SlackApiServer} from '../support/slack-api-server.js';
import {CLI_JS, cliEnv, filesUnder, REPO_ROOT, runCli, shown, tempDir} from './helpers.js';

const CHANNEL = 'C0ALERTS01';
const SLACK_TOKEN = 'xoxb-1-interrupt-test';
// Fewer than delivery.ts's MIN_RECORDS_PER_BATCH go one by one; this many go in a batch.
const FEW = 3;
const MANY = 12;
// A safety net, not a wait: a CLI that never exits fails the test with its output.
const EXIT_TIMEOUT_MS = 60_000;

/** A running CLI process and what it has printed so far. */
interface Running {
  signal(name: NodeJS.Signals): void;
  /** Resolves once stderr has a line matching `pattern`. */
  stderrShows(pattern: RegExp): Promise<void>;
  exited: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
}

function startCli(args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, [CLI_JS, ...args], {cwd: REPO_ROOT, env: cliEnv(env)});
  let stdout = '';
  let stderr = '';
  const waiters: Array<{pattern: RegExp; resolve: () => void}> = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const w of [...waiters]) {
      if (w.pattern.test(stderr)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  });
  const exited = new Promise<Awaited<Running['exited']>>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`the CLI did not exit\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`),
      );
    }, EXIT_TIMEOUT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // 'exit' may come before the pipes are drained; 'close' comes after both.
      child.on('close', () => resolve({code, signal, stdout, stderr}));
    });
  });
  return {
    signal: name => child.kill(name),
    stderrShows: pattern =>
      pattern.test(stderr)
        ? Promise.resolve()
        : new Promise(resolve => waiters.push({pattern, resolve})),
    exited,
  };
}

/** `count` CronJobs whose latest run failed an hour ago, each with its failed Pod. */
function failingFleet(count: number, nowMs: number) {
  const fleet = {cronJobs: [] as unknown[], jobs: [] as unknown[], pods: [] as unknown[]};
  const scheduledAt = new Date(nowMs - 3_600_000).toISOString();
  const finishedAt = new Date(nowMs - 3_540_000).toISOString();
  for (let i = 0; i < count; i++) {
    const objects = objectsFor({namespace: 'batch', name: `export-${String(i).padStart(2, '0')}`}, [
      {
        scheduledAt,
        outcome: 'failed',
        finishedAt,
        reason: 'BackoffLimitExceeded',
        pod: {reason: 'Error', exitCode: 1},
      },
    ]);
    fleet.cronJobs.push(objects.cronJob);
    fleet.jobs.push(...objects.jobs);
    fleet.pods.push(...objects.pods);
  }
  return fleet as Parameters<KubeApiServer['load']>[0];
}

/** Every record of the state directory's (one) cluster file. */
async function storedRecords(stateDir: string): Promise<SubjectRecord[]> {
  const dir = path.join(stateDir, 'clusters');
  const files = (await readdir(dir)).filter(f => f.endsWith('.json'));
  assert.equal(files.length, 1, `one cluster file: ${files.join(', ')}`);
  const state = JSON.parse(await readFile(path.join(dir, files[0] as string), 'utf8')) as {
    records: Record<string, SubjectRecord>;
  };
  return Object.values(state.records);
}

function pendingOf(records: SubjectRecord[]): PendingNotification[] {
  return records.flatMap(r => r.outbox);
}

async function locksUnder(stateDir: string): Promise<string[]> {
  return (await filesUnder(stateDir)).filter(f => f.includes('.lock'));
}

describe('cronjob-watcher check interrupted while Slack is slow', () => {
  let kube: KubeApiServer;
  let kubeconfig: string;
  let slack: SlackApiServer;

  before(async () => {
    kube = await startKubeApiServer({token: TOKEN});
    kubeconfig = await kube.writeKubeconfig({context: 'fleet', token: TOKEN});
  });
  after(async () => {
    await kube.close();
  });

  /** A fresh Slack, the fleet on the cluster, and a new state directory. */
  async function setUp(count: number) {
    await slack?.close();
    // `ts` values on the real clock, as Slack's are: the history lookup starts a minute before
    // the first attempt, by the CLI's own clock.
    slack = await startSlackApiServer({token: SLACK_TOKEN, clock: () => Date.now()});
    kube.clearFaults();
    kube.onRequest(null);
    kube.clearRequests();
    kube.load(failingFleet(count, Date.now()));
    const stateDir = await tempDir('interrupt');
    const args = ['check', '--kubeconfig', kubeconfig, '--state-dir', stateDir];
    const env = {SLACK_BOT_TOKEN: SLACK_TOKEN, SLACK_CHANNEL: CHANNEL, SLACK_API_URL: slack.apiUrl};
    return {stateDir, args, env};
  }
  after(async () => {
    await slack?.close();
  });

  function posts(): number {
    return slack.accepted().filter(c => c.method === 'chat.postMessage').length;
  }

  function lookups(): number {
    return slack.calls.filter(c => c.method === 'conversations.history').length;
  }

  /** The next check sends what is owed, each message once, and leaves nothing pending. */
  async function nextCheckSendsEachOnce(
    args: string[],
    env: Record<string, string>,
    stateDir: string,
    count: number,
  ): Promise<void> {
    const lookupsBefore = lookups();
    const next = await runCli(args, {env});
    assert.equal(next.code, 0, shown(next));
    assert.ok(lookups() > lookupsBefore, 'the message in doubt was looked for first');
    const counts = deliveredById(slack);
    assert.equal(counts.size, count, `one notification per CronJob\n${shown(next)}`);
    for (const [id, n] of counts) assert.equal(n, 1, `${id} posted once`);
    assert.deepEqual(pendingOf(await storedRecords(stateDir)), [], 'nothing left owed');
    assert.deepEqual(await locksUnder(stateDir), []);
  }

  for (const [signal, code, count, fault] of [
    ['SIGINT', 130, FEW, 'accept-then-hang'],
    ['SIGINT', 130, MANY, 'hang'],
    ['SIGTERM', 143, FEW, 'hang'],
    ['SIGTERM', 143, MANY, 'accept-then-hang'],
  ] as const) {
    const path = count === FEW ? 'one by one' : 'in a batch';
    const slow = fault === 'hang' ? 'not yet taken by Slack' : 'taken by Slack, its answer held';
    it(`${signal} during a post (${path}, ${slow}): exit ${code}, state saved, nothing sent twice`, async () => {
      const {stateDir, args, env} = await setUp(count);
      slack.inject({kind: fault}, {methods: ['chat.postMessage']});
      const cli = startCli(args, env);
      await slack.whenHanging(1);
      cli.signal(signal);
      const run = await cli.exited;
      const ran = `exit ${String(run.code)}\n${run.stdout}\n${run.stderr}`;
      assert.equal(run.code, code, ran);
      assert.match(run.stderr, new RegExp(`^${signal}: sending nothing more`, 'm'), ran);
      assert.match(run.stdout, /^Interrupted: what was sent is recorded/m, ran);
      assert.equal(
        slack.calls.filter(c => c.method === 'chat.postMessage').length,
        1,
        'no post after the signal',
      );

      const records = await storedRecords(stateDir);
      const pending = pendingOf(records);
      assert.equal(records.length, count, 'every incident opened is saved');
      assert.equal(pending.length, count, 'every message is still owed or in doubt');
      assert.ok(
        pending.every(n => n.claim === null),
        'every claim released',
      );
      const heldId = notificationIdOf(slack.calls.find(c => c.method === 'chat.postMessage')!);
      assert.deepEqual(
        pending.filter(n => n.lastOutcome === 'unknown').map(n => n.id),
        [heldId],
        'exactly the post in flight is in doubt',
      );
      assert.deepEqual(await locksUnder(stateDir), [], 'the lock is released');

      await nextCheckSendsEachOnce(args, env, stateDir, count);
    });
  }

  for (const count of [FEW, MANY]) {
    const path = count === FEW ? 'one by one' : 'in a batch';
    it(`kill -9 during a post (${path}): the claim was on disk first; the next check looks it up and posts nothing twice`, async () => {
      const {stateDir, args, env} = await setUp(count);
      slack.inject({kind: 'accept-then-hang'}, {methods: ['chat.postMessage']});
      const cli = startCli(args, env);
      await slack.whenHanging(1);
      cli.signal('SIGKILL');
      const run = await cli.exited;
      assert.equal(run.signal, 'SIGKILL');
      assert.equal(posts(), 1);

      const heldId = notificationIdOf(slack.calls.find(c => c.method === 'chat.postMessage')!);
      const pending = pendingOf(await storedRecords(stateDir));
      const held = pending.find(n => n.id === heldId);
      assert.ok(
        held?.claim,
        `the post in flight was claimed on disk before it was sent\n${run.stderr}`,
      );
      assert.equal((await locksUnder(stateDir)).length, 1, 'the dead process left its lock');

      await nextCheckSendsEachOnce(args, env, stateDir, count);
      assert.equal(posts(), count, 'the message Slack took was adopted, not posted again');
    });
  }

  it('a second Ctrl-C exits at once, while the first is still winding down', async () => {
    const {stateDir, args, env} = await setUp(FEW);
    // The Pods of the failed runs are read before any message: held, they keep the first
    // Ctrl-C's wind-down waiting (a read in flight is finished, not cut).
    let podsRequested: () => void = () => undefined;
    const podsRead = new Promise<void>(resolve => (podsRequested = resolve));
    let releasePods: () => void = () => undefined;
    kube.inject({
      match: '/pods',
      action: {type: 'hold', until: new Promise<void>(resolve => (releasePods = resolve))},
    });
    kube.onRequest(request => {
      if (request.path.includes('/pods')) podsRequested();
    });
    try {
      const cli = startCli(args, env);
      await podsRead;
      cli.signal('SIGINT');
      await cli.stderrShows(/^SIGINT: sending nothing more/m);
      cli.signal('SIGINT');
      const run = await cli.exited;
      assert.equal(run.code, 130, run.stderr);
      const pods = kube.requests.filter(r => r.path.includes('/pods'));
      assert.ok(
        pods.length > 0 && pods.every(r => r.status === null),
        `it exited with the Pod read still unanswered: ${JSON.stringify(pods)}`,
      );
      assert.equal(slack.calls.length, 0, 'nothing was sent');
    } finally {
      releasePods();
      kube.clearFaults();
      kube.onRequest(null);
    }
    // Nothing was claimed, nothing saved: the next check does the whole pass, once.
    const next = await runCli(args, {env});
    assert.equal(next.code, 0, shown(next));
    const counts = deliveredById(slack);
    assert.equal(counts.size, FEW, shown(next));
    for (const [id, n] of counts) assert.equal(n, 1, `${id} posted once`);
    assert.deepEqual(await locksUnder(stateDir), []);
  });
});
