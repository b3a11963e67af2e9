/**
 * When a CronJob is due, as the CronJob controller sees it. The controller builds its schedule
 * with `formatSchedule` (a schedule that mentions `TZ` keeps its own prefix and ignores
 * `spec.timeZone`; otherwise `spec.timeZone`, when set, becomes a `TZ=` prefix) and parses it
 * with robfig/cron v3's `ParseStandard`; `./cron/` reproduces that parser and its `Next`.
 * Without any zone the controller's own applies: UTC on GKE.
 *
 * Calendar schedules have a fixed set of due times. `@every <duration>` has none of its own:
 * its runs follow one another at the delay, counted from the previous run
 * (`status.lastScheduleTime`, else `metadata.creationTimestamp`) — so the functions that
 * start from an instant (`nextAfter`, `dueBetween`, `countBetween`, `latestBetween`) read it
 * as robfig does, and `latestAtOrBefore` needs that anchor.
 */
import {nextActivation} from './cron/next.js';
import {CronParseError, parseStandard, type CronSchedule} from './cron/parse.js';
import {loadLocation} from './cron/zone.js';

/** Where a schedule's zone came from. */
export type TimeZoneSource = 'spec.timeZone' | 'schedule' | 'default';

/** A parsed schedule. */
export interface CompiledSchedule {
  /** The schedule as written, without a `TZ=`/`CRON_TZ=` prefix. */
  fields: string;
  /** The IANA zone the schedule runs in (`UTC` when none is set); irrelevant to `@every`. */
  timeZone: string;
  timeZoneSource: TimeZoneSource;
  /** True when `spec.timeZone` is set but ignored because the schedule names its own zone. */
  timeZoneIgnored: boolean;
  /** The `@every` delay in seconds; null for a calendar schedule. */
  everySeconds: number | null;
  /** The first due time strictly after `after` (for `@every`, `after` plus the delay). */
  nextAfter(after: Date): Date | null;
  /**
   * The last due time at or before `at`; null when there is none within 5 years. `@every`
   * counts from `anchor` (the last run, or creation) and has none without it.
   */
  latestAtOrBefore(at: Date, anchor?: Date | null): Date | null;
  /** Due times in (`after`, `until`], oldest first, at most `cap` of them. */
  dueBetween(after: Date, until: Date, cap: number): Date[];
  /** How many due times fall in (`after`, `until`], counting no further than `cap`. */
  countBetween(after: Date, until: Date, cap: number): number;
  /** The newest due time in (`after`, `until`], however many come before it; null if none. */
  latestBetween(after: Date, until: Date): Date | null;
}

/** A schedule, or why it cannot be evaluated. */
export type ScheduleResult = {ok: true; schedule: CompiledSchedule} | {ok: false; problem: string};

/**
 * The schedule text the controller parses (its `formatSchedule`), and whether `spec.timeZone`
 * was left out because the schedule carries a zone of its own. The controller checks for the
 * two letters `TZ` anywhere in the schedule, not for a well-formed prefix.
 */
export function controllerScheduleText(
  schedule: string,
  timeZone: string | null,
): {text: string; timeZoneIgnored: boolean} {
  if (schedule.includes('TZ')) return {text: schedule, timeZoneIgnored: timeZone !== null};
  if (timeZone !== null) return {text: `TZ=${timeZone} ${schedule}`, timeZoneIgnored: false};
  return {text: schedule, timeZoneIgnored: false};
}

// Compiling is the costly part; a cluster has few distinct (schedule, zone) pairs.
const cache = new Map<string, ScheduleResult>();
const CACHE_LIMIT = 10_000;

/** Parses `schedule` with `timeZone` (spec.timeZone, or null) as the controller does. Never throws. */
export function compileSchedule(schedule: string, timeZone: string | null): ScheduleResult {
  const cacheKey = `${timeZone ?? '\u0001'}\u0000${schedule}`;
  const cached = cache.get(cacheKey);
  if (cached !== undefined) return cached;
  const result = compile(schedule, timeZone);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(cacheKey, result);
  return result;
}

