/**
 * Reads CronJobs, Jobs and Pods from one Kubernetes cluster, through a `KubeTransport`.
 *
 * The reader sends its own GETs and parses the answers itself rather than use client-node's
 * typed APIs, which run every response through `ObjectSerializer.deserialize`: one Job whose
 * `status.conditions` is not a list makes it throw `data is not iterable` for the whole page
 * (hiding every other Job), a string in a list field is silently split into characters, and
 * `new Date('garbage')` silently yields Invalid Date. Here each object reaches `parseCronJob` /
 * `parseJob` / `parsePod` as the API sent it, and a malformed one becomes an `ObjectProblem`
 * instead of failing the listing.
 *
 * A cluster's Jobs outnumber its CronJobs ten to one, so Jobs no decision can need are dropped
 * as they arrive (core/run-keeping.ts), model objects are compacted as they are made
 * (interning.ts), and pages are parsed as they arrive (paging.ts).
 */
import {ClusterError} from '../../core/errors.js';
import {isObject} from '../../core/json.js';
import {
  parseCronJob,
  parseJob,
  parseJobEvent,
  parsePod,
  type Parsed,
} from '../../core/kube-objects.js';
import type {
  ClusterRef,
  ClusterSnapshot,
  CronJobInfo,
  JobEvent,
  JobInfo,
  ObjectProblem,
  PodInfo,
} from '../../core/model.js';
import {
  keptJobsOf,
  noRunsKept,
  placeRun,
  withPlacement,
  type KeptRuns,
} from '../../core/run-keeping.js';
import type {Logger} from '../../logger.js';
import type {ClusterReader, RunSelection} from '../../ports.js';
import {compactCronJob, compactJob, StringPool} from './interning.js';
import {Pager, type Listed, type Sink} from './paging.js';
import {KubeHttp, type KubeTransport, type Operation} from './transport.js';

/** Options of `KubernetesClusterReader`. */
export interface KubernetesClusterReaderOptions {
  /** Objects per list page (`limit`). Default 500. */
  pageSize?: number;
  /** Limit for one request, body included. Default 30 000 ms. */
  requestTimeoutMs?: number;
  /** Where to report Pods that could not be read (they are skipped). */
  logger?: Logger;
}

// kubectl's default chunk size: few round trips for a typical cluster, while each answer (and
// the API server's memory for it) stays bounded.
const DEFAULT_PAGE_SIZE = 500;
// A healthy API server answers a 500-object page in well under a second; 30 s tolerates a
// loaded control plane and still leaves most of a pass's budget for the other clusters.
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

// The labels that tie a Pod to its Job's UID, newest first: 1.27+ sets both, older clusters only
// the unprefixed one.
const POD_JOB_UID_LABELS = ['batch.kubernetes.io/controller-uid', 'controller-uid'] as const;
// Jobs per Pod listing: 50 UIDs make a selector of ~2 KB, well within what API servers and the
// proxies in front of them accept in a URL (8 KB and more), and 50 failed Jobs' Pods (at most
// backoffLimit + 1 each) are a few pages.
const JOBS_PER_POD_LISTING = 50;

/**
 * Keeps, per CronJob, only the Jobs `RunSelection` asks for (the rule is `placeRun`), deciding
 * as each Job arrives. Jobs of no listed CronJob are dropped (nothing reads them).
 */
class RunKeeper implements Sink<JobInfo> {
  readonly problems: ObjectProblem[] = [];
  private readonly kept = new Map<string, {runs: KeptRuns; others: JobInfo[]}>();

  constructor(cronJobs: CronJobInfo[], selection: RunSelection) {
    for (const cronJob of cronJobs) {
      this.kept.set(cronJob.uid, {runs: noRunsKept(selection.since(cronJob)), others: []});
    }
  }

  add(job: JobInfo): void {
    const kept = job.cronJobUid === null ? undefined : this.kept.get(job.cronJobUid);
    if (kept === undefined) return;
    const placement = placeRun(kept.runs, job);
    kept.runs = withPlacement(kept.runs, placement);
    if (placement.keep) kept.others.push(job);
  }

  finish(): Listed<JobInfo> {
    const values: JobInfo[] = [];
    for (const kept of this.kept.values()) {
      for (const job of keptJobsOf(kept.runs, kept.others)) values.push(job);
    }
    return {values, problems: this.problems};
  }
}

/** Reads one cluster. Throws `ClusterError` when it cannot be read. */
export class KubernetesClusterReader implements ClusterReader {
  private readonly http: KubeHttp;
  private readonly pager: Pager;
  private readonly logger: Logger | null;

