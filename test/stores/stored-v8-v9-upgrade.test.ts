/**
 * A watcher upgraded over the state a recent release left behind, in both stores, each written
 * by that release's own code from the same story (test/fixtures/stored-v8, README.md there):
 * release 83f3cd6 (schema version 8: run history, acknowledgements and snoozes, storms,
 * reminders, maintenance windows) and release 3858c02 (schema 9: storms acted on from their
 * parent; test/fixtures/stored-v9). An incident acknowledged and one snoozed through its click
 * path, a storm of six with its parent posted and its members in the parent's thread, a
 * reminder sent and the next one owed, two openings held by maintenance windows, the day's
 * digest sent. The next pass makes the Slack calls that release made on the same pass, to the
 * same messages and threads: nothing opens again, nothing sent is sent again, what is owed is
 * sent once, what is held stays held; only the words are today's.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {DigestAt} from '../../functions/core/digest/schedule.js';
import type {SubjectRecord} from '../../functions/core/incident.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import type {CronJobSpec, RunSpec} from '../support/scenario.js';
import {CONTEXT, failed, FAIL_1, FAIL_2, ok, OK_0, show} from '../support/world.js';
import {nextPassOverStoredState, storedFixtures} from './stored-upgrade.js';

/** The releases whose stored state is read: the same story, written by each one's build. */
const RELEASES = [
  {folder: 'stored-v8', release: '83f3cd6', schema: 8},
  {folder: 'stored-v9', release: '3858c02', schema: 9},
] as const;
type Fixture = ReturnType<typeof storedFixtures>;
// STORM_THRESHOLD's default and DIGEST_AT=03:00 (UTC), as the generator passed them.
const DIGEST_AT: DigestAt = {hour: 3, minute: 0, timeZone: 'UTC'};
const SETTINGS = {stormThreshold: 5, digestAt: DIGEST_AT};

let kube: KubeApiServer;
let kubeconfig: string;
before(async () => {
  kube = await startKubeApiServer({});
  kubeconfig = await kube.writeKubeconfig({context: CONTEXT});
});
after(async () => {
  await kube.close();
});

const oom = (at: string, finished: string): RunSpec => ({
  ...failed(at, finished),
  pod: {reason: 'OOMKilled', exitCode: 137},
});
const F_OK = ok('2026-03-02T01:00:00Z', '2026-03-02T01:03:00Z');
const F_FAIL = failed('2026-03-02T02:00:00Z', '2026-03-02T02:04:00Z');
const F_OK_3 = ok('2026-03-02T03:00:00Z', '2026-03-02T03:03:00Z');
const FLEET: CronJobSpec[] = [0, 1, 2, 3, 4].map(i => ({namespace: 'batch', name: `job-0${i}`}));

