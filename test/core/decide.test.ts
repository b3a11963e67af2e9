import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  decideDeleted,
  decideSubject,
  subjectMayChange,
  type Decision,
} from '../../functions/core/decide.js';
import type {CronJobView} from '../../functions/core/detector.js';
import {
  needsAttention,
  type FailingIncident,
  type Incident,
  type RunMark,
  type SubjectRecord,
} from '../../functions/core/incident.js';
import type {CronJobInfo, JobInfo} from '../../functions/core/model.js';
import {finishedRunsOf} from '../../functions/core/verdict.js';
import {at, cronJob, failedJob, QUIET_SCHEDULE, runningJob, succeededJob} from './builders.js';

const CLUSTER = 'projects/p/locations/europe-west1/clusters/prod';
const POLICY = {clusterDownAfter: 3, missedGraceMs: null, maxDurationMs: null};
type CronJobRecord = SubjectRecord;

function view(jobs: JobInfo[], overrides: Partial<CronJobInfo> = {}): CronJobView {
  return {
    type: 'cronjob',
    clusterId: CLUSTER,
    cronJob: cronJob({schedule: QUIET_SCHEDULE, ...overrides}),
    runs: finishedRunsOf(jobs),
    running: [],
    latestScheduledJobAt: null,
  };
}

function decide(
  record: SubjectRecord | null,
  observation: CronJobView,
  now: Date,
  known?: {watermark: RunMark | null},
): Decision | null {
  return decideSubject(record, observation, POLICY, now, known?.watermark);
}

function run(record: CronJobRecord | null, jobs: JobInfo[], nowMinutes = 1000): Decision | null {
  return decide(record, view(jobs), at(nowMinutes));
}

/** The incident as a failing streak (every incident of a CronJob record here is one). */
function failing(incident: Incident | undefined): FailingIncident | undefined {
  if (incident === undefined) return undefined;
  assert.equal(incident.kind, 'failing');
  return incident.kind === 'failing' ? incident : undefined;
}

/** The run that closed an incident, when a run did. */
function closingRun(incident: Incident | undefined) {
  return incident?.ending?.type === 'succeeded' ? incident.ending.run : undefined;
}

/** Applies passes in sequence, as the store would, and returns every decision. */
function passes(steps: JobInfo[][]): {
  record: CronJobRecord | null;
  decisions: (Decision | null)[];
} {
  let record: CronJobRecord | null = null;
  const decisions: (Decision | null)[] = [];
  steps.forEach((jobs, i) => {
    const decision = run(record, jobs, 1000 + i);
    decisions.push(decision);
    if (decision !== null) record = decision.record;
  });
  return {record, decisions};
}

function kinds(decision: Decision | null): string[] {
  return decision?.changes.map(c => c.kind) ?? [];
}

const f1 = failedJob({name: 'backup-100', scheduled: 0, reason: 'BackoffLimitExceeded'});
const f2 = failedJob({
  name: 'backup-200',
  scheduled: 60,
  reason: 'DeadlineExceeded',
  message: 'Job was active longer than specified deadline',
});
const s3 = succeededJob({name: 'backup-300', scheduled: 120, after: 7});
const f4 = failedJob({name: 'backup-400', scheduled: 180});
const manualFix = succeededJob({name: 'backup-manual-x1', scheduled: 90, manual: true, after: 3});
const running = runningJob({name: 'backup-500', scheduled: 240});
const oldSuccess = succeededJob({name: 'backup-050', scheduled: -60});

describe('decide: first sight (no record)', () => {
  const cases: {
    name: string;
    jobs: JobInfo[];
    expect: string[];
    open: boolean;
    pending: string[];
  }[] = [
    {name: 'never ran', jobs: [], expect: [], open: false, pending: []},
    {name: 'only running', jobs: [running], expect: [], open: false, pending: []},
    {name: 'latest succeeded', jobs: [oldSuccess], expect: [], open: false, pending: []},
    {
      name: 'latest failed',
      jobs: [oldSuccess, f1],
      expect: ['opened'],
      open: true,
      pending: ['opened'],
    },
    {
      name: 'old failure then success: history',
      jobs: [f1, s3],
      expect: [],
      open: false,
      pending: [],
    },
    {
      name: 'failed, running now',
      jobs: [f1, running],
      expect: ['opened'],
      open: true,
      pending: ['opened'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const decision = run(null, c.jobs);
      assert.deepEqual(kinds(decision), c.expect);
      assert.equal(decision?.record.open.failing !== undefined, c.open);
      assert.deepEqual(
        decision?.record.outbox.map(n => n.kind),
        c.pending,
      );
    });
  }
});

