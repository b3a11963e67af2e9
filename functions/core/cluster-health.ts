/**
 * "The watcher cannot see cluster X": an incident of its own, with the same transition-only
 * rules as a CronJob's. A cluster that fails to be read `downAfter` passes in a row opens one;
 * the first pass that reads it again closes it.
 */
import {blankRecord, closeWith, notification, type Decision} from './decide.js';
import {CLUSTER_RECORD, type CronJobRecord, type Incident} from './incident.js';

/** How the read of one cluster went this pass. */
export type ClusterReadOutcome = {ok: true} | {ok: false; code: string; message: string};

/** Whether `decideClusterHealth` could change anything, from what the pass already loaded. */
export function healthMayChange(
  attention: CronJobRecord | undefined,
  outcome: ClusterReadOutcome,
): boolean {
  return !outcome.ok || attention?.open != null || (attention?.readFailures?.count ?? 0) > 0;
}

/** The next cluster record after this pass's read; null when nothing changes. */
export function decideClusterHealth(
  current: CronJobRecord | null,
  clusterId: string,
  outcome: ClusterReadOutcome,
  now: Date,
  downAfter: number,
): Decision | null {
  const record: CronJobRecord =
    current === null
      ? {
          ...blankRecord({clusterId, ...CLUSTER_RECORD, cronJobUid: '', schedule: ''}, now),
          readFailures: null,
        }
      : {...current, outbox: [...current.outbox], history: [...current.history]};
  record.updatedAt = now.toISOString();
  if (outcome.ok) {
    const incident = record.open;
    if (incident === null) {
      if ((record.readFailures?.count ?? 0) === 0) return null;
      record.readFailures = null;
      return {record, changes: []};
    }
    record.readFailures = null;
    const change = closeWith(
      record,
      incident,
      {
        job: '',
        jobUid: '',
        manual: false,
        at: now.toISOString(),
        reason: 'readable again',
        message: null,
        detail: null,
      },
      now,
    );
    // No Job closed it: the summary says so with null, as for opening.
    return {record, changes: [{...change, job: null}]};
  }

  const since = record.readFailures?.since ?? now.toISOString();
  const count = (record.readFailures?.count ?? 0) + 1;
  record.readFailures = {count, since, lastError: `${outcome.code}: ${outcome.message}`};
  const failure = {
    job: '',
    jobUid: '',
    manual: false,
    at: now.toISOString(),
    reason: outcome.code,
    message: outcome.message,
    detail: null,
  };
  if (record.open !== null) {
    record.open = {...record.open, latestFailure: failure, failedRuns: count};
    return {record, changes: []};
  }
  if (count < downAfter) return {record, changes: []};
  const incident: Incident = {
    subject: 'cluster',
    id: `cluster:${clusterId}@${since}`,
    openedAt: since,
    openedBy: {...failure, at: since},
    latestFailure: failure,
    failedRuns: count,
    closedAt: null,
    closedBy: null,
  };
  record.open = incident;
  record.outbox.push(notification('opened', incident, now));
  return {record, changes: [{kind: 'opened', incidentId: incident.id, job: null}]};
}
