/**
 * The run history at its edges (issue 27, aimed at mutants of run-history.ts that
 * run-history.test.ts let live): durations that cannot be known, the clock-skew and watermark
 * boundaries, the order of runs that share a time or have none, and which runs the statistics
 * count. Every expected value is written out from the rules in the module's comments and
 * issue 23 ("scheduled time, start, duration, outcome"; a duration needs a start and a finish).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {JobInfo} from '../../functions/core/model.js';
import {
  medianOf,
  missedRun,
  p95Of,
  recentRunOf,
  runsToRecord,
  successfulDurations,
  withRecentRuns,
  type RecentRun,
} from '../../functions/core/run-history.js';
import {finishedRunsOf, MAX_CLOCK_SKEW_MS, type OrderedRun} from '../../functions/core/verdict.js';
import {at, succeededJob} from './builders.js';

const MIN = 60_000;
const iso = (minutes: number) => at(minutes).toISOString();

/** The one run these Jobs make, placed at `seenAt` when it has no time of its own. */
function onlyRun(job: JobInfo, seenAt = at(500)): OrderedRun {
  const runs = finishedRunsOf([job], seenAt.getTime());
  assert.equal(runs.length, 1);
  return runs[0]!;
}

describe('recentRunOf: durations that cannot be known', () => {
  it('no finish time anywhere (the run is placed where it was seen): no duration', () => {
    const done = succeededJob({name: 'x-1', scheduled: 0, after: 4});
    const job: JobInfo = {
      ...done,
      completedAt: null,
      conditions: done.conditions.map(c => ({...c, lastTransitionTime: null})),
    };
    assert.deepEqual(recentRunOf(onlyRun(job)), {
      job: 'x-1',
      outcome: 'succeeded',
      scheduledAt: iso(0),
      startedAt: iso(0),
      durationMs: null,
    });
  });

  it('a manual run with neither a start nor a due time: no duration', () => {
    const job: JobInfo = {
      ...succeededJob({name: 'x-m', scheduled: 0, after: 4, manual: true}),
      scheduledAt: null,
      startedAt: null,
    };
    assert.deepEqual(recentRunOf(onlyRun(job)), {
      job: 'x-m',
      outcome: 'succeeded',
      scheduledAt: null,
      startedAt: null,
      durationMs: null,
      manual: true,
    });
  });

  it('finished before it started (skewed clocks): a duration of zero, never negative', () => {
    const job: JobInfo = {...succeededJob({name: 'x-2', scheduled: 0, after: 4}), startedAt: at(6)};
    assert.equal(recentRunOf(onlyRun(job)).durationMs, 0);
  });
});

describe('runsToRecord: the boundaries', () => {
  // A success due at minute 0 that took 5 minutes: its mark is minute 5.
  const runs = finishedRunsOf([succeededJob({name: 'y-0', scheduled: 0, after: 5})]);
  const names = (watermark: {atMs: number; job: string} | null, now: number) =>
    runsToRecord(runs, watermark, new Date(now)).map(r => r.verdict.job);

  it(`a run exactly ${MAX_CLOCK_SKEW_MS / MIN} minutes in the future is skew, and recorded`, () => {
    assert.deepEqual(names(null, at(5).getTime() - MAX_CLOCK_SKEW_MS), ['y-0']);
  });
  it('a millisecond further is a broken clock: not recorded yet', () => {
    assert.deepEqual(names(null, at(5).getTime() - MAX_CLOCK_SKEW_MS - 1), []);
  });
  it('the run the watermark names is accounted for', () => {
    assert.deepEqual(names({atMs: at(5).getTime(), job: 'y-0'}, at(60).getTime()), []);
  });
  it('a run at the watermark time, with a later name, is after it', () => {
    assert.deepEqual(names({atMs: at(5).getTime(), job: 'y-'}, at(60).getTime()), ['y-0']);
  });
});

const run = (job: string, scheduled: number | null, started: number | null): RecentRun => ({
  job,
  outcome: 'succeeded',
  scheduledAt: scheduled === null ? null : iso(scheduled),
  startedAt: started === null ? null : iso(started),
  durationMs: MIN,
});

