/**
 * Decisions the other tables did not reach (found by mutation testing, test/mutation/README.md):
 * a gone Job's failure reason behind a newer unrelated Warning, a Job counted once even when it
 * first closed a streak as a success, what the failing streak's `mayChange` answers, the Forbid
 * anchor of a run with no usable time, where a running Job's limit counts from, a limit raised
 * while its incident is open, and what the plan asks for in a few corners.
 *
 * Times are minutes after T0 (2026-03-01T10:00Z); expectations follow the rules written in each
 * detector's header, worked out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {ClusterReadOutcome} from '../../functions/core/cluster-read.js';
import {decideSubject, notification} from '../../functions/core/decide.js';
import type {CronJobView, Known} from '../../functions/core/detector.js';
import {failingStreak, goneJobEventOf} from '../../functions/core/detections/failing/detector.js';
import {forbidAnchorMs} from '../../functions/core/detections/relations.js';
import {
  runningTooLong,
  stuckRun,
} from '../../functions/core/detections/running-too-long/detector.js';
import type {ClusterUnreadableIncident} from '../../functions/core/detections/cluster-unreadable/incident.js';
import {
  blankRecord,
  CLUSTER_RECORD_KEY,
  type RunMark,
  type SubjectRecord,
} from '../../functions/core/incident.js';
import type {CronJobInfo, JobEvent, JobInfo} from '../../functions/core/model.js';
import {planCluster, type ClusterPlan} from '../../functions/core/plan.js';
import type {Policy} from '../../functions/core/policy.js';
import {finishedRunsOf, judgeJob} from '../../functions/core/verdict.js';
import {
  at,
  cronJob,
  failedJob,
  MINUTE_MS,
  QUIET_SCHEDULE,
  runningJob,
  succeededJob,
} from './builders.js';

const CLUSTER = 'kubeconfig/test';
const KEY = 'batch/backup';
const POLICY: Policy = {clusterDownAfter: 3, missedGraceMs: null, maxDurationMs: null};
const SUBJECT = {
  type: 'cronjob' as const,
  namespace: 'batch',
  name: 'backup',
  uid: 'cj-uid',
  schedule: QUIET_SCHEDULE,
};
const mark = (minutes: number, job: string): RunMark => ({atMs: at(minutes).getTime(), job});

function view(jobs: JobInfo[], cj: Partial<CronJobInfo> = {}, nowMinutes = 600): CronJobView {
  const judged = jobs.map(judgeJob);
  return {
    type: 'cronjob',
    clusterId: CLUSTER,
    cronJob: cronJob({schedule: QUIET_SCHEDULE, ...cj}),
    runs: finishedRunsOf(jobs, at(nowMinutes).getTime()),
    running: judged.filter(v => v.outcome === 'running'),
    latestScheduledJobAt: null,
  };
}

function stored(watermark: RunMark | null): SubjectRecord {
  return {...blankRecord(CLUSTER, SUBJECT, at(0)), watermark};
}

describe('a gone Job’s events: the Job controller’s failure reason wins over a newer Warning', () => {
  const reasons = [
    'BackoffLimitExceeded',
    'DeadlineExceeded',
    'PodFailurePolicy',
    'MaxFailedIndexesExceeded',
    'FailedIndexes',
  ];
  for (const reason of reasons) {
    it(reason, () => {
      // Newest first, as the pass reads them.
      const events: JobEvent[] = [
        {type: 'Warning', reason: 'FailedMount', message: 'newer, unrelated', at: at(10)},
        {type: 'Warning', reason, message: 'the cause', at: at(5)},
      ];
      assert.deepEqual(goneJobEventOf(events), {reason, message: 'the cause', succeeded: false});
    });
  }
});

describe('a Job that closed a streak as a success, later reported failed', () => {
  it('is counted once: nothing opens', () => {
    const f10 = failedJob({name: 'backup-10', scheduled: 0});
    const s11 = succeededJob({name: 'backup-11', scheduled: 60});
    const opened = decideSubject(stored(mark(-60, 'backup-0')), view([f10]), POLICY, at(10), null);
    assert.ok(opened?.record.open.failing);
    const closed = decideSubject(
      {...opened.record, outbox: []},
      view([f10, s11]),
      POLICY,
      at(70),
      null,
    );
    assert.equal(closed?.record.history.at(-1)?.ending?.type, 'succeeded');
    // The same Job now reads as failed, later than the watermark the success left.
    const flipped = failedJob({name: 'backup-11', scheduled: 60, after: 100});
    const again = decideSubject(
      {...closed!.record, outbox: []},
      view([f10, flipped]),
      POLICY,
      at(170),
      null,
    );
    assert.equal(again?.record.open.failing, undefined);
  });
});

describe('the failing streak’s mayChange: true exactly when evaluate could change the record', () => {
  const f10 = failedJob({name: 'backup-10', scheduled: 0});
  const f11 = failedJob({name: 'backup-11', scheduled: 60});
  const s12 = succeededJob({name: 'backup-12', scheduled: 120});
  // A failure stamped 20 minutes past the pass's clock: beyond the tolerated skew.
  const future = failedJob({name: 'backup-99', scheduled: 595, after: 25});
  const openAt11 = (): SubjectRecord => {
    const d = decideSubject(stored(mark(-60, 'backup-0')), view([f10, f11]), POLICY, at(70), null);
    assert.ok(d?.record.open.failing);
    return {...d.record, outbox: []};
  };
  const cases: Array<{
    name: string;
    known: () => Known;
    jobs: JobInfo[];
    cj?: Partial<CronJobInfo>;
    expect: boolean;
  }> = [
    {
      name: 'never seen: true',
      known: () => ({watermark: undefined, record: undefined}),
      jobs: [],
      expect: true,
    },
    {
      name: 'nothing open, no new run: false',
      known: () => ({watermark: mark(5, 'backup-10'), record: undefined}),
      jobs: [f10],
      expect: false,
    },
    {
      name: 'nothing open, only a new success: false',
      known: () => ({watermark: mark(5, 'backup-10'), record: undefined}),
      jobs: [f10, s12],
      expect: false,
    },
    {
      name: 'nothing open, a new failure: true',
      known: () => ({watermark: mark(5, 'backup-10'), record: undefined}),
      jobs: [f10, f11],
      expect: true,
    },
    {
      name: 'nothing open, a new failure only beyond the clock skew: false',
      known: () => ({watermark: mark(5, 'backup-10'), record: undefined}),
      jobs: [f10, future],
      expect: false,
    },
    {
      name: 'a record without an index entry, nothing new: false',
      known: () => ({watermark: undefined, record: openAt11()}),
      jobs: [f10, f11],
      expect: false,
    },
    {
      name: 'open, no new run, no success reported: false',
      known: () => ({watermark: mark(65, 'backup-11'), record: openAt11()}),
      jobs: [f10, f11],
      expect: false,
    },
    {
      name: 'open, a new success: true',
      known: () => ({watermark: mark(65, 'backup-11'), record: openAt11()}),
      jobs: [f10, f11, s12],
      expect: true,
    },
    {
      name: 'open, the status reports a success after the watermark (its Job gone): true',
      known: () => ({watermark: mark(65, 'backup-11'), record: openAt11()}),
      jobs: [f10, f11],
      cj: {lastSuccessfulTime: at(125)},
      expect: true,
    },
    {
      name: 'open, the status reports a success before the watermark: false',
      known: () => ({watermark: mark(65, 'backup-11'), record: openAt11()}),
      jobs: [f10, f11],
      cj: {lastSuccessfulTime: at(30)},
      expect: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const v = view(c.jobs, c.cj, 600);
      const context = {now: at(600), policy: POLICY, firstSight: false};
      assert.equal(failingStreak.mayChange(v, c.known(), context), c.expect);
    });
  }
});

describe('the Forbid anchor: where missed due times start counting', () => {
  const timeless: JobInfo = {
    ...failedJob({name: 'backup-x', scheduled: 0}),
    scheduledAt: null,
    createdAt: null,
    startedAt: null,
    conditions: [
      {type: 'Failed', status: 'True', reason: 'R', message: null, lastTransitionTime: null},
    ],
  };
  it('a run with no usable time counts where the pass placed it (its clock)', () => {
    const v = view([timeless], {}, 300);
    assert.equal(forbidAnchorMs(v, stored(null), at(300)), at(300).getTime());
  });
  it('the latest end wins: a finished run after it', () => {
    const v = view([timeless, succeededJob({name: 'backup-1', scheduled: 0, after: 10})], {}, 5);
    assert.equal(forbidAnchorMs(v, stored(null), at(5)), at(10).getTime());
  });
  it('nothing known: null', () => {
    assert.equal(forbidAnchorMs(view([]), stored(null), at(5)), null);
  });
});

describe('running too long: the limit counts from the due time, else the start', () => {
  const LIMIT_MS = 45 * MINUTE_MS;
  const settings = {maxDurationMs: LIMIT_MS};
  const job = (scheduled: number | null, started: number | null): JobInfo => ({
    ...runningJob({name: 'backup-r', scheduled: 0}),
    scheduledAt: scheduled === null ? null : at(scheduled),
    createdAt: null,
    startedAt: started === null ? null : at(started),
  });
  const cases: Array<{name: string; job: JobInfo; now: number; from: number | null}> = [
    {name: 'scheduled 0, started 30, at 50: over, from 0', job: job(0, 30), now: 50, from: 0},
    {name: 'scheduled 0, started 30, at 45: exactly at it', job: job(0, 30), now: 45, from: null},
    {name: 'no due time, started 30, at 80: over, from 30', job: job(null, 30), now: 80, from: 30},
    {name: 'no due time, started 30, at 70: not yet', job: job(null, 30), now: 70, from: null},
    {name: 'no time at all: never', job: job(null, null), now: 10_000, from: null},
  ];
  for (const c of cases) {
    it(c.name, () => {
      const stuck = stuckRun(view([c.job]), settings, at(c.now));
      assert.equal(stuck === null ? null : (stuck.startedMs - at(0).getTime()) / MINUTE_MS, c.from);
    });
  }

  it('the limit raised while its incident is open: left as it is', () => {
    const v = view([job(0, 0)]);
    const context = (maxDurationMs: number, now: number) => ({
      now: at(now),
      policy: {...POLICY, maxDurationMs},
      firstSight: false,
    });
    const opened = runningTooLong.evaluate(v, stored(null), context(LIMIT_MS, 50));
    const incident = opened?.transitions[0]?.incident;
    assert.equal(incident?.kind, 'running-too-long');
    const record: SubjectRecord = {...stored(null), open: {'running-too-long': incident as never}};
    // Two hours now: the Job, 60 minutes in, is within it; nothing is said until it ends.
    assert.equal(runningTooLong.evaluate(v, record, context(120 * MINUTE_MS, 60)), null);
  });
});

describe('running too long under Forbid: another Job now the oldest over the limit', () => {
  it('the open incident is left as it is, its blocked count too', () => {
    const forbid = {schedule: '0 * * * *', concurrencyPolicy: 'Forbid' as const};
    const context = (now: number) => ({now: at(now), policy: POLICY, firstSight: false});
    const newer = runningJob({name: 'backup-11', scheduled: 60});
    const older = runningJob({name: 'backup-10', scheduled: 0});
    // At 12:05 backup-11 (due 11:00) is over its one-hour limit and has blocked 12:00.
    const opened = runningTooLong.evaluate(view([newer], forbid), stored(null), context(125));
    const incident = opened?.transitions[0]?.incident;
    assert.ok(incident?.kind === 'running-too-long');
    assert.equal(incident.blockedRuns, 1);
    const record: SubjectRecord = {...stored(null), open: {'running-too-long': incident}};
    // At 13:05 the older backup-10 shows up too: it is not this incident's Job.
    assert.equal(runningTooLong.evaluate(view([older, newer], forbid), record, context(185)), null);
  });
});

describe('what the plan asks for, in corners', () => {
  /** `known` undefined: the CronJob was never seen (no index entry). */
  function plan(
    cj: CronJobInfo | null,
    jobs: JobInfo[],
    now: number,
    known: RunMark | null | undefined,
    read: ClusterReadOutcome = {ok: true},
    policy: Policy = POLICY,
    attention: ReadonlyMap<string, SubjectRecord> = new Map(),
  ): ClusterPlan {
    return planCluster(
      {
        clusterId: CLUSTER,
        read,
        snapshot: read.ok
          ? {
              cluster: {id: CLUSTER, name: 'test', project: null, location: null},
              cronJobs: cj === null ? [] : [cj],
              jobs,
              problems: [],
            }
          : null,
        namespaces: null,
      },
      {
        known: new Map(known === undefined ? [] : [[KEY, {watermark: known}]]),
        attention,
      },
      () => policy,
      at(now),
    );
  }
  const LOGS: Policy = {...POLICY, logLines: 20};

  describe('the log to quote', () => {
    const quiet = cronJob({schedule: QUIET_SCHEDULE});
    it('seen before, two new failures and nothing open: the first one opens, its log', () => {
      const jobs = [
        failedJob({name: 'backup-10', scheduled: 0}),
        failedJob({name: 'backup-11', scheduled: 60}),
      ];
      const e = plan(quiet, jobs, 200, mark(-60, 'backup-0'), undefined, LOGS).evaluate.find(
        x => x.key === KEY,
      );
      assert.equal(e?.log?.job.name, 'backup-10');
    });

    // Hourly; backup-11 (due 11:00) is still running at 12:05, past its one-hour limit.
    const hourly = cronJob({lastScheduleTime: at(60), lastSuccessfulTime: at(5)});
    const stuck = runningJob({name: 'backup-11', scheduled: 60});
    const cases: Array<{name: string; jobs: JobInfo[]}> = [
      {
        name: 'first sight, the latest run succeeded, a Job running too long: no log',
        jobs: [succeededJob({name: 'backup-10', scheduled: 0}), stuck],
      },
      {name: 'first sight, no finished run, a Job running too long: no log', jobs: [stuck]},
    ];
    for (const c of cases) {
      it(c.name, () => {
        const e = plan(hourly, c.jobs, 125, undefined, undefined, LOGS).evaluate.find(
          x => x.key === KEY,
        );
        assert.ok(e, 'evaluated: the Job running too long needs a record');
        assert.equal(e.log, null);
        assert.deepEqual(
          e.podsOf.map(r => `${r.purpose}:${r.name}`),
          ['stuck:backup-11'],
        );
      });
    }
  });

  it('records in the store whose CronJob is gone: only CronJob records with an open incident close', () => {
    const unreadable: ClusterUnreadableIncident = {
      kind: 'cluster-unreadable',
      id: `cluster:${CLUSTER}@2026-03-01T09:00:00.000Z`,
      openedAt: '2026-03-01T09:00:00.000Z',
      closedAt: null,
      ending: null,
      firstError: {at: '2026-03-01T09:00:00.000Z', code: 'UNAVAILABLE', message: 'down'},
      latestError: {at: '2026-03-01T09:10:00.000Z', code: 'UNAVAILABLE', message: 'down'},
      failedReads: 3,
    };
    const clusterRecord: SubjectRecord = {
      ...blankRecord(CLUSTER, {type: 'cluster'}, at(0)),
      open: {'cluster-unreadable': unreadable},
    };
    const owedOnly: SubjectRecord = {
      ...stored(null),
      outbox: [notification('closed', {...unreadable, closedAt: at(0).toISOString()}, at(0))],
    };
    const attention = new Map([
      [CLUSTER_RECORD_KEY, clusterRecord],
      [KEY, owedOnly],
    ]);
    const p = plan(null, [], 30, undefined, undefined, POLICY, attention);
    assert.deepEqual(p.deleted, []);
  });

  it('the cluster’s own entry, when its read failed: nothing to fetch', () => {
    const p = plan(cronJob(), [], 0, null, {ok: false, code: 'UNAVAILABLE', message: 'down'});
    assert.deepEqual(
      p.evaluate.map(e => ({
        key: e.key,
        podsOf: e.podsOf,
        eventsOf: e.eventsOf,
        log: e.log,
        known: e.knownWatermark,
      })),
      [{key: CLUSTER_RECORD_KEY, podsOf: [], eventsOf: [], log: null, known: undefined}],
    );
  });

  describe('a gone run, on a CronJob looked at because due times were missed', () => {
    // Hourly; 12:00 ran and its Job is gone; 13:00 and 14:00 never started. At 14:30.
    const purged = cronJob({lastScheduleTime: at(120), lastSuccessfulTime: at(62)});
    const gone = `backup-${Date.parse('2026-03-01T12:00:00Z') / 60_000}`;
    const cases: Array<{name: string; known: RunMark | null; events: string[]}> = [
      {name: 'not yet accounted for: its events', known: mark(5, 'backup-10'), events: [gone]},
      {
        name: 'already accounted for: none',
        known: {atMs: at(120).getTime(), job: gone},
        events: [],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const e = plan(purged, [], 270, c.known).evaluate.find(x => x.key === KEY);
        assert.ok(e, 'looked at for the missed due times');
        assert.deepEqual(
          e.eventsOf.map(x => x.name),
          c.events,
        );
      });
    }
  });

  it('a Job created long after its due time ran for that due time', () => {
    const late: JobInfo = {
      ...failedJob({name: 'backup-12', scheduled: 120, after: 40}),
      createdAt: at(150),
      startedAt: at(151),
    };
    const e = plan(cronJob(), [late], 170, null).evaluate.find(x => x.key === KEY);
    assert.ok(e && e.view.type === 'cronjob');
    assert.equal(e.view.latestScheduledJobAt?.toISOString(), at(120).toISOString());
  });
});