describe('decide: transitions over passes', () => {
  it('opens at the failure time from the cluster, not when noticed', () => {
    const {decisions, record} = passes([[oldSuccess], [oldSuccess, f1]]);
    assert.deepEqual(kinds(decisions[1] ?? null), ['opened']);
    assert.equal(failing(record?.open.failing)?.openedAt, '2026-03-01T10:05:00.000Z');
    assert.equal(failing(record?.open.failing)?.openedBy.reason, 'BackoffLimitExceeded');
    assert.equal(failing(record?.open.failing)?.id, 'cj-uid/uid-backup-100');
  });

  it('a further failure keeps the same incident, counts it, remembers the latest reason, sends nothing new', () => {
    const {decisions, record} = passes([[oldSuccess], [f1], [f1, f2]]);
    assert.deepEqual(kinds(decisions[2] ?? null), ['failed-again']);
    assert.equal(failing(record?.open.failing)?.failedRuns, 2);
    assert.equal(failing(record?.open.failing)?.latestFailure.reason, 'DeadlineExceeded');
    assert.deepEqual(
      record?.outbox.map(n => n.kind),
      ['opened'],
      'still only the opening message',
    );
    assert.equal(
      record?.outbox[0]?.incident.kind === 'failing' && record?.outbox[0]?.incident.failedRuns,
      2,
      'an unsent opening message carries the latest count',
    );
  });

  it('the next success closes it; duration inputs are cluster timestamps', () => {
    const delivered = passes([[oldSuccess], [f1]]).record as CronJobRecord;
    const sent = {...delivered, outbox: []};
    const decision = run(sent, [f1, f2, s3]);
    assert.deepEqual(kinds(decision), ['failed-again', 'closed']);
    const closed = decision?.record.history.at(-1);
    assert.equal(closed?.openedAt, '2026-03-01T10:05:00.000Z');
    assert.equal(closed?.closedAt, '2026-03-01T12:07:00.000Z');
    assert.equal(failing(closed)?.failedRuns, 2);
    assert.equal(closingRun(closed)?.job, 'backup-300');
    assert.equal(decision?.record.open.failing, undefined);
    assert.deepEqual(
      decision?.record.outbox.map(n => n.kind),
      ['closed'],
    );
  });

  it('a failure that happened and recovered between two passes is reported once, as recovered', () => {
    const {decisions, record} = passes([[oldSuccess], [oldSuccess, f1, s3], [oldSuccess, f1, s3]]);
    assert.deepEqual(kinds(decisions[1] ?? null), ['recovered']);
    assert.deepEqual(
      record?.outbox.map(n => n.kind),
      ['recovered'],
    );
    assert.equal(decisions[2], null, 'seeing the same runs again changes nothing');
  });

  it('history never re-alerts: a kept failed Job after a later success changes nothing', () => {
    const closedAndSent = run({...(passes([[f1]]).record as CronJobRecord), outbox: []}, [f1, s3]);
    const record = {...(closedAndSent?.record as CronJobRecord), outbox: []};
    assert.equal(run(record, [f1, s3]), null);
    const later = succeededJob({name: 'backup-350', scheduled: 150});
    const recorded = run(record, [f1, s3, later]);
    assert.deepEqual(recorded?.changes, [], 'a later success is only recorded in the history');
    assert.equal(recorded?.record.runs.at(-1)?.job, 'backup-350');
    assert.equal(run(recorded?.record ?? null, [f1, s3, later]), null);
  });

  it('a run already counted is not counted again', () => {
    const {record} = passes([[oldSuccess], [f1]]);
    assert.equal(run(record, [f1]), null);
    assert.equal(run(record, [oldSuccess, f1, running]), null);
  });

  it('a running Job changes nothing', () => {
    const {record} = passes([[f1]]);
    assert.equal(run(record, [f1, running]), null);
  });

  it('a manual run that succeeds closes the incident and says so', () => {
    const {record} = passes([[f1]]);
    const decision = run({...(record as CronJobRecord), outbox: []}, [f1, manualFix]);
    assert.deepEqual(kinds(decision), ['closed']);
    assert.equal(closingRun(decision?.record.history.at(-1))?.manual, true);
    assert.equal(closingRun(decision?.record.history.at(-1))?.job, 'backup-manual-x1');
  });

  it('fail, recover, fail again in one pass: one recovered incident and a new open one', () => {
    const {decisions, record} = passes([[oldSuccess], [oldSuccess, f1, s3, f4]]);
    assert.deepEqual(kinds(decisions[1] ?? null), ['recovered', 'opened']);
    assert.equal(failing(record?.open.failing)?.openedBy.job, 'backup-400');
    assert.deepEqual(
      record?.outbox.map(n => n.kind),
      ['recovered', 'opened'],
    );
  });

  it('closing while the opening message is claimed by a sender adds a closing message instead', () => {
    const {record} = passes([[f1]]);
    const claimed: CronJobRecord = {
      ...(record as CronJobRecord),
      outbox: (record as CronJobRecord).outbox.map(n => ({
        ...n,
        claim: {by: 'other-pass', until: at(5000).toISOString()},
      })),
    };
    const decision = run(claimed, [f1, s3]);
    assert.deepEqual(
      decision?.record.outbox.map(n => n.kind),
      ['opened', 'closed'],
    );
  });

  it('an expired claim does not block merging into one message', () => {
    const {record} = passes([[f1]]);
    const stale: CronJobRecord = {
      ...(record as CronJobRecord),
      outbox: (record as CronJobRecord).outbox.map(n => ({
        ...n,
        claim: {by: 'dead-pass', until: at(10).toISOString()},
      })),
    };
    assert.deepEqual(
      run(stale, [f1, s3])?.record.outbox.map(n => n.kind),
      ['recovered'],
    );
  });

  it('a failure with the zero time still orders by its start and opens at a real time', () => {
    const zero = failedJob({name: 'backup-600', scheduled: 300, reason: 'ManuallyTerminated'});
    const withZero: JobInfo = {
      ...zero,
      conditions: zero.conditions.map(c => ({...c, lastTransitionTime: null})),
    };
    const decision = run(passes([[s3]]).record, [s3, withZero]);
    assert.deepEqual(kinds(decision), ['opened']);
    assert.equal(failing(decision?.record.open.failing)?.openedAt, at(300).toISOString());
    assert.equal(failing(decision?.record.open.failing)?.openedBy.reason, 'ManuallyTerminated');
  });

  it('a baseline without a record: later runs are news, the baselined ones are history', () => {
    const obs = (jobs: JobInfo[]) => view(jobs);
    const baseline = {watermark: {atMs: finishedRunsOf([f1])[0]!.atMs, job: f1.name}};
    assert.equal(
      decide(null, obs([f1]), at(1000), baseline),
      null,
      'the baselined run changes nothing',
    );
    const recorded = decide(null, obs([f1, s3]), at(1000), baseline);
    assert.deepEqual(recorded?.changes, [], 'a success with nothing open changes no incident');
    assert.deepEqual(
      recorded?.record.runs.map(r => r.job),
      [s3.name],
      'it is recorded in the history, the baselined run is not',
    );
    assert.deepEqual(kinds(decide(null, obs([f1, f4]), at(1000), baseline)), ['opened']);
    assert.deepEqual(kinds(decide(null, obs([f1, f2, s3]), at(1000), baseline)), ['recovered']);
    assert.deepEqual(kinds(decide(null, obs([oldSuccess, f1]), at(1000), {watermark: null})), [
      'opened',
    ]);
  });

  it('deterministic: the same inputs give the same record', () => {
    assert.deepEqual(run(null, [oldSuccess, f1]), run(null, [oldSuccess, f1]));
  });
});

