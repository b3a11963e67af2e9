/**
 * Wall clocks in IANA zones as Go's `time` package reads them (functions/core/cron/zone.ts), the
 * ground robfig/cron's `Next` walks on. Every expected value is written out by hand: instants of
 * offset changes from the tz database's rules (quoted next to each case), calendar dates and
 * weekdays from the Gregorian calendar, and `time.Date`'s resolution of a wall time that a zone
 * skips or repeats from Go's algorithm (time.go, `Date`): take the offset in force at the wall
 * time read as UTC; if the instant that gives lies outside that offset's period, take the offset
 * in force at that instant instead. So in a zone west of UTC a skipped wall time is read with the
 * offset before the change and a repeated one is the first; east of UTC, with the offset after
 * the change and the second; a zone whose offset is zero at that instant keeps the wall time.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {civilOf, dateIn, loadLocation, offsetAt} from '../../functions/core/cron/zone.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

function at(iso: string): number {
  return Date.parse(iso);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

describe('loadLocation: the names Go’s time.LoadLocation accepts', () => {
  it('"", "UTC" and "Local" are UTC (Local is the controller’s zone, UTC on GKE)', () => {
    assert.equal(loadLocation(''), 'UTC');
    assert.equal(loadLocation('UTC'), 'UTC');
    assert.equal(loadLocation('Local'), 'UTC');
  });
  it('a tz database name is kept as written, the second time too', () => {
    assert.equal(loadLocation('Europe/Paris'), 'Europe/Paris');
    assert.equal(loadLocation('Europe/Paris'), 'Europe/Paris');
    assert.equal(loadLocation('Etc/GMT+5'), 'Etc/GMT+5');
    // A link (backward file) is a file of its own for Go: kept under its own name.
    assert.equal(loadLocation('US/Eastern'), 'US/Eastern');
    assert.equal(loadLocation('Asia/Kolkata'), 'Asia/Kolkata');
  });
  it('a name that is no file of the tz database is refused, the second time too', () => {
    assert.equal(loadLocation('Mars/Olympus'), null);
    assert.equal(loadLocation('Mars/Olympus'), null);
  });
  it('case matters: Go opens the file by its exact name', () => {
    assert.equal(loadLocation('america/new_york'), null);
    assert.equal(loadLocation('America/New_york'), null);
    assert.equal(loadLocation('EUROPE/PARIS'), null);
    assert.equal(loadLocation('EUROPE/PARIS'), null);
  });
  it('white space around or inside a name is no file either', () => {
    assert.equal(loadLocation(' Asia/Tokyo'), null);
    assert.equal(loadLocation('Asia/Tokyo '), null);
    assert.equal(loadLocation('America/New York'), null);
  });
});

describe('offsetAt: the offset in force, to the second of each change', () => {
  it('UTC is zero at any instant', () => {
    assert.equal(offsetAt('UTC', at('2024-07-01T12:00:00Z')), 0);
    assert.equal(offsetAt('UTC', at('1969-07-20T20:17:00Z')), 0);
  });
  it('an unknown zone is an error, not UTC', () => {
    assert.throws(() => offsetAt('Mars/Olympus', 0), {
      name: 'RangeError',
      message: 'unknown zone Mars/Olympus',
    });
    assert.throws(() => offsetAt('asia/tokyo', 0), RangeError);
  });
  it('a zone never named before is read on first use', () => {
    // Asia/Kathmandu: +5:45 since 1986.
    assert.equal(offsetAt('Asia/Kathmandu', at('2024-01-15T00:00:00Z')), (5 * 60 + 45) * MINUTE_MS);
  });
  it('fixed offsets: Kolkata +5:30, Etc/GMT+5 is five hours west (POSIX sign)', () => {
    assert.equal(offsetAt('Asia/Kolkata', at('2024-03-10T07:00:00Z')), 330 * MINUTE_MS);
    assert.equal(offsetAt('Etc/GMT+5', at('2024-07-01T00:00:00Z')), -5 * HOUR_MS);
  });
  // US rule since 2007: from the second Sunday in March 2:00 standard time to the first
  // Sunday in November 2:00 daylight time. 2024: 10 March 07:00Z and 3 November 06:00Z.
  it('New York: EST, then EDT from 10 March 2024 07:00Z, then EST from 3 November 06:00Z', () => {
    const z = 'America/New_York';
    assert.equal(offsetAt(z, at('2024-01-15T12:00:00Z')), -5 * HOUR_MS);
    assert.equal(offsetAt(z, at('2024-03-10T06:59:59Z')), -5 * HOUR_MS);
    assert.equal(offsetAt(z, at('2024-03-10T06:59:59.999Z')), -5 * HOUR_MS);
    assert.equal(offsetAt(z, at('2024-03-10T07:00:00Z')), -4 * HOUR_MS);
    assert.equal(offsetAt(z, at('2024-03-10T07:00:01Z')), -4 * HOUR_MS);
    assert.equal(offsetAt(z, at('2024-07-04T16:00:00Z')), -4 * HOUR_MS);
    assert.equal(offsetAt(z, at('2024-11-03T05:59:59Z')), -4 * HOUR_MS);
    assert.equal(offsetAt(z, at('2024-11-03T06:00:00Z')), -5 * HOUR_MS);
    assert.equal(offsetAt(z, at('2024-12-25T00:00:00Z')), -5 * HOUR_MS);
  });
  it('asked out of order, far apart and back: each instant its own offset', () => {
    const z = 'America/Chicago';
    assert.equal(offsetAt(z, at('2023-07-01T00:00:00Z')), -5 * HOUR_MS);
    assert.equal(offsetAt(z, at('2023-01-01T00:00:00Z')), -6 * HOUR_MS);
    assert.equal(offsetAt(z, at('2023-07-01T00:00:00Z')), -5 * HOUR_MS);
    assert.equal(offsetAt(z, at('2023-07-02T00:00:00Z')), -5 * HOUR_MS);
    assert.equal(offsetAt(z, at('2023-01-02T00:00:00Z')), -6 * HOUR_MS);
  });
  // EU rule: last Sunday in March and October at 01:00 UTC.
  it('London and Berlin change at 01:00Z on 31 March and 27 October 2024', () => {
    assert.equal(offsetAt('Europe/London', at('2024-03-31T00:59:59Z')), 0);
    assert.equal(offsetAt('Europe/London', at('2024-03-31T01:00:00Z')), HOUR_MS);
    assert.equal(offsetAt('Europe/London', at('2024-10-27T00:59:59Z')), HOUR_MS);
    assert.equal(offsetAt('Europe/London', at('2024-10-27T01:00:00Z')), 0);
    assert.equal(offsetAt('Europe/Berlin', at('2024-03-31T00:59:59Z')), HOUR_MS);
    assert.equal(offsetAt('Europe/Berlin', at('2024-03-31T01:00:00Z')), 2 * HOUR_MS);
  });
  // Lord Howe (Rule LH 2008 max Apr Sun>=1 2:00 0, Oct Sun>=1 2:00 0:30): half-hour changes.
  it('Lord Howe: +11 until 5 April 2026 02:00 (15:00Z), +10:30 until 4 October 02:00 (15:30Z)', () => {
    const z = 'Australia/Lord_Howe';
    assert.equal(offsetAt(z, at('2026-04-04T14:59:59Z')), 11 * HOUR_MS);
    assert.equal(offsetAt(z, at('2026-04-04T15:00:00Z')), 630 * MINUTE_MS);
    assert.equal(offsetAt(z, at('2026-10-03T15:29:59Z')), 630 * MINUTE_MS);
    assert.equal(offsetAt(z, at('2026-10-03T15:30:00Z')), 11 * HOUR_MS);
  });
  // Lebanon (Rule Lebanon 1993 max Mar lastSun 0:00 1:00; 1999 max Oct lastSun 0:00 0): the
  // clocks change at local midnight, 22:00Z or 21:00Z the evening before. These two fall in
  // the last hours of a 32-day block (days since 1970 divisible by 32 begin one), where the
  // zone's offsets are read a block at a time.
  it('Beirut: +3 from 24 March 2012 22:00Z, +2 from 24 October 2020 21:00Z', () => {
    const z = 'Asia/Beirut';
    assert.equal(offsetAt(z, at('2012-03-24T21:59:59Z')), 2 * HOUR_MS);
    assert.equal(offsetAt(z, at('2012-03-24T22:00:00Z')), 3 * HOUR_MS);
    assert.equal(offsetAt(z, at('2012-03-24T23:59:59Z')), 3 * HOUR_MS);
    assert.equal(offsetAt(z, at('2012-03-25T00:00:00Z')), 3 * HOUR_MS);
    assert.equal(offsetAt(z, at('2020-10-24T20:59:59Z')), 3 * HOUR_MS);
    assert.equal(offsetAt(z, at('2020-10-24T21:00:00Z')), 2 * HOUR_MS);
    assert.equal(offsetAt(z, at('2020-10-24T23:00:00Z')), 2 * HOUR_MS);
  });
  // Samoa skipped Friday 30 December 2011: 29 December 24:00 at -10 became 31 December 00:00 at +14.
  it('Apia: -10 until 30 December 2011 10:00Z, then +14', () => {
    assert.equal(offsetAt('Pacific/Apia', at('2011-12-30T09:59:59Z')), -10 * HOUR_MS);
    assert.equal(offsetAt('Pacific/Apia', at('2011-12-30T10:00:00Z')), 14 * HOUR_MS);
  });
});

describe('civilOf: the Gregorian wall clock at an instant', () => {
  type Wall = [number, number, number, number, number, number, number];
  function wall(zone: string, ms: number): Wall {
    const c = civilOf(zone, ms);
    return [c.year, c.month, c.day, c.hour, c.minute, c.second, c.weekday];
  }
  // [instant, year, month, day, hour, minute, second, weekday (0 Sunday)]
  const utc: [string, ...Wall][] = [
    ['1970-01-01T00:00:00Z', 1970, 1, 1, 0, 0, 0, 4],
    ['1969-12-31T23:59:59.999Z', 1969, 12, 31, 23, 59, 59, 3],
    ['1968-02-29T06:07:08Z', 1968, 2, 29, 6, 7, 8, 4],
    ['1900-02-28T23:59:59Z', 1900, 2, 28, 23, 59, 59, 3],
    ['1900-03-01T00:00:00Z', 1900, 3, 1, 0, 0, 0, 4],
    ['1600-02-29T12:00:00Z', 1600, 2, 29, 12, 0, 0, 2],
    ['1600-03-01T00:00:00Z', 1600, 3, 1, 0, 0, 0, 3],
    ['1601-01-01T00:00:00Z', 1601, 1, 1, 0, 0, 0, 1],
    ['1999-12-31T23:59:59Z', 1999, 12, 31, 23, 59, 59, 5],
    ['2000-02-29T23:59:59Z', 2000, 2, 29, 23, 59, 59, 2],
    ['2000-03-01T00:00:00Z', 2000, 3, 1, 0, 0, 0, 3],
    ['2024-02-29T12:34:56.789Z', 2024, 2, 29, 12, 34, 56, 4],
    ['2024-12-31T23:59:59Z', 2024, 12, 31, 23, 59, 59, 2],
    ['2025-01-01T00:00:00Z', 2025, 1, 1, 0, 0, 0, 3],
    ['2100-02-28T10:00:00Z', 2100, 2, 28, 10, 0, 0, 0],
    ['2100-03-01T10:00:00Z', 2100, 3, 1, 10, 0, 0, 1],
    ['2400-02-29T01:02:03Z', 2400, 2, 29, 1, 2, 3, 2],
  ];
  for (const [instant, ...expected] of utc) {
    it(`UTC ${instant}`, () => {
      assert.deepEqual(wall('UTC', at(instant)), expected);
    });
  }
  it('in a zone: the offset moves the date, the day of the week with it', () => {
    assert.deepEqual(
      wall('Asia/Kolkata', at('2024-12-31T18:29:59Z')),
      [2024, 12, 31, 23, 59, 59, 2],
    );
    assert.deepEqual(wall('Asia/Kolkata', at('2024-12-31T18:30:00Z')), [2025, 1, 1, 0, 0, 0, 3]);
    assert.deepEqual(
      wall('America/New_York', at('2024-03-10T06:59:59Z')),
      [2024, 3, 10, 1, 59, 59, 0],
    );
    assert.deepEqual(
      wall('America/New_York', at('2024-03-10T07:00:00Z')),
      [2024, 3, 10, 3, 0, 0, 0],
    );
    assert.deepEqual(
      wall('Pacific/Apia', at('2011-12-30T09:59:59Z')),
      [2011, 12, 29, 23, 59, 59, 4],
    );
    assert.deepEqual(wall('Pacific/Apia', at('2011-12-30T10:00:00Z')), [2011, 12, 31, 0, 0, 0, 6]);
  });
});

describe('dateIn: Go’s time.Date', () => {
  it('UTC: out-of-range fields carry over', () => {
    assert.equal(iso(dateIn('UTC', 2024, 13, 1, 0, 0, 0)), '2025-01-01T00:00:00.000Z');
    assert.equal(iso(dateIn('UTC', 2024, 3, 0, 0, 0, 0)), '2024-02-29T00:00:00.000Z');
    assert.equal(iso(dateIn('UTC', 2023, 3, 0, 0, 0, 0)), '2023-02-28T00:00:00.000Z');
    assert.equal(iso(dateIn('UTC', 2024, 4, 31, 0, 0, 0)), '2024-05-01T00:00:00.000Z');
    assert.equal(iso(dateIn('UTC', 2024, 12, 31, 24, 0, 0)), '2025-01-01T00:00:00.000Z');
    assert.equal(iso(dateIn('UTC', 2024, 6, 30, 23, 59, 60)), '2024-07-01T00:00:00.000Z');
  });
  it('a fixed offset: midnight in Kolkata is 18:30Z the day before', () => {
    assert.equal(iso(dateIn('Asia/Kolkata', 2024, 1, 1, 0, 0, 0)), '2023-12-31T18:30:00.000Z');
    assert.equal(iso(dateIn('Etc/GMT+5', 2024, 1, 1, 0, 0, 0)), '2024-01-01T05:00:00.000Z');
  });
  it('New York, an ordinary day in winter and in summer', () => {
    assert.equal(iso(dateIn('America/New_York', 2024, 1, 15, 9, 0, 0)), '2024-01-15T14:00:00.000Z');
    assert.equal(iso(dateIn('America/New_York', 2024, 7, 15, 9, 0, 0)), '2024-07-15T13:00:00.000Z');
  });
  // 10 March 2024: 02:00 EST became 03:00 EDT. 02:30 read as UTC is before 07:00Z, so EST (-5)
  // is tried: 07:30Z, which is EDT's; EDT (-4) then gives 06:30Z = 01:30 EST.
  it('New York, skipped 02:30 is 01:30 EST (06:30Z)', () => {
    assert.equal(
      iso(dateIn('America/New_York', 2024, 3, 10, 2, 30, 0)),
      '2024-03-10T06:30:00.000Z',
    );
    assert.equal(iso(dateIn('America/New_York', 2024, 3, 10, 3, 0, 0)), '2024-03-10T07:00:00.000Z');
    assert.equal(
      iso(dateIn('America/New_York', 2024, 3, 10, 1, 59, 59)),
      '2024-03-10T06:59:59.000Z',
    );
  });
  // 3 November 2024: 02:00 EDT became 01:00 EST. 01:30 read as UTC is EDT's; 05:30Z is EDT's too.
  it('New York, repeated 01:30 is the first, EDT (05:30Z)', () => {
    assert.equal(
      iso(dateIn('America/New_York', 2024, 11, 3, 1, 30, 0)),
      '2024-11-03T05:30:00.000Z',
    );
    assert.equal(iso(dateIn('America/New_York', 2024, 11, 3, 2, 0, 0)), '2024-11-03T07:00:00.000Z');
  });
  // London's offset at 01:30 read as UTC is GMT's zero on 27 October, BST's +1 on 31 March.
  it('London, repeated 01:30 on 27 October 2024 is the second, GMT (01:30Z)', () => {
    assert.equal(iso(dateIn('Europe/London', 2024, 10, 27, 1, 30, 0)), '2024-10-27T01:30:00.000Z');
    assert.equal(iso(dateIn('Europe/London', 2024, 10, 27, 0, 30, 0)), '2024-10-26T23:30:00.000Z');
  });
  it('London, skipped 01:30 on 31 March 2024 is 02:30 BST (01:30Z)', () => {
    assert.equal(iso(dateIn('Europe/London', 2024, 3, 31, 1, 30, 0)), '2024-03-31T01:30:00.000Z');
    assert.equal(iso(dateIn('Europe/London', 2024, 3, 31, 2, 30, 0)), '2024-03-31T01:30:00.000Z');
  });
  it('Berlin, skipped 02:30 is 03:30 CEST and repeated 02:30 the second, CET (both 01:30Z)', () => {
    assert.equal(iso(dateIn('Europe/Berlin', 2024, 3, 31, 2, 30, 0)), '2024-03-31T01:30:00.000Z');
    assert.equal(iso(dateIn('Europe/Berlin', 2024, 10, 27, 2, 30, 0)), '2024-10-27T01:30:00.000Z');
    assert.equal(iso(dateIn('Europe/Berlin', 2024, 10, 27, 1, 30, 0)), '2024-10-26T23:30:00.000Z');
  });
  it('Lord Howe, skipped 02:15 is 02:45 +11 (15:45Z)', () => {
    assert.equal(
      iso(dateIn('Australia/Lord_Howe', 2026, 10, 4, 2, 15, 0)),
      '2026-10-03T15:45:00.000Z',
    );
  });
  it('Beirut, skipped midnight: 00:30 on 25 March 2012 is 01:30 +3 (22:30Z)', () => {
    assert.equal(iso(dateIn('Asia/Beirut', 2012, 3, 25, 0, 30, 0)), '2012-03-24T22:30:00.000Z');
    assert.equal(iso(dateIn('Asia/Beirut', 2012, 3, 25, 0, 0, 0)), '2012-03-24T22:00:00.000Z');
  });
  it('Apia, the skipped 30 December 2011: noon is noon on the 31st (22:00Z)', () => {
    assert.equal(iso(dateIn('Pacific/Apia', 2011, 12, 30, 12, 0, 0)), '2011-12-30T22:00:00.000Z');
  });
});
