/**
 * Reads CronJobs, Jobs and Pods from one Kubernetes cluster with `@kubernetes/client-node`.
 *
 * How the raw JSON is obtained, and why: client-node's typed APIs (`BatchV1Api.list…`) run every
 * response through `ObjectSerializer.deserialize`, which is unsafe for a watcher that must judge
 * every object it can: one Job whose `status.conditions` is not a list makes it throw
 * `data is not iterable` for the whole page (hiding every other Job), a string in a list field
 * is silently split into characters, and `new Date('garbage')` silently yields Invalid Date.
 * So this adapter still lets client-node do everything that touches credentials and transport —
 * `KubeConfig.applySecurityAuthentication` (kubeconfig token, exec/auth-provider plugins, client
 * certificates, the cluster CA, proxy, `tls-server-name`: headers on a `RequestContext` and the
 * undici dispatcher it builds) — but sends the request with that dispatcher's own `request`
 * rather than client-node's `IsomorphicFetchHttpLibrary` (undici's `fetch` over the same
 * dispatcher: its WHATWG streams cost ~0.5 s of CPU per 50,000 Jobs, and ~0.6 ms per request, in
 * issue 14's benchmark), and reads the body as bytes and parses it itself, so each object
 * reaches `parseCronJob` / `parseJob` / `parsePod` as the API sent it, and a malformed one becomes
 * an `ObjectProblem` instead of failing the listing.
 *
 * Memory and speed (issue 14): a cluster's Jobs outnumber its CronJobs ten to one and a raw Job
 * is ~3 KB, so raw objects are never collected. Each page is parsed as soon as it arrives — its
 * JSON into model objects, in one synchronous step, after which nothing refers to the raw
 * page — so the memory of a read is the model objects plus at most two pages of text (the one
 * being parsed and the next one, fetched meanwhile). Model objects are compacted as they are
 * made: strings that repeat across objects (namespaces, owner UIDs, condition types, reasons
 * and messages) are shared, and so are equal times within one Job; the snapshot is read-only
 * by contract, so sharing is invisible. Every request of a reader goes through one keep-alive
 * dispatcher: client-node builds a new undici `Agent` (a new TLS connection) per request.
 */
// By file, not from the package's index, which loads its generated code (client-node-slim.ts).
import type {KubeConfig} from '@kubernetes/client-node/dist/config.js';
import {HttpMethod, RequestContext} from '@kubernetes/client-node/dist/gen/http/http.js';
import {getGlobalDispatcher, type Dispatcher} from 'undici';
import {ClusterError, describeError, type ClusterErrorCode} from '../core/errors.js';
import {isObject} from '../core/json.js';
import {
  parseCronJob,
  parseJob,
  parseJobEvent,
  parsePod,
  type Parsed,
} from '../core/kube-objects.js';
import type {
  ClusterRef,
  ClusterSnapshot,
  CronJobInfo,
  JobInfo,
  ObjectProblem,
  PodInfo,
  JobEvent,
} from '../core/model.js';
import {compareMarks, judgeJob, outcomeMs, runStartMs} from '../core/verdict.js';
import type {RunMark} from '../core/incident.js';
import type {ClusterReader, RunSelection} from '../ports.js';
import type {Logger} from '../logger.js';

/** Options of `KubernetesClusterReader`. */
export interface KubernetesClusterReaderOptions {
  /** Objects per list page (`limit`). Default 500. */
  pageSize?: number;
  /** Limit for one request, body included. Default 30 000 ms. */
  requestTimeoutMs?: number;
  /**
   * Gives a fresh bearer token for each request (GKE: a Google access token, refreshed before
   * it expires). Overrides any token in the kubeconfig user.
   */
  tokenProvider?: () => Promise<string>;
  /** Where to report Pods that could not be read (they are skipped). */
  logger?: Logger;
}

// kubectl's default chunk size: few round trips for a typical cluster, while each answer (and
// the API server's memory for it) stays bounded.
const DEFAULT_PAGE_SIZE = 500;
// A healthy API server answers a 500-object page in well under a second; 30 s tolerates a
// loaded control plane and still leaves most of a pass's budget for the other clusters.
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
// A server that keeps sending continue tokens would otherwise loop forever; 100 000 pages of
// 500 is far beyond any real cluster.
const MAX_PAGES = 100_000;
// Shortest string treated as a secret when redacting messages (see `redact`).
const MIN_SECRET_CHARS = 8;
// Enough of a non-JSON body to recognise it (an HTML error page, a proxy message).
const BODY_EXCERPT_CHARS = 120;

const RBAC_HINT =
  "the watcher's identity needs list on cronjobs, jobs, pods and events (see infra/k8s/rbac.yaml; rbac-namespace.yaml with NAMESPACES)";

/** TLS verification failures as Node and undici report them. */
const TLS_ERROR_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** What a request was for, to word errors. */
interface Operation {
  verb: 'list' | 'get';
  /** `cronjobs.batch`, `jobs.batch`, `pods`, `pods/log`. */
  resource: string;
  namespace: string | null;
}

