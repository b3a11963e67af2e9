/**
 * One pass: read → plan → decide (in store transactions) → deliver. The only place that
 * sequences I/O, and it holds no decision rule: what to evaluate, baseline, fetch and close
 * comes from the pure plan (core/plan.ts), what changes from the detectors (core/decide.ts).
 * Both entry points (the function and the CLI) call `runPass` with the adapters they built.
 */
import {randomUUID} from 'node:crypto';
import type {ClusterReadOutcome} from './core/cluster-read.js';
import {decideDeleted, decideSubject, type Change, type Decision} from './core/decide.js';
import type {GoneJobEvent} from './core/detector.js';
import {ClusterError, describeError, StoreError} from './core/errors.js';
import {explainFailure, explainStuck} from './core/explain.js';
import {
  excerptOf,
  LOG_LIMIT_BYTES,
  logTargetOf,
  unavailableExcerpt,
  type LogTarget,
} from './core/log-excerpt.js';
import {goneJobEventOf} from './core/detections/failing/detector.js';
import {mapPodTexts, mapViewTexts} from './core/free-texts.js';
import {policiesOf} from './core/policy.js';
import {inRuns, mapWithConcurrency} from './core/concurrency.js';
import {
  keyOfSubject,
  needsAttention,
  recordKeyOf,
  type LogExcerpt,
  type LogUnavailable,
  type SubjectRecord,
} from './core/incident.js';
import type {ClusterRef, ClusterSnapshot, PodInfo} from './core/model.js';
import {planCluster, type Evaluate, type JobRef, type LogRequest} from './core/plan.js';
import {deliverCluster} from './delivery.js';
import {digestWorkOf, gatherForDigest, sendDigests, type DigestWork} from './digest-pass.js';
import {batchPodLookups} from './pod-batches.js';
import {
  codeOf,
  INTERRUPTED,
  logBatchFallback,
  PassState,
  type ClusterReport,
  type PassDeps,
  type PassSummary,
} from './pass-state.js';
import type {
  ClusterFailure,
  ClusterReader,
  ClusterState,
  RunSelection,
  StoreUsage,
  WatchedCluster,
} from './ports.js';

export type {
  ClusterReport,
  PassDeps,
  PassError,
  PassSummary,
  TransitionReport,
} from './pass-state.js';

// A log excerpt is a nicety: it may hold the pass this long, never longer (and never past
// the pass's own deadline). An API server answers a 64 KiB log in well under a second.
const LOG_READ_MS = 10_000;

// Store errors that concern one record (a value Firestore refuses, a corrupt record,
// contention that outlasted the retries): the pass reports them and goes on with the rest.
const RECORD_SCOPED_STORE_ERRORS = new Set([
  'INVALID_ARGUMENT',
  'INVALID_RECORD',
  'CORRUPT',
  'ABORTED',
]);

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
  const digest = await digestWorkOf(state);
  // watchCluster reports its own failures and never throws.
  await mapWithConcurrency(work, d.concurrency, item =>
    watchCluster(state, item.ref, item.reader, item.failure, digest),
  );
  const gatheredAll = !summary.errors.some(e => e.scope === 'store' || e.scope === 'budget');
  if (digest !== null && gatheredAll) await sendDigests(state, digest);

  summary.finishedAt = d.now().toISOString();
  summary.interrupted = state.interrupted();
  if (summary.errors.some(e => e.scope === 'store' || e.scope === 'budget'))
    summary.complete = false;
  d.logger.log(summary.complete ? 'INFO' : 'WARNING', 'pass finished', {
    passId: state.passId,
    complete: summary.complete,
    cronJobsSeen: summary.cronJobsSeen,
    opened: summary.opened,
    closed: summary.closed,
    recovered: summary.recovered,
    muted: summary.muted,
    stillOpen: summary.stillOpen,
    notificationsSent: summary.notificationsSent,
    notificationsPending: summary.notificationsPending,
    notificationsDeferred: summary.notificationsDeferred,
    storeReads: summary.store.reads,
    storeWrites: summary.store.writes,
    errors: summary.errors.length,
    policyProblems: summary.policyProblems.length,
    scheduleProblems: summary.scheduleProblems.length,
  });
  return summary;
}

