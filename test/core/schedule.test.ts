/**
 * Due times as the CronJob controller computes them (robfig/cron v3), as a table: cases in
 * the spirit of Kubernetes' own controller tests (most recent schedule time, next schedule
 * time, time zones and DST) and robfig's spec tests (macros, `?`, the day-of-month /
 * day-of-week rule). Expected instants are written out by hand, not computed.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {compileSchedule} from '../../functions/core/schedule.js';

interface Case {
  name: string;
  schedule: string;
  timeZone?: string | null;
  at: string;
  expect: string | null;
}

function compiled(schedule: string, timeZone: string | null = null) {
  const result = compileSchedule(schedule, timeZone);
  assert.ok(result.ok, result.ok ? '' : result.problem);
  return result.schedule;
}

const LATEST: Case[] = [
  {
    name: 'hourly, just after the hour',
    schedule: '0 * * * ?',
    at: '2016-05-19T10:00:02Z',
    expect: '2016-05-19T10:00:00Z',
  },
  {
    name: 'hourly, a second before the hour',
    schedule: '0 * * * ?',
    at: '2016-05-19T09:59:59Z',
    expect: '2016-05-19T09:00:00Z',
  },
  {
    name: 'exactly at a due time counts',
    schedule: '0 * * * *',
    at: '2016-05-19T10:00:00Z',
    expect: '2016-05-19T10:00:00Z',
  },
  {
    name: 'every five minutes',
    schedule: '*/5 * * * *',
    at: '2016-05-19T10:07:00Z',
    expect: '2016-05-19T10:05:00Z',
  },
  {
    name: '@hourly',
    schedule: '@hourly',
    at: '2016-05-19T10:30:00Z',
    expect: '2016-05-19T10:00:00Z',
  },
  {name: '@daily', schedule: '@daily', at: '2016-05-19T10:00:00Z', expect: '2016-05-19T00:00:00Z'},
  {
    name: '@midnight',
    schedule: '@midnight',
    at: '2016-05-19T10:00:00Z',
    expect: '2016-05-19T00:00:00Z',
  },
  {
    name: '@weekly (Sunday)',
    schedule: '@weekly',
    at: '2016-05-19T10:00:00Z',
    expect: '2016-05-15T00:00:00Z',
  },
  {
    name: '@monthly',
    schedule: '@monthly',
    at: '2016-05-19T10:00:00Z',
    expect: '2016-05-01T00:00:00Z',
  },
  {
    name: '@yearly',
    schedule: '@yearly',
    at: '2016-05-19T10:00:00Z',
    expect: '2016-01-01T00:00:00Z',
  },
  {
    name: '@annually',
    schedule: '@annually',
    at: '2016-05-19T10:00:00Z',
    expect: '2016-01-01T00:00:00Z',
  },
  {
    name: '29 February, years back',
    schedule: '0 0 29 2 *',
    at: '2026-03-04T15:00:00Z',
    expect: '2024-02-29T00:00:00Z',
  },
  {
    name: 'Asia/Tokyo 09:00, at 09:30 JST',
    schedule: '0 9 * * *',
    timeZone: 'Asia/Tokyo',
    at: '2026-03-02T00:30:00Z',
    expect: '2026-03-02T00:00:00Z',
  },
  {
    name: 'Asia/Tokyo 09:00, at 08:59 JST',
    schedule: '0 9 * * *',
    timeZone: 'Asia/Tokyo',
    at: '2026-03-01T23:59:00Z',
    expect: '2026-03-01T00:00:00Z',
  },
  {
    name: 'TZ= prefix (older CronJobs)',
    schedule: 'TZ=Asia/Tokyo 0 9 * * *',
    at: '2026-03-02T00:30:00Z',
    expect: '2026-03-02T00:00:00Z',
  },
  {
    name: 'CRON_TZ= prefix',
    schedule: 'CRON_TZ=Asia/Tokyo 0 9 * * *',
    at: '2026-03-02T00:30:00Z',
    expect: '2026-03-02T00:00:00Z',
  },
  {
    // Issue 20: the controller's formatSchedule keeps a schedule's own TZ= prefix.
    name: 'a TZ= prefix wins over spec.timeZone',
    schedule: 'TZ=Asia/Tokyo 0 9 * * *',
    timeZone: 'UTC',
    at: '2026-03-02T08:30:00Z',
    expect: '2026-03-02T00:00:00Z',
  },
  {
    name: 'day of month OR day of week: the 1st (a Wednesday)',
    schedule: '0 0 1 * 1',
    at: '2026-04-01T12:00:00Z',
    expect: '2026-04-01T00:00:00Z',
  },
  {
    name: 'day of month OR day of week: a Monday',
    schedule: '0 0 1 * 1',
    at: '2026-03-31T12:00:00Z',
    expect: '2026-03-30T00:00:00Z',
  },
  {
    name: '`*/1` day of month is unrestricted: Mondays only',
    schedule: '0 0 */1 * 1',
    at: '2026-04-01T12:00:00Z',
    expect: '2026-03-30T00:00:00Z',
  },
  {
    name: '`*/2` day of month is restricted: odd days OR Mondays',
    schedule: '0 0 */2 * 1',
    at: '2026-03-02T12:00:00Z',
    expect: '2026-03-02T00:00:00Z',
  },
  {
    name: '`?` day of month: Mondays only',
    schedule: '0 0 ? * 1',
    at: '2026-04-01T12:00:00Z',
    expect: '2026-03-30T00:00:00Z',
  },
  {
    name: 'named day of week',
    schedule: '5 4 * * sun',
    at: '2026-03-04T00:00:00Z',
    expect: '2026-03-01T04:05:00Z',
  },
  {
    name: 'DST New York: the day after spring forward',
    schedule: '30 2 * * *',
    timeZone: 'America/New_York',
    at: '2026-03-09T12:00:00Z',
    expect: '2026-03-09T06:30:00Z',
  },
  {
    name: 'DST New York: 02:30 does not exist on 8 March, skipped',
    schedule: '30 2 * * *',
    timeZone: 'America/New_York',
    at: '2026-03-08T12:00:00Z',
    expect: '2026-03-07T07:30:00Z',
  },
  {
    // Issue 20: robfig runs a repeated wall time twice; the second is 01:30 EST.
    name: 'DST New York: 01:30 on fall-back day, the second one',
    schedule: '30 1 * * *',
    timeZone: 'America/New_York',
    at: '2026-11-01T07:00:00Z',
    expect: '2026-11-01T06:30:00Z',
  },
];

