/**
 * Detector `running-too-long`: a Job of the CronJob still running past its limit — an image
 * typo leaves its Pod in `ImagePullBackOff` forever when the Job has no
 * `activeDeadlineSeconds`; a hung process holds a `Forbid` CronJob for days. The limit is the
 * `cronjob-watcher/max-duration` annotation, else one schedule period (from the run's due time
 * to the next one).
 *
 * Under `concurrencyPolicy: Forbid` a Job held with `spec.suspend: true` (by hand, by Kueue or
 * another queueing controller) blocks every later run without running at all: it is judged the
 * same way, and told as suspended. Under `Allow`/`Replace` a suspended Job blocks nothing.
 *
 * It closes when that Job finishes. A success closes it with a reply (total run time); a
 * failure closes it *into* the failing streak (detections/relations.ts), so the failure is
 * told in this incident's thread, never as a second top-level message.
 */
import type {CronJobView, Detector, DetectorContext, Evaluation, Known} from '../../detector.js';
import {blankRecord, MISSED_RUNS_CAP, type RunRef, type SubjectRecord} from '../../incident.js';
import type {RunVerdict} from '../../model.js';
import {compileSchedule} from '../../schedule.js';
import type {RunningTooLongIncident} from './incident.js';
import type {RunningTooLongSettings} from './settings.js';

type Context = DetectorContext<RunningTooLongSettings>;

/** A run past its limit, with what the limit is. */
export interface StuckRun {
  run: RunVerdict;
  startedMs: number;
  limitMs: number;
  limitFrom: 'annotation' | 'schedule';
  blockedRuns: number;
  /** Held by `spec.suspend: true` (only ever under `Forbid`). */
  suspended: boolean;
}

/** The Jobs that hold the CronJob: those running, and under `Forbid` the suspended ones. */
function holdingRuns(view: CronJobView): RunVerdict[] {
  const suspended = view.cronJob.concurrencyPolicy === 'Forbid' ? (view.suspended ?? []) : [];
  return [...view.running, ...suspended];
}

function startOf(run: RunVerdict): number | null {
  return (run.scheduledAt ?? run.startedAt)?.getTime() ?? null;
}

/** The oldest running Job past its limit, if any (exported: the plan fetches its Pods). */
export function stuckRun(
  view: CronJobView,
  settings: Partial<RunningTooLongSettings>,
  now: Date,
): StuckRun | null {
  const compiled = compileSchedule(view.cronJob.schedule, view.cronJob.timeZone);
  const oldestFirst = holdingRuns(view)
    .map(run => ({run, startedMs: startOf(run)}))
    .filter((r): r is {run: RunVerdict; startedMs: number} => r.startedMs !== null)
    .sort((a, b) => a.startedMs - b.startedMs);
  for (const {run, startedMs} of oldestFirst) {
    let limitMs = settings.maxDurationMs ?? null;
    let limitFrom: StuckRun['limitFrom'] = 'annotation';
    const due = new Date(startedMs);
    if (limitMs === null) {
      if (!compiled.ok) continue;
      const next = compiled.schedule.nextAfter(due);
      if (next === null) continue;
      limitMs = next.getTime() - startedMs;
      limitFrom = 'schedule';
    }
    if (now.getTime() - startedMs <= limitMs) continue;
    const blockedRuns =
      view.cronJob.concurrencyPolicy === 'Forbid' && compiled.ok
        ? compiled.schedule.countBetween(due, now, MISSED_RUNS_CAP)
        : 0;
    const suspended = run.outcome === 'suspended';
    return {run, startedMs, limitMs, limitFrom, blockedRuns, suspended};
  }
  return null;
}

function refOf(run: RunVerdict, at: string): RunRef {
  return {
    job: run.job,
    jobUid: run.jobUid,
    manual: run.manual,
    at,
    reason: run.outcome === 'failed' ? run.reason : null,
    message: run.outcome === 'failed' ? run.message : null,
    detail: null,
  };
}

function evaluate(view: CronJobView, record: SubjectRecord, context: Context): Evaluation | null {
  const open = record.open['running-too-long'] ?? null;
  const nowIso = context.now.toISOString();
  if (open !== null) {
    const finished = view.runs.find(r => r.verdict.jobUid === open.jobUid)?.verdict;
    if (finished !== undefined) {
      const at = (finished.finishedAt ?? context.now).toISOString();
      const closed: RunningTooLongIncident = {
        ...open,
        closedAt: at,
        ending: {
          type: 'finished',
          at,
          run: refOf(finished, at),
          succeeded: finished.outcome === 'succeeded',
        },
      };
      return {transitions: [{type: 'close', incident: closed, job: finished.job}]};
    }
    const present = [...view.running, ...(view.suspended ?? [])];
    if (!present.some(r => r.jobUid === open.jobUid)) {
      // Deleted by hand, or by the controller under `concurrencyPolicy: Replace`.
      const closed = {...open, closedAt: nowIso, ending: {type: 'job-gone', at: nowIso} as const};
      return {transitions: [{type: 'close', incident: closed, job: open.job}]};
    }
    const stuck = stuckRun(view, context.policy, context.now);
    if (stuck === null || stuck.run.jobUid !== open.jobUid) return null;
    // What the Pods said is kept from when it opened (restart counts move every pass).
    const detail = open.podDetail ?? view.details?.get(open.jobUid) ?? null;
    // Told again only when it blocks one more run, its Pods say something new or it was
    // suspended or resumed.
    const suspendedNow = stuck.suspended || undefined;
    if (
      stuck.blockedRuns === open.blockedRuns &&
      detail === open.podDetail &&
      suspendedNow === open.suspended
    ) {
      return null;
    }
    const {suspended: _was, ...rest} = open;
    const updated: RunningTooLongIncident = {
      ...rest,
      blockedRuns: stuck.blockedRuns,
      podDetail: detail,
      ...(stuck.suspended ? {suspended: true} : {}),
    };
    return {
      transitions: [{type: 'update', incident: updated, job: open.job, reported: false}],
    };
  }
  const stuck = stuckRun(view, context.policy, context.now);
  if (stuck === null) return null;
  const startedAt = new Date(stuck.startedMs).toISOString();
  const incident: RunningTooLongIncident = {
    kind: 'running-too-long',
    id: `running-too-long:${stuck.run.jobUid}`,
    openedAt: new Date(stuck.startedMs + stuck.limitMs).toISOString(),
    closedAt: null,
    ending: null,
    job: stuck.run.job,
    jobUid: stuck.run.jobUid,
    manual: stuck.run.manual,
    startedAt,
    limitMs: stuck.limitMs,
    limitFrom: stuck.limitFrom,
    podDetail: view.details?.get(stuck.run.jobUid) ?? null,
    blockedRuns: stuck.blockedRuns,
    ...(stuck.suspended ? {suspended: true} : {}),
  };
  return {transitions: [{type: 'open', incident, job: stuck.run.job}]};
}

function mayChange(view: CronJobView, known: Known, context: Context): boolean {
  const record = known.record ?? blankRecord(view.clusterId, {type: 'cluster'}, context.now);
  return evaluate(view, record, context) !== null;
}

/** The running-too-long detector. */
export const runningTooLong: Detector<CronJobView, RunningTooLongSettings> = {
  kind: 'running-too-long',
  mayChange,
  evaluate,
};
