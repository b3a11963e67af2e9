/**
 * The watcher's own view of Kubernetes objects: plain data, no SDK types.
 * Adapters turn whatever the API returned into these (see `kube-objects.ts`)
 * before any decision is made.
 */

/** What a Job did, as far as the cluster can tell. */
export type Outcome = 'succeeded' | 'failed' | 'running' | 'suspended';

/** One condition from `Job.status.conditions`, with the zero time already turned into null. */
export interface JobCondition {
  type: string;
  status: string;
  reason: string | null;
  message: string | null;
  lastTransitionTime: Date | null;
}

/**
 * A time field the object carries but whose value cannot be used (unparseable, the Go zero
 * time, not a string), or a deciding condition's time that is missing: reported as a problem
 * that does not hold the CronJob; the decisions use the next usable time instead.
 */
export interface UnusableTime {
  /** Where, e.g. `status.conditions[Failed].lastTransitionTime`. */
  field: string;
  /** What was there, as JSON text (cut), or null when missing. */
  value: string | null;
}

/** A CronJob, reduced to what the watcher needs. */
export interface CronJobInfo {
  uid: string;
  namespace: string;
  name: string;
  schedule: string;
  /** IANA time zone from `spec.timeZone`, null when the controller's local time applies. */
  timeZone: string | null;
  suspended: boolean;
  /**
   * When `spec.suspend` last changed, as far as `metadata.managedFields` tells: the newest
   * `time` of the entries owning `f:spec.f:suspend` (at or after the change: that manager's
   * entry moves whenever it changes any field it owns). Null when no entry owns it.
   */
  suspendChangedAt: Date | null;
  lastScheduleTime: Date | null;
  /** Null on clusters older than 1.21, and when the CronJob never succeeded. */
  lastSuccessfulTime: Date | null;
  activeJobNames: string[];
  createdAt: Date | null;
  /** `spec.startingDeadlineSeconds`: a run not started this long after it was due is skipped. */
  startingDeadlineSeconds: number | null;
  /** `spec.concurrencyPolicy` (`Allow` when absent). */
  concurrencyPolicy: 'Allow' | 'Forbid' | 'Replace';
  /** `spec.failedJobsHistoryLimit` (Kubernetes' default 1 when absent). */
  failedJobsHistoryLimit: number;
  /** `spec.jobTemplate.spec.ttlSecondsAfterFinished`; null when unset. */
  jobTtlSecondsAfterFinished: number | null;
  /** Time fields present but unusable; absent when none. */
  unusableTimes?: UnusableTime[];
  /** Its `cronjob-watcher/*` annotations (string values only), read into a policy each pass. */
  annotations: Record<string, string>;
}

/** A Job, reduced to what the watcher needs. */
export interface JobInfo {
  uid: string;
  namespace: string;
  name: string;
  /** UID of the controlling owner reference of kind CronJob; null when not created by a CronJob. */
  cronJobUid: string | null;
  /** Created by `kubectl create job --from=cronjob/x` (annotation `cronjob.kubernetes.io/instantiate: manual`). */
  manual: boolean;
  /** From `batch.kubernetes.io/cronjob-scheduled-timestamp` (1.28+); null when absent or unreadable. */
  scheduledAt: Date | null;
  createdAt: Date | null;
  startedAt: Date | null;
  completedAt: Date | null;
  /** `spec.suspend`. */
  suspended: boolean;
  conditions: JobCondition[];
  /** Time fields present but unusable, and deciding conditions without a time; absent when none. */
  unusableTimes?: UnusableTime[];
}

/** One container's last termination, for the failure detail. */
export interface ContainerTermination {
  container: string;
  reason: string | null;
  exitCode: number | null;
  message: string | null;
}

/** A Warning event the Job controller recorded on a Job (`BackoffLimitExceeded`, …). */
export interface JobEvent {
  /** `Normal` or `Warning`; null when absent. */
  type: string | null;
  reason: string;
  message: string | null;
  at: Date | null;
}

/** A Pod of a Job, reduced to what explains a failure. */
export interface PodInfo {
  namespace: string;
  name: string;
  /** From `batch.kubernetes.io/controller-uid` or the older `controller-uid` label. */
  jobUid: string | null;
  /** From `batch.kubernetes.io/job-name` or the older `job-name` label. */
  jobName: string | null;
  phase: string | null;
  /** Pod-level reason such as `Evicted` or `DeadlineExceeded`. */
  reason: string | null;
  message: string | null;
  terminations: ContainerTermination[];
  /** Containers that have not started, and why (`ImagePullBackOff`, `CreateContainerConfigError`). */
  waiting: ContainerWaiting[];
  /** The `PodScheduled=False` reason and message (`Unschedulable: 0/3 nodes …`); null when scheduled. */
  unschedulable: string | null;
  /** Restarts of all its containers. */
  restarts: number;
  createdAt: Date | null;
}

/** A container that is waiting to start. */
export interface ContainerWaiting {
  container: string;
  reason: string;
  message: string | null;
}

/** The verdict on one Job: a pure function of the Job object. */
export interface RunVerdict {
  job: string;
  jobUid: string;
  outcome: Outcome;
  /** Failure reason (`BackoffLimitExceeded`, `DeadlineExceeded`, …, any string), null unless failed. */
  reason: string | null;
  message: string | null;
  scheduledAt: Date | null;
  startedAt: Date | null;
  /** Completion time for a success, the Failed (else FailureTarget) condition's time for a failure. */
  finishedAt: Date | null;
  /**
   * When the outcome was decided: the FailureTarget / SuccessCriteriaMet time on 1.31+, which
   * comes first and never moves, else `finishedAt`. Runs are ordered by it, so a Job seen
   * once with FailureTarget and once with Failed keeps its place.
   */
  decidedAt: Date | null;
  manual: boolean;
  /**
   * True when the Job carries no usable time for its outcome and `finishedAt` is the next
   * usable one (completion, start, scheduled or creation time), or none at all and the run is
   * placed at the time it was seen: the run still counts, its time is only approximate.
   */
  approximateTime?: boolean;
}

/** A CronJob with the verdicts on its Jobs. */
export interface CronJobStatus {
  cronJob: CronJobInfo;
  /** Newest run by scheduled time (else creation time), whatever its outcome. */
  lastRun: RunVerdict | null;
  /** Newest finished (succeeded or failed) run, by the time it finished. */
  lastFinishedRun: RunVerdict | null;
  /** Every finished run, oldest first, in the order their outcomes happened. */
  finishedRuns: RunVerdict[];
  /** Jobs still running (not finished, not suspended). */
  running: RunVerdict[];
}

/** An object the watcher could not judge: reported once per pass, never thrown. */
export interface ObjectProblem {
  kind: 'CronJob' | 'Job' | 'Pod';
  namespace: string | null;
  name: string | null;
  problem: string;
  /** The CronJob a bad Job belongs to, when that much could be read: it is held this pass. */
  cronJobUid?: string | null;
  /** The object was judged all the same (an unusable time, with the next usable one standing in). */
  judged?: true;
}

/** Identifies a cluster everywhere: in incident keys, messages and the summary. */
export interface ClusterRef {
  /** Stable key, e.g. `projects/p/locations/l/clusters/c`, or `kubeconfig/<context>` locally. */
  id: string;
  /** Short name shown to people, e.g. `prod-eu` or the kube context name. */
  name: string;
  project: string | null;
  location: string | null;
}

/** Everything read from one cluster in one pass. */
export interface ClusterSnapshot {
  cluster: ClusterRef;
  cronJobs: CronJobInfo[];
  jobs: JobInfo[];
  problems: ObjectProblem[];
}
