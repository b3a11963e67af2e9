/**
 * The two duration detections (issue 23) at their edges, aimed at mutants of their detectors
 * that slower-than-usual.test.ts and finished-too-fast.test.ts let live (issue 27): a run with no
 * start time, two slow runs at once, what a closing says, runs whose length is unknown, the exact
 * floor, and whether a pass needs to look at all. Times are minutes after T0; the expected values
 * are worked out from issue 23's rules in the comments, not read from the code.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {decideSubject, subjectMayChange, type Decision} from '../../functions/core/decide.js';
import type {CronJobView, Known} from '../../functions/core/detector.js';
import {finishedTooFast} from '../../functions/core/detections/finished-too-fast/detector.js';
import {slowerThanUsual} from '../../functions/core/detections/slower-than-usual/detector.js';
import {
  blankRecord,
  type FinishedTooFastIncident,
  type SlowerThanUsualIncident,
  type SubjectRecord,
} from '../../functions/core/incident.js';
import type {JobInfo} from '../../functions/core/model.js';
import {defaultPolicy, type Policy} from '../../functions/core/policy.js';
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

const CLUSTER = 'kubeconfig/test';
const MIN = 60_000;
const RUN_AT = 1000;
const iso = (minutes: number) => at(minutes).toISOString();
const isoMs = (ms: number) => new Date(ms).toISOString();
const cronJob = () => cronJobOf({schedule: QUIET_SCHEDULE});
const policy = (extra: Partial<Policy> = {}): Policy => ({...defaultPolicy(3), ...extra});

/** `n` successful runs of `ms` each, hourly before `RUN_AT`. */
function usual(n: number, ms: number): RecentRun[] {
  return Array.from({length: n}, (_, i) => {
    const due = RUN_AT - (n - i) * 60;
    return {
      job: `b-${due}`,
      outcome: 'succeeded' as const,
      scheduledAt: iso(due),
      startedAt: iso(due),
      durationMs: ms,
    };
  });
}

/** A record with this history, its watermark just past the last run. */
function record(runs: RecentRun[], open: SubjectRecord['open'] = {}): SubjectRecord {
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
        : {atMs: Date.parse(last.scheduledAt!) + (last.durationMs ?? 0), job: last.job},
    open,
  };
}

function view(jobs: JobInfo[], now: number): CronJobView {
  return {
    type: 'cronjob',
    clusterId: CLUSTER,
    cronJob: cronJob(),
    // As a pass does: a finished Job with no time at all is placed where it was seen.
    runs: finishedRunsOf(jobs, at(now).getTime()),
    running: jobs.map(judgeJob).filter(v => v.outcome === 'running'),
    latestScheduledJobAt: at(RUN_AT),
  };
}

const changes = (d: Decision | null) =>
  (d?.changes.map(c => `${c.incidentKind}:${c.kind}`) ?? []).sort();

function decide(stored: SubjectRecord, jobs: JobInfo[], now: number, extra?: Partial<Policy>) {
  return decideSubject(stored, view(jobs, now), policy(extra), at(now), stored.watermark);
}

/** A success due at `minute` that took `ms`. */
function took(minute: number, ms: number, name = `b-${minute}`): JobInfo {
  const job = succeededJob({name, scheduled: minute, after: 0});
  const done = new Date(at(minute).getTime() + ms);
  return {
    ...job,
    completedAt: done,
    conditions: job.conditions.map(c => ({...c, lastTransitionTime: done})),
  };
}

/** A success whose finish time no field gives (the run's length is unknown). */
function tookUnknown(minute: number): JobInfo {
  const job = succeededJob({name: `b-${minute}`, scheduled: minute, after: 0});
  return {
    ...job,
    completedAt: null,
    conditions: job.conditions.map(c => ({...c, lastTransitionTime: null})),
  };
}

