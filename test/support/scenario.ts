/**
 * Builds realistic CronJob / Job / Pod objects (the shapes of test/fixtures/kubernetes) for
 * scripted scenarios: end-to-end tests, the demo and the benchmark put them on the
 * Kubernetes test server between passes.
 */
import type {KubeObject} from './kube-fixtures.js';

/** A CronJob in a scenario. */
export interface CronJobSpec {
  namespace: string;
  name: string;
  schedule?: string;
  timeZone?: string;
  uid?: string;
  /**
   * Default one day, with a `missed-grace` of one day besides: most scenarios are about
   * finished runs and script a clock that skips due times, which the missed-schedule
   * detection would (rightly) report — a due time whose next one came is missed however large
   * the starting deadline, so only the annotation holds it back. Set (or null: not set, as
   * most CronJobs), neither default applies.
   */
  startingDeadlineSeconds?: number | null;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  failedJobsHistoryLimit?: number;
  suspend?: boolean;
  /**
   * `metadata.managedFields`, as the API server keeps them: e.g. the entry of a manager that
   * changed `spec.suspend` (`suspendManagedFields`).
   */
  managedFields?: unknown[];
  /** Metadata annotations, e.g. `cronjob-watcher/slack-channel`. */
  annotations?: Record<string, string>;
}

/** One run of a CronJob in a scenario. */
export interface RunSpec {
  /** Scheduled time (ISO); also the Job's creation time. */
  scheduledAt: string;
  outcome: 'succeeded' | 'failed' | 'running';
  /** When it completed or failed (ISO); ignored for running. */
  finishedAt?: string;
  reason?: string;
  message?: string;
  manual?: boolean;
  /** Job name; default `<cronjob>-<unix minutes>` as the CronJob controller names them. */
  name?: string;
  /**
   * Add a failed Pod whose container ended this way (e.g. `OOMKilled`, exit 137), with the
   * container's termination `message` and the Pod's own `status` reason and message if given.
   */
  pod?: {
    reason: string;
    exitCode: number;
    message?: string;
    status?: {reason: string; message: string};
  };
  /** Add a Pending Pod whose container cannot start (e.g. `ImagePullBackOff`). */
  waiting?: {reason: string; message: string};
  /** A running Job held with `spec.suspend: true` since this time (by hand, Kueue…). */
  suspendedSince?: string;
}

/**
 * The managed fields of a CronJob created by `kubectl apply` at `created` and suspended or
 * resumed by `kubectl patch` at `patched`, as the API server records them.
 */
export function suspendManagedFields(created: string, patched: string): unknown[] {
  return [
    {
      manager: 'kubectl-client-side-apply',
      operation: 'Update',
      apiVersion: 'batch/v1',
      time: created,
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': {
          'f:annotations': {'.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {}},
        },
        'f:spec': {
          'f:concurrencyPolicy': {},
          'f:jobTemplate': {'f:spec': {'f:suspend': {}, 'f:template': {'f:spec': {}}}},
          'f:schedule': {},
        },
      },
    },
    {
      manager: 'kube-controller-manager',
      operation: 'Update',
      apiVersion: 'batch/v1',
      time: created,
      fieldsType: 'FieldsV1',
      fieldsV1: {'f:status': {'f:lastScheduleTime': {}, 'f:lastSuccessfulTime': {}}},
      subresource: 'status',
    },
    {
      manager: 'kubectl-patch',
      operation: 'Update',
      apiVersion: 'batch/v1',
      time: patched,
      fieldsType: 'FieldsV1',
      fieldsV1: {'f:spec': {'f:suspend': {}}},
    },
  ];
}

const FAILURE_MESSAGES: Record<string, string> = {
  BackoffLimitExceeded: 'Job has reached the specified backoff limit',
  DeadlineExceeded: 'Job was active longer than specified deadline',
};

/** Stable fake UIDs, so a scenario is the same every run. */
export function uidFor(...parts: string[]): string {
  let hash = 0x811c9dc5;
  for (const ch of parts.join('/')) {
    hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  }
  const hex = hash.toString(16).padStart(8, '0');
  return `${hex}-0000-4000-8000-${hex}${hex.slice(0, 4)}`;
}

