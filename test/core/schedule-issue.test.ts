/**
 * The schedules issue 20 names, worked out by hand from robfig's rules: `N/step` is
 * `N-max/step`; `@every` adds the delay to the previous run, cut to the second; a wall time
 * that occurs twice on a fall-back day runs twice; a `TZ=` prefix beats `spec.timeZone`
 * (formatSchedule). Also the range functions the missed-run check needs.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {compileSchedule, type CompiledSchedule} from '../../functions/core/schedule.js';

function compiled(schedule: string, timeZone: string | null = null): CompiledSchedule {
  const result = compileSchedule(schedule, timeZone);
  assert.ok(result.ok, result.ok ? '' : result.problem);
  return result.schedule;
}

const at = (iso: string) => new Date(iso);
const isos = (dates: Date[]) => dates.map(d => d.toISOString().replace('.000Z', 'Z'));

describe('issue 20: schedules the controller accepts', () => {
  const cases: {schedule: string; after: string; until: string; due: string[]}[] = [
    {
      schedule: '0/15 * * * *',
      after: '2026-03-02T10:07:00Z',
      until: '2026-03-02T11:00:00Z',
      due: [
        '2026-03-02T10:15:00Z',
        '2026-03-02T10:30:00Z',
        '2026-03-02T10:45:00Z',
        '2026-03-02T11:00:00Z',
      ],
    },
    {
      schedule: '5/15 * * * *',
      after: '2026-03-02T10:50:00Z',
      until: '2026-03-02T11:40:00Z',
      due: ['2026-03-02T11:05:00Z', '2026-03-02T11:20:00Z', '2026-03-02T11:35:00Z'],
    },
    // Mon/2 = Mon-Sat/2: Monday, Wednesday, Friday (2 March 2026 is a Monday).
    {
      schedule: '0 0 * * Mon/2',
      after: '2026-03-01T12:00:00Z',
      until: '2026-03-09T00:00:00Z',
      due: [
        '2026-03-02T00:00:00Z',
        '2026-03-04T00:00:00Z',
        '2026-03-06T00:00:00Z',
        '2026-03-09T00:00:00Z',
      ],
    },
    {
      schedule: '@every 1h',
      after: '2026-03-02T10:00:00Z',
      until: '2026-03-02T13:00:00Z',
      due: ['2026-03-02T11:00:00Z', '2026-03-02T12:00:00Z', '2026-03-02T13:00:00Z'],
    },
    {
      schedule: '@every 90m',
      after: '2026-03-02T10:00:00Z',
      until: '2026-03-02T15:00:00Z',
      due: ['2026-03-02T11:30:00Z', '2026-03-02T13:00:00Z', '2026-03-02T14:30:00Z'],
    },
    {
      schedule: '@every 1h30m',
      after: '2026-03-02T10:00:00Z',
      until: '2026-03-02T13:00:00Z',
      due: ['2026-03-02T11:30:00Z', '2026-03-02T13:00:00Z'],
    },
    // Counted from an instant with milliseconds: robfig cuts it to the second first.
    {
      schedule: '@every 1h',
      after: '2026-03-02T10:00:00.750Z',
      until: '2026-03-02T12:00:00Z',
      due: ['2026-03-02T11:00:00Z', '2026-03-02T12:00:00Z'],
    },
  ];
  for (const c of cases) {
    it(`${c.schedule}: due after ${c.after} until ${c.until}`, () => {
      const schedule = compiled(c.schedule);
      assert.deepEqual(isos(schedule.dueBetween(at(c.after), at(c.until), 100)), c.due);
      assert.equal(schedule.countBetween(at(c.after), at(c.until), 100), c.due.length);
      assert.equal(
        schedule.latestBetween(at(c.after), at(c.until))?.toISOString(),
        at(c.due.at(-1) ?? '').toISOString(),
      );
    });
  }

  it('@every durations: rounded down to the second, at least one second', () => {
    for (const [schedule, seconds] of [
      ['@every 1h', 3600],
      ['@every 90m', 5400],
      ['@every 1h30m', 5400],
      ['@every 1.5h', 5400],
      ['@every 2.9s', 2],
      ['@every 500ms', 1],
      ['@every 0', 1],
    ] as const) {
      assert.equal(compiled(schedule).everySeconds, seconds, schedule);
    }
  });

  it('refuses what robfig refuses, saying why', () => {
    for (const [schedule, problem] of [
      ['@every 1hour', /unknown unit "hour"/],
      ['@every 1H', /unknown unit "H"/],
      ['@every', /unrecognized descriptor/],
      ['@Hourly', /unrecognized descriptor/],
      ['0 0 * * Monday', /failed to parse int from Monday/],
      ['0 0 0 * *', /below minimum/],
      ['0 0 * * 7', /above maximum/],
      ['*/0 * * * *', /positive number/],
      ['0 * * *', /five fields/],
      ['TZ=Mars/Olympus 0 * * * *', /bad location Mars\/Olympus/],
    ] as const) {
      const result = compileSchedule(schedule, null);
      assert.equal(result.ok, false, schedule);
      assert.match(result.ok ? '' : result.problem, problem);
    }
  });
});

