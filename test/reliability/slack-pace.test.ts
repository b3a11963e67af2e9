/**
 * Issue 13, point 3: Slack takes about one message per second per channel. A first pass over
 * a fleet with 40 failing CronJobs must not ride on 429s: the notifier paces its posts per
 * channel, and what does not fit before the deadline is deferred to the next pass and counted.
 * Through `runPass`, the real SlackNotifier and the local Slack API — which here enforces the
 * pace itself (a burst of POST_BURST, then one post per second, on the test's clock) — with
 * incidents in the Firestore emulator.
 *
 * Time: the notifier's waits are not slept; each one moves the test's clock forward. Slack's
 * clock and the notifier's are the same function (real time plus every wait so far), so the
 * server judges the pace on the timeline the notifier paces on. The pass's decision clock is
 * fixed, so its deadline is the budget from the real start of the pass.
 */
import {after, afterEach, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {POST_BURST} from '../../functions/adapters/slack-notifier.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {startSlackApiServer, type SlackApiServer} from '../support/slack-api-server.js';
import {objectsFor, type CronJobSpec} from '../support/scenario.js';
import {CONTEXT, deliveredById, FAIL_1, pass, TOKEN, world, type World} from './helpers.js';

const FLEET: CronJobSpec[] = Array.from({length: 40}, (_, i) => ({
  namespace: 'batch',
  name: `job-${String(i).padStart(2, '0')}`,
}));
// Slack's documented pace: one message per second per channel, "short bursts allowed" (the
// allowance is not published). The server allows one post more than the notifier's own burst:
// its bucket starts when the first post arrives, so without that one the network's latency
// would be counted against the notifier. Without pacing, the fifth post of a burst gets a 429.
const SLACK_INTERVAL_MS = 1000;
const SLACK_BURST = POST_BURST + 1;

let kube: KubeApiServer;
let kubeconfig: string;
let slack: SlackApiServer;
let waitedMs = 0;
const clock = () => Date.now() + waitedMs;
const worlds: World[] = [];

before(async () => {
  kube = await startKubeApiServer({});
  kubeconfig = await kube.writeKubeconfig({context: CONTEXT});
  for (const cj of FLEET) {
    const o = objectsFor(cj, [FAIL_1]);
    kube.put(o.cronJob);
    o.jobs.forEach(j => kube.put(j));
  }
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
  slack = await startSlackApiServer({
    token: TOKEN,
    clock,
    rateLimit: {burst: SLACK_BURST, intervalMs: SLACK_INTERVAL_MS},
  });
  const w = await world(kubeconfig, slack, {
    notifier: {
      now: clock,
      sleep: async ms => {
        waitedMs += ms;
      },
    },
  });
  worlds.push(w);
  return w;
}

function rateLimitedCalls(): number {
  return slack.calls.filter(c => c.outcome === 'http:429').length;
}

describe("40 openings to one channel keep Slack's pace", () => {
  it('within a 60 s budget: all 40 delivered in one pass, paced, no 429', async () => {
    const w = await setUp();
    const s = await pass(w, '2026-03-02T01:30:00Z', {budgetMs: 60_000});
    assert.equal(s.opened, FLEET.length);
    assert.deepEqual(s.errors, []);
    assert.equal(rateLimitedCalls(), 0);
    assert.equal(s.notificationsSent, FLEET.length);
    assert.equal(s.notificationsDeferred, 0);
    assert.equal(s.notificationsPending, 0);
    // After the burst, one post a second: the posts span at least 36 s of the test's clock
    // (real time plus the waits, which were recorded, never slept).
    const times = slack
      .accepted()
      .filter(c => c.method === 'chat.postMessage')
      .map(c => Number(c.ts) * 1000);
    const spanMs = Math.max(...times) - Math.min(...times);
    assert.ok(spanMs >= (FLEET.length - SLACK_BURST) * SLACK_INTERVAL_MS, `span ${spanMs} ms`);
    assert.ok(waitedMs > 0);
    assert.ok([...deliveredById(slack).values()].every(n => n === 1));
    assert.equal(deliveredById(slack).size, FLEET.length);
  });

  it('within an 8 s budget: what fits is sent, the rest deferred and counted; later passes send each once', async () => {
    const w = await setUp();
    const budgetMs = 8_000;
    const first = await pass(w, '2026-03-02T01:30:00Z', {budgetMs});
    assert.equal(rateLimitedCalls(), 0);
    assert.deepEqual(first.errors, []);
    // The burst, then one a second while a post still fits before the deadline.
    assert.ok(first.notificationsSent >= POST_BURST + 7, `sent ${first.notificationsSent}`);
    assert.ok(first.notificationsSent < FLEET.length, `sent ${first.notificationsSent}`);
    assert.equal(first.notificationsDeferred, FLEET.length - first.notificationsSent);
    assert.equal(first.notificationsPending, first.notificationsDeferred);
    assert.equal(first.complete, true, 'a deferral is not a failure (no 503, no retry storm)');

    // The next pass, with the budget production gives it, sends the rest: each once.
    const next = await pass(w, '2026-03-02T01:35:00Z', {budgetMs: 120_000});
    assert.deepEqual(next.errors, []);
    assert.equal(next.notificationsSent, first.notificationsDeferred);
    assert.equal(next.notificationsDeferred, 0);
    assert.equal(next.notificationsPending, 0);
    assert.equal(rateLimitedCalls(), 0);
    assert.equal(deliveredById(slack).size, FLEET.length);
    assert.ok([...deliveredById(slack).values()].every(n => n === 1));
  });

  it('a 429 still waits Retry-After, and Slack refuses nothing else', async () => {
    const w = await setUp();
    slack.inject(
      {kind: 'rate-limit', retryAfterSeconds: 5},
      {times: 1, methods: ['chat.postMessage']},
    );
    const s = await pass(w, '2026-03-02T01:30:00Z', {budgetMs: 120_000});
    assert.deepEqual(s.errors, []);
    assert.equal(s.notificationsSent, FLEET.length);
    assert.equal(rateLimitedCalls(), 1, 'only the injected 429');
    // Retry-After was waited (on the test clock), and Slack refused nothing else.
    assert.ok(waitedMs >= 5_000, `waited ${waitedMs} ms`);
  });
});
