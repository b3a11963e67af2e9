/**
 * Reminders: a thread reply about an incident still open, after a back-off counted from when it
 * opened (`REMINDERS=1d,3d,7d`, then every last value: 14d, 21d…; `off`, no offsets, for none; the
 * `cronjob-watcher/reminders` annotation per CronJob). Whether one is due is a function of when
 * the incident opened, how many reminder times it used up and `now`; decide.ts turns a due one
 * into an outbox notification in the same transaction that records it used up, so it is sent
 * exactly once. Pure.
 */
import {isAcknowledgedOrSnoozed} from './actions/quiet.js';
import {parseDurationMs, type Check} from './annotations.js';
import type {Incident, SubjectRecord} from './incident.js';

const DAY_MS = 24 * 3600_000;

/** The default back-off: a day, three days, a week, then weekly. */
export const DEFAULT_REMINDERS_MS: readonly number[] = [DAY_MS, 3 * DAY_MS, 7 * DAY_MS];

// Reminders more often than hourly are noise, not reminders: the pass runs every few minutes.
const MIN_REMINDER_MS = 3600_000;
// A longer list is a typo, not a plan.
const MAX_REMINDERS = 10;

/** `1d,3d,7d` (increasing durations, at least an hour each) or `off` (no offsets). */
export function parseReminders(raw: string): Check<readonly number[]> {
  const v = raw.trim().toLowerCase();
  if (v === 'off') return {ok: true, value: []};
  const shape = 'must be "off" or increasing durations separated by commas, e.g. "1d,3d,7d"';
  const parts = v.split(',').map(p => p.trim());
  if (v === '' || parts.length > MAX_REMINDERS) return {ok: false, problem: shape};
  const values: number[] = [];
  for (const part of parts) {
    const ms = parseDurationMs(part);
    if (!ms.ok) return {ok: false, problem: `${shape}: "${part}" ${ms.problem}`};
    if (ms.value < MIN_REMINDER_MS) {
      return {ok: false, problem: `${shape}: "${part}" is shorter than an hour`};
    }
    if (values.length > 0 && ms.value <= (values.at(-1) ?? 0)) {
      return {ok: false, problem: `${shape}: "${part}" does not come after the one before`};
    }
    values.push(ms.value);
  }
  return {ok: true, value: values};
}

/**
 * How many reminder times have come by `nowMs` for an incident opened at `openedAtMs`: the
 * listed offsets, then one more every last offset.
 */
export function remindersDueBy(
  offsets: readonly number[],
  openedAtMs: number,
  nowMs: number,
): number {
  const last = offsets.at(-1);
  const elapsed = nowMs - openedAtMs;
  if (last === undefined || !Number.isFinite(elapsed)) return 0;
  const listed = offsets.filter(o => o <= elapsed).length;
  if (listed < offsets.length) return listed;
  return listed + Math.floor((elapsed - last) / last);
}

/**
 * The incidents of a record owed a reminder now, with the count of reminder times they reach:
 * open, announced (their opening message is in the record's threads: a reminder is only ever a
 * reply) but not in a storm's thread, not acknowledged or snoozed, and past a reminder time not
 * used up yet. Several times passed at once (the watcher was down) make one reminder.
 */
export function remindersOwed(
  record: Pick<SubjectRecord, 'open' | 'threads'>,
  offsets: readonly number[] = DEFAULT_REMINDERS_MS,
  now: Date,
): Array<{incident: Incident; count: number}> {
  const owed: Array<{incident: Incident; count: number}> = [];
  for (const incident of Object.values(record.open)) {
    if (incident === undefined || isAcknowledgedOrSnoozed(incident, now)) continue;
    const thread = record.threads.find(t => t.incidentId === incident.id);
    // Never sent, or sent in a storm's thread, where the storm's one reminder speaks for all
    // its members (storms/reminders.ts).
    if (thread === undefined || thread.storm !== undefined) continue;
    const count = remindersDueBy(offsets, Date.parse(incident.openedAt), now.getTime());
    if (count > (incident.reminders?.sent ?? 0)) owed.push({incident, count});
  }
  return owed;
}

/** The reminder times an incident opening now has already passed (an old failure seen late). */
export function remindersPassed(
  incident: Incident,
  offsets: readonly number[] = DEFAULT_REMINDERS_MS,
  now: Date,
): number {
  return remindersDueBy(offsets, Date.parse(incident.openedAt), now.getTime());
}