const SCENARIO_STARTING_DEADLINE_S = 86_400;
const SCENARIO_MISSED_GRACE = '1d';

function annotationsOf(spec: CronJobSpec): {annotations?: Record<string, string>} {
  const scripted: Record<string, string> =
    spec.startingDeadlineSeconds === undefined
      ? {'cronjob-watcher/missed-grace': SCENARIO_MISSED_GRACE}
      : {};
  const annotations = {...scripted, ...spec.annotations};
  return Object.keys(annotations).length === 0 ? {} : {annotations};
}

export function cronJobObject(spec: CronJobSpec, status: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {
      name: spec.name,
      namespace: spec.namespace,
      uid: spec.uid ?? uidFor('cronjob', spec.namespace, spec.name),
      creationTimestamp: '2026-01-01T00:00:00Z',
      ...annotationsOf(spec),
      ...(spec.managedFields === undefined ? {} : {managedFields: spec.managedFields}),
    },
    spec: {
      schedule: spec.schedule ?? '0 * * * *',
      ...(spec.timeZone === undefined ? {} : {timeZone: spec.timeZone}),
      ...(spec.startingDeadlineSeconds === null
        ? {}
        : {startingDeadlineSeconds: spec.startingDeadlineSeconds ?? SCENARIO_STARTING_DEADLINE_S}),
      concurrencyPolicy: spec.concurrencyPolicy ?? 'Forbid',
      suspend: spec.suspend ?? false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: spec.failedJobsHistoryLimit ?? 1,
      jobTemplate: {
        spec: {
          backoffLimit: 2,
          template: {
            spec: {restartPolicy: 'Never', containers: [{name: 'main', image: 'busybox:1.36'}]},
          },
        },
      },
    },
    status,
  };
}

/** The Job name the CronJob controller gives a run (minutes since the epoch). */
export function jobNameFor(cronJob: CronJobSpec, run: RunSpec): string {
  if (run.name !== undefined) return run.name;
  const minutes = Math.floor(Date.parse(run.scheduledAt) / 60_000);
  return `${cronJob.name}-${minutes}`;
}

export function jobObject(cronJob: CronJobSpec, run: RunSpec): KubeObject {
  const name = jobNameFor(cronJob, run);
  const cronJobUid = cronJob.uid ?? uidFor('cronjob', cronJob.namespace, cronJob.name);
  const startTime = new Date(Date.parse(run.scheduledAt) + 1000)
    .toISOString()
    .replace('.000Z', 'Z');
  const finishedAt = run.finishedAt?.replace('.000Z', 'Z');
  const status: Record<string, unknown> = {startTime};
  if (run.outcome === 'succeeded') {
    Object.assign(status, {
      succeeded: 1,
      completionTime: finishedAt,
      conditions: [
        {
          type: 'SuccessCriteriaMet',
          status: 'True',
          lastProbeTime: finishedAt,
          lastTransitionTime: finishedAt,
        },
        {
          type: 'Complete',
          status: 'True',
          lastProbeTime: finishedAt,
          lastTransitionTime: finishedAt,
        },
      ],
    });
  } else if (run.outcome === 'failed') {
    const reason = run.reason ?? 'BackoffLimitExceeded';
    const message = run.message ?? FAILURE_MESSAGES[reason] ?? reason;
    Object.assign(status, {
      failed: 3,
      conditions: [
        {
          type: 'FailureTarget',
          status: 'True',
          reason,
          message,
          lastProbeTime: finishedAt,
          lastTransitionTime: finishedAt,
        },
        {
          type: 'Failed',
          status: 'True',
          reason,
          message,
          lastProbeTime: finishedAt,
          lastTransitionTime: finishedAt,
        },
      ],
    });
  } else if (run.suspendedSince !== undefined) {
    // A suspended Job's Pods are deleted; it stays active for its CronJob.
    Object.assign(status, {
      active: 0,
      conditions: [
        {
          type: 'Suspended',
          status: 'True',
          reason: 'JobSuspended',
          message: 'Job suspended',
          lastProbeTime: run.suspendedSince,
          lastTransitionTime: run.suspendedSince,
        },
      ],
    });
  } else {
    Object.assign(status, {active: 1, ready: 1});
  }
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cronJob.namespace,
      uid: uidFor('job', cronJob.namespace, name),
      creationTimestamp: run.scheduledAt.replace('.000Z', 'Z'),
      labels: {
        'batch.kubernetes.io/controller-uid': uidFor('job', cronJob.namespace, name),
        'batch.kubernetes.io/job-name': name,
      },
      annotations: {
        ...(run.manual
          ? {'cronjob.kubernetes.io/instantiate': 'manual'}
          : {
              'batch.kubernetes.io/cronjob-scheduled-timestamp': run.scheduledAt.replace(
                '.000Z',
                'Z',
              ),
            }),
      },
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          name: cronJob.name,
          uid: cronJobUid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      backoffLimit: 2,
      completions: 1,
      parallelism: 1,
      ...(run.suspendedSince === undefined ? {} : {suspend: true}),
    },
    status,
  };
}