/** What one listing gave: parsed objects and the ones that could not be judged. */
interface Listed<T> {
  values: T[];
  problems: ObjectProblem[];
}

/** The body of a 2xx answer, with its content type for error messages. */
interface PageText {
  bytes: Buffer;
  contentType: string;
}

/** Where one listing attempt puts what it parses. */
interface Sink<T> {
  problems: ObjectProblem[];
  add(value: T): void;
  finish(): Listed<T>;
}

/** Keeps everything. */
class ListSink<T> implements Sink<T> {
  readonly values: T[] = [];
  readonly problems: ObjectProblem[] = [];

  add(value: T): void {
    this.values.push(value);
  }

  finish(): Listed<T> {
    return {values: this.values, problems: this.problems};
  }
}

/** A Job with its place among its CronJob's runs. */
interface PlacedJob {
  job: JobInfo;
  /** Outcome order (finished runs only). */
  atMs: number;
}

/** What is kept of one CronJob's Jobs (see `RunSelection`). */
interface KeptRuns {
  since: RunMark | null | undefined;
  newestFinished: PlacedJob | null;
  newestStarted: PlacedJob | null;
  others: JobInfo[];
}

/**
 * Keeps, per CronJob, only the Jobs `RunSelection` asks for, deciding as each Job arrives,
 * so a read holds a few Jobs per CronJob rather than all of them. Jobs of no listed CronJob
 * are dropped (nothing reads them).
 */
class RunKeeper implements Sink<JobInfo> {
  readonly problems: ObjectProblem[] = [];
  private readonly kept = new Map<string, KeptRuns>();

  constructor(cronJobs: CronJobInfo[], selection: RunSelection) {
    for (const cronJob of cronJobs) {
      this.kept.set(cronJob.uid, {
        since: selection.since(cronJob),
        newestFinished: null,
        newestStarted: null,
        others: [],
      });
    }
  }

  add(job: JobInfo): void {
    const kept = job.cronJobUid === null ? undefined : this.kept.get(job.cronJobUid);
    if (kept === undefined) return;
    const verdict = judgeJob(job);
    const startMs = runStartMs(verdict, job) ?? -Infinity;
    if (
      kept.newestStarted === null ||
      compareMarks({atMs: startMs, job: job.name}, placeOf(kept.newestStarted)) > 0
    ) {
      kept.newestStarted = {job, atMs: startMs};
    }
    if (verdict.outcome !== 'succeeded' && verdict.outcome !== 'failed') {
      kept.others.push(job);
      return;
    }
    const atMs = outcomeMs(verdict, job);
    // A finished Job with no time cannot be placed; decisions skip it too.
    if (atMs === null) return;
    const placed = {job, atMs};
    if (
      kept.newestFinished === null ||
      compareMarks(placeOf(placed), placeOf(kept.newestFinished)) > 0
    ) {
      kept.newestFinished = placed;
    }
    if (
      kept.since === null ||
      (kept.since !== undefined && compareMarks(placeOf(placed), kept.since) > 0)
    ) {
      kept.others.push(job);
    }
  }

  finish(): Listed<JobInfo> {
    const values: JobInfo[] = [];
    for (const kept of this.kept.values()) {
      const jobs = new Set(kept.others);
      if (kept.newestFinished !== null) jobs.add(kept.newestFinished.job);
      if (kept.newestStarted !== null) jobs.add(kept.newestStarted.job);
      for (const job of jobs) values.push(job);
    }
    return {values, problems: this.problems};
  }
}

function placeOf(placed: PlacedJob): {atMs: number; job: string} {
  return {atMs: placed.atMs, job: placed.job.name};
}

/** A page request in flight; `abandon` cancels it and silences its outcome. */
interface InFlight {
  continueToken: string | null;
  text: Promise<PageText>;
  abandon(): void;
}

// The API server writes `metadata` (with `continue`) before `items`; the token is found in the
// first few hundred bytes, so the next page can be requested before this one is parsed.
const CONTINUE_SNIFF_CHARS = 4096;
const CONTINUE_IN_HEAD = /"continue"\s*:\s*"([^"\\]*)"/;

// The labels that tie a Pod to its Job's UID, newest first: 1.27+ sets both, older clusters only
// the unprefixed one.
const POD_JOB_UID_LABELS = ['batch.kubernetes.io/controller-uid', 'controller-uid'] as const;
// Jobs per Pod listing: 50 UIDs make a selector of ~2 KB, well within what API servers and the
// proxies in front of them accept in a URL (8 KB and more), and 50 failed Jobs' Pods (at most
// backoffLimit + 1 each) are a few pages.
const JOBS_PER_POD_LISTING = 50;

class ExpiredContinue extends Error {}

/** Shares equal strings, so ten thousand Jobs of one namespace hold its name once. */
class StringPool {
  private readonly pool = new Map<string, string>();

  share(value: string): string;
  share(value: string | null): string | null;
  share(value: string | null): string | null {
    if (value === null) return null;
    const known = this.pool.get(value);
    if (known !== undefined) return known;
    this.pool.set(value, value);
    return value;
  }
}

