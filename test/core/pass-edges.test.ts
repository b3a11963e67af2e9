/**
 * Edges of the clock-driven detections and of the Jobs they read, as tables over what a pass
 * sees: the plan builds the view from the cluster's objects (as `functions/pass.ts` does), then
 * the subject is decided. Times are minutes after T0 (2026-03-01T10:00Z), hourly at :00 unless
 * a case says otherwise; expectations are worked out from the rules in each detector's header.
 *
 * - Manual runs (`kubectl create job --from=cronjob/…`) are nobody's due time: they neither
 *   stand in for a missed run, nor close a missed incident, nor hide a failed Job already
 *   deleted.
 * - Running too long: the oldest of several Jobs over the limit is named; the limit counts from
 *   the scheduled time, not `status.startTime`; a Job at exactly its limit is not over it.
 * - Forbid: a running Job holds due times back whether `status.active` or the Job list shows it.
 * - Exact equalities: a due time at the window's start was run, a success at the failure's own
 *   time is not a later one, a Job carrying the due time is that due time's run.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {decideSubject, type Decision} from '../../functions/core/decide.js';
import type {
  FailingIncident,
  MissedIncident,
  RunMark,
  RunningTooLongIncident,
  SubjectRecord,
} from '../../functions/core/incident.js';
import type {CronJobInfo, JobInfo} from '../../functions/core/model.js';
import {planCluster} from '../../functions/core/plan.js';
import type {Policy} from '../../functions/core/policy.js';
import {at, cronJob, failedJob, MINUTE_MS, runningJob, succeededJob} from './builders.js';

const CLUSTER = 'kubeconfig/test';
const KEY = 'batch/backup';
const POLICY: Policy = {clusterDownAfter: 3, missedGraceMs: null, maxDurationMs: null};
const iso = (minutes: number) => at(minutes).toISOString();

/**
 * One pass over one CronJob: planned as the pass plans it, then decided. Null when the plan
 * skips it or nothing changes. `known`: the index entry's watermark (the CronJob was seen).
 */
function pass(
  cj: CronJobInfo,
  jobs: JobInfo[],
  now: Date,
  record: SubjectRecord | null = null,
  policy: Policy = POLICY,
  known: RunMark | null = record?.watermark ?? null,
): Decision | null {
  const plan = planCluster(
    {
      clusterId: CLUSTER,
      read: {ok: true},
      snapshot: {
        cluster: {id: CLUSTER, name: 'test', project: null, location: null},
        cronJobs: [cj],
        jobs,
        problems: [],
      },
      namespaces: null,
    },
    {
      known: new Map([[KEY, {watermark: known}]]),
      attention: new Map(record === null ? [] : [[KEY, record]]),
    },
    () => policy,
    now,
  );
  const entry = plan.evaluate.find(e => e.key === KEY);
  if (entry === undefined || entry.view.type !== 'cronjob') return null;
  return decideSubject(record, entry.view, entry.policy, now, entry.knownWatermark);
}

const changes = (d: Decision | null) => d?.changes.map(c => `${c.incidentKind}:${c.kind}`) ?? [];
const delivered = (d: Decision | null): SubjectRecord => {
  assert.ok(d);
  return {...d.record, outbox: []};
};
function missed(d: Decision | null): MissedIncident | undefined {
  return d?.record.open.missed;
}

/** A manual run: created `minutes` after T0, carrying no scheduled time (nobody's due time). */
function manual(job: JobInfo): JobInfo {
  return {...job, manual: true, scheduledAt: null};
}

/** The name the controller gives the Job of a due time: `<cronjob>-<unix minutes>`. */
const controllerName = (isoTime: string) => `backup-${Date.parse(isoTime) / 60_000}`;