/** The name `podObject` gives the Pod of a run (to serve its log). */
export function podNameFor(cronJob: CronJobSpec, run: RunSpec): string {
  return `${jobNameFor(cronJob, run)}-x7k2p`;
}

/**
 * The Pod of a run, so the watcher can say why it failed (`pod`: its container ended that way)
 * or why it does not run (`waiting`: its container cannot start); null without either.
 */
export function podObject(cronJob: CronJobSpec, run: RunSpec): KubeObject | null {
  const main = {name: 'main', ready: false, restartCount: 0};
  let phase: string;
  let state: Record<string, unknown>;
  if (run.waiting !== undefined) {
    phase = 'Pending';
    state = {waiting: run.waiting};
  } else if (run.pod !== undefined) {
    phase = 'Failed';
    state = {
      terminated: {
        reason: run.pod.reason,
        exitCode: run.pod.exitCode,
        finishedAt: run.finishedAt,
        ...(run.pod.message === undefined ? {} : {message: run.pod.message}),
      },
    };
  } else {
    return null;
  }
  const job = jobNameFor(cronJob, run);
  const jobUid = uidFor('job', cronJob.namespace, job);
  const name = podNameFor(cronJob, run);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: cronJob.namespace,
      uid: uidFor('pod', cronJob.namespace, name),
      creationTimestamp: run.scheduledAt.replace('.000Z', 'Z'),
      labels: {
        'batch.kubernetes.io/controller-uid': jobUid,
        'batch.kubernetes.io/job-name': job,
        'controller-uid': jobUid,
        'job-name': job,
      },
    },
    spec: {restartPolicy: 'Never', containers: [{name: 'main', image: 'busybox:1.36'}]},
    status: {phase, containerStatuses: [{...main, state}], ...run.pod?.status},
  };
}

/** Every object for a CronJob and its runs. */
export function objectsFor(
  cronJob: CronJobSpec,
  runs: RunSpec[],
): {cronJob: KubeObject; jobs: KubeObject[]; pods: KubeObject[]} {
  const lastSuccess = runs
    .filter(r => r.outcome === 'succeeded')
    .map(r => r.finishedAt)
    .sort()
    .at(-1);
  const last = runs
    .map(r => r.scheduledAt)
    .sort()
    .at(-1);
  return {
    cronJob: cronJobObject(cronJob, {
      ...(last ? {lastScheduleTime: last} : {}),
      ...(lastSuccess ? {lastSuccessfulTime: lastSuccess} : {}),
      active: runs
        .filter(r => r.outcome === 'running')
        .map(r => ({
          kind: 'Job',
          namespace: cronJob.namespace,
          name: jobNameFor(cronJob, r),
          apiVersion: 'batch/v1',
        })),
    }),
    jobs: runs.map(r => jobObject(cronJob, r)),
    pods: runs.flatMap(r => podObject(cronJob, r) ?? []),
  };
}
