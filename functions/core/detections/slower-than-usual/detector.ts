/**
 * Detector `slower-than-usual`: a run still going far past what this CronJob's runs usually
 * take — a backup stuck on a lock, a report query that lost its index — long before any fixed
 * limit (running-too-long) is reached. "Usual" is learnt from the successful runs in the
 * record's history (run-history.ts): with at least `MIN_SUCCESSFUL_RUNS` of them, a run opens
 * an incident once it has run max(3 × median, 1.5 × p95, median + 5 min).
 *
 * It closes when that run ends: a success with a reply saying how long it took, a failure
 * into the failing streak's thread (detections/relations.ts, as running-too-long does).
 */
import type {CronJobView, Detector, DetectorContext, Evaluation, Known} from '../../detector.js';
import type {RunRef, SubjectRecord} from '../../incident.js';
import type {RunVerdict} from '../../model.js';
import {medianOf, p95Of, successfulDurations, type RecentRun} from '../../run-history.js';
import type {SlowerThanUsualIncident} from './incident.js';
import type {SlowerThanUsualSettings} from './settings.js';

type Context = DetectorContext<SlowerThanUsualSettings>;

// Fewer successful runs say little about what is usual: a new CronJob's first runs (cold
// caches, first full load) are often the slowest it will ever have.
export const MIN_SUCCESSFUL_RUNS = 5;
// Three times the median, or half again the slowest usual runs, whichever is later: a job
// whose runs vary a lot is not called slow for its ordinary variation.
const MEDIAN_FACTOR = 3;
const P95_FACTOR = 1.5;
// Short jobs vary by minutes for reasons nobody needs to hear about (image pulls, node start).
export const MIN_MARGIN_MS = 5 * 60_000;

/** What "usual" is for these runs: the median and the limit past which a run is slow. */
export function usualDuration(
  runs: readonly RecentRun[],
): {usualMs: number; limitMs: number} | null {
  const durations = successfulDurations(runs);
  if (durations.length < MIN_SUCCESSFUL_RUNS) return null;
  const median = medianOf(durations)!;
  const p95 = p95Of(durations)!;
  return {
    usualMs: median,
    limitMs: Math.max(MEDIAN_FACTOR * median, P95_FACTOR * p95, median + MIN_MARGIN_MS),
  };
}

function startOf(run: RunVerdict): number | null {
  return (run.startedAt ?? run.scheduledAt)?.getTime() ?? null;
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
  const open = record.open['slower-than-usual'] ?? null;
  if (open !== null) {
    const finished = view.runs.find(r => r.verdict.jobUid === open.jobUid)?.verdict;
    if (finished !== undefined) {
      const at = (finished.finishedAt ?? context.now).toISOString();
      const closed: SlowerThanUsualIncident = {
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
    if (view.running.some(r => r.jobUid === open.jobUid)) return null;
    const at = context.now.toISOString();
    const closed = {...open, closedAt: at, ending: {type: 'job-gone', at} as const};
    return {transitions: [{type: 'close', incident: closed, job: open.job}]};
  }
  if (context.policy.durationAnomalies === false) return null;
  const usual = usualDuration(record.runs);
  if (usual === null) return null;
  const slow = view.running
    .map(run => ({run, startedMs: startOf(run)}))
    .filter((r): r is {run: RunVerdict; startedMs: number} => r.startedMs !== null)
    .sort((a, b) => a.startedMs - b.startedMs)
    .find(r => context.now.getTime() - r.startedMs > usual.limitMs);
  if (slow === undefined) return null;
  const incident: SlowerThanUsualIncident = {
    kind: 'slower-than-usual',
    id: `slower-than-usual:${slow.run.jobUid}`,
    openedAt: new Date(slow.startedMs + usual.limitMs).toISOString(),
    closedAt: null,
    ending: null,
    job: slow.run.job,
    jobUid: slow.run.jobUid,
    manual: slow.run.manual,
    startedAt: new Date(slow.startedMs).toISOString(),
    usualMs: usual.usualMs,
    limitMs: usual.limitMs,
  };
  return {transitions: [{type: 'open', incident, job: slow.run.job}]};
}

function mayChange(view: CronJobView, known: Known, context: Context): boolean {
  if (known.record !== undefined) return evaluate(view, known.record, context) !== null;
  // The history is in the record, which a CronJob with nothing open does not load: any run
  // past the shortest limit there can be (median + 5 min) is worth reading it for.
  if (context.policy.durationAnomalies === false) return false;
  return view.running.some(run => {
    const started = startOf(run);
    return started !== null && context.now.getTime() - started > MIN_MARGIN_MS;
  });
}

/** The slower-than-usual detector. */
export const slowerThanUsual: Detector<CronJobView, SlowerThanUsualSettings> = {
  kind: 'slower-than-usual',
  mayChange,
  evaluate,
};
