/**
 * Zone names Go's `time.LoadLocation` has no file for, though the runtime's `Intl` takes them:
 * UTC offsets (`+05:00`, `-0500`) and names in the wrong case. Go opens the tz database file
 * of that exact name (the system's zoneinfo directory, else the copy embedded in the binary),
 * and every zone there is a path whose parts begin with a capital letter (`America/New_York`,
 * `Etc/GMT+5`, `EST5EDT`, `GMT0`). The controller refuses such a CronJob (UnknownTimeZone for
 * spec.timeZone, an unparseable schedule for CRON_TZ=), so the watcher must not run it on a
 * clock of its own.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {loadLocation} from '../../functions/core/cron/zone.js';
import {compileSchedule} from '../../functions/core/schedule.js';

describe('loadLocation refuses what is no tz database file', () => {
  for (const name of ['+05:00', '-0500', '+05', '\u221205:00', '+00:00']) {
    it(`a UTC offset: ${JSON.stringify(name)}`, () => {
      assert.equal(loadLocation(name), null);
    });
  }
  for (const name of ['us/eastern', 'gmt', 'zulu', 'etc/utc', 'europe/Paris', 'Europe/paris']) {
    it(`a name in the wrong case: ${name}`, () => {
      assert.equal(loadLocation(name), null);
    });
  }
  it('the names written as the database writes them still load', () => {
    for (const name of ['GMT', 'Zulu', 'Etc/UTC', 'Etc/GMT-14', 'GMT0', 'EST5EDT', 'NZ-CHAT']) {
      assert.equal(loadLocation(name), name);
    }
  });
});

describe('a CronJob on an offset has no schedule the controller runs', () => {
  it('spec.timeZone "+05:00" is an unknown time zone', () => {
    assert.deepEqual(compileSchedule('0 9 * * *', '+05:00'), {
      ok: false,
      problem: 'unknown time zone "+05:00" in spec.timeZone',
    });
  });
  it('CRON_TZ=-05:00 in the schedule cannot be read', () => {
    assert.deepEqual(compileSchedule('CRON_TZ=-05:00 0 9 * * *', null), {
      ok: false,
      problem:
        'schedule "CRON_TZ=-05:00 0 9 * * *" cannot be read: provided bad location -05:00: unknown time zone -05:00',
    });
  });
});
