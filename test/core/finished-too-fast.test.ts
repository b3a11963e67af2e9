/**
 * The finished-too-fast detection as a table: (stored record × the runs that finished since ×
 * now) → what changes, through `decideSubject`. The history holds five successful runs of 4
 * minutes (median 4m, so shorter than 0.3 × 4m = 72s is too fast) unless a case says otherwise.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {decideSubject, type Decision} from '../../functions/core/decide.js';
import type {CronJobView} from '../../functions/core/detector.js';
import {
  blankRecord,
  type FinishedTooFastIncident,
  type SubjectRecord,
} from '../../functions/core/incident.js';
import {defaultPolicy, type Policy} from '../../functions/core/policy.js';
import type {JobInfo} from '../../functions/core/model.js';
import type {RecentRun} from '../../functions/core/run-history.js';
import {finishedRunsOf, judgeJob} from '../../functions/core/verdict.js';
import {at, cronJob as cronJobOf, failedJob, QUIET_SCHEDULE, succeededJob} from './builders.js';

const CLUSTER = 'kubeconfig/test';
const iso = (minutes: number) => at(minutes).toISOString();
const cronJob = () => cronJobOf({schedule: QUIET_SCHEDULE});
const RUN_AT = 1000;

function usual(n: number, seconds = 240): RecentRun[] {
  return Array.from({length: n}, (_, i) => {
    const due = RUN_AT - (n - i) * 60;
    return {
      job: `b-${due}`,
      outcome: 'succeeded' as const,
      scheduledAt: iso(due),
      startedAt: iso(due),
      durationMs: seconds * 1000,
    };
  });
}

/** A success `seconds` long, due at `minute`. */
function took(minute: number, seconds: number): JobInfo {
  const job = succeededJob({name: `b-${minute}`, scheduled: minute, after: 0});
  return {
    ...job,
    completedAt: new Date(at(minute).getTime() + seconds * 1000),
    conditions: job.conditions.map(c => ({
      ...c,
      lastTransitionTime: new Date(at(minute).getTime() + seconds * 1000),
    })),
  };
}

function record(runs: RecentRun[], open?: FinishedTooFastIncident): SubjectRecord {
  const cj = cronJob();
  const last = runs.at(-1);
  return {
    ...blankRecord(
      CLUSTER,
      {type: 'cronjob', namespace: cj.namespace, name: cj.name, uid: cj.uid, schedule: cj.schedule},
      at(0),
    ),
    runs,
    watermark:
      last === undefined
        ? null
        : {atMs: Date.parse(last.scheduledAt!) + last.durationMs!, job: last.job},
    open: open === undefined ? {} : {'finished-too-fast': open},
  };
}

const OPEN: FinishedTooFastIncident = {
  kind: 'finished-too-fast',
  id: 'finished-too-fast:uid-b-940',
  openedAt: new Date(at(940).getTime() + 8000).toISOString(),
  closedAt: null,
  ending: null,
  job: 'b-940',
  jobUid: 'uid-b-940',
  manual: false,
  durationMs: 8000,
  usualMs: 240_000,
  floorMs: 72_000,
  floorFrom: 'learned',
  fastRuns: 1,
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
  policy?: Partial<Policy>;
  expect: string[];
  open?: Partial<FinishedTooFastIncident>;
  closedByMs?: number;
}

const cases: Case[] = [
  {
    name: 'a usual run: only recorded',
    stored: record(usual(5)),
    jobs: [took(RUN_AT, 230)],
    expect: [],
  },
  {
    name: '8s when 4m is usual: a warning, "finished in 8s, usually 4m"',
    stored: record(usual(5)),
    jobs: [took(RUN_AT, 8)],
    expect: ['finished-too-fast:opened'],
    open: {durationMs: 8000, usualMs: 240_000, floorMs: 72_000, floorFrom: 'learned', fastRuns: 1},
  },
  {
    name: 'just at the floor (72s) is not too fast',
    stored: record(usual(5)),
    jobs: [took(RUN_AT, 72)],
    expect: [],
  },
  {
    name: 'four runs in the history: nothing is usual yet',
    stored: record(usual(4)),
    jobs: [took(RUN_AT, 8)],
    expect: [],
  },
  {
    name: 'a median under 2 minutes: short runs are not judged',
    stored: record(usual(5, 110)),
    jobs: [took(RUN_AT, 5)],
    expect: [],
  },
  {
    name: 'a failed run that was quick is the failing detection’s, not this one’s',
    stored: record(usual(5)),
    jobs: [failedJob({name: 'b-1000', scheduled: RUN_AT, after: 0})],
    expect: ['failing:opened'],
  },
  {
    name: 'min-duration: a fixed floor, even without a history',
    stored: record([]),
    jobs: [took(RUN_AT, 50)],
    policy: {minDurationMs: 60_000},
    expect: ['finished-too-fast:opened'],
    open: {floorMs: 60_000, floorFrom: 'annotation', usualMs: null},
  },
  {
    name: 'min-duration below the run: nothing, whatever the median says',
    stored: record(usual(5)),
    jobs: [took(RUN_AT, 8)],
    policy: {minDurationMs: 5_000},
    expect: [],
  },
  {
    name: 'turned off by duration-anomalies: "off"',
    stored: record(usual(5)),
    jobs: [took(RUN_AT, 8)],
    policy: {durationAnomalies: false},
    expect: [],
  },
  {
    name: 'open, another run too fast: counted, nothing sent',
    stored: record(usual(5), OPEN),
    jobs: [took(RUN_AT, 9)],
    expect: [],
    open: {fastRuns: 2},
  },
  {
    name: 'open, a run of usual length: closed',
    stored: record(usual(5), OPEN),
    jobs: [took(RUN_AT, 250)],
    expect: ['finished-too-fast:closed'],
    closedByMs: 250_000,
  },
  {
    name: 'open, a failed run: stays open (it closes on a usual success)',
    stored: record(usual(5), OPEN),
    jobs: [failedJob({name: 'b-1000', scheduled: RUN_AT, after: 4})],
    expect: ['failing:opened'],
    open: {fastRuns: 1},
  },
  {
    name: 'fast then usual in one pass: opened and closed, told once as recovered',
    stored: record(usual(5)),
    jobs: [took(RUN_AT, 8), took(RUN_AT + 60, 240)],
    expect: ['finished-too-fast:recovered'],
  },
];

describe('finished-too-fast', () => {
  for (const c of cases) {
    it(c.name, () => {
      const policy = {...defaultPolicy(3), ...c.policy};
      const decision = decideSubject(
        c.stored,
        view(c.jobs),
        policy,
        at(RUN_AT + 120),
        c.stored.watermark,
      );
      assert.deepEqual(changes(decision).sort(), [...c.expect].sort());
      const after = decision?.record ?? c.stored;
      if (c.open !== undefined) {
        const open = after.open['finished-too-fast'];
        assert.ok(open);
        for (const [key, value] of Object.entries(c.open)) {
          assert.deepEqual(open[key as keyof FinishedTooFastIncident], value, key);
        }
      }
      if (c.closedByMs !== undefined) {
        const closed = after.history.find(i => i.kind === 'finished-too-fast');
        assert.equal(closed?.kind === 'finished-too-fast' && closed.closedByMs, c.closedByMs);
        assert.equal(closed?.ending?.type, 'succeeded');
      }
      // Every new run is in the history, whatever was decided about it.
      for (const job of c.jobs)
        assert.ok(
          after.runs.some(r => r.job === job.name),
          job.name,
        );
    });
  }
});
