/**
 * The plan of a cluster's pass, as a table: what the cluster shows × what is stored → which
 * subjects are evaluated, baselined, explained (Pods fetched) or closed as deleted.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {ClusterReadOutcome} from '../../functions/core/cluster-read.js';
import {decideSubject} from '../../functions/core/decide.js';
import {
  CLUSTER_RECORD_KEY,
  keyOfSubject,
  type RunMark,
  type SubjectRecord,
} from '../../functions/core/incident.js';
import type {CronJobInfo, JobInfo, ObjectProblem} from '../../functions/core/model.js';
import {planCluster, type StoredCluster} from '../../functions/core/plan.js';
import {finishedRunsOf} from '../../functions/core/verdict.js';
import {at, cronJob, failedJob, QUIET_SCHEDULE, runningJob, succeededJob} from './builders.js';

const CLUSTER = 'kubeconfig/test';
const POLICY = {clusterDownAfter: 3, missedGraceMs: null, maxDurationMs: null};
const UP: ClusterReadOutcome = {ok: true};
const DOWN: ClusterReadOutcome = {ok: false, code: 'FORBIDDEN', message: 'no'};
const NOW = at(1000);

/** A CronJob named `name` (namespace `batch`) with uid `uid-<name>`. */

function cj(name: string, overrides: Partial<CronJobInfo> = {}): CronJobInfo {
  return cronJob({uid: `uid-${name}`, name, schedule: QUIET_SCHEDULE, ...overrides});
}
function jobsOf(name: string, ...jobs: JobInfo[]): JobInfo[] {
  return jobs.map(j => ({
    ...j,
    name: `${name}-${j.name}`,
    uid: `uid-${name}-${j.name}`,
    cronJobUid: `uid-${name}`,
  }));
}
const ok = (scheduled: number) => succeededJob({name: `ok${scheduled}`, scheduled});
const ko = (scheduled: number) => failedJob({name: `ko${scheduled}`, scheduled});
const busy = (scheduled: number) => runningJob({name: `run${scheduled}`, scheduled});

/** The record a decision over `jobs` leaves for CronJob `name` (opening already delivered). */
function recordAfter(name: string, jobs: JobInfo[]): SubjectRecord {
  const decision = decideSubject(
    null,
    {
      type: 'cronjob',
      clusterId: CLUSTER,
      cronJob: cj(name),
      runs: finishedRunsOf(jobs),
      running: [],
      latestScheduledJobAt: null,
    },
    POLICY,
    at(900),
    undefined,
  );
  assert.ok(decision);
  return {...decision.record, outbox: []};
}
function markOf(name: string, job: JobInfo): RunMark {
  const run = finishedRunsOf(jobsOf(name, job))[0];
  assert.ok(run);
  return {atMs: run.atMs, job: run.verdict.job};
}

interface Case {
  name: string;
  read?: ClusterReadOutcome;
  cronJobs: CronJobInfo[];
  jobs: JobInfo[];
  problems?: ObjectProblem[];
  known?: Record<string, RunMark | null>;
  attention?: SubjectRecord[];
  namespaces?: string[] | null;
  expect: {evaluate: string[]; baselines?: string[]; deleted?: string[]; podsOf?: string[]};
}

const openA = recordAfter('a', jobsOf('a', ko(0)));
const clusterDown: SubjectRecord = {
  ...recordAfter('x', []),
  subject: {type: 'cluster'},
  readFailures: {count: 1, since: at(0).toISOString(), lastError: 'FORBIDDEN: no'},
};

