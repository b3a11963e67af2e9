/**
 * Storms end to end (issue 22 §1): `runPass` with the real `@kubernetes/client-node` reading
 * the Kubernetes test API server, the real `@slack/web-api` posting to the local Slack API
 * (which enforces Slack's pace per channel, on the test's clock) and incidents in both stores
 * (the Firestore emulator, the file store).
 *
 * Twelve CronJobs fail in one pass: the channel gets one top-level message, the parent, and
 * each incident's own message in its thread. As they recover, each one's closing goes in the
 * same thread and the parent is rewritten ("4 of 12 recovered", then "all recovered after …").
 * Nothing is posted twice, also when the parent's post is rate-limited, when its answer is
 * lost, and when the pass dies after Slack took it.
 */
import {after, afterEach, before, beforeEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {POST_BURST} from '../../functions/adapters/slack-notifier.js';
import type {IncidentStore} from '../../functions/ports.js';
import {dyingStore} from '../support/dying-store.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {
  startSlackApiServer,
  type RecordedCall,
  type SlackApiServer,
} from '../support/slack-api-server.js';
import type {CronJobSpec} from '../support/scenario.js';
import {
  CHANNEL,
  CONTEXT,
  deliveredById,
  FAIL_1,
  notificationIdOf,
  OK_0,
  OK_3,
  pass,
  show,
  TOKEN,
  world,
  type World,
  type WorldOptions,
} from '../reliability/helpers.js';

const FLEET: CronJobSpec[] = Array.from({length: 12}, (_, i) => ({
  namespace: i < 8 ? 'batch' : 'reports',
  name: `job-${String(i).padStart(2, '0')}`,
}));
const THRESHOLD = 5;

let kube: KubeApiServer;
let kubeconfig: string;
let slack: SlackApiServer;
/**
 * Slack's and the notifier's clock: real time plus every wait the notifier asked for (never
 * slept), so the server judges the pace on the timeline the notifier paces on. The pass's
 * decision clock is the scenario's time plus the same waits, so waiting uses up its budget.
 */
let waitedMs = 0;
const clock = () => Date.now() + waitedMs;
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

async function setUp(options: WorldOptions = {}): Promise<World> {
  waitedMs = 0;
  slack = await startSlackApiServer({
    token: TOKEN,
    clock,
    rateLimit: {burst: POST_BURST + 1, intervalMs: 1000},
  });
  const w = await world(kubeconfig, slack, {
    ...options,
    notifier: {
      now: clock,
      sleep: async ms => {
        waitedMs += ms;
      },
    },
  });
  worlds.push(w);
  for (const cj of FLEET) show(kube, cj, [OK_0]);
  assert.deepEqual((await at(w, '2026-03-02T00:30:00Z')).errors, []);
  for (const cj of FLEET) show(kube, cj, [OK_0, FAIL_1]);
  return w;
}

function at(w: Pick<World, 'source' | 'store' | 'notifier'>, time: string) {
  const baseMs = Date.parse(time);
  waitedMs = 0;
  return pass(w, time, {stormThreshold: THRESHOLD, now: () => new Date(baseMs + waitedMs)});
}

const posts = () => slack.accepted().filter(c => c.method === 'chat.postMessage');
const updates = () => slack.accepted().filter(c => c.method === 'chat.update');
const topLevel = () => posts().filter(c => c.thread_ts === null);
const isParent = (c: RecordedCall) => /^\d{4}-.*#.*\/opened$/.test(notificationIdOf(c) ?? '');

/** The one parent message; every other post must be in its thread. */
function parentTs(): string {
  const top = topLevel();
  assert.equal(top.length, 1, `one top-level message, got ${top.map(notificationIdOf).join(', ')}`);
  assert.ok(isParent(top[0]!), `the top-level message is the parent: ${notificationIdOf(top[0]!)}`);
  return top[0]!.ts!;
}

function assertNothingTwice(): void {
  const twice = [...deliveredById(slack)].filter(([, n]) => n > 1);
  assert.deepEqual(twice, [], 'nothing posted twice');
}

/** The text of the parent as it stands in the channel. */
function parentText(ts: string): string {
  return JSON.stringify(slack.message(CHANNEL, ts));
}