/** Reads one cluster through client-node. Throws `ClusterError` when it cannot be read. */
export class KubernetesClusterReader implements ClusterReader {
  private readonly pageSize: number;
  private readonly requestTimeoutMs: number;
  private readonly tokenProvider: (() => Promise<string>) | null;
  private readonly logger: Logger | null;
  /**
   * The keep-alive dispatcher of every request of this reader (see the file comment); none when
   * the kubeconfig needs no TLS setting (a publicly trusted endpoint): then undici's global one,
   * as `fetch` would use.
   */
  private dispatcher: Dispatcher | undefined;
  /** Tokens this reader has sent, so that no error message can ever repeat one. */
  private readonly secrets = new Set<string>();

  constructor(
    readonly ref: ClusterRef,
    private readonly kubeConfig: KubeConfig,
    options: KubernetesClusterReaderOptions = {},
  ) {
    this.pageSize = positive(options.pageSize, DEFAULT_PAGE_SIZE, 'pageSize', ref);
    this.requestTimeoutMs = positive(
      options.requestTimeoutMs,
      DEFAULT_REQUEST_TIMEOUT_MS,
      'requestTimeoutMs',
      ref,
    );
    this.tokenProvider = options.tokenProvider ?? null;
    this.logger = options.logger ?? null;
    const userToken = kubeConfig.getCurrentUser()?.token;
    if (userToken) this.secrets.add(userToken);
  }

  async read(options: {
    namespaces: string[] | null;
    runs?: RunSelection;
    deadline?: Date;
  }): Promise<ClusterSnapshot> {
    const deadline = options.deadline ?? null;
    const scopes: Array<string | null> =
      options.namespaces === null ? [null] : [...new Set(options.namespaces)];
    const cronJobs: CronJobInfo[] = [];
    const jobs: JobInfo[] = [];
    const problems: ObjectProblem[] = [];
    const strings = new StringPool();
    for (const namespace of scopes) {
      const listedCronJobs = await this.listParsed(
        batchPath('cronjobs', namespace),
        {verb: 'list', resource: 'cronjobs.batch', namespace},
        null,
        raw => {
          const parsed = parseCronJob(raw);
          if (parsed.ok) compactCronJob(parsed.value, strings);
          return parsed;
        },
        undefined,
        deadline,
      );
      cronJobs.push(...listedCronJobs.values);
      problems.push(...listedCronJobs.problems);
      // A fresh keeper per attempt: a listing restarted after 410 starts from nothing.
      const selection = options.runs;
      const listedJobs = await this.listParsed(
        batchPath('jobs', namespace),
        {verb: 'list', resource: 'jobs.batch', namespace},
        null,
        raw => {
          const parsed = parseJob(raw);
          if (parsed.ok) compactJob(parsed.value, strings);
          return parsed;
        },
        selection === undefined ? undefined : () => new RunKeeper(listedCronJobs.values, selection),
        deadline,
      );
      for (const job of listedJobs.values) jobs.push(job);
      problems.push(...listedJobs.problems);
    }
    return {cluster: this.ref, cronJobs, jobs, problems};
  }

