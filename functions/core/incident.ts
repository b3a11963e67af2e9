/**
 * Incident state, as stored: one record per subject (a CronJob, or the cluster itself) per
 * cluster, holding at most one open incident per kind, what the detectors need to remember
 * (the runs already accounted for, consecutive failed reads), and the notifications not yet
 * delivered. Plain data with ISO-8601 strings for times so every store keeps it as it is.
 *
 * Every stored record carries `schemaVersion`; `upgradeRecord` (record-upgrade.ts) reads
 * every shape a released version wrote.
 */

import type {Language} from './catalogue.js';

/** The schema version of records this code writes. */
export const RECORD_SCHEMA_VERSION = 3;

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
  /**
   * Set when the run's Job was deleted before any pass could read it: the run is known only
   * from the CronJob's status (and the Job's events, while the API server keeps them).
   * `cause` is the likeliest reason it was deleted so soon.
   */
  gone?: {cause: 'failed-jobs-history-limit' | 'ttl-after-finished' | 'unknown'};
  /**
   * True when `at` is approximate: the Job had no usable time for its outcome (see
   * `RunVerdict.approximateTime`). Absent otherwise, so records written before it stay valid.
   */
  approximateTime?: true;
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

/** What a record is about. A cluster subject is the watcher's view of the cluster itself. */
export type Subject =
  | {type: 'cronjob'; namespace: string; name: string; uid: string; schedule: string}
  | {type: 'cluster'};

/** Why an incident closed. */
export type Ending =
  /** A later run of the CronJob succeeded. */
  | {type: 'succeeded'; at: string; run: RunRef}
  /** The CronJob's `status.lastSuccessfulTime` says a run succeeded; its Job was already gone. */
  | {type: 'succeeded-job-gone'; at: string}
  /** The CronJob no longer exists (seen in a complete read of its namespace). */
  | {type: 'cronjob-deleted'; at: string}
  /** The cluster could be read again. */
  | {type: 'readable-again'; at: string}
  /** A run started for the missed due time or a later one (`at`: its due time). */
  | {type: 'started'; at: string}
  /** The CronJob was suspended. */
  | {type: 'suspended'; at: string}
  /** The Job that ran too long finished, well or not. */
  | {type: 'finished'; at: string; run: RunRef; succeeded: boolean}
  /** The Job that ran too long is gone without a verdict (deleted by hand). */
  | {type: 'job-gone'; at: string}
  /** Its CronJob was annotated `cronjob-watcher/ignore: "true"` while it was open. */
  | {type: 'muted'; at: string};

/**
 * Where and how an incident's messages go, resolved from the CronJob's annotations, the
 * routes and the configuration when it opened, and stored with it: the closing reply and the
 * update go where the opening went, whatever the annotations say by then.
 */
export interface Destination {
  /** Channel ID or name; null: the configured `SLACK_CHANNEL`. */
  channel: string | null;
  /** Null: English (what records written before languages existed were sent in). */
  language: Language | null;
  /** Slack mention markup for the opening message, already validated. */
  mention: string | null;
  /** An https URL linked from every message. */
  runbook: string | null;
}

/**
 * The last lines of a failed container's log, read once when the failure was first seen and
 * stored with the incident so every later attempt sends the same. Lines that look like
 * secrets are masked before it is stored.
 */
export interface LogExcerpt {
  /** Empty when no failed Pod was found. */
  pod: string;
  container: string;
  /** The masked lines, newest last; null when the log could not be read. */
  text: string | null;
  /** Older lines were dropped to fit a Slack message. */
  cut: boolean;
  /** Why there is no excerpt; null when there is one. */
  unavailable: LogUnavailable | null;
}

/** Why a log excerpt could not be read. `detail` is the error, for people, already redacted. */
export interface LogUnavailable {
  reason: 'forbidden' | 'gone' | 'timeout' | 'no-pod' | 'empty' | 'error';
  detail: string | null;
}

/** What one read of a cluster failed with. */
export interface ReadError {
  at: string;
  code: string;
  message: string;
}

interface IncidentBase {
  /** Deterministic, so concurrent passes agree; unique across kinds. */
  id: string;
  /** When the problem started, by the cluster's timestamps where it has them. */
  openedAt: string;
  closedAt: string | null;
  ending: Ending | null;
  /** Absent on records written before per-CronJob settings: the configured defaults. */
  destination?: Destination;
}

/** A streak of failed runs of one CronJob (id `<cronJobUid>/<uid of the Job that opened it>`). */
export interface FailingIncident extends IncidentBase {
  kind: 'failing';
  openedBy: RunRef;
  latestFailure: RunRef;
  failedRuns: number;
  /**
   * The id of the running-too-long incident whose Job failed and opened this streak: its
   * opening message goes in that incident's thread, never as a second top-level message.
   */
  continues?: string;
  /** The opening run's log excerpt, when `cronjob-watcher/log-lines` asked for one. */
  log?: LogExcerpt;
}

/** Due times of a CronJob for which no run started (id `missed:<cronJobUid>@<first due>`). */
export interface MissedIncident extends IncidentBase {
  kind: 'missed';
  /** The schedule and zone the due times come from, as they were when it opened. */
  schedule: string;
  timeZone: string;
  /** The first due time no run started for (also `openedAt`). */
  firstDueAt: string;
  /** The newest due time missed so far. */
  latestDueAt: string;
  /** Due times missed so far, at most `MISSED_RUNS_CAP` (then "more than 100"). */
  missedRuns: number;
  /** `status.lastScheduleTime` when it opened; null when the CronJob never ran. */
  lastStartedAt: string | null;
}

