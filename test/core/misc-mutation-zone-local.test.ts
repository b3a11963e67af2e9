/**
 * The names Go's `time.LoadLocation` reads as UTC without a file: `""` and `Local` (the
 * process's own zone; UTC on GKE and Cloud Run). `loadLocation` accepts them, so every clock
 * read in them must work too: `DIGEST_AT="09:00 Local"` passed the configuration check and then
 * failed every digest pass with "unknown zone Local".
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {civilOf, dateIn, loadLocation, offsetAt} from '../../functions/core/cron/zone.js';
import {digestDateDue, parseDigestAt} from '../../functions/core/digest/schedule.js';

describe('"" and Local read as UTC', () => {
  for (const name of ['', 'Local']) {
    it(`${JSON.stringify(name)}: loaded as UTC, offset 0, UTC's wall clock`, () => {
      assert.equal(loadLocation(name), 'UTC');
      assert.equal(offsetAt(name, Date.parse('2026-07-01T12:00:00Z')), 0);
      assert.deepEqual(civilOf(name, Date.parse('2026-07-01T12:34:56Z')), {
        year: 2026,
        month: 7,
        day: 1,
        hour: 12,
        minute: 34,
        second: 56,
        weekday: 3,
      });
      assert.equal(dateIn(name, 2026, 7, 1, 9, 0, 0), Date.parse('2026-07-01T09:00:00Z'));
    });
  }
  it('DIGEST_AT="09:00 Local": due from 09:00 UTC', () => {
    const parsed = parseDigestAt('09:00 Local');
    assert.ok(parsed.ok);
    assert.equal(digestDateDue(parsed.value, new Date('2026-03-03T08:59:00Z')), null);
    assert.equal(digestDateDue(parsed.value, new Date('2026-03-03T09:00:00Z')), '2026-03-03');
  });
});
