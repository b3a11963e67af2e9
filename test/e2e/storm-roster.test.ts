/**
 * The storm's roster end to end (issue 22 §1): thirty CronJobs fail in one pass, more than
 * the parent's list holds, read through the real `@kubernetes/client-node` and posted with the
 * real `@slack/web-api` to the local Slack API (enforcing Slack's pace per channel on the
 * test's clock), incidents in the file store. The thread starts with every CronJob listed,
 * then each one's own message; nothing is posted twice, also when the pass dies right after
 * Slack took the roster.
 */
import {after, afterEach, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {POST_BURST} from '../../functions/adapters/slack-notifier.js';
import type {IncidentStore} from '../../functions/ports.js';
import {dyingStore} from '../support/dying-store.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {startSlackApiServer, type SlackApiServer} from '../support/slack-api-server.js';
import type {CronJobSpec} from '../support/scenario.js';
import {
  CONTEXT,
  deliveredById,
  FAIL_1,
  notificationIdOf,
  OK_0,
  pass,
  show,
  TOKEN,
  world,
  type World,
} from '../reliability/helpers.js';

const FLEET: CronJobSpec[] = Array.from({length: 30}, (_, i) => ({
  namespace: i % 2 === 0 ? 'batch' : 'reports',
  name: `job-${String(i).padStart(2, '0')}`,
}));

let kube: KubeApiServer;
let kubeconfig: string;
let slack: SlackApiServer;
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
afterEach(async () => {
  await slack.close();
  for (const w of worlds.splice(0)) await w.close();
});

async function setUp(): Promise<World> {
  waitedMs = 0;
  kube.load({cronJobs: [], jobs: [], pods: []});
  slack = await startSlackApiServer({
    token: TOKEN,
    clock,
    rateLimit: {burst: POST_BURST + 1, intervalMs: 1000},
  });
  const w = await world(kubeconfig, slack, {
    fileStore: true,
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
  return pass(w, time, {stormThreshold: 5, now: () => new Date(baseMs + waitedMs)});
}

const posts = () => slack.accepted().filter(c => c.method === 'chat.postMessage');

function assertThread(): void {
  const top = posts().filter(c => c.thread_ts === null);
  assert.equal(top.length, 1, 'one top-level message');
  const thread = posts().filter(c => c.thread_ts === top[0]?.ts);
  const ids = thread.map(c => notificationIdOf(c) ?? '');
  assert.match(ids[0] ?? '', /#\/roster-1$/, 'the roster comes first');
  const listed = (thread[0]?.blocks ?? []).map(b => JSON.stringify(b)).join('');
  for (const cj of FLEET) assert.ok(listed.includes(`\`${cj.name}\``), `${cj.name} listed`);
  assert.match(thread[0]?.text ?? '', /^CronJobs of this storm, 1–30 of 30:$/);
  assert.equal(thread.length, 1 + FLEET.length, 'then each CronJob once');
  assert.ok(ids.slice(1).every(id => id.endsWith('/opened')));
  const twice = [...deliveredById(slack)].filter(([, n]) => n > 1);
  assert.deepEqual(twice, [], 'nothing posted twice');
}

describe('a storm of 30 openings', () => {
  it('the thread lists every CronJob first, then each one’s own message', async () => {
    const w = await setUp();
    const s = await at(w, '2026-03-02T01:30:00Z');
    assert.deepEqual(s.errors, []);
    assert.equal(s.notificationsPending, 0);
    assertThread();
  });

  it('the pass dies once Slack took the roster: the next pass finds it, posts the rest once', async () => {
    const w = await setUp();
    const dying = dyingOnceRosterPosted(w.store);
    const s = await at({...w, store: dying}, '2026-03-02T01:30:00Z');
    assert.ok(s.errors.length > 0, 'the dying pass reports its store failure');
    // The claim outlives the dead pass by its deadline plus a minute.
    const next = await at(w, '2026-03-02T01:45:00Z');
    assert.deepEqual(next.errors, []);
    assert.ok(
      slack.calls.some(
        c => c.method === 'conversations.replies' || c.method === 'conversations.history',
      ),
    );
    assertThread();
  });
});

/** The store as a pass sees it when its process dies right after Slack took the roster. */
function dyingOnceRosterPosted(store: IncidentStore): IncidentStore {
  return dyingStore(store, () =>
    slack.accepted().some(c => /#\/roster-1$/.test(notificationIdOf(c) ?? '')),
  );
}
