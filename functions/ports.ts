/**
 * The watcher's ports: the only ways the orchestrator reaches the outside world.
 * Each has one adapter per technology under `functions/adapters/`.
 */
import type {ClusterRef, ClusterSnapshot, JobEvent, PodInfo} from './core/model.js';
import type {DigestRecord} from './core/digest/ledger.js';
import type {Message} from './core/messages/model.js';
import type {RecentRun} from './core/run-history.js';
import type {
  DeliveredMessage,
  PendingNotification,
  RunMark,
  StormSend,
  StormState,
  Subject,
  SubjectRecord,
} from './core/incident.js';

/**
 * Which of a CronJob's Jobs a reader must keep, so a read's memory grows with CronJobs, not
 * Jobs. Always kept: Jobs still running or suspended, the newest finished run and the newest
 * started run. Finished runs after `since`'s mark are kept too: all of them for `null`, none
 * more for `undefined` (a CronJob the caller has never seen: only its latest run counts).
 */
export interface RunSelection {
  since(cronJob: {namespace: string; name: string; uid: string}): RunMark | null | undefined;
}

/** Reads one cluster. Throws `ClusterError` when the cluster cannot be read as a whole. */
export interface ClusterReader {
  /**
   * Lists CronJobs and Jobs (all namespaces when `namespaces` is null), in pages, giving up
   * (`ClusterError` `TIMEOUT`) at `deadline`. With `runs`, Jobs no decision can need are
   * dropped as they arrive (see `RunSelection`); without it, every Job is kept. With
   * `cronJobSelector` (a label selector as the API server's `labelSelector` reads it), only the
   * CronJobs it selects are listed.
   */
  read(options: {
    namespaces: string[] | null;
    runs?: RunSelection;
    deadline?: Date;
    cronJobSelector?: string;
  }): Promise<ClusterSnapshot>;
  /** The Pods of one Job, to explain its failure. Empty when they are gone. */
  podsOfJob(
    job: {namespace: string; name: string; uid: string},
    deadline?: Date,
  ): Promise<PodInfo[]>;
  /**
   * The Pods of several Jobs of one namespace, by Job UID, each as `podsOfJob` gives them, in as
   * few requests as the API allows: an entry for every Job asked for (empty when its Pods are
   * gone). Throws `ClusterError`.
   */
  podsOfJobs(
    namespace: string,
    jobs: Array<{name: string; uid: string}>,
    deadline?: Date,
  ): Promise<Map<string, PodInfo[]>>;
  /**
   * The events of a Job (by name), newest first, while the API server keeps them
   * (`--event-ttl`, an hour by default). Throws `ClusterError` (`FORBIDDEN` without RBAC).
   */
  jobEvents(job: {namespace: string; name: string}, deadline?: Date): Promise<JobEvent[]>;
  /**
   * The last `tailLines` lines of one container's log, at most `limitBytes` (the API server
   * cuts it). Only called for CronJobs that ask for a log excerpt. Throws `ClusterError`
   * (`FORBIDDEN` without `pods/log`, `NOT_FOUND` when the Pod is gone, `TIMEOUT`).
   */
  podLog(
    pod: {namespace: string; name: string; container: string},
    options: {tailLines: number; limitBytes: number; deadline?: Date},
  ): Promise<string>;
}

/** A cluster to watch this pass, with the reader that reaches it. */
export interface WatchedCluster {
  ref: ClusterRef;
  reader: ClusterReader;
}

/** A cluster that could not even be reached or listed, with the reason in plain words. */
export interface ClusterFailure {
  ref: ClusterRef;
  code: string;
  message: string;
}

/** What a source found this pass. */
export interface ClusterListing {
  clusters: WatchedCluster[];
  failures: ClusterFailure[];
  /**
   * Discovery scopes (a GKE project) that answered in full this pass. A scope that failed
   * before is reported in `failures` under the same ref, so its "cannot see" incident closes
   * when it shows up here.
   */
  reachable?: ClusterRef[];
}

