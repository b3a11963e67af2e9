/**
 * `status` edges the first tables left open: kubectl's HumanDuration just past each point where
 * it stops showing the smaller unit (8 hours, 8 days, 8 years: worked out from its Go source),
 * and a cron schedule's next due time, which needs no anchor (only `@every` counts from the
 * last run or the creation time).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {humanDuration, statusJson} from '../../functions/core/status-report.js';
import {at, cronJob} from './builders.js';

const M = 60_000;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration past the last boundary with two units', () => {
  const cases: Array<[number, string]> = [
    [8 * H + 30 * M, '8h'],
    [8 * D + 5 * H, '8d'],
    [2921 * D, '8y'],
  ];
  for (const [ms, want] of cases) {
    it(`${ms} ms → ${want}`, () => assert.equal(humanDuration(ms), want));
  }
});

describe('statusJson: a cron schedule’s next due time', () => {
  it('known without a last scheduled time or a creation time', () => {
    const bare = cronJob({schedule: '0 * * * *', lastScheduleTime: null, createdAt: null});
    const doc = statusJson(
      [
        {
          cluster: {id: 'kc/prod', name: 'prod', project: null, location: null},
          cronJobs: [bare],
          jobs: [],
          problems: [],
        },
      ],
      [],
      at(150),
    );
    // at(150) is 12:30Z on 1 March 2026.
    assert.equal(doc.cronJobs[0]!.lastDueAt, '2026-03-01T12:00:00.000Z');
    assert.equal(doc.cronJobs[0]!.nextDueAt, '2026-03-01T13:00:00.000Z');
  });
});
