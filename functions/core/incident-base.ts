/**
 * The parts every incident is made of, whatever its kind: the runs it refers to, its subject,
 * how it ended, where its messages go. Each kind's own incident type lives in its slice
 * (detections/<kind>/incident.ts) and extends `IncidentBase`; incident.ts joins them.
 */
import type {Language} from './messages/languages.js';

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
  | {type: 'cluster'}
  /** A storm: one parent message for many openings to one channel (core/storms/). */
  | {type: 'storm'; id: string};

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

export interface IncidentBase {
  /** Deterministic, so concurrent passes agree; unique across kinds. */
  id: string;
  /** When the problem started, by the cluster's timestamps where it has them. */
  openedAt: string;
  closedAt: string | null;
  ending: Ending | null;
  /** Absent on records written before per-CronJob settings: the configured defaults. */
  destination?: Destination;
  /**
   * Set when it opened inside a maintenance window: its opening was held until `end` (and is
   * never sent if it closes before). Absent otherwise.
   */
  maintenance?: {start: string; end: string};
  /** Reminders sent so far: how many of its reminder times were used up. Absent: none. */
  reminders?: {sent: number; lastAt: string};
  /**
   * Someone said they are on it (a Slack button or `cronjob-watcher ack`): a Slack user ID
   * (or the CLI's operator name) and when. Absent: nobody has (and on records before version 6).
   */
  acknowledged?: Acknowledgement;
  /** Someone silenced its reminders for a while; absent when not snoozed. */
  snoozed?: Snooze;
}

/** Who acknowledged an open incident, and when (ISO-8601). */
export interface Acknowledgement {
  by: string;
  at: string;
}

/**
 * A snooze: by whom, when, and until when (`recovery`: until the incident closes). Nothing
 * silences forever; that stays the `ignore` annotation.
 */
export interface Snooze {
  by: string;
  until: string | 'recovery';
  at: string;
  /**
   * The incident's count (failed runs, missed runs…) when it was snoozed, so the reply when
   * the snooze ends can say what happened meanwhile.
   */
  countAt?: number;
  /**
   * The storm whose parent message it was snoozed from: when it ends, the storm's one reply
   * says so, not one reply per member.
   */
  storm?: string;
}

/**
 * Counts of missed or blocked due times stop here ("more than 100"): the controller's own
 * threshold, past which it records `TooManyMissedTimes` (and still starts the most recent one).
 */
export const MISSED_RUNS_CAP = 101;
