/**
 * What the plan asks the pass to fetch before deciding, and what it counts: the events of a
 * Job already gone, the Pods of a Job running too long, the log of the run that opens an
 * incident, the due time the Jobs ran for, and which records lost their CronJob. Times are
 * minutes after T0 (2026-03-01T10:00Z); the schedule is hourly unless a case says otherwise.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {decideSubject} from '../../functions/core/decide.js';
import type {ClusterReadOutcome} from '../../functions/core/cluster-read.js';
import {
  blankRecord,
  CLUSTER_RECORD_KEY,
  keyOfSubject,
  type RunMark,
  type SubjectRecord,
} from '../../functions/core/incident.js';
import type {CronJobInfo, JobInfo, ObjectProblem} from '../../functions/core/model.js';
import {planCluster, type ClusterPlan} from '../../functions/core/plan.js';
import type {Policy} from '../../functions/core/policy.js';
import {at, cronJob, failedJob, QUIET_SCHEDULE, runningJob, succeededJob} from './builders.js';

const CLUSTER = 'kubeconfig/test';
const KEY = 'batch/backup';
const POLICY: Policy = {clusterDownAfter: 3, missedGraceMs: null, maxDurationMs: null};
const UP: ClusterReadOutcome = {ok: true};

interface Stored {
  known?: Record<string, RunMark | null>;
  attention?: SubjectRecord[];
}

function plan(
  cronJobs: CronJobInfo[],
  jobs: JobInfo[],
  now: Date,
  stored: Stored = {known: {[KEY]: null}},
  policy: Partial<Policy> = {},
  extra: {read?: ClusterReadOutcome; problems?: ObjectProblem[]; namespaces?: string[]} = {},
): ClusterPlan {
  const attention = new Map((stored.attention ?? []).map(r => [keyOfSubject(r.subject), r]));
  return planCluster(
    {
      clusterId: CLUSTER,
      read: extra.read ?? UP,
      snapshot: {
        cluster: {id: CLUSTER, name: 'test', project: null, location: null},
        cronJobs,
        jobs,
        problems: extra.problems ?? [],
      },
      namespaces: extra.namespaces ?? null,
    },
    {
      known: new Map(Object.entries(stored.known ?? {}).map(([k, w]) => [k, {watermark: w}])),
      attention,
    },
    () => ({...POLICY, ...policy}),
    now,
  );
}

const entry = (p: ClusterPlan, key = KEY) => p.evaluate.find(e => e.key === key);
const pods = (p: ClusterPlan) =>
  entry(p)?.podsOf.map(r => `${r.purpose}:${r.name}:${r.uid}:${r.namespace}`) ?? [];

/** A record of `backup` as left by deciding over `jobs` (everything delivered). */
function recordAfter(cj: CronJobInfo, jobs: JobInfo[], now: Date): SubjectRecord {
  const p = plan([cj], jobs, now);
  const e = entry(p);
  assert.ok(e && e.view.type === 'cronjob');
  const d = decideSubject(null, e.view, e.policy, now, e.knownWatermark);
  assert.ok(d);
  return {...d.record, outbox: []};
}

const GONE_AT_12 = `backup-${Date.parse('2026-03-01T12:00:00Z') / 60_000}`;

describe('events of a Job already gone', () => {
  const purged = cronJob({lastScheduleTime: at(120), lastSuccessfulTime: at(62)});
  const cases: Array<{
    name: string;
    known: RunMark | null;
    policy?: Partial<Policy>;
    events: string[];
  }> = [
    {name: 'a gone run not yet accounted for: its events', known: null, events: [GONE_AT_12]},
    {
      name: 'already accounted for: none',
      known: {atMs: at(120).getTime(), job: GONE_AT_12},
      events: [],
    },
    {name: 'an ignored CronJob: none', known: null, policy: {ignore: true}, events: []},
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = plan([purged], [], at(130), {known: {[KEY]: c.known}}, c.policy);
      assert.deepEqual(
        entry(p)?.eventsOf.map(e => `${e.namespace}/${e.name}`) ?? [],
        c.events.map(n => `batch/${n}`),
      );
    });
  }

  it('no gone run: none', () => {
    const p = plan(
      [cronJob({lastScheduleTime: at(120), lastSuccessfulTime: at(122)})],
      [failedJob({name: 'backup-11', scheduled: 60})],
      at(130),
    );
    assert.deepEqual(entry(p)?.eventsOf, []);
  });
});