describe('mayChange (the read-free pre-check) never misses a change decide would make', () => {
  const histories: JobInfo[][] = [
    [],
    [running],
    [oldSuccess],
    [f1],
    [f1, s3],
    [oldSuccess, f1, s3, f4],
    [f1, manualFix],
    [s3, f4, running],
  ];
  for (const first of histories) {
    for (const second of histories) {
      it(`${first.map(j => j.name).join('+') || 'none'} → ${second.map(j => j.name).join('+') || 'none'}`, () => {
        const record = run(null, first)?.record ?? null;
        const decision = run(record, second);
        const predicted = subjectMayChange(
          view(second),
          {
            watermark: record?.watermark,
            record: record !== null && needsAttention(record) ? record : undefined,
          },
          POLICY,
          at(1001),
        );
        if (decision !== null) assert.equal(predicted, true);
      });
    }
  }
});

describe('decideDeleted: the CronJob of an open incident is gone', () => {
  it('closes it at the time it was noticed, saying why', () => {
    const record = {...(run(null, [f1])?.record as CronJobRecord), outbox: []};
    const decision = decideDeleted(record, at(2000));
    assert.deepEqual(kinds(decision), ['closed']);
    const closed = decision?.record.history.at(-1);
    assert.equal(closed?.closedAt, at(2000).toISOString());
    assert.deepEqual(closed?.ending, {type: 'cronjob-deleted', at: at(2000).toISOString()});
    assert.equal(decision?.record.open.failing, undefined);
  });
  it('an unsent opening message becomes one message saying both', () => {
    const record = run(null, [f1])?.record as CronJobRecord;
    assert.deepEqual(
      decideDeleted(record, at(2000))?.record.outbox.map(n => n.kind),
      ['recovered'],
    );
  });
  it('nothing open, nothing to do', () => {
    assert.equal(decideDeleted(run(null, [s3])?.record ?? null, at(2000)), null);
    assert.equal(decideDeleted(null, at(2000)), null);
  });
});

