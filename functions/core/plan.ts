/**
 * The plan of one cluster's pass: which subjects to evaluate (in a store transaction), which
 * CronJobs seen for the first time only need a starting point, what to fetch before deciding
 * (the Pods of new failed runs) and which incidents lost their CronJob. Pure: the orchestrator
 * executes the plan, commits and delivers; every rule about *what* to do lives here or in the
 * detectors.
 */
import {decideSubject, subjectMayChange} from './decide.js';
import type {ClusterReadOutcome} from './cluster-read.js';
import type {ClusterView, CronJobView, Policy} from './detector.js';
import {runsAfter} from './failing-streak.js';
import {
  CLUSTER_RECORD_KEY,
  hasOpenIncident,
  needsAttention,
  recordKeyOf,
  type RunMark,
  type SubjectRecord,
} from './incident.js';
import type {ClusterSnapshot, ObjectProblem} from './model.js';
import {finishedRunsOf, jobsByCronJob, judgeJob, type OrderedRun} from './verdict.js';

// Pods are fetched only for runs that open or extend an incident; a handful at a time keeps
// a burst of failures from hammering one API server.
export const POD_LOOKUPS_PER_CRONJOB = 3;

/** What the store holds for a cluster, as the plan needs it. */
export interface StoredCluster {
  /** Index entries by record key. */
  known: ReadonlyMap<string, {watermark: RunMark | null}>;
  /** Records needing attention, by record key. */
  attention: ReadonlyMap<string, SubjectRecord>;
}

/** A Job whose Pods explain a failure. */
export interface JobRef {
  namespace: string;
  name: string;
  uid: string;
}

/** The log to quote: the run that opens a failing incident, when its CronJob asks for one. */
export interface LogRequest {
  job: JobRef;
  /** `tailLines`. */
  lines: number;
}

/** One subject to decide in a transaction, under its policy. */
export type Evaluate =
  | {
      key: string;
      view: CronJobView;
      knownWatermark: RunMark | null | undefined;
      podsOf: JobRef[];
      policy: Policy;
      log: LogRequest | null;
    }
  | {
      key: string;
      view: ClusterView;
      knownWatermark: undefined;
      podsOf: [];
      policy: Policy;
      log: null;
    };

/** A first-seen CronJob that needs nothing but a starting point. */
export interface Baseline {
  key: string;
  cronJobUid: string;
  watermark: RunMark | null;
}

/** What to do for one cluster this pass. */
export interface ClusterPlan {
  /** The cluster's own record first, then CronJobs in listing order. */
  evaluate: Evaluate[];
  baselines: Baseline[];
  /** Keys of records whose CronJob is gone from a complete read: close what they have open. */
  deleted: string[];
  /** Objects that could not be judged; each is reported once. */
  problems: ObjectProblem[];
  cronJobsSeen: number;
}

/** Everything the plan reads. */
export interface PlanInput {
  clusterId: string;
  read: ClusterReadOutcome;
  /** Null when the cluster could not be read. */
  snapshot: ClusterSnapshot | null;
  /** Namespaces the pass watches; null for all. */
  namespaces: string[] | null;
}

