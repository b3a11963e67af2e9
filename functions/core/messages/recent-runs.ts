/**
 * A CronJob's recent runs as one line, the same everywhere (opening and closing messages,
 * `status -o wide`): a mark per run, newest last — ✅ succeeded, ❌ failed, ⏰ a due time no run
 * started for — and the median duration of the successful ones. Pure; words come from the caller.
 */
import {medianOf, RECENT_RUNS_LIMIT, successfulDurations, type RecentRun} from '../run-history.js';
import type {RecentRunsLine} from './model.js';

const MARKS: Record<RecentRun['outcome'], string> = {
  succeeded: '✅',
  failed: '❌',
  missed: '⏰',
};

/** `✅ ✅ ❌ ✅ ❌`, newest last; the newest `max` runs (all by default). Empty for none. */
export function runStrip(runs: readonly RecentRun[], max = runs.length): string {
  return runs
    .slice(-max)
    .map(r => MARKS[r.outcome])
    .join(' ');
}

/** The median duration of the successful runs with a known duration; null when none. */
export function usualDurationMs(runs: readonly RecentRun[]): number | null {
  return medianOf(successfulDurations(runs));
}

/**
 * The strip and the median in words, e.g. `✅ ✅ ❌ ✅ ❌ (usually 12m)`: `usually` phrases the
 * median in the message's language; null when there are no runs.
 */
export function recentRunsLine(
  runs: readonly RecentRun[],
  words: {duration(ms: number): string; usually(duration: string): string},
): string | null {
  if (runs.length === 0) return null;
  const median = usualDurationMs(runs);
  const strip = runStrip(runs);
  return median === null ? strip : `${strip} ${words.usually(words.duration(median))}`;
}

/**
 * The recent-runs part of a message: the newest `RECENT_RUNS_LIMIT` runs and the median of the
 * successful ones, in the message's words; null when there are no runs.
 */
export function recentRunsPart(
  runs: readonly RecentRun[],
  words: {duration(ms: number): string; recentRuns: {label: string; usually(d: string): string}},
): RecentRunsLine | null {
  if (runs.length === 0) return null;
  const kept = runs.slice(-RECENT_RUNS_LIMIT);
  const median = usualDurationMs(kept);
  return {
    label: words.recentRuns.label,
    strip: runStrip(kept),
    usual: median === null ? null : words.recentRuns.usually(words.duration(median)),
  };
}
