/**
 * Detector `missed`: a CronJob that did not run when it was due. Cron monitors (Cronitor,
 * Healthchecks.io, Sentry Crons) are built around this failure because it leaves no failed
 * Job behind: controller trouble, a too-small `startingDeadlineSeconds`, due times the
 * controller's estimate skips (`mostRecentScheduleTime` in schedule.ts), a new CronJob whose
 * schedule never fired. (Past 100 missed times today's controller records `TooManyMissedTimes`
 * and still starts the most recent one; releases before 1.21 gave up.)
 *
 * A due time is missed when no run started for it or later — `status.lastScheduleTime` (the
 * due time of the last run the controller started) and the scheduled times the Jobs carry are
 * all older — and it is past its grace or the next due time came (`missedUntilMs`). Due times
 * before the CronJob's creation or the last change of `spec.suspend` never count. It closes as soon as a run starts for the
 * first missed due time or a later one (the controller starts the most recent missed run
 * when it can), or when the CronJob is suspended.
 */
import type {CronJobView, Detector, DetectorContext, Evaluation, Known} from '../../detector.js';
import {blankRecord, MISSED_RUNS_CAP, type SubjectRecord} from '../../incident.js';
import {missedRun, RECENT_RUNS_LIMIT} from '../../run-history.js';
import {compileSchedule, type CompiledSchedule} from '../../schedule.js';
import {forbidAnchorMs, forbidHoldsDueTimes} from '../relations.js';
import type {MissedIncident} from './incident.js';
import type {MissedSettings} from './settings.js';

type Context = DetectorContext<MissedSettings>;

// A run normally starts within seconds of its due time; ten minutes covers a busy controller
// and a pass interval of a few minutes without calling a slow start a miss.
export const DEFAULT_MISSED_GRACE_MS = 10 * 60_000;

/** How late a run may start before it counts as missed, for this CronJob. */
export function missedGraceMs(view: CronJobView, settings: Partial<MissedSettings>): number {
  const set = settings.missedGraceMs ?? null;
  if (set !== null) return set;
  // The controller itself still starts a run until its starting deadline has passed.
  return Math.max(DEFAULT_MISSED_GRACE_MS, (view.cronJob.startingDeadlineSeconds ?? 0) * 1000);
}

/** The newest due time a run is known to have started for; null when none ever did. */
function lastStartedMs(view: CronJobView): number | null {
  const times = [view.cronJob.lastScheduleTime, view.latestScheduledJobAt]
    .filter((d): d is Date => d !== null)
    .map(d => d.getTime());
  return times.length === 0 ? null : Math.max(...times);
}

/**
 * After which instant due times count: the last start, else creation, moved up to when
 * `spec.suspend` last changed (runs due while suspended are not missed), and under `Forbid` to
 * the end of the latest run. Null when the CronJob carries no time to count from.
 */
export function missedAnchorMs(view: CronJobView, record: SubjectRecord, now: Date): number | null {
  const cronJob = view.cronJob;
  const base = lastStartedMs(view) ?? cronJob.createdAt?.getTime() ?? null;
  if (base === null) return null;
  const candidates = [base, cronJob.createdAt?.getTime() ?? base];
  if (cronJob.suspendChangedAt !== null) candidates.push(cronJob.suspendChangedAt.getTime());
  if (cronJob.concurrencyPolicy === 'Forbid') {
    candidates.push(forbidAnchorMs(view, record, now) ?? base);
  }
  return Math.max(...candidates);
}

/** What is missed right now, or null when nothing is. */
function missedNow(
  view: CronJobView,
  record: SubjectRecord,
  policy: Partial<MissedSettings>,
  now: Date,
): {
  firstDue: Date;
  latestDue: Date;
  count: number;
  schedule: string;
  timeZone: string;
  /** The newest missed due times, for the run history. */
  recent: () => Date[];
} | null {
  const cronJob = view.cronJob;
  if (cronJob.suspended) return null;
  if (forbidHoldsDueTimes(view)) return null;
  const compiled = compileSchedule(cronJob.schedule, cronJob.timeZone);
  if (!compiled.ok) return null;
  const schedule = compiled.schedule;
  const base = lastStartedMs(view) ?? cronJob.createdAt?.getTime() ?? null;
  let anchorMs = missedAnchorMs(view, record, now);
  if (base === null || anchorMs === null) return null;
  // An open incident keeps counting from its first due time: a later anchor (another
  // manager's write moving the managed-fields time) never takes back what was told.
  const open = record.open.missed;
  if (open !== undefined) anchorMs = Math.min(anchorMs, Date.parse(open.firstDueAt) - 1);
  // `@every` runs on the grid of its last run (or creation): count the grid's points after
  // the anchor, from the last one at or before it.
  const after =
    schedule.everySeconds === null
      ? new Date(anchorMs)
      : (schedule.latestAtOrBefore(new Date(anchorMs), new Date(base)) ?? new Date(base));
  const until = new Date(missedUntilMs(view, policy, schedule, after, now));
  const firstDue = schedule.nextAfter(after);
  const latestDue = schedule.latestBetween(after, until);
  if (firstDue === null || latestDue === null || firstDue > until) return null;
  return {
    firstDue,
    latestDue,
    count: schedule.countBetween(after, until, MISSED_RUNS_CAP),
    // Only when an incident opens or grows: listing due times costs more than counting them.
    recent: () => schedule.dueBetween(after, until, MISSED_RUNS_CAP).slice(-RECENT_RUNS_LIMIT),
    schedule: schedule.fields,
    timeZone: schedule.timeZone,
  };
}

