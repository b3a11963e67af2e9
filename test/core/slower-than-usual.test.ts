/**
 * The slower-than-usual detection as a table: (stored record × what the cluster shows × now) →
 * what changes, through `decideSubject` as a pass decides. Times are minutes after T0; the
 * history holds five successful runs of 10 minutes, so "usual" is 10m and the limit
 * max(3 × 10m, 1.5 × 10m, 10m + 5m) = 30m. The schedule is yearly, so running-too-long never
 * fires unless `max-duration` says so.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {decideSubject, type Decision} from '../../functions/core/decide.js';
import type {CronJobView} from '../../functions/core/detector.js';
import {
  blankRecord,
  type SlowerThanUsualIncident,
  type SubjectRecord,
} from '../../functions/core/incident.js';
import {defaultPolicy, type Policy} from '../../functions/core/policy.js';
import type {JobInfo} from '../../functions/core/model.js';
import type {RecentRun} from '../../functions/core/run-history.js';
import {finishedRunsOf, judgeJob} from '../../functions/core/verdict.js';
import {
  at,
  cronJob as cronJobOf,
  failedJob,
  QUIET_SCHEDULE,
  runningJob,
  succeededJob,
} from './builders.js';

const cronJob = () => cronJobOf({schedule: QUIET_SCHEDULE});

const CLUSTER = 'kubeconfig/test';
const iso = (minutes: number) => at(minutes).toISOString();
const RUN_AT = 1000;
const SLOW = runningJob({name: 'b-1000', scheduled: RUN_AT});

/** `n` successful runs of `minutes` each, hourly before `RUN_AT`. */
function usual(n: number, minutes = 10): RecentRun[] {
  return Array.from({length: n}, (_, i) => {
    const due = RUN_AT - (n - i) * 60;
    return {
      job: `b-${due}`,
      outcome: 'succeeded' as const,
      scheduledAt: iso(due),
      startedAt: iso(due),
      durationMs: minutes * 60_000,
    };
  });
}

function record(runs: RecentRun[], open?: SlowerThanUsualIncident): SubjectRecord {
  const cj = cronJob();
  const blank = blankRecord(
    CLUSTER,
    {type: 'cronjob', namespace: cj.namespace, name: cj.name, uid: cj.uid, schedule: cj.schedule},
    at(0),
  );
  const last = runs.at(-1);
  return {
    ...blank,
    runs,
    watermark:
      last === undefined ? null : {atMs: Date.parse(last.scheduledAt!) + 600_000, job: last.job},
    open: open === undefined ? {} : {'slower-than-usual': open},
  };
}

const OPEN: SlowerThanUsualIncident = {
  kind: 'slower-than-usual',
  id: `slower-than-usual:uid-b-1000`,
  openedAt: iso(RUN_AT + 30),
  closedAt: null,
  ending: null,
  job: 'b-1000',
  jobUid: 'uid-b-1000',
  manual: false,
  startedAt: iso(RUN_AT),
  usualMs: 600_000,
  limitMs: 1_800_000,
};

function view(jobs: JobInfo[]): CronJobView {
  return {
    type: 'cronjob',
    clusterId: CLUSTER,
    cronJob: cronJob(),
    runs: finishedRunsOf(jobs),
    running: jobs.map(judgeJob).filter(v => v.outcome === 'running'),
    latestScheduledJobAt: at(RUN_AT),
  };
}

const changes = (d: Decision | null) => d?.changes.map(c => `${c.incidentKind}:${c.kind}`) ?? [];

interface Case {
  name: string;
  stored: SubjectRecord;
  jobs: JobInfo[];
  now: number;
  policy?: Partial<Policy>;
  expect: string[];
  /** The open slower-than-usual incident after it, when one is expected. */
  open?: Partial<SlowerThanUsualIncident>;
  /** The ending of the closed one. */
  ending?: {type: string; succeeded?: boolean};
}

