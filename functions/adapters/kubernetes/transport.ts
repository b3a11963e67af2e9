/**
 * How the reader reaches one API server, and how it words what went wrong.
 *
 * A `KubeTransport` says where the server is and, per request, which undici dispatcher (TLS
 * trust, client certificate, proxy) and which headers (credentials) to use. GKE builds one from
 * the cluster's endpoint, CA and a Google token (gke-cluster-source.ts); a kubeconfig builds one
 * with `@kubernetes/client-node` (kubeconfig-source.ts). `KubeHttp` sends GETs through it with
 * the dispatcher's own `request` (no redirects, no WHATWG streams), reads the body as bytes, and
 * turns every failure into a `ClusterError` that names the cluster and never repeats a token.
 */
import {getGlobalDispatcher, type Dispatcher} from 'undici';
import {ClusterError, describeError, type ClusterErrorCode} from '../../core/errors.js';
import {isObject} from '../../core/json.js';
import type {ClusterRef} from '../../core/model.js';

/** What one request goes out with. */
export interface PreparedRequest {
  /** Undefined: undici's global dispatcher (a publicly trusted endpoint needs nothing more). */
  dispatcher: Dispatcher | undefined;
  headers: Record<string, string>;
}

/** How requests reach one API server. */
export interface KubeTransport {
  /** The server's base URL (`https://host[:port][/prefix]`), named in messages. */
  readonly server: string;
  /** True when the server's certificate is checked against a CA of the cluster's own. */
  readonly pinsCa: boolean;
  /** Credentials known before any request (a kubeconfig token): never shown in a message. */
  readonly secrets: readonly string[];
  /**
   * The dispatcher and headers of the next request, credentials fresh. Throws `ClusterError`
   * (`CONFIG`, `UNAUTHORIZED`) with a message that does not name the cluster yet.
   */
  prepare(): Promise<PreparedRequest>;
}

/**
 * `transport` with a bearer token from `tokenProvider` on every request, replacing any the
 * transport sets itself (GKE: a Google access token, refreshed before it expires).
 */
export function withBearerToken(
  transport: KubeTransport,
  tokenProvider: () => Promise<string>,
): KubeTransport {
  return {
    server: transport.server,
    pinsCa: transport.pinsCa,
    secrets: transport.secrets,
    async prepare() {
      const prepared = await transport.prepare();
      let token: string;
      try {
        token = await tokenProvider();
      } catch (error) {
        throw new ClusterError(
          'UNAUTHORIZED',
          `could not obtain an access token for the cluster: ${describeError(error)}`,
          {cause: error},
        );
      }
      return {
        dispatcher: prepared.dispatcher,
        headers: {...prepared.headers, Authorization: `Bearer ${token}`},
      };
    },
  };
}

/** What a request was for, to word errors. */
export interface Operation {
  verb: 'list' | 'get';
  /** `cronjobs.batch`, `jobs.batch`, `pods`, `pods/log`. */
  resource: string;
  namespace: string | null;
}

/** The body of a 2xx answer, with its content type for error messages. */
export interface PageText {
  bytes: Buffer;
  contentType: string;
}

/** A 410 to a request with a continue token: the listing must start again. */
export class ExpiredContinue extends Error {}

// Shortest string treated as a secret when redacting messages (see `redact`).
const MIN_SECRET_CHARS = 8;
// Enough of a non-JSON body to recognise it (an HTML error page, a proxy message).
export const BODY_EXCERPT_CHARS = 120;

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

const BEARER = /^Bearer (.+)$/;

/** GETs to one API server through its transport; every failure becomes a `ClusterError`. */
export class KubeHttp {
  /**
   * The keep-alive dispatcher of every request (the first one the transport gives), so a read
   * keeps one connection pool however many times the credentials are refreshed.
   */
  private dispatcher: Dispatcher | undefined;
  /** Tokens sent or known, so that no error message can ever repeat one. */
  private readonly secrets = new Set<string>();

  constructor(
    readonly ref: ClusterRef,
    private readonly transport: KubeTransport,
    readonly requestTimeoutMs: number,
  ) {
    for (const secret of transport.secrets) this.secrets.add(secret);
  }

  /** One GET, answered with the body of a 2xx answer. */
  async get(
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
    const {dispatcher, headers} = await this.prepare();
    const url = new URL(`${this.transport.server.replace(/\/+$/, '')}${path}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Dispatcher.ResponseData;
    let bytes: Buffer;
    try {
      // No redirects are followed (`fetch` would): an API server answers a list, never a 3xx.
      response = await (dispatcher ?? getGlobalDispatcher()).request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers,
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

  /** A `ClusterError` naming the cluster, with every known token removed from the message. */
  error(code: ClusterErrorCode, message: string, cause?: unknown): ClusterError {
    return new ClusterError(code, this.redact(`cluster ${this.ref.name}: ${message}`), {cause});
  }

  /** Removes every token this reader has used from text that may end up in a message. */
  redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) {
      // Real bearer tokens are long; a very short string would redact ordinary words.
      if (secret.length >= MIN_SECRET_CHARS) result = result.split(secret).join('[redacted]');
    }
    return result;
  }

  private async prepare(): Promise<PreparedRequest> {
    let prepared: PreparedRequest;
    try {
      prepared = await this.transport.prepare();
    } catch (error) {
      if (error instanceof ClusterError) throw this.error(error.code, error.message, error.cause);
      throw error;
    }
    const token = BEARER.exec(prepared.headers.Authorization ?? '')?.[1];
    if (token !== undefined) this.secrets.add(token);
    if (this.dispatcher === undefined) this.dispatcher = prepared.dispatcher;
    else if (prepared.dispatcher !== undefined && prepared.dispatcher !== this.dispatcher) {
      void prepared.dispatcher.close();
    }
    return {dispatcher: this.dispatcher, headers: prepared.headers};
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
    const server = this.transport.server;
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
      const against = this.transport.pinsCa
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
}

/** " at the cluster scope" / " in the namespace …", for messages about an operation. */
export function scopeWords(operation: Operation): string {
  return operation.namespace === null
    ? ' at the cluster scope'
    : ` in the namespace "${operation.namespace}"`;
}

/**
 * The body as bytes. Read from the stream rather than with `text()`: `text()` decodes with a
 * TextDecoder, several times slower than Buffer's UTF-8 decoding, and the pages are decoded
 * item by item anyway (see paging.ts).
 */
async function bodyOf(body: Dispatcher.ResponseData['body']): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
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

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
