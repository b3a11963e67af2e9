/**
 * Issue 21, point 2, in the function's set-up (runPass, the real SlackNotifier against the
 * local Slack API, incidents in the Firestore emulator):
 * - a pass interrupted (its `signal` aborted, as on SIGTERM) while Slack holds a post sends
 *   nothing more, leaves that message marked `unknown` with its claim released, and the next
 *   pass finds it in the channel instead of posting it again;
 * - a message in doubt stays in doubt when a later attempt fails outright (HTTP 503 on every
 *   attempt): that failure says nothing of the earlier attempt, so the pass after it still
 *   reads the channel's history before posting.
 */
import {after, afterEach, before, beforeEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {MAX_ATTEMPTS} from '../../functions/adapters/slack-notifier.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {startSlackApiServer, type SlackApiServer} from '../support/slack-api-server.js';
import type {CronJobSpec} from '../support/scenario.js';
import {
  CONTEXT,
  cronJobRecords,
  deliveredById,
  FAIL_1,
  notificationIdOf,
  OK_0,
  pass,
  show,
  TOKEN,
  world,
  type World,
} from './helpers.js';

const BACKUP: CronJobSpec = {namespace: 'backups', name: 'db-backup'};
const EXPORT: CronJobSpec = {namespace: 'data', name: 'export'};

let kube: KubeApiServer;
let kubeconfig: string;
let slack: SlackApiServer;
/** The Slack server's clock follows the pass being run, so `ts` values are on its timeline. */
let clockMs = 0;
const worlds: World[] = [];

before(async () => {
  kube = await startKubeApiServer({});
  kubeconfig = await kube.writeKubeconfig({context: CONTEXT});
});
after(async () => {
  await kube.close();
});
beforeEach(() => {
  kube.load({cronJobs: [], jobs: [], pods: []});
});
afterEach(async () => {
  await slack.close();
  for (const w of worlds.splice(0)) await w.close();
});

function at(w: World, time: string, signal?: AbortSignal) {
  clockMs = Date.parse(time);
  return pass(w, time, signal === undefined ? {} : {signal});
}

/** Two CronJobs seen healthy, then both failing: the next pass owes two openings. */
async function setUp(worldOptions: Parameters<typeof world>[2] = {}): Promise<World> {
  slack = await startSlackApiServer({token: TOKEN, clock: () => clockMs});
  const w = await world(kubeconfig, slack, worldOptions);
  worlds.push(w);
  show(kube, BACKUP, [OK_0]);
  show(kube, EXPORT, [OK_0]);
  assert.deepEqual((await at(w, '2026-03-02T00:30:00Z')).errors, []);
  show(kube, BACKUP, [OK_0, FAIL_1]);
  show(kube, EXPORT, [OK_0, FAIL_1]);
  return w;
}

type Outbox = Array<{id: string; lastOutcome?: string; claim: unknown}>;

async function outboxes(w: World): Promise<Outbox> {
  // A CronJob seen only healthy has a starting point, not a record (null).
  const records = [...(await cronJobRecords(w.store)).values()] as Array<{outbox: Outbox} | null>;
  return records.flatMap(r => r?.outbox ?? []);
}

function posts(): number {
  return slack.calls.filter(c => c.method === 'chat.postMessage').length;
}

describe('a pass interrupted or failing while a message is in doubt (Firestore)', () => {
  it('interrupted during a post: nothing more is sent, the post is left unknown, the next pass adopts it', async () => {
    const w = await setUp();
    slack.inject({kind: 'accept-then-hang'}, {methods: ['chat.postMessage']});
    const stop = new AbortController();
    const running = at(w, '2026-03-02T01:30:00Z', stop.signal);
    await slack.whenHanging(1);
    stop.abort();
    const s = await running;

    assert.equal(s.interrupted, true);
    assert.equal(s.complete, false);
    assert.equal(s.notificationsSent, 0);
    assert.equal(s.notificationsPending, 2);
    assert.deepEqual(
      s.errors.map(e => [e.scope, e.code]),
      [
        ['budget', 'INTERRUPTED'],
        ['budget', 'INTERRUPTED'],
      ],
    );
    assert.match(
      s.errors[0]?.message ?? '',
      /may or may not have reached Slack: the pass was interrupted/,
    );
    assert.match(s.errors[1]?.message ?? '', /left for the next pass: the pass was interrupted/);
    assert.equal(posts(), 1, 'nothing sent after the interruption');
    const heldId = notificationIdOf(slack.calls.find(c => c.method === 'chat.postMessage')!);
    const owed = await outboxes(w);
    assert.ok(
      owed.every(n => n.claim === null),
      'claims released',
    );
    assert.deepEqual(
      owed.filter(n => n.lastOutcome === 'unknown').map(n => n.id),
      [heldId],
    );

    const next = await at(w, '2026-03-02T01:35:00Z');
    assert.deepEqual(next.errors, []);
    assert.equal(next.notificationsPending, 0);
    assert.equal(slack.calls.filter(c => c.method === 'conversations.history').length, 1);
    assert.deepEqual([...deliveredById(slack).values()], [1, 1], 'each opening once');
  });

  it('in doubt, then HTTP 503 on every attempt: still in doubt; the next pass reads history before posting', async () => {
    const w = await setUp({slackTimeoutMs: 300});
    show(kube, EXPORT, [OK_0]);
    // First pass: the post is held past its timeout and the history cannot be read either.
    slack.inject({kind: 'hang'}, {times: 1, methods: ['chat.postMessage']});
    slack.inject({kind: 'hang'}, {times: MAX_ATTEMPTS, methods: ['conversations.history']});
    const first = await at(w, '2026-03-02T01:30:00Z');
    assert.equal(first.notificationsPending, 1);
    assert.equal((await outboxes(w))[0]?.lastOutcome, 'unknown');

    // Second pass: history read (nothing there), then Slack fails every post outright.
    slack.inject({kind: 'http', status: 503}, {times: MAX_ATTEMPTS, methods: ['chat.postMessage']});
    const historyBefore = slack.calls.filter(c => c.method === 'conversations.history').length;
    const second = await at(w, '2026-03-02T01:35:00Z');
    assert.equal(second.notificationsPending, 1);
    assert.ok(
      slack.calls.filter(c => c.method === 'conversations.history').length > historyBefore,
      'the second pass looked first',
    );
    assert.equal(
      (await outboxes(w))[0]?.lastOutcome,
      'unknown',
      'a 503 says nothing of the post that was held',
    );

    // Third pass: history first, then the one post.
    const from = slack.calls.length;
    const third = await at(w, '2026-03-02T01:40:00Z');
    assert.deepEqual(third.errors, []);
    const methods = slack.calls.slice(from).map(c => `${c.method}:${c.outcome}`);
    assert.deepEqual(methods, ['conversations.history:ok', 'chat.postMessage:ok']);
  });
});
