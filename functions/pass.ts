/**
 * One pass: read → decide → commit → notify. The only place that sequences I/O; both entry
 * points (the function and the CLI) call `runPass` with the adapters they built.
 */
import {randomUUID} from 'node:crypto';
import {
  decide,
  decideDeleted,
  mayChange,
  runsAfter,
  type Change,
  type Decision,
  type Observation,
} from './core/decide.js';
import {describeError, StoreError, WatcherError} from './core/errors.js';
import {
  CLUSTER_RECORD,
  needsAttention,
  recordKeyOf,
  type CronJobRecord,
  type DeliveredMessage,
} from './core/incident.js';
import {
  decideClusterHealth,
  healthMayChange,
  type ClusterReadOutcome,
} from './core/cluster-health.js';
import type {ClusterRef, ClusterSnapshot, ObjectProblem, RunVerdict} from './core/model.js';
import {claimNext, claimedBy, markDelivered, markFailed} from './core/outbox.js';
import {explainFailure} from './core/explain.js';
import {mapWithConcurrency} from './core/concurrency.js';
import {finishedRunsOf, jobsByCronJob} from './core/verdict.js';
import type {Logger} from './logger.js';
import type {
  BaselineEntry,
  ClusterFailure,
  ClusterReader,
  ClusterState,
  RunSelection,
  ClusterSource,
  IncidentStore,
  Notifier,
  StoreUsage,
  WatchedCluster,
} from './ports.js';

/** What a pass needs; built by the entry module. */
export interface PassDeps {
  source: ClusterSource;
  store: IncidentStore;
  notifier: Notifier;
  logger: Logger;
  /** The clock, injected so tests pass time in. */
  now: () => Date;
  /** Milliseconds on the real clock, for I/O deadlines; default `Date.now`. */
  wallClock?: () => number;
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
}

/** One state change, as reported. */
export interface TransitionReport extends Change {
  cluster: string;
  namespace: string;
  name: string;
}

/** A failure the pass isolated and kept going after. */
export interface PassError {
  /** `record`: one CronJob's record could not be stored; the rest of the pass went on. */
  scope: 'cluster' | 'store' | 'record' | 'notify' | 'object' | 'budget';
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
  clusters: ClusterReport[];
  cronJobsSeen: number;
  opened: number;
  closed: number;
  recovered: number;
  failedAgain: number;
  stillOpen: number;
  notificationsSent: number;
  notificationsPending: number;
  store: StoreUsage;
  transitions: TransitionReport[];
  problems: ObjectProblem[];
  errors: PassError[];
}

// A claim must outlive one delivery attempt (bounded by the pass deadline) so no other pass
// takes the message over while it is being sent; a minute on top covers clock skew between
// function instances.
const CLAIM_MARGIN_MS = 60_000;
// Store errors that concern one record (a value Firestore refuses, a corrupt record,
// contention that outlasted the retries): the pass reports them and goes on with the rest.
const RECORD_SCOPED_STORE_ERRORS = new Set([
  'INVALID_ARGUMENT',
  'INVALID_RECORD',
  'CORRUPT',
  'ABORTED',
]);
// Pods are fetched only for runs that open or extend an incident; a handful at a time keeps
// a burst of failures from hammering one API server.
const POD_LOOKUPS_PER_CRONJOB = 3;

class PassState {
  readonly summary: PassSummary;
  readonly deadlineMs: number;

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
      clusters: [],
      cronJobsSeen: 0,
      opened: 0,
      closed: 0,
      recovered: 0,
      failedAgain: 0,
      stillOpen: 0,
      notificationsSent: 0,
      notificationsPending: 0,
      store: {reads: 0, writes: 0},
      transitions: [],
      problems: [],
      errors: [],
    };
  }

  /**
   * The deadline on the wall clock, for adapters that time their own I/O: the pass's clock
   * may be a test's (or a demo's) scripted time, the network's is not.
   */
  wallDeadline(): Date {
    const remainingMs = Math.max(0, this.deadlineMs - this.deps.now().getTime());
    return new Date((this.deps.wallClock ?? Date.now)() + remainingMs);
  }

  outOfTime(): boolean {
    return this.deps.now().getTime() >= this.deadlineMs;
  }

  /** Adds one state change to the summary's transitions and counts. */
  transition(change: Change, cluster: string, namespace: string, name: string): void {
    if (change.kind === 'baselined') return;
    this.summary.transitions.push({...change, cluster, namespace, name});
    if (change.kind === 'opened') this.summary.opened++;
    else if (change.kind === 'closed') this.summary.closed++;
    else if (change.kind === 'recovered') this.summary.recovered++;
    else this.summary.failedAgain++;
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
}

