/**
 * Issue 13, point 1, through the real clients (Kubernetes test API server, Firestore emulator,
 * local Slack API): a failed Job whose conditions carry no usable time (`not-a-time`, the Go
 * zero time) is reported as a problem naming the Job, the field and the value, still opens the
 * incident — timed by its next usable timestamp, with the message saying so — and closes on
 * the next success. The core table over every field is test/core/time-fields.test.ts.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {KubeApiServer} from '../support/kube-api-server.js';
import type {SlackApiServer} from '../support/slack-api-server.js';
import {jobNameFor, objectsFor, type CronJobSpec} from '../support/scenario.js';
import {
  deliveredByKind,
  FAIL_1,
  OK_0,
  OK_3,
  pass,
  show,
  startServers,
  stopServers,
  world,
} from './helpers.js';

const BACKUP: CronJobSpec = {namespace: 'backups', name: 'db-backup'};

let kube: KubeApiServer;
let kubeconfig: string;
let slack: SlackApiServer;
before(async () => ({kube, kubeconfig, slack} = await startServers()));
after(() => stopServers(kube, slack));

/** The failed run of FAIL_1 with both deciding conditions' times replaced. */
function showFailureWithBadTimes(failedTime: string, targetTime: string): string {
  const o = objectsFor(BACKUP, [OK_0, FAIL_1]);
  const name = jobNameFor(BACKUP, FAIL_1);
  for (const job of o.jobs) {
    if (job.metadata.name !== name) continue;
    const status = job.status as {conditions: Array<{type: string; lastTransitionTime: unknown}>};
    for (const c of status.conditions) {
      c.lastTransitionTime = c.type === 'Failed' ? failedTime : targetTime;
    }
  }
  kube.put(o.cronJob);
  o.jobs.forEach(j => kube.put(j));
  return name;
}

describe('a Failed condition without a usable time', () => {
  it('is reported, opens the incident with an approximate time, and closes on the next success', async () => {
    const w = await world(kubeconfig, slack);
    try {
      show(kube, BACKUP, [OK_0]);
      assert.deepEqual((await pass(w, '2026-03-02T00:30:00Z')).errors, []);

      const job = showFailureWithBadTimes('not-a-time', '0001-01-01T00:00:00Z');
      const s = await pass(w, '2026-03-02T01:30:00Z');
      assert.deepEqual(
        s.problems.map(p => `${p.kind} ${p.namespace}/${p.name}: ${p.problem.split(';')[0]}`),
        // The Go zero time on FailureTarget is a writer's "unknown": used as absent, not reported.
        [
          `Job backups/${job}: status.conditions[Failed].lastTransitionTime is not a usable time: "not-a-time"`,
        ],
      );
      assert.ok(s.errors.every(e => e.scope === 'object' && e.code === 'BAD_OBJECT'));
      assert.deepEqual(
        s.transitions.map(t => `${t.kind} ${t.job}`),
        [`opened ${job}`],
      );
      assert.equal(s.notificationsSent, 1);
      const post = slack.accepted().find(c => c.method === 'chat.postMessage');
      assert.match(JSON.stringify(post?.blocks), /Failure time approximate/);
      // The Job's start time (the scenario starts runs 1 s after their schedule) stands in.
      const started = new Date(Date.parse(FAIL_1.scheduledAt) + 1000).toISOString();
      assert.ok(
        JSON.stringify(post?.blocks).includes(`*Failed*\\n<!date^${Date.parse(started) / 1000}^`),
        JSON.stringify(post?.blocks),
      );

      show(kube, BACKUP, [OK_0, FAIL_1, OK_3]);
      showFailureWithBadTimes('not-a-time', '0001-01-01T00:00:00Z');
      kube.put(objectsFor(BACKUP, [OK_3]).jobs[0]!);
      const closing = await pass(w, '2026-03-02T03:30:00Z');
      assert.deepEqual(
        closing.transitions.map(t => t.kind),
        ['closed'],
      );
      assert.deepEqual(deliveredByKind(slack), {opened: 1, closed: 1});
    } finally {
      await w.close();
    }
  });
});