describe('slower-than-usual: edges', () => {
  // Five runs of 10 minutes: usual 10m, limit max(30m, 15m, 15m) = 30m.
  const TEN = usual(5, 10 * MIN);
  const OPEN: SlowerThanUsualIncident = {
    kind: 'slower-than-usual',
    id: 'slower-than-usual:uid-b-1000',
    openedAt: iso(RUN_AT + 30),
    closedAt: null,
    ending: null,
    job: 'b-1000',
    jobUid: 'uid-b-1000',
    manual: false,
    startedAt: iso(RUN_AT),
    usualMs: 10 * MIN,
    limitMs: 30 * MIN,
  };

  it('a run whose Pod has not started counts from its due time', () => {
    const pending = {...runningJob({name: 'b-1000', scheduled: RUN_AT}), startedAt: null};
    const d = decide(record(TEN), [pending], RUN_AT + 31);
    assert.deepEqual(changes(d), ['slower-than-usual:opened']);
    const open = d?.record.open['slower-than-usual'];
    assert.equal(open?.startedAt, iso(RUN_AT));
    assert.equal(open?.openedAt, iso(RUN_AT + 30));
  });

  it('a manual run with neither a start nor a due time cannot be measured: nothing', () => {
    const job = {
      ...runningJob({name: 'b-hand', scheduled: RUN_AT, manual: true}),
      startedAt: null,
      scheduledAt: null,
    };
    assert.deepEqual(changes(decide(record(TEN), [job], RUN_AT + 120)), []);
  });

  it('two runs over the limit (Allow): the incident names the older one, with its own id', () => {
    const older = runningJob({name: 'b-1000', scheduled: RUN_AT});
    const newer = runningJob({name: 'b-1005', scheduled: RUN_AT + 5});
    const d = decide(record(TEN), [newer, older], RUN_AT + 45);
    assert.deepEqual(changes(d), ['slower-than-usual:opened']);
    const open = d?.record.open['slower-than-usual'];
    assert.equal(open?.job, 'b-1000');
    assert.equal(open?.id, 'slower-than-usual:uid-b-1000');
    assert.equal(open?.openedAt, iso(RUN_AT + 30));
  });

  it('the run succeeded: closed at its finish, the run without a failure reason', () => {
    const d = decide(
      record(TEN, {'slower-than-usual': OPEN}),
      [succeededJob({name: 'b-1000', scheduled: RUN_AT, after: 47})],
      RUN_AT + 50,
    );
    const closed = d?.record.history.find(i => i.kind === 'slower-than-usual');
    assert.equal(closed?.closedAt, iso(RUN_AT + 47));
    assert.deepEqual(closed?.ending, {
      type: 'finished',
      at: iso(RUN_AT + 47),
      run: {
        job: 'b-1000',
        jobUid: 'uid-b-1000',
        manual: false,
        at: iso(RUN_AT + 47),
        reason: null,
        message: null,
        detail: null,
      },
      succeeded: true,
    });
  });

  it('the run failed: its ending carries the failure reason and message', () => {
    const d = decide(
      record(TEN, {'slower-than-usual': OPEN}),
      [
        failedJob({
          name: 'b-1000',
          scheduled: RUN_AT,
          after: 47,
          reason: 'DeadlineExceeded',
          message: 'Job was active longer than specified deadline',
        }),
      ],
      RUN_AT + 50,
    );
    const closed = d?.record.history.find(i => i.kind === 'slower-than-usual');
    assert.ok(closed?.ending?.type === 'finished');
    assert.equal(closed.ending.succeeded, false);
    assert.equal(closed.ending.run.reason, 'DeadlineExceeded');
    assert.equal(closed.ending.run.message, 'Job was active longer than specified deadline');
  });

  it('the run finished with no time at all: closed when the pass saw it', () => {
    const job = {...tookUnknown(RUN_AT), startedAt: null, scheduledAt: null, createdAt: null};
    const d = decide(record(TEN, {'slower-than-usual': OPEN}), [job], RUN_AT + 50);
    const closed = d?.record.history.find(i => i.kind === 'slower-than-usual');
    assert.equal(closed?.closedAt, iso(RUN_AT + 50));
    assert.equal(closed?.ending?.type, 'finished');
  });

  it('open, another Job (already recorded) is seen finished: the slow run is still going', () => {
    const earlier = succeededJob({name: 'b-940', scheduled: 940, after: 10});
    const slow = runningJob({name: 'b-1000', scheduled: RUN_AT});
    assert.deepEqual(
      changes(decide(record(TEN, {'slower-than-usual': OPEN}), [earlier, slow], RUN_AT + 45)),
      [],
    );
  });

  it('open, its Job deleted while the next one runs: closed as gone', () => {
    const next = runningJob({name: 'b-1060', scheduled: RUN_AT + 60});
    const d = decide(record(TEN, {'slower-than-usual': OPEN}), [next], RUN_AT + 61);
    assert.deepEqual(changes(d), ['slower-than-usual:closed']);
    assert.equal(d?.record.history.at(-1)?.ending?.type, 'job-gone');
  });

  it('turned off in DETECTIONS: a slow run opens nothing', () => {
    const slow = runningJob({name: 'b-1000', scheduled: RUN_AT});
    const d = decide(record(TEN), [slow], RUN_AT + 45, {disabled: ['slower-than-usual']});
    assert.deepEqual(changes(d), []);
  });

  it('the Job was deleted: closed as gone when the pass saw it', () => {
    const d = decide(record(TEN, {'slower-than-usual': OPEN}), [], RUN_AT + 50);
    const closed = d?.record.history.find(i => i.kind === 'slower-than-usual');
    assert.deepEqual(closed?.ending, {type: 'job-gone', at: iso(RUN_AT + 50)});
    assert.equal(closed?.closedAt, iso(RUN_AT + 50));
  });

  describe('mayChange with nothing loaded: is any run past median + 5 minutes, the shortest limit?', () => {
    // Known from the index only (seen before, nothing open): the history is not loaded.
    const known: Known = {watermark: null, record: undefined};
    const context = (now: Date, extra: Partial<Policy> = {}) => ({
      now,
      policy: policy(extra),
      firstSight: false,
    });
    const started = at(RUN_AT);
    const cases: Array<[string, JobInfo[], number, Partial<Policy>, boolean]> = [
      [
        'running exactly 5 minutes',
        [runningJob({name: 'b-1000', scheduled: RUN_AT})],
        5 * MIN,
        {},
        false,
      ],
      [
        'running 5 minutes and a millisecond',
        [runningJob({name: 'b-1000', scheduled: RUN_AT})],
        5 * MIN + 1,
        {},
        true,
      ],
      [
        'the same, turned off by duration-anomalies: "off"',
        [runningJob({name: 'b-1000', scheduled: RUN_AT})],
        5 * MIN + 1,
        {durationAnomalies: false},
        false,
      ],
      [
        'a run with no start or due time',
        [
          {
            ...runningJob({name: 'b-h', scheduled: RUN_AT, manual: true}),
            startedAt: null,
            scheduledAt: null,
          },
        ],
        60 * MIN,
        {},
        false,
      ],
      ['nothing running', [], 60 * MIN, {}, false],
    ];
    for (const [what, jobs, afterMs, extra, expected] of cases) {
      it(`${what}: ${expected}`, () => {
        const now = new Date(started.getTime() + afterMs);
        const v: CronJobView = {...view(jobs, RUN_AT), running: jobs.map(judgeJob)};
        assert.equal(slowerThanUsual.mayChange(v, known, context(now, extra)), expected);
      });
    }

    it('with the record loaded, exactly when evaluating it would change something', () => {
      const v = view([runningJob({name: 'b-1000', scheduled: RUN_AT})], RUN_AT);
      const loaded: Known = {watermark: null, record: record(TEN)};
      assert.equal(slowerThanUsual.mayChange(v, loaded, context(at(RUN_AT + 30))), false);
      assert.equal(slowerThanUsual.mayChange(v, loaded, context(at(RUN_AT + 31))), true);
    });
  });
});

