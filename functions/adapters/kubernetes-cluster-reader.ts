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
 * certificates, the cluster CA, proxy, `tls-server-name`) and its undici-based
 * `IsomorphicFetchHttpLibrary` — but reads the body as text and parses it itself, so each object
 * reaches `parseCronJob` / `parseJob` / `parsePod` as the API sent it, and a malformed one becomes
 * an `ObjectProblem` instead of failing the listing.
 */
import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  type KubeConfig,
  RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import {ClusterError, describeError, type ClusterErrorCode} from '../core/errors.js';
import {isObject} from '../core/json.js';
import {parseCronJob, parseJob, parsePod} from '../core/kube-objects.js';
import type {
  ClusterRef,
  ClusterSnapshot,
  CronJobInfo,
  JobInfo,
  ObjectProblem,
  PodInfo,
} from '../core/model.js';
import type {ClusterReader} from '../ports.js';
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
  "the watcher's identity needs get/list on cronjobs, jobs, pods, pods/log (see infra/k8s/rbac.yaml)";

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

interface ListPage {
  items: unknown[];
  continueToken: string | null;
}

class ExpiredContinue extends Error {}

/** Reads one cluster through client-node. Throws `ClusterError` when it cannot be read. */
export class KubernetesClusterReader implements ClusterReader {
  private readonly pageSize: number;
  private readonly requestTimeoutMs: number;
  private readonly tokenProvider: (() => Promise<string>) | null;
  private readonly logger: Logger | null;
  private readonly http = new IsomorphicFetchHttpLibrary();
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

  async read(options: {namespaces: string[] | null; deadline?: Date}): Promise<ClusterSnapshot> {
    const deadline = options.deadline ?? null;
    const scopes: Array<string | null> =
      options.namespaces === null ? [null] : [...new Set(options.namespaces)];
    const cronJobs: CronJobInfo[] = [];
    const jobs: JobInfo[] = [];
    const problems: ObjectProblem[] = [];
    for (const namespace of scopes) {
      const rawCronJobs = await this.listAll(
        batchPath('cronjobs', namespace),
        {verb: 'list', resource: 'cronjobs.batch', namespace},
        null,
        deadline,
      );
      for (const raw of rawCronJobs) {
        const parsed = parseCronJob(raw);
        if (parsed.ok) cronJobs.push(parsed.value);
        else problems.push(parsed.problem);
      }
      const rawJobs = await this.listAll(
        batchPath('jobs', namespace),
        {verb: 'list', resource: 'jobs.batch', namespace},
        null,
        deadline,
      );
      for (const raw of rawJobs) {
        const parsed = parseJob(raw);
        if (parsed.ok) jobs.push(parsed.value);
        else problems.push(parsed.problem);
      }
    }
    return {cluster: this.ref, cronJobs, jobs, problems};
  }

