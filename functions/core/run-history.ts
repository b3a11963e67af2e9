/**
 * A CronJob's recent runs, as its record keeps them: the last `RECENT_RUNS_LIMIT` finished runs
 * and missed due times, oldest first. Kubernetes forgets Jobs (history limits, TTLs); this is
 * what the duration detections learn "usual" from, what messages show as a strip and what
 * `status -o wide` prints. Built only from what a pass already reads: the finished runs after
 * the record's watermark (the reader keeps exactly those, see run-keeping.ts), and the missed
 * due times a detector reports. Pure.
 */
import type {RunMark} from './incident-base.js';
import {compareMarks, MAX_CLOCK_SKEW_MS, type OrderedRun} from './verdict.js';

/**
 * Runs kept per CronJob: enough for a median and a 95th percentile that one odd run does not
 * move, and for a strip that fits a Slack line; 20 runs take about 3 KB of a record.
 */
export const RECENT_RUNS_LIMIT = 20;

/** One run in a record's history. Times are ISO-8601 strings. */
export interface RecentRun {
  /** The Job's name; empty for a missed due time. */
  job: string;
  outcome: 'succeeded' | 'failed' | 'missed';
  /** The due time it ran for (the missed due time); null for a manual run. */
  scheduledAt: string | null;
  /** When its Job started (`status.startTime`); null when unknown or missed. */
  startedAt: string | null;
  /** From start to finish; null when either is unknown (or missed). */
  durationMs: number | null;
  /** Started by hand (`kubectl create job --from=cronjob/…`). */
  manual?: true;
}

function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

/** A finished run as the history keeps it. */
export function recentRunOf(run: OrderedRun): RecentRun {
  const v = run.verdict;
  const start = v.startedAt ?? v.scheduledAt;
  const end = v.approximateTime === true ? null : v.finishedAt;
  const durationMs =
    start === null || end === null ? null : Math.max(0, end.getTime() - start.getTime());
  return {
    job: v.job,
    outcome: v.outcome === 'failed' ? 'failed' : 'succeeded',
    scheduledAt: iso(v.scheduledAt),
    startedAt: iso(v.startedAt),
    durationMs,
    ...(v.manual ? {manual: true as const} : {}),
  };
}

/** A due time no run started for. */
export function missedRun(dueAt: Date): RecentRun {
  return {
    job: '',
    outcome: 'missed',
    scheduledAt: dueAt.toISOString(),
    startedAt: null,
    durationMs: null,
  };
}

/**
 * The finished runs not yet in the history: after the watermark, and not in the future beyond
 * any sane clock skew (the failing detection waits for those too, so the watermark never passes
 * a run it has not judged).
 */
export function runsToRecord(
  runs: readonly OrderedRun[],
  watermark: RunMark | null,
  now: Date,
  recorded: readonly RecentRun[] = [],
): OrderedRun[] {
  // A Job already recorded whose times moved is not news (the failing detection agrees).
  const known = new Set(recorded.map(r => r.job));
  return runs.filter(
    run =>
      run.atMs <= now.getTime() + MAX_CLOCK_SKEW_MS &&
      (watermark === null || compareMarks({atMs: run.atMs, job: run.verdict.job}, watermark) > 0) &&
      !known.has(run.verdict.job),
  );
}

function timeOf(run: RecentRun): number {
  const at = run.scheduledAt ?? run.startedAt;
  // A run with no time at all was seen last: it goes last.
  return at === null ? Number.POSITIVE_INFINITY : Date.parse(at);
}

/**
 * The history with `added` in it, oldest first by due (else start) time, the newest
 * `RECENT_RUNS_LIMIT` kept. A Job already there is not added twice; a missed due time that a
 * late run then ran for gives way to that run.
 */
export function withRecentRuns(
  stored: readonly RecentRun[],
  added: readonly RecentRun[],
): RecentRun[] {
  if (added.length === 0) return [...stored];
  const jobs = new Set(stored.filter(r => r.job !== '').map(r => r.job));
  const merged = [...stored];
  for (const run of added) {
    if (run.job !== '' ? jobs.has(run.job) : merged.some(r => sameMiss(r, run))) continue;
    if (run.job !== '') jobs.add(run.job);
    merged.push(run);
  }
  const ran = new Set(merged.filter(r => r.outcome !== 'missed').map(r => r.scheduledAt));
  return merged
    .filter(r => r.outcome !== 'missed' || !ran.has(r.scheduledAt))
    .map((run, i) => ({run, i}))
    .sort((a, b) => timeOf(a.run) - timeOf(b.run) || a.i - b.i)
    .map(({run}) => run)
    .slice(-RECENT_RUNS_LIMIT);
}

function sameMiss(a: RecentRun, b: RecentRun): boolean {
  return a.outcome === 'missed' && a.scheduledAt === b.scheduledAt;
}

/** The durations of the successful runs with a known duration, oldest first. */
export function successfulDurations(runs: readonly RecentRun[]): number[] {
  return runs.flatMap(r =>
    r.outcome === 'succeeded' && r.durationMs !== null ? [r.durationMs] : [],
  );
}

/** The median of some durations (the mean of the middle two for an even count); null if none. */
export function medianOf(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** The 95th percentile, nearest rank (the smallest value at or above 95 % of them); null if none. */
export function p95Of(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(0.95 * sorted.length) - 1]!;
}