describe('finished-too-fast: edges', () => {
  // Five runs of 4 minutes: usual 4m, floor 0.3 × 4m = 72s.
  const FOUR = usual(5, 4 * MIN);
  const OPEN: FinishedTooFastIncident = {
    kind: 'finished-too-fast',
    id: 'finished-too-fast:uid-b-940',
    openedAt: isoMs(at(940).getTime() + 8000),
    closedAt: null,
    ending: null,
    job: 'b-940',
    jobUid: 'uid-b-940',
    manual: false,
    durationMs: 8000,
    usualMs: 4 * MIN,
    floorMs: 72_000,
    floorFrom: 'learned',
    fastRuns: 1,
  };
  const NOW = RUN_AT + 120;

  it('a median of exactly 2 minutes is judged: 30s is under 0.3 × 2m = 36s', () => {
    const d = decide(record(usual(5, 2 * MIN)), [took(RUN_AT, 30_000)], NOW);
    assert.deepEqual(changes(d), ['finished-too-fast:opened']);
    const open = d?.record.open['finished-too-fast'];
    assert.equal(open?.floorMs, 36_000);
    assert.equal(open?.usualMs, 2 * MIN);
  });

  it('the opening is dated at the run’s finish, named after its Job', () => {
    const d = decide(record(FOUR), [took(RUN_AT, 8000)], NOW);
    const open = d?.record.open['finished-too-fast'];
    assert.equal(open?.openedAt, isoMs(at(RUN_AT).getTime() + 8000));
    assert.equal(open?.id, 'finished-too-fast:uid-b-1000');
    assert.equal(open?.job, 'b-1000');
  });

  for (const [what, minDurationMs] of [
    ['null', null],
    ['absent', undefined],
  ] as const) {
    it(`min-duration ${what}: the learnt floor`, () => {
      const d = decide(record(FOUR), [took(RUN_AT, 8000)], NOW, {minDurationMs});
      assert.equal(d?.record.open['finished-too-fast']?.floorFrom, 'learned');
      assert.equal(d?.record.open['finished-too-fast']?.floorMs, 72_000);
    });
  }

  it('min-duration with a history: the fixed floor, the learnt median still told', () => {
    const d = decide(record(FOUR), [took(RUN_AT, 50_000)], NOW, {minDurationMs: MIN});
    const open = d?.record.open['finished-too-fast'];
    assert.equal(open?.floorFrom, 'annotation');
    assert.equal(open?.floorMs, MIN);
    assert.equal(open?.usualMs, 4 * MIN);
  });

  it('open, a run of exactly the floor (72s) is of usual length: closed at its finish', () => {
    const d = decide(record(FOUR, {'finished-too-fast': OPEN}), [took(RUN_AT, 72_000)], NOW);
    assert.deepEqual(changes(d), ['finished-too-fast:closed']);
    const closed = d?.record.history.find(i => i.kind === 'finished-too-fast');
    assert.equal(closed?.closedAt, isoMs(at(RUN_AT).getTime() + 72_000));
    assert.ok(closed?.kind === 'finished-too-fast');
    assert.equal(closed.closedByMs, 72_000);
  });

  it('open, a success of unknown length: neither counted nor closing it', () => {
    const d = decide(record(FOUR, {'finished-too-fast': OPEN}), [tookUnknown(RUN_AT)], NOW);
    assert.deepEqual(changes(d), []);
    assert.equal(d?.record.open['finished-too-fast']?.fastRuns, 1);
    assert.deepEqual(d?.record.runs.at(-1), {
      job: 'b-1000',
      outcome: 'succeeded',
      scheduledAt: iso(RUN_AT),
      startedAt: iso(RUN_AT),
      durationMs: null,
    });
  });

  it('turned off while open: a fast run is not counted, a usual one still closes it', () => {
    const stored = record(FOUR, {'finished-too-fast': OPEN});
    const fast = decide(stored, [took(RUN_AT, 8000)], NOW, {durationAnomalies: false});
    assert.deepEqual(changes(fast), []);
    assert.equal((fast?.record ?? stored).open['finished-too-fast']?.fastRuns, 1);
    const usualRun = decide(stored, [took(RUN_AT, 4 * MIN)], NOW, {durationAnomalies: false});
    assert.deepEqual(changes(usualRun), ['finished-too-fast:closed']);
  });

  it('runs of this pass count for the ones after them: the fifth usual run makes a floor', () => {
    const d = decide(
      record(usual(4, 4 * MIN)),
      [took(RUN_AT, 4 * MIN), took(RUN_AT + 60, 8000)],
      RUN_AT + 70,
    );
    assert.deepEqual(changes(d), ['finished-too-fast:opened']);
    assert.equal(d?.record.open['finished-too-fast']?.job, 'b-1060');
  });

  it('dated at its completion, though its success was decided first (SuccessCriteriaMet)', () => {
    const decided = new Date(at(RUN_AT).getTime() + 8000);
    const completed = new Date(at(RUN_AT).getTime() + 10_000);
    const job: JobInfo = {
      ...succeededJob({name: 'b-1000', scheduled: RUN_AT, after: 0}),
      completedAt: completed,
      conditions: [
        {
          type: 'SuccessCriteriaMet',
          status: 'True',
          reason: null,
          message: null,
          lastTransitionTime: decided,
        },
        {
          type: 'Complete',
          status: 'True',
          reason: null,
          message: null,
          lastTransitionTime: completed,
        },
      ],
    };
    const d = decide(record(FOUR), [job], NOW);
    const open = d?.record.open['finished-too-fast'];
    assert.equal(open?.openedAt, completed.toISOString());
    assert.equal(open?.durationMs, 10_000);
  });

  it('turned off in DETECTIONS: a fast run opens nothing', () => {
    const d = decide(record(FOUR), [took(RUN_AT, 8000)], NOW, {disabled: ['finished-too-fast']});
    assert.deepEqual(changes(d), []);
  });

  it('open, then a usual run and a fast one in one pass: closed, and a new one opened', () => {
    const d = decide(
      record(FOUR, {'finished-too-fast': OPEN}),
      [took(RUN_AT, 4 * MIN), took(RUN_AT + 60, 8000)],
      RUN_AT + 70,
    );
    assert.deepEqual(changes(d), ['finished-too-fast:closed', 'finished-too-fast:opened']);
    const open = d?.record.open['finished-too-fast'];
    assert.equal(open?.id, 'finished-too-fast:uid-b-1060');
    assert.equal(open?.fastRuns, 1);
  });

  describe('mayChange: only a finished run after the later watermark is news', () => {
    const jobs = [took(RUN_AT, 8000)];
    const runMark = {atMs: at(RUN_AT).getTime() + 8000, job: 'b-1000'};
    const before = {atMs: at(RUN_AT - 60).getTime(), job: 'b-940'};
    const context = {now: at(NOW), policy: policy(), firstSight: false};
    const cases: Array<[string, Known, boolean]> = [
      ['never seen', {watermark: undefined, record: undefined}, true],
      ['index watermark before it, no record', {watermark: before, record: undefined}, true],
      ['index watermark at it, no record', {watermark: runMark, record: undefined}, false],
      [
        'record watermark at it, the index behind',
        {watermark: before, record: {...record(FOUR), watermark: runMark}},
        false,
      ],
      [
        'index watermark at it, the record behind',
        {watermark: runMark, record: {...record(FOUR), watermark: before}},
        false,
      ],
      [
        'both before it; the record has it in its history already',
        {
          watermark: before,
          record: {
            ...record(FOUR),
            watermark: before,
            runs: [...FOUR, {...FOUR[0]!, job: 'b-1000', scheduledAt: iso(RUN_AT)}],
          },
        },
        false,
      ],
    ];
    for (const [what, known, expected] of cases) {
      it(`${what}: ${expected}`, () =>
        assert.equal(finishedTooFast.mayChange(view(jobs, NOW), known, context), expected));
    }
  });
});