/**
 * The newest instant whose due times are missed. A due time is missed once its grace has
 * passed or, with the default grace, once the next due time came without it having started:
 * the controller only ever starts the most recent due time, so the earlier one never will,
 * however large `startingDeadlineSeconds` is. The `missed-grace` annotation is the owner's
 * own word for how late a run may be, and alone decides.
 */
function missedUntilMs(
  view: CronJobView,
  policy: Partial<MissedSettings>,
  schedule: CompiledSchedule,
  after: Date,
  now: Date,
): number {
  const graceUntil = now.getTime() - missedGraceMs(view, policy);
  if ((policy.missedGraceMs ?? null) !== null) return graceUntil;
  // Every due time but the newest one at or before now has a next one that came.
  const newest = schedule.latestBetween(after, now);
  if (newest === null) return graceUntil;
  return Math.max(graceUntil, newest.getTime() - 1);
}

function evaluate(view: CronJobView, record: SubjectRecord, context: Context): Evaluation | null {
  const open = record.open.missed ?? null;
  const nowIso = context.now.toISOString();
  if (open !== null) {
    if (view.cronJob.suspended) {
      const closed = {...open, closedAt: nowIso, ending: {type: 'suspended', at: nowIso} as const};
      return {transitions: [{type: 'close', incident: closed, job: null}]};
    }
    const started = lastStartedMs(view);
    if (started !== null && started >= Date.parse(open.firstDueAt)) {
      const at = new Date(started).toISOString();
      const closed = {...open, closedAt: at, ending: {type: 'started', at} as const};
      return {transitions: [{type: 'close', incident: closed, job: null}]};
    }
    const missed = missedNow(view, record, context.policy, context.now);
    // Counted again only when a new due time was missed (past the cap the count stays, the
    // newest due time moves): a quiet pass writes nothing.
    if (missed === null || missed.latestDue.toISOString() === open.latestDueAt) return null;
    const updated: MissedIncident = {
      ...open,
      latestDueAt: missed.latestDue.toISOString(),
      missedRuns: missed.count,
    };
    return {
      transitions: [{type: 'update', incident: updated, job: null, reported: false}],
      runs: missed.recent().map(missedRun),
    };
  }
  const missed = missedNow(view, record, context.policy, context.now);
  if (missed === null) return null;
  const firstDueAt = missed.firstDue.toISOString();
  const started = lastStartedMs(view);
  const incident: MissedIncident = {
    kind: 'missed',
    id: `missed:${view.cronJob.uid}@${firstDueAt}`,
    openedAt: firstDueAt,
    closedAt: null,
    ending: null,
    schedule: missed.schedule,
    timeZone: missed.timeZone,
    firstDueAt,
    latestDueAt: missed.latestDue.toISOString(),
    missedRuns: missed.count,
    lastStartedAt: started === null ? null : new Date(started).toISOString(),
  };
  return {transitions: [{type: 'open', incident, job: null}], runs: missed.recent().map(missedRun)};
}

function mayChange(view: CronJobView, known: Known, context: Context): boolean {
  // Driven by the clock, so it cannot be told from the index: it asks itself, which costs a
  // schedule computation and no I/O.
  const record = known.record ?? blankRecord(view.clusterId, {type: 'cluster'}, context.now);
  return evaluate(view, record, context) !== null;
}

/** The missed-schedule detector. */
export const missedSchedule: Detector<CronJobView, MissedSettings> = {
  kind: 'missed',
  mayChange,
  evaluate,
};