/**
 * The cluster on the pass after the stored state, as the fixture's generator showed it: two of
 * the storm's members succeeded at 03:00; everything else as the stored state saw it.
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
        'cronjob-watcher/reminders': '1h,2h',
      },
    },
    [OK_0, FAIL_1, FAIL_2],
  );
  show(kube, {namespace: 'mail', name: 'digest'}, [
    oom('2026-03-02T01:00:00Z', '2026-03-02T01:05:00Z'),
    oom('2026-03-02T02:00:00Z', '2026-03-02T02:06:00Z'),
    oom('2026-03-02T03:00:00Z', '2026-03-02T03:02:00Z'),
  ]);
  show(
    kube,
    {
      namespace: 'etl',
      name: 'load',
      annotations: {
        'cronjob-watcher/max-duration': '20m',
        'cronjob-watcher/language': 'ja',
        'cronjob-watcher/reminders': '1h',
      },
    },
    [
      ok('2026-03-02T00:00:00Z', '2026-03-02T00:10:00Z'),
      {
        scheduledAt: '2026-03-02T01:00:00Z',
        outcome: 'running',
        waiting: {reason: 'ImagePullBackOff', message: 'Back-off pulling image "etl:latest"'},
      },
    ],
  );
  show(
    kube,
    {
      namespace: 'reports',
      name: 'rollup',
      annotations: {'cronjob-watcher/maintenance': '0 1 * * * 5h'},
    },
    [OK_0, failed('2026-03-02T01:00:00Z', '2026-03-02T01:05:00Z')],
  );
  show(
    kube,
    {
      namespace: 'reports',
      name: 'archive',
      annotations: {'cronjob-watcher/maintenance': '0 3 * * * 3h'},
    },
    [OK_0, failed('2026-03-02T03:00:00Z', '2026-03-02T03:05:00Z')],
  );
  show(kube, {namespace: 'reports', name: 'nightly'}, [
    failed('2026-03-02T00:00:00Z', '2026-03-02T00:05:00Z', 'DeadlineExceeded'),
    ok('2026-03-02T01:00:00Z', '2026-03-02T01:04:00Z'),
  ]);
  show(kube, {namespace: 'reports', name: 'healthy'}, [
    OK_0,
    ok('2026-03-02T01:00:00Z', '2026-03-02T01:02:00Z'),
  ]);
  FLEET.forEach((cj, i) => show(kube, cj, i < 2 ? [F_OK, F_FAIL, F_OK_3] : [F_OK, F_FAIL]));
}

/** The stored records by key, as the fixture holds them (read as data, not by the stores). */
function storedRecords(fixture: Fixture, kind: 'file' | 'firestore'): Map<string, SubjectRecord> {
  if (kind === 'file') {
    const state = fixture<{records: Record<string, SubjectRecord>}>('file-store.json');
    return new Map(Object.entries(state.records));
  }
  const docs = fixture<Record<string, SubjectRecord>>('firestore-store.json');
  const records = new Map<string, SubjectRecord>();
  for (const [docPath, data] of Object.entries(docs)) {
    const [, key] = /\/cronjobWatcherRecords\/([^/]+)$/.exec(docPath) ?? [];
    if (key !== undefined) records.set(decodeURIComponent(key), data);
  }
  return records;
}

/** One Slack call as the expectations name it: what, where, and which notification. */
interface Call {
  method: string;
  ts: string | null;
  thread_ts: string | null;
  id: string;
}

const notificationIdOf = (call: Record<string, unknown>): string =>
  String(
    (call['metadata'] as {event_payload?: {notification_id?: unknown}} | null)?.event_payload
      ?.notification_id,
  );

/**
 * The calls the story owes the next pass, from the stored records alone: the parent's update
 * to "2 recovered"; db-backup's owed reminder in its thread; job-00 and job-01 resolved and
 * their closings in the parent's thread; mail/digest's snooze ended, its message updated and
 * a reply under it. Nothing for etl/load (acknowledged: no reminder), nothing for the held
 * openings, no digest (the day's went out), nothing already sent.
 */
function owedCalls(records: Map<string, SubjectRecord>): Call[] {
  const record = (key: string) => {
    const found = records.get(key);
    assert.ok(found !== undefined, `the fixture holds ${key}`);
    return found;
  };
  const openingTs = (key: string) => {
    const thread = record(key).threads[0];
    assert.ok(thread !== undefined, `${key}'s opening was delivered`);
    return thread.ts;
  };
  const incidentId = (key: string) => {
    const incident = record(key).open.failing;
    assert.ok(incident !== undefined, `${key} is open`);
    return incident.id;
  };
  const storms = [...records.keys()].filter(k => k.startsWith('~storm/'));
  assert.equal(storms.length, 1, 'one storm');
  const storm = record(storms[0]!).storm;
  assert.ok(storm?.parent, "the storm's parent was posted");
  const parent = storm.parent.ts;
  const reminder = record('backups/db-backup').outbox[0];
  assert.equal(reminder?.kind, 'reminder', "db-backup's second reminder is owed");
  const snooze = record('mail/digest').open.failing?.snoozed;
  assert.ok(snooze !== undefined && snooze.until !== 'recovery', 'mail/digest is snoozed');
  const snoozeEnded = `${incidentId('mail/digest')}/snooze-ended:${snooze.by}@${snooze.until}`;
  const closing = (key: string): Call[] => [
    {method: 'chat.update', ts: openingTs(key), thread_ts: null, id: `${incidentId(key)}/closed`},
    {method: 'chat.postMessage', ts: null, thread_ts: parent, id: `${incidentId(key)}/closed`},
  ];
  return [
    {method: 'chat.update', ts: parent, thread_ts: null, id: `${storm.id}/progress`},
    {
      method: 'chat.postMessage',
      ts: null,
      thread_ts: openingTs('backups/db-backup'),
      id: reminder.id,
    },
    ...closing('batch/job-00'),
    ...closing('batch/job-01'),
    {method: 'chat.update', ts: openingTs('mail/digest'), thread_ts: null, id: snoozeEnded},
    {
      method: 'chat.postMessage',
      ts: null,
      thread_ts: openingTs('mail/digest'),
      id: snoozeEnded,
    },
  ];
}

