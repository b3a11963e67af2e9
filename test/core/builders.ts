/** Small builders for core tests: plain model objects with only what a case needs. */
import type {CronJobInfo, JobCondition, JobInfo} from '../../functions/core/model.js';

export const T0 = Date.parse('2026-03-01T10:00:00Z');
export const MINUTE_MS = 60_000;
/**
 * Due only on 29 February (last 2024, next 2028): for tables about finished runs, where the
 * clock-driven detections (missed, running too long) must have nothing to say.
 */
export const QUIET_SCHEDULE = '0 0 29 2 *';

/** A time `minutes` after T0. */
export function at(minutes: number): Date {
  return new Date(T0 + minutes * MINUTE_MS);
}

export function cronJob(overrides: Partial<CronJobInfo> = {}): CronJobInfo {
  return {
    uid: 'cj-uid',
    namespace: 'batch',
    name: 'backup',
    schedule: '0 * * * *',
    timeZone: null,
    suspended: false,
    suspendChangedAt: null,
    lastScheduleTime: null,
    lastSuccessfulTime: null,
    activeJobNames: [],
    createdAt: at(-1000),
    startingDeadlineSeconds: null,
    concurrencyPolicy: 'Allow',
    failedJobsHistoryLimit: 1,
    jobTtlSecondsAfterFinished: null,
    annotations: {},
    ...overrides,
  };
}

function condition(
  type: string,
  time: Date | null,
  reason: string | null = null,
  message: string | null = null,
): JobCondition {
  return {type, status: 'True', reason, message, lastTransitionTime: time};
}

interface JobSpec {
  name: string;
  /** Minute (after T0) the run was scheduled. */
  scheduled: number;
  manual?: boolean;
  cronJobUid?: string | null;
}

function base(spec: JobSpec): JobInfo {
  return {
    uid: `uid-${spec.name}`,
    namespace: 'batch',
    name: spec.name,
    cronJobUid: spec.cronJobUid === undefined ? 'cj-uid' : spec.cronJobUid,
    manual: spec.manual ?? false,
    scheduledAt: at(spec.scheduled),
    createdAt: at(spec.scheduled),
    startedAt: at(spec.scheduled),
    completedAt: null,
    suspended: false,
    conditions: [],
  };
}

/** A Job that failed `after` minutes after it was scheduled. */
export function failedJob(
  spec: JobSpec & {after?: number; reason?: string; message?: string},
): JobInfo {
  const failedAt = at(spec.scheduled + (spec.after ?? 5));
  return {
    ...base(spec),
    conditions: [
      condition(
        'FailureTarget',
        failedAt,
        spec.reason ?? 'BackoffLimitExceeded',
        spec.message ?? 'Job has reached the specified backoff limit',
      ),
      condition(
        'Failed',
        failedAt,
        spec.reason ?? 'BackoffLimitExceeded',
        spec.message ?? 'Job has reached the specified backoff limit',
      ),
    ],
  };
}

/** A Job that completed `after` minutes after it was scheduled. */
export function succeededJob(spec: JobSpec & {after?: number}): JobInfo {
  const doneAt = at(spec.scheduled + (spec.after ?? 5));
  return {
    ...base(spec),
    completedAt: doneAt,
    conditions: [condition('SuccessCriteriaMet', doneAt), condition('Complete', doneAt)],
  };
}

/** A Job still running. */
export function runningJob(spec: JobSpec): JobInfo {
  return base(spec);
}