/** Runs one pass over every cluster the source yields. Never throws: failures are reported. */
export async function runPass(deps: PassDeps): Promise<PassSummary> {
  const state = new PassState(deps, randomUUID());
  const {summary, deps: d} = state;
  d.logger.log('INFO', 'pass started', {passId: state.passId, dryRun: d.dryRun});

  let clusters: WatchedCluster[] = [];
  let failures: ClusterFailure[] = [];
  let reachable: ClusterRef[] = [];
  try {
    const found = await d.source.clusters();
    clusters = found.clusters;
    failures = found.failures;
    reachable = found.reachable ?? [];
  } catch (error) {
    state.error(
      {
        scope: 'cluster',
        cluster: null,
        cronJob: null,
        code: codeOf(error),
        message: describeError(error),
      },
      error,
    );
  }

  const work: {ref: ClusterRef; reader: ClusterReader | null; failure: ClusterFailure | null}[] = [
    ...failures.map(failure => ({ref: failure.ref, reader: null, failure})),
    // A discovery scope that answered: only its own "cannot see" record can change.
    ...reachable.map(ref => ({ref, reader: null, failure: null})),
    ...clusters.map(cluster => ({ref: cluster.ref, reader: cluster.reader, failure: null})),
  ];
  // watchCluster reports its own failures and never throws.
  await mapWithConcurrency(work, d.concurrency, item =>
    watchCluster(state, item.ref, item.reader, item.failure),
  );

  summary.finishedAt = d.now().toISOString();
  if (summary.errors.some(e => e.scope === 'store' || e.scope === 'budget'))
    summary.complete = false;
  d.logger.log(summary.complete ? 'INFO' : 'WARNING', 'pass finished', {
    passId: state.passId,
    complete: summary.complete,
    cronJobsSeen: summary.cronJobsSeen,
    opened: summary.opened,
    closed: summary.closed,
    recovered: summary.recovered,
    stillOpen: summary.stillOpen,
    notificationsSent: summary.notificationsSent,
    notificationsPending: summary.notificationsPending,
    storeReads: summary.store.reads,
    storeWrites: summary.store.writes,
    errors: summary.errors.length,
  });
  return summary;
}

function codeOf(error: unknown): string {
  return error instanceof WatcherError ? error.code : 'INTERNAL';
}

