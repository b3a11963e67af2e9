/**
 * Turns Kubernetes objects as the API returned them (JSON, or client-node models whose times
 * are already `Date`s) into the watcher's model. Never throws: an object that cannot be
 * judged becomes an `ObjectProblem` naming it and saying why.
 */
import type {
  ContainerTermination,
  ContainerWaiting,
  CronJobInfo,
  JobCondition,
  JobEvent,
  JobInfo,
  ObjectProblem,
  PodInfo,
  UnusableTime,
} from './model.js';
import {isObject} from './json.js';

/** The result of parsing one object. */
export type Parsed<T> = {ok: true; value: T} | {ok: false; problem: ObjectProblem};

// Long enough for any real reason or message; a runaway one (a stack trace, a log dump)
// is cut so one object cannot bloat a Firestore document or a Slack block.
const MAX_TEXT_CHARS = 2000;

const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
const INSTANTIATE_ANNOTATION = 'cronjob.kubernetes.io/instantiate';
const JOB_UID_LABELS = ['batch.kubernetes.io/controller-uid', 'controller-uid'];
const JOB_NAME_LABELS = ['batch.kubernetes.io/job-name', 'job-name'];

type Json = Record<string, unknown>;

class Unjudgeable extends Error {}

function objectAt(parent: Json, key: string): Json | null {
  const value = parent[key];
  if (value === undefined || value === null) return null;
  if (!isObject(value)) throw new Unjudgeable(`${key} is not an object`);
  return value;
}

function arrayAt(parent: Json | null, key: string): unknown[] {
  if (parent === null) return [];
  const value = parent[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Unjudgeable(`${key} is not a list`);
  return value;
}

// Kubernetes' own limit on object names (DNS subdomain) and the longest schedule or UID a
// real API server returns. Anything longer did not come from an API server, and would not
// fit a Firestore document ID (1,500 bytes) or a Slack header either.
const MAX_IDENTIFIER_CHARS = 253;

function requiredString(parent: Json | null, key: string, where: string): string {
  const value = parent?.[key];
  if (typeof value !== 'string' || value.length === 0) {
    throw new Unjudgeable(`${where}.${key} is missing or not a string`);
  }
  if (value.length > MAX_IDENTIFIER_CHARS) {
    throw new Unjudgeable(
      `${where}.${key} is ${value.length} characters long (at most ${MAX_IDENTIFIER_CHARS})`,
    );
  }
  return value;
}

function optionalString(parent: Json | null, key: string): string | null {
  const value = parent?.[key];
  if (typeof value !== 'string' || value.length === 0) return null;
  return value.length > MAX_TEXT_CHARS ? `${value.slice(0, MAX_TEXT_CHARS)}…` : value;
}

/**
 * A Kubernetes time as a Date, or null when absent, unparseable, or the Go zero time
 * (`0001-01-01T00:00:00Z`, which some controllers write for "unknown").
 */
export function parseKubeTime(value: unknown): Date | null {
  let date: Date;
  if (value instanceof Date) date = value;
  else if (typeof value === 'string' && value.length > 0 && value.length < 64)
    date = new Date(value);
  else return null;
  const ms = date.getTime();
  if (Number.isNaN(ms)) return null;
  // Anything before 1971 is a zero or garbage value, not a real run.
  if (ms < Date.UTC(1971, 0, 1)) return null;
  return new Date(ms);
}

// Enough of a bad value to recognise it in a report; a runaway one is cut.
const MAX_SHOWN_VALUE_CHARS = 64;

/** Conditions whose time decides when a run's outcome happened. */
const DECIDING_CONDITIONS = new Set(['Failed', 'FailureTarget', 'Complete', 'SuccessCriteriaMet']);

/**
 * `parseKubeTime`, noting in `unusable` a value that is there but cannot be used (absent is
 * normal for most fields: a failed Job has no completionTime, clusters before 1.28 no
 * scheduled-time annotation).
 */
function timeAt(value: unknown, field: string, unusable: UnusableTime[]): Date | null {
  const parsed = parseKubeTime(value);
  // The Go zero time is a convention for "unknown" (Argo CD writes it with
  // ManuallyTerminated), not a broken object: the run is timed by its next usable time, and
  // nothing needs reporting.
  const zero = typeof value === 'string' && value.startsWith('0001-01-01');
  if (parsed === null && !zero && value !== undefined && value !== null) {
    const json = JSON.stringify(value instanceof Date ? String(value) : value) ?? String(value);
    const shown =
      json.length > MAX_SHOWN_VALUE_CHARS ? `${json.slice(0, MAX_SHOWN_VALUE_CHARS)}…` : json;
    unusable.push({field, value: shown});
  }
  return parsed;
}

function identify(raw: unknown): Omit<ObjectProblem, 'kind' | 'problem'> {
  if (!isObject(raw) || !isObject(raw.metadata)) return {namespace: null, name: null};
  const {namespace, name, ownerReferences} = raw.metadata;
  const owner = Array.isArray(ownerReferences)
    ? ownerReferences.find(
        ref => isObject(ref) && ref.kind === 'CronJob' && typeof ref.uid === 'string',
      )
    : undefined;
  return {
    namespace: typeof namespace === 'string' ? namespace.slice(0, 253) : null,
    name: typeof name === 'string' ? name.slice(0, 253) : null,
    cronJobUid: isObject(owner) && typeof owner.uid === 'string' ? owner.uid : null,
  };
}

function parseWith<T>(
  kind: ObjectProblem['kind'],
  raw: unknown,
  parse: (object: Json) => T,
): Parsed<T> {
  try {
    if (!isObject(raw)) throw new Unjudgeable('not an object');
    return {ok: true, value: parse(raw)};
  } catch (error) {
    const problem =
      error instanceof Unjudgeable ? error.message : `unexpected shape (${String(error)})`;
    return {ok: false, problem: {kind, ...identify(raw), problem}};
  }
}

function metadataOf(object: Json): {meta: Json; namespace: string; name: string; uid: string} {
  const meta = objectAt(object, 'metadata');
  if (meta === null) throw new Unjudgeable('metadata is missing');
  return {
    meta,
    namespace: requiredString(meta, 'namespace', 'metadata'),
    name: requiredString(meta, 'name', 'metadata'),
    uid: requiredString(meta, 'uid', 'metadata'),
  };
}

function stringMap(meta: Json, key: string): Record<string, unknown> {
  const value = meta[key];
  return isObject(value) ? value : {};
}

// The watcher's own annotation prefix (policy.ts reads them); the others are not ours to keep.
const WATCHER_ANNOTATION_PREFIX = 'cronjob-watcher/';
// Kubernetes caps all of an object's annotations at 256 KiB; one of ours needs a few hundred
// characters at most, and a runaway one is reported by the policy parser, not stored whole.
const MAX_ANNOTATION_CHARS = 2000;

function watcherAnnotations(annotations: Record<string, unknown>): Record<string, string> {
  const ours: Record<string, string> = {};
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(WATCHER_ANNOTATION_PREFIX) || typeof value !== 'string') continue;
    ours[key.slice(0, MAX_IDENTIFIER_CHARS)] = value.slice(0, MAX_ANNOTATION_CHARS);
  }
  return ours;
}