describe('manual runs are nobody’s due time', () => {
  // The 11:00 run started and succeeded; 12:00 never started.
  const ranAt11 = cronJob({lastScheduleTime: at(60), lastSuccessfulTime: at(62)});

  it('a manual run after a due time is not the run for it: the due time is missed', () => {
    const byHand = manual(succeededJob({name: 'backup-manual-a', scheduled: 125, after: 3}));
    const d = pass(ranAt11, [byHand], at(131));
    assert.deepEqual(changes(d), ['missed:opened']);
    assert.equal(missed(d)?.firstDueAt, iso(120));
    assert.equal(missed(d)?.missedRuns, 1);
    assert.equal(missed(d)?.lastStartedAt, iso(60));
  });

  it('the same run started by the controller is the run for it: nothing is missed', () => {
    const scheduled = succeededJob({name: 'backup-late', scheduled: 120, after: 8});
    const d = pass(ranAt11, [scheduled], at(131));
    assert.deepEqual(changes(d), []);
    // Only the finished run is written, into the history.
    assert.deepEqual(
      d?.record.runs.map(r => `${r.job}:${r.outcome}`),
      ['backup-late:succeeded'],
    );
    assert.equal(pass(ranAt11, [scheduled], at(132), d?.record ?? null), null);
  });

  it('a manual run after a missed due time does not close the missed incident', () => {
    const opened = delivered(pass(ranAt11, [], at(131)));
    assert.equal(opened.open.missed?.firstDueAt, iso(120));
    const byHand = manual(runningJob({name: 'backup-manual-b', scheduled: 135}));
    assert.equal(pass(ranAt11, [byHand], at(140), opened), null);
    const done = manual(succeededJob({name: 'backup-manual-b', scheduled: 135, after: 2}));
    const finished = pass(ranAt11, [done], at(141), opened);
    assert.deepEqual(changes(finished), [], 'the manual run only joins the history');
    assert.deepEqual(finished?.record.open, opened.open);
  });

  it('the controller starting the due time does close it', () => {
    const opened = delivered(pass(ranAt11, [], at(131)));
    const late = runningJob({name: 'backup-late', scheduled: 120});
    const d = pass(ranAt11, [late], at(140), opened);
    assert.deepEqual(changes(d), ['missed:closed']);
    assert.deepEqual(d?.record.history.at(-1)?.ending, {type: 'started', at: iso(120)});
  });

  it('a manual run after a failed Job already deleted does not hide that failure', () => {
    // 12:00 failed and failedJobsHistoryLimit: 0 deleted its Job; someone re-ran it by hand,
    // and that failed too: two failed runs, the first of them the deleted one.
    const purged = cronJob({
      lastScheduleTime: at(120),
      lastSuccessfulTime: at(62),
      failedJobsHistoryLimit: 0,
    });
    const byHand = manual(failedJob({name: 'backup-manual-c', scheduled: 130, after: 2}));
    const d = pass(purged, [byHand], at(140));
    assert.deepEqual(changes(d), ['failing:opened', 'failing:failed-again']);
    const open = d?.record.open.failing;
    assert.equal(open?.openedBy.job, controllerName('2026-03-01T12:00:00Z'));
    assert.deepEqual(open?.openedBy.gone, {cause: 'failed-jobs-history-limit'});
    assert.equal(open?.latestFailure.job, 'backup-manual-c');
    assert.equal(open?.failedRuns, 2);
  });

  it('a Job the controller started for that due time is its run: nothing is gone', () => {
    const purged = cronJob({lastScheduleTime: at(120), lastSuccessfulTime: at(62)});
    const itsRun = failedJob({name: 'backup-12', scheduled: 120, after: 2});
    const d = pass(purged, [itsRun], at(140));
    assert.equal(d?.record.open.failing?.openedBy.job, 'backup-12');
    assert.equal(d?.record.open.failing?.failedRuns, 1);
  });
});

