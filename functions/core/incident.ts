/**
 * Incident state, as stored: one record per subject (a CronJob, or the cluster itself) per
 * cluster, holding at most one open incident per kind, what the detectors need to remember
 * (the runs already accounted for, consecutive failed reads), and the notifications not yet
 * delivered. Plain data with ISO-8601 strings for times so every store keeps it as it is.
 *
 * Every stored record carries `schemaVersion`; `upgradeRecord` (record-upgrade.ts) reads
 * every shape a released version wrote.
 */

import type {ClusterUnreadableIncident} from './detections/cluster-unreadable/incident.js';
import type {FailingIncident} from './detections/failing/incident.js';
import type {FinishedTooFastIncident} from './detections/finished-too-fast/incident.js';
import type {MissedIncident} from './detections/missed/incident.js';
import type {RunningTooLongIncident} from './detections/running-too-long/incident.js';
import type {SlowerThanUsualIncident} from './detections/slower-than-usual/incident.js';
import type {Acknowledgement, Destination, RunMark, Snooze, Subject} from './incident-base.js';
import type {RecentRun} from './run-history.js';

export type {
  Acknowledgement,
  Destination,
  Ending,
  IncidentBase,
  LogExcerpt,
  LogUnavailable,
  ReadError,
  RunMark,
  RunRef,
  Snooze,
  Subject,
} from './incident-base.js';
export {MISSED_RUNS_CAP} from './incident-base.js';
export type {
  ClusterUnreadableIncident,
  FailingIncident,
  FinishedTooFastIncident,
  MissedIncident,
  RunningTooLongIncident,
  SlowerThanUsualIncident,
};

/** The schema version of records this code writes. */
export const RECORD_SCHEMA_VERSION = 9;

/** Every kind of incident. A new detection adds its own member here. */
export type Incident =
  | FailingIncident
  | ClusterUnreadableIncident
  | MissedIncident
  | RunningTooLongIncident
  | SlowerThanUsualIncident
  | FinishedTooFastIncident;

/** The kinds of incident. */
export type IncidentKind = Incident['kind'];

/** The incident of one kind. */
export type IncidentOf<K extends IncidentKind> = Extract<Incident, {kind: K}>;

/** At most one open incident per kind. */
export type OpenIncidents = {[K in IncidentKind]?: IncidentOf<K>};

/**
 * What a notification announces. `recovered` = opened and closed before anything was sent.
 * `reminder`: a thread reply about an incident still open (reminders.ts).
 * `acted`: someone acknowledged or snoozed the open incident (or a snooze ended): the opening
 * message is updated to show it and one thread reply says it (`PendingNotification.action`).
 */
export type NotificationKind = 'opened' | 'closed' | 'recovered' | 'acted' | 'reminder';

/**
 * What an `acted` notification says happened to the open incident. `storm`: done on a storm's
 * parent message for all its members; the member's message is updated to show it, and the
 * storm's thread has the one reply that says it.
 */
export type ActionEvent = (
  | {type: 'acknowledged'; by: string; at: string}
  | {type: 'unacknowledged'; by: string; at: string}
  | {type: 'snoozed'; by: string; at: string; until: string | 'recovery'}
  | {type: 'unsnoozed'; by: string; at: string}
  /** `by` snoozed it; `meanwhile`: how much its count grew during the snooze. */
  | {type: 'snooze-ended'; by: string; at: string; until: string; meanwhile: number}
) & {storm?: string};

/** A message owed to the channel. Removed from the outbox once delivered. */
export interface PendingNotification {
  /**
   * `<incident id>/<kind>`: one notification per transition, ever (`acted`:
   * `<incident id>/<action>:<by>@<at>`, one per action).
   */
  id: string;
  kind: NotificationKind;
  incident: Incident;
  /** `acted` notifications only: what was done. */
  action?: ActionEvent;
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
  /**
   * The storm whose parent message this opening (or, closed before it was sent, this
   * `recovered` message) goes under, in the parent's thread; absent: a message of its own.
   */
  storm?: string;
  /**
   * Not sent before this time: the opening of an incident that began in a maintenance window
   * waits for the window's end. Absent: sent as soon as possible.
   */
  heldUntil?: string;
}

/** A notification of a transition the detections decided: what a slice's messages tell. */
export type TransitionNotification = PendingNotification & {
  kind: Exclude<NotificationKind, 'acted'>;
};

/** Where an incident's opening message lives, so the closing one can thread under it. */
export interface DeliveredMessage {
  incidentId: string;
  channel: string;
  ts: string;
  /**
   * The thread the message is a reply in (a storm's parent): later replies go there, since
   * Slack threads under the parent only. Absent: the message is top-level, replies go under it.
   */
  threadTs?: string;
  /** The storm the message belongs to (its parent's `threadTs`); absent: none. */
  storm?: string;
}

