/**
 * Issue 6, point 6: the time budget. The pass's clock is injected and advances a fixed step
 * on every reading, so "time" passes only as the pass works — no sleeping. A pass whose budget
 * runs out stops starting new work, says in its summary what it left (complete: false, BUDGET
 * errors naming it), and the next pass finishes exactly that, sending nothing twice.
 * The file store keeps clock readings deterministic (a Firestore transaction may re-run its
 * decision on contention, reading the clock again); Firestore adds nothing to this point.
 */
import {after, afterEach, before, beforeEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {startSlackApiServer, type SlackApiServer} from '../support/slack-api-server.js';
import type {CronJobSpec} from '../support/scenario.js';
import {
  CONTEXT,
  deliveredById,
  FAIL_1,
  OK_0,
  pass,
  show,
  TOKEN,
  world,
  type World,
} from './helpers.js';

// Each reading of the pass clock moves it on by this much: a pass of N readings "takes" N s.
const STEP_MS = 1_000;
const FLEET: CronJobSpec[] = ['a', 'b', 'c', 'd', 'e', 'f'].map(x => ({
  namespace: 'fleet',
  name: `job-${x}`,
}));

let kube: KubeApiServer;
let kubeconfig: string;
let slack: SlackApiServer;
const worlds: World[] = [];

before(async () => {
  kube = await startKubeApiServer({});
  kubeconfig = await kube.writeKubeconfig({context: CONTEXT});
});
after(async () => {
  await kube.close();
});
beforeEach(async () => {
  kube.load({cronJobs: [], jobs: [], pods: []});
  kube.clearRequests();
  slack = await startSlackApiServer({token: TOKEN});
});
afterEach(async () => {
  await slack.close();
  for (const w of worlds.splice(0)) await w.close();
});

/** A clock that starts at `startIso` and advances STEP_MS per reading. */
function steppingClock(startIso: string): {now: () => Date; readings: () => number} {
  let readings = 0;
  const start = Date.parse(startIso);
  return {now: () => new Date(start + STEP_MS * readings++), readings: () => readings};
}

describe('time budget (injected clock that advances per reading)', () => {
  it('stops starting new work when the budget is spent, says what is left, and the next pass finishes it', async () => {
    // Slack's pace is not what this test is about (slack-pace.test.ts is): no pacing here.
    const w = await world(kubeconfig, slack, {fileStore: true, notifier: {postBurst: 100}});
    worlds.push(w);
    for (const cj of FLEET) show(kube, cj, [OK_0]);
    const baseline = await pass(w, '2026-03-02T00:30:00Z');
    assert.deepEqual(baseline.errors, []);
    for (const cj of FLEET) show(kube, cj, [OK_0, FAIL_1]);

    const clock = steppingClock('2026-03-02T01:30:00Z');
    // Ten readings' worth: enough for some of the six decisions, not for all of them and
    // their deliveries (each decision and each delivery reads the clock several times).
    const short = await pass(w, '2026-03-02T01:30:00Z', {now: clock.now, budgetMs: 10 * STEP_MS});
    assert.equal(short.complete, false);
    const budget = short.errors.filter(e => e.scope === 'budget');
    assert.ok(budget.length > 0, JSON.stringify(short.errors));
    assert.deepEqual(
      short.errors.filter(e => e.scope !== 'budget'),
      [],
      'running out of time is the only thing reported',
    );
    assert.ok(budget.every(e => e.code === 'BUDGET' && e.cluster === 'prod-eu'));
    const judged = short.transitions.map(t => `${t.namespace}/${t.name}`);
    const notJudged = budget
      .filter(e => / not judged: the pass ran out of time; the next pass will/.test(e.message))
      .map(e => e.cronJob);
    assert.ok(judged.length > 0 && notJudged.length > 0, 'the budget ran out part-way');
    assert.deepEqual(
      [...judged, ...notJudged].sort(),
      FLEET.map(c => `${c.namespace}/${c.name}`),
      'every CronJob was either judged or named as left for the next pass',
    );
    assert.equal(short.opened, judged.length);
    // What was decided but not sent is named too, and counted as pending.
    const unsent = budget.filter(e => /notification\(s\) left for the next pass/.test(e.message));
    assert.equal(short.notificationsSent + short.notificationsPending, judged.length);
    assert.equal(unsent.length, short.notificationsPending);
    const sentFirst = short.notificationsSent;

    const next = await pass(w, '2026-03-02T01:35:00Z');
    assert.equal(next.complete, true);
    assert.deepEqual(next.errors, []);
    assert.deepEqual(
      next.transitions.map(t => `${t.namespace}/${t.name}`).sort(),
      notJudged.sort(),
    );
    assert.equal(sentFirst + next.notificationsSent, FLEET.length);
    assert.equal(next.notificationsPending, 0);
    await pass(w, '2026-03-02T01:40:00Z');
    const delivered = deliveredById(slack);
    assert.equal(delivered.size, FLEET.length, 'one opening message per CronJob');
    assert.ok(
      [...delivered.values()].every(n => n === 1),
      'none twice',
    );
  });

  it('a budget already spent when the cluster comes up: not read, named, read by the next pass', async () => {
    const w = await world(kubeconfig, slack, {fileStore: true});
    worlds.push(w);
    show(kube, FLEET[0]!, [OK_0, FAIL_1]);
    const clock = steppingClock('2026-03-02T01:30:00Z');
    const spent = await pass(w, '2026-03-02T01:30:00Z', {now: clock.now, budgetMs: STEP_MS});
    assert.equal(spent.complete, false);
    assert.deepEqual(spent.clusters, [
      {
        id: 'kubeconfig/reliability',
        name: 'prod-eu',
        ok: false,
        cronJobs: 0,
        error: {code: 'BUDGET', message: 'not read: the pass ran out of time'},
      },
    ]);
    assert.match(
      spent.errors[0]?.message ?? '',
      /cluster prod-eu was not read: .*the next pass will read it/,
    );
    assert.equal(kube.requests.length, 0, 'no request was started after the deadline');
    assert.equal(spent.opened, 0);

    const next = await pass(w, '2026-03-02T01:35:00Z');
    assert.equal(next.complete, true);
    assert.equal(next.opened, 1);
    assert.equal(next.notificationsSent, 1);
  });
});