describe('running too long', () => {
  const hourly = (overrides: Partial<CronJobInfo> = {}) =>
    cronJob({lastScheduleTime: at(60), ...overrides});
  const cases: Array<{
    name: string;
    cj: CronJobInfo;
    jobs: JobInfo[];
    now: Date;
    policy?: Partial<Policy>;
    expect: Partial<RunningTooLongIncident> | null;
  }> = [
    {
      name: 'two Jobs over the limit (Allow): the oldest is named',
      cj: hourly(),
      // Listed newest first: the order of the list must not matter.
      jobs: [
        runningJob({name: 'backup-11', scheduled: 60}),
        runningJob({name: 'backup-10', scheduled: 0}),
      ],
      now: at(125),
      expect: {
        job: 'backup-10',
        jobUid: 'uid-backup-10',
        startedAt: iso(0),
        openedAt: iso(60),
        limitMs: 60 * MINUTE_MS,
        limitFrom: 'schedule',
        blockedRuns: 0,
      },
    },
    {
      name: 'two Jobs over the limit (Replace): the oldest is named',
      cj: hourly({concurrencyPolicy: 'Replace'}),
      jobs: [
        runningJob({name: 'backup-11', scheduled: 60}),
        runningJob({name: 'backup-10', scheduled: 0}),
      ],
      now: at(125),
      expect: {job: 'backup-10', startedAt: iso(0), openedAt: iso(60)},
    },
    {
      name: 'an annotated limit, both over it: the oldest is named',
      cj: hourly(),
      jobs: [
        runningJob({name: 'backup-11', scheduled: 60}),
        runningJob({name: 'backup-10', scheduled: 0}),
      ],
      now: at(125),
      policy: {maxDurationMs: 64 * MINUTE_MS},
      // backup-10 has run 125 minutes, backup-11 65: both over 64.
      expect: {
        job: 'backup-10',
        limitMs: 64 * MINUTE_MS,
        limitFrom: 'annotation',
        openedAt: iso(64),
      },
    },
    {
      name: 'the limit counts from the scheduled time, not status.startTime',
      cj: hourly({lastScheduleTime: at(0)}),
      // Scheduled 10:00, its Pod only started at 10:20: 45 minutes in at 10:45.
      jobs: [{...runningJob({name: 'backup-10', scheduled: 0}), startedAt: at(20)}],
      now: at(45),
      policy: {maxDurationMs: 30 * MINUTE_MS},
      expect: {job: 'backup-10', startedAt: iso(0), openedAt: iso(30), limitFrom: 'annotation'},
    },
    {
      name: 'a Job at exactly its limit is not over it',
      cj: hourly({lastScheduleTime: at(0)}),
      jobs: [runningJob({name: 'backup-10', scheduled: 0})],
      now: at(60),
      expect: null,
    },
    {
      name: 'a millisecond past its limit, it is',
      cj: hourly({lastScheduleTime: at(0)}),
      jobs: [runningJob({name: 'backup-10', scheduled: 0})],
      now: new Date(at(60).getTime() + 1),
      expect: {job: 'backup-10', openedAt: iso(60), limitMs: 60 * MINUTE_MS},
    },
    {
      name: 'at exactly an annotated limit: not over it',
      cj: hourly({lastScheduleTime: at(0)}),
      jobs: [runningJob({name: 'backup-10', scheduled: 0})],
      now: at(30),
      policy: {maxDurationMs: 30 * MINUTE_MS},
      expect: null,
    },
    {
      name: 'Forbid: the due times it blocked are counted',
      cj: hourly({
        lastScheduleTime: at(0),
        concurrencyPolicy: 'Forbid',
        activeJobNames: ['backup-10'],
      }),
      jobs: [runningJob({name: 'backup-10', scheduled: 0})],
      now: at(185),
      // Due 11:00, 12:00, 13:00 while it ran.
      expect: {job: 'backup-10', blockedRuns: 3, openedAt: iso(60)},
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = pass(c.cj, c.jobs, c.now, null, {...POLICY, ...c.policy});
      const open = d?.record.open['running-too-long'];
      if (c.expect === null) {
        assert.equal(open, undefined);
        return;
      }
      assert.ok(open, 'opened');
      assert.deepEqual(
        Object.fromEntries(Object.keys(c.expect).map(k => [k, open[k as keyof typeof open]])),
        c.expect,
      );
    });
  }
});

describe('Forbid: a running Job holds due times back, whichever list shows it', () => {
  // 10:00 started and is still running (a long maximum keeps running-too-long quiet); by 12:11
  // 11:00 and 12:00 were skipped by the controller, as Forbid says.
  const forbid = (overrides: Partial<CronJobInfo>) =>
    cronJob({lastScheduleTime: at(0), concurrencyPolicy: 'Forbid', ...overrides});
  const long: Policy = {...POLICY, maxDurationMs: 24 * 60 * MINUTE_MS};
  const job = runningJob({name: 'backup-10', scheduled: 0});
  const cases: Array<{
    name: string;
    cj: CronJobInfo;
    jobs: JobInfo[];
    expect: {firstDue: string; count: number} | null;
  }> = [
    {name: 'both show it', cj: forbid({activeJobNames: ['backup-10']}), jobs: [job], expect: null},
    {
      name: 'only status.active shows it',
      cj: forbid({activeJobNames: ['backup-10']}),
      jobs: [],
      expect: null,
    },
    {
      name: 'only the Job list shows it',
      cj: forbid({activeJobNames: []}),
      jobs: [job],
      expect: null,
    },
    {
      name: 'neither: it finished at 10:05, so 11:00 and 12:00 were missed',
      cj: forbid({activeJobNames: [], lastSuccessfulTime: at(5)}),
      jobs: [succeededJob({name: 'backup-10', scheduled: 0, after: 5})],
      expect: {firstDue: iso(60), count: 2},
    },
    {
      name: 'Allow is not held back by a running Job',
      cj: forbid({concurrencyPolicy: 'Allow', activeJobNames: ['backup-10']}),
      jobs: [job],
      expect: {firstDue: iso(60), count: 2},
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = pass(c.cj, c.jobs, at(131), null, long);
      if (c.expect === null) {
        assert.equal(missed(d), undefined);
        return;
      }
      assert.equal(missed(d)?.firstDueAt, c.expect.firstDue);
      assert.equal(missed(d)?.missedRuns, c.expect.count);
    });
  }
});