const CASES: Case[] = [
  {
    name: 'first sight: healthy and never-run CronJobs are baselined, a failing one evaluated',
    cronJobs: [cj('a'), cj('b'), cj('c')],
    jobs: [...jobsOf('a', ok(0)), ...jobsOf('b', ok(0), ko(60))],
    expect: {evaluate: ['batch/b'], baselines: ['batch/a', 'batch/c'], podsOf: ['b-ko60']},
  },
  {
    name: 'first sight: an old failure followed by a success is history',
    cronJobs: [cj('a')],
    jobs: jobsOf('a', ko(0), ok(60)),
    expect: {evaluate: [], baselines: ['batch/a']},
  },
  {
    name: 'known and quiet: nothing to do (a quiet pass writes nothing)',
    cronJobs: [cj('a')],
    jobs: jobsOf('a', ok(0), busy(996)),
    known: {'batch/a': markOf('a', ok(0))},
    expect: {evaluate: []},
  },
  {
    // Its history (in the record, not loaded) may call it slower than usual: a read, no write.
    name: 'known, a run going for more than 5 minutes: evaluated',
    cronJobs: [cj('a')],
    jobs: jobsOf('a', ok(0), busy(994)),
    known: {'batch/a': markOf('a', ok(0))},
    expect: {evaluate: ['batch/a']},
  },
  {
    name: 'known, a new failure after the watermark: evaluated, its Pods fetched',
    cronJobs: [cj('a')],
    jobs: jobsOf('a', ok(0), ko(60)),
    known: {'batch/a': markOf('a', ok(0))},
    expect: {evaluate: ['batch/a'], podsOf: ['a-ko60']},
  },
  {
    name: 'known, a new success with nothing open: evaluated (it goes into the history)',
    cronJobs: [cj('a')],
    jobs: jobsOf('a', ok(0), ok(60)),
    known: {'batch/a': markOf('a', ok(0))},
    expect: {evaluate: ['batch/a']},
  },
  {
    name: 'open incident, a success arrives: evaluated, no Pods to fetch',
    cronJobs: [cj('a')],
    jobs: jobsOf('a', ko(0), ok(60)),
    known: {'batch/a': openA.watermark},
    attention: [openA],
    expect: {evaluate: ['batch/a']},
  },
  {
    name: 'open incident, its Job still the newest: nothing to do',
    cronJobs: [cj('a')],
    jobs: jobsOf('a', ko(0), busy(60)),
    known: {'batch/a': openA.watermark},
    attention: [openA],
    expect: {evaluate: []},
  },
  {
    name: 'open incident, the success is known only from lastSuccessfulTime: evaluated',
    cronJobs: [cj('a', {lastSuccessfulTime: at(70)})],
    jobs: [],
    known: {'batch/a': openA.watermark},
    attention: [openA],
    expect: {evaluate: ['batch/a']},
  },
  {
    name: 'more than three new failures: only the newest three are explained',
    cronJobs: [cj('a')],
    jobs: jobsOf('a', ok(0), ko(60), ko(120), ko(180), ko(240)),
    known: {'batch/a': markOf('a', ok(0))},
    expect: {evaluate: ['batch/a'], podsOf: ['a-ko120', 'a-ko180', 'a-ko240']},
  },
  {
    name: 'a CronJob with an unreadable Job is held, the others judged',
    cronJobs: [cj('a'), cj('b')],
    jobs: [...jobsOf('a', ko(0)), ...jobsOf('b', ko(0))],
    problems: [{kind: 'Job', namespace: 'batch', name: 'a-bad', problem: 'x', cronJobUid: 'uid-a'}],
    expect: {evaluate: ['batch/b'], podsOf: ['b-ko0']},
  },
  {
    name: 'the CronJob of an open incident is gone from a complete read: deleted',
    cronJobs: [cj('b')],
    jobs: [],
    known: {'batch/a': openA.watermark, 'batch/b': null},
    attention: [openA],
    expect: {evaluate: [], deleted: ['batch/a']},
  },
  {
    name: 'gone, but some CronJob could not even be named: nothing is deleted',
    cronJobs: [],
    jobs: [],
    problems: [{kind: 'CronJob', namespace: null, name: null, problem: 'no metadata'}],
    attention: [openA],
    expect: {evaluate: [], deleted: []},
  },
  {
    name: 'gone, but it is the CronJob that could not be parsed: not deleted',
    cronJobs: [],
    jobs: [],
    problems: [{kind: 'CronJob', namespace: 'batch', name: 'a', problem: 'bad schedule'}],
    attention: [openA],
    expect: {evaluate: [], deleted: []},
  },
  {
    name: 'gone from a namespace this pass does not watch: not deleted',
    cronJobs: [],
    jobs: [],
    attention: [openA],
    namespaces: ['other'],
    expect: {evaluate: [], deleted: []},
  },
  {
    name: 'an unreadable cluster: only its own record is evaluated, nothing deleted',
    read: DOWN,
    cronJobs: [],
    jobs: [],
    attention: [openA],
    expect: {evaluate: [CLUSTER_RECORD_KEY], deleted: []},
  },
  {
    name: 'readable again after failed reads: the cluster record is evaluated',
    cronJobs: [],
    jobs: [],
    attention: [clusterDown],
    expect: {evaluate: [CLUSTER_RECORD_KEY]},
  },
];

describe('planCluster', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const stored: StoredCluster = {
        known: new Map(Object.entries(c.known ?? {}).map(([k, w]) => [k, {watermark: w}])),
        attention: new Map((c.attention ?? []).map(r => [keyOfSubject(r.subject), r])),
      };
      const read = c.read ?? UP;
      const plan = planCluster(
        {
          clusterId: CLUSTER,
          read,
          snapshot: read.ok
            ? {
                cluster: {id: CLUSTER, name: 'test', project: null, location: null},
                cronJobs: c.cronJobs,
                jobs: c.jobs,
                problems: c.problems ?? [],
              }
            : null,
          namespaces: c.namespaces ?? null,
        },
        stored,
        () => POLICY,
        NOW,
      );
      assert.deepEqual(
        plan.evaluate.map(e => e.key),
        c.expect.evaluate,
      );
      if (c.expect.baselines) {
        assert.deepEqual(
          plan.baselines.map(b => b.key),
          c.expect.baselines,
        );
      }
      if (c.expect.deleted) assert.deepEqual(plan.deleted, c.expect.deleted);
      assert.deepEqual(
        plan.evaluate.flatMap(e => e.podsOf.map(p => p.name)),
        c.expect.podsOf ?? [],
      );
      assert.equal(plan.problems.length, c.problems?.length ?? 0);
    });
  }

  it('a baseline records the latest finished run as the starting point', () => {
    const plan = planCluster(
      {
        clusterId: CLUSTER,
        read: UP,
        snapshot: {
          cluster: {id: CLUSTER, name: 'test', project: null, location: null},
          cronJobs: [cj('a')],
          jobs: jobsOf('a', ko(0), ok(60), busy(120)),
          problems: [],
        },
        namespaces: null,
      },
      {known: new Map(), attention: new Map()},
      () => POLICY,
      NOW,
    );
    assert.deepEqual(plan.baselines, [
      {key: 'batch/a', cronJobUid: 'uid-a', watermark: markOf('a', ok(60))},
    ]);
  });
});