describe('Pods of a Job running too long', () => {
  const cj = cronJob({lastScheduleTime: at(0)});
  const stuck = runningJob({name: 'backup-10', scheduled: 0});
  it('a Job over its limit: its Pods, to say why', () => {
    const p = plan([cj], [stuck], at(65));
    assert.deepEqual(pods(p), ['stuck:backup-10:uid-backup-10:batch']);
  });
  it('first over its limit while another incident is open: its Pods too', () => {
    const streak = recordAfter(cj, [failedJob({name: 'backup-9', scheduled: -60})], at(-50));
    assert.ok(streak.open.failing);
    const p = plan([cj], [stuck], at(65), {known: {[KEY]: streak.watermark}, attention: [streak]});
    assert.deepEqual(pods(p), ['stuck:backup-10:uid-backup-10:batch']);
  });
  it('an ignored CronJob: nothing is fetched', () => {
    const p = plan([cj], [stuck], at(65), undefined, {ignore: true});
    assert.deepEqual(pods(p), []);
  });
  it('already explained when it opened: not fetched again', () => {
    const opened = recordAfter(cj, [stuck], at(65));
    const explained: SubjectRecord = {
      ...opened,
      open: {
        ...opened.open,
        'running-too-long': {...opened.open['running-too-long']!, podDetail: 'ImagePullBackOff'},
      },
    };
    // Three hours on, it blocked more runs: evaluated, but its Pods are not fetched again.
    const later = plan([cj], [stuck], at(185), {known: {[KEY]: null}, attention: [explained]});
    assert.ok(entry(later));
    assert.deepEqual(pods(later), []);
    // Not explained yet: fetched.
    const unexplained = plan([cj], [stuck], at(185), {known: {[KEY]: null}, attention: [opened]});
    assert.deepEqual(pods(unexplained), ['stuck:backup-10:uid-backup-10:batch']);
  });
});

describe('the log of the run that opens an incident', () => {
  const quiet = cronJob({schedule: QUIET_SCHEDULE});
  const f = (n: number) => failedJob({name: `backup-${n}`, scheduled: n});
  const ok = (n: number) => succeededJob({name: `backup-${n}`, scheduled: n});
  const logOf = (p: ClusterPlan) => {
    const log = entry(p)?.log;
    return log === null || log === undefined ? null : `${log.job.name}:${log.lines}`;
  };
  const cases: Array<{
    name: string;
    jobs: JobInfo[];
    stored: Stored;
    log: string | null;
    pods: string[];
  }> = [
    {
      name: 'first sight, the latest run failed: its log',
      jobs: [f(10), ok(20), f(30)],
      stored: {},
      log: 'backup-30:20',
      pods: ['backup-10', 'backup-30'],
    },
    {
      name: 'first sight, two failures: only the latest counts, its log',
      jobs: [f(10), f(20)],
      stored: {},
      log: 'backup-20:20',
      pods: ['backup-10', 'backup-20'],
    },
    {
      name: 'first sight, the latest run succeeded: no log (nothing opens)',
      jobs: [f(10), ok(20)],
      stored: {},
      log: null,
      pods: [],
    },
    {
      name: 'known: the first failure after the last success',
      jobs: [f(10), ok(20), f(30), f(40)],
      stored: {known: {[KEY]: null}},
      log: 'backup-30:20',
      // backup-10 opens and backup-20 closes an incident reported as recovered.
      pods: ['backup-10', 'backup-30', 'backup-40'],
    },
    {
      name: 'more failures than Pod lookups: the opener’s log is fetched besides',
      jobs: [f(10), f(20), f(30), f(40), f(50)],
      stored: {known: {[KEY]: null}},
      log: 'backup-10:20',
      pods: ['backup-30', 'backup-40', 'backup-50', 'backup-10'],
    },
    {
      name: 'known, only successes: no log',
      jobs: [ok(10), ok(20)],
      stored: {known: {[KEY]: null}},
      log: null,
      pods: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = plan([quiet], c.jobs, at(100), c.stored, {logLines: 20});
      assert.equal(logOf(p), c.log);
      assert.deepEqual(entry(p)?.podsOf.map(r => r.name) ?? [], c.pods);
      for (const r of entry(p)?.podsOf ?? []) assert.equal(r.purpose, 'failure');
    });
  }

  it('a streak already open and no new success: no log (nothing opens)', () => {
    const open = recordAfter(quiet, [f(10)], at(15));
    const p = plan(
      [quiet],
      [f(10), f(20)],
      at(100),
      {known: {[KEY]: open.watermark}, attention: [open]},
      {logLines: 20},
    );
    assert.equal(logOf(p), null);
    assert.deepEqual(
      entry(p)?.podsOf.map(r => r.name),
      ['backup-20'],
    );
  });

  it('Pods of failures after the record’s own mark only', () => {
    const open = recordAfter(quiet, [f(10), f(20)], at(25));
    const p = plan([quiet], [f(10), f(20), f(30)], at(100), {
      known: {[KEY]: null},
      attention: [open],
    });
    assert.deepEqual(
      entry(p)?.podsOf.map(r => r.name),
      ['backup-30'],
    );
  });
});