for (const store of ['firestore', 'file'] as const) {
  describe(`a storm of 12 openings (${store} store)`, () => {
    const options: WorldOptions = store === 'file' ? {fileStore: true} : {};

    it('one parent, each incident in its thread, closings there too, the parent kept current', async () => {
      const w = await setUp(options);
      const first = await at(w, '2026-03-02T01:30:00Z');
      assert.deepEqual(first.errors, []);
      assert.equal(first.opened, FLEET.length);
      const ts = parentTs();
      const replies = posts().filter(c => c.thread_ts === ts);
      assert.equal(replies.length, FLEET.length, 'every opening in the thread');
      assert.ok(replies.every(c => notificationIdOf(c)?.endsWith('/opened')));
      assert.equal(first.notificationsSent, FLEET.length + 1);
      assert.equal(first.notificationsPending, 0);
      assert.ok(parentText(ts).includes('12 CronJobs need attention at once'));
      assert.ok(parentText(ts).includes('0 of 12 recovered'));
      assert.ok(parentText(ts).includes('batch (8), reports (4)'));
      assert.equal(slack.calls.filter(c => c.outcome === 'http:429').length, 0);

      // Four recover: their closings go in the same thread; the parent says so.
      for (const cj of FLEET.slice(0, 4)) show(kube, cj, [OK_0, FAIL_1, OK_3]);
      const second = await at(w, '2026-03-02T03:30:00Z');
      assert.deepEqual(second.errors, []);
      assert.equal(second.closed, 4);
      parentTs();
      const closings = posts().filter(c => notificationIdOf(c)?.endsWith('/closed'));
      assert.equal(closings.length, 4);
      assert.ok(
        closings.every(c => c.thread_ts === ts),
        'closing replies stay in the thread',
      );
      const memberTs = new Set(replies.map(c => c.ts));
      const resolved = updates().filter(c => c.ts !== ts);
      assert.equal(resolved.length, 4);
      assert.ok(
        resolved.every(c => memberTs.has(c.ts)),
        'each member message is resolved',
      );
      assert.ok(parentText(ts).includes('4 of 12 recovered'), parentText(ts));

      // The rest recover: the parent says all recovered, and after how long.
      for (const cj of FLEET) show(kube, cj, [OK_0, FAIL_1, OK_3]);
      const third = await at(w, '2026-03-02T03:40:00Z');
      assert.deepEqual(third.errors, []);
      // From the first failure (01:06:30) to the last recovery (03:11:35).
      assert.ok(parentText(ts).includes('All recovered after 2h 5m'), parentText(ts));
      assert.ok(parentText(ts).includes('12 CronJobs needed attention at once'));

      // Done: a later pass sends nothing.
      const before = slack.calls.length;
      const fourth = await at(w, '2026-03-02T03:50:00Z');
      assert.deepEqual(fourth.errors, []);
      assert.equal(slack.calls.length, before);
      assertNothingTwice();
      assert.equal(
        posts().length,
        1 + 2 * FLEET.length,
        'the parent, then an opening and a closing per CronJob',
      );
    });
  });
}

describe('the parent is posted once', () => {
  it('a 429 on the parent: Retry-After is waited, then one parent and every member under it', async () => {
    const w = await setUp();
    slack.inject(
      {kind: 'rate-limit', retryAfterSeconds: 3},
      {times: 1, methods: ['chat.postMessage']},
    );
    const s = await at(w, '2026-03-02T01:30:00Z');
    assert.deepEqual(s.errors, []);
    const ts = parentTs();
    assert.equal(posts().filter(c => c.thread_ts === ts).length, FLEET.length);
    assert.ok(waitedMs >= 3000);
    assertNothingTwice();
  });

  it('a 429 past the deadline: the parent and its members wait for the next pass, then go once', async () => {
    const w = await setUp();
    slack.inject(
      {kind: 'rate-limit', retryAfterSeconds: 600},
      {times: 1, methods: ['chat.postMessage']},
    );
    const s = await at(w, '2026-03-02T01:30:00Z');
    assert.equal(topLevel().length, 0, 'nothing posted: the members wait for their parent');
    assert.equal(s.errors.length, 1, JSON.stringify(s.errors));
    assert.equal(s.errors[0]?.scope, 'notify');
    const next = await at(w, '2026-03-02T01:45:00Z');
    assert.deepEqual(next.errors, []);
    const ts = parentTs();
    assert.equal(posts().filter(c => c.thread_ts === ts).length, FLEET.length);
    assertNothingTwice();
  });

  it("the parent's answer is lost: it is found in the channel, not posted again", async () => {
    const w = await setUp({slackTimeoutMs: 300});
    slack.inject({kind: 'accept-then-hang'}, {times: 1, methods: ['chat.postMessage']});
    const s = await at(w, '2026-03-02T01:30:00Z');
    assert.deepEqual(s.errors, []);
    const ts = parentTs();
    assert.equal(posts().filter(c => c.thread_ts === ts).length, FLEET.length);
    assert.ok(slack.calls.some(c => c.method === 'conversations.history'));
    assertNothingTwice();
  });

  it('the pass dies once Slack took the parent: the next pass finds it and puts the members under it', async () => {
    const w = await setUp();
    const dying = dyingOnceParentPosted(w.store);
    const s = await at({...w, store: dying}, '2026-03-02T01:30:00Z');
    assert.ok(s.errors.length > 0, 'the dying pass reports its store failure');
    assert.equal(topLevel().length, 1);
    // The claim outlives the dead pass by its deadline plus a minute.
    const next = await at(w, '2026-03-02T01:45:00Z');
    assert.deepEqual(next.errors, []);
    const ts = parentTs();
    assert.equal(posts().filter(c => c.thread_ts === ts).length, FLEET.length);
    assertNothingTwice();
  });
});

/** The store as a pass sees it when its process dies right after Slack took the parent. */
function dyingOnceParentPosted(store: IncidentStore): IncidentStore {
  return dyingStore(store, () => slack.accepted().some(isParent));
}
