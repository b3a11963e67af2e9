/**
 * When a CronJob is due, as the CronJob controller sees it. The controller parses
 * `spec.schedule` with robfig/cron v3's standard parser; croner (a maintained, dependency-free
 * cron library) does the calendar arithmetic and time zones, and this module makes its input
 * and output mean what robfig's would:
 *
 * - Five fields, plus the macros `@yearly`/`@annually`/`@monthly`/`@weekly`/`@daily`/
 *   `@midnight`/`@hourly` (written out here, so the library never sees a macro it might read
 *   differently). `?` in the day fields means `*` (croner agrees).
 * - Day of month and day of week: when both are restricted a day matches if *either* does
 *   (croner's default, the Vixie rule). robfig counts a field as unrestricted only when it is
 *   `*` or `?` without a step above 1, so `*∕1` is rewritten to `*` (croner would otherwise
 *   count it as restricted and OR it with the other field).
 * - `spec.timeZone` (IANA), else a `TZ=`/`CRON_TZ=` prefix on the schedule (refused for new
 *   CronJobs since 1.29 but still honoured by the controller), else UTC — what GKE's
 *   controller uses.
 * - A wall time that does not exist on a spring-forward day (02:30 in New York) is skipped, as
 *   robfig does; croner would move it to 03:00. A time that occurs twice on a fall-back day
 *   runs once, at the first.
 */
import {Cron} from 'croner';

/** A parsed schedule. */
export interface CompiledSchedule {
  /** The five fields as evaluated (macros written out). */
  fields: string;
  /** The IANA zone the schedule runs in (`UTC` when none is set). */
  timeZone: string;
  /** The first due time strictly after `after`; null when there is none within 5 years. */
  nextAfter(after: Date): Date | null;
  /** The last due time at or before `at`; null when there is none within 5 years. */
  latestAtOrBefore(at: Date): Date | null;
  /** Due times in (`after`, `until`], oldest first, at most `cap` of them. */
  dueBetween(after: Date, until: Date, cap: number): Date[];
}

/** A schedule, or why it cannot be evaluated. */
export type ScheduleResult = {ok: true; schedule: CompiledSchedule} | {ok: false; problem: string};

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MINUTE_MS = 60_000;
// A schedule whose next run is further than this is treated as never due (robfig gives up
// after five years too; 29 February is due at least every eight).
const HORIZON_MS = 8 * 366 * 24 * 60 * MINUTE_MS;

function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', {timeZone: zone});
    return true;
  } catch {
    return false;
  }
}

/** robfig treats `*∕1` (and `?∕1`) as unrestricted; croner only `*` and `?`. */
function unrestrictedStep(field: string): string {
  return /^[*?]\/1$/.test(field) ? '*' : field;
}

// Compiling is the costly part; a cluster has few distinct (schedule, zone) pairs.
const cache = new Map<string, ScheduleResult>();
const CACHE_LIMIT = 10_000;

/** Parses `schedule` in `timeZone` (spec.timeZone, or null). Never throws. */
export function compileSchedule(schedule: string, timeZone: string | null): ScheduleResult {
  const cacheKey = `${timeZone ?? ''}\u0000${schedule}`;
  const cached = cache.get(cacheKey);
  if (cached !== undefined) return cached;
  const result = compile(schedule, timeZone);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(cacheKey, result);
  return result;
}

function compile(schedule: string, timeZone: string | null): ScheduleResult {
  let text = schedule.trim();
  let zone = timeZone;
  const prefix = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(text);
  if (prefix !== null) {
    zone ??= prefix[1] ?? null;
    text = prefix[2] ?? '';
  }
  zone ??= 'UTC';
  if (!isValidZone(zone)) return {ok: false, problem: `unknown time zone "${zone}"`};
  const expanded = MACROS[text.toLowerCase()] ?? text;
  const parts = expanded.split(/\s+/);
  if (parts.length !== 5) {
    return {ok: false, problem: `schedule "${schedule}" does not have five fields`};
  }
  const fields = [
    parts[0],
    parts[1],
    unrestrictedStep(parts[2] ?? ''),
    parts[3],
    unrestrictedStep(parts[4] ?? ''),
  ].join(' ');
  let cron: Cron;
  try {
    cron = new Cron(fields, {timezone: zone});
  } catch (error) {
    return {
      ok: false,
      problem: `schedule "${schedule}" cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  return {ok: true, schedule: scheduleOf(cron, fields, zone)};
}

// Dates croner can place; beyond them (a sentinel, a corrupt time) there is no due time.
const EARLIEST_MS = Date.UTC(1971, 0, 1);
const LATEST_MS = Date.UTC(9000, 0, 1);

function inRange(date: Date): boolean {
  const ms = date.getTime();
  return Number.isFinite(ms) && ms >= EARLIEST_MS && ms <= LATEST_MS;
}

/** Calls croner, which throws on dates it cannot place: none is then a null, never a throw. */
function safely<T>(compute: () => T, none: T): T {
  try {
    return compute();
  } catch {
    return none;
  }
}

function scheduleOf(cron: Cron, fields: string, timeZone: string): CompiledSchedule {
  const nextAfter = (after: Date): Date | null => {
    let from = after;
    // A wall time the zone skips (spring forward) comes back shifted and no longer matches:
    // robfig skips it, so do we. Two skips in a row cannot happen, a few tries are plenty.
    for (let tries = 0; tries < 4; tries++) {
      const next = cron.nextRun(from);
      if (next === null || next.getTime() - after.getTime() > HORIZON_MS) return null;
      if (cron.match(next)) return next;
      from = next;
    }
    return null;
  };
  const latestAtOrBefore = (at: Date): Date | null => {
    // previousRuns is strictly before its reference: one millisecond later includes `at`.
    let before = new Date(at.getTime() + 1);
    for (let tries = 0; tries < 4; tries++) {
      const [previous] = cron.previousRuns(1, before);
      if (previous === undefined || at.getTime() - previous.getTime() > HORIZON_MS) return null;
      if (cron.match(previous)) return previous;
      before = previous;
    }
    return null;
  };
  const dueBetween = (after: Date, until: Date, cap: number): Date[] => {
    const due: Date[] = [];
    let cursor = after;
    while (due.length < cap) {
      const next = nextAfter(cursor);
      if (next === null || next.getTime() > until.getTime()) break;
      due.push(next);
      cursor = next;
    }
    return due;
  };
  return {
    fields,
    timeZone,
    nextAfter: after => (inRange(after) ? safely(() => nextAfter(after), null) : null),
    latestAtOrBefore: at => (inRange(at) ? safely(() => latestAtOrBefore(at), null) : null),
    dueBetween: (after, until, cap) =>
      inRange(after) && inRange(until) ? safely(() => dueBetween(after, until, cap), []) : [],
  };
}