const cases: Case[] = [
  {
    name: 'four successful runs: nothing is usual yet',
    stored: record(usual(4)),
    jobs: [SLOW],
    now: RUN_AT + 120,
    expect: [],
  },
  {
    name: 'five: at 30m the run is still within the limit',
    stored: record(usual(5)),
    jobs: [SLOW],
    now: RUN_AT + 30,
    expect: [],
  },
  {
    name: 'five: at 31m it opens, "running 31m, usually 10m"',
    stored: record(usual(5)),
    jobs: [SLOW],
    now: RUN_AT + 31,
    expect: ['slower-than-usual:opened'],
    open: {openedAt: iso(RUN_AT + 30), usualMs: 600_000, limitMs: 1_800_000},
  },
  {
    name: 'varied runs: 1.5 × p95 is the later limit',
    // Median 10m; p95 of [10,10,10,10,10,40] is 40m → 60m; 3 × median 30m.
    stored: record([
      ...usual(5),
      {...usual(1, 40)[0]!, job: 'b-long', scheduledAt: iso(RUN_AT - 30)},
    ]),
    jobs: [SLOW],
    now: RUN_AT + 59,
    expect: [],
  },
  {
    name: 'short runs: median + 5 minutes is the later limit',
    // Median 1m: 3m, 1.5m or 6m → 6m.
    stored: record(usual(5, 1)),
    jobs: [SLOW],
    now: RUN_AT + 7,
    expect: ['slower-than-usual:opened'],
    open: {limitMs: 360_000, usualMs: 60_000},
  },
  {
    name: 'turned off by duration-anomalies: "off"',
    stored: record(usual(5)),
    jobs: [SLOW],
    now: RUN_AT + 120,
    policy: {durationAnomalies: false},
    expect: [],
  },
  {
    name: 'open, still running: nothing new',
    stored: record(usual(5), OPEN),
    jobs: [SLOW],
    now: RUN_AT + 90,
    expect: [],
  },
  {
    name: 'open, the run succeeded: closed, saying how long it took',
    stored: record(usual(5), OPEN),
    jobs: [succeededJob({name: 'b-1000', scheduled: RUN_AT, after: 47})],
    now: RUN_AT + 50,
    expect: ['slower-than-usual:closed'],
    ending: {type: 'finished', succeeded: true},
  },
  {
    name: 'open, the run failed: the failing streak continues its thread',
    stored: record(usual(5), OPEN),
    jobs: [failedJob({name: 'b-1000', scheduled: RUN_AT, after: 47})],
    now: RUN_AT + 50,
    expect: ['failing:opened', 'slower-than-usual:closed'],
    ending: {type: 'finished', succeeded: false},
  },
  {
    name: 'open, the Job was deleted: closed as gone',
    stored: record(usual(5), OPEN),
    jobs: [],
    now: RUN_AT + 50,
    expect: ['slower-than-usual:closed'],
    ending: {type: 'job-gone'},
  },
  {
    name: 'the max-duration limit is reached in the same pass: running-too-long speaks alone',
    stored: record(usual(5)),
    jobs: [SLOW],
    now: RUN_AT + 45,
    policy: {maxDurationMs: 40 * 60_000},
    expect: ['running-too-long:opened'],
  },
  {
    name: 'slower-than-usual open, then the max-duration limit: it keeps the story alone',
    stored: record(usual(5), OPEN),
    jobs: [SLOW],
    now: RUN_AT + 45,
    policy: {maxDurationMs: 40 * 60_000},
    expect: [],
  },
];

describe('slower-than-usual', () => {
  for (const c of cases) {
    it(c.name, () => {
      const policy = {...defaultPolicy(3), ...c.policy};
      const decision = decideSubject(c.stored, view(c.jobs), policy, at(c.now), c.stored.watermark);
      assert.deepEqual(changes(decision).sort(), [...c.expect].sort());
      const after = decision?.record ?? c.stored;
      if (c.open !== undefined) {
        const open = after.open['slower-than-usual'];
        assert.ok(open);
        for (const [key, value] of Object.entries(c.open)) {
          assert.deepEqual(open[key as keyof SlowerThanUsualIncident], value, key);
        }
      }
      if (c.ending !== undefined) {
        const closed = after.history.find(i => i.kind === 'slower-than-usual');
        assert.equal(closed?.ending?.type, c.ending.type);
        if (c.ending.succeeded !== undefined) {
          assert.equal(
            closed?.ending?.type === 'finished' && closed.ending.succeeded,
            c.ending.succeeded,
          );
        }
        if (c.ending.type === 'finished' && c.ending.succeeded === false) {
          assert.equal(after.open.failing?.continues, OPEN.id, 'the failure continues its thread');
          assert.equal(after.outbox.filter(n => n.incident.kind === 'slower-than-usual').length, 0);
        }
      }
    });
  }
});
