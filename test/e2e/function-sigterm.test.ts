/**
 * SIGTERM to the function while a pass is sending, as Cloud Run sends it when it stops an
 * instance: through the real functions-framework server (which exits at once on SIGTERM by
 * itself), with Slack holding a post at the moment the signal comes — a moment the Slack test
 * server reveals, never a wall-clock wait. The pass sends nothing more, records what was sent
 * or left in doubt, answers 503 (Cloud Scheduler retries), and only then does the framework
 * exit; the next pass looks the message in doubt up in the channel and sends each message once.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import type {SubjectRecord} from '../../functions/core/incident.js';
import type {PassSummary} from '../../functions/pass.js';
import {cliEnv, filesUnder, REPO_ROOT, runCli, shown, tempDir} from '../cli/helpers.js';
import {TOKEN} from '../kubernetes/helpers.js';
import {deliveredById, notificationIdOf} from '../reliability/helpers.js';
import {freePort} from '../support/free-port.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {objectsFor} from '../support/scenario.js';
import {startSlackApiServer, type SlackApiServer} from '../support/slack-api-server.js';

const CHANNEL = 'C0ALERTS01';
const SLACK_TOKEN = 'xoxb-1-function-sigterm';
const FAILING = 3;
// Safety nets, not waits: functions-framework starts in a second or two and a wound-down pass
// answers at once.
const START_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 60_000;

interface Served {
  url: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
}

/** functions-framework serving the built function, as `npm start` runs it. */
async function serve(env: Record<string, string>): Promise<Served> {
  const port = await freePort();
  const child = spawn(
    path.join(REPO_ROOT, 'node_modules', '.bin', 'functions-framework'),
    [
      '--source=build/functions/index.js',
      '--target=watchCronJobs',
      `--port=${port}`,
      '--host=127.0.0.1',
    ],
    {cwd: REPO_ROOT, env: cliEnv(env), stdio: ['ignore', 'pipe', 'pipe']},
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(
    (resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`functions-framework did not exit:\n${output}`));
      }, EXIT_TIMEOUT_MS);
      timer.unref();
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({code, signal});
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`did not start:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const check = () => {
      if (output.includes('Serving function...')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    void exited.then(({code}) => {
      clearTimeout(timer);
      reject(new Error(`exited ${String(code)} before serving:\n${output}`));
    });
  });
  return {url: `http://127.0.0.1:${port}/`, child, output: () => output, exited};
}

/** Every record of the state directory's one cluster file. */
async function storedRecords(stateDir: string): Promise<SubjectRecord[]> {
  const dir = path.join(stateDir, 'clusters');
  const files = (await readdir(dir)).filter(f => f.endsWith('.json'));
  assert.equal(files.length, 1, `one cluster file: ${files.join(', ')}`);
  const state = JSON.parse(await readFile(path.join(dir, files[0] as string), 'utf8')) as {
    records: Record<string, SubjectRecord>;
  };
  return Object.values(state.records);
}