describe('the due time the Jobs ran for', () => {
  // Last started (per status) at 10:00: 11:00 and 12:00 would be missed by 12:11.
  const cj = cronJob({lastScheduleTime: at(0), lastSuccessfulTime: at(2)});
  const missedCount = (jobs: JobInfo[]) => {
    const p = plan([cj], jobs, at(131));
    const e = entry(p);
    if (e === undefined || e.view.type !== 'cronjob') return 0;
    return (
      decideSubject(null, e.view, e.policy, at(131), e.knownWatermark)?.record.open.missed
        ?.missedRuns ?? 0
    );
  };
  it('the newest scheduled time of several Jobs, whatever their order', () => {
    const j11 = succeededJob({name: 'backup-11', scheduled: 60});
    const j12 = succeededJob({name: 'backup-12', scheduled: 120});
    const j10 = succeededJob({name: 'backup-10', scheduled: 0});
    assert.equal(missedCount([j12, j11, j10]), 0);
    assert.equal(missedCount([j10, j12, j11]), 0);
    assert.equal(missedCount([j10, j11]), 1);
  });
  it('a Job without the scheduled-time annotation (before 1.28): its creation time', () => {
    const j12 = {...succeededJob({name: 'backup-12', scheduled: 120}), scheduledAt: null};
    assert.equal(missedCount([j12]), 0);
  });
  it('a Job with no usable time at all could be any due time’s run: nothing is missed', () => {
    const timeless: JobInfo = {
      ...runningJob({name: 'backup-x', scheduled: 0}),
      scheduledAt: null,
      createdAt: null,
      startedAt: null,
    };
    assert.equal(missedCount([timeless]), 0);
    assert.equal(missedCount([succeededJob({name: 'backup-10', scheduled: 0})]), 2);
  });
});