  async podsOfJob(
    job: {namespace: string; name: string; uid: string},
    deadline?: Date,
  ): Promise<PodInfo[]> {
    const until = deadline ?? null;
    const path = `/api/v1/namespaces/${encodeURIComponent(job.namespace)}/pods`;
    const operation: Operation = {verb: 'list', resource: 'pods', namespace: job.namespace};
    // 1.27+ labels pods `batch.kubernetes.io/controller-uid`; older clusters only `controller-uid`.
    let raw = await this.listAll(
      path,
      operation,
      `batch.kubernetes.io/controller-uid=${job.uid}`,
      until,
    );
    if (raw.length === 0) {
      raw = await this.listAll(path, operation, `controller-uid=${job.uid}`, until);
    }
    const pods: PodInfo[] = [];
    for (const item of raw) {
      const parsed = parsePod(item);
      if (parsed.ok) {
        pods.push(parsed.value);
      } else {
        // A Pod only explains a failure; the verdict does not depend on it, so skip it loudly.
        this.logger?.log('WARNING', `skipped an unreadable Pod of Job ${job.name}`, {
          cluster: this.ref.name,
          namespace: parsed.problem.namespace,
          pod: parsed.problem.name,
          problem: parsed.problem.problem,
        });
      }
    }
    return pods;
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
      const text = await this.request(path, query, operation, options.deadline ?? null, 'text');
      return typeof text === 'string' ? text : '';
    } catch (error) {
      // The generic 404 wording suspects the server URL; for a log it means the Pod is gone.
      if (error instanceof ClusterError && error.code === 'NOT_FOUND') {
        throw this.error('NOT_FOUND', `pod ${pod.namespace}/${pod.name} is gone`, error);
      }
      throw error;
    }
  }

  /**
   * Every item of a list, page by page. An expired continue token (410 Expired) restarts the
   * listing from the first page once: the objects changed faster than we paged, and a fresh
   * consistent listing is the only correct answer. A second expiry gives up.
   */
  private async listAll(
    path: string,
    operation: Operation,
    labelSelector: string | null,
    deadline: Date | null,
  ): Promise<unknown[]> {
    try {
      return await this.listPages(path, operation, labelSelector, deadline);
    } catch (error) {
      if (!(error instanceof ExpiredContinue)) throw error;
    }
    try {
      return await this.listPages(path, operation, labelSelector, deadline);
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

  private async listPages(
    path: string,
    operation: Operation,
    labelSelector: string | null,
    deadline: Date | null,
  ): Promise<unknown[]> {
    const items: unknown[] = [];
    let continueToken: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query: Record<string, string> = {limit: String(this.pageSize)};
      if (labelSelector !== null) query.labelSelector = labelSelector;
      if (continueToken !== null) query.continue = continueToken;
      const result = await this.request(path, query, operation, deadline);
      const list = this.listOf(result, path);
      items.push(...list.items);
      if (list.continueToken === null) return items;
      if (list.continueToken === continueToken) {
        throw this.error(
          'BAD_RESPONSE',
          `the API server sent the same continue token twice for GET ${path}; stopped paging`,
        );
      }
      continueToken = list.continueToken;
    }
    throw this.error('BAD_RESPONSE', `GET ${path} did not end after ${MAX_PAGES} pages`);
  }

  private listOf(body: unknown, path: string): ListPage {
    if (!isObject(body) || !Array.isArray(body.items)) {
      throw this.error(
        'BAD_RESPONSE',
        `the API server's answer to GET ${path} is JSON but not a list (no "items" array)`,
      );
    }
    const metadata = isObject(body.metadata) ? body.metadata : {};
    const next = metadata.continue;
    return {
      items: body.items,
      continueToken: typeof next === 'string' && next !== '' ? next : null,
    };
  }

  /** One GET, answered with parsed JSON (or the text); every failure becomes a `ClusterError`. */
  private async request(
    path: string,
    query: Record<string, string>,
    operation: Operation,
    deadline: Date | null,
    answer: 'json' | 'text' = 'json',
  ): Promise<unknown> {
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
    const signal = AbortSignal.timeout(timeoutMs);
    context.setSignal(signal);
    let response: ResponseContext;
    let text: string;
    try {
      response = await this.http.send(context).toPromise();
    } catch (error) {
      throw this.transportError(error, signal, path, 'connect', timeoutMs);
    }
    try {
      text = await response.body.text();
    } catch (error) {
      throw this.transportError(error, signal, path, 'body', timeoutMs);
    }
    const status = response.httpStatusCode;
    if (status >= 200 && status < 300 && answer === 'text') return text;
    if (status >= 200 && status < 300) {
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        const type = response.headers['content-type'] ?? 'no content type';
        throw this.error(
          'BAD_RESPONSE',
          `the API server's answer to GET ${path} is not valid JSON (${type}, ${text.length} bytes: ` +
            `${JSON.stringify(this.redact(text.slice(0, BODY_EXCERPT_CHARS)))}); ` +
            `the answer was cut off, or the server URL points at something that is not a Kubernetes API server`,
          error,
        );
      }
    }
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
    timeoutMs: number,
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
