/**
 * A Kubernetes API server for tests, the demo and benchmarks. It speaks the real REST protocol
 * for what the watcher (and `kubectl get`) reads: discovery, `/version`, CronJob/Job/Pod lists
 * (all namespaces and per namespace) with `limit` + `continue` paging and `labelSelector`,
 * single-object GETs and pod logs; errors are real `kind: Status` bodies.
 *
 * It serves an in-memory, mutable object set (`put`, `remove`, `load`), over HTTP or HTTPS, and
 * can require a bearer token (changeable at run time). Faults are injected with `inject`:
 * a status for a path, expired continue tokens (410 `Expired`), a hung request, a truncated or
 * non-JSON body, a delayed or held response. Every request is logged for assertions.
 *
 * List responses answer plain JSON lists even when kubectl asks for `as=Table`: the API server
 * contract lets a server ignore `as=Table` and fall back to the last `Accept` entry
 * (`application/json`), and kubectl then prints rows with its default NAME/AGE columns.
 */
import {randomUUID} from 'node:crypto';
import {writeFile, mkdtemp} from 'node:fs/promises';
import http, {type IncomingMessage, type ServerResponse} from 'node:http';
import https from 'node:https';
import type {AddressInfo} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type {FixtureObjects, KubeObject} from './kube-fixtures.js';

/** The object kinds the server stores. */
export type ServedKind = 'CronJob' | 'Job' | 'Pod' | 'Event';

/** One request as the server saw it. */
export interface RequestRecord {
  method: string;
  /** Path without the query, e.g. `/apis/batch/v1/jobs`. */
  path: string;
  /** Query parameters (last value wins). */
  query: Record<string, string>;
  /** Path and query exactly as requested. */
  url: string;
  /** The bearer token sent, null when none. Kept only in this test process. */
  token: string | null;
  accept: string | null;
  /** HTTP status answered; null while unanswered (a hung request). */
  status: number | null;
}

/** What an injected fault does to a matching request. */
export type FaultAction =
  /** Answer this status with a `kind: Status` body. */
  | {type: 'status'; code: number; reason?: string; message?: string}
  /** 410 `Expired`, only for requests that carry a `continue` token. */
  | {type: 'expire'}
  /** Never answer; the connection stays open until the server closes. */
  | {type: 'hang'}
  /**
   * Send the real body cut in half. `close` (default): announce the full length and drop the
   * connection mid-body; `end`: a complete HTTP response whose JSON is cut.
   */
  | {type: 'truncate'; mode?: 'close' | 'end'}
  /** 200 with an HTML page, as a proxy or load balancer in front of the API would send. */
  | {type: 'nonJson'}
  /** Answer normally after this many milliseconds (for demos and benchmarks, not tests). */
  | {type: 'delay'; ms: number}
  /** Answer normally once `until` settles (tests control slowness without a clock). */
  | {type: 'hold'; until: Promise<unknown>};

/** When a fault applies. */
export interface FaultRule {
  /**
   * A string matches when the request path (without query) contains it; a RegExp is tested
   * against path + query; a function gets the request record.
   */
  match: string | RegExp | ((request: RequestRecord) => boolean);
  action: FaultAction;
  /** How many matching requests it affects; default: all of them until removed. */
  times?: number;
}

/** A fault in force. */
export interface FaultHandle {
  /** Matching requests it has affected so far. */
  readonly hits: number;
  remove(): void;
}

/** Options for `startKubeApiServer`. */
export interface KubeApiServerOptions {
  /** Serve HTTPS with this certificate (PEM); plain HTTP when absent. */
  tls?: {cert: string; key: string};
  /** Require `Authorization: Bearer <token>`; null or absent = no authentication. */
  token?: string | null;
  /** Objects to serve from the start. */
  objects?: Partial<Pick<FixtureObjects, 'cronJobs' | 'jobs' | 'pods' | 'podLogs'>>;
  /** `gitVersion` for `/version`. */
  version?: string;
}

