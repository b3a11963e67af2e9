/**
 * Links into the Google Cloud Console for a CronJob and one of its Jobs. Pure: it only builds
 * URLs; messages show them (pieces.ts).
 */
import type {Subject} from '../incident-base.js';
import type {ClusterRef} from '../model.js';

/** Links into the Cloud Console, when the cluster's project and location are known. */
export interface ConsoleLinks {
  /** The CronJob's workload page. */
  cronJob: string;
  /** Logs Explorer, filtered to the pods of the failed Job, around its failure time. */
  logs: string;
}

/**
 * Logs Explorer window around the failure: a failed run's pods log from their start, and a
 * run can be long (up to its activeDeadlineSeconds), so a day back covers most runs; ten
 * minutes after covers pods still terminating. The user can widen it in the console.
 */
const LOGS_WINDOW_BEFORE_MS = 24 * 3600_000;
const LOGS_WINDOW_AFTER_MS = 10 * 60_000;

function isoSecondsOf(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The Cloud Console links for a CronJob and one of its Jobs; null for a cluster subject or
 * when the project or location is unknown (kubeconfig clusters). Pods are found by their
 * `job-name` label, which GKE's logging agent records as `labels."k8s-pod/job-name"`; the
 * newer `batch.kubernetes.io/job-name` label is recorded with its dots turned into
 * underscores, so both are queried.
 */
export function consoleLinksOf(
  context: {cluster: ClusterRef; subject: Subject},
  job: string,
  failedAt: string | null,
): ConsoleLinks | null {
  const {project, location, name: cluster} = context.cluster;
  const subject = context.subject;
  if (subject.type !== 'cronjob') return null;
  if (project === null || location === null || project === '' || location === '') return null;
  const path = [location, cluster, subject.namespace, subject.name].map(encodeURIComponent);
  const cronJob =
    `https://console.cloud.google.com/kubernetes/cronjob/${path.join('/')}/details` +
    `?project=${encodeURIComponent(project)}`;
  const quoted = (value: string) => JSON.stringify(value);
  const query = [
    'resource.type="k8s_container"',
    `resource.labels.cluster_name=${quoted(cluster)}`,
    `resource.labels.namespace_name=${quoted(subject.namespace)}`,
    `(labels."k8s-pod/job-name"=${quoted(job)} OR ` +
      `labels."k8s-pod/batch_kubernetes_io/job-name"=${quoted(job)})`,
  ].join('\n');
  let logs = `https://console.cloud.google.com/logs/query;query=${encodeURIComponent(query)}`;
  const at = failedAt === null ? Number.NaN : Date.parse(failedAt);
  if (!Number.isNaN(at)) {
    const from = isoSecondsOf(at - LOGS_WINDOW_BEFORE_MS);
    const to = isoSecondsOf(at + LOGS_WINDOW_AFTER_MS);
    logs += `;timeRange=${encodeURIComponent(`${from}/${to}`)}`;
  }
  logs += `?project=${encodeURIComponent(project)}`;
  return {cronJob, logs};
}
