/** The run history: what a finished run becomes, how runs merge, and the statistics. */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  medianOf,
  missedRun,
  p95Of,
  recentRunOf,
  RECENT_RUNS_LIMIT,
  runsToRecord,
  withRecentRuns,
  type RecentRun,
} from '../../functions/core/run-history.js';
import {finishedRunsOf} from '../../functions/core/verdict.js';
import {at, failedJob, succeededJob} from './builders.js';

const iso = (minutes: number) => at(minutes).toISOString();
const ok = (name: string, scheduled: number, durationMin: number): RecentRun => ({
  job: name,
  outcome: 'succeeded',
  scheduledAt: iso(scheduled),
  startedAt: iso(scheduled),
  durationMs: durationMin * 60_000,
});

describe('recentRunOf', () => {
  it('a success: due, start, duration from start to completion', () => {
    const [run] = finishedRunsOf([succeededJob({name: 'a-1', scheduled: 60, after: 12})]);
    assert.deepEqual(recentRunOf(run!), ok('a-1', 60, 12));
  });

  it('a failure: its duration runs to the Failed condition', () => {
    const [run] = finishedRunsOf([failedJob({name: 'a-2', scheduled: 0, after: 7})]);
    assert.deepEqual(recentRunOf(run!), {...ok('a-2', 0, 7), outcome: 'failed'});
  });

  it('a manual run is marked; it has no due time', () => {
    const job = {
      ...succeededJob({name: 'a-m', scheduled: 0, after: 3, manual: true}),
      scheduledAt: null,
    };
    const [run] = finishedRunsOf([job]);
    assert.deepEqual(recentRunOf(run!), {...ok('a-m', 0, 3), scheduledAt: null, manual: true});
  });

  it('no start time: the duration counts from the due time', () => {
    const job = {...succeededJob({name: 'a-3', scheduled: 0, after: 4}), startedAt: null};
    const [run] = finishedRunsOf([job]);
    assert.deepEqual(recentRunOf(run!), {...ok('a-3', 0, 4), startedAt: null});
  });
});

describe('withRecentRuns', () => {
  const cases: Array<{name: string; stored: RecentRun[]; added: RecentRun[]; jobs: string[]}> = [
    {
      name: 'appends, oldest first',
      stored: [ok('a', 0, 1)],
      added: [ok('b', 60, 1)],
      jobs: ['a', 'b'],
    },
    {
      name: 'a Job already there is not added twice',
      stored: [ok('a', 0, 1)],
      added: [ok('a', 0, 2)],
      jobs: ['a'],
    },
    {
      name: 'sorted by due time',
      stored: [ok('b', 60, 1)],
      added: [ok('a', 0, 1)],
      jobs: ['a', 'b'],
    },
    {
      name: 'a missed due time sits in its place',
      stored: [ok('a', 0, 1), ok('c', 120, 1)],
      added: [missedRun(at(60))],
      jobs: ['a', '', 'c'],
    },
    {
      name: 'a missed due time is recorded once',
      stored: [missedRun(at(60))],
      added: [missedRun(at(60))],
      jobs: [''],
    },
    {
      name: 'a missed due time a late run ran for gives way to that run',
      stored: [missedRun(at(60))],
      added: [ok('b', 60, 1)],
      jobs: ['b'],
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

  it(`keeps the newest ${RECENT_RUNS_LIMIT}`, () => {
    const stored = Array.from({length: RECENT_RUNS_LIMIT}, (_, i) => ok(`r${i}`, i * 60, 1));
    const merged = withRecentRuns(stored, [ok('new', 9999, 1)]);
    assert.equal(merged.length, RECENT_RUNS_LIMIT);
    assert.equal(merged[0]?.job, 'r1');
    assert.equal(merged.at(-1)?.job, 'new');
  });
});

describe('runsToRecord', () => {
  const runs = finishedRunsOf([
    succeededJob({name: 'a-0', scheduled: 0}),
    succeededJob({name: 'a-60', scheduled: 60}),
    succeededJob({name: 'a-future', scheduled: 60 * 24}),
  ]);
  it('the runs after the watermark, none in the future beyond clock skew', () => {
    const names = runsToRecord(runs, {atMs: at(5).getTime(), job: 'a-0'}, at(70)).map(
      r => r.verdict.job,
    );
    assert.deepEqual(names, ['a-60']);
  });
  it('all of them without a watermark; none already recorded', () => {
    const names = runsToRecord(runs, null, at(70), [ok('a-0', 0, 5)]).map(r => r.verdict.job);
    assert.deepEqual(names, ['a-60']);
  });
});

describe('median and p95', () => {
  const table: Array<[number[], number | null, number | null]> = [
    [[], null, null],
    [[5], 5, 5],
    [[1, 3], 2, 3],
    [[9, 1, 5], 5, 9],
    // Nearest rank: ceil(0.95 × 20) = 19th of 20.
    [Array.from({length: 20}, (_, i) => i + 1), 11, 19],
  ];
  for (const [values, median, p95] of table) {
    it(`${JSON.stringify(values)} → ${median}, ${p95}`, () => {
      assert.equal(medianOf(values), median);
      assert.equal(p95Of(values), p95);
    });
  }
});