/** Plans one cluster's pass. */
export function planCluster(
  input: PlanInput,
  stored: StoredCluster,
  policyOf: (subjectKey: string) => Policy,
  now: Date,
): ClusterPlan {
  const plan: ClusterPlan = {
    evaluate: [],
    baselines: [],
    deleted: [],
    problems: [],
    cronJobsSeen: 0,
  };
  const clusterView: ClusterView = {type: 'cluster', clusterId: input.clusterId, read: input.read};
  const clusterKnown = {watermark: undefined, record: stored.attention.get(CLUSTER_RECORD_KEY)};
  const clusterPolicy = policyOf(CLUSTER_RECORD_KEY);
  if (subjectMayChange(clusterView, clusterKnown, clusterPolicy, now)) {
    plan.evaluate.push({
      key: CLUSTER_RECORD_KEY,
      view: clusterView,
      knownWatermark: undefined,
      podsOf: [],
      policy: clusterPolicy,
      log: null,
    });
  }
  const snapshot = input.snapshot;
  // A cluster that cannot be read opens and closes no CronJob incident: absence is not
  // evidence. Only its own "cannot see" incident moves.
  if (!input.read.ok || snapshot === null) return plan;

  const byCronJob = jobsByCronJob(snapshot.jobs);
  // A CronJob with a Job we could not read is held: judging it without that Job could
  // close or open an incident on partial evidence.
  const held = new Set<string>();
  for (const problem of snapshot.problems) {
    plan.problems.push(problem);
    if (problem.cronJobUid) held.add(problem.cronJobUid);
  }
  for (const cronJob of snapshot.cronJobs) {
    plan.cronJobsSeen++;
    if (held.has(cronJob.uid)) continue;
    const key = recordKeyOf(cronJob.namespace, cronJob.name);
    const jobs = byCronJob.get(cronJob.uid) ?? [];
    const view: CronJobView = {
      type: 'cronjob',
      clusterId: input.clusterId,
      cronJob,
      runs: finishedRunsOf(jobs),
      running: jobs.map(judgeJob).filter(v => v.outcome === 'running'),
    };
    const policy = policyOf(key);
    const record = stored.attention.get(key);
    const knownWatermark = stored.known.get(key)?.watermark;
    if (record === undefined && !stored.known.has(key)) {
      // First sight: decided here, in memory. Only what needs an incident gets a record; the
      // rest is a starting point, written for the whole cluster at once.
      const decision = decideSubject(null, view, policy, now, undefined);
      if (decision === null || !needsAttention(decision.record)) {
        plan.baselines.push({
          key,
          cronJobUid: cronJob.uid,
          watermark: decision?.record.watermark ?? null,
        });
        continue;
      }
    } else if (!subjectMayChange(view, {watermark: knownWatermark, record}, policy, now)) {
      continue;
    }
    const watermark = record?.watermark ?? knownWatermark ?? null;
    const refOf = (r: OrderedRun): JobRef => ({
      namespace: cronJob.namespace,
      name: r.verdict.job,
      uid: r.verdict.jobUid,
    });
    // An ignored CronJob is only kept up to date: nothing about it is worth a request.
    const fresh = policy.ignore ? [] : runsAfter(view.runs, watermark);
    const podsOf = fresh
      .filter(r => r.verdict.outcome === 'failed')
      .slice(-POD_LOOKUPS_PER_CRONJOB)
      .map(refOf);
    const opener = policy.logLines ? openingRunOf(fresh, record, stored.known.has(key)) : null;
    const log = opener === null ? null : {job: refOf(opener), lines: policy.logLines ?? 0};
    if (log !== null && !podsOf.some(p => p.uid === log.job.uid)) podsOf.push(log.job);
    plan.evaluate.push({key, view, knownWatermark, podsOf, policy, log});
  }
  plan.deleted = deletedKeys(snapshot, stored, input.namespaces);
  return plan;
}

/**
 * The new run that will open a failing incident this pass, if one will: the first failure
 * after the last new success (or, with nothing open and no new success, the first new
 * failure). On first sight only the latest run counts (failing-streak.ts).
 */
function openingRunOf(
  fresh: OrderedRun[],
  record: SubjectRecord | undefined,
  known: boolean,
): OrderedRun | null {
  if (record === undefined && !known) {
    const latest = fresh.at(-1);
    return latest?.verdict.outcome === 'failed' ? latest : null;
  }
  const lastOk = fresh.findLastIndex(r => r.verdict.outcome !== 'failed');
  if (lastOk < 0 && record?.open.failing !== undefined) return null;
  return fresh.slice(lastOk + 1).find(r => r.verdict.outcome === 'failed') ?? null;
}

/**
 * Records with open incidents whose CronJob is gone from a complete read of its namespace.
 * A CronJob the reader could not parse is not gone: it is only unreadable this pass.
 */
function deletedKeys(
  snapshot: ClusterSnapshot,
  stored: StoredCluster,
  namespaces: string[] | null,
): string[] {
  const present = new Set(snapshot.cronJobs.map(c => recordKeyOf(c.namespace, c.name)));
  const badCronJobs = snapshot.problems.filter(p => p.kind === 'CronJob');
  // One CronJob we could not even name could be any of them.
  if (badCronJobs.some(p => p.name === null)) return [];
  const unreadable = new Set(badCronJobs.map(p => recordKeyOf(p.namespace ?? '', p.name ?? '')));
  const deleted: string[] = [];
  for (const [key, record] of stored.attention) {
    const subject = record.subject;
    if (subject.type !== 'cronjob' || !hasOpenIncident(record)) continue;
    if (present.has(key) || unreadable.has(key)) continue;
    if (namespaces !== null && !namespaces.includes(subject.namespace)) continue;
    deleted.push(key);
  }
  return deleted;
}
