/**
 * robfig/cron v3's `Next` at the edges its own tables do not reach: the five-year limit to the
 * year, a zone whose clocks move by half an hour, and a month walk through a midnight that does
 * not exist. Each expected instant is worked out by hand from robfig's algorithm (spec.go: the
 * month, day, hour, minute and second loops, `AddDate`, `goto WRAP`, `t.Year() > yearLimit`) and
 * Go's `time.Date` (a skipped wall time is read with the offset in force before the change), with
 * the zone rules quoted from the tz database next to each case.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {nextActivation} from '../../functions/core/cron/next.js';
import {parseStandard} from '../../functions/core/cron/parse.js';

function next(schedule: string, after: string): string | null {
  const ms = nextActivation(parseStandard(schedule), Date.parse(after));
  return ms === null ? null : new Date(ms).toISOString();
}

describe('robfig Next: nothing after the fifth year', () => {
  // yearLimit = the start's year + 5; robfig gives up once the walk is in a later year. 2100 is
  // no leap year, so after 29 February 2096 the next is 2104.
  it('29 February found in the fifth year (2099 + 5 = 2104)', () => {
    assert.equal(next('0 0 29 2 *', '2099-01-01T00:00:00Z'), '2104-02-29T00:00:00.000Z');
  });
  it('29 February in the sixth year is never (2098 + 5 = 2103)', () => {
    assert.equal(next('0 0 29 2 *', '2098-03-01T00:00:00Z'), null);
  });
  it('the same from inside a February that has no 29th', () => {
    assert.equal(next('0 0 29 2 *', '2098-02-10T00:00:00Z'), null);
    assert.equal(next('0 0 29 2 *', '2099-02-10T00:00:00Z'), '2104-02-29T00:00:00.000Z');
  });
});

describe('robfig Next: minutes walked one at a time across a change of offset', () => {
  // Asia/Pyongyang (tz: 8:30 until 2018 May 4 23:30, then 9:00) went from 23:30 +08:30 straight
  // to 00:00 +09 on 5 May 2018. robfig adds one minute at a time from 23:20: …23:29, then
  // 00:00 — minute 0, a new hour, back to the top — and 00:05 matches. Jumping 25 minutes to
  // "minute 45" would land on 00:15 and miss 00:05.
  it('5,45 * * * * after 23:20 +08:30 runs at 00:05 +09:00', () => {
    assert.equal(
      next('TZ=Asia/Pyongyang 5,45 * * * *', '2018-05-04T14:50:00Z'),
      '2018-05-04T15:05:00.000Z',
    );
  });
  it('45 * * * * after 23:20 +08:30 runs at 00:45 +09:00', () => {
    assert.equal(
      next('TZ=Asia/Pyongyang 45 * * * *', '2018-05-04T14:50:00Z'),
      '2018-05-04T15:45:00.000Z',
    );
  });
  // Australia/Lord_Howe (tz: Rule LH 2008 max Oct Sun>=1 2:00 0:30) moves from +10:30 to +11:00
  // at 02:00 on 4 October 2026, straight to 02:30: from 01:50 the walk reaches 02:30 (minute 30,
  // no rollover) and goes on to 02:45.
  it('45 * * * * after 01:50 +10:30 on Lord Howe runs at 02:45 +11:00', () => {
    assert.equal(
      next('TZ=Australia/Lord_Howe 45 * * * *', '2026-10-03T15:20:00Z'),
      '2026-10-03T15:45:00.000Z',
    );
  });
});

describe('robfig Next: a month walk through a midnight that does not exist', () => {
  // America/Asuncion (tz: Rule Para 2010 2024 Oct Sun>=1 0:00 1:00) skipped 1 October 2017
  // 00:00. `0 0 * 11 *` after 15 September 2017: robfig sets 1 September 00:00, then
  // AddDate(0, 1, 0) asks for 1 October 00:00, which Go reads with the -04 offset in force just
  // before: 30 September 23:00 -04. The walk goes on from that wall clock: 30 October 23:00,
  // then 30 November 23:00 (November, so the month loop stops); the hour loop steps to
  // 1 December 00:00, a new month: back to the top, and November 2017 is gone. The next run is
  // 1 November 2018 00:00 -03.
  it('0 0 * 11 * after 15 September 2017 runs on 1 November 2018', () => {
    assert.equal(
      next('TZ=America/Asuncion 0 0 * 11 *', '2017-09-15T12:00:00Z'),
      '2018-11-01T03:00:00.000Z',
    );
  });
  // `0 0 2 11 *` on the same walk: the month loop stops at 30 November 23:00; the day loop
  // adds a day (1 December 23:00, not midnight, so robfig adds the missing hour) and lands on
  // 2 December 00:00 without passing a first of the month: day 2 matches, and robfig runs a
  // November schedule on 2 December 2017.
  it('0 0 2 11 * after 15 September 2017 runs on 2 December 2017', () => {
    assert.equal(
      next('TZ=America/Asuncion 0 0 2 11 *', '2017-09-15T12:00:00Z'),
      '2017-12-02T03:00:00.000Z',
    );
  });
  it('the same schedule a year later has no gap on its way: 1 November 2018', () => {
    // In 2018 the change came on 7 October, not on the first of a month.
    assert.equal(
      next('TZ=America/Asuncion 0 0 * 11 *', '2018-09-15T12:00:00Z'),
      '2018-11-01T03:00:00.000Z',
    );
  });
});

describe('robfig Next: a later field starts from the top of the unit the earlier one reached', () => {
  // Only the day is wrong at 3 March 14:20: robfig sets the day's midnight, adds days to the 5th,
  // then walks the hours from 00 and the minutes from 00: 10:30, not a time after 14:20.
  it('30 10 5 * * after 3 March 14:20 runs on 5 March at 10:30', () => {
    assert.equal(next('30 10 5 * *', '2026-03-03T14:20:00Z'), '2026-03-05T10:30:00.000Z');
  });
  it('0 * 5 * * after 3 March 14:20 runs on 5 March at 00:00', () => {
    assert.equal(next('0 * 5 * *', '2026-03-03T14:20:00Z'), '2026-03-05T00:00:00.000Z');
  });
});
