/**
 * The fallback chains of a Job's times and reasons when some are missing (a broken proxy, a
 * hand-made object, an older controller), one missing field at a time. Every time in a case is
 * distinct, so each expectation names the one field the rule in verdict.ts picks:
 *
 * - a failure's time: the Failed condition's, else FailureTarget's; else (approximate) the
 *   completion, start, scheduled, creation time, in that order. Its reason and message: the
 *   Failed condition's, else FailureTarget's. It was decided at FailureTarget's time, else when
 *   it finished.
 * - a success's time: `status.completionTime`, else Complete's, else SuccessCriteriaMet's, else
 *   the same stand-ins. It was decided at SuccessCriteriaMet's time, else when it finished.
 * - a run started at its scheduled time, else its creation, else `status.startTime`; its
 *   outcome happened when it was decided, else finished, else when it started.
 * - the latest run of a CronJob is the one started last; a Job with no time at all is older
 *   than any Job with one.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {JobCondition, JobInfo, RunVerdict} from '../../functions/core/model.js';
import {
  cronJobStatusOf,
  finishedRunsOf,
  judgeJob,
  outcomeMs,
  runStartMs,
} from '../../functions/core/verdict.js';
import {at, cronJob} from './builders.js';

// Distinct minutes after T0, one per field, so a wrong pick shows.
const CREATED = 1;
const SCHEDULED = 2;
const STARTED = 3;
const COMPLETED = 40;
const FAILED_AT = 41;
const TARGET_AT = 42;
const COMPLETE_AT = 43;
const CRITERIA_AT = 44;

type Times = Partial<Record<'created' | 'scheduled' | 'started' | 'completed', number | null>>;

function job(conditions: JobCondition[], times: Times = {}, name = 'backup-1'): JobInfo {
  const time = (m: number | null | undefined, fallback: number) =>
    m === null ? null : at(m ?? fallback);
  return {
    uid: `uid-${name}`,
    namespace: 'batch',
    name,
    cronJobUid: 'cj-uid',
    manual: false,
    createdAt: time(times.created, CREATED),
    scheduledAt: time(times.scheduled, SCHEDULED),
    startedAt: time(times.started, STARTED),
    completedAt: times.completed === undefined ? null : time(times.completed, COMPLETED),
    suspended: false,
    conditions,
  };
}

function cond(
  type: string,
  minute: number | null,
  reason: string | null = null,
  message: string | null = null,
  status = 'True',
): JobCondition {
  return {type, status, reason, message, lastTransitionTime: minute === null ? null : at(minute)};
}

const min = (d: Date | null) => (d === null ? null : (d.getTime() - at(0).getTime()) / 60_000);

interface Expect {
  outcome: RunVerdict['outcome'];
  finished: number | null;
  decided: number | null;
  approximate: boolean;
  reason?: string | null;
  message?: string | null;
}

function check(j: JobInfo, want: Expect): void {
  const v = judgeJob(j);
  assert.equal(v.outcome, want.outcome, 'outcome');
  assert.equal(min(v.finishedAt), want.finished, 'finishedAt');
  assert.equal(min(v.decidedAt), want.decided, 'decidedAt');
  assert.equal(v.approximateTime === true, want.approximate, 'approximateTime');
  if (want.reason !== undefined) assert.equal(v.reason, want.reason, 'reason');
  if (want.message !== undefined) assert.equal(v.message, want.message, 'message');
}

describe('a failed Job: its time, reason and message, field by field', () => {
  const cases: Array<{name: string; job: JobInfo; want: Expect}> = [
    {
      name: 'Failed and FailureTarget with times: finished at Failed, decided at FailureTarget',
      job: job([
        cond('FailureTarget', TARGET_AT, 'FromTarget', 'target says'),
        cond('Failed', FAILED_AT, 'FromFailed', 'failed says'),
      ]),
      want: {
        outcome: 'failed',
        finished: FAILED_AT,
        decided: TARGET_AT,
        approximate: false,
        reason: 'FromFailed',
        message: 'failed says',
      },
    },
    {
      name: 'Failed without time, reason or message: FailureTarget’s',
      job: job([
        cond('FailureTarget', TARGET_AT, 'FromTarget', 'target says'),
        cond('Failed', null),
      ]),
      want: {
        outcome: 'failed',
        finished: TARGET_AT,
        decided: TARGET_AT,
        approximate: false,
        reason: 'FromTarget',
        message: 'target says',
      },
    },
    {
      name: 'Failed alone, no reason or message: none, decided when it failed',
      job: job([cond('Failed', FAILED_AT)], {completed: COMPLETED}),
      want: {
        outcome: 'failed',
        finished: FAILED_AT,
        decided: FAILED_AT,
        approximate: false,
        reason: null,
        message: null,
      },
    },
    {
      name: 'FailureTarget alone: it decides',
      job: job([cond('FailureTarget', TARGET_AT, 'FromTarget', 'target says')]),
      want: {
        outcome: 'failed',
        finished: TARGET_AT,
        decided: TARGET_AT,
        approximate: false,
        reason: 'FromTarget',
        message: 'target says',
      },
    },
    {
      name: 'no condition time: the completion time, approximate',
      job: job([cond('Failed', null, 'R')], {completed: COMPLETED}),
      want: {outcome: 'failed', finished: COMPLETED, decided: COMPLETED, approximate: true},
    },
    {
      name: 'no condition time, no completion: the start',
      job: job([cond('Failed', null, 'R')]),
      want: {outcome: 'failed', finished: STARTED, decided: STARTED, approximate: true},
    },
    {
      name: 'no start either: the scheduled time',
      job: job([cond('Failed', null, 'R')], {started: null}),
      want: {outcome: 'failed', finished: SCHEDULED, decided: SCHEDULED, approximate: true},
    },
    {
      name: 'only the creation time: it',
      job: job([cond('Failed', null, 'R')], {started: null, scheduled: null}),
      want: {outcome: 'failed', finished: CREATED, decided: CREATED, approximate: true},
    },
    {
      name: 'no time at all: none, approximate',
      job: job([cond('Failed', null, 'R')], {started: null, scheduled: null, created: null}),
      want: {outcome: 'failed', finished: null, decided: null, approximate: true},
    },
    {
      name: 'Failed with status False is no failure',
      job: job([cond('Failed', FAILED_AT, 'R', null, 'False')]),
      want: {outcome: 'running', finished: null, decided: null, approximate: false},
    },
  ];
  for (const c of cases) it(c.name, () => check(c.job, c.want));
});

describe('a succeeded Job: its time, field by field', () => {
  const cases: Array<{name: string; job: JobInfo; want: Expect}> = [
    {
      name: 'completion time first, decided at SuccessCriteriaMet',
      job: job([cond('SuccessCriteriaMet', CRITERIA_AT), cond('Complete', COMPLETE_AT)], {
        completed: COMPLETED,
      }),
      want: {outcome: 'succeeded', finished: COMPLETED, decided: CRITERIA_AT, approximate: false},
    },
    {
      name: 'no completion time: Complete’s',
      job: job([cond('SuccessCriteriaMet', CRITERIA_AT), cond('Complete', COMPLETE_AT)]),
      want: {
        outcome: 'succeeded',
        finished: COMPLETE_AT,
        decided: CRITERIA_AT,
        approximate: false,
        reason: null,
        message: null,
      },
    },
    {
      name: 'Complete without time: SuccessCriteriaMet’s',
      job: job([cond('SuccessCriteriaMet', CRITERIA_AT), cond('Complete', null)]),
      want: {outcome: 'succeeded', finished: CRITERIA_AT, decided: CRITERIA_AT, approximate: false},
    },
    {
      name: 'Complete alone: decided when it completed',
      job: job([cond('Complete', COMPLETE_AT)]),
      want: {outcome: 'succeeded', finished: COMPLETE_AT, decided: COMPLETE_AT, approximate: false},
    },
    {
      name: 'SuccessCriteriaMet alone: it decides',
      job: job([cond('SuccessCriteriaMet', CRITERIA_AT)]),
      want: {outcome: 'succeeded', finished: CRITERIA_AT, decided: CRITERIA_AT, approximate: false},
    },
    {
      name: 'Complete without time, nothing else: the start, approximate',
      job: job([cond('Complete', null)]),
      want: {outcome: 'succeeded', finished: STARTED, decided: STARTED, approximate: true},
    },
    {
      name: 'no time at all: none, approximate',
      job: job([cond('Complete', null)], {started: null, scheduled: null, created: null}),
      want: {outcome: 'succeeded', finished: null, decided: null, approximate: true},
    },
  ];
  for (const c of cases) it(c.name, () => check(c.job, c.want));
});

describe('when a run started and when its outcome happened', () => {
  const failedAt = cond('Failed', FAILED_AT, 'R');
  const cases: Array<{name: string; job: JobInfo; start: number | null; outcome: number | null}> = [
    {name: 'scheduled first', job: job([failedAt]), start: SCHEDULED, outcome: FAILED_AT},
    {
      name: 'no scheduled time: the creation',
      job: job([failedAt], {scheduled: null}),
      start: CREATED,
      outcome: FAILED_AT,
    },
    {
      name: 'neither: the start',
      job: job([cond('Failed', null, 'R')], {scheduled: null, created: null}),
      start: STARTED,
      outcome: STARTED,
    },
    {
      name: 'decided before it finished: the decision',
      job: job([cond('FailureTarget', TARGET_AT, 'R'), cond('Failed', FAILED_AT, 'R')]),
      start: SCHEDULED,
      outcome: TARGET_AT,
    },
    {
      name: 'no time at all: none',
      job: job([cond('Failed', null, 'R')], {scheduled: null, created: null, started: null}),
      start: null,
      outcome: null,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const v = judgeJob(c.job);
      const toMin = (ms: number | null) => (ms === null ? null : min(new Date(ms)));
      assert.equal(toMin(runStartMs(v, c.job)), c.start);
      assert.equal(toMin(outcomeMs(v, c.job)), c.outcome);
    });
  }

  it('without the Job: the verdict’s own scheduled, then start time', () => {
    const toMin = (ms: number | null) => (ms === null ? null : min(new Date(ms)));
    const scheduled = judgeJob(job([cond('Failed', null, 'R')]));
    assert.equal(toMin(runStartMs(scheduled)), SCHEDULED);
    const unscheduled = judgeJob(job([cond('Failed', null, 'R')], {scheduled: null}));
    assert.equal(toMin(runStartMs(unscheduled)), STARTED);
    const timeless = judgeJob(
      job([cond('Failed', null, 'R')], {scheduled: null, created: null, started: null}),
    );
    assert.equal(runStartMs(timeless), null);
    assert.equal(outcomeMs(timeless), null);
  });

  it('a finished Job with no time at all counts only with the pass’s clock', () => {
    const timeless = job([cond('Failed', null, 'R')], {
      scheduled: null,
      created: null,
      started: null,
    });
    assert.deepEqual(finishedRunsOf([timeless]), []);
    const [run] = finishedRunsOf([timeless], at(99).getTime());
    assert.equal(run?.atMs, at(99).getTime());
    assert.equal(run?.verdict.approximateTime, true);
  });
});

describe('the latest run of a CronJob', () => {
  const running = (name: string, times: Times) => job([], times, name);
  const timeless = running('backup-z', {scheduled: null, created: null, started: null});
  const timed = running('backup-a', {});

  it('a Job with no time at all, alone: it', () => {
    assert.equal(cronJobStatusOf(cronJob(), [timeless]).lastRun?.job, 'backup-z');
  });

  it('a Job with a time wins over one with none, whatever the order and names', () => {
    assert.equal(cronJobStatusOf(cronJob(), [timeless, timed]).lastRun?.job, 'backup-a');
    assert.equal(cronJobStatusOf(cronJob(), [timed, timeless]).lastRun?.job, 'backup-a');
  });

  it('started later by creation, though its start says otherwise', () => {
    const early = running('backup-b', {scheduled: null, created: 10, started: 30});
    const late = running('backup-a', {scheduled: null, created: 20, started: 25});
    assert.equal(cronJobStatusOf(cronJob(), [late, early]).lastRun?.job, 'backup-a');
    assert.equal(cronJobStatusOf(cronJob(), [early, late]).lastRun?.job, 'backup-a');
  });
});