/** One incident of a storm, as its parent message counts it. */
export interface StormMember {
  /** The member's record key (`namespace/name`) and incident. */
  key: string;
  incidentId: string;
  kind: IncidentKind;
  namespace: string;
  name: string;
  /** What the parent counts it under besides its kind (`OOMKilled`); null: nothing more. */
  reason: string | null;
  /** When the storm first saw it closed; null while it is open. */
  recoveredAt: string | null;
}

/**
 * What a storm owes the channel: its parent message (`opened`), or an update of the parent to
 * the storm as it now stands (`progress`). Claimed, attempted and released like a notification
 * (outbox.ts), so the parent too is sent once.
 */
export interface StormSend {
  /**
   * `<storm id>/opened`, `<storm id>/progress`, `<storm id>/roster-<page>`, or for `acted`
   * `<storm id>/<action>:<by>@<at>` (one per action on the parent).
   */
  id: string;
  /**
   * `opened`: post the parent; `progress`: rewrite it as the storm stands; `acted`: rewrite it
   * and post one reply in its thread saying what was done to the storm (`action`, `count`);
   * `roster`: post page `page` of the list of every member in its thread (storms/roster.ts);
   * `reminder`: post in its thread that `count` members are still open (storms/reminders.ts).
   */
  kind: 'opened' | 'progress' | 'acted' | 'roster' | 'reminder';
  createdAt: string;
  attempts: number;
  lastError: string | null;
  claim: {by: string; until: string} | null;
  firstAttemptAt?: string;
  lastOutcome?: 'unknown';
  /** `acted` only: what was done on the parent. */
  action?: ActionEvent;
  /** `acted`, `reminder`: how many members were open when it was done (what it acted on). */
  count?: number;
  /** `roster` only: which page, from 1. */
  page?: number;
}

/**
 * A storm (storm records only): the openings of one pass to one channel, many enough to go
 * under one parent message (core/storms/storm.ts). Its members list is what actions on the
 * parent act on.
 */
export interface StormState {
  id: string;
  clusterName: string;
  /** Where the parent goes and in which language (its members' channel). */
  destination: Destination;
  /** When the earliest member opened. */
  openedAt: string;
  members: StormMember[];
  /** The parent message once posted. */
  parent: {channel: string; ts: string} | null;
  /** How many recovered members the parent shows; null before it is posted. */
  shown: number | null;
  /** When the last member recovered; null while any is open. */
  finishedAt: string | null;
  /** The message owed, if any. */
  send: StormSend | null;
  /** Messages owed after `send`, in order (replies to actions on the parent); absent: none. */
  queued?: StormSend[];
  /** Someone acknowledged every member from the parent message. */
  acknowledged?: Acknowledgement;
  /** Someone snoozed every member from the parent message. */
  snoozed?: Snooze;
  /** When the storm was formed; absent in storms formed before reminders (version 8). */
  formedAt?: string;
  /** The storm's reminder times used up (storms/reminders.ts); absent: none. */
  reminders?: {sent: number; lastAt: string};
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
  /**
   * CronJob records: its latest finished runs and missed due times, oldest first (see
   * run-history.ts); runs at or before the watermark that are not here were never recorded.
   */
  runs: RecentRun[];
  /** Cluster records only: consecutive passes that could not read the cluster. */
  readFailures: ReadFailures | null;
  updatedAt: string;
  /** Storm records only (schema 7): the storm. */
  storm?: StormState;
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

/** Where storm records' keys start: no namespace starts with `~`, so no key collides. */
export const STORM_KEY_PREFIX = '~storm/';

/** The key of a subject's record. */
export function keyOfSubject(subject: Subject): string {
  switch (subject.type) {
    case 'cluster':
      return CLUSTER_RECORD_KEY;
    case 'storm':
      return `${STORM_KEY_PREFIX}${subject.id}`;
    case 'cronjob':
      return recordKeyOf(subject.namespace, subject.name);
  }
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
 * True when the record must be loaded every pass: an incident is open, a message is owed,
 * (cluster records) the last read failed, or (storm records) a member is open or the parent
 * owes an update.
 */
export function needsAttention(record: SubjectRecord): boolean {
  return (
    hasOpenIncident(record) ||
    record.outbox.length > 0 ||
    (record.readFailures?.count ?? 0) > 0 ||
    (record.storm !== undefined &&
      (record.storm.finishedAt === null ||
        record.storm.send !== null ||
        (record.storm.queued?.length ?? 0) > 0))
  );
}

/** True while the notification waits for a maintenance window to end. */
export function isHeld(n: PendingNotification, now: Date): boolean {
  return n.heldUntil !== undefined && Date.parse(n.heldUntil) > now.getTime();
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
    runs: [],
    readFailures: null,
    updatedAt: now.toISOString(),
  };
}