/** Where the clusters come from: a kubeconfig locally, GKE on Google Cloud. */
export interface ClusterSource {
  clusters(): Promise<ClusterListing>;
}

/** Reads and writes made by store calls; the pass summary reports them. */
export interface StoreUsage {
  reads: number;
  writes: number;
}

/** What the store knows about one CronJob without loading its whole record. */
export interface RecordSummary {
  cronJobUid: string;
  watermark: RunMark | null;
}

/** A cluster's stored state as one pass needs it. */
export interface ClusterState {
  /** Every subject with a record or a baseline, by record key (`namespace/name`). */
  known: Map<string, RecordSummary>;
  /** Full records with an open incident or an undelivered notification. */
  attention: SubjectRecord[];
  /**
   * True when this pass holds the cluster's records alone until `finishCluster` (the file
   * store's lock): a claim found in them was left by a pass that has ended, maybe killed
   * after Slack took the message. Absent: false (claims are judged by their expiry).
   */
  heldAlone?: boolean;
}

/**
 * Keeps incident records. Cost contract: `loadCluster` reads a constant number of documents
 * plus one per record needing attention; `update` writes only when `change` returns a record.
 * Records are read through `upgradeRecord`, so every released shape comes back in today's.
 * A call still running at `deadline` gives up with `StoreError` `DEADLINE`.
 */
export interface IncidentStore {
  loadCluster(clusterId: string, usage: StoreUsage, deadline?: Date): Promise<ClusterState>;
  /**
   * Atomically replaces the record at `key` with what `change` returns, given the
   * current record (null when none). `change` returning null leaves it untouched. `change`
   * must be pure: it may run more than once when a concurrent writer forces a retry.
   * Resolves to the record as it now stands. Throws `StoreError`.
   */
  update(
    clusterId: string,
    key: string,
    change: (current: SubjectRecord | null) => SubjectRecord | null,
    usage: StoreUsage,
    deadline?: Date,
  ): Promise<SubjectRecord | null>;
  /**
   * `update` for many records of one cluster at once, for passes that change hundreds (the
   * first pass over a large cluster opens an incident per failing CronJob, then claims and
   * records each announcement): each change means what it means to `update`, but the store
   * applies them in a few transactions, each all or nothing, instead of one per record. Resolves
   * to one result per change, in order: the record as it now stands, or the error that kept its
   * transaction from committing. A store without transactions over several records applies
   * them one by one.
   */
  updateMany(
    clusterId: string,
    changes: RecordChange[],
    usage: StoreUsage,
    deadline?: Date,
  ): Promise<RecordChangeResult[]>;
  /**
   * Records where CronJobs seen for the first time start from, when nothing about them needs
   * an incident: their summaries only (no record until something happens), all in one write,
   * so the first pass over a large fleet costs one write per cluster, not one per CronJob.
   * Keys the store already knows are left as they are.
   */
  baseline(
    clusterId: string,
    entries: BaselineEntry[],
    usage: StoreUsage,
    deadline?: Date,
  ): Promise<void>;
  /**
   * Ends a pass's work on a cluster begun by `loadCluster`; called once per `loadCluster`,
   * also after a failure. A store that buffers the pass's changes (the file store: one write
   * per cluster per pass) writes them here; the others have nothing to do. Throws `StoreError`.
   */
  finishCluster(clusterId: string, usage: StoreUsage): Promise<void>;
  /**
   * Makes every change of this pass to the cluster so far durable now, before something that
   * cannot be taken back (a message is sent on the strength of a claim). A store that writes
   * each change as it is made has nothing to do; the file store writes its buffered pass and
   * keeps holding the cluster. Throws `StoreError`.
   */
  flush(clusterId: string, usage: StoreUsage, deadline?: Date): Promise<void>;
  /**
   * The records of a cluster written at or after `since` (the daily digest reads a week of
   * them, once a day). Throws `StoreError`.
   */
  recentRecords(
    clusterId: string,
    since: Date,
    usage: StoreUsage,
    deadline?: Date,
  ): Promise<SubjectRecord[]>;
  /**
   * Creates a digest entry unless one with its id exists, atomically (create-if-absent):
   * resolves to null when this call created it, else to the entry as it stands.
   */
  createDigest(entry: DigestRecord, deadline?: Date): Promise<DigestRecord | null>;
  /** `update` for a digest entry: atomically replaces it with what `change` returns. */
  updateDigest(
    id: string,
    change: (current: DigestRecord | null) => DigestRecord | null,
    deadline?: Date,
  ): Promise<DigestRecord | null>;
  /** A digest entry, or null. */
  readDigest(id: string, deadline?: Date): Promise<DigestRecord | null>;
}

