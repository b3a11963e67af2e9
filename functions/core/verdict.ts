/**
 * What did a Job do, and which runs of a CronJob matter: pure functions of the model.
 */
import type {CronJobInfo, CronJobStatus, JobCondition, JobInfo, RunVerdict} from './model.js';

function trueCondition(job: JobInfo, type: string): JobCondition | undefined {
  return job.conditions.find(c => c.type === type && c.status === 'True');
}

/**
 * The time that stands in for a finished Job's outcome time when its condition has none
 * usable (a broken proxy, a hand-made object, a controller writing the zero time): the next
 * usable timestamp, nearest to the outcome first. The run still counts; its time is marked
 * approximate. Null only when the Job carries no usable time at all.
 */
function standInTime(job: JobInfo): Date | null {
  return job.completedAt ?? job.startedAt ?? job.scheduledAt ?? job.createdAt;
}

/**
 * The verdict on one Job. A Job is finished only when `Complete` or `Failed` is True;
 * `FailureTarget` / `SuccessCriteriaMet` (1.31+) come first and already decide the outcome
 * while pods terminate, so they count as finished too. `Failed` wins over everything else:
 * a Job can be `Failed/DeadlineExceeded` with `succeeded: 1`.
 */
export function judgeJob(job: JobInfo): RunVerdict {
  const base = {
    job: job.name,
    jobUid: job.uid,
    scheduledAt: job.scheduledAt,
    startedAt: job.startedAt,
    manual: job.manual,
  };
  const failedCondition = trueCondition(job, 'Failed');
  const failureTarget = trueCondition(job, 'FailureTarget');
  const failed = failedCondition ?? failureTarget;
  if (failed !== undefined) {
    const exact = failed.lastTransitionTime ?? failureTarget?.lastTransitionTime ?? null;
    const finishedAt = exact ?? standInTime(job);
    return {
      ...base,
      outcome: 'failed',
      reason: failed.reason ?? failureTarget?.reason ?? null,
      message: failed.message ?? failureTarget?.message ?? null,
      finishedAt,
      decidedAt: failureTarget?.lastTransitionTime ?? finishedAt,
      ...(exact === null ? {approximateTime: true} : {}),
    };
  }
  const completeCondition = trueCondition(job, 'Complete');
  const successCriteria = trueCondition(job, 'SuccessCriteriaMet');
  const complete = completeCondition ?? successCriteria;
  if (complete !== undefined) {
    const exact =
      job.completedAt ?? complete.lastTransitionTime ?? successCriteria?.lastTransitionTime ?? null;
    const finishedAt = exact ?? standInTime(job);
    return {
      ...base,
      outcome: 'succeeded',
      reason: null,
      message: null,
      finishedAt,
      decidedAt: successCriteria?.lastTransitionTime ?? finishedAt,
      ...(exact === null ? {approximateTime: true} : {}),
    };
  }
  const suspended = job.suspended || trueCondition(job, 'Suspended') !== undefined;
  return {
    ...base,
    outcome: suspended ? 'suspended' : 'running',
    reason: null,
    message: null,
    finishedAt: null,
    decidedAt: null,
  };
}

function ms(date: Date | null): number | null {
  return date === null ? null : date.getTime();
}

/** When the run was started, for "which run is the latest": schedule, else creation, else start. */
export function runStartMs(run: RunVerdict, job?: JobInfo): number | null {
  return ms(run.scheduledAt) ?? ms(job?.createdAt ?? null) ?? ms(run.startedAt);
}

/**
 * When the run's outcome happened, for ordering outcomes: finish time, else the best-known
 * start. Null when the Job carries no usable time at all.
 */
export function outcomeMs(run: RunVerdict, job?: JobInfo): number | null {
  return (
    ms(run.decidedAt) ?? ms(run.finishedAt) ?? runStartMs(run, job) ?? ms(job?.createdAt ?? null)
  );
}

/** Controllers' clocks are NTP-synced; ten minutes ahead is not skew, it is a broken clock. */
export const MAX_CLOCK_SKEW_MS = 10 * 60_000;

/** Compares two (time, job name) positions; names break ties so the order is total. */
export function compareMarks(
  a: {atMs: number; job: string},
  b: {atMs: number; job: string},
): number {
  if (a.atMs !== b.atMs) return a.atMs - b.atMs;
  return a.job < b.job ? -1 : a.job > b.job ? 1 : 0;
}

/**
 * The later of two positions, null only when both are. A record and its index entry can each
 * hold a watermark (a record older than its entry was re-baselined); runs up to the later one
 * are accounted for.
 */
export function laterMark<M extends {atMs: number; job: string}>(
  a: M | null,
  b: M | null,
): M | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareMarks(a, b) >= 0 ? a : b;
}

/** A finished run with its position in outcome order. */
export interface OrderedRun {
  verdict: RunVerdict;
  atMs: number;
}

/** Jobs grouped by the UID of the CronJob that controls them; Jobs of no CronJob are dropped. */
export function jobsByCronJob(jobs: JobInfo[]): Map<string, JobInfo[]> {
  const groups = new Map<string, JobInfo[]>();
  for (const job of jobs) {
    if (job.cronJobUid === null) continue;
    const group = groups.get(job.cronJobUid);
    if (group === undefined) groups.set(job.cronJobUid, [job]);
    else group.push(job);
  }
  return groups;
}

/**
 * Finished runs of these Jobs in the order their outcomes happened (oldest first). A finished
 * Job with no usable time at all is placed at `seenAtMs` (the pass's clock: when it was seen)
 * with its time marked approximate, so it still counts; without `seenAtMs` (a status report,
 * which decides nothing) it is left out of the order.
 */
export function finishedRunsOf(jobs: JobInfo[], seenAtMs?: number): OrderedRun[] {
  const runs: OrderedRun[] = [];
  for (const job of jobs) {
    const judged = judgeJob(job);
    if (judged.outcome !== 'succeeded' && judged.outcome !== 'failed') continue;
    const atMs = outcomeMs(judged, job) ?? seenAtMs ?? null;
    if (atMs === null) continue;
    const verdict = judged.finishedAt === null ? {...judged, approximateTime: true} : judged;
    runs.push({verdict, atMs});
  }
  return runs.sort((a, b) =>
    compareMarks({atMs: a.atMs, job: a.verdict.job}, {atMs: b.atMs, job: b.verdict.job}),
  );
}

/** The CronJob with the verdicts on its Jobs (which must already belong to it). */
export function cronJobStatusOf(cronJob: CronJobInfo, jobs: JobInfo[]): CronJobStatus {
  const judged = jobs.map(job => ({job, verdict: judgeJob(job)}));
  let lastRun: RunVerdict | null = null;
  let lastStartMs = -Infinity;
  for (const {job, verdict} of judged) {
    const startMs = runStartMs(verdict, job) ?? -Infinity;
    const newer =
      lastRun === null ||
      startMs > lastStartMs ||
      (startMs === lastStartMs && verdict.job > lastRun.job);
    if (newer) {
      lastRun = verdict;
      lastStartMs = startMs;
    }
  }
  const finishedRuns = finishedRunsOf(jobs).map(run => run.verdict);
  return {
    cronJob,
    lastRun,
    lastFinishedRun: finishedRuns.at(-1) ?? null,
    finishedRuns,
    running: judged.filter(j => j.verdict.outcome === 'running').map(j => j.verdict),
  };
}
