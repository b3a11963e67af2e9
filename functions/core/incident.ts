/**
 * Incident state, as stored: one record per CronJob (per cluster), holding the open
 * incident if any, the runs already accounted for, and the notifications not yet delivered.
 * Plain data with ISO-8601 strings for times so every store can keep it as it is.
 */

/** A Job run referenced by an incident. Times are ISO-8601 strings. */
export interface RunRef {
  job: string;
  jobUid: string;
  manual: boolean;
  /** When the run's outcome happened (failure time or completion time); null if unknown. */
  at: string | null;
  reason: string | null;
  message: string | null;
  /** What the Job's Pods say, e.g. `container backup: OOMKilled (exit 137)`; null if unknown. */
  detail: string | null;
}

/**
 * The position of a finished run in outcome order. Runs at or before the watermark have been
 * accounted for and never change state again.
 */
export interface RunMark {
  /** Milliseconds since the epoch of the run's ordering time (finish, else start/schedule/creation). */
  atMs: number;
  job: string;
}

/** One failing streak of one CronJob, or one stretch of time a cluster could not be read. */
export interface Incident {
  /** Absent or `cronjob`: a CronJob failing. `cluster`: the watcher cannot read the cluster. */
  subject?: 'cronjob' | 'cluster';
  /** Deterministic: `<cronJobUid>/<uid of the Job that opened it>`, so concurrent passes agree. */
  id: string;
  /** The opening run's failure time from the cluster (not the time the watcher noticed). */
  openedAt: string;
  openedBy: RunRef;
  latestFailure: RunRef;
  failedRuns: number;
  closedAt: string | null;
  closedBy: RunRef | null;
}

/** What a notification announces. `recovered` = opened and closed before anything was sent. */
export type NotificationKind = 'opened' | 'closed' | 'recovered';

/** A message owed to the channel. Removed from the outbox once delivered. */
export interface PendingNotification {
  /** `<incident id>/<kind>`: one notification per transition, ever. */
  id: string;
  kind: NotificationKind;
  incident: Incident;
  createdAt: string;
  attempts: number;
  lastError: string | null;
  /**
   * Set while one pass is sending it, so a concurrent pass does not send it too. A claim
   * whose `until` has passed is abandoned (the pass died) and may be taken over.
   */
  claim: {by: string; until: string} | null;
}

/** Where an incident's opening message lives, so the closing one can thread under it. */
export interface DeliveredMessage {
  incidentId: string;
  channel: string;
  ts: string;
}

/** The stored state of one CronJob of one cluster. */
export interface CronJobRecord {
  clusterId: string;
  namespace: string;
  name: string;
  cronJobUid: string;
  schedule: string;
  /** Newest finished run accounted for; null before the first pass saw the CronJob. */
  watermark: RunMark | null;
  open: Incident | null;
  outbox: PendingNotification[];
  /** Opening messages of incidents whose closing message is not delivered yet. */
  threads: DeliveredMessage[];
  /** Incidents closed by this record, newest last, kept short (see `HISTORY_LIMIT`). */
  history: Incident[];
  /** Cluster records only: consecutive passes that could not read the cluster. */
  readFailures?: {count: number; since: string; lastError: string} | null;
  updatedAt: string;
}

/** Key of a record within its cluster. */
export function recordKeyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/**
 * True when the record must be loaded every pass: an incident is open, a message is owed, or
 * (cluster records) the last read failed.
 */
export function needsAttention(record: CronJobRecord): boolean {
  return record.open !== null || record.outbox.length > 0 || (record.readFailures?.count ?? 0) > 0;
}

/**
 * The record that tracks whether the cluster itself can be read. Kubernetes namespaces are
 * never empty, so this key cannot collide with a CronJob's.
 */
export const CLUSTER_RECORD = {namespace: '', name: ''} as const;

/** `closedBy.reason` of an incident closed because its CronJob no longer exists. */
export const CRONJOB_DELETED_REASON = 'CronJobDeleted';

/** `closedBy.reason` when a success is known only from the CronJob's `lastSuccessfulTime`. */
export const SUCCEEDED_JOB_GONE_REASON = 'SucceededJobGone';
