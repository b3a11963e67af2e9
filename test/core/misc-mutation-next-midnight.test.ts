/**
 * robfig/cron v3's day walk across a midnight that does not exist (spec.go, the day loop):
 * `t = t.AddDate(0, 0, 1)`, then "if t.Hour() != 0 { if t.Hour() > 12 { t = t.Add((24 -
 * t.Hour()) hours) } else { t = t.Add(-t.Hour() hours) } }". Go's `time.Date` reads a skipped
 * midnight east of UTC as 01:00 of that day (the offset after the change), west of UTC as 23:00
 * the day before (the offset before it). Each expected instant is worked out by hand from those
 * two rules and the zone's tz rule, quoted with each case.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {nextActivation} from '../../functions/core/cron/next.js';
import {parseStandard} from '../../functions/core/cron/parse.js';

function next(schedule: string, after: string): string | null {
  const ms = nextActivation(parseStandard(schedule), Date.parse(after));
  return ms === null ? null : new Date(ms).toISOString();
}

describe('robfig Next: the day walk through a skipped midnight', () => {
  // Beirut (Rule Lebanon 1993 max Mar lastSun 0:00 1:00): on Sunday 25 March 2012 the clocks
  // went from 00:00 +02 to 01:00 +03. From Friday 23 March 12:00 +02 the walk goes to Saturday
  // 00:00, then AddDate gives Sunday 00:00, which Go reads as 01:00 +03 (22:00Z); hour 1 is moved
  // back one hour, to Saturday 23:00 +02. Saturday does not match, so AddDate gives Sunday 23:00
  // +03, hour 23 is moved on to Monday 00:00: robfig never looks at that Sunday again, and the
  // next Sunday is 1 April, 02:30 +03 = 31 March 23:30Z.
  it('TZ=Asia/Beirut 30 2 * * 0 skips the Sunday whose midnight is missing', () => {
    assert.equal(
      next('TZ=Asia/Beirut 30 2 * * 0', '2012-03-23T10:00:00Z'),
      '2012-03-31T23:30:00.000Z',
    );
  });
  // The same walk for a schedule on the day of the month: 25 March is skipped the same way, so
  // the next 25th is 25 April, 02:30 +03 = 24 April 23:30Z.
  it('TZ=Asia/Beirut 30 2 25 * * skips 25 March 2012 too', () => {
    assert.equal(
      next('TZ=Asia/Beirut 30 2 25 * *', '2012-03-23T10:00:00Z'),
      '2012-04-24T23:30:00.000Z',
    );
  });
  // São Paulo (Rule Brazil 2018 Nov Sun>=1 0:00 1:00): on Sunday 4 November 2018 the clocks went
  // from 00:00 -03 to 01:00 -02. AddDate from Saturday 00:00 gives Sunday 00:00, which Go reads
  // as Saturday 23:00 -03 (02:00Z); hour 23 is moved on one hour, to Sunday 01:00 -02 (03:00Z).
  // Sunday matches, and 02:30 -02 is 04:30Z.
  it('TZ=America/Sao_Paulo 30 2 * * 0 runs on the Sunday whose midnight is missing', () => {
    assert.equal(
      next('TZ=America/Sao_Paulo 30 2 * * 0', '2018-11-02T15:00:00Z'),
      '2018-11-04T04:30:00.000Z',
    );
  });
});
