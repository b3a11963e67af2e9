/**
 * What one pass reports, and the bookkeeping every step of it shares: the summary, the
 * budget, and how isolated failures and state changes are recorded.
 */
import {describeError, WatcherError} from './core/errors.js';
import {MASK} from './core/secrets/mask.js';
import type {Change} from './core/decide.js';
import type {Language} from './core/messages/languages.js';
import type {ObjectProblem} from './core/model.js';
import type {ScheduleProblem} from './core/plan.js';
import type {AnnotationTrust, ChannelRoute, PolicyProblem} from './core/policy.js';
import type {Logger} from './logger.js';
import type {MaintenanceRoute} from './core/maintenance.js';
import type {DigestAt} from './core/digest/schedule.js';
import {maskSecrets} from './mask-secrets.js';
import {TextMasking, type MaskText} from './text-masking.js';
import type {IncidentKind, PendingNotification} from './core/incident.js';
import type {
  ClusterSource,
  IncidentStore,
  NotificationContext,
  Notifier,
  RecordChangeResult,
  StoreUsage,
} from './ports.js';

/** What a pass needs; assembled by `passDepsOf` (wiring.ts) for every entry point. */
export interface PassDeps {
  source: ClusterSource;
  store: IncidentStore;
  notifier: Notifier;
  logger: Logger;
  /** The decision clock, injected so tests pass time in. I/O deadlines use the real clock. */
  now: () => Date;
  /** Namespaces to watch; null for all. */
  namespaces: string[] | null;
  /** Stop starting new work after this long (the function's timeout minus a margin). */
  budgetMs: number;
  /** Clusters read at once. */
  concurrency: number;
  /** Decide and report, but write nothing and send nothing. */
  dryRun: boolean;
  /** Consecutive passes a cluster must be unreadable before its own incident opens. */
  clusterDownAfter: number;
  /** CronJob detections turned off (`DETECTIONS`); default none. */
  disabledDetections?: readonly IncidentKind[];
  /** Dry runs: shown each notification that would be sent (the CLI prints it). */
  preview?: (notification: PendingNotification, context: NotificationContext) => void;
  /** `ROUTES`: channels by cluster and/or namespace; default none. */
  routes?: readonly ChannelRoute[];
  /** `MAINTENANCE`: windows by cluster and/or namespace; default none. */
  maintenance?: readonly MaintenanceRoute[];
  /** `REMINDERS` (no offsets: off); default `DEFAULT_REMINDERS_MS`. */
  reminders?: readonly number[];
  /** `DIGEST_AT`: when the daily digest goes out; absent or null: no digest. */
  digestAt?: DigestAt | null;
  /** What annotations may do (`SLACK_ALLOWED_CHANNELS`, …); default `DEFAULT_TRUST`. */
  annotationTrust?: AnnotationTrust;
  /** `MESSAGE_LANGUAGE`; default English. */
  language?: Language;
  /**
   * `STORM_THRESHOLD`: openings to one channel in one pass that go under one parent message
   * (core/storms/storm.ts); absent or null: no new storm forms (the configuration's default is
   * 5, see config.ts).
   */
  stormThreshold?: number | null;
  /** Secret masking of texts from the cluster; default all three layers (mask-secrets.ts). */
  maskSecrets?: MaskText;
  /**
   * Aborted on Ctrl-C or SIGTERM: the pass starts nothing new (no read, no send), stops
   * waiting for what is in flight, records it as it stands, and ends. Default: never.
   */
  signal?: AbortSignal;
}

/** One state change, as reported. The cluster's own incidents have empty namespace and name. */
export interface TransitionReport extends Change {
  cluster: string;
  namespace: string;
  name: string;
}

/** A failure the pass isolated and kept going after. */
export interface PassError {
  /** `record`: one CronJob's record could not be stored; the rest of the pass went on. */
  /** `permission`: an optional read was refused (events); the pass did everything else. */
  scope: 'cluster' | 'store' | 'record' | 'notify' | 'object' | 'budget' | 'permission';
  cluster: string | null;
  cronJob: string | null;
  code: string;
  message: string;
}

/** Per-cluster outcome. */
export interface ClusterReport {
  id: string;
  name: string;
  ok: boolean;
  cronJobs: number;
  error: {code: string; message: string} | null;
}

