/**
 * Turns Kubernetes objects as the API returned them (JSON, or client-node models whose times
 * are already `Date`s) into the watcher's model. Never throws: an object that cannot be
 * judged becomes an `ObjectProblem` naming it and saying why.
 */
import type {
  ContainerTermination,
  CronJobInfo,
  JobCondition,
  JobInfo,
  ObjectProblem,
  PodInfo,
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
    return {
      uid,
      namespace,
      name,
      schedule: requiredString(spec, 'schedule', 'spec'),
      timeZone: optionalString(spec, 'timeZone'),
      suspended: spec.suspend === true,
      lastScheduleTime: parseKubeTime(status?.lastScheduleTime),
      lastSuccessfulTime: parseKubeTime(status?.lastSuccessfulTime),
      activeJobNames,
      createdAt: parseKubeTime(meta.creationTimestamp),
      annotations: watcherAnnotations(stringMap(meta, 'annotations')),
    };
  });
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

function parseCondition(raw: unknown): JobCondition {
  if (!isObject(raw)) throw new Unjudgeable('a status.conditions entry is not an object');
  return {
    type: requiredString(raw, 'type', 'status.conditions[]'),
    status: requiredString(raw, 'status', 'status.conditions[]'),
    reason: optionalString(raw, 'reason'),
    message: optionalString(raw, 'message'),
    lastTransitionTime: parseKubeTime(raw.lastTransitionTime),
  };
}

/** Parses a `batch/v1` Job. Jobs without a CronJob controller get `cronJobUid: null`. */
export function parseJob(raw: unknown): Parsed<JobInfo> {
  return parseWith('Job', raw, object => {
    const {meta, namespace, name, uid} = metadataOf(object);
    const annotations = stringMap(meta, 'annotations');
    const spec = objectAt(object, 'spec');
    const status = objectAt(object, 'status');
    return {
      uid,
      namespace,
      name,
      cronJobUid: cronJobOwnerUid(meta),
      manual: annotations[INSTANTIATE_ANNOTATION] === 'manual',
      scheduledAt: parseKubeTime(annotations[SCHEDULED_TIMESTAMP_ANNOTATION]),
      createdAt: parseKubeTime(meta.creationTimestamp),
      startedAt: parseKubeTime(status?.startTime),
      completedAt: parseKubeTime(status?.completionTime),
      suspended: spec?.suspend === true,
      conditions: arrayAt(status, 'conditions').map(parseCondition),
    };
  });
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

/** Parses a v1 Pod, keeping what explains a Job's failure. */
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
      createdAt: parseKubeTime(meta.creationTimestamp),
    };
  });
}