/** A running test API server. */
export interface KubeApiServer {
  /** `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`. */
  readonly url: string;
  readonly port: number;
  /** Every request so far, oldest first. */
  readonly requests: RequestRecord[];
  /** Distinct bearer tokens seen, in first-seen order. */
  readonly tokensSeen: string[];
  /** Connections accepted so far (TCP, or TLS for HTTPS). */
  readonly connections: number;
  /** The current list resourceVersion (grows on every change). */
  readonly resourceVersion: number;
  /** Adds or replaces an object (by kind, namespace and name); fills in uid/resourceVersion. */
  put(object: KubeObject): void;
  /** Removes an object; true when it existed. */
  remove(kind: ServedKind, namespace: string, name: string): boolean;
  /** Replaces the whole object set. */
  load(objects: Partial<Pick<FixtureObjects, 'cronJobs' | 'jobs' | 'pods' | 'podLogs'>>): void;
  /** Stored objects of a kind (copies), in etcd key order (namespace, name). */
  list(kind: ServedKind): KubeObject[];
  /**
   * The log a Pod serves; with `container`, only for `?container=<container>` (a log set
   * without one answers for any container). `tailLines` and `limitBytes` are honoured.
   */
  setPodLog(namespace: string, pod: string, text: string, container?: string): void;
  /** The accepted bearer token (others are rejected with 401); null = no authentication. */
  setToken(token: string | null): void;
  inject(rule: FaultRule): FaultHandle;
  clearFaults(): void;
  /** Runs before each request is handled (after it is logged), e.g. to rotate the token. */
  onRequest(listener: ((request: RequestRecord) => void) | null): void;
  /** Forgets the request log and the tokens seen. */
  clearRequests(): void;
  /** Writes a kubeconfig for this server; returns its path. */
  writeKubeconfig(options: KubeconfigOptions): Promise<string>;
  close(): Promise<void>;
}

/** What goes into a kubeconfig written for the test server. */
export interface KubeconfigOptions {
  /** Context (and cluster and user) name. */
  context: string;
  /** Bearer token for the user; none when absent. */
  token?: string;
  /** CA certificate (PEM) to trust for HTTPS. */
  caPem?: string;
  /** Server URL; default: this server. */
  server?: string;
  /** Namespace of the context. */
  namespace?: string;
  /** Where to write; default: a new temp dir. */
  file?: string;
  /** More contexts in the same file (e.g. to test context selection). */
  extraContexts?: string[];
}

interface Resource {
  kind: ServedKind;
  plural: string;
  group: '' | 'batch';
  listKind: string;
  shortNames: string[];
  singular: string;
}

const RESOURCES: Resource[] = [
  {
    kind: 'CronJob',
    plural: 'cronjobs',
    group: 'batch',
    listKind: 'CronJobList',
    shortNames: ['cj'],
    singular: 'cronjob',
  },
  {
    kind: 'Job',
    plural: 'jobs',
    group: 'batch',
    listKind: 'JobList',
    shortNames: [],
    singular: 'job',
  },
  {
    kind: 'Pod',
    plural: 'pods',
    group: '',
    listKind: 'PodList',
    shortNames: ['po'],
    singular: 'pod',
  },
  {
    kind: 'Event',
    plural: 'events',
    group: '',
    listKind: 'EventList',
    shortNames: ['ev'],
    singular: 'event',
  },
];

const RESOURCE_BY_PLURAL = new Map(RESOURCES.map(r => [r.plural, r]));

function apiVersionOf(resource: Resource): string {
  return resource.group === '' ? 'v1' : `${resource.group}/v1`;
}

function qualifiedName(resource: Resource): string {
  return resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function resourceList(groupVersion: string, resources: Resource[]): unknown {
  const entries: unknown[] = [];
  for (const r of resources) {
    entries.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: true,
      kind: r.kind,
      verbs: VERBS,
      ...(r.shortNames.length > 0 ? {shortNames: r.shortNames} : {}),
      categories: ['all'],
      storageVersionHash: Buffer.from(r.plural).toString('base64').slice(0, 11) + '=',
    });
    entries.push({
      name: `${r.plural}/status`,
      singularName: '',
      namespaced: true,
      kind: r.kind,
      verbs: ['get', 'patch', 'update'],
    });
    if (r.kind === 'Pod') {
      entries.push({
        name: 'pods/log',
        singularName: '',
        namespaced: true,
        kind: 'Pod',
        verbs: ['get'],
      });
    }
  }
  return {kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: entries};
}

