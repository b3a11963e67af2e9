/**
 * Two robfig/cron v3 corners no other table reaches, each worked out by hand from the upstream
 * code: `SpecSchedule.Next`'s day loop across a midnight that does not exist in a zone east of
 * UTC, and Go's `time.ParseDuration` reading a fraction longer than any integer can hold.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {nextActivation} from '../../functions/core/cron/next.js';
import {parseStandard} from '../../functions/core/cron/parse.js';

function next(schedule: string, after: string): string | null {
  const ms = nextActivation(parseStandard(schedule), Date.parse(after));
  return ms === null ? null : new Date(ms).toISOString();
}

describe('robfig Next: the day loop where midnight does not exist (Asia/Beirut, spring)', () => {
  // tz: Rule Lebanon 1993 max - Mar lastSun 0:00 1:00 S — on Sunday 27 March 2022 Beirut's
  // clocks went from 00:00 +02 straight to 01:00 +03. robfig's day loop, from Friday 25 March:
  // Friday's midnight, AddDate → Saturday 00:00 +02 (no match), AddDate → time.Date asks for
  // Sunday 00:00, which Go reads with the +02 offset in force before the change: 22:00Z, i.e.
  // 01:00 +03. Hour 1 is not midnight and not past 12, so robfig subtracts one hour: Saturday
  // 23:00 +02. Saturday does not match; AddDate → Sunday 23:00 +03, past 12, so it adds one
  // hour: Monday 00:00. Sunday 27 March is walked past whole; the next Sunday is 3 April, and
  // its first hour is 00:00 +03 = 2 April 21:00Z.
  it('0 * * * 0 after Friday 25 March 2022 12:00 runs first on Sunday 3 April 00:00 +03', () => {
    assert.equal(
      next('TZ=Asia/Beirut 0 * * * 0', '2022-03-25T10:00:00Z'),
      '2022-04-02T21:00:00.000Z',
    );
  });
  // The same walk for a daily midnight never enters the day loop: the hour loop steps from
  // Saturday 23:00 +02 to 01:00 +03 and on to Monday 00:00.
  it('0 0 * * * after Saturday 26 March 2022 12:00 runs on Monday 28 March 00:00 +03', () => {
    assert.equal(
      next('TZ=Asia/Beirut 0 0 * * *', '2022-03-26T10:00:00Z'),
      '2022-03-27T21:00:00.000Z',
    );
  });
});

describe('@every: a fraction longer than Go keeps', () => {
  // Go's leadingFraction stops adding digits once the next would overflow uint64 (1<<63 is the
  // bound it checks) and ignores the rest: `1.` and 400 fives is 1 + 0.5555555555555555555 of
  // the unit, however many digits follow. Then robfig's Every cuts the delay to whole seconds.
  const fives = '5'.repeat(400);
  it('@every 1.555…s (400 digits) runs every second', () => {
    const parsed = parseStandard(`@every 1.${fives}s`);
    assert.deepEqual(parsed, {kind: 'every', delaySeconds: 1});
  });
  it('@every 1.555…m (400 digits) runs every 93 seconds (93.33 s, cut to the second)', () => {
    const parsed = parseStandard(`@every 1.${fives}m`);
    assert.deepEqual(parsed, {kind: 'every', delaySeconds: 93});
  });
});
