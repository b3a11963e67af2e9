/**
 * Detector `missed`: a CronJob that did not run when it was due. Cron monitors (Cronitor,
 * Healthchecks.io, Sentry Crons) are built around this failure because it leaves no failed
 * Job behind: controller trouble, a too-small `startingDeadlineSeconds`, "too many missed
 * start times", a new CronJob whose schedule never fired.
 *
 * A due time is missed when it is older than the grace and no run started for it or later:
 * `status.lastScheduleTime` (the due time of the last run the controller started) and the
 * scheduled times the Jobs carry are all older. It closes as soon as a run starts for the
 * first missed due time or a later one (the controller starts the most recent missed run
 * when it can), or when the CronJob is suspended.
 */
import type {CronJobView, Detector, DetectorContext, Evaluation, Known} from '../../detector.js';
import {blankRecord, MISSED_RUNS_CAP, type SubjectRecord} from '../../incident.js';
import {missedRun, RECENT_RUNS_LIMIT} from '../../run-history.js';
import {compileSchedule} from '../../schedule.js';
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
  recent: Date[];
} | null {
  const cronJob = view.cronJob;
  if (cronJob.suspended) return null;
  if (forbidHoldsDueTimes(view)) return null;
  const compiled = compileSchedule(cronJob.schedule, cronJob.timeZone);
  if (!compiled.ok) return null;
  const startedMs = lastStartedMs(view) ?? cronJob.createdAt?.getTime() ?? null;
  if (startedMs === null) return null;
  const anchorMs =
    cronJob.concurrencyPolicy === 'Forbid'
      ? Math.max(startedMs, forbidAnchorMs(view, record, now) ?? -Infinity)
      : startedMs;
  const until = new Date(now.getTime() - missedGraceMs(view, policy));
  const due = compiled.schedule.dueBetween(new Date(anchorMs), until, MISSED_RUNS_CAP);
  const firstDue = due[0];
  const latestDue = due.at(-1);
  if (firstDue === undefined || latestDue === undefined) return null;
  return {
    firstDue,
    latestDue,
    count: due.length,
    recent: due.slice(-RECENT_RUNS_LIMIT),
    schedule: compiled.schedule.fields,
    timeZone: compiled.schedule.timeZone,
  };
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
    // Counted again only when a new due time was missed: a quiet pass writes nothing.
    if (missed === null || missed.count === open.missedRuns) return null;
    const updated: MissedIncident = {
      ...open,
      latestDueAt: missed.latestDue.toISOString(),
      missedRuns: missed.count,
    };
    return {
      transitions: [{type: 'update', incident: updated, job: null, reported: false}],
      runs: missed.recent.map(missedRun),
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
  return {transitions: [{type: 'open', incident, job: null}], runs: missed.recent.map(missedRun)};
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