  constructor(
    readonly ref: ClusterRef,
    transport: KubeTransport,
    options: KubernetesClusterReaderOptions = {},
  ) {
    const pageSize = positive(options.pageSize, DEFAULT_PAGE_SIZE, 'pageSize', ref);
    const requestTimeoutMs = positive(
      options.requestTimeoutMs,
      DEFAULT_REQUEST_TIMEOUT_MS,
      'requestTimeoutMs',
      ref,
    );
    this.http = new KubeHttp(ref, transport, requestTimeoutMs);
    this.pager = new Pager(this.http, pageSize);
    this.logger = options.logger ?? null;
  }

  async read(options: {
    namespaces: string[] | null;
    runs?: RunSelection;
    deadline?: Date;
    cronJobSelector?: string;
  }): Promise<ClusterSnapshot> {
    const deadline = options.deadline ?? null;
    const scopes: Array<string | null> =
      options.namespaces === null ? [null] : [...new Set(options.namespaces)];
    const cronJobs: CronJobInfo[] = [];
    const jobs: JobInfo[] = [];
    const problems: ObjectProblem[] = [];
    const strings = new StringPool();
    for (const namespace of scopes) {
      const listedCronJobs = await this.pager.list({
        path: batchPath('cronjobs', namespace),
        operation: {verb: 'list', resource: 'cronjobs.batch', namespace},
        labelSelector: options.cronJobSelector || null,
        // When spec.suspend last changed (missed runs count from a resumption).
        split: {keepSuspendOwners: true},
        parseItem: raw => {
          const parsed = parseCronJob(raw);
          if (parsed.ok) compactCronJob(parsed.value, strings);
          return parsed;
        },
        deadline,
      });
      cronJobs.push(...listedCronJobs.values);
      problems.push(...listedCronJobs.problems);
      // A fresh keeper per attempt: a listing restarted after 410 starts from nothing.
      const selection = options.runs;
      const listedJobs = await this.pager.list({
        path: batchPath('jobs', namespace),
        operation: {verb: 'list', resource: 'jobs.batch', namespace},
        labelSelector: null,
        parseItem: raw => {
          const parsed = parseJob(raw);
          if (parsed.ok) compactJob(parsed.value, strings);
          return parsed;
        },
        ...(selection === undefined
          ? {}
          : {sink: () => new RunKeeper(listedCronJobs.values, selection)}),
        deadline,
      });
      for (const job of listedJobs.values) jobs.push(job);
      problems.push(...listedJobs.problems);
    }
    return {cluster: this.ref, cronJobs, jobs, problems};
  }

  async jobEvents(job: {namespace: string; name: string}, deadline?: Date): Promise<JobEvent[]> {
    const path = `/api/v1/namespaces/${encodeURIComponent(job.namespace)}/events`;
    const operation: Operation = {verb: 'list', resource: 'events', namespace: job.namespace};
    // One Job has a handful of events: one page, no paging.
    const page = await this.http.get(
      path,
      {
        fieldSelector: `involvedObject.kind=Job,involvedObject.name=${job.name}`,
        limit: String(this.pager.pageSize),
      },
      operation,
      new AbortController().signal,
      deadline ?? null,
    );
    let body: unknown;
    try {
      body = JSON.parse(page.bytes.toString('utf8'));
    } catch (error) {
      throw this.http.error('BAD_RESPONSE', `the answer to GET ${path} is not JSON`, error);
    }
    const items = isObject(body) && Array.isArray(body.items) ? body.items : [];
    const events: JobEvent[] = [];
    for (const item of items) {
      const parsed = parseJobEvent(item);
      if (parsed !== null) events.push(parsed);
    }
    return events.sort((a, b) => (b.at?.getTime() ?? 0) - (a.at?.getTime() ?? 0));
  }

  async podsOfJob(
    job: {namespace: string; name: string; uid: string},
    deadline?: Date,
  ): Promise<PodInfo[]> {
    const found = await this.podsByJobUid(
      job.namespace,
      [job],
      (label, [uid]) => `${label}=${uid}`,
      deadline ?? null,
    );
    return found.get(job.uid) ?? [];
  }

  /**
   * The Pods of several Jobs of one namespace, by Job UID, each list what `podsOfJob` gives for
   * that Job, with listings of up to `JOBS_PER_POD_LISTING` Jobs (`<label> in (uid,…)`).
   */
  async podsOfJobs(
    namespace: string,
    jobs: Array<{name: string; uid: string}>,
    deadline?: Date,
  ): Promise<Map<string, PodInfo[]>> {
    return this.podsByJobUid(
      namespace,
      jobs,
      (label, uids) => `${label} in (${uids.join(',')})`,
      deadline ?? null,
    );
  }