async function watchCluster(
  state: PassState,
  ref: ClusterRef,
  reader: ClusterReader | null,
  sourceFailure: ClusterFailure | null,
): Promise<void> {
  const {summary, deps: d} = state;
  const report: ClusterReport = {id: ref.id, name: ref.name, ok: true, cronJobs: 0, error: null};
  const isScope = reader === null && sourceFailure === null;
  if (!isScope) summary.clusters.push(report);
  if (state.outOfTime()) {
    report.ok = false;
    report.error = {code: 'BUDGET', message: 'not read: the pass ran out of time'};
    state.error({
      scope: 'budget',
      cluster: ref.name,
      cronJob: null,
      code: 'BUDGET',
      message: `cluster ${ref.name} was not read: the pass ran out of time; the next pass will read it`,
    });
    return;
  }

  // The store is loaded before the cluster is read: its watermarks tell the reader which Jobs
  // a decision can need, so a read keeps a few Jobs per CronJob rather than all (issue 14).
  const usage: StoreUsage = {reads: 0, writes: 0};
  let stored: ClusterState | null = null;
  let storeFailure: unknown = null;
  try {
    stored = await d.store.loadCluster(ref.id, usage);
  } catch (error) {
    storeFailure = error;
  }

  let snapshot: ClusterSnapshot | null = null;
  let outcome: ClusterReadOutcome = {ok: true};
  if (sourceFailure !== null) {
    outcome = {ok: false, code: sourceFailure.code, message: sourceFailure.message};
  } else if (reader !== null) {
    try {
      snapshot = await reader.read({namespaces: d.namespaces, runs: runsNeeded(stored)});
    } catch (error) {
      outcome = {ok: false, code: codeOf(error), message: describeError(error)};
    }
  }
  if (!outcome.ok) {
    report.ok = false;
    report.error = {code: outcome.code, message: outcome.message};
    // A cluster that cannot be read opens and closes no CronJob incident: absence is not
    // evidence. Only its own "cannot see" incident moves.
    state.error({
      scope: 'cluster',
      cluster: ref.name,
      cronJob: null,
      code: outcome.code,
      message: outcome.message,
    });
  }

  try {
    if (stored === null) throw storeFailure;
    const attention = new Map(stored.attention.map(r => [recordKeyOf(r.namespace, r.name), r]));
    await trackClusterHealth(state, ref, outcome, attention, usage);
    if (snapshot !== null && reader !== null) {
      report.cronJobs = snapshot.cronJobs.length;
      await decideCluster(state, {ref, reader}, snapshot, stored.known, attention, usage);
    }
    await deliverCluster(state, ref, attention, usage);
    for (const record of attention.values()) {
      if (record.open !== null) summary.stillOpen++;
      summary.notificationsPending += record.outbox.length;
    }
  } catch (error) {
    storeFailed(state, ref, error);
  } finally {
    if (stored !== null) await finishCluster(state, ref, usage);
    summary.store.reads += usage.reads;
    summary.store.writes += usage.writes;
  }
}

/** Finished runs after a CronJob's watermark; only the latest for a CronJob not known yet. */
function runsNeeded(stored: ClusterState | null): RunSelection {
  return {since: c => stored?.known.get(recordKeyOf(c.namespace, c.name))?.watermark};
}

/** Lets a store that buffers the pass's changes write them (see `IncidentStore.finishCluster`). */
async function finishCluster(state: PassState, ref: ClusterRef, usage: StoreUsage): Promise<void> {
  try {
    await state.deps.store.finishCluster?.(ref.id, usage);
  } catch (error) {
    storeFailed(state, ref, error);
  }
}

function storeFailed(state: PassState, ref: ClusterRef, error: unknown): void {
  state.error(
    {
      scope: 'store',
      cluster: ref.name,
      cronJob: null,
      code: codeOf(error),
      message: `${ref.name}: ${describeError(error)}`,
    },
    error,
  );
}

/**
 * Runs a decision in a store transaction on the record as it stands, and keeps the pass's
 * view of records needing attention up to date. The decision may run more than once (the
 * store retries on contention); what it decided last is what was committed. In a dry run it
 * is reported, never written.
 */
async function commitDecision(
  state: PassState,
  clusterId: string,
  key: string,
  attention: Map<string, CronJobRecord>,
  usage: StoreUsage,
  decideOn: (current: CronJobRecord | null) => Decision | null,
): Promise<Change[]> {
  const {deps: d} = state;
  let changes: Change[] = [];
  let decided: CronJobRecord | null = null;
  const committed = await d.store.update(
    clusterId,
    key,
    current => {
      const decision = decideOn(current);
      changes = decision?.changes ?? [];
      decided = decision?.record ?? null;
      return d.dryRun ? null : decided;
    },
    usage,
  );
  // A dry run that decided nothing leaves the pass's view as it was loaded.
  if (d.dryRun && decided === null) return changes;
  const after = d.dryRun ? decided : committed;
  if (after !== null && needsAttention(after)) attention.set(key, after);
  else attention.delete(key);
  return changes;
}

