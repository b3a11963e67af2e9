/**
 * `keepRuns` / `placeRun`: which of a CronJob's Jobs a read keeps, for each kind of mark, with
 * the Jobs arriving in every order. Expected sets are written out by hand from the rule in
 * ports.ts (`RunSelection`): newest finished + newest started + unfinished + finished after
 * the mark (all for null, none more for undefined).
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import type {JobInfo} from '../../functions/core/model.js';
import type {RunMark} from '../../functions/core/incident.js';
import {keepRuns, noRunsKept, placeRun} from '../../functions/core/run-keeping.js';
import {at, failedJob, runningJob, succeededJob} from './builders.js';

// Scheduled at minutes 0, 10, 20, 30; each finishes 5 minutes after its schedule.
const ok0 = succeededJob({name: 'ok-0', scheduled: 0});
const bad10 = failedJob({name: 'bad-10', scheduled: 10});
const ok20 = succeededJob({name: 'ok-20', scheduled: 20});
const running30 = runningJob({name: 'running-30', scheduled: 30});
// Finished, but with no time anywhere: it cannot be placed, so only "newest started" could keep it.
const timeless: JobInfo = {
  ...failedJob({name: 'timeless', scheduled: 0}),
  scheduledAt: null,
  createdAt: null,
  startedAt: null,
  conditions: [
    {type: 'Failed', status: 'True', reason: 'X', message: null, lastTransitionTime: null},
  ],
};
// Two runs with the same times: the name breaks the tie.
const twinA = succeededJob({name: 'twin-a', scheduled: 40});
const twinB = succeededJob({name: 'twin-b', scheduled: 40});

const markAt = (minute: number, job: string): RunMark => ({atMs: at(minute).getTime(), job});

interface Row {
  name: string;
  since: RunMark | null | undefined;
  jobs: JobInfo[];
  kept: string[];
}

const rows: Row[] = [
  {name: 'no Jobs', since: undefined, jobs: [], kept: []},
  {
    name: 'never seen: newest finished and the running one',
    since: undefined,
    jobs: [ok0, bad10, ok20, running30],
    kept: ['running-30', 'ok-20'],
  },
  {
    name: 'never seen, no run going: the newest finished is also the newest started',
    since: undefined,
    jobs: [ok0, bad10, ok20],
    kept: ['ok-20'],
  },
  {
    name: 'null mark: every finished run, and the running one',
    since: null,
    jobs: [ok0, bad10, ok20, running30],
    kept: ['ok-0', 'bad-10', 'ok-20', 'running-30'],
  },
  {
    name: 'mark at bad-10: what finished after it, plus the newest ones',
    since: markAt(15, 'bad-10'),
    jobs: [ok0, bad10, ok20, running30],
    kept: ['ok-20', 'running-30'],
  },
  {
    name: 'mark at ok-0: runs after it are kept, not the marked run itself',
    since: markAt(5, 'ok-0'),
    jobs: [ok0, bad10, ok20],
    kept: ['bad-10', 'ok-20'],
  },
  {
    name: 'arrival order does not matter',
    since: markAt(5, 'ok-0'),
    jobs: [ok20, running30, bad10, ok0],
    kept: ['running-30', 'bad-10', 'ok-20'],
  },
  {
    name: 'mark after everything: only the newest finished and started',
    since: markAt(100, 'zzz'),
    jobs: [bad10, ok0, ok20],
    kept: ['ok-20'],
  },
  {
    name: 'a finished Job without any time is dropped by finished order',
    since: null,
    jobs: [ok0, timeless],
    kept: ['ok-0'],
  },
  {
    name: 'a timeless Job alone is still the newest started (it sorts first, nothing beats it)',
    since: undefined,
    jobs: [timeless],
    kept: ['timeless'],
  },
  {
    name: 'equal times: the later name is newest',
    since: undefined,
    jobs: [twinB, twinA],
    kept: ['twin-b'],
  },
];

for (const row of rows) {
  test(`keepRuns — ${row.name}`, () => {
    const kept = keepRuns(row.since, row.jobs).map(job => job.name);
    assert.deepEqual([...kept].sort(), [...row.kept].sort());
  });
}

test('placeRun leaves the newest runs alone when an older Job arrives', () => {
  const first = placeRun(noRunsKept(undefined), ok20);
  assert.equal(first.newestStarted?.job, ok20);
  assert.equal(first.newestFinished?.job, ok20);
  const kept = {
    since: undefined,
    newestStarted: first.newestStarted,
    newestFinished: first.newestFinished,
  };
  const older = placeRun(kept, bad10);
  assert.deepEqual(older, {newestStarted: null, newestFinished: null, keep: false});
});

test('placeRun places a finished run by its outcome time and a start by its schedule', () => {
  const placed = placeRun(noRunsKept(null), bad10);
  assert.equal(placed.newestFinished?.atMs, at(15).getTime());
  assert.equal(placed.newestStarted?.atMs, at(10).getTime());
  assert.equal(placed.keep, true);
});
