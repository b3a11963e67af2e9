/**
 * The plan of one cluster's pass: which subjects to evaluate (in a store transaction), which
 * CronJobs seen for the first time only need a starting point, what to fetch before deciding
 * (the Pods of new failed runs) and which incidents lost their CronJob. Pure: the orchestrator
 * executes the plan, commits and delivers; every rule about *what* to do lives here or in the
 * detectors.
 */
import {decideSubject, subjectMayChange} from './decide.js';
import type {ClusterReadOutcome} from './cluster-read.js';
import type {ClusterView, CronJobView} from './detector.js';
import type {Policy} from './policy.js';
import {goneRun, runsAfter} from './detections/failing/detector.js';
import {stuckRun} from './detections/running-too-long/detector.js';
import {
  CLUSTER_RECORD_KEY,
  hasOpenIncident,
  needsAttention,
  recordKeyOf,
  type RunMark,
  type SubjectRecord,
} from './incident.js';
import type {ClusterSnapshot, JobInfo, ObjectProblem, RunVerdict} from './model.js';
import {finishedRunsOf, jobsByCronJob, judgeJob, laterMark, type OrderedRun} from './verdict.js';
import {timeProblemsOf} from './kube-objects.js';
import {compileSchedule} from './schedule.js';

// The largest time a Date holds.
const MAX_DATE_MS = 8.64e15;

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

/** A Job whose Pods explain why it failed (`failure`) or why it is still running (`stuck`). */
export interface JobRef {
  namespace: string;
  name: string;
  uid: string;
  purpose: 'failure' | 'stuck';
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
      /** Jobs already gone whose events may still say why they failed. */
      eventsOf: Array<{namespace: string; name: string}>;
      policy: Policy;
      log: LogRequest | null;
    }
  | {
      key: string;
      view: ClusterView;
      knownWatermark: undefined;
      podsOf: [];
      eventsOf: [];
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
  /**
   * CronJobs whose schedule the watcher cannot read (the controller cannot either): no
   * missed-run or period-based running-too-long check watches them, so each is reported.
   */
  scheduleProblems: ScheduleProblem[];
  cronJobsSeen: number;
}

/** A CronJob whose schedule cannot be evaluated, and why. */
export interface ScheduleProblem {
  namespace: string;
  name: string;
  schedule: string;
  problem: string;
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
    scheduleProblems: [],
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
      eventsOf: [],
      policy: clusterPolicy,
      log: null,
    });
  }
  const snapshot = input.snapshot;
  // A cluster that cannot be read opens and closes no CronJob incident: absence is not
  // evidence. Only its own "cannot see" incident moves.
  if (!input.read.ok || snapshot === null) return plan;

  // Read again after an outage: missed and overlong runs wait for the next read (relations.ts).
  const wasUnreadable = clusterKnown.record?.open['cluster-unreadable'] !== undefined;
  const byCronJob = jobsByCronJob(snapshot.jobs);
  // A CronJob with a Job we could not read is held: judging it without that Job could
  // close or open an incident on partial evidence.
  const held = new Set<string>();
  for (const problem of snapshot.problems) {
    plan.problems.push(problem);
    if (problem.cronJobUid) held.add(problem.cronJobUid);
  }
  // Reported, never held: the next usable time stands in (verdict.ts).
  plan.problems.push(...timeProblemsOf(snapshot));
  for (const cronJob of snapshot.cronJobs) {
    plan.cronJobsSeen++;
    const compiled = compileSchedule(cronJob.schedule, cronJob.timeZone);
    if (!compiled.ok) {
      const {namespace, name, schedule} = cronJob;
      plan.scheduleProblems.push({namespace, name, schedule, problem: compiled.problem});
    }
    if (held.has(cronJob.uid)) continue;
    const key = recordKeyOf(cronJob.namespace, cronJob.name);
    const jobs = byCronJob.get(cronJob.uid) ?? [];
    const judged = jobs.map(judgeJob);
    const view: CronJobView = {
      type: 'cronjob',
      clusterId: input.clusterId,
      cronJob,
      runs: finishedRunsOf(jobs, now.getTime()),
      running: judged.filter(v => v.outcome === 'running'),
      latestScheduledJobAt: latestScheduled(jobs),
      ...(wasUnreadable ? {clusterWasUnreadable: true as const} : {}),
    };
    const suspended = judged.filter(v => v.outcome === 'suspended');
    if (suspended.length > 0) view.suspended = suspended;
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
    // Where the decision starts counting (decideSubject): the later of the record's and the entry's.
    const watermark = laterMark(record?.watermark ?? null, knownWatermark ?? null);
    const refOf = (run: RunVerdict, purpose: JobRef['purpose']): JobRef => ({
      namespace: cronJob.namespace,
      name: run.job,
      uid: run.jobUid,
      purpose,
    });
    // An ignored CronJob is only kept up to date: nothing about it is worth a request.
    const fresh = policy.ignore === true ? [] : runsAfter(view.runs, watermark);
    const podsOf: JobRef[] = fresh
      .filter(r => r.verdict.outcome === 'failed')
      .slice(-POD_LOOKUPS_PER_CRONJOB)
      .map(r => refOf(r.verdict, 'failure'));
    const opener =
      (policy.logLines ?? 0) > 0 ? openingRunOf(fresh, record, stored.known.has(key)) : null;
    const log =
      opener === null ? null : {job: refOf(opener.verdict, 'failure'), lines: policy.logLines ?? 0};
    if (log !== null && !podsOf.some(p => p.uid === log.job.uid)) podsOf.push(log.job);
    const stuck = policy.ignore === true ? null : stuckRun(view, policy, now);
    // A suspended Job has no Pods to ask.
    if (stuck !== null && !stuck.suspended && record?.open['running-too-long']?.podDetail == null) {
      podsOf.push(refOf(stuck.run, 'stuck'));
    }
    const gone = policy.ignore === true ? null : goneRun(view);
    const eventsOf =
      gone !== null && runsAfter([gone], watermark).length > 0
        ? [{namespace: cronJob.namespace, name: gone.verdict.job}]
        : [];
    plan.evaluate.push({key, view, knownWatermark, podsOf, eventsOf, policy, log});
  }
  plan.deleted = deletedKeys(snapshot, stored, input.namespaces);
  return plan;
}

/**
 * The newest due time a Job of the CronJob ran for: its scheduled-time annotation, else (before
 * 1.28, where Jobs carry none) its creation, which the controller does seconds after the due
 * time. Manual runs are not due anywhere.
 */
function latestScheduled(jobs: JobInfo[]): Date | null {
  let latest: Date | null = null;
  for (const job of jobs) {
    if (job.manual) continue;
    const at = job.scheduledAt ?? job.createdAt;
    // A Job with no usable time at all could be the run of any due time: nothing is taken
    // for missed or gone while it is there.
    if (at === null) return new Date(MAX_DATE_MS);
    if (latest === null || at > latest) latest = at;
  }
  return latest;
}

/**
 * The new run that will open a failing incident this pass, if one will: the first failure
 * after the last new success (or, with nothing open and no new success, the first new
 * failure). On first sight only the latest run counts (detections/failing/detector.ts).
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
