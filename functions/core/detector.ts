/**
 * The seam every detection plugs into. A detector judges one subject (a CronJob, or the
 * cluster itself) from what the cluster shows this pass, the stored record, the subject's
 * policy and `now`, and answers with transitions of its own kind of incident: open, update
 * silently, close. It never touches the outbox, the history or the store: `decideSubject`
 * (decide.ts) applies its transitions, the plan (plan.ts) decides which subjects to evaluate,
 * and the orchestrator only executes. See functions/core/README.md for adding one.
 */
import type {ClusterReadOutcome} from './cluster-read.js';
import type {
  Destination,
  Incident,
  IncidentKind,
  LogExcerpt,
  ReadFailures,
  RunMark,
  SubjectRecord,
} from './incident.js';
import type {MaintenancePolicy} from './maintenance.js';
import type {CronJobInfo, RunVerdict} from './model.js';
import type {RecentRun} from './run-history.js';
import type {OrderedRun} from './verdict.js';

/** The event that tells how a Job already gone ended. */
export interface GoneJobEvent {
  reason: string;
  message: string | null;
  /** The Job controller said `Completed`: the run succeeded, its Job was deleted since. */
  succeeded: boolean;
}

/** What the cluster shows for one CronJob this pass. */
export interface CronJobView {
  type: 'cronjob';
  clusterId: string;
  cronJob: CronJobInfo;
  /** Finished runs, oldest first, in the order their outcomes happened (`finishedRunsOf`). */
  runs: OrderedRun[];
  /** Runs still going (not finished, not suspended). */
  running: RunVerdict[];
  /** Runs held by `spec.suspend: true`, neither running nor finished; absent: none. */
  suspended?: RunVerdict[];
  /** The newest scheduled time any of its Jobs carries (manual runs carry none). */
  latestScheduledJobAt: Date | null;
  /** Pod detail per Job UID for runs the plan asked to explain; filled by the pass. */
  details?: ReadonlyMap<string, string>;
  /**
   * What the events of a Job already gone say, by its name: why it failed, or that it
   * completed (the Job controller's Normal `Completed`); filled by the pass.
   */
  events?: ReadonlyMap<string, GoneJobEvent>;
  /** Log excerpt per Job UID for the failed run the plan asked to quote; filled by the pass. */
  excerpts?: ReadonlyMap<string, LogExcerpt>;
  /**
   * The cluster's own `cluster-unreadable` incident was open when the pass began: what
   * happened while the watcher could not read it is not known yet (see relations.ts).
   */
  clusterWasUnreadable?: true;
}

/** What the pass learnt about the cluster as a whole. */
export interface ClusterView {
  type: 'cluster';
  clusterId: string;
  read: ClusterReadOutcome;
}

/** Either kind of subject. */
export type SubjectView = CronJobView | ClusterView;

/**
 * What every subject's policy holds, whatever detections run: the cluster's threshold and,
 * for a CronJob, what its common annotations say. Each detection reads its own settings
 * besides (`Policy` in policy.ts joins them). An absent setting is its default: not ignored,
 * the configured channel and language.
 */
export interface BasePolicy {
  /** Consecutive unreadable passes before the cluster's own incident opens. */
  clusterDownAfter: number;
  /** No incident of any kind opens; open ones close quietly (`muted`). */
  ignore?: boolean;
  /** Where and how its messages go, resolved; stored with each incident it opens. */
  destination?: Destination;
  /** CronJob detections turned off for this deployment (`DETECTIONS`); default none. */
  disabled?: readonly IncidentKind[];
  /** Its maintenance window (annotation, else `MAINTENANCE`); absent: none. */
  maintenance?: MaintenancePolicy;
  /** When open incidents get a reminder (`reminders.ts`; no offsets: none); absent: the default. */
  reminders?: readonly number[];
}

/** What the store knows of a subject before its record is loaded. */
export interface Known {
  /** From the cheap per-cluster index; undefined when the subject was never seen. */
  watermark: RunMark | null | undefined;
  /** The full record, when it was loaded because it needs attention. */
  record: SubjectRecord | undefined;
}

/** One change of one incident. `job` names the run behind it, for the summary. */
export type Transition =
  | {type: 'open'; incident: Incident; job: string | null}
  /** The open incident changed; `reported` makes it a `failed-again` line in the summary. */
  | {type: 'update'; incident: Incident; job: string | null; reported: boolean}
  /**
   * `incident` carries its `closedAt` and `ending`. `silent`: no message of its own (another
   * incident continues its thread, see detections/relations.ts).
   */
  | {type: 'close'; incident: Incident; job: string | null; silent?: boolean};

/** What a detector decided; null from `evaluate` means nothing changed. */
export interface Evaluation {
  transitions: Transition[];
  /** New watermark (failing-streak), when it moved. */
  watermark?: RunMark | null;
  /** New count of failed reads (cluster-unreadable), when it changed. */
  readFailures?: ReadFailures | null;
  /**
   * Runs for the CronJob's history that no Job shows: due times no run started for (missed).
   * Finished runs need no detector: `decideSubject` records them.
   */
  runs?: RecentRun[];
}

/**
 * Facts a detector needs besides the view and the record; `S` is its own settings (absent:
 * their defaults).
 */
export interface DetectorContext<S extends Record<string, unknown> = Record<never, never>> {
  now: Date;
  policy: BasePolicy & Partial<S>;
  /** No record and no index entry: the first pass that sees this subject. */
  firstSight: boolean;
}

/** One kind of detection. Pure: no I/O, no clock but `context.now`. */
export interface Detector<
  V extends SubjectView,
  S extends Record<string, unknown> = Record<never, never>,
> {
  readonly kind: IncidentKind;
  /**
   * Whether `evaluate` could change anything, from the index entry and the record loaded for
   * attention: lets a pass skip the store transaction. Must never say false when `evaluate`
   * would change the record. A clock-driven detection answers from `now`, not from new Jobs.
   */
  mayChange(view: V, known: Known, context: DetectorContext<S>): boolean;
  /** The transitions for this subject, given the record as it stands (never null here). */
  evaluate(view: V, record: SubjectRecord, context: DetectorContext<S>): Evaluation | null;
}
