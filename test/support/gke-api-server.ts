/**
 * A local GKE API (container.googleapis.com v1) for the real `ClusterManagerClient` in REST
 * fallback mode, plus an OAuth 2.0 token endpoint for google-auth-library's real refresh
 * logic. Speaks the wire protocol the client uses:
 *
 * - `GET /v1/projects/P/locations/L/clusters/C` → a Cluster as proto3 JSON (camelCase);
 * - `GET /v1/projects/P/locations/L/clusters` (`L` may be `-`) → `{clusters, missingZones}`;
 * - errors as Google JSON error bodies `{error: {code, message, status, details}}`;
 * - `POST /token` (`grant_type=refresh_token`, form-encoded) → `{access_token, expires_in}`.
 *
 * google-gax builds the URL as `http://127.0.0.1:PORT/<path from the method's HTTP rule>?`
 * with `$alt=json;enum-encoding=int` because the container client sets `numericEnums`.
 */
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {OAuth2Client} from 'google-auth-library';

/** What the test says about one cluster; `toClusterJson` turns it into the API's shape. */
export interface FakeCluster {
  project: string;
  location: string;
  name: string;
  /** `Cluster.endpoint`: the IP endpoint (here `127.0.0.1:PORT`, in GKE a bare IP). */
  endpoint?: string;
  /** PEM of the cluster CA; served base64-encoded as `masterAuth.clusterCaCertificate`. */
  caPem?: string;
  /** `privateClusterConfig.privateEndpoint`. */
  privateEndpoint?: string;
  /** `controlPlaneEndpointsConfig.dnsEndpointConfig`. */
  dnsEndpoint?: {endpoint: string; allowExternalTraffic: boolean};
  resourceLabels?: Record<string, string>;
}

/** An injected error, answered as a Google JSON error body. */
export interface Fault {
  httpStatus: number;
  /** Defaults to what GKE says for that status. */
  message?: string;
  /** `ErrorInfo.reason`, e.g. `SERVICE_DISABLED`. */
  reason?: string;
}

/** One request the server received. Holds the bearer token: tests assert which one was sent. */
export interface LoggedRequest {
  method: string;
  path: string;
  bearer: string | null;
  status: number;
}

/** A running local GKE API. */
export interface GkeApiServer {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** Adds or replaces a cluster. */
  putCluster(cluster: FakeCluster): void;
  /** `getCluster` of this cluster id answers with `fault` (null clears it). */
  failCluster(id: string, fault: Fault | null): void;
  /** `listClusters` of this project answers with `fault` (null clears it). */
  failProject(project: string, fault: Fault | null): void;
  /** Zones `listClusters` of this project reports as `missingZones`. */
  setMissingZones(project: string, zones: string[]): void;
  /** Every request so far, in order. */
  requests: LoggedRequest[];
  /**
   * While set, GKE API requests (not token requests) wait for this promise before being
   * answered: tests hold them to see how many the client has in flight, without a clock.
   */
  hold(until: Promise<unknown> | null): void;
  /** GKE API requests received and not yet answered. */
  readonly inFlight: number;
  /** The most GKE API requests ever in flight at once. */
  readonly maxInFlight: number;
  /** Starts counting `maxInFlight` afresh. */
  resetMaxInFlight(): void;
  /** Resolves once at least `n` GKE API requests are in flight at the same time. */
  untilInFlight(n: number): Promise<void>;
  /** The token endpoint: issued tokens and how long they live. */
  tokens: TokenEndpoint;
  close(): Promise<void>;
}

/** The token endpoint's behaviour, driven by the test. */
export interface TokenEndpoint {
  /** Every access token issued so far, oldest first. */
  issued: string[];
  /** Lifetime given to the next tokens (`expires_in`), seconds. Default 3600, as Google does. */
  lifetimeSeconds: number;
  /** Called with each newly issued token, before it is returned to the client. */
  onIssue: ((token: string) => void) | null;
}

const STATUS_BY_HTTP: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const CLUSTER_PATH = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/clusters\/([^/]+)$/;
const LIST_PATH = /^\/v1\/projects\/([^/]+)\/locations\/([^/]+)\/clusters$/;

