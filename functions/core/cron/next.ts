/**
 * robfig/cron v3's `Next`: the first activation strictly after an instant, step for step as
 * robfig computes it, so daylight-saving days come out as they do in the controller:
 *
 * - a wall time that occurs twice (fall back) runs twice — hourly and daily schedules alike,
 *   because robfig walks hours and minutes as elapsed time once it has found the day;
 * - a wall time that does not exist (spring forward) is not run that day, except where
 *   robfig's hour walk lands on it shifted (a `0 2 * * *` job in New York is skipped, but
 *   `0 * * * *` runs at 01:00 EST then 03:00 EDT).
 *
 * Times are milliseconds since the epoch; the schedule's own resolution is the second.
 */
import type {ConstantDelaySchedule, CronSchedule, FieldSet, SpecSchedule} from './parse.js';
import {civilOf, dateIn, offsetAt, type Civil} from './zone.js';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;

function allows(field: FieldSet, value: number): boolean {
  return field.values[value] === true;
}

/** robfig's `dayMatches`: both day fields must match if either was written unrestricted. */
function dayMatches(schedule: SpecSchedule, civil: Civil): boolean {
  const dom = allows(schedule.dayOfMonth, civil.day);
  const dow = allows(schedule.dayOfWeek, civil.weekday);
  if (schedule.dayOfMonth.star || schedule.dayOfWeek.star) return dom && dow;
  return dom || dow;
}

function truncate(ms: number, unitMs: number): number {
  return ms - (((ms % unitMs) + unitMs) % unitMs);
}

/**
 * Where robfig adds one minute (or second) at a time until the field matches or rolls over
 * to 0, this lands where that walk stops in one step: the next allowed value, else the
 * rollover. The shortcut holds while the zone's offset stays the same over the jump (no
 * zone changes twice within an hour); across a change it takes robfig's single step.
 */
function stepTo(zone: string, t: number, field: FieldSet, current: number, unitMs: number): number {
  let target = current + 1;
  while (target < 60 && field.values[target] !== true) target++;
  const jumped = t + (target - current) * unitMs;
  return offsetAt(zone, jumped) === offsetAt(zone, t) ? jumped : t + unitMs;
}

/** `SpecSchedule.Next`: null where robfig returns the zero time (nothing within 5 years). */
function nextSpec(schedule: SpecSchedule, afterMs: number): number | null {
  const zone = schedule.zone;
  // The earliest candidate is the next whole second.
  let t = truncate(afterMs, SECOND_MS) + SECOND_MS;
  let c = civilOf(zone, t);
  let added = false;
  const yearLimit = c.year + 5;
  const at = (ms: number) => {
    t = ms;
    c = civilOf(zone, t);
  };
  // Stryker's switch for `for (;;)` → `for (; false;)` would wrap the loop in an `if` and leave
  // the label on the `if`, which `continue wrap` cannot name: the mutant could not even load.
  // Stryker disable next-line ConditionalExpression
  wrap: for (;;) {
    if (c.year > yearLimit) return null;

    while (!allows(schedule.month, c.month)) {
      if (!added) {
        added = true;
        at(dateIn(zone, c.year, c.month, 1, 0, 0, 0));
      }
      at(dateIn(zone, c.year, c.month + 1, c.day, c.hour, c.minute, c.second));
      if (c.month === 1) continue wrap;
    }

    while (!dayMatches(schedule, c)) {
      if (!added) {
        added = true;
        at(dateIn(zone, c.year, c.month, c.day, 0, 0, 0));
      }
      at(dateIn(zone, c.year, c.month, c.day + 1, c.hour, c.minute, c.second));
      // Where midnight does not exist the day starts at 01:00 (or the day before's 23:00):
      // robfig moves back to the day's first hour.
      if (c.hour !== 0) {
        if (c.hour > 12) at(t + (24 - c.hour) * HOUR_MS);
        else at(t - c.hour * HOUR_MS);
      }
      if (c.day === 1) continue wrap;
    }

    while (!allows(schedule.hour, c.hour)) {
      if (!added) {
        added = true;
        at(dateIn(zone, c.year, c.month, c.day, c.hour, 0, 0));
      }
      at(t + HOUR_MS);
      if (c.hour === 0) continue wrap;
    }

    while (!allows(schedule.minute, c.minute)) {
      if (!added) {
        added = true;
        at(truncate(t, MINUTE_MS));
      }
      at(stepTo(zone, t, schedule.minute, c.minute, MINUTE_MS));
      if (c.minute === 0) continue wrap;
    }

    while (!allows(schedule.second, c.second)) {
      if (!added) {
        added = true;
        at(truncate(t, SECOND_MS));
      }
      at(stepTo(zone, t, schedule.second, c.second, SECOND_MS));
      if (c.second === 0) continue wrap;
    }

    return t;
  }
}

/** `ConstantDelaySchedule.Next`: the delay after the instant, cut to its whole second. */
function nextEvery(schedule: ConstantDelaySchedule, afterMs: number): number {
  return truncate(afterMs, SECOND_MS) + schedule.delaySeconds * SECOND_MS;
}

/** robfig's `Schedule.Next`, in ms; null for robfig's zero time (never, within 5 years). */
export function nextActivation(schedule: CronSchedule, afterMs: number): number | null {
  return schedule.kind === 'every' ? nextEvery(schedule, afterMs) : nextSpec(schedule, afterMs);
}