/** Parses a `batch/v1` (or `v1beta1`) CronJob. */
export function parseCronJob(raw: unknown): Parsed<CronJobInfo> {
  return parseWith('CronJob', raw, object => {
    const {meta, namespace, name, uid} = metadataOf(object);
    const spec = objectAt(object, 'spec');
    if (spec === null) throw new Unjudgeable('spec is missing');
    const status = objectAt(object, 'status');
    const activeJobNames = arrayAt(status, 'active').flatMap(ref =>
      isObject(ref) && typeof ref.name === 'string' ? [ref.name] : [],
    );
    const unusable: UnusableTime[] = [];
    const lastScheduleTime = timeAt(status?.lastScheduleTime, 'status.lastScheduleTime', unusable);
    const lastSuccessfulTime = timeAt(
      status?.lastSuccessfulTime,
      'status.lastSuccessfulTime',
      unusable,
    );
    const createdAt = timeAt(meta.creationTimestamp, 'metadata.creationTimestamp', unusable);
    return {
      uid,
      namespace,
      name,
      schedule: requiredString(spec, 'schedule', 'spec'),
      timeZone: optionalString(spec, 'timeZone'),
      suspended: spec.suspend === true,
      suspendChangedAt: suspendChangedAt(meta.managedFields),
      lastScheduleTime,
      lastSuccessfulTime,
      activeJobNames,
      createdAt,
      startingDeadlineSeconds: nonNegativeInteger(spec, 'startingDeadlineSeconds'),
      concurrencyPolicy:
        spec.concurrencyPolicy === 'Forbid' || spec.concurrencyPolicy === 'Replace'
          ? spec.concurrencyPolicy
          : 'Allow',
      failedJobsHistoryLimit:
        nonNegativeInteger(spec, 'failedJobsHistoryLimit') ?? DEFAULT_FAILED_JOBS_HISTORY_LIMIT,
      // Only names a likely cause in a message: a template we cannot read is no reason to
      // refuse the CronJob.
      jobTtlSecondsAfterFinished: nonNegativeInteger(
        isObject(spec.jobTemplate) && isObject(spec.jobTemplate.spec)
          ? spec.jobTemplate.spec
          : null,
        'ttlSecondsAfterFinished',
      ),
      ...(unusable.length > 0 ? {unusableTimes: unusable} : {}),
      annotations: watcherAnnotations(stringMap(meta, 'annotations')),
    };
  });
}