const byText = (a: Call, b: Call) => JSON.stringify(a).localeCompare(JSON.stringify(b));

for (const {folder, release, schema} of RELEASES) {
  const fixture = storedFixtures(folder);
  for (const kind of ['file', 'firestore'] as const) {
    describe(`upgrade over release ${release}'s (schema ${schema}) ${kind} store`, () => {
      it('acknowledged, snoozed, storm, reminders and held openings carry across: the calls that release made, to the same messages', async () => {
        const {recorded, summary, again, calls} = await nextPassOverStoredState({
          fixture,
          kind,
          kubeconfig,
          showNextPass,
          at: '2026-03-02T04:30:00Z',
          // Within the hour: db-backup's next reminder is due at 05:06:30, the windows end at 06:00.
          againAt: '2026-03-02T04:45:00Z',
          settings: SETTINGS,
          digests: true,
        });
        assert.deepEqual(summary.errors, []);
        assert.equal(summary.opened, 0, 'nothing opens again: the stored incidents are still open');
        assert.equal(summary.closed, 2, "two of the storm's members succeeded at 03:00");
        assert.equal(
          summary.stillOpen,
          8,
          'db-backup, mail/digest, etl/load, rollup, archive and three storm members',
        );
        assert.equal(summary.reminded, 0, 'the reminders due were all counted already');
        assert.equal(
          summary.notificationsSent,
          5,
          "the owed reminder, the snooze's end, two closings, the parent's update",
        );
        assert.equal(summary.notificationsPending, 2, 'the openings held until 06:00');
        assert.equal(summary.digestsSent, 0, "the day's digest went out at 03:15");

        // The same methods, channels, threads, updated messages and notification ids.
        const shape = (c: Record<string, unknown>) => ({...c, text: null, blocks: null});
        assert.deepEqual(calls.map(shape), recorded.calls.map(shape));
        // And they are what the stored records owed, each once.
        const made = calls.map(c => ({
          method: String(c['method']),
          ts: (c['ts'] as string | null) ?? null,
          thread_ts: (c['thread_ts'] as string | null) ?? null,
          id: notificationIdOf(c),
        }));
        assert.deepEqual(made.sort(byText), owedCalls(storedRecords(fixture, kind)).sort(byText));
        assert.ok(calls.every(c => c['outcome'] === 'ok'));

        const texts = calls.map(c => String(c['text']));
        const reply = (id: string) =>
          texts[
            calls.findIndex(c => c['method'] === 'chat.postMessage' && notificationIdOf(c) === id)
          ];
        const snoozeEnded = made.find(c => c.id.includes('/snooze-ended:'));
        assert.match(reply(snoozeEnded!.id) ?? '', /U0BOB00002/, 'who snoozed it');
        assert.match(reply(snoozeEnded!.id) ?? '', /\b1\b/, 'one more failed run meanwhile');

        assert.deepEqual(again.transitions, []);
        assert.equal(again.store.writes, 0);
      });
    });
  }
}