// Recording a delivery is retried a few times within the pass: giving up means the message
// may be sent again after its claim expires.
const RECORD_DELIVERY_ATTEMPTS = 3;

/** Records a delivered notification; undefined when the store would not take it. */
async function recordDelivery(
  state: PassState,
  cluster: ClusterRef,
  key: string,
  notificationId: string,
  delivered: DeliveredMessage | null,
  usage: StoreUsage,
): Promise<CronJobRecord | null | undefined> {
  const {deps: d} = state;
  for (let attempt = 1; ; attempt++) {
    try {
      return await d.store.update(
        cluster.id,
        key,
        current => markDelivered(current, notificationId, delivered, d.now()),
        usage,
      );
    } catch (error) {
      if (attempt < RECORD_DELIVERY_ATTEMPTS && !state.outOfTime()) continue;
      state.error(
        {
          scope: 'store',
          cluster: cluster.name,
          cronJob: key,
          code: codeOf(error),
          message: `${cluster.name}: ${key}: ${notificationId} was delivered but could not be recorded; its claim is kept so no other pass sends it: ${describeError(error)}`,
        },
        error,
      );
      return undefined;
    }
  }
}

/** Moves the cluster's own "cannot see it" record, when this read could change it. */
async function trackClusterHealth(
  state: PassState,
  ref: ClusterRef,
  outcome: ClusterReadOutcome,
  attention: Map<string, CronJobRecord>,
  usage: StoreUsage,
): Promise<void> {
  const {deps: d} = state;
  const key = recordKeyOf(CLUSTER_RECORD.namespace, CLUSTER_RECORD.name);
  if (!healthMayChange(attention.get(key), outcome)) return;
  const changes = await commitDecision(state, ref.id, key, attention, usage, current =>
    decideClusterHealth(current, ref.id, outcome, d.now(), d.clusterDownAfter),
  );
  for (const change of changes) {
    state.transition(change, ref.name, '', '');
    d.logger.log(
      change.kind === 'opened' ? 'ERROR' : 'INFO',
      `cluster ${ref.name}: ${change.kind === 'opened' ? 'cannot be read, incident opened' : 'readable again, incident closed'}`,
      {incident: change.incidentId},
    );
  }
}