const NEXT: Case[] = [
  {
    name: 'hourly, from just before the hour',
    schedule: '0 * * * ?',
    at: '2016-05-19T09:59:00Z',
    expect: '2016-05-19T10:00:00Z',
  },
  {
    name: 'strictly after a due time',
    schedule: '0 * * * ?',
    at: '2016-05-19T10:00:00Z',
    expect: '2016-05-19T11:00:00Z',
  },
  {
    name: 'Asia/Tokyo 09:00 from 00:30 UTC',
    schedule: '0 9 * * *',
    timeZone: 'Asia/Tokyo',
    at: '2026-03-02T00:30:00Z',
    expect: '2026-03-03T00:00:00Z',
  },
  {
    name: 'DST New York: skips the missing 02:30',
    schedule: '30 2 * * *',
    timeZone: 'America/New_York',
    at: '2026-03-07T12:00:00Z',
    expect: '2026-03-09T06:30:00Z',
  },
  {
    // Issue 20: after 01:30 EDT comes 01:30 EST, an hour later.
    name: 'DST New York: fall back runs 01:30 twice',
    schedule: '30 1 * * *',
    timeZone: 'America/New_York',
    at: '2026-11-01T05:30:00Z',
    expect: '2026-11-01T06:30:00Z',
  },
  {
    name: 'Europe/Berlin across the March change',
    schedule: '0 3 * * *',
    timeZone: 'Europe/Berlin',
    at: '2026-03-28T12:00:00Z',
    expect: '2026-03-29T01:00:00Z',
  },
];

describe('compileSchedule: the latest due time at or before a moment', () => {
  for (const c of LATEST) {
    it(c.name, () => {
      const due = compiled(c.schedule, c.timeZone ?? null).latestAtOrBefore(new Date(c.at));
      assert.equal(
        due?.toISOString() ?? null,
        c.expect === null ? null : new Date(c.expect).toISOString(),
      );
    });
  }
});

describe('compileSchedule: the next due time after a moment', () => {
  for (const c of NEXT) {
    it(c.name, () => {
      const due = compiled(c.schedule, c.timeZone ?? null).nextAfter(new Date(c.at));
      assert.equal(
        due?.toISOString() ?? null,
        c.expect === null ? null : new Date(c.expect).toISOString(),
      );
    });
  }
});

describe('compileSchedule: due times in a range and refusals', () => {
  it('lists due times after one moment up to another, capped', () => {
    const hourly = compiled('0 * * * *');
    const due = hourly.dueBetween(
      new Date('2016-05-19T08:00:00Z'),
      new Date('2016-05-19T10:05:00Z'),
      10,
    );
    assert.deepEqual(
      due.map(d => d.toISOString()),
      ['2016-05-19T09:00:00.000Z', '2016-05-19T10:00:00.000Z'],
    );
    assert.equal(
      hourly.dueBetween(new Date('2016-05-01T00:00:00Z'), new Date('2016-05-19T00:00:00Z'), 101)
        .length,
      101,
    );
  });
  for (const [schedule, zone, problem] of [
    ['obvious error schedule', null, /five fields/],
    ['61 * * * *', null, /cannot be read/],
    ['0 9 * * *', 'Mars/Olympus_Mons', /unknown time zone/],
  ] as const) {
    it(`refuses ${schedule} in ${zone ?? 'UTC'}`, () => {
      const result = compileSchedule(schedule, zone);
      assert.equal(result.ok, false);
      assert.match(result.ok ? '' : result.problem, problem);
    });
  }
});