/** True when a `managedFields` entry's tree holds `f:spec` → `f:suspend`. */
export function ownsSuspend(entry: unknown): boolean {
  if (!isObject(entry) || !isObject(entry.fieldsV1)) return false;
  const spec = entry.fieldsV1['f:spec'];
  return isObject(spec) && spec['f:suspend'] !== undefined;
}

/**
 * When `spec.suspend` last changed, from `metadata.managedFields`: the newest `time` of the
 * entries that own it. Only bounds the change from above, so an unreadable entry is no
 * problem to report: it bounds nothing.
 */
function suspendChangedAt(managedFields: unknown): Date | null {
  if (!Array.isArray(managedFields)) return null;
  let newest: Date | null = null;
  for (const entry of managedFields) {
    if (!ownsSuspend(entry) || !isObject(entry)) continue;
    const at = parseKubeTime(entry.time);
    if (at !== null && (newest === null || at > newest)) newest = at;
  }
  return newest;
}

// Kubernetes' default for `spec.failedJobsHistoryLimit`.
const DEFAULT_FAILED_JOBS_HISTORY_LIMIT = 1;

/** A whole number ≥ 0, or null when absent or not one (a setting we cannot read is no setting). */
function nonNegativeInteger(parent: Json | null, key: string): number | null {
  const value = parent?.[key];
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

function cronJobOwnerUid(meta: Json): string | null {
  for (const ref of arrayAt(meta, 'ownerReferences')) {
    if (!isObject(ref)) throw new Unjudgeable('an ownerReferences entry is not an object');
    if (ref.kind === 'CronJob' && ref.controller === true && typeof ref.uid === 'string') {
      return ref.uid;
    }
  }
  return null;
}

function parseCondition(raw: unknown, unusable: UnusableTime[]): JobCondition {
  if (!isObject(raw)) throw new Unjudgeable('a status.conditions entry is not an object');
  const type = requiredString(raw, 'type', 'status.conditions[]');
  const status = requiredString(raw, 'status', 'status.conditions[]');
  const field = `status.conditions[${type}].lastTransitionTime`;
  const lastTransitionTime = timeAt(raw.lastTransitionTime, field, unusable);
  const deciding = status === 'True' && DECIDING_CONDITIONS.has(type);
  // The time of a deciding condition is when the outcome happened: missing, it is a problem.
  if (deciding && (raw.lastTransitionTime === undefined || raw.lastTransitionTime === null)) {
    unusable.push({field, value: null});
  }
  return {
    type,
    status,
    reason: optionalString(raw, 'reason'),
    message: optionalString(raw, 'message'),
    lastTransitionTime,
  };
}

/** Parses a `batch/v1` Job. Jobs without a CronJob controller get `cronJobUid: null`. */
export function parseJob(raw: unknown): Parsed<JobInfo> {
  return parseWith('Job', raw, object => {
    const {meta, namespace, name, uid} = metadataOf(object);
    const annotations = stringMap(meta, 'annotations');
    const spec = objectAt(object, 'spec');
    const status = objectAt(object, 'status');
    const unusable: UnusableTime[] = [];
    const scheduledAt = timeAt(
      annotations[SCHEDULED_TIMESTAMP_ANNOTATION],
      `metadata.annotations[${SCHEDULED_TIMESTAMP_ANNOTATION}]`,
      unusable,
    );
    const createdAt = timeAt(meta.creationTimestamp, 'metadata.creationTimestamp', unusable);
    const startedAt = timeAt(status?.startTime, 'status.startTime', unusable);
    const completedAt = timeAt(status?.completionTime, 'status.completionTime', unusable);
    const conditions = arrayAt(status, 'conditions').map(c => parseCondition(c, unusable));
    return {
      uid,
      namespace,
      name,
      cronJobUid: cronJobOwnerUid(meta),
      manual: annotations[INSTANTIATE_ANNOTATION] === 'manual',
      scheduledAt,
      createdAt,
      startedAt,
      completedAt,
      suspended: spec?.suspend === true,
      conditions,
      ...(unusable.length > 0 ? {unusableTimes: unusable} : {}),
    };
  });
}

/**
 * The unusable times of a snapshot's CronJobs and Jobs as problems to report. They do not hold
 * the CronJob (no `cronJobUid`): unlike an unreadable Job, the object is judged, with the next
 * usable time standing in, so a bad timestamp never hides a failure.
 */
export function timeProblemsOf(objects: {
  cronJobs: CronJobInfo[];
  jobs: JobInfo[];
}): ObjectProblem[] {
  const problems: ObjectProblem[] = [];
  const add = (kind: 'CronJob' | 'Job', o: CronJobInfo | JobInfo, then: string) => {
    for (const t of o.unusableTimes ?? []) {
      const what = t.value === null ? 'is missing' : `is not a usable time: ${t.value}`;
      problems.push({
        kind,
        namespace: o.namespace,
        name: o.name,
        problem: `${t.field} ${what}; ${then}`,
        judged: true,
      });
    }
  };
  for (const cronJob of objects.cronJobs) add('CronJob', cronJob, 'it is left out');
  for (const job of objects.jobs) {
    add('Job', job, 'the run is still judged, timed by its next usable timestamp (approximate)');
  }
  return problems;
}

function firstLabel(labels: Record<string, unknown>, keys: string[]): string | null {
  for (const key of keys) {
    const value = labels[key];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return null;
}

function terminationsOf(statuses: unknown[]): ContainerTermination[] {
  return statuses.flatMap(raw => {
    if (!isObject(raw)) return [];
    const state = isObject(raw.state) ? raw.state : null;
    const lastState = isObject(raw.lastState) ? raw.lastState : null;
    const terminated = isObject(state?.terminated)
      ? state.terminated
      : isObject(lastState?.terminated)
        ? lastState.terminated
        : null;
    if (terminated === null) return [];
    const exitCode = terminated.exitCode;
    return [
      {
        container: typeof raw.name === 'string' ? raw.name : '?',
        reason: optionalString(terminated, 'reason'),
        exitCode: typeof exitCode === 'number' && Number.isInteger(exitCode) ? exitCode : null,
        message: optionalString(terminated, 'message'),
      },
    ];
  });
}

function waitingOf(statuses: unknown[]): ContainerWaiting[] {
  return statuses.flatMap(raw => {
    if (!isObject(raw) || !isObject(raw.state) || !isObject(raw.state.waiting)) return [];
    const reason = optionalString(raw.state.waiting, 'reason');
    if (reason === null) return [];
    return [
      {
        container: typeof raw.name === 'string' ? raw.name : '?',
        reason,
        message: optionalString(raw.state.waiting, 'message'),
      },
    ];
  });
}

function unschedulableOf(conditions: unknown[]): string | null {
  for (const c of conditions) {
    if (isObject(c) && c.type === 'PodScheduled' && c.status === 'False') {
      const reason = optionalString(c, 'reason') ?? 'not scheduled';
      const message = optionalString(c, 'message');
      return message === null ? reason : `${reason}: ${message}`;
    }
  }
  return null;
}

/**
 * A core/v1 Event about a Job, or null when it lacks a reason (it then says nothing we use).
 * Times: `lastTimestamp`, else `eventTime` (events.k8s.io writers), else `firstTimestamp`.
 */
export function parseJobEvent(raw: unknown): JobEvent | null {
  if (!isObject(raw)) return null;
  const reason = optionalString(raw, 'reason');
  if (reason === null) return null;
  return {
    type: optionalString(raw, 'type'),
    reason,
    message: optionalString(raw, 'message') ?? optionalString(raw, 'note'),
    at:
      parseKubeTime(raw.lastTimestamp) ??
      parseKubeTime(raw.eventTime) ??
      parseKubeTime(raw.firstTimestamp),
  };
}

/** Parses a v1 Pod, keeping what explains a Job's failure or why it does not run. */
export function parsePod(raw: unknown): Parsed<PodInfo> {
  return parseWith('Pod', raw, object => {
    const meta = objectAt(object, 'metadata');
    if (meta === null) throw new Unjudgeable('metadata is missing');
    const labels = stringMap(meta, 'labels');
    const status = objectAt(object, 'status');
    return {
      namespace: requiredString(meta, 'namespace', 'metadata'),
      name: requiredString(meta, 'name', 'metadata'),
      jobUid: firstLabel(labels, JOB_UID_LABELS),
      jobName: firstLabel(labels, JOB_NAME_LABELS),
      phase: optionalString(status, 'phase'),
      reason: optionalString(status, 'reason'),
      message: optionalString(status, 'message'),
      terminations: [
        ...terminationsOf(arrayAt(status, 'initContainerStatuses')),
        ...terminationsOf(arrayAt(status, 'containerStatuses')),
      ],
      waiting: [
        ...waitingOf(arrayAt(status, 'initContainerStatuses')),
        ...waitingOf(arrayAt(status, 'containerStatuses')),
      ],
      unschedulable: unschedulableOf(arrayAt(status, 'conditions')),
      restarts: [
        ...arrayAt(status, 'initContainerStatuses'),
        ...arrayAt(status, 'containerStatuses'),
      ].reduce<number>(
        (sum, raw) => sum + (isObject(raw) ? (nonNegativeInteger(raw, 'restartCount') ?? 0) : 0),
        0,
      ),
      createdAt: parseKubeTime(meta.creationTimestamp),
    };
  });
}