describe('decide: review findings (times that move, stale records, broken clocks, vanished Jobs)', () => {
  const obs = view;
  /** A failed Job as first seen on 1.31+: FailureTarget only, pods still terminating. */
  function targetOnly(job: JobInfo): JobInfo {
    return {...job, conditions: job.conditions.filter(c => c.type === 'FailureTarget')};
  }
  /** The same Job once the controller added Failed, a little later than FailureTarget. */
  function failedLater(job: JobInfo, minutes: number): JobInfo {
    return {
      ...job,
      conditions: job.conditions.map(c =>
        c.type === 'Failed' ? {...c, lastTransitionTime: at(minutes)} : c,
      ),
    };
  }

  it('a Job seen with FailureTarget, then with Failed, counts once', () => {
    const first = decide(null, obs([oldSuccess, targetOnly(f1)]), at(10));
    assert.deepEqual(kinds(first), ['opened']);
    const second = decide(first!.record, obs([oldSuccess, failedLater(f1, 7)]), at(20));
    assert.equal(second, null);
  });

  it('FailureTarget, then a manual fix, then Failed: closed stays closed', () => {
    const first = decide(null, obs([targetOnly(f1)]), at(10))!.record;
    const fix = succeededJob({name: 'backup-manual-1', scheduled: 8, manual: true, after: 1});
    const closed = decide({...first, outbox: []}, obs([targetOnly(f1), fix]), at(12))!.record;
    assert.equal(closed.open.failing, undefined);
    assert.equal(decide({...closed, outbox: []}, obs([failedLater(f1, 15), fix]), at(20)), null);
  });

  it('a Job already counted never counts again, even with a new time', () => {
    const opened = decide(null, obs([f1]), at(10))!.record;
    const moved = failedJob({name: 'backup-100', scheduled: 0, after: 30});
    assert.equal(decide(opened, obs([moved]), at(40)), null);
  });

  it('a stale record starts from the newer watermark of its index entry', () => {
    const stale = decide(
      {...decide(null, obs([f1]), at(10))!.record, outbox: []},
      obs([f1, s3]),
      at(200),
    )!.record;
    const rebaselined = {watermark: {atMs: at(500).getTime(), job: 'backup-450'}};
    assert.equal(
      decide({...stale, watermark: null}, obs([f1, f2, s3]), at(600), rebaselined),
      null,
    );
  });

  it('a run stamped far in the future waits, and does not hide the runs before it', () => {
    const opened = {...decide(null, obs([f1]), at(10))!.record, outbox: []};
    const future = failedJob({name: 'backup-999', scheduled: 60 * 24, after: 0});
    const fixed = decide(opened, obs([f1, future, s3]), at(130));
    assert.deepEqual(kinds(fixed), ['closed']);
  });

  it('a success whose Job is already gone (ttlSecondsAfterFinished) still closes, from lastSuccessfulTime', () => {
    const opened = {...decide(null, obs([f1]), at(10))!.record, outbox: []};
    assert.equal(
      subjectMayChange(
        obs([], {lastSuccessfulTime: at(70)}),
        {watermark: opened.watermark, record: opened},
        POLICY,
        at(75),
      ),
      true,
    );
    const closed = decide(opened, obs([], {lastSuccessfulTime: at(70)}), at(75));
    assert.deepEqual(kinds(closed), ['closed']);
    assert.equal(closed?.record.history.at(-1)?.closedAt, at(70).toISOString());
    assert.equal(closed?.record.history.at(-1)?.ending?.type, 'succeeded-job-gone');
    assert.equal(
      decide({...closed!.record, outbox: []}, obs([], {lastSuccessfulTime: at(70)}), at(80)),
      null,
    );
    assert.equal(
      decide(opened, obs([f1], {lastSuccessfulTime: at(-30)}), at(75)),
      null,
      'an older success closes nothing',
    );
  });
});
