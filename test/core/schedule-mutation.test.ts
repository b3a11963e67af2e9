/**
 * The range functions of a compiled schedule (schedule.ts) on `@every` and calendar schedules,
 * at their edges: where a window starts and ends, the cap, sub-second instants, the anchor of
 * `@every`, the years a schedule is evaluated in, and the compile cache. `@every D` is robfig's
 * ConstantDelaySchedule: each run is the previous instant cut to its second, plus D. Every
 * expected instant below is that arithmetic, or a calendar read off by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  compileSchedule,
  controllerScheduleText,
  controllerRequeueAfterMs,
  mostRecentScheduleTime,
  type CompiledSchedule,
} from '../../functions/core/schedule.js';

function compiled(schedule: string, timeZone: string | null = null): CompiledSchedule {
  const result = compileSchedule(schedule, timeZone);
  assert.ok(result.ok, result.ok ? '' : result.problem);
  return result.schedule;
}

const at = (iso: string) => new Date(iso);
const iso = (d: Date | null) => d?.toISOString().replace('.000Z', 'Z') ?? null;

describe('@every 10m: runs follow one another from the instant given', () => {
  const every = compiled('@every 10m');
  // From 10:00:30.500: runs at 10:10:30, 10:20:30, 10:30:30, …
  const after = at('2026-03-02T10:00:30.500Z');

  it('nextAfter cuts to the second and adds the delay', () => {
    assert.equal(iso(every.nextAfter(after)), '2026-03-02T10:10:30Z');
  });
  it('countBetween counts the runs in (after, until]', () => {
    assert.equal(every.countBetween(after, at('2026-03-02T10:10:29Z'), 100), 0);
    assert.equal(every.countBetween(after, at('2026-03-02T10:10:30Z'), 100), 1);
    assert.equal(every.countBetween(after, at('2026-03-02T10:30:29Z'), 100), 2);
    assert.equal(every.countBetween(after, at('2026-03-02T10:30:30Z'), 100), 3);
    assert.equal(every.countBetween(after, at('2026-03-02T11:00:30Z'), 100), 6);
  });
  it('countBetween stops at the cap', () => {
    assert.equal(every.countBetween(after, at('2026-03-02T11:00:30Z'), 4), 4);
    assert.equal(every.countBetween(after, at('2026-03-02T11:00:30Z'), 6), 6);
    assert.equal(every.countBetween(after, at('2026-03-02T11:00:30Z'), 7), 6);
  });
  it('latestBetween is the newest run in (after, until]', () => {
    assert.equal(every.latestBetween(after, at('2026-03-02T10:10:29Z')), null);
    assert.equal(
      iso(every.latestBetween(after, at('2026-03-02T10:10:30Z'))),
      '2026-03-02T10:10:30Z',
    );
    assert.equal(
      iso(every.latestBetween(after, at('2026-03-02T10:45:00Z'))),
      '2026-03-02T10:40:30Z',
    );
    assert.equal(
      iso(every.latestBetween(after, at('2026-03-02T10:50:30Z'))),
      '2026-03-02T10:50:30Z',
    );
  });
  it('dueBetween lists them, oldest first, at most cap', () => {
    assert.deepEqual(every.dueBetween(after, at('2026-03-02T10:30:30Z'), 100).map(iso), [
      '2026-03-02T10:10:30Z',
      '2026-03-02T10:20:30Z',
      '2026-03-02T10:30:30Z',
    ]);
    assert.deepEqual(every.dueBetween(after, at('2026-03-02T10:30:30Z'), 2).map(iso), [
      '2026-03-02T10:10:30Z',
      '2026-03-02T10:20:30Z',
    ]);
  });
  it('latestAtOrBefore counts from the anchor (the last run), and needs one', () => {
    const anchor = at('2026-03-02T09:00:00.900Z');
    assert.equal(
      iso(every.latestAtOrBefore(at('2026-03-02T09:35:00Z'), anchor)),
      '2026-03-02T09:30:00Z',
    );
    assert.equal(
      iso(every.latestAtOrBefore(at('2026-03-02T09:10:00Z'), anchor)),
      '2026-03-02T09:10:00Z',
    );
    assert.equal(every.latestAtOrBefore(at('2026-03-02T09:09:59Z'), anchor), null);
    assert.equal(every.latestAtOrBefore(at('2026-03-02T09:35:00Z')), null);
    assert.equal(every.latestAtOrBefore(at('2026-03-02T09:35:00Z'), null), null);
    assert.equal(
      every.latestAtOrBefore(at('2026-03-02T09:35:00Z'), at('1970-06-01T00:00:00Z')),
      null,
    );
  });
  it('reports its delay and no zone', () => {
    assert.equal(every.everySeconds, 600);
    assert.equal(every.timeZone, 'UTC');
    assert.equal(compiled('0 * * * *').everySeconds, null);
  });
});

describe('calendar schedules: windows at their edges', () => {
  const hourly = compiled('0 * * * *');

  it('latestBetween is null when the latest due time is the window’s own start', () => {
    assert.equal(
      hourly.latestBetween(at('2026-03-02T10:00:00Z'), at('2026-03-02T10:59:59Z')),
      null,
    );
    assert.equal(
      iso(hourly.latestBetween(at('2026-03-02T09:59:59Z'), at('2026-03-02T10:59:59Z'))),
      '2026-03-02T10:00:00Z',
    );
    assert.equal(
      iso(hourly.latestBetween(at('2026-03-02T09:00:00Z'), at('2026-03-02T12:00:00Z'))),
      '2026-03-02T12:00:00Z',
    );
  });
  it('countBetween and dueBetween agree, and stop at the cap', () => {
    const after = at('2026-03-02T09:30:00Z');
    const until = at('2026-03-02T14:00:00Z');
    assert.equal(hourly.countBetween(after, until, 100), 5);
    assert.equal(hourly.countBetween(after, until, 3), 3);
    assert.deepEqual(hourly.dueBetween(after, until, 100).map(iso), [
      '2026-03-02T10:00:00Z',
      '2026-03-02T11:00:00Z',
      '2026-03-02T12:00:00Z',
      '2026-03-02T13:00:00Z',
      '2026-03-02T14:00:00Z',
    ]);
  });
  it('latestAtOrBefore finds a yearly due time from late in the year', () => {
    const yearly = compiled('@yearly');
    assert.equal(iso(yearly.latestAtOrBefore(at('2026-12-31T23:59:59Z'))), '2026-01-01T00:00:00Z');
    assert.equal(iso(yearly.latestAtOrBefore(at('2026-01-01T00:00:00Z'))), '2026-01-01T00:00:00Z');
  });
  it('latestAtOrBefore finds 29 February eight years back, across 2100', () => {
    const leap = compiled('0 0 29 2 *');
    assert.equal(iso(leap.latestAtOrBefore(at('2103-12-31T00:00:00Z'))), '2096-02-29T00:00:00Z');
  });
  it('a schedule that never comes due (30 February) has nothing anywhere', () => {
    const never = compiled('0 0 30 2 *');
    assert.equal(never.latestAtOrBefore(at('2026-03-02T00:00:00Z')), null);
    assert.deepEqual(
      never.dueBetween(at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'), 10),
      [],
    );
    assert.equal(never.countBetween(at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'), 10), 0);
    assert.equal(never.latestBetween(at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z')), null);
  });
});

describe('the years a schedule is evaluated in: 1971 to 9000', () => {
  const hourly = compiled('0 * * * *');
  it('from the first instant of 1971', () => {
    assert.equal(iso(hourly.nextAfter(at('1971-01-01T00:00:00Z'))), '1971-01-01T01:00:00Z');
    assert.equal(hourly.nextAfter(at('1970-12-31T23:59:59.999Z')), null);
    assert.equal(iso(hourly.latestAtOrBefore(at('1971-01-01T00:00:00Z'))), '1971-01-01T00:00:00Z');
    assert.equal(hourly.latestAtOrBefore(at('1970-12-31T23:00:00Z')), null);
  });
  it('to the first instant of 9000', () => {
    assert.equal(iso(hourly.nextAfter(at('9000-01-01T00:00:00Z'))), '9000-01-01T01:00:00Z');
    assert.equal(hourly.nextAfter(at('9000-01-01T00:00:00.001Z')), null);
  });
  it('a window with either end outside has nothing in it', () => {
    const inside = at('2026-03-02T10:00:00Z');
    const before = at('1970-06-01T00:00:00Z');
    const beyond = at('9001-01-01T00:00:00Z');
    for (const schedule of [hourly, compiled('@every 1h')]) {
      assert.equal(schedule.countBetween(before, inside, 10), 0);
      assert.equal(schedule.countBetween(inside, beyond, 10), 0);
      assert.equal(schedule.latestBetween(before, inside), null);
      assert.equal(schedule.latestBetween(inside, beyond), null);
      assert.deepEqual(schedule.dueBetween(before, inside, 10), []);
      assert.deepEqual(schedule.dueBetween(inside, beyond, 10), []);
    }
    assert.equal(hourly.latestAtOrBefore(beyond), null);
    assert.equal(hourly.nextAfter(at('invalid')), null);
  });
});

describe('compiling', () => {
  it('never confuses two (schedule, zone) pairs that read alike end to end', () => {
    assert.ok(compileSchedule('0 * * * *', 'Etc/GMT+1').ok);
    const four = compileSchedule(' * * * *', 'Etc/GMT+10');
    assert.ok(!four.ok && four.problem.includes('does not have five fields'));
  });
  it('names where the zone came from, and the fields without a prefix', () => {
    const cases: [string, string | null, unknown][] = [
      [
        '0 6 * * *',
        null,
        {fields: '0 6 * * *', timeZone: 'UTC', source: 'default', ignored: false},
      ],
      [
        ' 0 6 * * * ',
        'Europe/Paris',
        {fields: '0 6 * * *', timeZone: 'Europe/Paris', source: 'spec.timeZone', ignored: false},
      ],
      [
        'TZ=Asia/Tokyo 0 6 * * *',
        null,
        {fields: '0 6 * * *', timeZone: 'Asia/Tokyo', source: 'schedule', ignored: false},
      ],
      [
        'CRON_TZ=Asia/Tokyo  0 6 * * *',
        'Europe/Paris',
        {fields: '0 6 * * *', timeZone: 'Asia/Tokyo', source: 'schedule', ignored: true},
      ],
    ];
    for (const [schedule, zone, expected] of cases) {
      const s = compiled(schedule, zone);
      assert.deepEqual(
        {
          fields: s.fields,
          timeZone: s.timeZone,
          source: s.timeZoneSource,
          ignored: s.timeZoneIgnored,
        },
        expected,
        `${schedule} / ${zone}`,
      );
    }
  });
  it('controllerScheduleText: TZ anywhere keeps the schedule as it is', () => {
    assert.deepEqual(controllerScheduleText('@daily # TZ', 'Europe/Paris'), {
      text: '@daily # TZ',
      timeZoneIgnored: true,
    });
    assert.deepEqual(controllerScheduleText('@daily # TZ', null), {
      text: '@daily # TZ',
      timeZoneIgnored: false,
    });
    assert.deepEqual(controllerScheduleText('@daily', 'Europe/Paris'), {
      text: 'TZ=Europe/Paris @daily',
      timeZoneIgnored: false,
    });
  });
  it('an unknown spec.timeZone refuses the CronJob whatever the schedule', () => {
    assert.deepEqual(compileSchedule('TZ=UTC 0 * * * *', 'Mars/Olympus'), {
      ok: false,
      problem: 'unknown time zone "Mars/Olympus" in spec.timeZone',
    });
  });
  it('a schedule robfig cannot read says why', () => {
    assert.deepEqual(compileSchedule('0 25 * * *', null), {
      ok: false,
      problem: 'schedule "0 25 * * *" cannot be read: end of range (25) above maximum (23): 25',
    });
  });
});

describe('mostRecentScheduleTime: the starting deadline only moves the start forward', () => {
  const hourly = compiled('0 * * * *');
  const now = at('2026-03-02T10:30:00Z');
  it('a deadline reaching back before the last run changes nothing', () => {
    const got = mostRecentScheduleTime(
      hourly,
      {
        createdAt: at('2026-03-01T00:00:00Z'),
        lastScheduleTime: at('2026-03-02T08:00:00Z'),
        startingDeadlineSeconds: 3 * 3600,
      },
      now,
      true,
    );
    assert.equal(iso(got.earliest), '2026-03-02T08:00:00Z');
    assert.equal(iso(got.mostRecent), '2026-03-02T10:00:00Z');
    assert.equal(got.missed, 'few');
  });
  it('a shorter deadline moves it', () => {
    const got = mostRecentScheduleTime(
      hourly,
      {
        createdAt: at('2026-03-01T00:00:00Z'),
        lastScheduleTime: at('2026-03-02T08:00:00Z'),
        startingDeadlineSeconds: 600,
      },
      now,
      true,
    );
    assert.equal(iso(got.earliest), '2026-03-02T10:20:00Z');
    assert.equal(got.mostRecent, null);
    assert.equal(got.missed, 'none');
  });
  it('exactly 100 missed is still "few"; 101 is "many"', () => {
    const minutely = compiled('* * * * *');
    const state = {
      createdAt: at('2026-03-02T00:00:00Z'),
      lastScheduleTime: null,
      startingDeadlineSeconds: null,
    };
    // t1 = 00:01; now = 00:01 + 99 minutes: 100 due times (00:01 … 01:40).
    const hundred = mostRecentScheduleTime(minutely, state, at('2026-03-02T01:40:00Z'), false);
    assert.equal(hundred.missed, 'few');
    assert.equal(iso(hundred.mostRecent), '2026-03-02T01:40:00Z');
    const more = mostRecentScheduleTime(minutely, state, at('2026-03-02T01:41:00Z'), false);
    assert.equal(more.missed, 'many');
  });
  it('now exactly at the second due time: that one is the most recent', () => {
    // The controller: "if now.Before(t2)" is false when now equals t2.
    const got = mostRecentScheduleTime(
      hourly,
      {
        createdAt: at('2026-03-01T00:00:00Z'),
        lastScheduleTime: at('2026-03-02T08:00:00Z'),
        startingDeadlineSeconds: null,
      },
      at('2026-03-02T10:00:00Z'),
      false,
    );
    assert.equal(iso(got.mostRecent), '2026-03-02T10:00:00Z');
    assert.equal(got.missed, 'few');
  });
  it('@every 1s: due times one second apart are due times', () => {
    const got = mostRecentScheduleTime(
      compiled('@every 1s'),
      {
        createdAt: at('2026-03-02T10:00:00Z'),
        lastScheduleTime: null,
        startingDeadlineSeconds: null,
      },
      at('2026-03-02T10:00:10Z'),
      false,
    );
    assert.deepEqual(
      {mostRecent: iso(got.mostRecent), missed: got.missed, error: got.error},
      {mostRecent: '2026-03-02T10:00:10Z', missed: 'few', error: null},
    );
  });
});

describe('mostRecentScheduleTime when the next due time is never', () => {
  const never = 'time difference between two schedules is less than 1 second';
  it('a schedule that never comes due: the controller’s error', () => {
    const got = mostRecentScheduleTime(
      compiled('59 23 31 2 *'),
      {
        createdAt: at('2026-01-01T00:00:00Z'),
        lastScheduleTime: null,
        startingDeadlineSeconds: null,
      },
      at('2026-03-02T10:00:00Z'),
      false,
    );
    assert.deepEqual(
      {mostRecent: got.mostRecent, missed: got.missed, error: got.error},
      {mostRecent: null, missed: 'none', error: never},
    );
  });
  // 29 February: 2096, then 2104 (2100 is no leap year), beyond robfig's five years.
  const leap = compiled('0 0 29 2 *');
  const state = {
    createdAt: at('2095-03-01T00:00:00Z'),
    lastScheduleTime: null,
    startingDeadlineSeconds: null,
  };
  it('due once (2096), then never again within five years: the same error', () => {
    const got = mostRecentScheduleTime(leap, state, at('2096-03-01T00:00:00Z'), false);
    assert.deepEqual(
      {
        earliest: iso(got.earliest),
        mostRecent: got.mostRecent,
        missed: got.missed,
        error: got.error,
      },
      {earliest: '2095-03-01T00:00:00Z', mostRecent: null, missed: 'none', error: never},
    );
  });
  it('…and the controller then looks again from now, where nothing is due: no requeue', () => {
    assert.equal(controllerRequeueAfterMs(leap, state, at('2096-03-01T00:00:00Z')), null);
  });
  it('due in 2088, 2092 and 2096, then never: the walk stops at 2096', () => {
    // t1 = 2088-02-29, t2 = 2092-02-29 (1,461 days apart); now is 3,015 days after t1, so the
    // controller looks from one gap before its estimate: 2092-02-29, then 2096-02-29.
    const got = mostRecentScheduleTime(
      leap,
      {
        createdAt: at('2087-03-01T00:00:00Z'),
        lastScheduleTime: null,
        startingDeadlineSeconds: null,
      },
      at('2096-06-01T00:00:00Z'),
      false,
    );
    assert.deepEqual(
      {mostRecent: iso(got.mostRecent), missed: got.missed, error: got.error},
      {mostRecent: '2096-02-29T00:00:00Z', missed: 'few', error: null},
    );
  });
});