async function decideCluster(
  state: PassState,
  cluster: {ref: ClusterRef; reader: ClusterReader},
  snapshot: ClusterSnapshot,
  known: Map<string, {watermark: CronJobRecord['watermark']}>,
  attention: Map<string, CronJobRecord>,
  usage: StoreUsage,
): Promise<void> {
  const {summary, deps: d} = state;
  const byCronJob = jobsByCronJob(snapshot.jobs);
  // A CronJob with a Job we could not read is held: judging it without that Job could
  // close or open an incident on partial evidence.
  const held = new Set<string>();
  for (const problem of snapshot.problems) {
    summary.problems.push(problem);
    if (problem.cronJobUid) held.add(problem.cronJobUid);
    state.error({
      scope: 'object',
      cluster: cluster.ref.name,
      cronJob: problem.namespace && problem.name ? `${problem.namespace}/${problem.name}` : null,
      code: 'BAD_OBJECT',
      message: `${cluster.ref.name}: cannot judge ${problem.kind} ${problem.namespace ?? '?'}/${problem.name ?? '?'}: ${problem.problem}`,
    });
  }

  // First sight of a CronJob that needs no incident: only its starting point is recorded,
  // for all of them in one write after the loop.
  const baselines: BaselineEntry[] = [];
  for (const cronJob of snapshot.cronJobs) {
    summary.cronJobsSeen++;
    if (held.has(cronJob.uid)) continue;
    const key = recordKeyOf(cronJob.namespace, cronJob.name);
    const runs = finishedRunsOf(byCronJob.get(cronJob.uid) ?? []);
    const existing = attention.get(key);
    const latest = runs.at(-1);
    if (
      known.get(key) === undefined &&
      existing === undefined &&
      latest?.verdict.outcome !== 'failed'
    ) {
      baselines.push({
        key,
        cronJobUid: cronJob.uid,
        watermark: latest === undefined ? null : {atMs: latest.atMs, job: latest.verdict.job},
      });
      continue;
    }
    if (!mayChange(known.get(key), existing?.open != null, runs, cronJob.lastSuccessfulTime))
      continue;
    if (state.outOfTime()) {
      state.error({
        scope: 'budget',
        cluster: cluster.ref.name,
        cronJob: key,
        code: 'BUDGET',
        message: `${cluster.ref.name}: ${key} not judged: the pass ran out of time; the next pass will`,
      });
      continue;
    }
    const observation: Observation = {
      clusterId: cluster.ref.id,
      cronJob,
      runs,
      details: await failureDetails(
        state,
        cluster,
        cronJob.namespace,
        runs,
        known.get(key)?.watermark ?? null,
      ),
    };
    let changes: Change[];
    try {
      changes = await commitDecision(state, cluster.ref.id, key, attention, usage, current =>
        decide(current, observation, d.now(), known.get(key)),
      );
    } catch (error) {
      // A failure about this one record stays with it; the store being unreachable stops
      // the cluster (every other record would only wait for the same timeout).
      if (error instanceof StoreError && !RECORD_SCOPED_STORE_ERRORS.has(error.code)) throw error;
      state.error(
        {
          scope: 'record',
          cluster: cluster.ref.name,
          cronJob: key,
          code: codeOf(error),
          message: `${cluster.ref.name}: ${key} not recorded, will retry next pass: ${describeError(error)}`,
        },
        error,
      );
      continue;
    }
    for (const change of changes) {
      if (change.kind === 'baselined') continue;
      state.transition(change, cluster.ref.name, cronJob.namespace, cronJob.name);
      d.logger.log('INFO', `${change.kind}: ${cluster.ref.name} ${key}`, {
        incident: change.incidentId,
        job: change.job,
        dryRun: d.dryRun,
      });
    }
  }
  await closeDeleted(state, cluster.ref, snapshot, attention, usage);
  if (baselines.length > 0 && !d.dryRun) {
    await d.store.baseline(cluster.ref.id, baselines, usage);
  }
}

/**
 * Incidents whose CronJob is gone from a complete read of its namespace close, saying so.
 * A CronJob the reader could not parse is not gone: it is only unreadable this pass.
 */
async function closeDeleted(
  state: PassState,
  ref: ClusterRef,
  snapshot: ClusterSnapshot,
  attention: Map<string, CronJobRecord>,
  usage: StoreUsage,
): Promise<void> {
  const {deps: d} = state;
  const present = new Set(snapshot.cronJobs.map(c => recordKeyOf(c.namespace, c.name)));
  const unreadable = new Set(
    snapshot.problems
      .filter(p => p.kind === 'CronJob')
      .map(p => recordKeyOf(p.namespace ?? '', p.name ?? '')),
  );
  const unparsedSomewhere = snapshot.problems.some(p => p.kind === 'CronJob' && p.name === null);
  for (const [key, record] of [...attention]) {
    if (record.open === null || record.open.subject === 'cluster') continue;
    if (present.has(key) || unreadable.has(key) || unparsedSomewhere) continue;
    if (d.namespaces !== null && !d.namespaces.includes(record.namespace)) continue;
    const changes = await commitDecision(state, ref.id, key, attention, usage, current =>
      decideDeleted(current, d.now()),
    );
    for (const change of changes) {
      state.transition(change, ref.name, record.namespace, record.name);
      d.logger.log('INFO', `closed: ${ref.name} ${key} no longer exists`, {
        incident: change.incidentId,
      });
    }
  }
}

