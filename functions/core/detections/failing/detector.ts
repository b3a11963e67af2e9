/**
 * Detector `failing`: one incident per streak of failed runs of a CronJob. Runs after the
 * record's watermark are folded in outcome order: a failure opens an incident (or counts
 * towards the open one), a success closes it. Runs at or before the watermark were accounted
 * for already: history never re-alerts. On first sight only the latest finished run counts.
 */
import type {
  CronJobView,
  Detector,
  DetectorContext,
  Evaluation,
  GoneJobEvent,
  Known,
  Transition,
} from '../../detector.js';
import type {Incident, RunMark, RunRef, SubjectRecord} from '../../incident.js';
import type {JobEvent} from '../../model.js';
import {compareMarks, laterMark, MAX_CLOCK_SKEW_MS, type OrderedRun} from '../../verdict.js';
import type {FailingIncident} from './incident.js';

export {MAX_CLOCK_SKEW_MS};

function markOf(run: OrderedRun): RunMark {
  return {atMs: run.atMs, job: run.verdict.job};
}

function isNew(run: OrderedRun, watermark: RunMark | null): boolean {
  return watermark === null || compareMarks(markOf(run), watermark) > 0;
}

/** The runs not yet accounted for: those after the watermark (all of them without one). */
export function runsAfter(runs: OrderedRun[], watermark: RunMark | null): OrderedRun[] {
  return runs.filter(run => isNew(run, watermark));
}

function refOf(run: OrderedRun, details: ReadonlyMap<string, string> | undefined): RunRef {
  const v = run.verdict;
  const ref: RunRef = {
    job: v.job,
    jobUid: v.jobUid,
    manual: v.manual,
    at: (v.finishedAt ?? new Date(run.atMs)).toISOString(),
    reason: v.reason,
    message: v.message,
    detail: details?.get(v.jobUid) ?? null,
    ...(v.approximateTime === true ? {approximateTime: true as const} : {}),
  };
  const gone = goneRuns.get(run);
  return gone === undefined ? ref : {...ref, gone};
}

// Runs made up from the CronJob's status for a Job already deleted, with the likely cause.
const goneRuns = new WeakMap<OrderedRun, NonNullable<RunRef['gone']>>();

/**
 * A run the CronJob's status shows but whose Job is gone: `lastScheduleTime` is newer than
 * `lastSuccessfulTime` (or there is none), nothing is active, and no Job carries that
 * scheduled time. Its Job was deleted before a pass could read it — `failedJobsHistoryLimit:
 * 0`, the usual way to silence `kube_job_failed`, or a `ttlSecondsAfterFinished` shorter than
 * the pass interval. It counts as failed (a success normally moves `lastSuccessfulTime`) with
 * the reason its events give, while the API server keeps them — unless they say the Job
 * completed: with `ttlSecondsAfterFinished: 0` a Job can be deleted before the CronJob
 * controller records the success, and that run is then a success whose Job is gone.
 */
export function goneRun(view: CronJobView): OrderedRun | null {
  const cronJob = view.cronJob;
  const scheduled = cronJob.lastScheduleTime?.getTime();
  if (scheduled === undefined) return null;
  if ((cronJob.lastSuccessfulTime?.getTime() ?? -Infinity) >= scheduled) return null;
  if (cronJob.activeJobNames.length > 0 || view.running.length > 0) return null;
  if ((view.latestScheduledJobAt?.getTime() ?? -Infinity) >= scheduled) return null;
  // The name the controller gives the Job of that due time (Kubernetes 1.21+): shown to
  // people and used to find its events, never parsed.
  const job = `${cronJob.name}-${Math.floor(scheduled / 60_000)}`;
  const event = view.events?.get(job) ?? null;
  const succeeded = event?.succeeded === true;
  const run: OrderedRun = {
    atMs: scheduled,
    verdict: {
      job,
      jobUid: `gone:${cronJob.uid}@${new Date(scheduled).toISOString()}`,
      outcome: succeeded ? 'succeeded' : 'failed',
      reason: succeeded ? null : (event?.reason ?? null),
      message: succeeded ? null : (event?.message ?? null),
      scheduledAt: cronJob.lastScheduleTime,
      startedAt: null,
      finishedAt: null,
      decidedAt: null,
      manual: false,
    },
  };
  goneRuns.set(run, {
    cause:
      cronJob.failedJobsHistoryLimit === 0
        ? 'failed-jobs-history-limit'
        : cronJob.jobTtlSecondsAfterFinished !== null
          ? 'ttl-after-finished'
          : 'unknown',
  });
  return run;
}

// The Job controller's Warning reasons for a Job that failed.
const FAILURE_EVENT_REASONS = new Set([
  'BackoffLimitExceeded',
  'DeadlineExceeded',
  'PodFailurePolicy',
  'MaxFailedIndexesExceeded',
  'FailedIndexes',
]);

/**
 * How a gone Job ended, from its events (newest first): a failure reason of the Job
 * controller, else its Normal `Completed`, else the newest Warning; null when none says.
 */
export function goneJobEventOf(events: readonly JobEvent[]): GoneJobEvent | null {
  const failure = events.find(e => FAILURE_EVENT_REASONS.has(e.reason));
  if (failure !== undefined) {
    return {reason: failure.reason, message: failure.message, succeeded: false};
  }
  const completed = events.find(e => e.reason === 'Completed' && e.type !== 'Warning');
  if (completed !== undefined) {
    return {reason: completed.reason, message: completed.message, succeeded: true};
  }
  const warning = events.find(e => e.type === 'Warning');
  return warning === undefined
    ? null
    : {reason: warning.reason, message: warning.message, succeeded: false};
}