/** Reads one cluster (or takes the source's failure for it); never throws. */
async function readCluster(
  state: PassState,
  reader: ClusterReader | null,
  sourceFailure: ClusterFailure | null,
  runs: RunSelection,
): Promise<{outcome: ClusterReadOutcome; snapshot: ClusterSnapshot | null}> {
  if (sourceFailure !== null) {
    return {
      outcome: {ok: false, code: sourceFailure.code, message: sourceFailure.message},
      snapshot: null,
    };
  }
  if (reader === null) return {outcome: {ok: true}, snapshot: null};
  try {
    const snapshot = await state.unlessInterrupted(
      reader.read({namespaces: state.deps.namespaces, runs, deadline: state.wallDeadline()}),
    );
    if (snapshot === INTERRUPTED) {
      return {outcome: {ok: false, code: 'INTERRUPTED', message: 'interrupted'}, snapshot: null};
    }
    return {outcome: {ok: true}, snapshot};
  } catch (error) {
    return {
      outcome: {ok: false, code: codeOf(error), message: describeError(error)},
      snapshot: null,
    };
  }
}

async function watchCluster(
  state: PassState,
  ref: ClusterRef,
  reader: ClusterReader | null,
  sourceFailure: ClusterFailure | null,
  digest: DigestWork | null,
): Promise<void> {
  const {summary, deps: d} = state;
  const report: ClusterReport = {id: ref.id, name: ref.name, ok: true, cronJobs: 0, error: null};
  const isScope = reader === null && sourceFailure === null;
  if (!isScope) summary.clusters.push(report);
  if (state.outOfTime()) {
    report.ok = false;
    report.error = {code: 'BUDGET', message: `not read: ${state.stopReason()}`};
    state.budgetExhausted(
      ref.name,
      null,
      `cluster ${ref.name} was not read: ${state.stopReason()}; the next pass will read it`,
    );
    return;
  }

  // The store is loaded before the cluster is read: its watermarks tell the reader which Jobs
  // a decision can need, so a read keeps a few Jobs per CronJob rather than all.
  const usage: StoreUsage = {reads: 0, writes: 0};
  let stored: ClusterState | null = null;
  let storeFailure: unknown = null;
  try {
    stored = await d.store.loadCluster(ref.id, usage, state.storeDeadline());
  } catch (error) {
    storeFailure = error;
  }
  try {
    const {outcome, snapshot} = await readCluster(state, reader, sourceFailure, runsNeeded(stored));
    if (!outcome.ok && sourceFailure === null && state.outOfTime()) {
      // Cut by the pass's own deadline: that says nothing about the cluster, so it does not
      // count towards "cannot see cluster".
      report.ok = false;
      report.error = {code: 'BUDGET', message: `read cut short: ${state.stopReason()}`};
      state.budgetExhausted(
        ref.name,
        null,
        `cluster ${ref.name}: the read was cut short by the pass deadline (${outcome.message}); the next pass will read it`,
      );
      return;
    }
    if (!outcome.ok) {
      report.ok = false;
      report.error = {code: outcome.code, message: outcome.message};
      state.error({
        scope: 'cluster',
        cluster: ref.name,
        cronJob: null,
        code: outcome.code,
        message: outcome.message,
      });
    }
    if (snapshot !== null) report.cronJobs = snapshot.cronJobs.length;
    if (stored === null) throw storeFailure;
    const attention = new Map(stored.attention.map(r => [keyOfSubject(r.subject), r]));
    const policies = policiesOf(ref.name, snapshot?.cronJobs ?? [], {
      clusterDownAfter: d.clusterDownAfter,
      language: d.language ?? 'en',
      routes: d.routes ?? [],
      maintenance: d.maintenance ?? [],
      ...(d.reminders === undefined ? {} : {reminders: d.reminders}),
      disabled: d.disabledDetections ?? [],
      ...(d.annotationTrust === undefined ? {} : {trust: d.annotationTrust}),
    });
    const plan = planCluster(
      {clusterId: ref.id, read: outcome, snapshot, namespaces: d.namespaces},
      {known: stored.known, attention},
      policies.policyOf,
      d.now(),
    );
    summary.cronJobsSeen += plan.cronJobsSeen;
    for (const problem of policies.problems) {
      summary.policyProblems.push(problem);
      d.logger.log(
        'WARNING',
        `${ref.name}: ${problem.namespace}/${problem.name}: annotation ${problem.annotation} ignored: ${problem.problem}`,
        {cluster: ref.name, cronJob: `${problem.namespace}/${problem.name}`, value: problem.value},
      );
    }
    for (const problem of plan.scheduleProblems) {
      summary.scheduleProblems.push({cluster: ref.name, ...problem});
      d.logger.log(
        'WARNING',
        `${ref.name}: ${problem.namespace}/${problem.name}: not watched for missed or overlong runs: ${problem.problem}`,
        {
          cluster: ref.name,
          cronJob: `${problem.namespace}/${problem.name}`,
          schedule: problem.schedule,
        },
      );
    }
    for (const problem of plan.problems) {
      summary.problems.push(problem);
      state.error({
        scope: 'object',
        cluster: ref.name,
        cronJob: problem.namespace && problem.name ? `${problem.namespace}/${problem.name}` : null,
        code: 'BAD_OBJECT',
        message: `${ref.name}: ${problem.judged ? '' : 'cannot judge '}${problem.kind} ${problem.namespace ?? '?'}/${problem.name ?? '?'}: ${problem.problem}`,
      });
    }
    const pods = batchPodLookups(reader, plan.evaluate, d.logger);
    await evaluateAll(state, ref, pods, plan.evaluate, attention, usage);
    for (const key of plan.deleted) {
      await commitDecision(state, ref, key, attention, usage, current =>
        decideDeleted(current, d.now()),
      );
    }
    if (plan.baselines.length > 0 && !d.dryRun) {
      await d.store.baseline(ref.id, plan.baselines, usage, state.storeDeadline());
    }
    await deliverCluster(state, ref, attention, usage, stored.heldAlone === true);
    if (digest !== null) await gatherForDigest(state, digest, ref, usage);
    for (const record of attention.values()) {
      summary.stillOpen += Object.keys(record.open).length;
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
    await state.deps.store.finishCluster(ref.id, usage);
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

// First sights decided in one `updateMany` call (the store splits it into transactions).
const FIRST_SIGHTS_PER_BATCH = 100;
// Fewer are decided one by one: a batch saves little there, and a transaction over several
// records makes concurrent passes over one cluster contend more.
const MIN_FIRST_SIGHTS_PER_BATCH = 10;

/**
 * Evaluates the plan's subjects in its order. CronJobs seen for the first time that need a
 * record (a first pass over a cluster opens one per failing CronJob), and CronJobs with nothing
 * open (a finished run goes into their history), are decided in batches through
 * `IncidentStore.updateMany`, so many changes take a few transactions rather than one each.
 * Only consecutive ones are batched, so decisions, and the reads before them,
 * keep the plan's order; a batch the store could not commit is decided again one by one, so a
 * failure stays with its record. A dry run writes nothing, so it has nothing to batch.
 */
async function evaluateAll(
  state: PassState,
  ref: ClusterRef,
  reader: ClusterReader | null,
  items: Evaluate[],
  attention: Map<string, SubjectRecord>,
  usage: StoreUsage,
): Promise<void> {
  const batching = !state.deps.dryRun;
  await inRuns(
    items,
    {
      // First sights, and CronJobs with nothing open (most often a finished run to record in
      // the history): one record write each, their index entries rewritten once per batch.
      batchable: item =>
        batching &&
        item.view.type === 'cronjob' &&
        (item.knownWatermark === undefined || !attention.has(item.key)),
      min: MIN_FIRST_SIGHTS_PER_BATCH,
      max: FIRST_SIGHTS_PER_BATCH,
    },
    run => evaluateFirstSights(state, ref, reader, run, attention, usage),
    item => evaluateSubject(state, ref, reader, item, attention, usage),
  );
}

/** Decides first sights together (see `evaluateAll`). */
async function evaluateFirstSights(
  state: PassState,
  ref: ClusterRef,
  reader: ClusterReader | null,
  items: Evaluate[],
  attention: Map<string, SubjectRecord>,
  usage: StoreUsage,
): Promise<void> {
  const {deps: d} = state;
  const viewed: Array<{item: Evaluate; view: Evaluate['view']; decision: Decision | null}> = [];
  for (const item of items) {
    const view = await viewOf(state, ref, reader, item);
    if (view !== null) viewed.push({item, view, decision: null});
  }
  if (viewed.length === 0) return;
  const results = await d.store.updateMany(
    ref.id,
    viewed.map(entry => ({
      key: entry.item.key,
      change: current => {
        entry.decision = decideSubject(
          current,
          entry.view,
          entry.item.policy,
          d.now(),
          entry.item.knownWatermark,
        );
        return entry.decision?.record ?? null;
      },
    })),
    usage,
    state.storeDeadline(),
  );
  logBatchFallback(state, ref.name, 'decisions', results);
  for (const [i, entry] of viewed.entries()) {
    const result = results[i];
    if (result?.ok) {
      reportDecision(state, ref, entry.item.key, attention, entry.decision, result.record);
    } else {
      await commitEvaluated(state, ref, entry.item, entry.view, attention, usage);
    }
  }
}

/** Fetches what the plan asked for, decides in a transaction, reports what changed. */
async function evaluateSubject(
  state: PassState,
  ref: ClusterRef,
  reader: ClusterReader | null,
  item: Evaluate,
  attention: Map<string, SubjectRecord>,
  usage: StoreUsage,
): Promise<void> {
  const view = await viewOf(state, ref, reader, item);
  if (view !== null) await commitEvaluated(state, ref, item, view, attention, usage);
}

/** The subject's view with what the plan asked to fetch; null when the pass is out of time. */
async function viewOf(
  state: PassState,
  ref: ClusterRef,
  reader: ClusterReader | null,
  item: Evaluate,
): Promise<Evaluate['view'] | null> {
  if (item.view.type === 'cronjob' && state.outOfTime()) {
    state.budgetExhausted(
      ref.name,
      item.key,
      `${ref.name}: ${item.key} not judged: ${state.stopReason()}; the next pass will`,
    );
    return null;
  }
  let view = item.view;
  if (view.type === 'cronjob') {
    if (reader !== null && item.podsOf.length > 0) {
      view = {...view, ...(await failureDetails(state, ref, reader, item.podsOf, item.log))};
    }
    if (reader !== null && item.eventsOf.length > 0) {
      view = {...view, events: await failureEvents(state, ref, reader, item.eventsOf)};
    }
    const read = view;
    view = await state.masking.apply(map => mapViewTexts(read, map));
  }
  return view;
}

/** Decides one subject in a transaction; a failure about its record alone is reported. */
async function commitEvaluated(
  state: PassState,
  ref: ClusterRef,
  item: Evaluate,
  decided: Evaluate['view'],
  attention: Map<string, SubjectRecord>,
  usage: StoreUsage,
): Promise<void> {
  const {deps: d} = state;
  try {
    await commitDecision(state, ref, item.key, attention, usage, current =>
      decideSubject(current, decided, item.policy, d.now(), item.knownWatermark),
    );
  } catch (error) {
    // A failure about this one record stays with it; the store being unreachable stops
    // the cluster (every other record would only wait for the same timeout).
    if (error instanceof StoreError && !RECORD_SCOPED_STORE_ERRORS.has(error.code)) throw error;
    state.error(
      {
        scope: 'record',
        cluster: ref.name,
        cronJob: item.key,
        code: codeOf(error),
        message: `${ref.name}: ${item.key} not recorded, will retry next pass: ${describeError(error)}`,
      },
      error,
    );
  }
}

/**
 * Runs a decision in a store transaction on the record as it stands, reports its changes and
 * keeps the pass's view of records needing attention up to date. The decision may run more
 * than once (the store retries on contention); what it decided last is what was committed. In
 * a dry run it is reported, never written.
 */
async function commitDecision(
  state: PassState,
  ref: ClusterRef,
  key: string,
  attention: Map<string, SubjectRecord>,
  usage: StoreUsage,
  decideOn: (current: SubjectRecord | null) => Decision | null,
): Promise<void> {
  const {deps: d} = state;
  let changes: Change[] = [];
  let decided: SubjectRecord | null = null;
  const committed = await d.store.update(
    ref.id,
    key,
    current => {
      const decision = decideOn(current);
      changes = decision?.changes ?? [];
      decided = decision?.record ?? null;
      return d.dryRun ? null : decided;
    },
    usage,
    state.storeDeadline(),
  );
  reportDecision(state, ref, key, attention, {changes, record: decided}, committed);
}

/**
 * Reports what a committed decision changed and keeps `attention` up to date: `decision` is
 * what the decision made of the record last (null: nothing), `committed` the record as it
 * stands after the store call.
 */
function reportDecision(
  state: PassState,
  ref: ClusterRef,
  key: string,
  attention: Map<string, SubjectRecord>,
  decision: {changes: Change[]; record: SubjectRecord | null} | null,
  committed: SubjectRecord | null,
): void {
  const {deps: d} = state;
  const decided = decision?.record ?? null;
  // A dry run that decided nothing leaves the pass's view as it was loaded.
  if (!(d.dryRun && decided === null)) {
    const after = d.dryRun ? decided : committed;
    if (after !== null && needsAttention(after)) attention.set(key, after);
    else attention.delete(key);
  }
  const subject = decided?.subject ?? committed?.subject;
  const [namespace, name] =
    subject?.type === 'cronjob' ? [subject.namespace, subject.name] : ['', ''];
  for (const change of decision?.changes ?? []) state.transition(change, ref.name, namespace, name);
}

/**
 * What the Pods say: the real reason behind "backoff limit" for new failed runs, why a Job
 * that runs too long does not get anywhere, and, when the plan asks for one, the log excerpt
 * of the run that opens an incident.
 */
async function failureDetails(
  state: PassState,
  ref: ClusterRef,
  reader: ClusterReader,
  jobs: JobRef[],
  log: LogRequest | null,
): Promise<{details: Map<string, string>; excerpts: Map<string, LogExcerpt>}> {
  const details = new Map<string, string>();
  const excerpts = new Map<string, LogExcerpt>();
  for (const job of jobs) {
    let pods: PodInfo[] | null = null;
    try {
      const read = await reader.podsOfJob(job, state.wallDeadline());
      pods = await state.masking.apply(map => mapPodTexts(read, map));
      const detail = job.purpose === 'stuck' ? explainStuck(pods) : explainFailure(pods);
      if (detail !== null) details.set(job.uid, detail);
    } catch (error) {
      // The detail is a nicety: the incident opens with the Job's own reason without it.
      state.deps.logger.log('WARNING', `could not read pods of ${job.name}`, {
        cluster: ref.name,
        error: describeError(error),
      });
    }
    if (log !== null && log.job.uid === job.uid) {
      excerpts.set(job.uid, await readExcerpt(state, ref, reader, job, pods, log.lines));
    }
  }
  return {details, excerpts};
}

/** Reads the log excerpt of a failed run once; a log that cannot be read says why. */
async function readExcerpt(
  state: PassState,
  ref: ClusterRef,
  reader: ClusterReader,
  job: JobRef,
  pods: PodInfo[] | null,
  lines: number,
): Promise<LogExcerpt> {
  const target: LogTarget | null = pods === null ? null : logTargetOf(pods);
  if (target === null) {
    return unavailableExcerpt(null, {reason: pods === null ? 'error' : 'no-pod', detail: null});
  }
  const deadline = new Date(Math.min(state.wallDeadline().getTime(), Date.now() + LOG_READ_MS));
  try {
    const text = await reader.podLog(
      {namespace: job.namespace, name: target.pod, container: target.container},
      {tailLines: lines, limitBytes: LOG_LIMIT_BYTES, deadline},
    );
    let masked: string;
    try {
      masked = await state.masking.mask(text);
    } catch (error) {
      state.masking.failed(error);
      return unavailableExcerpt(target, {reason: 'error', detail: 'could not mask the log'});
    }
    // The byte count of the read itself says whether it hit `limitBytes`.
    return excerptOf(target, masked, lines, Buffer.byteLength(text));
  } catch (error) {
    state.deps.logger.log('WARNING', `could not read the log of ${target.pod}`, {
      cluster: ref.name,
      error: describeError(error),
    });
    return unavailableExcerpt(target, unavailableOf(error));
  }
}

function unavailableOf(error: unknown): LogUnavailable {
  const code = error instanceof ClusterError ? error.code : null;
  if (code === 'FORBIDDEN') return {reason: 'forbidden', detail: null};
  if (code === 'NOT_FOUND') return {reason: 'gone', detail: null};
  if (code === 'TIMEOUT') return {reason: 'timeout', detail: null};
  return {reason: 'error', detail: code ?? codeOf(error)};
}

/**
 * What the events of each gone Job say (why it failed, or that it completed), while the API
 * server keeps them: events are read only for runs whose Job is already gone, for which they
 * are the only record left.
 */
async function failureEvents(
  state: PassState,
  ref: ClusterRef,
  reader: ClusterReader,
  jobs: Array<{namespace: string; name: string}>,
): Promise<Map<string, GoneJobEvent>> {
  const events = new Map<string, GoneJobEvent>();
  for (const job of jobs) {
    try {
      const event = goneJobEventOf(await reader.jobEvents(job, state.wallDeadline()));
      if (event !== null) events.set(job.name, event);
    } catch (error) {
      // Without events the run still counts as failed; the message says the Job was gone.
      if (codeOf(error) === 'FORBIDDEN') {
        state.onceFor(`events:${ref.id}`, () =>
          state.error({
            scope: 'permission',
            cluster: ref.name,
            cronJob: null,
            code: 'EVENTS_FORBIDDEN',
            message: `${ref.name}: cannot list events (add list on events to the watcher's role, see infra/k8s/rbac.yaml); failures whose Job is gone are reported without their reason`,
          }),
        );
      } else {
        state.deps.logger.log('WARNING', `could not read events of ${job.name}`, {
          cluster: ref.name,
          error: describeError(error),
        });
      }
    }
  }
  return events;
}