/** One change of `IncidentStore.updateMany`: the key and the change `update` would take. */
export interface RecordChange {
  key: string;
  change: (current: SubjectRecord | null) => SubjectRecord | null;
}

/** What became of one change of `IncidentStore.updateMany`. */
export type RecordChangeResult =
  {ok: true; record: SubjectRecord | null} | {ok: false; error: unknown};

/** A CronJob's starting point: runs at or before `watermark` are history. */
export interface BaselineEntry {
  key: string;
  cronJobUid: string;
  watermark: RunMark | null;
}

/** Everything a notifier needs besides the notification itself. */
export interface NotificationContext {
  cluster: ClusterRef;
  /** What the incident is about: the CronJob, or the cluster itself. */
  subject: Subject;
  /** The opening message of this incident, when one was delivered (for closing replies). */
  thread: DeliveredMessage | null;
  /** The CronJob's recent runs as its record holds them (shown on every card). */
  recentRuns?: readonly RecentRun[];
  /**
   * The parent of the storm an opening (or a `recovered` message) belongs to: it goes in the
   * parent's thread (core/storms/storm.ts). Absent: a message of its own.
   */
  storm?: {id: string; channel: string; ts: string};
}

/** A storm's parent message as posted. */
export interface StormParent {
  channel: string;
  ts: string;
}

/** A channel's daily digest, ready to post. */
export interface DigestPost {
  /** The ledger's id (`<date>/<channel>`), carried in the message's metadata. */
  id: string;
  /** Null: the configured channel. */
  channel: string | null;
  message: Message;
  /** An earlier attempt may have reached Slack: look for it (since `sinceMs`) before posting. */
  inDoubt: boolean;
  sinceMs: number;
}

/** Delivers notifications. Throws `NotifyError` (with `retryable`). */
export interface Notifier {
  /** Posts a daily digest, top-level in its channel; resolves to where it went. */
  postDigest(digest: DigestPost, deadline: Date): Promise<{channel: string; ts: string}>;
  /**
   * Delivers one notification, giving up by `deadline`. Resolves to the delivered message
   * for `opened` (the closing message threads under it), null otherwise.
   */
  deliver(
    notification: PendingNotification,
    context: NotificationContext,
    deadline: Date,
  ): Promise<DeliveredMessage | null>;
  /**
   * Sends what a storm owes (core/storms/storm.ts): posts its parent message (`opened`, sent
   * once like a notification: looked for first when an attempt is in doubt) or rewrites it as
   * the storm now stands (`progress`). Resolves to the parent for `opened`; null otherwise
   * (also when the parent was deleted: nothing to update).
   */
  deliverStorm(
    send: StormSend,
    storm: StormState,
    context: {cluster: ClusterRef},
    deadline: Date,
  ): Promise<StormParent | null>;
}

/**
 * What the Slack actions endpoint asks of the workspace besides sending messages. Throws
 * `NotifyError`.
 */
export interface SlackWorkspace {
  /** The bot token's own workspace: `auth.test`'s `team_id`. */
  teamId(deadline: Date): Promise<string>;
  /** The user IDs of a user group's members (`usergroups.users.list`). */
  usergroupMembers(usergroup: string, deadline: Date): Promise<string[]>;
  /** Answers the person who clicked alone, through the click's `response_url`. */
  respond(responseUrl: string, message: {text: string}, deadline: Date): Promise<void>;
}