describe('exact equalities', () => {
  it('a due time exactly at the window’s start is the one that ran, not a missed one', () => {
    // Started for 12:00; at 12:30 the next due time (13:00) is not even due.
    const ran = cronJob({lastScheduleTime: at(120), lastSuccessfulTime: at(125)});
    assert.equal(pass(ran, [], at(150)), null);
    // One schedule later and past the grace, 13:00 is missed, and only 13:00.
    const d = pass(ran, [], at(191));
    assert.equal(missed(d)?.firstDueAt, iso(180));
    assert.equal(missed(d)?.missedRuns, 1);
  });

  it('a run started for exactly the first missed due time closes the missed incident', () => {
    // The status says when the last run started and that it succeeded (its Job is gone).
    const ran = (minutes: number) =>
      cronJob({lastScheduleTime: at(minutes), lastSuccessfulTime: at(minutes + 2)});
    const opened = delivered(pass(ran(60), [], at(131)));
    const d = pass(ran(120), [], at(140), opened);
    assert.deepEqual(changes(d), ['missed:closed']);
    // One for an earlier time does not.
    assert.equal(pass(ran(119), [], at(140), opened), null);
  });

  describe('a success reported at the failure’s own time is not a later success', () => {
    // Failed at 10:05; its Job is kept; the status then reports a success.
    const failed = failedJob({name: 'backup-10', scheduled: 0, after: 5});
    const open = () => delivered(pass(cronJob(), [failed], at(10)));
    const cases: Array<{name: string; success: number; closed: boolean}> = [
      {name: 'at the failure time: still failing', success: 5, closed: false},
      {name: 'before it: still failing', success: 4, closed: false},
      {name: 'a minute later: fixed, its Job already gone', success: 6, closed: true},
    ];
    for (const c of cases) {
      it(c.name, () => {
        const before = open();
        assert.equal(before.open.failing?.openedAt, iso(5));
        const d = pass(cronJob({lastSuccessfulTime: at(c.success)}), [failed], at(20), before);
        if (!c.closed) {
          assert.equal(d, null);
          return;
        }
        assert.deepEqual(changes(d), ['failing:closed']);
        assert.deepEqual(d?.record.history.at(-1)?.ending, {
          type: 'succeeded-job-gone',
          at: iso(c.success),
        });
      });
    }
  });

  describe('a deleted Job of the last due time', () => {
    const cases: Array<{name: string; cj: Partial<CronJobInfo>; jobs: JobInfo[]; gone: boolean}> = [
      {
        name: 'a success reported at exactly that due time: not a failure',
        cj: {lastScheduleTime: at(120), lastSuccessfulTime: at(120)},
        jobs: [],
        gone: false,
      },
      {
        name: 'a success reported before it: failed and gone',
        cj: {lastScheduleTime: at(120), lastSuccessfulTime: at(119)},
        jobs: [],
        gone: true,
      },
      {
        name: 'a kept Job carrying exactly that due time: that is its run',
        cj: {lastScheduleTime: at(120)},
        jobs: [succeededJob({name: 'backup-12', scheduled: 120})],
        gone: false,
      },
      {
        name: 'a kept Job of an earlier due time only: failed and gone',
        cj: {lastScheduleTime: at(120)},
        jobs: [succeededJob({name: 'backup-11', scheduled: 60})],
        gone: true,
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const d = pass(cronJob(c.cj), c.jobs, at(130));
        const open: FailingIncident | undefined = d?.record.open.failing;
        assert.equal(
          open?.openedBy.job,
          c.gone ? controllerName('2026-03-01T12:00:00Z') : undefined,
        );
      });
    }
  });

  it('a run stamped exactly ten minutes (the tolerated skew) ahead counts; a millisecond more waits', () => {
    const quiet = cronJob({schedule: '0 0 29 2 *'});
    const now = at(100);
    const ahead = (ms: number): JobInfo => {
      const t = new Date(now.getTime() + ms);
      const job = failedJob({name: 'backup-future', scheduled: 90});
      return {
        ...job,
        conditions: job.conditions.map(c => ({...c, lastTransitionTime: t})),
      };
    };
    assert.deepEqual(changes(pass(quiet, [ahead(10 * MINUTE_MS)], now)), ['failing:opened']);
    assert.equal(pass(quiet, [ahead(10 * MINUTE_MS + 1)], now), null);
  });
});
