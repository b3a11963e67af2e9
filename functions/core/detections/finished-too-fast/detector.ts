/**
 * Detector `finished-too-fast`: a run that succeeded in seconds when the CronJob's runs usually
 * take minutes — an empty input, a skipped step, a script that exits 0 on the error path
 * ("a job took 15 min instead of 50 and nobody noticed for a week"). The exit code says all is
 * well; only the duration says otherwise. A warning, not a failure: it opens on the first such
 * run, counts the next ones, and closes with the next successful run of usual length.
 *
 * Too fast: shorter than 0.3 × the median of the successful runs in the history (at least
 * `MIN_SUCCESSFUL_RUNS` of them, median at least 2 minutes), or than the `min-duration`
 * annotation when it is set.
 */
import type {
  CronJobView,
  Detector,
  DetectorContext,
  Evaluation,
  Known,
  Transition,
} from '../../detector.js';
import type {RunRef, SubjectRecord} from '../../incident.js';
import {
  medianOf,
  recentRunOf,
  runsToRecord,
  successfulDurations,
  withRecentRuns,
  type RecentRun,
} from '../../run-history.js';
import {laterMark, type OrderedRun} from '../../verdict.js';
import type {FinishedTooFastIncident} from './incident.js';
import type {FinishedTooFastSettings} from './settings.js';

type Context = DetectorContext<FinishedTooFastSettings>;

// As for slower-than-usual: fewer successful runs say little about what is usual.
export const MIN_SUCCESSFUL_RUNS = 5;
// Under a third of the usual time is not variation: the work was not done, or not all of it.
const FAST_FACTOR = 0.3;
// A job that usually takes less than this can finish in seconds for good reasons (nothing new
// to process); only longer ones are judged by their median.
export const MIN_USUAL_MS = 2 * 60_000;

/** The floor for these runs, or null when nothing says what is usual. */
export function floorOf(
  runs: readonly RecentRun[],
  minDurationMs: number | null | undefined,
): Pick<FinishedTooFastIncident, 'floorMs' | 'floorFrom' | 'usualMs'> | null {
  const durations = successfulDurations(runs);
  const median = durations.length >= MIN_SUCCESSFUL_RUNS ? medianOf(durations) : null;
  if (minDurationMs !== null && minDurationMs !== undefined) {
    return {floorMs: minDurationMs, floorFrom: 'annotation', usualMs: median};
  }
  if (median === null || median < MIN_USUAL_MS) return null;
  return {floorMs: Math.round(FAST_FACTOR * median), floorFrom: 'learned', usualMs: median};
}

function refOf(run: OrderedRun): RunRef {
  const v = run.verdict;
  return {
    job: v.job,
    jobUid: v.jobUid,
    manual: v.manual,
    at: (v.finishedAt ?? new Date(run.atMs)).toISOString(),
    reason: null,
    message: null,
    detail: null,
  };
}

function evaluate(view: CronJobView, record: SubjectRecord, context: Context): Evaluation | null {
  let open = record.open['finished-too-fast'] ?? null;
  const off = context.policy.durationAnomalies === false;
  if (open === null && off) return null;
  const transitions: Transition[] = [];
  // Each new run is judged against the runs before it, this pass's earlier ones included.
  let history = record.runs;
  for (const run of runsToRecord(view.runs, record.watermark, context.now, record.runs)) {
    const recent = recentRunOf(run);
    const floor = floorOf(history, context.policy.minDurationMs);
    history = withRecentRuns(history, [recent]);
    if (recent.outcome !== 'succeeded' || recent.durationMs === null) continue;
    if (open !== null && recent.durationMs >= open.floorMs) {
      const ref = refOf(run);
      const at = ref.at ?? context.now.toISOString();
      const closed: FinishedTooFastIncident = {
        ...open,
        closedAt: at,
        ending: {type: 'succeeded', at, run: ref},
        closedByMs: recent.durationMs,
      };
      transitions.push({type: 'close', incident: closed, job: run.verdict.job});
      open = null;
      continue;
    }
    if (off || floor === null || recent.durationMs >= floor.floorMs) continue;
    if (open !== null) {
      open = {...open, fastRuns: open.fastRuns + 1};
      transitions.push({type: 'update', incident: open, job: run.verdict.job, reported: false});
      continue;
    }
    open = {
      kind: 'finished-too-fast',
      id: `finished-too-fast:${run.verdict.jobUid}`,
      openedAt: refOf(run).at ?? context.now.toISOString(),
      closedAt: null,
      ending: null,
      job: run.verdict.job,
      jobUid: run.verdict.jobUid,
      manual: run.verdict.manual,
      durationMs: recent.durationMs,
      ...floor,
      fastRuns: 1,
    };
    transitions.push({type: 'open', incident: open, job: run.verdict.job});
  }
  return transitions.length === 0 ? null : {transitions};
}

function mayChange(view: CronJobView, known: Known, context: Context): boolean {
  // Only a new finished run can change anything; it is judged against the record's history.
  // Where evaluate starts: decideSubject gives it the later of the record's and the entry's.
  const watermark = laterMark(known.record?.watermark ?? null, known.watermark ?? null);
  return runsToRecord(view.runs, watermark, context.now, known.record?.runs).length > 0;
}

/** The finished-too-fast detector. */
export const finishedTooFast: Detector<CronJobView, FinishedTooFastSettings> = {
  kind: 'finished-too-fast',
  mayChange,
  evaluate,
};
