/**
 * A watcher upgraded over state that release 0.1.0 left behind, in both stores: the next
 * pass makes exactly the Slack calls that release made on the same pass (recorded in
 * test/fixtures/stored-v1 by that release's code) — the closing reply and update under the
 * stored thread, the pending opening delivered, the cluster incident closed.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {CONTEXT, failed, FAIL_2, ok, OK_0, OK_3, show} from '../support/world.js';
import {nextPassOverStoredState, storedFixtures} from './stored-upgrade.js';

const fixture = storedFixtures('stored-v1');

let kube: KubeApiServer;
let kubeconfig: string;
before(async () => {
  kube = await startKubeApiServer({});
  kubeconfig = await kube.writeKubeconfig({context: CONTEXT});
});
after(async () => {
  await kube.close();
});

/** The cluster as it looks on the pass after the stored state: db-backup succeeded again. */
function showNextPass(): void {
  kube.load({cronJobs: [], jobs: [], pods: []});
  show(kube, {namespace: 'backups', name: 'db-backup'}, [FAIL_2, OK_3]);
  show(kube, {namespace: 'reports', name: 'healthy'}, [OK_0]);
  show(kube, {namespace: 'reports', name: 'rollup'}, [
    failed('2026-03-02T00:00:00Z', '2026-03-02T00:05:00Z', 'DeadlineExceeded'),
    ok('2026-03-02T01:00:00Z', '2026-03-02T01:04:00Z'),
  ]);
  show(kube, {namespace: 'mail', name: 'digest'}, [
    {
      ...failed('2026-03-02T02:00:00Z', '2026-03-02T02:06:00Z'),
      pod: {reason: 'OOMKilled', exitCode: 137},
    },
  ]);
}

function nextPassCalls(kind: 'file' | 'firestore') {
  return nextPassOverStoredState({
    fixture,
    kind,
    kubeconfig,
    showNextPass,
    at: '2026-03-02T04:30:00Z',
    againAt: '2026-03-02T05:30:00Z',
  });
}

for (const kind of ['file', 'firestore'] as const) {
  describe(`upgrade over release 0.1.0's ${kind} store`, () => {
    it('the next pass makes the calls that release made, in the words of today, and the one after sends nothing', async () => {
      const {recorded, summary, again, calls} = await nextPassCalls(kind);
      assert.deepEqual(summary.errors, []);
      assert.equal(summary.closed, 2, 'db-backup (a run succeeded) and the cluster (readable)');
      assert.equal(summary.notificationsSent, 3);
      assert.equal(summary.notificationsPending, 0);
      // The same updates and replies to the same messages; the words are today's (issue 24).
      const shape = (c: Record<string, unknown>) => ({...c, text: null, blocks: null});
      assert.deepEqual(calls.map(shape), recorded.calls.map(shape));
      assert.deepEqual(
        calls.map(c => c.text),
        [
          '✅ backups/db-backup recovered after 2h 5m · prod-eu',
          '✅ Recovered after 2h 5m: db-backup-29540340 succeeded (2 failed runs)',
          // The Job gave up (BackoffLimitExceeded); its Pod says why.
          '🔴 mail/digest failed: OOMKilled (exit 137) · prod-eu',
          '✅ prod-eu readable again after 1h',
          '✅ Readable again after 1h (1 failed read)',
        ],
      );
      assert.deepEqual(again.transitions, []);
      assert.equal(again.store.writes, 0);
    });
  });
}