/** Finished runs plus a run whose Job is gone, in outcome order. */
function runsOf(view: CronJobView): OrderedRun[] {
  const gone = goneRun(view);
  if (gone === null) return view.runs;
  return [...view.runs, gone].sort((a, b) => compareMarks(markOf(a), markOf(b)));
}

/** True when this Job already opened, extended or closed one of these incidents. */
function counted(incidents: Incident[], jobUid: string): boolean {
  return incidents.some(
    i =>
      i.kind === 'failing' &&
      (i.openedBy.jobUid === jobUid ||
        i.latestFailure.jobUid === jobUid ||
        (i.ending?.type === 'succeeded' && i.ending.run.jobUid === jobUid)),
  );
}

/** A run that is not in the future beyond any sane clock skew. */
function plausible(runs: OrderedRun[], now: Date): OrderedRun[] {
  // Such a run waits until it is no longer in the future instead of hiding every run before it.
  return runs.filter(run => run.atMs <= now.getTime() + MAX_CLOCK_SKEW_MS);
}

/**
 * A success the CronJob's status reports but whose Job is already gone (a short
 * `ttlSecondsAfterFinished` deletes it before any pass sees it): without this the incident
 * would stay open until a success is seen in time.
 */
function successWithoutJob(
  open: FailingIncident,
  watermark: RunMark | null,
  view: CronJobView,
  now: Date,
): number | null {
  const at = view.cronJob.lastSuccessfulTime?.getTime();
  if (at === undefined) return null;
  if (at <= Date.parse(open.openedAt) || at > now.getTime() + MAX_CLOCK_SKEW_MS) return null;
  if (watermark !== null && at <= watermark.atMs) return null;
  return at;
}

function opened(view: CronJobView, run: OrderedRun): FailingIncident {
  const ref = refOf(run, view.details);
  const log = view.excerpts?.get(run.verdict.jobUid);
  return {
    ...(log === undefined ? {} : {log}),
    cronJobAtOpen: {
      lastSuccessAt: view.cronJob.lastSuccessfulTime?.toISOString() ?? null,
      timeZone: view.cronJob.timeZone,
    },
    kind: 'failing',
    id: `${view.cronJob.uid}/${run.verdict.jobUid}`,
    openedAt: ref.at ?? new Date(run.atMs).toISOString(),
    openedBy: ref,
    latestFailure: ref,
    failedRuns: 1,
    closedAt: null,
    ending: null,
  };
}

function mayChange(view: CronJobView, known: Known, context: DetectorContext): boolean {
  if (known.watermark === undefined && known.record === undefined) return true;
  // Where evaluate starts: decideSubject gives it the later of the record's and the entry's.
  const watermark = laterMark(known.record?.watermark ?? null, known.watermark ?? null);
  const fresh = runsAfter(plausible(runsOf(view), context.now), watermark);
  if (known.record?.open.failing !== undefined) {
    const reportedSuccess = view.cronJob.lastSuccessfulTime?.getTime() ?? -Infinity;
    return fresh.length > 0 || reportedSuccess > (watermark?.atMs ?? -Infinity);
  }
  return fresh.some(run => run.verdict.outcome === 'failed');
}

function evaluate(
  view: CronJobView,
  record: SubjectRecord,
  context: DetectorContext,
): Evaluation | null {
  const runs = plausible(runsOf(view), context.now);
  const transitions: Transition[] = [];
  if (context.firstSight) {
    const latest = runs.at(-1);
    if (latest === undefined) return null;
    if (latest.verdict.outcome === 'failed') {
      transitions.push({type: 'open', incident: opened(view, latest), job: latest.verdict.job});
    }
    return {transitions, watermark: markOf(latest)};
  }

  let watermark = record.watermark;
  let open = record.open.failing ?? null;
  const seen: Incident[] = [...record.history, ...(open === null ? [] : [open])];
  for (const run of runs) {
    if (!isNew(run, watermark)) continue;
    if (run.verdict.outcome === 'failed') {
      // Belt and braces on top of the watermark: a Job is counted once, whatever its times do.
      if (counted(seen, run.verdict.jobUid)) continue;
      if (open === null) {
        open = opened(view, run);
        transitions.push({type: 'open', incident: open, job: run.verdict.job});
      } else {
        open = {...open, latestFailure: refOf(run, view.details), failedRuns: open.failedRuns + 1};
        transitions.push({type: 'update', incident: open, job: run.verdict.job, reported: true});
      }
      seen.push(open);
      watermark = markOf(run);
    } else if (open !== null) {
      const ref = refOf(run, view.details);
      const closed: FailingIncident = {
        ...open,
        closedAt: ref.at ?? context.now.toISOString(),
        ending: {type: 'succeeded', at: ref.at ?? context.now.toISOString(), run: ref},
      };
      transitions.push({type: 'close', incident: closed, job: run.verdict.job});
      seen.push(closed);
      open = null;
      watermark = markOf(run);
    }
    // A success with nothing open changes nothing, so it is not even written down: a pass
    // over healthy CronJobs writes nothing.
  }
  if (open !== null) {
    const goneAt = successWithoutJob(open, watermark, view, context.now);
    if (goneAt !== null) {
      const at = new Date(goneAt).toISOString();
      transitions.push({
        type: 'close',
        incident: {...open, closedAt: at, ending: {type: 'succeeded-job-gone', at}},
        job: null,
      });
      watermark = {atMs: goneAt, job: ''};
    }
  }
  return transitions.length === 0 ? null : {transitions, watermark};
}

/** The failing-streak detector. */
export const failingStreak: Detector<CronJobView> = {kind: 'failing', mayChange, evaluate};