/** A `kind: Status` failure body, as the API server sends it. */
export function statusBody(
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details === undefined ? {} : {details}),
    code,
  };
}

const REASON_BY_CODE: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  410: 'Expired',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

// The API server's own wording for a continue token whose resourceVersion was compacted.
const EXPIRED_MESSAGE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

class HttpFailure extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** A non-JSON answer (pod logs). */
class PlainText {
  constructor(readonly text: string) {}
}

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/**
 * `k=v`, `k==v`, `k!=v`, `k in (v1,v2)`, `k notin (v1,v2)`, `k`, `!k`, comma-separated (what
 * `kubectl -l` and the watcher send).
 */
function parseLabelSelector(selector: string): (labels: Record<string, string>) => boolean {
  const tests: Array<(labels: Record<string, string>) => boolean> = [];
  // Commas inside a set's parentheses do not separate terms.
  for (const rawTerm of selector.split(/,(?![^(]*\))/)) {
    const term = rawTerm.trim();
    if (term === '') continue;
    const ne = /^([^=!\s]+)\s*!=\s*([^=!\s]*)$/.exec(term);
    const eq = /^([^=!\s]+)\s*==?\s*([^=!\s]*)$/.exec(term);
    const set = /^([^=!\s(]+)\s+(in|notin)\s*\(([^()]*)\)$/.exec(term);
    const compare = /^([^=!<>\s]+)\s*([<>])\s*(\d+)$/.exec(term);
    if (compare !== null) {
      const [, k, op, n] = compare as unknown as [string, string, string, string];
      tests.push(labels => {
        const value = labels[k];
        if (value === undefined || !/^-?\d+$/.test(value)) return false;
        return op === '>' ? Number(value) > Number(n) : Number(value) < Number(n);
      });
    } else if (set !== null) {
      const [, k, op, list] = set as unknown as [string, string, string, string];
      const values = new Set(list.split(',').map(v => v.trim()));
      tests.push(labels =>
        op === 'in' ? k in labels && values.has(labels[k] as string) : !values.has(labels[k] ?? ''),
      );
    } else if (ne !== null) {
      const [, k, v] = ne as unknown as [string, string, string];
      tests.push(labels => labels[k] !== v);
    } else if (eq !== null) {
      const [, k, v] = eq as unknown as [string, string, string];
      tests.push(labels => labels[k] === v);
    } else if (/^![^=!\s]+$/.test(term)) {
      const k = term.slice(1);
      tests.push(labels => !(k in labels));
    } else if (/^[^=!\s]+$/.test(term)) {
      tests.push(labels => term in labels);
    } else {
      throw new HttpFailure(
        400,
        'BadRequest',
        `unable to parse requirement: invalid label selector term "${term}" (this test server supports =, ==, !=, in, notin, >, < and existence)`,
      );
    }
  }
  return labels => tests.every(test => test(labels));
}

function parseFieldSelector(selector: string): (object: KubeObject) => boolean {
  const tests: Array<(object: KubeObject) => boolean> = [];
  for (const term of selector.split(',')) {
    if (term.trim() === '') continue;
    const match =
      /^(metadata\.name|metadata\.namespace|involvedObject\.name|involvedObject\.kind|involvedObject\.uid|type|reason)\s*(==?|!=)\s*(.*)$/.exec(
        term.trim(),
      );
    if (match === null) {
      throw new HttpFailure(
        400,
        'BadRequest',
        `field label not supported: "${term}" (this test server supports metadata.name, metadata.namespace and, for events, involvedObject.name/kind/uid, type and reason)`,
      );
    }
    const [, field, op, value] = match as unknown as [string, string, string, string];
    const get = (o: KubeObject): unknown => {
      if (field === 'metadata.name') return o.metadata.name;
      if (field === 'metadata.namespace') return o.metadata.namespace;
      const record = o as unknown as Record<string, unknown>;
      if (field.startsWith('involvedObject.')) {
        const involved = (record['involvedObject'] ?? {}) as Record<string, unknown>;
        return involved[field.slice('involvedObject.'.length)];
      }
      return record[field];
    };
    tests.push(op === '!=' ? o => get(o) !== value : o => get(o) === value);
  }
  return object => tests.every(test => test(object));
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

function encodeContinue(rv: number, lastKey: string): string {
  // Same shape as the API server's token: base64 JSON with the key to resume after.
  const token: ContinueToken = {v: 'meta.k8s.io/v1', rv, start: `${lastKey}\u0000`};
  return Buffer.from(JSON.stringify(token)).toString('base64');
}

function decodeContinue(value: string): ContinueToken {
  try {
    const token = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as ContinueToken;
    if (
      token.v !== 'meta.k8s.io/v1' ||
      typeof token.start !== 'string' ||
      typeof token.rv !== 'number'
    ) {
      throw new Error('bad token');
    }
    return token;
  } catch {
    throw new HttpFailure(
      400,
      'BadRequest',
      'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
    );
  }
}

function bearerOf(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match === null ? null : (match[1] ?? null);
}

/** Starts the server on 127.0.0.1 on a free port. */
export async function startKubeApiServer(
  options: KubeApiServerOptions = {},
): Promise<KubeApiServer> {
  const store = new Map<ServedKind, Map<string, KubeObject>>(
    RESOURCES.map(r => [r.kind, new Map()]),
  );
  const podLogs = new Map<string, string>();
  const requests: RequestRecord[] = [];
  const tokensSeen: string[] = [];
  const faults: Array<{rule: FaultRule; hits: number; removed: boolean}> = [];
  let resourceVersion = 1000;
  let token: string | null = options.token ?? null;
  let listener: ((request: RequestRecord) => void) | null = null;
  const gitVersion = options.version ?? 'v1.32.4-gke.1106000';

  function put(object: KubeObject): void {
    const kind = object.kind as ServedKind;
    const bucket = store.get(kind);
    if (bucket === undefined)
      throw new Error(`this server stores CronJob, Job, Pod and Event, not ${object.kind}`);
    const copy = clone(object);
    resourceVersion += 1;
    copy.metadata.uid ??= randomUUID();
    copy.metadata.resourceVersion = String(resourceVersion);
    bucket.set(keyOf(copy.metadata.namespace, copy.metadata.name), copy);
  }

  function load(objects: NonNullable<KubeApiServerOptions['objects']>): void {
    for (const bucket of store.values()) bucket.clear();
    podLogs.clear();
    for (const object of [
      ...(objects.cronJobs ?? []),
      ...(objects.jobs ?? []),
      ...(objects.pods ?? []),
    ]) {
      put(object);
    }
    for (const [key, text] of Object.entries(objects.podLogs ?? {})) podLogs.set(key, text);
  }

  function sorted(kind: ServedKind): KubeObject[] {
    const bucket = store.get(kind) ?? new Map<string, KubeObject>();
    return [...bucket.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, o]) => o);
  }

  function matchingFault(record: RequestRecord): FaultAction | null {
    for (const fault of faults) {
      if (fault.removed) continue;
      if (fault.rule.times !== undefined && fault.hits >= fault.rule.times) continue;
      const {match} = fault.rule;
      const matches =
        typeof match === 'string'
          ? record.path.includes(match)
          : match instanceof RegExp
            ? match.test(record.url)
            : match(record);
      if (!matches) continue;
      if (fault.rule.action.type === 'expire' && record.query.continue === undefined) continue;
      fault.hits += 1;
      return fault.rule.action;
    }
    return null;
  }

  function sendJson(
    record: RequestRecord,
    response: ServerResponse,
    code: number,
    body: unknown,
  ): void {
    record.status = code;
    const text = JSON.stringify(body);
    response.writeHead(code, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      'Audit-Id': randomUUID(),
      'Cache-Control': 'no-cache, private',
    });
    response.end(text);
  }

  function sendFailure(
    record: RequestRecord,
    response: ServerResponse,
    failure: HttpFailure,
  ): void {
    sendJson(
      record,
      response,
      failure.code,
      statusBody(failure.code, failure.reason, failure.message, failure.details),
    );
  }

  function listObjects(
    resource: Resource,
    namespace: string | null,
    query: Record<string, string>,
  ): unknown {
    if (query.watch === 'true' || query.watch === '1') {
      throw new HttpFailure(400, 'BadRequest', 'watch is not supported by this test server');
    }
    const labelTest = query.labelSelector ? parseLabelSelector(query.labelSelector) : () => true;
    const fieldTest = query.fieldSelector ? parseFieldSelector(query.fieldSelector) : () => true;
    let items = sorted(resource.kind).filter(
      o =>
        (namespace === null || o.metadata.namespace === namespace) &&
        labelTest(o.metadata.labels ?? {}) &&
        fieldTest(o),
    );
    let listRv = resourceVersion;
    if (query.continue !== undefined && query.continue !== '') {
      const token = decodeContinue(query.continue);
      listRv = token.rv;
      items = items.filter(
        o => keyOf(o.metadata.namespace, o.metadata.name) + '\u0000' > token.start,
      );
    }
    const limit = query.limit === undefined ? 0 : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 0) {
      throw new HttpFailure(
        400,
        'BadRequest',
        `limit must be a non-negative integer, got "${query.limit}"`,
      );
    }
    const metadata: Record<string, unknown> = {resourceVersion: String(listRv)};
    if (limit > 0 && items.length > limit) {
      const page = items.slice(0, limit);
      const last = page[page.length - 1] as KubeObject;
      metadata.continue = encodeContinue(
        listRv,
        keyOf(last.metadata.namespace, last.metadata.name),
      );
      metadata.remainingItemCount = items.length - limit;
      items = page;
    }
    // Like the real API server, items of a typed list carry no apiVersion/kind.
    const bare = items.map(o => {
      const {apiVersion: _apiVersion, kind: _kind, ...rest} = clone(o);
      return rest;
    });
    return {kind: resource.listKind, apiVersion: apiVersionOf(resource), metadata, items: bare};
  }

  function getObject(resource: Resource, namespace: string, name: string): unknown {
    const found = store.get(resource.kind)?.get(keyOf(namespace, name));
    if (found === undefined) {
      throw new HttpFailure(404, 'NotFound', `${qualifiedName(resource)} "${name}" not found`, {
        name,
        ...(resource.group === '' ? {} : {group: resource.group}),
        kind: resource.plural,
      });
    }
    return clone(found);
  }

  function podLog(record: RequestRecord, namespace: string, name: string): PlainText {
    getObject(RESOURCE_BY_PLURAL.get('pods') as Resource, namespace, name);
    const container = record.query.container;
    let text =
      (container === undefined
        ? undefined
        : podLogs.get(`${keyOf(namespace, name)}/${container}`)) ??
      podLogs.get(keyOf(namespace, name)) ??
      '';
    const tail = record.query.tailLines === undefined ? null : Number(record.query.tailLines);
    if (tail !== null && Number.isInteger(tail) && tail >= 0) {
      const lines = text.split('\n');
      const trailing = lines.at(-1) === '' ? lines.pop() : undefined;
      text =
        lines.slice(Math.max(0, lines.length - tail)).join('\n') + (trailing === '' ? '\n' : '');
    }
    const limitBytes =
      record.query.limitBytes === undefined ? null : Number(record.query.limitBytes);
    if (limitBytes !== null && Number.isInteger(limitBytes) && limitBytes > 0) {
      text = Buffer.from(text).subarray(0, limitBytes).toString('utf8');
    }
    return new PlainText(text);
  }

  function route(record: RequestRecord, baseUrl: string): unknown {
    const p = record.path.replace(/\/+$/, '') || '/';
    if (record.method !== 'GET') {
      throw new HttpFailure(
        405,
        'MethodNotAllowed',
        `the server does not allow this method on the requested resource`,
      );
    }
    if (p === '/version') {
      return {
        major: '1',
        minor: gitVersion.split('.')[1] ?? '32',
        gitVersion,
        gitCommit: '0000000000000000000000000000000000000000',
        gitTreeState: 'clean',
        buildDate: '2026-01-15T09:00:00Z',
        goVersion: 'go1.23.6',
        compiler: 'gc',
        platform: 'linux/amd64',
      };
    }
    if (p === '/api') {
      return {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [
          {clientCIDR: '0.0.0.0/0', serverAddress: baseUrl.replace(/^https?:\/\//, '')},
        ],
      };
    }
    if (p === '/apis') {
      const version = {groupVersion: 'batch/v1', version: 'v1'};
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [{name: 'batch', versions: [version], preferredVersion: version}],
      };
    }
    if (p === '/apis/batch') {
      const version = {groupVersion: 'batch/v1', version: 'v1'};
      return {
        kind: 'APIGroup',
        apiVersion: 'v1',
        name: 'batch',
        versions: [version],
        preferredVersion: version,
      };
    }
    if (p === '/api/v1')
      return resourceList(
        'v1',
        RESOURCES.filter(r => r.group === ''),
      );
    if (p === '/apis/batch/v1')
      return resourceList(
        'batch/v1',
        RESOURCES.filter(r => r.group === 'batch'),
      );

    const m =
      /^\/(?:api\/v1|apis\/(batch)\/v1)(?:\/namespaces\/([^/]+))?\/([a-z]+)(?:\/([^/]+))?(?:\/(log))?$/.exec(
        p,
      );
    if (m !== null) {
      const [, group = '', namespace, plural = '', name, sub] = m;
      const resource = RESOURCE_BY_PLURAL.get(plural);
      if (resource !== undefined && resource.group === group) {
        const ns = namespace === undefined ? null : decodeURIComponent(namespace);
        if (name === undefined && sub === undefined) return listObjects(resource, ns, record.query);
        if (ns !== null && name !== undefined) {
          const objectName = decodeURIComponent(name);
          if (sub === undefined) return getObject(resource, ns, objectName);
          if (resource.kind === 'Pod') return podLog(record, ns, objectName);
        }
      }
    }
    throw new HttpFailure(404, 'NotFound', 'the server could not find the requested resource');
  }

  async function handle(
    request: IncomingMessage,
    response: ServerResponse,
    baseUrl: string,
  ): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const sentToken = bearerOf(request);
    const record: RequestRecord = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query,
      url: url.pathname + url.search,
      token: sentToken,
      accept: typeof request.headers.accept === 'string' ? request.headers.accept : null,
      status: null,
    };
    requests.push(record);
    if (sentToken !== null && !tokensSeen.includes(sentToken)) tokensSeen.push(sentToken);
    listener?.(record);

    if (token !== null && sentToken !== token) {
      sendFailure(record, response, new HttpFailure(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    const fault = matchingFault(record);
    if (fault !== null) {
      switch (fault.type) {
        case 'status':
          sendFailure(
            record,
            response,
            new HttpFailure(
              fault.code,
              fault.reason ?? REASON_BY_CODE[fault.code] ?? 'Unknown',
              fault.message ?? `injected failure ${fault.code}`,
            ),
          );
          return;
        case 'expire':
          sendFailure(record, response, new HttpFailure(410, 'Expired', EXPIRED_MESSAGE));
          return;
        case 'hang':
          return;
        case 'nonJson': {
          record.status = 200;
          const html =
            '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>upstream connect error</body></html>\n';
          response.writeHead(200, {
            'Content-Type': 'text/html; charset=UTF-8',
            'Content-Length': Buffer.byteLength(html),
          });
          response.end(html);
          return;
        }
        case 'truncate': {
          const routed = safeRoute(record, baseUrl).body;
          const full = routed instanceof PlainText ? routed.text : JSON.stringify(routed);
          const half = full.slice(0, Math.max(1, Math.floor(full.length / 2)));
          record.status = 200;
          if (fault.mode === 'end') {
            response.writeHead(200, {
              'Content-Type': 'application/json',
              'Content-Length': Buffer.byteLength(half),
            });
            response.end(half);
          } else {
            response.writeHead(200, {
              'Content-Type': 'application/json',
              'Content-Length': Buffer.byteLength(full),
            });
            response.write(half, () => response.destroy());
          }
          return;
        }
        case 'delay':
          await new Promise(resolve => setTimeout(resolve, fault.ms));
          break;
        case 'hold':
          await fault.until.catch(() => undefined);
          break;
      }
    }
    const {code, body} = safeRoute(record, baseUrl);
    if (body instanceof PlainText) {
      record.status = code;
      response.writeHead(code, {
        'Content-Type': 'text/plain',
        'Content-Length': Buffer.byteLength(body.text),
      });
      response.end(body.text);
    } else {
      sendJson(record, response, code, body);
    }
  }

  function safeRoute(record: RequestRecord, baseUrl: string): {code: number; body: unknown} {
    try {
      return {code: 200, body: route(record, baseUrl)};
    } catch (error) {
      if (error instanceof HttpFailure) {
        return {
          code: error.code,
          body: statusBody(error.code, error.reason, error.message, error.details),
        };
      }
      return {
        code: 500,
        body: statusBody(500, 'InternalError', `test server error: ${String(error)}`),
      };
    }
  }

  let baseUrl = '';
  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response, baseUrl).catch(error => {
      if (!response.headersSent) {
        response.writeHead(500, {'Content-Type': 'application/json'});
        response.end(JSON.stringify(statusBody(500, 'InternalError', String(error))));
      }
    });
  };
  const server = options.tls
    ? https.createServer({cert: options.tls.cert, key: options.tls.key}, onRequest)
    : http.createServer(onRequest);
  let connections = 0;
  server.on(options.tls ? 'secureConnection' : 'connection', () => connections++);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  if (options.objects !== undefined) load(options.objects);

  const api: KubeApiServer = {
    url: baseUrl,
    port,
    requests,
    tokensSeen,
    get resourceVersion() {
      return resourceVersion;
    },
    get connections() {
      return connections;
    },
    put,
    remove(kind, namespace, name) {
      const removed = store.get(kind)?.delete(keyOf(namespace, name)) ?? false;
      if (removed) resourceVersion += 1;
      return removed;
    },
    load,
    list: kind => sorted(kind).map(clone),
    setPodLog(namespace, pod, text, container) {
      podLogs.set(
        container === undefined ? keyOf(namespace, pod) : `${keyOf(namespace, pod)}/${container}`,
        text,
      );
    },
    setToken(next) {
      token = next;
    },
    inject(rule) {
      const entry = {rule, hits: 0, removed: false};
      faults.push(entry);
      return {
        get hits() {
          return entry.hits;
        },
        remove() {
          entry.removed = true;
        },
      };
    },
    clearFaults() {
      for (const f of faults) f.removed = true;
      faults.length = 0;
    },
    onRequest(next) {
      listener = next;
    },
    clearRequests() {
      requests.length = 0;
      tokensSeen.length = 0;
    },
    writeKubeconfig: kubeconfigOptions => writeKubeconfig({server: baseUrl, ...kubeconfigOptions}),
    async close() {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
  return api;
}

/** The kubeconfig document (JSON, which is valid YAML) for a server. */
export function kubeconfigDocument(
  options: KubeconfigOptions & {server: string},
): Record<string, unknown> {
  const names = [options.context, ...(options.extraContexts ?? [])];
  return {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': options.context,
    clusters: names.map(name => ({
      name,
      cluster: {
        server: options.server,
        // client-node refuses plain http:// unless TLS verification is explicitly off.
        ...(options.server.startsWith('http:') ? {'insecure-skip-tls-verify': true} : {}),
        ...(options.caPem === undefined
          ? {}
          : {'certificate-authority-data': Buffer.from(options.caPem).toString('base64')}),
      },
    })),
    users: names.map(name => ({
      name,
      user: options.token === undefined ? {} : {token: options.token},
    })),
    contexts: names.map(name => ({
      name,
      context: {
        cluster: name,
        user: name,
        ...(options.namespace ? {namespace: options.namespace} : {}),
      },
    })),
  };
}

/** Writes a kubeconfig (mode 0600, it may hold a token); returns its path. */
export async function writeKubeconfig(
  options: KubeconfigOptions & {server: string},
): Promise<string> {
  const file =
    options.file ?? path.join(await mkdtemp(path.join(os.tmpdir(), 'kubeconfig-')), 'config');
  await writeFile(file, JSON.stringify(kubeconfigDocument(options), null, 2) + '\n', {mode: 0o600});
  return file;
}