/** A Job of a CronJob running past its limit (id `running-too-long:<jobUid>`). */
export interface RunningTooLongIncident extends IncidentBase {
  kind: 'running-too-long';
  job: string;
  jobUid: string;
  manual: boolean;
  /** When the run started (its due time, else its start); also `openedAt` + `limitMs`. */
  startedAt: string;
  limitMs: number;
  /** Where the limit comes from: the `max-duration` annotation, or one schedule period. */
  limitFrom: 'annotation' | 'schedule';
  /** What its Pods do instead of running (`ImagePullBackOff`, `Unschedulable`); null if unknown. */
  podDetail: string | null;
  /** Due times skipped because it still runs (`concurrencyPolicy: Forbid`). */
  blockedRuns: number;
}

/** A stretch of passes that could not read a cluster (id `cluster:<clusterId>@<since>`). */
export interface ClusterUnreadableIncident extends IncidentBase {
  kind: 'cluster-unreadable';
  firstError: ReadError;
  latestError: ReadError;
  failedReads: number;
}

/** Every kind of incident. A new detection adds its own member here. */
export type Incident =
  FailingIncident | ClusterUnreadableIncident | MissedIncident | RunningTooLongIncident;

/** The controller gives up after more than 100 missed start times; so do our counts. */
export const MISSED_RUNS_CAP = 101;

/** The kinds of incident. */
export type IncidentKind = Incident['kind'];

/** Every kind, for code that reads stored data (a kind missing here does not compile). */
export const INCIDENT_KINDS: readonly IncidentKind[] = Object.keys({
  failing: true,
  'cluster-unreadable': true,
  missed: true,
  'running-too-long': true,
} satisfies Record<IncidentKind, true>) as IncidentKind[];

/** The incident of one kind. */
export type IncidentOf<K extends IncidentKind> = Extract<Incident, {kind: K}>;

/** At most one open incident per kind. */
export type OpenIncidents = {[K in IncidentKind]?: IncidentOf<K>};

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
  /** When the first attempt to send it was claimed; absent before any attempt. */
  firstAttemptAt?: string;
  /**
   * `unknown` when an earlier attempt may have reached Slack without us learning it (its claim
   * expired unrecorded, or a request timed out): the next attempt looks for it in the channel
   * before sending. Absent when no attempt is in doubt.
   */
  lastOutcome?: 'unknown';
}

/** Where an incident's opening message lives, so the closing one can thread under it. */
export interface DeliveredMessage {
  incidentId: string;
  channel: string;
  ts: string;
}

/** Consecutive passes that could not read the cluster (cluster records only). */
export interface ReadFailures {
  count: number;
  since: string;
  lastError: string;
}

/** The stored state of one subject of one cluster. */
export interface SubjectRecord {
  schemaVersion: typeof RECORD_SCHEMA_VERSION;
  clusterId: string;
  subject: Subject;
  /** Newest finished run accounted for; null before the first pass saw the CronJob. */
  watermark: RunMark | null;
  open: OpenIncidents;
  outbox: PendingNotification[];
  /** Opening messages of incidents whose closing message is not delivered yet. */
  threads: DeliveredMessage[];
  /** Incidents closed by this record, newest last, kept short (see `HISTORY_LIMIT`). */
  history: Incident[];
  /** Cluster records only: consecutive passes that could not read the cluster. */
  readFailures: ReadFailures | null;
  updatedAt: string;
}

/** Key of a CronJob's record within its cluster. */
export function recordKeyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/**
 * Key of the record that tracks whether the cluster itself can be read. Kubernetes namespaces
 * are never empty, so it cannot collide with a CronJob's; it is the key release 0.1.0 used.
 */
export const CLUSTER_RECORD_KEY = '/';

/** The key of a subject's record. */
export function keyOfSubject(subject: Subject): string {
  return subject.type === 'cluster'
    ? CLUSTER_RECORD_KEY
    : recordKeyOf(subject.namespace, subject.name);
}

/** The open incidents of a record, in kind order. */
export function openIncidents(record: Pick<SubjectRecord, 'open'>): Incident[] {
  return Object.values(record.open).filter((i): i is Incident => i !== undefined);
}

/** True when the record has any open incident. */
export function hasOpenIncident(record: Pick<SubjectRecord, 'open'>): boolean {
  return openIncidents(record).length > 0;
}

/**
 * True when the record must be loaded every pass: an incident is open, a message is owed, or
 * (cluster records) the last read failed.
 */
export function needsAttention(record: SubjectRecord): boolean {
  return (
    hasOpenIncident(record) || record.outbox.length > 0 || (record.readFailures?.count ?? 0) > 0
  );
}

/** True while a pass holds a live claim on the notification (it may be sending it). */
export function isClaimed(n: PendingNotification, now: Date): boolean {
  return n.claim !== null && Date.parse(n.claim.until) > now.getTime();
}

/** A record with nothing in it yet, for the subject it names. */
export function blankRecord(clusterId: string, subject: Subject, now: Date): SubjectRecord {
  return {
    schemaVersion: RECORD_SCHEMA_VERSION,
    clusterId,
    subject,
    watermark: null,
    open: {},
    outbox: [],
    threads: [],
    history: [],
    readFailures: null,
    updatedAt: now.toISOString(),
  };
}