function compile(schedule: string, timeZone: string | null): ScheduleResult {
  // The controller refuses to run a CronJob whose spec.timeZone it cannot load, whatever
  // the schedule says (event UnknownTimeZone).
  if (timeZone !== null && loadLocation(timeZone) === null) {
    return {ok: false, problem: `unknown time zone "${timeZone}" in spec.timeZone`};
  }
  const {text, timeZoneIgnored} = controllerScheduleText(schedule, timeZone);
  let parsed: CronSchedule;
  try {
    parsed = parseStandard(text);
  } catch (error) {
    if (!(error instanceof CronParseError)) throw error;
    const what = /fields, found/.test(error.message)
      ? 'does not have five fields'
      : 'cannot be read';
    return {ok: false, problem: `schedule "${schedule}" ${what}: ${error.message}`};
  }
  const prefixed = /^(?:CRON_)?TZ=/.test(schedule);
  const timeZoneSource: TimeZoneSource = prefixed
    ? 'schedule'
    : timeZone !== null
      ? 'spec.timeZone'
      : 'default';
  const fields = prefixed ? schedule.slice(schedule.indexOf(' ')).trim() : schedule.trim();
  return {
    ok: true,
    schedule: scheduleOf(parsed, {fields, timeZoneSource, timeZoneIgnored}),
  };
}

// Instants the zone data and robfig's five-year search handle; beyond them (a sentinel, a
// corrupt time) there is no due time.
const EARLIEST_MS = Date.UTC(1971, 0, 1);
const LATEST_MS = Date.UTC(9000, 0, 1);

function inRange(ms: number): boolean {
  return Number.isFinite(ms) && ms >= EARLIEST_MS && ms <= LATEST_MS;
}

const MINUTE_MS = 60_000;
// The widest look-back for the latest due time: robfig's own search gives up after five
// years, and 29 February can be eight years from the previous one.
const LOOK_BACK_MS = 8 * 366 * 24 * 60 * MINUTE_MS;

function scheduleOf(
  parsed: CronSchedule,
  about: {fields: string; timeZoneSource: TimeZoneSource; timeZoneIgnored: boolean},
): CompiledSchedule {
  const next = (ms: number): number | null => nextActivation(parsed, ms);
  const everyMs = parsed.kind === 'every' ? parsed.delaySeconds * 1000 : null;

  // @every from `after`: the first run is `after` cut to its second plus the delay.
  const everyLatest = (afterMs: number, untilMs: number, delayMs: number): number | null => {
    const first = next(afterMs);
    if (first === null || first > untilMs) return null;
    return first + Math.floor((untilMs - first) / delayMs) * delayMs;
  };

  const latestAtOrBefore = (atMs: number): number | null => {
    // Widen a window back from `at` until a due time falls in it, then walk it forward:
    // a few steps for any schedule, however sparse.
    for (let windowMs = 2 * MINUTE_MS; ; windowMs *= 8) {
      const from = atMs - Math.min(windowMs, LOOK_BACK_MS);
      let latest: number | null = null;
      for (let due = next(from); due !== null && due <= atMs; due = next(due)) latest = due;
      if (latest !== null || windowMs >= LOOK_BACK_MS) return latest;
    }
  };

  const dueBetween = (afterMs: number, untilMs: number, cap: number): number[] => {
    const due: number[] = [];
    for (let t = next(afterMs); t !== null && t <= untilMs && due.length < cap; t = next(t)) {
      due.push(t);
    }
    return due;
  };

  const date = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));
  return {
    fields: about.fields,
    timeZone: parsed.kind === 'spec' ? parsed.zone : 'UTC',
    timeZoneSource: about.timeZoneSource,
    timeZoneIgnored: about.timeZoneIgnored,
    everySeconds: parsed.kind === 'every' ? parsed.delaySeconds : null,
    nextAfter: after => (inRange(after.getTime()) ? date(next(after.getTime())) : null),
    latestAtOrBefore: (at, anchor = null) => {
      const atMs = at.getTime();
      if (!inRange(atMs)) return null;
      if (everyMs === null) return date(latestAtOrBefore(atMs));
      if (anchor === null || !inRange(anchor.getTime())) return null;
      return date(everyLatest(anchor.getTime(), atMs, everyMs));
    },
    dueBetween: (after, until, cap) =>
      inRange(after.getTime()) && inRange(until.getTime())
        ? dueBetween(after.getTime(), until.getTime(), cap).map(ms => new Date(ms))
        : [],
    countBetween: (after, until, cap) => {
      const [afterMs, untilMs] = [after.getTime(), until.getTime()];
      if (!inRange(afterMs) || !inRange(untilMs)) return 0;
      if (everyMs === null) return dueBetween(afterMs, untilMs, cap).length;
      const latest = everyLatest(afterMs, untilMs, everyMs);
      const first = next(afterMs);
      if (latest === null || first === null) return 0;
      return Math.min(cap, (latest - first) / everyMs + 1);
    },
    latestBetween: (after, until) => {
      const [afterMs, untilMs] = [after.getTime(), until.getTime()];
      if (!inRange(afterMs) || !inRange(untilMs)) return null;
      if (everyMs !== null) return date(everyLatest(afterMs, untilMs, everyMs));
      const latest = latestAtOrBefore(untilMs);
      return latest !== null && latest > afterMs ? new Date(latest) : null;
    },
  };
}