describe('subjectMayChange: a new finished run is recorded even with both duration kinds disabled', () => {
  it('a success after the watermark: true; at the watermark: false', () => {
    const disabled: Policy = policy({
      disabled: ['finished-too-fast', 'slower-than-usual', 'failing'],
    });
    const v = view([took(RUN_AT, 4 * MIN)], RUN_AT + 10);
    const mark = {atMs: at(RUN_AT).getTime() + 4 * MIN, job: 'b-1000'};
    const seenBefore = {atMs: at(RUN_AT - 60).getTime(), job: 'b-940'};
    assert.equal(
      subjectMayChange(v, {watermark: seenBefore, record: undefined}, disabled, at(RUN_AT + 10)),
      true,
    );
    assert.equal(
      subjectMayChange(v, {watermark: mark, record: undefined}, disabled, at(RUN_AT + 10)),
      false,
    );
  });
});

describe('recordRuns: every finished run and missed due time goes into the history', () => {
  it('with the failing detection off, the watermark still passes the newest of three runs; the next pass decides nothing', () => {
    const stored = record(usual(5, 4 * MIN));
    const jobs = [took(RUN_AT, 4 * MIN), took(RUN_AT + 60, 4 * MIN), took(RUN_AT + 120, 4 * MIN)];
    const extra: Partial<Policy> = {disabled: ['failing']};
    const first = decide(stored, jobs, RUN_AT + 130, extra);
    assert.deepEqual(first?.record.watermark, {atMs: at(RUN_AT + 124).getTime(), job: 'b-1120'});
    assert.deepEqual(
      first?.record.runs.slice(-3).map(r => r.job),
      ['b-1000', 'b-1060', 'b-1120'],
    );
    assert.equal(decide(first!.record, jobs, RUN_AT + 135, extra), null);
  });

  it('missed due times with no run finished: recorded, each once', () => {
    // Hourly; the last run was due at minute 0 and nothing ran since: minute 150 has missed some.
    const hourly = cronJobOf({schedule: '0 * * * *', lastScheduleTime: at(0)});
    const stored: SubjectRecord = {
      ...blankRecord(
        CLUSTER,
        {
          type: 'cronjob',
          namespace: hourly.namespace,
          name: hourly.name,
          uid: hourly.uid,
          schedule: hourly.schedule,
        },
        at(0),
      ),
      watermark: {atMs: at(0).getTime(), job: 'b-0'},
    };
    const v: CronJobView = {
      type: 'cronjob',
      clusterId: CLUSTER,
      cronJob: hourly,
      runs: [],
      running: [],
      latestScheduledJobAt: at(0),
    };
    const d = decideSubject(stored, v, policy(), at(150), stored.watermark);
    const missed = d?.record.open.missed;
    assert.ok(missed);
    const dues: string[] = [];
    for (
      let t = Date.parse(missed.firstDueAt);
      t <= Date.parse(missed.latestDueAt);
      t += 3_600_000
    ) {
      dues.push(new Date(t).toISOString());
    }
    assert.ok(dues.length > 0);
    assert.deepEqual(
      d.record.runs.map(r => [r.outcome, r.scheduledAt]),
      dues.map(due => ['missed', due]),
    );
  });
});
