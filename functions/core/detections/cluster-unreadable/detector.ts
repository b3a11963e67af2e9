/**
 * Detector `cluster-unreadable`: "the watcher cannot see cluster X", with the same
 * transition-only rules as a CronJob's incidents. A cluster that fails to be read
 * `policy.clusterDownAfter` passes in a row opens one; the first pass that reads it again
 * closes it.
 */
import type {ClusterView, Detector, DetectorContext, Evaluation, Known} from '../../detector.js';
import type {ReadError, SubjectRecord} from '../../incident.js';
import type {ClusterUnreadableIncident} from './incident.js';

function mayChange(view: ClusterView, known: Known): boolean {
  const record = known.record;
  return (
    !view.read.ok ||
    record?.open['cluster-unreadable'] !== undefined ||
    (record?.readFailures?.count ?? 0) > 0
  );
}

function evaluate(
  view: ClusterView,
  record: SubjectRecord,
  context: DetectorContext,
): Evaluation | null {
  const now = context.now.toISOString();
  const open = record.open['cluster-unreadable'] ?? null;
  if (view.read.ok) {
    if (open === null) {
      return (record.readFailures?.count ?? 0) === 0 ? null : {transitions: [], readFailures: null};
    }
    const closed: ClusterUnreadableIncident = {
      ...open,
      closedAt: now,
      ending: {type: 'readable-again', at: now},
    };
    return {transitions: [{type: 'close', incident: closed, job: null}], readFailures: null};
  }

  const since = record.readFailures?.since ?? now;
  const count = (record.readFailures?.count ?? 0) + 1;
  const error: ReadError = {at: now, code: view.read.code, message: view.read.message};
  const readFailures = {
    count,
    since,
    lastError: `${view.read.code}: ${view.read.message}`,
  };
  if (open !== null) {
    const updated = {...open, latestError: error, failedReads: count};
    return {
      transitions: [{type: 'update', incident: updated, job: null, reported: false}],
      readFailures,
    };
  }
  if (count < context.policy.clusterDownAfter) return {transitions: [], readFailures};
  const incident: ClusterUnreadableIncident = {
    kind: 'cluster-unreadable',
    id: `cluster:${view.clusterId}@${since}`,
    openedAt: since,
    firstError: {...error, at: since},
    latestError: error,
    failedReads: count,
    closedAt: null,
    ending: null,
  };
  return {transitions: [{type: 'open', incident, job: null}], readFailures};
}

/** The cluster-unreadable detector. */
export const clusterUnreadable: Detector<ClusterView> = {
  kind: 'cluster-unreadable',
  mayChange,
  evaluate,
};
