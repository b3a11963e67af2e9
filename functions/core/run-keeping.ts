/**
 * Which of a CronJob's Jobs a read keeps (the rule behind `RunSelection` in ports.ts): the
 * newest finished run, the newest started run, every run that has not finished, and the
 * finished runs after the caller's mark (all of them when the mark is null, none more when it
 * is undefined). Decided one Job at a time, in any order of arrival, so a reader can drop the
 * rest as they stream in instead of holding every Job of the cluster.
 */
import type {RunMark} from './incident.js';
import type {JobInfo} from './model.js';
import {compareMarks, judgeJob, outcomeMs, runStartMs} from './verdict.js';

/** A Job with its place among its CronJob's runs. */
export interface PlacedRun {
  job: JobInfo;
  /** Start order for `newestStarted`, outcome order for `newestFinished`. */
  atMs: number;
}

/** What is kept so far of one CronJob's runs. */
export interface KeptRuns {
  /** The caller's mark: finished runs after it are kept (null: all; undefined: none more). */
  readonly since: RunMark | null | undefined;
  readonly newestFinished: PlacedRun | null;
  readonly newestStarted: PlacedRun | null;
}

/** What one more Job changes: the newest runs it replaces, and whether it is kept besides. */
export interface RunPlacement {
  /** The new newest started run, or null when it stays as it was. */
  newestStarted: PlacedRun | null;
  /** The new newest finished run, or null when it stays as it was. */
  newestFinished: PlacedRun | null;
  /** True when the Job is kept whatever becomes newest (unfinished, or after the mark). */
  keep: boolean;
}

/** Nothing kept yet for a CronJob whose caller's mark is `since`. */
export function noRunsKept(since: RunMark | null | undefined): KeptRuns {
  return {since, newestFinished: null, newestStarted: null};
}

/** How `job` changes what is kept of its CronJob's runs. */
export function placeRun(kept: KeptRuns, job: JobInfo): RunPlacement {
  const verdict = judgeJob(job);
  const startMs = runStartMs(verdict, job) ?? -Infinity;
  const started = {job, atMs: startMs};
  const newestStarted =
    kept.newestStarted === null || compareMarks(markOf(started), markOf(kept.newestStarted)) > 0
      ? started
      : null;
  if (verdict.outcome !== 'succeeded' && verdict.outcome !== 'failed') {
    return {newestStarted, newestFinished: null, keep: true};
  }
  const atMs = outcomeMs(verdict, job);
  // A finished Job with no time cannot be placed; decisions skip it too.
  if (atMs === null) return {newestStarted, newestFinished: null, keep: false};
  const finished = {job, atMs};
  const newestFinished =
    kept.newestFinished === null || compareMarks(markOf(finished), markOf(kept.newestFinished)) > 0
      ? finished
      : null;
  const keep =
    kept.since === null ||
    (kept.since !== undefined && compareMarks(markOf(finished), kept.since) > 0);
  return {newestStarted, newestFinished, keep};
}

/** `kept` with `placement` applied. */
export function withPlacement(kept: KeptRuns, placement: RunPlacement): KeptRuns {
  if (placement.newestStarted === null && placement.newestFinished === null) return kept;
  return {
    since: kept.since,
    newestStarted: placement.newestStarted ?? kept.newestStarted,
    newestFinished: placement.newestFinished ?? kept.newestFinished,
  };
}

/** The Jobs kept in the end: the ones kept besides, then the newest finished and started. */
export function keptJobsOf(kept: KeptRuns, others: readonly JobInfo[]): JobInfo[] {
  const jobs = new Set(others);
  if (kept.newestFinished !== null) jobs.add(kept.newestFinished.job);
  if (kept.newestStarted !== null) jobs.add(kept.newestStarted.job);
  return [...jobs];
}

/** The Jobs of one CronJob a read keeps, for a mark `since`, from `jobs` in arrival order. */
export function keepRuns(since: RunMark | null | undefined, jobs: readonly JobInfo[]): JobInfo[] {
  let kept = noRunsKept(since);
  const others: JobInfo[] = [];
  for (const job of jobs) {
    const placement = placeRun(kept, job);
    kept = withPlacement(kept, placement);
    if (placement.keep) others.push(job);
  }
  return keptJobsOf(kept, others);
}

function markOf(placed: PlacedRun): RunMark {
  return {atMs: placed.atMs, job: placed.job.name};
}
