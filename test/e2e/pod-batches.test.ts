/**
 * Pod lookups in batches (issue 14), through the real reader and Slack client: a pass that
 * explains many failed runs lists the Pods of a namespace's Jobs at once, each incident still
 * carries its own Pods' reason, and a batch that fails falls back to one listing per Job.
 */
import {after, before, beforeEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {startSlackApiServer, type SlackApiServer} from '../support/slack-api-server.js';
import type {CronJobSpec, RunSpec} from '../support/scenario.js';
import {CHANNEL, CONTEXT, OK_0, pass, show, TOKEN, world} from '../support/world.js';

let kube: KubeApiServer;
let slack: SlackApiServer;
let kubeconfig: string;

before(async () => {
  kube = await startKubeApiServer({});
  kubeconfig = await kube.writeKubeconfig({context: CONTEXT});
});
after(async () => {
  await kube.close();
  await slack?.close();
});
beforeEach(async () => {
  await slack?.close();
  slack = await startSlackApiServer({token: TOKEN, channels: [{id: CHANNEL, name: 'alerts'}]});
  kube.load({cronJobs: [], jobs: [], pods: []});
  kube.clearFaults();
});

// Each failing CronJob's Pod ends its own way, so a message shows whose Pods it was given.
const FAILING: Array<{cronJob: CronJobSpec; exitCode: number}> = [
  ...Array.from({length: 7}, (_, i) => ({
    cronJob: {namespace: 'mail', name: `digest-${i}`},
    exitCode: 10 + i,
  })),
  {cronJob: {namespace: 'data', name: 'nightly-load'}, exitCode: 42},
];
// Pods gone: each lookup comes back empty, under both labels.
const GONE: CronJobSpec = {namespace: 'mail', name: 'bounce-cleanup'};

function failedWithPod(exitCode: number): RunSpec {
  return {
    scheduledAt: '2026-03-02T01:00:00Z',
    outcome: 'failed',
    finishedAt: '2026-03-02T01:06:30Z',
    reason: 'BackoffLimitExceeded',
    pod: {reason: 'Error', exitCode},
  };
}

function showFleet(): void {
  for (const {cronJob} of FAILING) show(kube, cronJob, [OK_0]);
  show(kube, GONE, [OK_0]);
}

function failFleet(): void {
  for (const {cronJob, exitCode} of FAILING) show(kube, cronJob, [OK_0, failedWithPod(exitCode)]);
  show(kube, GONE, [OK_0, {...failedWithPod(1), pod: undefined}]);
}

/** The opening message of each CronJob, by name. */
function openings(): Map<string, string> {
  const texts = new Map<string, string>();
  for (const call of slack.accepted().filter(c => c.method === 'chat.postMessage')) {
    const text = `${call.text ?? ''}\n${JSON.stringify(call.blocks ?? [])}`;
    const name = [...FAILING.map(f => f.cronJob.name), GONE.name].find(n => text.includes(n));
    if (name !== undefined) texts.set(name, text);
  }
  return texts;
}

function podListings(namespace: string): string[] {
  return kube.requests
    .filter(r => r.path === `/api/v1/namespaces/${namespace}/pods`)
    .map(r => r.query.labelSelector ?? '');
}

describe('pod lookups in batches', () => {
  it('lists the Pods of a namespace once for all its failed runs; each message keeps its own reason', async () => {
    const w = await world(kubeconfig, slack, {fileStore: true});
    showFleet();
    await pass(w, '2026-03-02T00:30:00Z');
    failFleet();
    kube.clearRequests();
    const summary = await pass(w, '2026-03-02T01:30:00Z');
    assert.deepEqual(summary.errors, []);
    assert.equal(summary.opened, FAILING.length + 1);

    // mail: 8 Jobs in one listing by the 1.27+ label, then the one without Pods by the older
    // label; data: one listing. One listing per Job would have been 10.
    assert.deepEqual(
      podListings('mail').map(s => [s.split(' in ')[0], s.split(',').length]),
      [
        ['batch.kubernetes.io/controller-uid', 8],
        ['controller-uid', 1],
      ],
    );
    assert.equal(podListings('data').length, 1);
    const texts = openings();
    assert.equal(texts.size, FAILING.length + 1);
    for (const {cronJob, exitCode} of FAILING) {
      assert.match(
        texts.get(cronJob.name) ?? '',
        new RegExp(`container main: Error \\(exit ${exitCode}\\)`),
      );
      for (const other of FAILING.filter(f => f.exitCode !== exitCode)) {
        assert.doesNotMatch(
          texts.get(cronJob.name) ?? '',
          new RegExp(`\\(exit ${other.exitCode}\\)`),
        );
      }
    }
    assert.doesNotMatch(texts.get(GONE.name) ?? '', /container main/);
  });

  it('asks for each Job alone when a batch listing fails, with the same reasons', async () => {
    const w = await world(kubeconfig, slack, {fileStore: true});
    showFleet();
    await pass(w, '2026-03-02T00:30:00Z');
    failFleet();
    kube.clearRequests();
    const refused = kube.inject({
      match: r =>
        r.path === '/api/v1/namespaces/mail/pods' && / in \(/.test(r.query.labelSelector ?? ''),
      action: {type: 'status', code: 503, reason: 'ServiceUnavailable'},
      times: 1,
    });
    const summary = await pass(w, '2026-03-02T01:30:00Z');
    assert.equal(refused.hits, 1);
    assert.deepEqual(summary.errors, []);
    assert.equal(summary.opened, FAILING.length + 1);
    // The failed batch, then each of the 8 mail Jobs alone (the one without Pods twice).
    const mail = podListings('mail');
    assert.equal(mail.filter(s => s.includes(' in (')).length, 1);
    assert.equal(mail.filter(s => !s.includes(' in (')).length, 9);
    const texts = openings();
    for (const {cronJob, exitCode} of FAILING) {
      assert.match(
        texts.get(cronJob.name) ?? '',
        new RegExp(`container main: Error \\(exit ${exitCode}\\)`),
      );
    }
  });
});