/** A token lifetime like Google's: access tokens for service accounts live one hour. */
const DEFAULT_TOKEN_LIFETIME_S = 3600;

/** The refresh token the test auth client holds; the token endpoint accepts only this one. */
export const TEST_REFRESH_TOKEN = 'test-refresh-token';

/** Starts the server on a free port of 127.0.0.1. */
export async function startGkeApiServer(): Promise<GkeApiServer> {
  const clusters = new Map<string, FakeCluster>();
  const clusterFaults = new Map<string, Fault>();
  const projectFaults = new Map<string, Fault>();
  const missingZones = new Map<string, string[]>();
  const requests: LoggedRequest[] = [];
  let held: Promise<unknown> | null = null;
  let inFlight = 0;
  let maxInFlight = 0;
  const inFlightWaiters: {n: number; resolve: () => void}[] = [];
  const tokens: TokenEndpoint = {
    issued: [],
    lifetimeSeconds: DEFAULT_TOKEN_LIFETIME_S,
    onIssue: null,
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const path = decodeURIComponent(url.pathname);
    const auth = request.headers.authorization ?? '';
    const bearer = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : null;
    const log: LoggedRequest = {method: request.method ?? '', path, bearer, status: 0};
    requests.push(log);
    const send = (status: number, body: unknown) => {
      log.status = status;
      response.writeHead(status, {'content-type': 'application/json; charset=UTF-8'});
      response.end(JSON.stringify(body));
    };
    const sendFault = (fault: Fault, resource: string, permission: string) =>
      send(fault.httpStatus, errorBody(fault, resource, permission));

    if (request.method === 'POST' && path === '/token') {
      const form = new URLSearchParams(await readBody(request));
      if (
        form.get('grant_type') !== 'refresh_token' ||
        form.get('refresh_token') !== TEST_REFRESH_TOKEN
      ) {
        send(400, {error: 'invalid_grant', error_description: 'Bad Request'});
        return;
      }
      const token = `ya29.test-${tokens.issued.length + 1}`;
      tokens.issued.push(token);
      tokens.onIssue?.(token);
      send(200, {access_token: token, expires_in: tokens.lifetimeSeconds, token_type: 'Bearer'});
      return;
    }
    if (request.method !== 'GET') {
      send(405, errorBody({httpStatus: 405, message: 'Method not allowed'}, path, ''));
      return;
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    for (const waiter of inFlightWaiters.filter(w => w.n <= inFlight)) {
      inFlightWaiters.splice(inFlightWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    try {
      if (held !== null) await held.catch(() => undefined);
      answerApi(path, bearer, send, sendFault);
    } finally {
      inFlight--;
    }
  };

  const answerApi = (
    path: string,
    bearer: string | null,
    send: (status: number, body: unknown) => void,
    sendFault: (fault: Fault, resource: string, permission: string) => void,
  ): void => {
    if (bearer === null || !tokens.issued.includes(bearer)) {
      send(401, errorBody({httpStatus: 401}, path, ''));
      return;
    }
    const single = CLUSTER_PATH.exec(path);
    if (single !== null) {
      const id = path.slice('/v1/'.length);
      const fault = clusterFaults.get(id) ?? projectFaults.get(single[1] ?? '');
      if (fault !== undefined) return sendFault(fault, id, 'container.clusters.get');
      const cluster = clusters.get(id);
      if (cluster === undefined) return sendFault({httpStatus: 404}, id, 'container.clusters.get');
      return send(200, toClusterJson(cluster));
    }
    const list = LIST_PATH.exec(path);
    if (list !== null) {
      const [, project = '', location = ''] = list;
      const fault = projectFaults.get(project);
      if (fault !== undefined) {
        return sendFault(fault, `projects/${project}`, 'container.clusters.list');
      }
      const found = [...clusters.values()].filter(
        c => c.project === project && (location === '-' || c.location === location),
      );
      return send(200, {
        clusters: found.map(toClusterJson),
        missingZones: missingZones.get(project) ?? [],
      });
    }
    send(404, errorBody({httpStatus: 404, message: `No route for ${path}`}, path, ''));
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, {'content-type': 'application/json'});
      response.end(
        JSON.stringify({error: {code: 500, message: String(error), status: 'INTERNAL'}}),
      );
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('GKE API server: no port');
  const port = address.port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    putCluster: cluster => {
      clusters.set(clusterId(cluster), cluster);
    },
    failCluster: (id, fault) => setOrDelete(clusterFaults, id, fault),
    failProject: (project, fault) => setOrDelete(projectFaults, project, fault),
    setMissingZones: (project, zones) => missingZones.set(project, zones),
    requests,
    tokens,
    hold: until => {
      held = until;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    resetMaxInFlight: () => {
      maxInFlight = inFlight;
    },
    untilInFlight: n =>
      new Promise<void>(resolve => {
        if (inFlight >= n) resolve();
        else inFlightWaiters.push({n, resolve});
      }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close(error => (error ? reject(error) : resolve()));
      }),
  };
}

/** `projects/P/locations/L/clusters/C` of a fake cluster. */
export function clusterId(cluster: Pick<FakeCluster, 'project' | 'location' | 'name'>): string {
  return `projects/${cluster.project}/locations/${cluster.location}/clusters/${cluster.name}`;
}

/**
 * An OAuth2Client as google-auth-library ships it, holding a refresh token and pointed at
 * the server's token endpoint: `getAccessToken()` runs the library's own expiry check and
 * refresh against it.
 */
export function createTestAuthClient(server: GkeApiServer): OAuth2Client {
  const client = new OAuth2Client({
    clientId: 'test-client',
    clientSecret: 'test-secret',
    endpoints: {oauth2TokenUrl: `${server.url}/token`},
  });
  client.setCredentials({refresh_token: TEST_REFRESH_TOKEN});
  return client;
}

/** The Cluster message as GKE returns it (proto3 JSON, camelCase), with what the test set. */
export function toClusterJson(cluster: FakeCluster): Record<string, unknown> {
  const json: Record<string, unknown> = {
    name: cluster.name,
    location: cluster.location,
    selfLink: `https://container.googleapis.com/v1/${clusterId(cluster)}`,
    status: 'RUNNING',
    resourceLabels: cluster.resourceLabels ?? {},
  };
  if (cluster.endpoint !== undefined) json['endpoint'] = cluster.endpoint;
  if (cluster.caPem !== undefined) {
    json['masterAuth'] = {clusterCaCertificate: Buffer.from(cluster.caPem).toString('base64')};
  }
  if (cluster.privateEndpoint !== undefined) {
    json['privateClusterConfig'] = {
      enablePrivateNodes: true,
      privateEndpoint: cluster.privateEndpoint,
    };
  }
  const ipEndpointsConfig = {
    enabled: true,
    enablePublicEndpoint: cluster.endpoint !== undefined,
    ...(cluster.endpoint === undefined ? {} : {publicEndpoint: cluster.endpoint}),
    ...(cluster.privateEndpoint === undefined ? {} : {privateEndpoint: cluster.privateEndpoint}),
  };
  json['controlPlaneEndpointsConfig'] = {
    ipEndpointsConfig,
    ...(cluster.dnsEndpoint === undefined ? {} : {dnsEndpointConfig: cluster.dnsEndpoint}),
  };
  return json;
}

function errorBody(fault: Fault, resource: string, permission: string): Record<string, unknown> {
  const status = STATUS_BY_HTTP[fault.httpStatus] ?? 'UNKNOWN';
  const message = fault.message ?? defaultMessage(fault.httpStatus, resource, permission);
  const details =
    fault.reason === undefined
      ? []
      : [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: fault.reason,
            domain: 'googleapis.com',
            metadata: {service: 'container.googleapis.com'},
          },
        ];
  return {error: {code: fault.httpStatus, message, status, details}};
}

// What GKE answers, as seen in its error responses.
function defaultMessage(httpStatus: number, resource: string, permission: string): string {
  switch (httpStatus) {
    case 401:
      return 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.';
    case 403:
      return `Required "${permission}" permission(s) for "${resource}".`;
    case 404:
      return `Not found: ${resource}.`;
    default:
      return `Internal error encountered.`;
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function setOrDelete<K, V>(map: Map<K, V>, key: K, value: V | null): void {
  if (value === null) map.delete(key);
  else map.set(key, value);
}