  async jobEvents(job: {namespace: string; name: string}, deadline?: Date): Promise<JobEvent[]> {
    const path = `/api/v1/namespaces/${encodeURIComponent(job.namespace)}/events`;
    const operation: Operation = {verb: 'list', resource: 'events', namespace: job.namespace};
    // One Job has a handful of events: one page, no paging.
    const page = await this.request(
      path,
      {
        fieldSelector: `involvedObject.kind=Job,involvedObject.name=${job.name}`,
        limit: String(this.pageSize),
      },
      operation,
      new AbortController().signal,
      deadline ?? null,
    );
    let body: unknown;
    try {
      body = JSON.parse(page.bytes.toString('utf8'));
    } catch (error) {
      throw this.error('BAD_RESPONSE', `the answer to GET ${path} is not JSON`, error);
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
    const until = deadline ?? null;
    const path = `/api/v1/namespaces/${encodeURIComponent(job.namespace)}/pods`;
    const operation: Operation = {verb: 'list', resource: 'pods', namespace: job.namespace};
    // 1.27+ labels pods `batch.kubernetes.io/controller-uid`; older clusters only `controller-uid`.
    let listed = await this.listParsed(
      path,
      operation,
      `batch.kubernetes.io/controller-uid=${job.uid}`,
      parsePod,
      undefined,
      until,
    );
    if (listed.values.length === 0 && listed.problems.length === 0) {
      listed = await this.listParsed(
        path,
        operation,
        `controller-uid=${job.uid}`,
        parsePod,
        undefined,
        until,
      );
    }
    for (const problem of listed.problems) this.skippedPod(problem, job.name);
    return listed.values;
  }

  /**
   * The Pods of several Jobs of one namespace, by Job UID, each list what `podsOfJob` gives for
   * that Job: listings with a set-based selector (`<label> in (uid,…)`) of up to
   * `JOBS_PER_POD_LISTING` Jobs, by the 1.27+ label first, then by the older one for the Jobs
   * that had no Pod (and no unreadable one) under it. A pass that explains 250 failed runs makes
   * a few requests instead of 250 to 500 (issue 14).
   */
  async podsOfJobs(
    namespace: string,
    jobs: Array<{name: string; uid: string}>,
    deadline?: Date,
  ): Promise<Map<string, PodInfo[]>> {
    const until = deadline ?? null;
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
    const operation: Operation = {verb: 'list', resource: 'pods', namespace};
    const names = new Map(jobs.map(job => [job.uid, job.name]));
    const found = new Map<string, PodInfo[]>();
    // Jobs with a Pod that could not be read: like `podsOfJob`, no second listing for them.
    const unreadable = new Set<string>();
    const problemJobs = new Map<ObjectProblem, string>();
    for (const label of POD_JOB_UID_LABELS) {
      const wanted = [...names.keys()].filter(uid => !found.has(uid) && !unreadable.has(uid));
      for (let start = 0; start < wanted.length; start += JOBS_PER_POD_LISTING) {
        const chunk = wanted.slice(start, start + JOBS_PER_POD_LISTING);
        const listed = await this.listParsed(
          path,
          operation,
          `${label} in (${chunk.join(',')})`,
          (raw): Parsed<{uid: string | null; pod: PodInfo}> => {
            const uid = labelOf(raw, label);
            const parsed = parsePod(raw);
            if (parsed.ok) return {ok: true, value: {uid, pod: parsed.value}};
            if (uid !== null) {
              unreadable.add(uid);
              problemJobs.set(parsed.problem, uid);
            }
            return parsed;
          },
          undefined,
          until,
        );
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
      const page = await this.request(
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
        throw this.error('NOT_FOUND', `pod ${pod.namespace}/${pod.name} is gone`, error);
      }
      throw error;
    }
  }

  /**
   * Every object of a list, parsed page by page. An expired continue token (410 Expired)
   * restarts the listing from the first page once, discarding what the first attempt parsed:
   * the objects changed faster than we paged, and a fresh consistent listing is the only
   * correct answer. A second expiry gives up.
   */
  private async listParsed<T>(
    path: string,
    operation: Operation,
    labelSelector: string | null,
    parseItem: (raw: unknown) => Parsed<T>,
    sink?: () => Sink<T>,
    deadline: Date | null = null,
  ): Promise<Listed<T>> {
    try {
      return await this.listPages(path, operation, labelSelector, parseItem, sink, deadline);
    } catch (error) {
      if (!(error instanceof ExpiredContinue)) throw error;
    }
    try {
      return await this.listPages(path, operation, labelSelector, parseItem, sink, deadline);
    } catch (error) {
      if (!(error instanceof ExpiredContinue)) throw error;
      throw this.error(
        'EXPIRED',
        `the list of ${operation.resource}${scopeWords(operation)} changed faster than it could be paged: ` +
          `the continue token expired (410 Expired) again after restarting from the first page. ` +
          `The next pass will try again; a larger page size (PAGE_SIZE, now ${this.pageSize}) needs fewer pages.`,
        error.cause,
      );
    }
  }

  /**
   * One attempt at a listing. While a page is parsed, the next one is already on its way: its
   * continue token is read from the head of the text before the whole page is parsed.
   */
  private async listPages<T>(
    path: string,
    operation: Operation,
    labelSelector: string | null,
    parseItem: (raw: unknown) => Parsed<T>,
    sink: () => Sink<T> = () => new ListSink<T>(),
    deadline: Date | null = null,
  ): Promise<Listed<T>> {
    const listed = sink();
    let current = this.startPage(path, operation, labelSelector, null, deadline);
    for (let page = 0; page < MAX_PAGES; page++) {
      let next: InFlight | null = null;
      try {
        const page = await current.text;
        const sniffed = sniffContinue(page.bytes);
        if (sniffed !== null && sniffed !== current.continueToken) {
          next = this.startPage(path, operation, labelSelector, sniffed, deadline);
        }
        const continueToken = this.parsePage(page, path, parseItem, listed);
        if (continueToken === null) {
          next?.abandon();
          return listed.finish();
        }
        if (continueToken === current.continueToken) {
          throw this.error(
            'BAD_RESPONSE',
            `the API server sent the same continue token twice for GET ${path}; stopped paging`,
          );
        }
        if (next === null || next.continueToken !== continueToken) {
          next?.abandon();
          next = this.startPage(path, operation, labelSelector, continueToken, deadline);
        }
      } catch (error) {
        next?.abandon();
        throw error;
      }
      current = next;
    }
    current.abandon();
    throw this.error('BAD_RESPONSE', `GET ${path} did not end after ${MAX_PAGES} pages`);
  }

  private startPage(
    path: string,
    operation: Operation,
    labelSelector: string | null,
    continueToken: string | null,
    deadline: Date | null,
  ): InFlight {
    const query: Record<string, string> = {limit: String(this.pageSize)};
    if (labelSelector !== null) query.labelSelector = labelSelector;
    if (continueToken !== null) query.continue = continueToken;
    const abandoned = new AbortController();
    const text = this.request(path, query, operation, abandoned.signal, deadline);
    // A page that is abandoned (an error elsewhere, a token that did not match) may still
    // fail later; that failure means nothing.
    text.catch(() => undefined);
    return {continueToken, text, abandon: () => abandoned.abort()};
  }

  /**
   * Parses one page into `listed`; returns its continue token. Synchronous on purpose: the raw
   * page lives only inside this call, so nothing can keep it once the page is parsed.
   *
   * Items are parsed one at a time from the page's bytes (`splitList`), not the page as one
   * string: a multi-megabyte string lives in V8's large-object space until the next full
   * collection, so whole-page parsing made a pass over 50,000 Jobs spend more time in full GCs
   * (one per page or so, each marking every model object read so far) and UTF-8 decoding than
   * in parsing. Per-item strings and objects die young. A page the splitter does not
   * understand is parsed whole, which also gives the error message for malformed JSON. The
   * parts of each object that nothing reads (`SKIPPED_PATHS`: two thirds of a typical Job) are
   * cut before parsing.
   */
  private parsePage<T>(
    {bytes, contentType}: PageText,
    path: string,
    parseItem: (raw: unknown) => Parsed<T>,
    listed: Sink<T>,
  ): string | null {
    const split = splitList(bytes);
    if (split !== null) {
      const values: T[] = [];
      const problems: ObjectProblem[] = [];
      try {
        for (const item of split.items) {
          const parsed = parseItem(JSON.parse(item));
          if (parsed.ok) values.push(parsed.value);
          else problems.push(parsed.problem);
        }
        const envelope: unknown = JSON.parse(split.envelope);
        if (isObject(envelope)) {
          for (const value of values) listed.add(value);
          for (const problem of problems) listed.problems.push(problem);
          return continueOf(envelope);
        }
      } catch {
        // Not what it seemed: the whole-page parse below gives the right answer or error.
      }
    }
    const text = bytes.toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw this.error(
        'BAD_RESPONSE',
        `the API server's answer to GET ${path} is not valid JSON (${contentType}, ${text.length} bytes: ` +
          `${JSON.stringify(this.redact(text.slice(0, BODY_EXCERPT_CHARS)))}); ` +
          `the answer was cut off, or the server URL points at something that is not a Kubernetes API server`,
        error,
      );
    }
    if (!isObject(body) || !Array.isArray(body.items)) {
      throw this.error(
        'BAD_RESPONSE',
        `the API server's answer to GET ${path} is JSON but not a list (no "items" array)`,
      );
    }
    for (const raw of body.items) {
      const parsed = parseItem(raw);
      if (parsed.ok) listed.add(parsed.value);
      else listed.problems.push(parsed.problem);
    }
    return continueOf(body);
  }

  /** One GET, answered with the body of a 2xx answer; every failure becomes a `ClusterError`. */
  private async request(
    path: string,
    query: Record<string, string>,
    operation: Operation,
    abandoned: AbortSignal,
    deadline: Date | null = null,
  ): Promise<PageText> {
    // The pass's deadline bounds every request too: a slow page near the end of the budget
    // must not hold the pass past it.
    const timeoutMs =
      deadline === null
        ? this.requestTimeoutMs
        : Math.min(this.requestTimeoutMs, deadline.getTime() - Date.now());
    if (timeoutMs <= 0) {
      throw this.error('TIMEOUT', `the pass ran out of time before GET ${path}`);
    }
    const context = await this.prepare(path, query);
    const timeout = AbortSignal.timeout(timeoutMs);
    const url = new URL(context.getUrl());
    let response: Dispatcher.ResponseData;
    let bytes: Buffer;
    try {
      // No redirects are followed (`fetch` would): an API server answers a list, never a 3xx.
      response = await (this.dispatcher ?? getGlobalDispatcher()).request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: context.getHeaders(),
        signal: AbortSignal.any([timeout, abandoned]),
      });
    } catch (error) {
      throw this.transportError(error, timeout, path, 'connect', timeoutMs);
    }
    try {
      bytes = await bodyOf(response.body);
    } catch (error) {
      throw this.transportError(error, timeout, path, 'body', timeoutMs);
    }
    const status = response.statusCode;
    if (status >= 200 && status < 300) {
      const type = response.headers['content-type'];
      return {bytes, contentType: (Array.isArray(type) ? type[0] : type) ?? 'no content type'};
    }
    const text = bytes.toString('utf8');
    if (status === 410 && query.continue !== undefined) {
      throw new ExpiredContinue('continue token expired', {cause: statusOf(text)});
    }
    throw this.httpError(status, text, path, operation);
  }

  /** A request with the kubeconfig's credentials and TLS settings applied by client-node. */
  private async prepare(path: string, query: Record<string, string>): Promise<RequestContext> {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (cluster === null) {
      throw this.error('CONFIG', 'the kubeconfig has no cluster for its current context');
    }
    const context = new RequestContext(
      `${cluster.server.replace(/\/+$/, '')}${path}`,
      HttpMethod.GET,
    );
    for (const [name, value] of Object.entries(query)) context.setQueryParam(name, value);
    context.setHeaderParam('Accept', 'application/json');
    try {
      await this.kubeConfig.applySecurityAuthentication(context);
      // client-node made a new dispatcher (a new connection pool) for this request; the first
      // one is kept and serves every request of this reader, so a pass keeps one connection.
      const made = context.getDispatcher();
      if (this.dispatcher === undefined) this.dispatcher = made;
      else if (made !== undefined && made !== this.dispatcher) void made.close();
    } catch (error) {
      throw this.error(
        'CONFIG',
        `cannot apply the kubeconfig's credentials or TLS settings for ${cluster.server}: ${this.redact(describeError(error))}`,
        error,
      );
    }
    if (this.tokenProvider !== null) {
      let token: string;
      try {
        token = await this.tokenProvider();
      } catch (error) {
        throw this.error(
          'UNAUTHORIZED',
          `could not obtain an access token for the cluster: ${this.redact(describeError(error))}`,
          error,
        );
      }
      this.secrets.add(token);
      context.setHeaderParam('Authorization', `Bearer ${token}`);
    }
    return context;
  }

  private httpError(
    status: number,
    text: string,
    path: string,
    operation: Operation,
  ): ClusterError {
    const parsed = statusOf(text);
    const reason = parsed?.reason ?? '';
    const said = parsed?.message
      ? `; the API server said: ${this.redact(parsed.message)}`
      : text.trim() !== ''
        ? `; the API server answered: ${JSON.stringify(this.redact(text.slice(0, BODY_EXCERPT_CHARS)))}`
        : '';
    const code = `${status}${reason ? ` ${reason}` : ''}`;
    const what = `${operation.verb} ${operation.resource}${scopeWords(operation)}`;
    switch (status) {
      case 401:
        return this.error(
          'UNAUTHORIZED',
          `the API server rejected the credentials (${code}) when trying to ${what}: the token or ` +
            `client certificate is missing, expired or not valid for this cluster${said}`,
        );
      case 403:
        return this.error('FORBIDDEN', `cannot ${what} (${code}): ${RBAC_HINT}${said}`);
      case 404:
        return this.error(
          'NOT_FOUND',
          `the API server has no ${path} (${code}) — is this a Kubernetes API server with batch/v1 ` +
            `CronJobs (1.21 or later), and is the server URL right?${said}`,
        );
      case 410:
        return this.error('EXPIRED', `the API server answered ${code} to GET ${path}${said}`);
      default:
        return this.error('SERVER_ERROR', `the API server failed to ${what} (${code})${said}`);
    }
  }

  private transportError(
    error: unknown,
    signal: AbortSignal,
    path: string,
    stage: 'connect' | 'body',
    timeoutMs: number = this.requestTimeoutMs,
  ): ClusterError {
    const server = this.kubeConfig.getCurrentCluster()?.server ?? 'the API server';
    if (signal.aborted) {
      return this.error(
        'TIMEOUT',
        `${server} did not answer GET ${path} within ${formatMs(timeoutMs)}`,
        error,
      );
    }
    const code = errorCode(error);
    const detail = this.redact(describeChain(error));
    if (
      code !== null &&
      (TLS_ERROR_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'))
    ) {
      const cluster = this.kubeConfig.getCurrentCluster();
      const against =
        cluster?.caData || cluster?.caFile
          ? 'the cluster CA configured for it (certificate-authority-data / certificate-authority in the kubeconfig, or the GKE cluster CA)'
          : "the system's trusted public CAs (no cluster CA is configured for this endpoint)";
      return this.error(
        'TLS',
        `the TLS certificate of ${server} did not verify against ${against} (${code}): ${detail}`,
        error,
      );
    }
    if (code !== null && UNREACHABLE_CODES.has(code)) {
      return this.error('UNREACHABLE', `cannot reach ${server} (${code}): ${detail}`, error);
    }
    if (stage === 'body') {
      return this.error(
        'BAD_RESPONSE',
        `the connection to ${server} closed before the whole answer to GET ${path} arrived: ${detail}`,
        error,
      );
    }
    return this.error('UNREACHABLE', `cannot reach ${server}: ${detail}`, error);
  }

  private prefix(): string {
    return `cluster ${this.ref.name}: `;
  }

  private error(code: ClusterErrorCode, message: string, cause?: unknown): ClusterError {
    return new ClusterError(code, this.redact(`${this.prefix()}${message}`), {cause});
  }

  /** Removes every token this reader has used from text that may end up in a message. */
  private redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) {
      // Real bearer tokens are long; a very short string would redact ordinary words.
      if (secret.length >= MIN_SECRET_CHARS) result = result.split(secret).join('[redacted]');
    }
    return result;
  }
}

