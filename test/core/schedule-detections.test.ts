/**
 * The missed and running-too-long detections against the schedules the CronJob controller's
 * own tests use, and the cases issue 20 names. Each case is a CronJob as the controller left
 * it (nothing started after `lastScheduleTime`) judged at `now`; the expectations are worked
 * out by hand: a due time is missed once the next one came or its grace (10 minutes, or
 * `startingDeadlineSeconds` when larger) passed, counting after the last start, the creation
 * and the last change of `spec.suspend`.
 *
 * Upstream sources: kubernetes/kubernetes pkg/controller/cronjob `cronjob_controllerv2_test.go`
 * (TestControllerV2SyncCronJob) and `utils_test.go` (TestMostRecentScheduleTime), as kept in
 * test/fixtures/schedules/kubernetes-controller.json — the fixture gives the CronJobs, not the
 * answers, which are below.
 */
import {readFileSync} from 'node:fs';
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {decideSubject, type Decision} from '../../functions/core/decide.js';
import type {CronJobView} from '../../functions/core/detector.js';
import type {SubjectRecord} from '../../functions/core/incident.js';
import {buildMessages} from '../../functions/core/messages/build.js';
import {renderConsole} from '../../functions/core/messages/render-console.js';
import type {CronJobInfo, JobInfo} from '../../functions/core/model.js';
import type {Policy} from '../../functions/core/policy.js';
import {finishedRunsOf, judgeJob} from '../../functions/core/verdict.js';
import {cronJob, runningJob, succeededJob} from './builders.js';

const POLICY: Policy = {clusterDownAfter: 3, missedGraceMs: null, maxDurationMs: null};
const date = (iso: string | null) => (iso === null ? null : new Date(iso));
const z = (iso: string) => new Date(iso).toISOString();

function view(cj: Partial<CronJobInfo>, jobs: JobInfo[] = []): CronJobView {
  const judged = jobs.map(judgeJob);
  const scheduled = jobs.map(j => j.scheduledAt?.getTime() ?? -Infinity);
  const latest = Math.max(-Infinity, ...scheduled);
  return {
    type: 'cronjob',
    clusterId: 'kubeconfig/test',
    cronJob: cronJob(cj),
    runs: finishedRunsOf(jobs),
    running: judged.filter(v => v.outcome === 'running'),
    suspended: judged.filter(v => v.outcome === 'suspended'),
    latestScheduledJobAt: Number.isFinite(latest) ? new Date(latest) : null,
  };
}

function decide(record: SubjectRecord | null, v: CronJobView, now: string): Decision | null {
  return decideSubject(record, v, POLICY, new Date(now), record === null ? null : undefined);
}

/** What the missed detection says: null, or [first due, newest due, count]. */
function missed(d: Decision | null): [string, string, number] | null {
  const m = d?.record.open.missed;
  return m === undefined ? null : [m.firstDueAt, m.latestDueAt, m.missedRuns];
}

interface FixtureCase {
  name: string;
  schedule: string;
  timeZone?: string | null;
  startingDeadlineSeconds: number | null;
  createdAt: string;
  lastScheduleTime: string | null;
  now: string;
}
const fixture = JSON.parse(
  readFileSync(
    new URL('../../../test/fixtures/schedules/kubernetes-controller.json', import.meta.url),
    'utf8',
  ),
) as {TestControllerV2SyncCronJob: FixtureCase[]; TestMostRecentScheduleTime: FixtureCase[]};

function cronJobOf(c: FixtureCase): Partial<CronJobInfo> {
  return {
    schedule: c.schedule,
    timeZone: c.timeZone ?? null,
    startingDeadlineSeconds: c.startingDeadlineSeconds,
    createdAt: new Date(c.createdAt),
    lastScheduleTime: date(c.lastScheduleTime),
  };
}

type Expected = [first: string, latest: string, count: number] | null;

function table(source: string, cases: FixtureCase[], expected: Record<string, Expected>): void {
  it(`${source}: every case has an answer`, () => {
    assert.deepEqual(cases.map(c => c.name).sort(), Object.keys(expected).sort());
  });
  for (const c of cases) {
    it(`${source}: ${c.name}`, () => {
      const want = expected[c.name];
      assert.ok(want !== undefined, `no answer for ${c.name}`);
      const got = missed(decide(null, view(cronJobOf(c)), c.now));
      assert.deepEqual(got, want === null ? null : [z(want[0]), z(want[1]), want[2]]);
    });
  }
}

