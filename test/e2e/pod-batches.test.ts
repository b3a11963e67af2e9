/**
 * Pod lookups in batches (issue 14), through the real reader and Slack client: a pass that
 * explains many failed runs lists the Pods of a namespace's Jobs at once, each incident still
 * carries its own Pods' reason, and a batch that fails falls back to one listing per Job.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {useLocalServers} from '../support/local-servers.js';
import type {CronJobSpec, RunSpec} from '../support/scenario.js';
import {OK_0, pass, show, world} from '../support/world.js';
import type {PassSummary} from '../../functions/pass.js';

const servers = useLocalServers();

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

/**
 * A healthy first pass, then every CronJob fails (GONE without its Pod); returns the second
 * pass, with the requests counted from its start. `before` runs just before it.
 */
async function failingPass(before: () => void = () => {}): Promise<PassSummary> {
  const {kube, slack, kubeconfig} = servers;
  const w = await world(kubeconfig, slack, {fileStore: true});
  for (const {cronJob} of FAILING) show(kube, cronJob, [OK_0]);
  show(kube, GONE, [OK_0]);
  await pass(w, '2026-03-02T00:30:00Z');
  for (const {cronJob, exitCode} of FAILING) show(kube, cronJob, [OK_0, failedWithPod(exitCode)]);
  show(kube, GONE, [OK_0, {...failedWithPod(1), pod: undefined}]);
  kube.clearRequests();
  before();
  return pass(w, '2026-03-02T01:30:00Z');
}

/** The opening message of each CronJob, by name. */
function openings(): Map<string, string> {
  const texts = new Map<string, string>();
  for (const call of servers.slack.accepted().filter(c => c.method === 'chat.postMessage')) {
    const text = `${call.text ?? ''}\n${JSON.stringify(call.blocks ?? [])}`;
    const name = [...FAILING.map(f => f.cronJob.name), GONE.name].find(n => text.includes(n));
    if (name !== undefined) texts.set(name, text);
  }
  return texts;
}

function podListings(namespace: string): string[] {
  return servers.kube.requests
    .filter(r => r.path === `/api/v1/namespaces/${namespace}/pods`)
    .map(r => r.query.labelSelector ?? '');
}

describe('pod lookups in batches', () => {
  it('lists the Pods of a namespace once for all its failed runs; each message keeps its own reason', async () => {
    const summary = await failingPass();
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
        // The Job gave up; its Pod's cause leads the headline.
        new RegExp(`failed: Error \\(exit ${exitCode}\\)`),
      );
      for (const other of FAILING.filter(f => f.exitCode !== exitCode)) {
        assert.doesNotMatch(
          texts.get(cronJob.name) ?? '',
          new RegExp(`\\(exit ${other.exitCode}\\)`),
        );
      }
    }
    assert.doesNotMatch(texts.get(GONE.name) ?? '', /\(exit \d+\)/);
  });

  it('asks for each Job alone when a batch listing fails, with the same reasons', async () => {
    let refused: {readonly hits: number} = {hits: 0};
    const summary = await failingPass(() => {
      refused = servers.kube.inject({
        match: r =>
          r.path === '/api/v1/namespaces/mail/pods' && / in \(/.test(r.query.labelSelector ?? ''),
        action: {type: 'status', code: 503, reason: 'ServiceUnavailable'},
        times: 1,
      });
    });
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
        // The Job gave up; its Pod's cause leads the headline.
        new RegExp(`failed: Error \\(exit ${exitCode}\\)`),
      );
    }
  });
});