/**
 * The body as bytes. Read from the stream rather than with `text()`: `text()` decodes with a
 * TextDecoder, several times slower than Buffer's UTF-8 decoding, and the pages are decoded
 * item by item anyway (see `parsePage`).
 */
async function bodyOf(body: Dispatcher.ResponseData['body']): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}

/** A label of a raw object, when it is a string. */
function labelOf(raw: unknown, label: string): string | null {
  const metadata = isObject(raw) ? raw.metadata : null;
  const labels = isObject(metadata) ? metadata.labels : null;
  const value = isObject(labels) ? labels[label] : null;
  return typeof value === 'string' ? value : null;
}

function continueOf(body: Record<string, unknown>): string | null {
  const metadata = isObject(body.metadata) ? body.metadata : {};
  const next = metadata.continue;
  return typeof next === 'string' && next !== '' ? next : null;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

// Depths while scanning a list page: 1 inside the list object, 2 inside `items`, 3 inside one
// object, 4 inside its `metadata` / `spec`, 5 inside `metadata.annotations`.
const ITEM_DEPTH = 3;

/**
 * Parts of an object that no parser of this reader reads and that make up most of its bytes:
 * the pod template every Job copies from its CronJob (and the CronJob's own Job template), the
 * managed-fields bookkeeping, and kubectl's copy of the whole applied object. They are cut from
 * an item (replaced by `null`) before it is parsed. Paths are keys from the object down.
 */
const SKIPPED_PATHS: ReadonlyArray<readonly string[]> = [
  ['metadata', 'managedFields'],
  ['metadata', 'annotations', 'kubectl.kubernetes.io/last-applied-configuration'],
  ['spec', 'template'],
  ['spec', 'jobTemplate'],
];
const SKIPPED_KEYS = SKIPPED_PATHS.map(path => path.map(key => Buffer.from(JSON.stringify(key))));

/** A list page cut into its items (ready to parse) and its envelope (`"items":[]`). */
interface SplitPage {
  items: string[];
  envelope: string;
}

/**
 * Finds the elements of a list page's top-level `items` array without parsing them, and cuts
 * the `SKIPPED_PATHS` out of each. Null when the bytes are not a complete JSON object with such
 * an array (the caller then parses the whole page and reports what is wrong). Strings are
 * skipped with `indexOf`, so the scan touches little more than the structure.
 */
function splitList(bytes: Buffer): SplitPage | null {
  const items: string[] = [];
  let depth = 0;
  let itemsOpen = -1;
  let itemsClose = -1;
  let lastStringIsItemsKey = false;
  // The item being scanned: where it starts, and the pieces kept so far.
  let elementStart = -1;
  let kept = '';
  let keptFrom = -1;
  // Per depth inside an item: the index into SKIPPED_PATHS whose key path matches so far.
  const matched: number[] = [];
  // A skipped value being passed over: the depth it started at, where it started.
  let skipDepth = -1;
  let skipStart = -1;
  const inItems = () => itemsOpen !== -1 && itemsClose === -1;
  const endElement = (end: number) => {
    if (elementStart !== -1) items.push(kept + bytes.toString('utf8', keptFrom, end));
    elementStart = -1;
    kept = '';
  };
  const startElement = (at: number) => {
    elementStart = at;
    keptFrom = at;
  };
  // Called at the start of a value at `depth` inside an item: cut it when its path is skipped.
  const startValue = (at: number) => {
    if (skipDepth !== -1 || depth < ITEM_DEPTH + 1) return;
    const path = matched[depth];
    if (path !== undefined && path >= 0 && SKIPPED_PATHS[path]?.length === depth - ITEM_DEPTH + 1) {
      skipDepth = depth;
      skipStart = at;
    }
  };
  const endValue = (end: number) => {
    if (skipDepth !== depth) return;
    kept += `${bytes.toString('utf8', keptFrom, skipStart)}null`;
    keptFrom = end;
    skipDepth = -1;
  };
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (c === QUOTE) {
      const end = closingQuote(bytes, i);
      if (end === -1) return null;
      if (depth === 1) {
        lastStringIsItemsKey = end - i === 6 && bytes.toString('latin1', i + 1, end) === 'items';
      } else if (depth === 2 && inItems()) {
        if (elementStart === -1) startElement(i);
      } else if (depth >= ITEM_DEPTH && inItems() && skipDepth === -1) {
        let next = end + 1;
        while (next < bytes.length && isWhitespace(bytes[next] as number)) next++;
        if (bytes[next] === COLON) {
          // A key: does it continue a skipped path?
          const level = depth - ITEM_DEPTH;
          const parent = level === 0 ? -2 : (matched[depth - 1] ?? -1);
          matched[depth] = -1;
          if (parent !== -1) {
            for (let p = 0; p < SKIPPED_KEYS.length; p++) {
              const key = SKIPPED_KEYS[p]?.[level];
              if (key === undefined || (parent >= 0 && !samePrefix(p, parent, level))) continue;
              if (
                key.length === end + 1 - i &&
                bytes.compare(key, 0, key.length, i, end + 1) === 0
              ) {
                matched[depth] = p;
                break;
              }
            }
          }
        } else {
          // A string value: skipped when its key's path is complete.
          startValue(i);
          endValue(end + 1);
        }
      }
      i = end;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth === 2 && inItems() && elementStart === -1) startElement(i);
      if (depth === 1 && c === OPEN_BRACKET && lastStringIsItemsKey && itemsOpen === -1) {
        itemsOpen = i;
      }
      if (inItems()) startValue(i);
      depth++;
      matched[depth] = -1;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth < 0) return null;
      if (inItems()) endValue(i + 1);
      if (depth === 1 && c === CLOSE_BRACKET && inItems()) {
        endElement(i);
        itemsClose = i;
      }
    } else if (c === COMMA) {
      if (depth === 2 && inItems()) {
        if (elementStart === -1) return null;
        endElement(i);
      }
    } else if (depth === 2 && inItems() && elementStart === -1 && !isWhitespace(c)) {
      startElement(i);
    }
  }
  if (depth !== 0 || itemsOpen === -1 || itemsClose === -1) return null;
  const envelope = bytes.toString('utf8', 0, itemsOpen + 1) + bytes.toString('utf8', itemsClose);
  return {items, envelope};
}