/** What the controller knows of a CronJob when it computes its schedule. */
export interface ScheduleState {
  createdAt: Date;
  lastScheduleTime: Date | null;
  startingDeadlineSeconds: number | null;
}

/** How many due times the controller finds unmet (its `missedSchedulesType`). */
export type MissedSchedules = 'none' | 'few' | 'many';

/** The controller's `mostRecentScheduleTime`. */
export interface MostRecentSchedule {
  /** `lastScheduleTime`, else `creationTimestamp`, moved up to `now - startingDeadline`. */
  earliest: Date;
  /** The due time the controller would start now; null when it starts none. */
  mostRecent: Date | null;
  missed: MissedSchedules;
  /** Set when the schedule never comes due (the controller's "less than 1 second"). */
  error: string | null;
}

/**
 * The Kubernetes CronJob controller's `mostRecentScheduleTime`, including its shortcut:
 * it estimates how many due times passed from the gap between the first two, then looks
 * for the latest one from one gap before the estimate — for irregular schedules (weekdays
 * only, a few hours a day) that can miss due times, and the controller then starts none.
 */
export function mostRecentScheduleTime(
  schedule: CompiledSchedule,
  state: ScheduleState,
  now: Date,
  includeStartingDeadline: boolean,
): MostRecentSchedule {
  let earliestMs = (state.lastScheduleTime ?? state.createdAt).getTime();
  if (includeStartingDeadline && state.startingDeadlineSeconds !== null) {
    const deadlineMs = now.getTime() - state.startingDeadlineSeconds * 1000;
    if (deadlineMs > earliestMs) earliestMs = deadlineMs;
  }
  const earliest = new Date(earliestMs);
  const none = (missed: MissedSchedules, error: string | null = null) => ({
    earliest,
    mostRecent: null,
    missed,
    error,
  });
  const never = 'time difference between two schedules is less than 1 second';
  const nowMs = now.getTime();
  const t1 = schedule.nextAfter(earliest)?.getTime() ?? null;
  if (t1 === null) return none('none', never);
  if (nowMs < t1) return none('none');
  const t2 = schedule.nextAfter(new Date(t1))?.getTime() ?? null;
  if (t2 === null) return none('none', never);
  if (nowMs < t2) return {earliest, mostRecent: new Date(t1), missed: 'none', error: null};
  const gapSeconds = Math.round((t2 - t1) / 1000);
  if (gapSeconds < 1) return none('none', never);
  const elapsedSeconds = Math.trunc((nowMs - t1) / 1000);
  const missedCount = Math.trunc(elapsedSeconds / gapSeconds) + 1;
  const potentialEarliest = new Date(t1 + (missedCount - 2) * gapSeconds * 1000);
  let mostRecent: Date | null = null;
  for (
    let t = schedule.nextAfter(potentialEarliest);
    t !== null && t.getTime() <= nowMs;
    t = schedule.nextAfter(t)
  ) {
    mostRecent = t;
  }
  const missed: MissedSchedules = missedCount > 100 ? 'many' : missedCount > 0 ? 'few' : 'none';
  return {earliest, mostRecent, missed, error: null};
}

/** The controller's padding on a requeue (`nextScheduleDelta`), against clock skew. */
export const NEXT_SCHEDULE_DELTA_MS = 100;

/**
 * The controller's `nextScheduleTimeDuration`: how long after `now` it looks at the CronJob
 * again (it counts from creation or the last run, never from the starting deadline).
 */
export function controllerRequeueAfterMs(
  schedule: CompiledSchedule,
  state: ScheduleState,
  now: Date,
): number | null {
  const recent = mostRecentScheduleTime(schedule, state, now, false);
  let from: Date;
  if (recent.error !== null) from = now;
  else if (recent.mostRecent !== null) from = recent.mostRecent;
  else from = recent.missed === 'none' ? recent.earliest : now;
  const next = schedule.nextAfter(from);
  return next === null ? null : next.getTime() + NEXT_SCHEDULE_DELTA_MS - now.getTime();
}
