/** The recent-runs strip every message and `status -o wide` share. */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  recentRunsLine,
  runStrip,
  usualDurationMs,
} from '../../functions/core/messages/recent-runs.js';
import {en} from '../../functions/core/messages/words-en.js';
import type {RecentRun} from '../../functions/core/run-history.js';

const run = (outcome: RecentRun['outcome'], minutes: number | null): RecentRun => ({
  job: outcome === 'missed' ? '' : `j-${minutes}`,
  outcome,
  scheduledAt: null,
  startedAt: null,
  durationMs: minutes === null ? null : minutes * 60_000,
});
const RUNS = [
  run('succeeded', 12),
  run('succeeded', 11),
  run('failed', 2),
  run('missed', null),
  run('succeeded', 14),
  run('failed', 40),
];
const words = {duration: en.duration, usually: (d: string) => `(usually ${d})`};

describe('recent runs', () => {
  it('one mark per run, newest last, missed runs marked', () =>
    assert.equal(runStrip(RUNS), '✅ ✅ ❌ ⏰ ✅ ❌'));
  it('the newest few', () => assert.equal(runStrip(RUNS, 2), '✅ ❌'));
  it('the median of the successful runs only', () =>
    assert.equal(usualDurationMs(RUNS), 12 * 60_000));
  it('the line: strip and median', () =>
    assert.equal(recentRunsLine(RUNS, words), '✅ ✅ ❌ ⏰ ✅ ❌ (usually 12m)'));
  it('no successful run: the strip alone', () =>
    assert.equal(recentRunsLine([run('failed', 3)], words), '❌'));
  it('no runs: nothing', () => assert.equal(recentRunsLine([], words), null));
});