/** What a pass did: answered by the function, printed by the CLI. */
export interface PassSummary {
  passId: string;
  startedAt: string;
  finishedAt: string;
  dryRun: boolean;
  /** False when something was left for the next pass (store failure, budget ran out). */
  complete: boolean;
  /** The pass was interrupted (Ctrl-C, SIGTERM) and wound down early. */
  interrupted: boolean;
  clusters: ClusterReport[];
  cronJobsSeen: number;
  opened: number;
  closed: number;
  recovered: number;
  /** Incidents closed quietly because their CronJob was annotated `ignore`. */
  muted: number;
  failedAgain: number;
  /** Reminders queued about incidents still open (sent like every notification). */
  reminded: number;
  /** Daily digests this pass sent. */
  digestsSent: number;
  stillOpen: number;
  notificationsSent: number;
  notificationsPending: number;
  /** Notifications not attempted because the channel's pace left no room before the deadline. */
  notificationsDeferred: number;
  store: StoreUsage;
  transitions: TransitionReport[];
  problems: ObjectProblem[];
  /** Malformed `cronjob-watcher/*` annotations, ignored (defaults apply), once per pass each. */
  policyProblems: PolicyProblem[];
  /** CronJobs whose schedule cannot be read: nothing tells when they are due, once per pass each. */
  scheduleProblems: Array<ScheduleProblem & {cluster: string}>;
  errors: PassError[];
}

/** The key of a storm parent in `PassState.stormParents`. */
export function stormParentKey(clusterId: string, stormId: string): string {
  return `${clusterId}\n${stormId}`;
}

/** A change as a dry run tells it: what a pass would do, not what it did. */
export const WOULD: Record<Change['kind'], string> = {
  opened: 'would open',
  'failed-again': 'would count a failed run',
  closed: 'would close',
  recovered: 'would report failed and recovered',
  muted: 'would close muted',
  reminded: 'would remind',
};

/** What `PassState.unlessInterrupted` resolves to when the pass was interrupted first. */
export const INTERRUPTED: unique symbol = Symbol('interrupted');

// Firestore's own per-call limit (createFirestore) is 10 s; a little more lets it answer.
const STORE_CALL_FLOOR_MS = 15_000;

/** The summary being built, the budget, and the reporting helpers of one pass. */
export class PassState {
  readonly summary: PassSummary;
  readonly deadlineMs: number;
  /** Masks every free text from a cluster before a decision sees it. */
  readonly masking: TextMasking;
  /** Posted storm parents, by cluster id and storm id (`stormParentKey`): members go under them. */
  readonly stormParents = new Map<string, {id: string; channel: string; ts: string}>();

  constructor(
    readonly deps: PassDeps,
    readonly passId: string,
  ) {
    const started = deps.now();
    this.deadlineMs = started.getTime() + deps.budgetMs;
    this.summary = {
      passId,
      startedAt: started.toISOString(),
      finishedAt: started.toISOString(),
      dryRun: deps.dryRun,
      complete: true,
      interrupted: false,
      clusters: [],
      cronJobsSeen: 0,
      opened: 0,
      closed: 0,
      recovered: 0,
      muted: 0,
      failedAgain: 0,
      reminded: 0,
      digestsSent: 0,
      stillOpen: 0,
      notificationsSent: 0,
      notificationsPending: 0,
      notificationsDeferred: 0,
      store: {reads: 0, writes: 0},
      transitions: [],
      problems: [],
      policyProblems: [],
      scheduleProblems: [],
      errors: [],
    };
    this.masking = new TextMasking(deps.maskSecrets ?? maskSecrets, cause =>
      this.onceFor('masking', () =>
        this.error(
          {
            scope: 'object',
            cluster: null,
            cronJob: null,
            code: 'MASKING_FAILED',
            message: `secret masking could not run (${describeError(cause)}): texts from the cluster are replaced by ${MASK} and log excerpts left out`,
          },
          cause,
        ),
      ),
    );
  }

  /**
   * The deadline on the real clock, for I/O: the pass's clock may be a test's (or a demo's)
   * scripted time, the network's is not.
   */
  wallDeadline(): Date {
    const remainingMs = Math.max(0, this.deadlineMs - this.deps.now().getTime());
    return new Date(Date.now() + remainingMs);
  }

  /**
   * The deadline of a store call: the pass deadline, but never less than
   * STORE_CALL_FLOOR_MS away. A decision that started is better finished than cut between
   * its read and its write (the transaction would be retried next pass anyway, but the pass
   * would report a store outage that never was).
   */
  storeDeadline(): Date {
    return new Date(Math.max(this.wallDeadline().getTime(), Date.now() + STORE_CALL_FLOOR_MS));
  }