describe('withRecentRuns: order and duplicates', () => {
  const cases: Array<{name: string; stored: RecentRun[]; added: RecentRun[]; jobs: string[]}> = [
    {
      name: 'ordered by due time, not by start (a late start keeps its place)',
      stored: [run('due-60', 60, 70)],
      added: [run('due-65', 65, 65)],
      jobs: ['due-60', 'due-65'],
    },
    {
      name: 'a manual run (no due time) is placed by its start',
      stored: [run('due-0', 0, 0), run('due-120', 120, 120)],
      added: [run('manual', null, 90)],
      jobs: ['due-0', 'manual', 'due-120'],
    },
    {
      name: 'a run with no time at all goes last',
      stored: [run('due-0', 0, 0)],
      added: [run('no-time', null, null), run('due-60', 60, 60)],
      jobs: ['due-0', 'due-60', 'no-time'],
    },
    {
      name: 'runs of the same time keep the order they came in: stored, then added',
      stored: [run('b-stored', 60, 60), run('c-stored', null, 60)],
      added: [run('a-added', null, 60)],
      jobs: ['b-stored', 'c-stored', 'a-added'],
    },
    {
      name: 'runs with no time at all keep the order they came in',
      stored: [run('z-first', null, null)],
      added: [run('m-second', null, null), run('a-third', null, null)],
      jobs: ['z-first', 'm-second', 'a-third'],
    },
    {
      name: 'a Job twice in one batch is added once',
      stored: [],
      added: [run('twice', 0, 0), run('twice', 0, 0)],
      jobs: ['twice'],
    },
    {
      name: 'a first missed due time in an empty history',
      stored: [],
      added: [missedRun(at(0))],
      jobs: [''],
    },
    {
      name: 'a missed due time already there, after a run, is not added again',
      stored: [run('a', 0, 0), missedRun(at(60))],
      added: [missedRun(at(60))],
      jobs: ['a', ''],
    },
    {
      name: 'two different missed due times are both kept',
      stored: [missedRun(at(0))],
      added: [missedRun(at(60))],
      jobs: ['', ''],
    },
  ];
  for (const c of cases) {
    it(c.name, () =>
      assert.deepEqual(
        withRecentRuns(c.stored, c.added).map(r => r.job),
        c.jobs,
      ),
    );
  }

  it('nothing added: the history as it was', () => {
    const stored = [run('a', 0, 0), missedRun(at(60))];
    assert.deepEqual(withRecentRuns(stored, []), stored);
  });

  it('the two missed due times are the ones given', () => {
    assert.deepEqual(
      withRecentRuns([missedRun(at(0))], [missedRun(at(60))]).map(r => r.scheduledAt),
      [iso(0), iso(60)],
    );
  });
});

describe('the statistics count successful runs with a known duration only', () => {
  const history: RecentRun[] = [
    {...run('ok-1', 0, 0), durationMs: 4 * MIN},
    {...run('failed', 60, 60), outcome: 'failed', durationMs: 50 * MIN},
    {...run('unknown', 120, 120), durationMs: null},
    missedRun(at(180)),
    {...run('ok-2', 240, 240), durationMs: 2 * MIN},
  ];
  it('successfulDurations', () => {
    assert.deepEqual(successfulDurations(history), [4 * MIN, 2 * MIN]);
  });

  const table: Array<[number[], number, number]> = [
    // Sorted first: [1, 2, 7, 9] → (2 + 7) / 2; nearest rank ceil(0.95 × 4) = 4th.
    [[9, 2, 7, 1], 5, 9],
    // Even count whose middle two are odd apart: (2 + 3) / 2 = 2.5, rounded to 3 ms.
    [[3, 1, 2, 4], 3, 4],
    // Unsorted odd count: middle of [1, 2, 3, 8, 10] is 3; ceil(0.95 × 5) = 5th.
    [[10, 3, 1, 8, 2], 3, 10],
    // Nearest rank of 40 values: ceil(0.95 × 40) = 38th.
    [Array.from({length: 40}, (_, i) => 40 - i), 21, 38],
  ];
  for (const [values, median, p95] of table) {
    it(`${values.length > 10 ? `${values.length} values` : values.join(',')}: median ${median}, p95 ${p95}`, () => {
      assert.equal(medianOf(values), median);
      assert.equal(p95Of(values), p95);
    });
  }
});