/** What the Pods say about failed runs that are new: the real reason behind "backoff limit". */
async function failureDetails(
  state: PassState,
  cluster: {ref: ClusterRef; reader: ClusterReader},
  namespace: string,
  runs: ReturnType<typeof finishedRunsOf>,
  watermark: CronJobRecord['watermark'],
): Promise<Map<string, string>> {
  const details = new Map<string, string>();
  const candidates = runsAfter(runs, watermark)
    .filter(r => r.verdict.outcome === 'failed')
    .slice(-POD_LOOKUPS_PER_CRONJOB);
  for (const run of candidates) {
    const verdict: RunVerdict = run.verdict;
    try {
      const pods = await cluster.reader.podsOfJob({
        namespace,
        name: verdict.job,
        uid: verdict.jobUid,
      });
      const detail = explainFailure(pods);
      if (detail !== null) details.set(verdict.jobUid, detail);
    } catch (error) {
      // The detail is a nicety: the incident opens with the Job's own reason without it.
      state.deps.logger.log('WARNING', `could not read pods of ${verdict.job}`, {
        cluster: cluster.ref.name,
        error: describeError(error),
      });
    }
  }
  return details;
}

/**
 * Delivers what the records of this cluster owe the channel, oldest first per record. Each
 * notification is claimed in a transaction before it is sent and removed in another after;
 * a failure releases the claim with the error, and the next pass retries it.
 */
async function deliverCluster(
  state: PassState,
  cluster: ClusterRef,
  attention: Map<string, CronJobRecord>,
  usage: StoreUsage,
): Promise<void> {
  const {summary, deps: d} = state;
  for (const [key, initial] of attention) {
    let record: CronJobRecord | null = initial;
    while (record !== null && record.outbox.length > 0) {
      if (d.dryRun) {
        for (const n of record.outbox) {
          d.logger.log('INFO', `would send ${n.kind} for ${cluster.name} ${key}`, {
            notification: n.id,
          });
        }
        break;
      }
      if (state.outOfTime()) {
        state.error({
          scope: 'budget',
          cluster: cluster.name,
          cronJob: key,
          code: 'BUDGET',
          message: `${cluster.name}: ${key}: ${record.outbox.length} notification(s) left for the next pass: the pass ran out of time`,
        });
        break;
      }
      const claimedAt = d.now();
      const until = new Date(Math.max(state.deadlineMs, claimedAt.getTime()) + CLAIM_MARGIN_MS);
      const claimedRecord: CronJobRecord | null = await d.store.update(
        cluster.id,
        key,
        current => claimNext(current, state.passId, claimedAt, until),
        usage,
      );
      const notification = claimedBy(claimedRecord, state.passId);
      if (claimedRecord === null || notification === null) {
        // Another pass holds it (or already delivered it): it is that pass's to send.
        record = claimedRecord;
        break;
      }
      const thread =
        claimedRecord.threads.find(t => t.incidentId === notification.incident.id) ?? null;
      let delivered: Awaited<ReturnType<Notifier['deliver']>>;
      try {
        delivered = await d.notifier.deliver(
          notification,
          {
            cluster,
            namespace: claimedRecord.namespace,
            name: claimedRecord.name,
            schedule: claimedRecord.schedule,
            thread,
          },
          state.wallDeadline(),
        );
      } catch (error) {
        const message = describeError(error);
        record = await d.store.update(
          cluster.id,
          key,
          current => markFailed(current, notification.id, state.passId, message, d.now()),
          usage,
        );
        state.error(
          {
            scope: 'notify',
            cluster: cluster.name,
            cronJob: key,
            code: codeOf(error),
            message: `${cluster.name}: ${key}: ${notification.kind} not delivered, will retry next pass: ${message}`,
          },
          error,
        );
        break;
      }
      // Sent: from here on the notification must never be released for another try. If the
      // store cannot record the delivery, the claim is kept (a later pass sees it held) and
      // the error reported; only a claim that expires unrecorded is sent again.
      summary.notificationsSent++;
      d.logger.log('INFO', `sent ${notification.kind} for ${cluster.name} ${key}`, {
        notification: notification.id,
      });
      const recorded = await recordDelivery(state, cluster, key, notification.id, delivered, usage);
      if (recorded === undefined) break;
      record = recorded;
    }
    if (record !== null && needsAttention(record)) attention.set(key, record);
    else attention.delete(key);
  }
}
