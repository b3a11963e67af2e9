/**
 * Each detector's less travelled paths, as (record × what the cluster shows × now) → what it
 * decides: how a Job that ran too long ends, a failure whose Job is gone and what its events
 * say, a success the status reports after a later failure, Jobs counted once, schedules that
 * never fire, the cluster's own record. Times are minutes after T0 (2026-03-01T10:00Z).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {decideSubject, subjectMayChange, type Decision} from '../../functions/core/decide.js';
import type {ClusterView, CronJobView, GoneJobEvent} from '../../functions/core/detector.js';
import {
  blankRecord,
  type RunningTooLongIncident,
  type SubjectRecord,
} from '../../functions/core/incident.js';
import type {CronJobInfo, JobInfo} from '../../functions/core/model.js';
import type {Policy} from '../../functions/core/policy.js';
import {finishedRunsOf, judgeJob} from '../../functions/core/verdict.js';
import {at, cronJob, failedJob, QUIET_SCHEDULE, runningJob, succeededJob} from './builders.js';

const CLUSTER = 'kubeconfig/test';
const POLICY: Policy = {clusterDownAfter: 3, missedGraceMs: null, maxDurationMs: null};
const iso = (minutes: number) => at(minutes).toISOString();
const GONE_AT_12 = `backup-${Date.parse('2026-03-01T12:00:00Z') / 60_000}`;

function view(
  cj: Partial<CronJobInfo>,
  jobs: JobInfo[] = [],
  extra: Partial<CronJobView> = {},
): CronJobView {
  const scheduled = jobs.filter(j => !j.manual).map(j => j.scheduledAt?.getTime() ?? -Infinity);
  const latest = Math.max(-Infinity, ...scheduled);
  return {
    type: 'cronjob',
    clusterId: CLUSTER,
    cronJob: cronJob(cj),
    runs: finishedRunsOf(jobs),
    running: jobs.map(judgeJob).filter(v => v.outcome === 'running'),
    latestScheduledJobAt: Number.isFinite(latest) ? new Date(latest) : null,
    ...extra,
  };
}
const decide = (record: SubjectRecord | null, v: CronJobView, now: number, policy = POLICY) =>
  decideSubject(record, v, policy, at(now), record === null ? null : undefined);
const changes = (d: Decision | null) => d?.changes.map(c => `${c.incidentKind}:${c.kind}`) ?? [];
const delivered = (d: Decision | null): SubjectRecord => {
  assert.ok(d);
  return {...d.record, outbox: []};
};

describe('running too long: how it ends', () => {
  const cj = {lastScheduleTime: at(60), lastSuccessfulTime: at(1)};
  const stuck10 = runningJob({name: 'backup-10', scheduled: 0});
  const opened = () => {
    const d = decide(null, view(cj, [stuck10, runningJob({name: 'backup-11', scheduled: 60})]), 65);
    assert.deepEqual(changes(d), ['running-too-long:opened']);
    return delivered(d);
  };
  const ended = (d: Decision | null) =>
    d?.record.history.at(-1) as RunningTooLongIncident | undefined;

  it('its Job fails (another one finished too): closed with that Job’s reason', () => {
    const other = succeededJob({name: 'backup-09', scheduled: -60});
    const failed = failedJob({
      name: 'backup-10',
      scheduled: 0,
      after: 70,
      reason: 'DeadlineExceeded',
      message: 'too long',
    });
    const d = decide(opened(), view(cj, [other, failed]), 75);
    assert.deepEqual(ended(d)?.ending, {
      type: 'finished',
      at: iso(70),
      succeeded: false,
      run: {
        job: 'backup-10',
        jobUid: 'uid-backup-10',
        manual: false,
        at: iso(70),
        reason: 'DeadlineExceeded',
        message: 'too long',
        detail: null,
      },
    });
  });

  it('another Job is still running, its own is gone: job-gone', () => {
    const d = decide(opened(), view(cj, [runningJob({name: 'backup-11', scheduled: 60})]), 75);
    assert.deepEqual(ended(d)?.ending, {type: 'job-gone', at: iso(75)});
  });

  it('still running, its Pods now explain it: told once, then kept', () => {
    const before = opened();
    assert.equal(before.open['running-too-long']?.podDetail, null);
    const details = new Map([['uid-backup-10', 'ImagePullBackOff']]);
    const d = decide(before, view(cj, [stuck10], {details}), 70);
    assert.equal(d?.record.open['running-too-long']?.podDetail, 'ImagePullBackOff');
    const later = new Map([['uid-backup-10', 'CrashLoopBackOff']]);
    assert.equal(decide(delivered(d), view(cj, [stuck10], {details: later}), 75), null);
  });

  it('its Job is no longer the oldest one over the limit: left as it is', () => {
    // Open for backup-11; the older backup-10 shows up over its limit too.
    const d = decide(null, view(cj, [runningJob({name: 'backup-11', scheduled: 60})]), 125);
    const open = delivered(d);
    assert.equal(open.open['running-too-long']?.job, 'backup-11');
    const both = view(cj, [stuck10, runningJob({name: 'backup-11', scheduled: 60})]);
    const d2 = decide(open, both, 185);
    assert.deepEqual(d2?.record.open['running-too-long'], open.open['running-too-long']);
    assert.deepEqual(
      changes(d2).filter(c => c.startsWith('running-too-long')),
      [],
    );
  });

  const never: Array<{name: string; cj: Partial<CronJobInfo>; job: JobInfo}> = [
    {
      name: 'a Job with neither a scheduled nor a start time',
      cj: {},
      job: {...runningJob({name: 'backup-x', scheduled: 0}), scheduledAt: null, startedAt: null},
    },
    {
      name: 'a schedule that cannot be read (no limit to judge by)',
      cj: {schedule: 'every hour'},
      job: stuck10,
    },
    {name: 'a schedule that never fires again', cj: {schedule: '0 0 30 2 *'}, job: stuck10},
  ];
  for (const c of never) {
    it(`never too long: ${c.name}`, () => {
      const d = decide(null, view({...cj, ...c.cj}, [c.job]), 60 * 24 * 10);
      assert.equal(d?.record.open['running-too-long'], undefined);
    });
  }
});

describe('a failure whose Job is gone', () => {
  const purged = (o: Partial<CronJobInfo> = {}) => ({
    schedule: '0 * * * *',
    lastScheduleTime: at(120),
    lastSuccessfulTime: at(62),
    ...o,
  });
  const causes: Array<{name: string; cj: Partial<CronJobInfo>; cause: string}> = [
    {
      name: 'failedJobsHistoryLimit: 0',
      cj: {failedJobsHistoryLimit: 0, jobTtlSecondsAfterFinished: 60},
      cause: 'failed-jobs-history-limit',
    },
    {
      name: 'a TTL after finishing',
      cj: {jobTtlSecondsAfterFinished: 0},
      cause: 'ttl-after-finished',
    },
    {name: 'neither', cj: {}, cause: 'unknown'},
  ];
  for (const c of causes) {
    it(`the likely cause: ${c.name}`, () => {
      const open = decide(null, view(purged(c.cj)), 130)?.record.open.failing;
      assert.deepEqual(open?.openedBy.gone, {cause: c.cause});
    });
  }

  it('known by the name the controller gave it, counted as a scheduled run, with what its events say', () => {
    const events = new Map<string, GoneJobEvent>([
      [
        GONE_AT_12,
        {
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
          succeeded: false,
        },
      ],
    ]);
    const open = decide(null, view(purged(), [], {events}), 130)?.record.open.failing;
    assert.equal(open?.id, `cj-uid/gone:cj-uid@${iso(120)}`);
    assert.equal(open?.openedBy.job, GONE_AT_12);
    assert.equal(open?.openedBy.manual, false);
    assert.equal(open?.openedBy.reason, 'BackoffLimitExceeded');
    assert.equal(open?.openedBy.message, 'Job has reached the specified backoff limit');
  });

  it('its events say it completed: a success, which closes the open streak', () => {
    const streak = delivered(
      decide(null, view(purged(), [failedJob({name: 'backup-11', scheduled: 60})]), 70),
    );
    const events = new Map<string, GoneJobEvent>([
      [GONE_AT_12, {reason: 'Completed', message: null, succeeded: true}],
    ]);
    const d = decide(
      streak,
      view(purged(), [failedJob({name: 'backup-11', scheduled: 60})], {events}),
      130,
    );
    assert.deepEqual(changes(d), ['failing:closed']);
    const ending = d?.record.history.at(-1)?.ending;
    assert.equal(ending?.type === 'succeeded' ? ending.run.job : null, GONE_AT_12);
  });

  it('a Job still running (not yet in status.active): nothing is gone', () => {
    const busy = runningJob({name: 'backup-11', scheduled: 60});
    assert.equal(decide(null, view(purged(), [busy]), 130)?.record.open.failing, undefined);
  });
});

describe('failing streaks: what counts and what closes', () => {
  const quiet = {schedule: QUIET_SCHEDULE};
  const f0 = failedJob({name: 'backup-0', scheduled: 0});
  const f60 = failedJob({name: 'backup-60', scheduled: 60});
  const streak = () => delivered(decide(null, view(quiet, [f0, f60]), 70));

  it('a run counts with what its Pods say and no gone mark', () => {
    const details = new Map([['uid-backup-0', 'container main: OOMKilled (exit 137)']]);
    const open = decide(null, view(quiet, [f0], {details}), 10)?.record.open.failing;
    assert.equal(open?.openedBy.detail, 'container main: OOMKilled (exit 137)');
    assert.equal('gone' in open!.openedBy, false);
  });

  it('no log was asked for: the incident carries none', () => {
    assert.equal('log' in decide(null, view(quiet, [f0]), 10)!.record.open.failing!, false);
  });

  it('turned off by DETECTIONS: no failing streak, no Job running too long', () => {
    const busy = runningJob({name: 'backup-x', scheduled: 0});
    const hourly = view({lastScheduleTime: at(0), lastSuccessfulTime: at(1)}, [f0, busy]);
    assert.deepEqual(changes(decide(null, hourly, 65)).sort(), [
      'failing:opened',
      'running-too-long:opened',
    ]);
    const off: Policy = {...POLICY, disabled: ['failing', 'running-too-long']};
    const quiet = decide(null, hourly, 65, off);
    assert.deepEqual(changes(quiet), []);
    assert.deepEqual(quiet?.record.open, {}, 'the failed run only joins the history');
  });

  it('the Job that opened it, seen again with a later time, is not counted again', () => {
    const moved = failedJob({name: 'backup-0', scheduled: 0, after: 100});
    assert.equal(decide(streak(), view(quiet, [moved, f60]), 110), null);
  });

  it('the Job that failed last, seen again with a later time, is not counted again', () => {
    const moved = failedJob({name: 'backup-60', scheduled: 60, after: 100});
    assert.equal(decide(streak(), view(quiet, [f0, moved]), 170), null);
  });

  it('other kinds of incident in the history are no failures', () => {
    const old = {
      kind: 'missed' as const,
      id: 'missed:x',
      openedAt: iso(-60),
      closedAt: iso(-30),
      ending: null,
      schedule: '0 * * * *',
      timeZone: 'UTC',
      firstDueAt: iso(-60),
      latestDueAt: iso(-60),
      missedRuns: 1,
      lastStartedAt: null,
    };
    const record = {
      ...blankRecord(
        CLUSTER,
        {
          type: 'cronjob',
          namespace: 'batch',
          name: 'backup',
          uid: 'cj-uid',
          schedule: QUIET_SCHEDULE,
        },
        at(0),
      ),
      history: [old],
    };
    assert.deepEqual(changes(decide(record, view(quiet, [f0]), 10)), ['failing:opened']);
  });

  const reported: Array<{name: string; success: number; closes: boolean}> = [
    {name: 'before the latest failure: not a fix', success: 30, closes: false},
    {name: 'at the latest failure’s own time: not a fix', success: 65, closes: false},
    {name: 'after it: fixed', success: 66, closes: true},
    {name: 'ten minutes ahead of the clock: fixed', success: 80, closes: true},
    {name: 'further ahead than any clock skew: not yet', success: 81, closes: false},
  ];
  for (const c of reported) {
    it(`a success the status reports, ${c.name}`, () => {
      const v = view({...quiet, lastSuccessfulTime: at(c.success)}, [f0, f60]);
      const d = decide(streak(), v, 70);
      assert.deepEqual(changes(d), c.closes ? ['failing:closed'] : []);
      if (c.closes) assert.deepEqual(d?.record.watermark, {atMs: at(c.success).getTime(), job: ''});
      const record = streak();
      assert.equal(
        subjectMayChange(v, {watermark: record.watermark, record}, POLICY, at(70)),
        c.success > 65,
      );
    });
  }
});

describe('missed under Forbid with nothing to anchor on but the status', () => {
  it('counts from the last scheduled time', () => {
    const v = view({
      concurrencyPolicy: 'Forbid',
      lastScheduleTime: at(0),
      lastSuccessfulTime: at(1),
    });
    const d = decide(null, v, 131);
    assert.equal(d?.record.open.missed?.missedRuns, 2);
    assert.equal(d?.record.open.missed?.firstDueAt, iso(60));
  });
});

describe('missed: a CronJob that never ran and whose creation time is unknown', () => {
  it('has nothing to count from: nothing is missed', () => {
    const v = view({createdAt: null});
    assert.equal(decide(null, v, 600), null);
  });
});

describe('the cluster’s own record', () => {
  const up: ClusterView = {type: 'cluster', clusterId: CLUSTER, read: {ok: true}};
  const down: ClusterView = {
    type: 'cluster',
    clusterId: CLUSTER,
    read: {ok: false, code: 'FORBIDDEN', message: 'nope'},
  };
  const blank = blankRecord(CLUSTER, {type: 'cluster'}, at(0));

  it('the failed reads it counts, and the incident the third opens', () => {
    let record: SubjectRecord | null = null;
    for (const minute of [0, 5, 10]) {
      record = decideSubject(record, down, POLICY, at(minute), undefined)!.record;
    }
    assert.deepEqual(record?.readFailures, {count: 3, since: iso(0), lastError: 'FORBIDDEN: nope'});
    const open = record?.open['cluster-unreadable'];
    assert.deepEqual(open?.firstError, {at: iso(0), code: 'FORBIDDEN', message: 'nope'});
    assert.deepEqual(open?.latestError, {at: iso(10), code: 'FORBIDDEN', message: 'nope'});
  });

  it('read again: asked to close an open incident even with no count kept', () => {
    const open = {
      kind: 'cluster-unreadable' as const,
      id: 'cluster:x',
      openedAt: iso(0),
      closedAt: null,
      ending: null,
      firstError: {at: iso(0), code: 'X', message: 'x'},
      latestError: {at: iso(0), code: 'X', message: 'x'},
      failedReads: 3,
    };
    const record = {...blank, open: {'cluster-unreadable': open}};
    assert.equal(subjectMayChange(up, {watermark: undefined, record}, POLICY, at(20)), true);
  });

  it('read, nothing open, nothing counted: nothing to do', () => {
    assert.equal(
      subjectMayChange(up, {watermark: undefined, record: blank}, POLICY, at(20)),
      false,
    );
  });
});