describe('issue 20: one rule for daylight saving (robfig)', () => {
  it('fall back: 30 1 * * * in New York runs at 01:30 EDT and again at 01:30 EST', () => {
    const daily = compiled('30 1 * * *', 'America/New_York');
    assert.deepEqual(
      isos(daily.dueBetween(at('2026-10-31T12:00:00Z'), at('2026-11-02T12:00:00Z'), 10)),
      ['2026-11-01T05:30:00Z', '2026-11-01T06:30:00Z', '2026-11-02T06:30:00Z'],
    );
  });
  it('fall back: 0 * * * * in New York repeats 01:00 as well', () => {
    const hourly = compiled('0 * * * *', 'America/New_York');
    assert.deepEqual(
      isos(hourly.dueBetween(at('2026-11-01T04:30:00Z'), at('2026-11-01T07:30:00Z'), 10)),
      ['2026-11-01T05:00:00Z', '2026-11-01T06:00:00Z', '2026-11-01T07:00:00Z'],
    );
  });
  it('spring forward: 30 2 * * * in New York has no run on 8 March', () => {
    const daily = compiled('30 2 * * *', 'America/New_York');
    assert.deepEqual(
      isos(daily.dueBetween(at('2026-03-07T12:00:00Z'), at('2026-03-09T12:00:00Z'), 10)),
      ['2026-03-09T06:30:00Z'],
    );
  });
});

describe('issue 20: zones as formatSchedule sets them', () => {
  for (const prefix of ['TZ', 'CRON_TZ']) {
    it(`${prefix}= prefix with spec.timeZone: the prefix is kept`, () => {
      const schedule = compiled(`${prefix}=Asia/Tokyo 0 9 * * *`, 'America/New_York');
      assert.equal(schedule.timeZone, 'Asia/Tokyo');
      assert.equal(schedule.timeZoneSource, 'schedule');
      assert.equal(schedule.timeZoneIgnored, true);
      assert.equal(schedule.fields, '0 9 * * *');
      assert.equal(
        schedule.latestAtOrBefore(at('2026-03-02T08:30:00Z'))?.toISOString(),
        '2026-03-02T00:00:00.000Z',
      );
    });
  }
  it('spec.timeZone alone', () => {
    const schedule = compiled('0 9 * * *', 'America/New_York');
    assert.equal(schedule.timeZone, 'America/New_York');
    assert.equal(schedule.timeZoneSource, 'spec.timeZone');
    assert.equal(schedule.timeZoneIgnored, false);
  });
  it('a spec.timeZone the controller cannot load stops the CronJob, prefix or not', () => {
    for (const schedule of ['0 9 * * *', 'TZ=Asia/Tokyo 0 9 * * *']) {
      const result = compileSchedule(schedule, 'america/new_york');
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.problem, /unknown time zone "america\/new_york"/);
    }
  });
});

describe('issue 20: counting and the latest due time', () => {
  it('latestBetween is the newest due time even past the cap (latestDueAt at the cap)', () => {
    const hourly = compiled('0 * * * *');
    const [after, until] = [at('2026-03-01T00:00:00Z'), at('2026-03-08T00:30:00Z')];
    assert.equal(hourly.countBetween(after, until, 101), 101);
    assert.equal(hourly.countBetween(after, until, 1000), 168);
    assert.equal(hourly.latestBetween(after, until)?.toISOString(), '2026-03-08T00:00:00.000Z');
    assert.equal(hourly.latestBetween(until, at('2026-03-08T00:45:00Z')), null);
  });
  it('@every: counted in closed form from the anchor', () => {
    const every = compiled('@every 1h');
    const [after, until] = [at('2026-03-01T00:00:00Z'), at('2026-03-08T00:30:00Z')];
    assert.equal(every.countBetween(after, until, 101), 101);
    assert.equal(every.countBetween(after, until, 1000), 168);
    assert.equal(every.latestBetween(after, until)?.toISOString(), '2026-03-08T00:00:00.000Z');
    assert.equal(every.latestAtOrBefore(at('2026-03-02T13:30:00Z')), null);
    assert.equal(
      every
        .latestAtOrBefore(at('2026-03-02T13:30:00Z'), at('2026-03-02T10:00:00.500Z'))
        ?.toISOString(),
      '2026-03-02T13:00:00.000Z',
    );
  });
  it('a yearly schedule looks back years in few steps', () => {
    const leap = compiled('0 0 29 2 *');
    assert.equal(
      leap.latestAtOrBefore(at('2031-03-01T00:00:00Z'))?.toISOString(),
      '2028-02-29T00:00:00.000Z',
    );
    assert.equal(leap.countBetween(at('2020-01-01T00:00:00Z'), at('2033-01-01T00:00:00Z'), 10), 4);
  });
});