  /**
   * The one Pod lookup: by the 1.27+ label first, then by the older one for the Jobs that had
   * no Pod (and no unreadable one) under it. A Pod that cannot be read is logged and skipped;
   * its Job gets no second listing.
   */
  private async podsByJobUid(
    namespace: string,
    jobs: Array<{name: string; uid: string}>,
    selectorOf: (label: string, uids: string[]) => string,
    deadline: Date | null,
  ): Promise<Map<string, PodInfo[]>> {
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
    const operation: Operation = {verb: 'list', resource: 'pods', namespace};
    const names = new Map(jobs.map(job => [job.uid, job.name]));
    const found = new Map<string, PodInfo[]>();
    const unreadable = new Set<string>();
    const problemJobs = new Map<ObjectProblem, string>();
    for (const label of POD_JOB_UID_LABELS) {
      const wanted = [...names.keys()].filter(uid => !found.has(uid) && !unreadable.has(uid));
      for (let start = 0; start < wanted.length; start += JOBS_PER_POD_LISTING) {
        const chunk = wanted.slice(start, start + JOBS_PER_POD_LISTING);
        // A Pod too broken to show its labels was still selected by them: with one Job asked
        // for, it is that Job's.
        const only = chunk.length === 1 ? (chunk[0] as string) : null;
        const listed = await this.pager.list({
          path,
          operation,
          labelSelector: selectorOf(label, chunk),
          parseItem: (raw): Parsed<{uid: string | null; pod: PodInfo}> => {
            const uid = labelOf(raw, label) ?? only;
            const parsed = parsePod(raw);
            if (parsed.ok) return {ok: true, value: {uid, pod: parsed.value}};
            if (uid !== null) {
              unreadable.add(uid);
              problemJobs.set(parsed.problem, uid);
            }
            return parsed;
          },
          deadline,
        });
        for (const {uid, pod} of listed.values) {
          if (uid === null || !names.has(uid)) continue;
          const pods = found.get(uid);
          if (pods === undefined) found.set(uid, [pod]);
          else pods.push(pod);
        }
        for (const problem of listed.problems) {
          this.skippedPod(problem, names.get(problemJobs.get(problem) ?? '') ?? null);
        }
      }
    }
    for (const uid of names.keys()) if (!found.has(uid)) found.set(uid, []);
    return found;
  }

  /** A Pod only explains a failure; the verdict does not depend on it, so skip it loudly. */
  private skippedPod(problem: ObjectProblem, jobName: string | null): void {
    this.logger?.log(
      'WARNING',
      `skipped an unreadable Pod of ${jobName === null ? 'a Job' : `Job ${jobName}`}`,
      {
        cluster: this.ref.name,
        namespace: problem.namespace,
        pod: problem.name,
        problem: problem.problem,
      },
    );
  }

  async podLog(
    pod: {namespace: string; name: string; container: string},
    options: {tailLines: number; limitBytes: number; deadline?: Date},
  ): Promise<string> {
    const path =
      `/api/v1/namespaces/${encodeURIComponent(pod.namespace)}` +
      `/pods/${encodeURIComponent(pod.name)}/log`;
    const query = {
      container: pod.container,
      tailLines: String(options.tailLines),
      limitBytes: String(options.limitBytes),
    };
    const operation: Operation = {verb: 'get', resource: 'pods/log', namespace: pod.namespace};
    try {
      const page = await this.http.get(
        path,
        query,
        operation,
        new AbortController().signal,
        options.deadline ?? null,
      );
      return page.bytes.toString('utf8');
    } catch (error) {
      // The generic 404 wording suspects the server URL; for a log it means the Pod is gone.
      if (error instanceof ClusterError && error.code === 'NOT_FOUND') {
        throw this.http.error('NOT_FOUND', `pod ${pod.namespace}/${pod.name} is gone`, error);
      }
      throw error;
    }
  }
}

/** A label of a raw object, when it is a string. */
function labelOf(raw: unknown, label: string): string | null {
  const metadata = isObject(raw) ? raw.metadata : null;
  const labels = isObject(metadata) ? metadata.labels : null;
  const value = isObject(labels) ? labels[label] : null;
  return typeof value === 'string' ? value : null;
}

function batchPath(plural: 'cronjobs' | 'jobs', namespace: string | null): string {
  return namespace === null
    ? `/apis/batch/v1/${plural}`
    : `/apis/batch/v1/namespaces/${encodeURIComponent(namespace)}/${plural}`;
}

function positive(
  value: number | undefined,
  fallback: number,
  name: string,
  ref: ClusterRef,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) {
    throw new ClusterError(
      'CONFIG',
      `cluster ${ref.name}: ${name} must be a positive whole number, got ${value}`,
    );
  }
  return value;
}