  /** True once the pass must start nothing new: its budget ran out, or it was interrupted. */
  outOfTime(): boolean {
    return this.interrupted() || this.deps.now().getTime() >= this.deadlineMs;
  }

  interrupted(): boolean {
    return this.deps.signal?.aborted === true;
  }

  /** Why the pass stops starting work, for the messages that say what is left. */
  stopReason(): string {
    return this.interrupted() ? 'the pass was interrupted' : 'the pass ran out of time';
  }

  /**
   * What `work` resolves to, or INTERRUPTED as soon as the pass is interrupted: the pass stops
   * waiting (the work goes on unawaited, and its failure is dropped, as nobody waits for it).
   */
  async unlessInterrupted<T>(work: Promise<T>): Promise<T | typeof INTERRUPTED> {
    const signal = this.deps.signal;
    if (signal === undefined) return work;
    if (signal.aborted) {
      work.catch(() => undefined);
      return INTERRUPTED;
    }
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<typeof INTERRUPTED>(resolve => {
      onAbort = () => resolve(INTERRUPTED);
      signal.addEventListener('abort', onAbort, {once: true});
    });
    try {
      return await Promise.race([work, aborted]);
    } finally {
      if (onAbort !== undefined) signal.removeEventListener('abort', onAbort);
      work.catch(() => undefined);
    }
  }

  /** Adds one state change to the summary's transitions and counts, and logs it. */
  transition(change: Change, cluster: string, namespace: string, name: string): void {
    this.summary.transitions.push({...change, cluster, namespace, name});
    if (change.kind === 'opened') this.summary.opened++;
    else if (change.kind === 'closed') this.summary.closed++;
    else if (change.kind === 'recovered') this.summary.recovered++;
    else if (change.kind === 'muted') this.summary.muted++;
    else if (change.kind === 'reminded') this.summary.reminded++;
    else this.summary.failedAgain++;
    const subject = namespace === '' ? `cluster ${cluster}` : `${cluster} ${namespace}/${name}`;
    this.deps.logger.log(
      change.incidentKind === 'cluster-unreadable' && change.kind === 'opened' ? 'ERROR' : 'INFO',
      `${this.deps.dryRun ? WOULD[change.kind] : change.kind} (${change.incidentKind}): ${subject}`,
      {incident: change.incidentId, job: change.job, dryRun: this.deps.dryRun},
    );
  }

  error(error: PassError, cause?: unknown): void {
    this.summary.errors.push(error);
    this.deps.logger.log('ERROR', error.message, {
      scope: error.scope,
      code: error.code,
      cluster: error.cluster,
      cronJob: error.cronJob,
      ...(cause instanceof Error && !(cause instanceof WatcherError) ? {cause: cause.message} : {}),
    });
  }

  /** Clusters whose records this pass holds alone (`ClusterState.heldAlone`), by id. */
  readonly heldAlone = new Set<string>();

  readonly #once = new Set<string>();

  /** Runs `report` the first time `key` is seen in this pass. */
  onceFor(key: string, report: () => void): void {
    if (this.#once.has(key)) return;
    this.#once.add(key);
    report();
  }

  /** Reports work left for the next pass because the budget ran out or the pass was interrupted. */
  budgetExhausted(cluster: string, cronJob: string | null, message: string): void {
    const code = this.interrupted() ? 'INTERRUPTED' : 'BUDGET';
    this.error({scope: 'budget', cluster, cronJob, code, message});
  }
}

/**
 * Logs that some changes of an `updateMany` batch were not committed and are being done one by
 * one (where their own errors, if any, are reported); nothing when all were committed.
 */
export function logBatchFallback(
  state: PassState,
  cluster: string,
  what: string,
  results: readonly RecordChangeResult[],
): void {
  const failed = results.filter(result => !result.ok);
  const first = failed[0];
  if (first === undefined || first.ok) return;
  state.deps.logger.log(
    'WARNING',
    `${cluster}: ${failed.length} of ${results.length} ${what} could not be stored together; one by one instead`,
    {cluster, error: describeError(first.error)},
  );
}

/** The stable code of an error, for the summary. */
export function codeOf(error: unknown): string {
  return error instanceof WatcherError ? error.code : 'INTERNAL';
}
