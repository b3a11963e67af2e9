/**
 * A record whose watermark is older than its index entry (the entry was written later, e.g. by
 * a re-baseline) starts from the newer mark — in the decision, and in everything the plan asks
 * for before it: whether to look at the CronJob at all, whose Pods to fetch, which log to quote.
 * Runs between the two marks were accounted for already; asking about them costs requests and
 * quotes the log of a run that opens nothing.
 *
 * Times are minutes after T0 (2026-03-01T10:00Z). The schedule never fires (QUIET_SCHEDULE), so
 * only the failing streak has something to say. Failures at 10:05, 11:05 and 13:05.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {decideSubject, notification} from '../../functions/core/decide.js';
import {blankRecord, type RunMark, type SubjectRecord} from '../../functions/core/incident.js';
import type {MissedIncident} from '../../functions/core/detections/missed/incident.js';
import type {JobInfo} from '../../functions/core/model.js';
import {planCluster, type ClusterPlan} from '../../functions/core/plan.js';
import type {Policy} from '../../functions/core/policy.js';
import {finishedRunsOf} from '../../functions/core/verdict.js';
import {at, cronJob, failedJob, QUIET_SCHEDULE} from './builders.js';

const CLUSTER = 'kubeconfig/test';
const KEY = 'batch/backup';
const POLICY: Policy = {
  clusterDownAfter: 3,
  missedGraceMs: null,
  maxDurationMs: null,
  logLines: 50,
};
const CRONJOB = cronJob({schedule: QUIET_SCHEDULE});
const mark = (minutes: number, job: string): RunMark => ({atMs: at(minutes).getTime(), job});

const f10 = failedJob({name: 'backup-10', scheduled: 0});
const f11 = failedJob({name: 'backup-11', scheduled: 60});
const f13 = failedJob({name: 'backup-13', scheduled: 180});

// A missed incident closed earlier whose closing message is still owed: it keeps the record
// loaded every pass (needsAttention) without any failing state of its own.
const closedMissed: MissedIncident = {
  kind: 'missed',
  id: 'missed:cj-uid@2026-03-01T09:00:00.000Z',
  openedAt: '2026-03-01T09:00:00.000Z',
  closedAt: '2026-03-01T09:30:00.000Z',
  ending: {type: 'started', at: '2026-03-01T09:30:00.000Z'},
  schedule: QUIET_SCHEDULE,
  timeZone: 'UTC',
  firstDueAt: '2026-03-01T09:00:00.000Z',
  latestDueAt: '2026-03-01T09:00:00.000Z',
  missedRuns: 1,
  lastStartedAt: null,
};

function record(watermark: RunMark | null): SubjectRecord {
  const subject = {
    type: 'cronjob' as const,
    namespace: 'batch',
    name: 'backup',
    uid: 'cj-uid',
    schedule: QUIET_SCHEDULE,
  };
  return {
    ...blankRecord(CLUSTER, subject, at(-60)),
    watermark,
    outbox: [notification('closed', closedMissed, at(-30))],
  };
}

function plan(stored: SubjectRecord, index: RunMark | null, jobs: JobInfo[]): ClusterPlan {
  return planCluster(
    {
      clusterId: CLUSTER,
      read: {ok: true},
      snapshot: {
        cluster: {id: CLUSTER, name: 'test', project: null, location: null},
        cronJobs: [CRONJOB],
        jobs,
        problems: [],
      },
      namespaces: null,
    },
    {known: new Map([[KEY, {watermark: index}]]), attention: new Map([[KEY, stored]])},
    () => POLICY,
    at(240),
  );
}

describe('a record older than its index entry starts from the entry', () => {
  const cases: Array<{
    name: string;
    record: RunMark | null;
    index: RunMark | null;
    jobs: JobInfo[];
    /** Null: the plan leaves the CronJob alone. */
    expect: {pods: string[]; log: string | null; opens: string | null} | null;
  }> = [
    {
      name: 'a new failure after the entry: its Pods and its log, nothing older',
      record: mark(5, 'backup-10'),
      index: mark(65, 'backup-11'),
      jobs: [f10, f11, f13],
      expect: {pods: ['backup-13'], log: 'backup-13', opens: 'backup-13'},
    },
    {
      name: 'no record mark at all: the same',
      record: null,
      index: mark(65, 'backup-11'),
      jobs: [f10, f11, f13],
      expect: {pods: ['backup-13'], log: 'backup-13', opens: 'backup-13'},
    },
    {
      name: 'nothing after the entry: the CronJob is not even looked at',
      record: mark(5, 'backup-10'),
      index: mark(65, 'backup-11'),
      jobs: [f10, f11],
      expect: null,
    },
    {
      name: 'the record newer than the entry: the record',
      record: mark(65, 'backup-11'),
      index: mark(5, 'backup-10'),
      jobs: [f10, f11, f13],
      expect: {pods: ['backup-13'], log: 'backup-13', opens: 'backup-13'},
    },
    {
      name: 'the entry holds no mark: the record',
      record: mark(5, 'backup-10'),
      index: null,
      jobs: [f10, f11, f13],
      expect: {pods: ['backup-11', 'backup-13'], log: 'backup-11', opens: 'backup-11'},
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const stored = record(c.record);
      const p = plan(stored, c.index, c.jobs);
      const e = p.evaluate.find(x => x.key === KEY);
      if (c.expect === null) {
        assert.equal(e, undefined);
        // …and indeed deciding would change nothing.
        const view = {
          type: 'cronjob' as const,
          clusterId: CLUSTER,
          cronJob: CRONJOB,
          runs: finishedRunsOf(c.jobs, at(240).getTime()),
          running: [],
          latestScheduledJobAt: null,
        };
        assert.equal(decideSubject(stored, view, POLICY, at(240), c.index), null);
        return;
      }
      assert.ok(e && e.view.type === 'cronjob');
      assert.deepEqual(
        e.podsOf.map(r => r.name),
        c.expect.pods,
      );
      assert.equal(e.log?.job.name ?? null, c.expect.log);
      const d = decideSubject(stored, e.view, e.policy, at(240), e.knownWatermark);
      assert.equal(d?.record.open.failing?.openedBy.job ?? null, c.expect.opens);
    });
  }
});