describe('missed: the controller tests, judged by the watcher', () => {
  // Hourly at :00 unless said; "created 09:59, now 10:01" means the 10:00 run is due and
  // still within its grace: the controller starts it now, nothing is missed.
  table(
    'cronjob_controllerv2_test.go TestControllerV2SyncCronJob',
    fixture.TestControllerV2SyncCronJob,
    {
      // A schedule or zone the watcher cannot read has no due times: `status` and `check`
      // say so instead (status-report.test.ts, check.test.ts).
      'never ran, not valid schedule, A': null,
      'never ran, not valid time zone': null,
      'never ran, not time, A': null,
      'never ran, not time in zone': null,
      'never ran, is time, A': null,
      'never ran, is time in zone': null,
      'never ran, is time in zone, but TZ is also set in schedule': null,
      // 10:00 is 12 minutes old: past the 10-minute grace (startingDeadlineSeconds 10 is less).
      'never ran, is time, past deadline': ['2016-05-19T10:00:00Z', '2016-05-19T10:00:00Z', 1],
      'never ran, is time, not past deadline': null,
      'prev ran but done, not time, A': null,
      'prev ran but done, is time, A': null,
      'with @every schedule, never ran, not time': null,
      // Due 09:59 (creation + 1h), seconds ago.
      'with @every schedule, never ran, is time': null,
      'with @every schedule, never ran, is time, past deadline': null,
      'with @every schedule, never ran, is time, not past deadline': null,
      'with @every schedule, prev ran but done, not time': null,
      'with @every schedule, prev ran but done, is time': null,
      'with @every schedule, prev ran but done, is time, past deadline': null,
      // Last run 19 May 10:01, now 26 May 10:00: due 11:01 … 26 May 09:01, 167 times, all past
      // the grace: capped at 101, the newest is the newest.
      'with @every schedule, prev ran but done, long overdue, no deadline': [
        '2016-05-19T11:01:00Z',
        '2016-05-26T09:01:00Z',
        101,
      ],
      // Now 26 May 10:01:11: 10:01 is 11 s old and its next is an hour away: not yet missed.
      'with @every schedule, prev ran but done, long overdue, past deadline': [
        '2016-05-19T11:01:00Z',
        '2016-05-26T09:01:00Z',
        101,
      ],
    },
  );

  table('utils_test.go TestMostRecentScheduleTime', fixture.TestMostRecentScheduleTime, {
    'now before next schedule': null,
    // 11:00 is a minute old.
    'now just after next schedule': null,
    // 11:00 … 14:00 each saw the next one come; 15:00 is a minute old.
    'missed 5 schedules': ['2016-05-19T11:00:00Z', '2016-05-19T14:00:00Z', 4],
    // 06:30, 10:30, 14:30 on weekdays; last Thu 10:30, now Fri 10:31: Thu 14:30 and Fri 06:30.
    'complex schedule': ['2016-05-19T14:30:00Z', '2016-05-20T06:30:00Z', 2],
    // 10:30, 11:30, 12:30 on weekdays; last Thu 10:30, now Fri 16:30: five, all past the grace
    // (the controller's estimate finds none of them and starts nothing).
    'another complex schedule': ['2016-05-19T11:30:00Z', '2016-05-20T12:30:00Z', 5],
    // Now Mon 10:31: Thu 14:30, Fri 06:30, 10:30, 14:30, Mon 06:30 (no weekend runs).
    'complex schedule with longer diff between executions': [
      '2016-05-19T14:30:00Z',
      '2016-05-23T06:30:00Z',
      5,
    ],
    // Created Thu 10:00, never ran, now Fri 10:31: Thu 10:30, 14:30, Fri 06:30.
    'complex schedule with shorter diff between executions': [
      '2016-05-19T10:30:00Z',
      '2016-05-20T06:30:00Z',
      3,
    ],
    // Last 19 May 10:01, now 26 May 10:00: 167 due times, all 59 minutes old or more.
    '@every schedule': ['2016-05-19T11:01:00Z', '2016-05-26T09:01:00Z', 101],
    // 31 February never comes.
    'rogue cronjob': null,
    'earliestTime being CreationTimestamp and LastScheduleTime': null,
    'earliestTime being LastScheduleTime': null,
    'earliestTime being LastScheduleTime (within StartingDeadlineSeconds)': null,
    'earliestTime being LastScheduleTime (outside StartingDeadlineSeconds)': null,
  });
});