describe('what the plan counts and closes', () => {
  const a = cronJob({uid: 'uid-a', name: 'a', schedule: QUIET_SCHEDULE});
  const b = cronJob({uid: 'uid-b', name: 'b', schedule: QUIET_SCHEDULE});
  const openOf = (name: string): SubjectRecord => {
    const base = blankRecord(
      CLUSTER,
      {type: 'cronjob', namespace: 'batch', name, uid: `uid-${name}`, schedule: QUIET_SCHEDULE},
      at(0),
    );
    const run = {
      job: `${name}-1`,
      jobUid: `uid-${name}-1`,
      manual: false,
      at: at(5).toISOString(),
      reason: null,
      message: null,
      detail: null,
    };
    return {
      ...base,
      open: {
        failing: {
          kind: 'failing',
          id: `uid-${name}/uid-${name}-1`,
          openedAt: run.at,
          closedAt: null,
          ending: null,
          openedBy: run,
          latestFailure: run,
          failedRuns: 1,
        },
      },
    };
  };

  it('counts every CronJob seen', () => {
    assert.equal(plan([a, b], [], at(100), {}).cronJobsSeen, 2);
  });

  it('a cluster that could not be read plans no CronJob, even with a snapshot', () => {
    const p = plan(
      [a],
      [failedJob({name: 'a-1', scheduled: 0, cronJobUid: 'uid-a'})],
      at(100),
      {},
      {},
      {
        read: {ok: false, code: 'FORBIDDEN', message: 'no'},
      },
    );
    assert.deepEqual(
      p.evaluate.map(e => e.key),
      [CLUSTER_RECORD_KEY],
    );
    assert.equal(p.cronJobsSeen, 0);
  });

  it('a record with no index entry is decided from the record, not as a first sight', () => {
    // Its streak is open; the latest run succeeded: it closes (a first sight would only
    // record a starting point).
    const record = openOf('a');
    const fixed = succeededJob({name: 'a-2', scheduled: 60, cronJobUid: 'uid-a'});
    const p = plan([a], [fixed], at(100), {attention: [record]});
    const e = entry(p, 'batch/a');
    assert.ok(e && e.view.type === 'cronjob');
    assert.deepEqual(p.baselines, []);
    const d = decideSubject(record, e.view, e.policy, at(100), e.knownWatermark);
    assert.deepEqual(
      d?.changes.map(c => c.kind),
      ['closed'],
    );
  });

  const deletedCases: Array<{
    name: string;
    present: CronJobInfo[];
    attention: SubjectRecord[];
    problems?: ObjectProblem[];
    namespaces?: string[];
    deleted: string[];
  }> = [
    {
      name: 'an open incident whose CronJob is gone',
      present: [b],
      attention: [openOf('a')],
      deleted: ['batch/a'],
    },
    {name: 'its CronJob is there', present: [a], attention: [openOf('a')], deleted: []},
    {
      name: 'nothing open: nothing to close',
      present: [b],
      attention: [{...openOf('a'), open: {}}],
      deleted: [],
    },
    {
      name: 'the cluster’s own record is no CronJob',
      present: [b],
      attention: [{...openOf('a'), subject: {type: 'cluster'}}],
      deleted: [],
    },
    {
      name: 'its CronJob could not be parsed this pass: not gone',
      present: [b],
      attention: [openOf('a')],
      problems: [
        {kind: 'CronJob', namespace: 'batch', name: 'a', cronJobUid: null, problem: 'bad'},
      ],
      deleted: [],
    },
    {
      name: 'another CronJob could not be parsed: this one is still gone',
      present: [b],
      attention: [openOf('a')],
      problems: [
        {kind: 'CronJob', namespace: 'batch', name: 'c', cronJobUid: null, problem: 'bad'},
      ],
      deleted: ['batch/a'],
    },
    {
      name: 'a CronJob of that name in another namespace could not be parsed: still gone',
      present: [b],
      attention: [openOf('a')],
      problems: [
        {kind: 'CronJob', namespace: 'other', name: 'a', cronJobUid: null, problem: 'bad'},
      ],
      deleted: ['batch/a'],
    },
    {
      name: 'a Job that could not be parsed proves nothing about CronJobs',
      present: [b],
      attention: [openOf('a')],
      problems: [{kind: 'Job', namespace: 'batch', name: null, cronJobUid: null, problem: 'bad'}],
      deleted: ['batch/a'],
    },
    {
      name: 'a CronJob that could not even be named could be any: nothing is gone',
      present: [b],
      attention: [openOf('a')],
      problems: [
        {kind: 'CronJob', namespace: 'batch', name: null, cronJobUid: null, problem: 'bad'},
      ],
      deleted: [],
    },
    {
      name: 'a namespace the pass does not watch',
      present: [b],
      attention: [openOf('a')],
      namespaces: ['other'],
      deleted: [],
    },
  ];
  for (const c of deletedCases) {
    it(`deleted: ${c.name}`, () => {
      const p = plan(
        c.present,
        [],
        at(100),
        {attention: c.attention},
        {},
        {
          problems: c.problems ?? [],
          namespaces: c.namespaces ?? ['batch', 'other'],
        },
      );
      assert.deepEqual(p.deleted, c.deleted);
    });
  }
});
