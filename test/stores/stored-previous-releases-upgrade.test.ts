/**
 * A watcher upgraded over state that an earlier release left behind — schema version 3
 * (commit a189834) and version 4 (43bd49b, the release before run history, acknowledgements,
 * storms and reminders) — in both stores, each written by that release's own code: open incidents of two kinds, openings still owed, a routed
 * destination (language, mention, runbook), a closed incident in history. The next pass makes
 * the Slack calls that release made on the same pass (recorded in test/fixtures/stored-v3 and
 * stored-v4 by that release's code), to the same messages and threads; only the words are today's.
 * Schema 8's story (acknowledgements, storms, reminders, maintenance) is its own:
 * stored-v8-v9-upgrade.test.ts.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {CONTEXT, failed, FAIL_2, ok, OK_0, OK_3, show} from '../support/world.js';
import {nextPassOverStoredState, storedFixtures} from './stored-upgrade.js';

// The same story, written by each release with one generator (generate*.mjs.txt beside it).
const RELEASES = [
  {schema: 3, fixture: storedFixtures('stored-v3')},
  {schema: 4, fixture: storedFixtures('stored-v4')},
];

let kube: KubeApiServer;
let kubeconfig: string;
before(async () => {
  kube = await startKubeApiServer({});
  kubeconfig = await kube.writeKubeconfig({context: CONTEXT});
});
after(async () => {
  await kube.close();
});

/**
 * The cluster on the pass after the stored state (as the fixture's generator showed it):
 * db-backup succeeded again, etl/load is still stuck, mail/digest still failed.
 */
function showNextPass(): void {
  kube.load({cronJobs: [], jobs: [], pods: []});
  show(
    kube,
    {
      namespace: 'backups',
      name: 'db-backup',
      annotations: {
        'cronjob-watcher/runbook': 'https://runbooks.example.com/db-backup',
        'cronjob-watcher/mention': '<@U0ONCALL1>',
      },
    },
    [FAIL_2, OK_3],
  );
  show(kube, {namespace: 'reports', name: 'healthy'}, [OK_0]);
  show(kube, {namespace: 'reports', name: 'rollup'}, [
    failed('2026-03-02T00:00:00Z', '2026-03-02T00:05:00Z', 'DeadlineExceeded'),
    ok('2026-03-02T01:00:00Z', '2026-03-02T01:04:00Z'),
  ]);
  show(
    kube,
    {
      namespace: 'etl',
      name: 'load',
      annotations: {'cronjob-watcher/max-duration': '30m', 'cronjob-watcher/language': 'ja'},
    },
    [
      ok('2026-03-02T01:00:00Z', '2026-03-02T01:10:00Z'),
      {
        scheduledAt: '2026-03-02T02:00:00Z',
        outcome: 'running',
        waiting: {reason: 'ImagePullBackOff', message: 'Back-off pulling image "etl:latest"'},
      },
    ],
  );
  show(kube, {namespace: 'mail', name: 'digest'}, [
    OK_0,
    {
      ...failed('2026-03-02T02:00:00Z', '2026-03-02T02:06:00Z'),
      pod: {reason: 'OOMKilled', exitCode: 137},
    },
  ]);
}

for (const {schema, fixture} of RELEASES) {
  for (const kind of ['file', 'firestore'] as const) {
    describe(`upgrade over an earlier release's (schema ${schema}) ${kind} store`, () => {
      it('open incidents and owed openings carry across: the calls that release made, to the same messages', async () => {
        const {recorded, summary, again, calls} = await nextPassOverStoredState({
          fixture,
          kind,
          kubeconfig,
          showNextPass,
          at: '2026-03-02T04:30:00Z',
          // Within the hour: at 05:00 the stuck Job would block one more run, a change to store.
          againAt: '2026-03-02T04:45:00Z',
        });
        assert.deepEqual(summary.errors, []);
        assert.equal(summary.opened, 0, 'nothing opens again: the stored incidents are still open');
        assert.equal(summary.closed, 1, 'db-backup: a run succeeded');
        assert.equal(summary.stillOpen, 2, 'etl/load (stuck) and mail/digest (failing)');
        assert.equal(summary.notificationsSent, 3, "db-backup's closing and the two owed openings");
        assert.equal(summary.notificationsPending, 0);
        // The same methods, channels, threads, updated messages and notification ids.
        const shape = (c: Record<string, unknown>) => ({...c, text: null, blocks: null});
        assert.deepEqual(calls.map(shape), recorded.calls.map(shape));
        const texts = calls.map(c => String(c.text));
        // The stored destination still decides: etl/load's opening is in Japanese, db-backup's
        // runbook is still linked from its resolved message.
        assert.match(texts[2]!, /etl\/load が/);
        assert.match(
          JSON.stringify(calls[0]?.blocks),
          /https:\/\/runbooks\.example\.com\/db-backup/,
        );
        assert.match(texts[3]!, /^🔴 mail\/digest failed: OOMKilled \(exit 137\)/);
        assert.deepEqual(again.transitions, []);
        assert.equal(again.store.writes, 0);
      });
    });
  }
}