describe('missed: the cases of issue 20', () => {
  const hourly = {schedule: '0 * * * *', createdAt: new Date('2026-02-01T00:00:00Z')};

  it('startingDeadlineSeconds 1000000 no longer hides a week of skipped hourly runs', () => {
    const cj = {
      ...hourly,
      startingDeadlineSeconds: 1_000_000,
      lastScheduleTime: new Date('2026-03-02T00:00:00Z'),
    };
    // 2 March 01:00 … 9 March 00:00 are 168 due times; the newest is 5 minutes old and its
    // next not yet due, so 167 are missed: more than the cap.
    assert.deepEqual(missed(decide(null, view(cj), '2026-03-09T00:05:00Z')), [
      z('2026-03-02T01:00:00Z'),
      z('2026-03-08T23:00:00Z'),
      101,
    ]);
    // Within the first hour nothing is missed yet; once 02:00 came, 01:00 is.
    assert.equal(missed(decide(null, view(cj), '2026-03-02T01:59:00Z')), null);
    assert.deepEqual(missed(decide(null, view(cj), '2026-03-02T02:00:00Z')), [
      z('2026-03-02T01:00:00Z'),
      z('2026-03-02T01:00:00Z'),
      1,
    ]);
  });

  it('a week suspended, resumed with startingDeadlineSeconds 60: not missed ten minutes later', () => {
    const cj = {
      ...hourly,
      startingDeadlineSeconds: 60,
      lastScheduleTime: new Date('2026-03-02T00:00:00Z'),
      suspendChangedAt: new Date('2026-03-09T00:20:00Z'),
    };
    assert.equal(missed(decide(null, view(cj), '2026-03-09T00:30:00Z')), null);
    assert.equal(missed(decide(null, view(cj), '2026-03-09T01:05:00Z')), null);
    // The first due time after the resumption is watched as usual.
    assert.deepEqual(missed(decide(null, view(cj), '2026-03-09T01:11:00Z')), [
      z('2026-03-09T01:00:00Z'),
      z('2026-03-09T01:00:00Z'),
      1,
    ]);
    // Without the managed-fields time the week would count (what issue 20 saw).
    assert.deepEqual(
      missed(decide(null, view({...cj, suspendChangedAt: null}), '2026-03-09T00:30:00Z'))?.[2],
      101,
    );
  });

  it('latestDueAt at the cap is the newest due time, and moves while the count stays', () => {
    const cj = {schedule: '* * * * *', lastScheduleTime: new Date('2026-03-02T10:00:00Z')};
    // Due 10:01 … 15:00 (300); 15:00 is the newest and just due: 299 missed.
    const first = decide(null, view(cj), '2026-03-02T15:00:30Z');
    assert.deepEqual(missed(first), [z('2026-03-02T10:01:00Z'), z('2026-03-02T14:59:00Z'), 101]);
    assert.ok(first);
    const record = {...first.record, outbox: []};
    const later = decide(record, view(cj), '2026-03-02T15:03:30Z');
    assert.deepEqual(missed(later), [z('2026-03-02T10:01:00Z'), z('2026-03-02T15:02:00Z'), 101]);
    assert.deepEqual(later?.changes ?? [], [], 'updated silently');
  });

  it('0/15 and @every 90m are judged', () => {
    const last = new Date('2026-03-02T10:00:00Z');
    // 10:15 and 10:30 saw their next come; 10:45 is 5 minutes old.
    assert.deepEqual(
      missed(
        decide(
          null,
          view({schedule: '0/15 * * * *', lastScheduleTime: last}),
          '2026-03-02T10:50:00Z',
        ),
      ),
      [z('2026-03-02T10:15:00Z'), z('2026-03-02T10:30:00Z'), 2],
    );
    // From the last run: 11:30, 13:00 (an hour old).
    assert.deepEqual(
      missed(
        decide(
          null,
          view({schedule: '@every 90m', lastScheduleTime: last}),
          '2026-03-02T14:00:00Z',
        ),
      ),
      [z('2026-03-02T11:30:00Z'), z('2026-03-02T13:00:00Z'), 2],
    );
  });

  it('@every after a resumption keeps the grid of its last run', () => {
    const cj = {
      schedule: '@every 90m',
      lastScheduleTime: new Date('2026-03-02T10:00:00Z'),
      suspendChangedAt: new Date('2026-03-03T08:10:00Z'),
    };
    // The grid: 2 March 10:00 + k × 90 min; 24 h is 16 steps, so 3 March 07:00, 08:30,
    // 10:00. Resumed at 08:10: 08:30 saw 10:00 come; 10:00 is 5 minutes old.
    assert.deepEqual(missed(decide(null, view(cj), '2026-03-03T10:05:00Z')), [
      z('2026-03-03T08:30:00Z'),
      z('2026-03-03T08:30:00Z'),
      1,
    ]);
  });
});

