/** Moving the fixtures' timestamps forward to now (npm run test-cluster). */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {loadFixtureObjects} from '../support/kube-fixtures.js';
import {FIXTURES_NOW, shiftFixtures, shiftFor, shiftText} from './shift-fixtures.js';

const HOUR_MS = 3_600_000;

describe('shift-fixtures', () => {
  it('shiftFor: whole 5-minute steps, the fixtures\' "now" at most one step behind', () => {
    assert.equal(shiftFor(FIXTURES_NOW), 0);
    const now = new Date('2026-12-05T08:03:59Z');
    const shift = shiftFor(now);
    assert.equal(shift % (5 * 60_000), 0);
    // 2026-03-10T09:10Z → 2026-12-05T08:00Z: 269 days and 22 h 50 min.
    assert.equal(shift, (269 * 24 + 22) * HOUR_MS + 50 * 60_000);
  });

  it('moves every kind of timestamp by the same amount, and leaves the zero time alone', () => {
    assert.equal(shiftText('2026-03-10T09:06:10Z', HOUR_MS), '2026-03-10T10:06:10Z');
    assert.equal(shiftText('2026-03-10T09:06:10.123Z', HOUR_MS), '2026-03-10T10:06:10.123Z');
    // The scheduled-timestamp annotation's offset form: the same moment, written in UTC.
    assert.equal(shiftText('2026-03-10T02:30:00+01:00', HOUR_MS), '2026-03-10T02:30:00Z');
    assert.equal(shiftText('0001-01-01T00:00:00Z', HOUR_MS), '0001-01-01T00:00:00Z');
    assert.equal(
      shiftText('2026-03-10T09:00:04Z pg_dump: at 2026-03-10T09:00:05Z', 2 * HOUR_MS),
      '2026-03-10T11:00:04Z pg_dump: at 2026-03-10T11:00:05Z',
    );
    assert.equal(shiftText('db-backup-29552220', HOUR_MS), 'db-backup-29552220');
  });

  it('shifts the fixtures as a whole: a fresh copy, the same objects, no old date left', () => {
    const objects = loadFixtureObjects();
    const shift = 300 * 24 * HOUR_MS;
    const moved = shiftFixtures(objects, shift);
    assert.equal(moved.cronJobs.length, objects.cronJobs.length);
    assert.equal(moved.jobs.length, objects.jobs.length);
    const job = objects.jobs[0]!;
    const movedJob = moved.jobs[0]!;
    assert.equal(movedJob.metadata.name, job.metadata.name);
    const created = (o: typeof job) => Date.parse(o.metadata.creationTimestamp as string);
    assert.equal(created(movedJob) - created(job), shift);
    // Every timestamp, in the same places, moved by the same amount (the zero time stays).
    const stamps = (value: unknown) =>
      [
        ...JSON.stringify(value).matchAll(
          /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)/g,
        ),
      ].map(m => m[0]);
    const before = stamps(objects);
    const after = stamps(moved);
    assert.equal(after.length, before.length);
    assert.ok(before.length > 100, `only ${before.length} timestamps in the fixtures`);
    before.forEach((stamp, i) => {
      const expected = stamp.startsWith('0001-') ? 0 : shift;
      assert.equal(Date.parse(after[i]!) - Date.parse(stamp), expected, `${stamp} → ${after[i]}`);
    });
    assert.deepEqual(stamps(loadFixtureObjects()), before, 'the originals are untouched');
  });
});