// Most strings in Kubernetes JSON are short keys and values: looking at a few bytes is cheaper
// than a call to indexOf, which wins for the long ones.
const SHORT_STRING_BYTES = 24;
const indexOfByte = Uint8Array.prototype.indexOf;

/** The index of the quote that closes the string opened at `open`; -1 when there is none. */
function closingQuote(bytes: Buffer, open: number): number {
  let end = open + 1;
  const short = Math.min(bytes.length, open + SHORT_STRING_BYTES);
  while (end < short && bytes[end] !== QUOTE) end++;
  if (end === short) end = indexOfByte.call(bytes, QUOTE, end);
  for (;;) {
    if (end === -1) return -1;
    let backslashes = 0;
    while (bytes[end - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = indexOfByte.call(bytes, QUOTE, end + 1);
  }
}

/** True when skipped paths `a` and `b` share their first `level` keys. */
function samePrefix(a: number, b: number, level: number): boolean {
  const pa = SKIPPED_PATHS[a] ?? [];
  const pb = SKIPPED_PATHS[b] ?? [];
  for (let k = 0; k < level; k++) if (pa[k] !== pb[k]) return false;
  return true;
}

/** The continue token in the head of a list page, when it is there (see `listPages`). */
function sniffContinue(bytes: Buffer): string | null {
  const head = bytes.toString('utf8', 0, Math.min(bytes.length, CONTINUE_SNIFF_CHARS));
  const items = head.indexOf('"items"');
  const match = CONTINUE_IN_HEAD.exec(items === -1 ? head : head.slice(0, items));
  return match?.[1] ? match[1] : null;
}

function compactCronJob(cronJob: CronJobInfo, strings: StringPool): void {
  cronJob.namespace = strings.share(cronJob.namespace);
  // Shared with its Jobs' owner references (CronJobs are listed first).
  cronJob.uid = strings.share(cronJob.uid);
  cronJob.schedule = strings.share(cronJob.schedule);
  cronJob.timeZone = strings.share(cronJob.timeZone);
}

function compactJob(job: JobInfo, strings: StringPool): void {
  job.namespace = strings.share(job.namespace);
  job.cronJobUid = strings.share(job.cronJobUid);
  const times = new TimePool();
  job.scheduledAt = times.share(job.scheduledAt);
  job.createdAt = times.share(job.createdAt);
  job.startedAt = times.share(job.startedAt);
  job.completedAt = times.share(job.completedAt);
  for (const condition of job.conditions) {
    condition.type = strings.share(condition.type);
    condition.status = strings.share(condition.status);
    condition.reason = strings.share(condition.reason);
    condition.message = strings.share(condition.message);
    condition.lastTransitionTime = times.share(condition.lastTransitionTime);
  }
}

/** Shares equal times within one Job (a completion time is also its conditions' time). */
class TimePool {
  private readonly seen: Date[] = [];

  share(date: Date | null): Date | null {
    if (date === null) return null;
    const ms = date.getTime();
    const known = this.seen.find(d => d.getTime() === ms);
    if (known !== undefined) return known;
    this.seen.push(date);
    return date;
  }
}

function batchPath(plural: 'cronjobs' | 'jobs', namespace: string | null): string {
  return namespace === null
    ? `/apis/batch/v1/${plural}`
    : `/apis/batch/v1/namespaces/${encodeURIComponent(namespace)}/${plural}`;
}

function scopeWords(operation: Operation): string {
  return operation.namespace === null
    ? ' at the cluster scope'
    : ` in the namespace "${operation.namespace}"`;
}

/** The `kind: Status` body of an error answer, when it is one. */
function statusOf(text: string): {message: string | null; reason: string | null} | null {
  try {
    const body = JSON.parse(text) as unknown;
    if (!isObject(body) || body.kind !== 'Status') return null;
    return {
      message: typeof body.message === 'string' && body.message !== '' ? body.message : null,
      reason: typeof body.reason === 'string' && body.reason !== '' ? body.reason : null,
    };
  } catch {
    return null;
  }
}

/** The first `code` along an error's cause chain (undici wraps the socket error). */
function errorCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && isRecordLike(current); depth++) {
    const code = (current as {code?: unknown}).code;
    if (typeof code === 'string' && code !== '') return code;
    current = (current as {cause?: unknown}).cause;
  }
  return null;
}

function describeChain(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const text = describeError(current);
    if (!parts.includes(text)) parts.push(text);
    current = isRecordLike(current) ? (current as {cause?: unknown}).cause : undefined;
  }
  return parts.join(': ');
}

function isRecordLike(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
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

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