describe('running too long: a suspended Job under Forbid', () => {
  const T = (hhmm: string) => `2026-03-02T${hhmm}:00Z`;
  const minutes = (iso: string) => (Date.parse(iso) - Date.parse('2026-03-01T10:00:00Z')) / 60_000;
  const held: JobInfo = {
    ...runningJob({name: 'backup-1100', scheduled: minutes(T('11:00'))}),
    suspended: true,
  };
  const forbid = {
    concurrencyPolicy: 'Forbid' as const,
    lastScheduleTime: new Date(T('11:00')),
    activeJobNames: ['backup-1100'],
  };

  it('opens as running too long, saying it is suspended and how many runs it blocked', () => {
    assert.equal(decide(null, view(forbid, [held]), T('11:59')), null, 'within one period');
    const d = decide(null, view(forbid, [held]), T('14:05'));
    assert.deepEqual(
      d?.changes.map(c => `${c.incidentKind}:${c.kind}`),
      ['running-too-long:opened'],
      'and no missed incident',
    );
    const incident = d?.record.open['running-too-long'];
    assert.equal(incident?.suspended, true);
    // 12:00, 13:00, 14:00.
    assert.equal(incident?.blockedRuns, 3);
    const notification = d?.record.outbox[0];
    assert.ok(notification);
    const text = JSON.stringify(
      buildMessages(notification, {
        cluster: {id: 'kubeconfig/test', name: 'test', project: null, location: null},
        subject: {
          type: 'cronjob',
          namespace: 'batch',
          name: 'backup',
          uid: 'cj-uid',
          schedule: '0 * * * *',
        },
      }),
    );
    assert.match(text, /Job backup-1100 is suspended and has blocked 3 runs/);
    const post = buildMessages(
      {
        ...notification,
        incident: {
          ...notification.incident,
          destination: {channel: null, language: 'ja', mention: null, runbook: null},
        },
      },
      {
        cluster: {id: 'kubeconfig/test', name: 'test', project: null, location: null},
        subject: {
          type: 'cronjob',
          namespace: 'batch',
          name: 'backup',
          uid: 'cj-uid',
          schedule: '0 * * * *',
        },
      },
    );
    assert.ok(post.kind === 'opened');
    assert.match(
      renderConsole(post.post),
      /Job backup-1100 は一時停止（suspend）中で、3回の実行をブロックしています/,
    );
  });

  it('resumed and finished: closes; deleted: closes', () => {
    const opened = decide(null, view(forbid, [held]), T('14:05'));
    assert.ok(opened);
    const record = {...opened.record, outbox: []};
    // Resumed: it runs, still the same incident (told silently that it no longer is suspended).
    const resumed = decide(record, view(forbid, [{...held, suspended: false}]), T('14:10'));
    assert.equal(resumed?.record.open['running-too-long']?.suspended, undefined);
    assert.deepEqual(resumed?.changes ?? [], []);
    const done = succeededJob({name: 'backup-1100', scheduled: minutes(T('11:00')), after: 200});
    const finished = decide(record, view({...forbid, activeJobNames: []}, [done]), T('14:30'));
    assert.deepEqual(
      finished?.changes.map(c => `${c.incidentKind}:${c.kind}`),
      ['running-too-long:closed'],
    );
    const deleted = decide(record, view({...forbid, activeJobNames: []}), T('14:30'));
    assert.equal(deleted?.record.open['running-too-long'], undefined);
    assert.equal(deleted?.record.history.at(-1)?.ending?.type, 'job-gone');
  });

  it('under Allow or Replace a suspended Job blocks nothing: no incident', () => {
    for (const concurrencyPolicy of ['Allow', 'Replace'] as const) {
      // The controller went on starting runs: 14:00 was the last.
      const cj = {...forbid, concurrencyPolicy, lastScheduleTime: new Date(T('14:00'))};
      assert.equal(decide(null, view(cj, [held]), T('14:05')), null, concurrencyPolicy);
    }
  });
});
