/**
 * One CronJob whose record Firestore refuses must not stop the pass for every other CronJob
 * of the cluster: the per-record `INVALID_ARGUMENT` path of `pass.ts`, reached through the
 * real clients (Kubernetes test server, Firestore emulator, local Slack API).
 *
 * The refusal is real, not injected: a failed run whose Pod has a container name of 300,000
 * characters. The detail the Pods give ("container <name>: OOMKilled (exit 137)") is kept in
 * the incident, so the record exceeds Firestore's 1 MiB document limit and the emulator
 * answers INVALID_ARGUMENT. The API server never serves such a name (container names are DNS
 * labels), so this guards the rule "one bad object never stops the pass" at its edge.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {KubeApiServer} from '../support/kube-api-server.js';
import type {SlackApiServer} from '../support/slack-api-server.js';
import {objectsFor, type CronJobSpec, type RunSpec} from '../support/scenario.js';
import {deliveredByKind, FAIL_1, OK_0, pass, startServers, stopServers, world} from './helpers.js';

// Firestore's limit on one document is 1 MiB (1,048,576 bytes). The detail is stored four
// times (opening run and latest failure, in the incident and in its pending notification):
// 300,000 characters make the record about 1.2 MB, over the limit yet well under gRPC's
// 4 MiB message limit, so the refusal is Firestore's own.
const HUGE_NAME_CHARS = 300_000;

let kube: KubeApiServer;
let kubeconfig: string;
let slack: SlackApiServer;
before(async () => ({kube, kubeconfig, slack} = await startServers()));
after(() => stopServers(kube, slack));

describe('a CronJob whose record Firestore refuses (over 1 MiB)', () => {
  it('is reported as INVALID_ARGUMENT for that CronJob only; every other CronJob is judged and announced', async () => {
    const huge: CronJobSpec = {namespace: 'aaa', name: 'huge-detail'};
    const good: CronJobSpec = {namespace: 'zzz', name: 'db-backup'};
    const failedWithPod: RunSpec = {...FAIL_1, pod: {reason: 'OOMKilled', exitCode: 137}};
    for (const spec of [huge, good]) {
      const o = objectsFor(spec, [OK_0, failedWithPod]);
      kube.put(o.cronJob);
      o.jobs.forEach(j => kube.put(j));
      for (const pod of o.pods) {
        if (spec === huge) {
          const status = pod.status as {containerStatuses: Array<{name: string}>};
          status.containerStatuses[0]!.name = 'c'.repeat(HUGE_NAME_CHARS);
        }
        kube.put(pod);
      }
    }
    const w = await world(kubeconfig, slack);
    try {
      const s = await pass(w, '2026-03-02T01:30:00Z');
      assert.deepEqual(
        s.errors.map(e => ({scope: e.scope, cronJob: e.cronJob, code: e.code})),
        [{scope: 'record', cronJob: 'aaa/huge-detail', code: 'INVALID_ARGUMENT'}],
      );
      assert.match(s.errors[0]?.message ?? '', /not recorded, will retry next pass/);
      assert.deepEqual(
        s.transitions.map(t => `${t.namespace}/${t.name} ${t.kind}`),
        ['zzz/db-backup opened'],
      );
      assert.equal(s.notificationsSent, 1);
      assert.deepEqual(deliveredByKind(slack), {opened: 1});
      // Nothing of the refused record was stored: the next pass meets the same refusal.
      const next = await pass(w, '2026-03-02T01:35:00Z');
      assert.deepEqual(
        next.errors.map(e => `${e.scope} ${e.cronJob} ${e.code}`),
        ['record aaa/huge-detail INVALID_ARGUMENT'],
      );
      assert.equal(next.notificationsSent, 0);
    } finally {
      await w.close();
    }
  });
});