describe('the function stopped by SIGTERM while Slack holds a post', () => {
  let kube: KubeApiServer;
  let kubeconfig: string;
  let slack: SlackApiServer;

  before(async () => {
    kube = await startKubeApiServer({token: TOKEN});
    kubeconfig = await kube.writeKubeconfig({context: 'fleet', token: TOKEN});
    const nowMs = Date.now();
    const fleet = {cronJobs: [] as unknown[], jobs: [] as unknown[], pods: [] as unknown[]};
    for (let i = 0; i < FAILING; i++) {
      const objects = objectsFor({namespace: 'batch', name: `export-${i}`}, [
        {
          scheduledAt: new Date(nowMs - 3_600_000).toISOString(),
          outcome: 'failed',
          finishedAt: new Date(nowMs - 3_540_000).toISOString(),
          reason: 'BackoffLimitExceeded',
          pod: {reason: 'Error', exitCode: 1},
        },
      ]);
      fleet.cronJobs.push(objects.cronJob);
      fleet.jobs.push(...objects.jobs);
      fleet.pods.push(...objects.pods);
    }
    kube.load(fleet as Parameters<KubeApiServer['load']>[0]);
    // `ts` values on the real clock, as Slack's are: the history lookup counts from it.
    slack = await startSlackApiServer({token: SLACK_TOKEN, clock: () => Date.now()});
  });
  after(async () => {
    await slack.close();
    await kube.close();
  });

  it('sends nothing more, records the post in flight as in doubt, answers 503, then exits', async () => {
    const stateDir = await tempDir('function-sigterm');
    const env = {
      KUBECONFIG: kubeconfig,
      STATE_DIR: stateDir,
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_CHANNEL: CHANNEL,
      SLACK_API_URL: slack.apiUrl,
    };
    const served = await serve(env);
    slack.inject({kind: 'accept-then-hang'}, {methods: ['chat.postMessage']});
    const answer = fetch(served.url, {method: 'POST'});
    await slack.whenHanging(1);
    served.child.kill('SIGTERM');

    const response = await answer;
    const exit = await served.exited;
    assert.equal(response.status, 503, served.output());
    const summary = (await response.json()) as PassSummary;
    assert.equal(summary.interrupted, true, served.output());
    assert.equal(summary.opened, FAILING);
    assert.ok(exit.code !== null || exit.signal === 'SIGTERM', JSON.stringify(exit));
    assert.match(served.output(), /SIGTERM: the pass sends nothing more/);
    const posts = slack.calls.filter(c => c.method === 'chat.postMessage');
    assert.equal(posts.length, 1, 'no post after the signal');

    const records = await storedRecords(stateDir);
    const pending = records.flatMap(r => r.outbox);
    assert.equal(records.length, FAILING, 'every incident opened is saved');
    assert.equal(pending.length, FAILING, 'every message still owed or in doubt');
    assert.ok(
      pending.every(n => n.claim === null),
      'every claim released',
    );
    assert.deepEqual(
      pending.filter(n => n.lastOutcome === 'unknown').map(n => n.id),
      [notificationIdOf(posts[0]!)],
      'exactly the post in flight is in doubt',
    );
    assert.deepEqual(
      (await filesUnder(stateDir)).filter(f => f.endsWith('.lock')),
      [],
      'the lock is released',
    );

    // The next pass (here the CLI's, on the same state) looks the message in doubt up first
    // and sends every message once: Slack took the held post.
    const next = await runCli(['check', '--kubeconfig', kubeconfig, '--state-dir', stateDir], {
      env: {SLACK_BOT_TOKEN: SLACK_TOKEN, SLACK_CHANNEL: CHANNEL, SLACK_API_URL: slack.apiUrl},
    });
    assert.equal(next.code, 0, shown(next));
    assert.ok(
      slack.calls.some(c => c.method === 'conversations.history'),
      'the message in doubt was looked for first',
    );
    const counts = deliveredById(slack);
    assert.equal(counts.size, FAILING, shown(next));
    for (const [id, n] of counts) assert.equal(n, 1, `${id} posted once`);
  });

  it('a second SIGTERM stops it at once, while the first is still winding down', async () => {
    const stateDir = await tempDir('function-sigterm-twice');
    // The failed runs' Pods are read before any message: held, they keep the wind-down waiting
    // (a read in flight is finished, not cut).
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
    const callsBefore = slack.calls.length;
    kube.clearRequests();
    try {
      const served = await serve({
        KUBECONFIG: kubeconfig,
        STATE_DIR: stateDir,
        SLACK_BOT_TOKEN: SLACK_TOKEN,
        SLACK_CHANNEL: CHANNEL,
        SLACK_API_URL: slack.apiUrl,
      });
      const answer = fetch(served.url, {method: 'POST'}).catch((error: unknown) => error);
      await podsRead;
      served.child.kill('SIGTERM');
      await new Promise<void>(resolve => {
        const check = () => {
          if (/SIGTERM: the pass sends nothing more/.test(served.output())) resolve();
          else served.child.stdout?.once('data', check);
        };
        check();
      });
      served.child.kill('SIGTERM');
      await served.exited;
      assert.match(served.output(), /SIGTERM again: stopping now/);
      const pods = kube.requests.filter(r => r.path.includes('/pods'));
      assert.ok(
        pods.length > 0 && pods.every(r => r.status === null),
        `it exited with the Pod read still unanswered: ${JSON.stringify(pods)}`,
      );
      assert.equal(slack.calls.length, callsBefore, 'nothing was sent');
      await answer;
    } finally {
      releasePods();
      kube.clearFaults();
      kube.onRequest(null);
    }
  });

  it('no pass running: the signal stops it at once, as functions-framework does', async () => {
    const stateDir = await tempDir('function-sigterm-idle');
    const served = await serve({KUBECONFIG: kubeconfig, STATE_DIR: stateDir});
    kube.clearRequests();
    served.child.kill('SIGTERM');
    const exit = await served.exited;
    assert.ok(exit.code !== null || exit.signal === 'SIGTERM', JSON.stringify(exit));
    assert.equal(kube.requests.length, 0);
    assert.doesNotMatch(served.output(), /the pass sends nothing more/);
  });
});
