/**
 * GKE as a cluster source: which clusters to read this pass, and how to reach each one with
 * the function's own service account — no kubeconfig, no gcloud, no auth plugin.
 *
 * Per pass: discover the clusters of `GKE_PROJECTS` (all locations, narrowed by resource
 * labels), add `GKE_CLUSTERS`, fetch each cluster's endpoints and CA from the GKE API, and
 * hand a Kubernetes reader to the orchestrator. Every pass asks GKE again, so a rotated
 * cluster CA or a newly enabled DNS endpoint is picked up without a redeploy.
 *
 * Any failure of one cluster or one project becomes a `ClusterFailure` in plain words; it
 * never stops the others.
 */
import {ClusterManagerClient, type protos} from '@google-cloud/container';
import {GoogleAuth, type AuthClient} from 'google-auth-library';
import {Agent, type Dispatcher} from 'undici';
import {mapWithConcurrency} from '../core/concurrency.js';
import {ClusterError, describeError, type ClusterErrorCode} from '../core/errors.js';
import type {ClusterRef} from '../core/model.js';
import type {ClusterFailure, ClusterListing, ClusterSource, WatchedCluster} from '../ports.js';
import type {GkeClusterName, GkeEndpointChoice, GkeSettings} from '../gke-settings.js';
import {KubernetesClusterReader} from './kubernetes/cluster-reader.js';
import {withBearerToken, type KubeTransport} from './kubernetes/transport.js';

type Cluster = protos.google.container.v1.ICluster;

/** The two GKE API calls the source makes; the real `ClusterManagerClient` has them. */
export type ClusterManagerApi = Pick<ClusterManagerClient, 'getCluster' | 'listClusters'>;

/** Where access tokens come from: a google-auth-library client or `GoogleAuth` (ADC). */
export type GoogleCredentials = AuthClient | GoogleAuth;

/** The scope that lets a Google access token call the GKE API and the clusters' API servers. */
export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/**
 * Bound on each GKE API call, retries included (google-gax retries UNAVAILABLE and
 * DEADLINE_EXCEEDED with backoff inside it). GKE answers getCluster/listClusters in well
 * under a second; 20 s is the client's own default for these methods, and keeps a pass
 * from waiting on gax's 10-minute total retry budget when the API cannot be reached.
 */
export const GKE_API_TIMEOUT_MS = 20_000;

/** Options of the Kubernetes readers the source builds (see `KubernetesClusterReader`). */
export interface GkeReaderOptions {
  pageSize?: number;
  requestTimeoutMs?: number;
}

/** What `GkeClusterSource` needs; built once per function instance. */
export interface GkeClusterSourceOptions {
  settings: Pick<
    GkeSettings,
    'clusters' | 'projects' | 'clusterLabels' | 'endpoint' | 'concurrency'
  >;
  clusterManager: ClusterManagerApi;
  /** Supplies the bearer token for the clusters' API servers (scope cloud-platform). */
  credentials: GoogleCredentials;
  reader?: GkeReaderOptions;
  /** Bound on each GKE API call; defaults to `GKE_API_TIMEOUT_MS`. */
  gkeApiTimeoutMs?: number;
}

/** How one cluster's API server is reached. */
export interface ControlPlaneEndpoint {
  kind: 'dns' | 'public' | 'private';
  /** `https://host[:port]`. */
  server: string;
  /**
   * The cluster CA (base64 PEM, as GKE returns it) pinned for IP endpoints; null for the
   * DNS endpoint, whose certificate is publicly trusted and checked against the system store.
   */
  caData: string | null;
}

/**
 * Reads the clusters configured in `GkeSettings` with the function's service account.
 * Token refresh: every Kubernetes request asks `credentials.getAccessToken()` for the token,
 * and google-auth-library hands back its cached token until it is within
 * `eagerRefreshThresholdMillis` of expiry — 5 minutes by default
 * (`DEFAULT_EAGER_REFRESH_THRESHOLD_MILLIS` in google-auth-library 10's authclient.js,
 * checked by `OAuth2Client.isTokenExpiring`, which the metadata-server client `Compute`
 * inherits) — and then fetches a new one. So each request leaves with at least 5 minutes of
 * token life, and a pass longer than a token's hour never fails on expiry.
 */
export class GkeClusterSource implements ClusterSource {
  private readonly settings: GkeClusterSourceOptions['settings'];
  private readonly clusterManager: ClusterManagerApi;
  private readonly readerOptions: GkeReaderOptions;
  private readonly callOptions: {timeout: number};
  private readonly tokenProvider: () => Promise<string>;

  constructor(options: GkeClusterSourceOptions) {
    this.settings = options.settings;
    this.clusterManager = options.clusterManager;
    this.readerOptions = options.reader ?? {};
    this.callOptions = {timeout: options.gkeApiTimeoutMs ?? GKE_API_TIMEOUT_MS};
    this.tokenProvider = tokenProviderOf(options.credentials);
  }

  async clusters(): Promise<ClusterListing> {
    const failures: ClusterFailure[] = [];
    const reachable: ClusterRef[] = [];
    const found = new Map<string, {name: GkeClusterName; cluster: Cluster}>();
    const {concurrency} = this.settings;

    // Discovery first: a listed cluster carries endpoints and CA already, so a cluster that
    // is both discovered and named in GKE_CLUSTERS costs no extra getCluster call.
    const listed = new Map<string, {name: GkeClusterName; cluster: Cluster; matches: boolean}>();
    const discoveries = await mapWithConcurrency(this.settings.projects, concurrency, project =>
      this.discover(project),
    );
    for (const discovery of discoveries) {
      failures.push(...discovery.failures);
      if (discovery.reachable !== undefined) reachable.push(discovery.reachable);
      for (const entry of discovery.clusters) listed.set(entry.name.id, entry);
    }
    for (const entry of listed.values()) {
      if (entry.matches) found.set(entry.name.id, entry);
    }

    // Named clusters are watched whatever their labels: the label filter narrows discovery.
    const toFetch: GkeClusterName[] = [];
    for (const name of this.settings.clusters) {
      const entry = listed.get(name.id);
      if (entry !== undefined) found.set(name.id, entry);
      else toFetch.push(name);
    }
    const fetched = await mapWithConcurrency(
      toFetch,
      concurrency,
      async (name): Promise<ClusterFailure | {name: GkeClusterName; cluster: Cluster}> => {
        try {
          const [cluster] = await this.clusterManager.getCluster({name: name.id}, this.callOptions);
          return {name, cluster};
        } catch (error) {
          return gkeApiFailure(error, refOf(name), 'getCluster');
        }
      },
    );
    for (const result of fetched) {
      if ('cluster' in result) found.set(result.name.id, result);
      else failures.push(result);
    }

    const clusters: WatchedCluster[] = [];
    for (const {name, cluster} of [...found.values()].sort(byId)) {
      const ref = refOf(name);
      const endpoint = chooseEndpoint(cluster, this.settings.endpoint, ref);
      if (endpoint instanceof ClusterError) {
        failures.push({ref, code: endpoint.code, message: endpoint.message});
        continue;
      }
      const reader = new KubernetesClusterReader(
        ref,
        transportFor(endpoint, this.tokenProvider),
        this.readerOptions,
      );
      clusters.push({ref, reader});
    }
    failures.sort((a, b) => (a.ref.id < b.ref.id ? -1 : a.ref.id > b.ref.id ? 1 : 0));
    return {clusters, failures, reachable};
  }

  private async discover(project: string): Promise<{
    clusters: {name: GkeClusterName; cluster: Cluster; matches: boolean}[];
    failures: ClusterFailure[];
    reachable?: ClusterRef;
  }> {
    const projectRef: ClusterRef = {
      id: `projects/${project}`,
      name: `project ${project}`,
      project,
      location: null,
    };
    let response: protos.google.container.v1.IListClustersResponse;
    try {
      [response] = await this.clusterManager.listClusters(
        {parent: `projects/${project}/locations/-`},
        this.callOptions,
      );
    } catch (error) {
      return {clusters: [], failures: [gkeApiFailure(error, projectRef, 'listClusters')]};
    }
    const failures: ClusterFailure[] = [];
    // GKE lists what it could and names the zones that did not answer: clusters there are
    // unknown this pass, which the summary must say rather than silently skip. They are
    // reported under the project, so the project's "cannot see" incident closes as soon as
    // a listing answers in full again (a zone that stops being missing is never named).
    const missing = response.missingZones ?? [];
    if (missing.length > 0) {
      failures.push({
        ref: projectRef,
        code: 'UNREACHABLE',
        message:
          `GKE could not list the clusters in ${missing.join(', ')} of project ${project} (the ` +
          'location did not answer); clusters there are not read this pass.',
      });
    }
    const clusters = [];
    for (const cluster of response.clusters ?? []) {
      if (!cluster.name || !cluster.location) continue;
      const name: GkeClusterName = {
        id: `projects/${project}/locations/${cluster.location}/clusters/${cluster.name}`,
        name: cluster.name,
        project,
        location: cluster.location,
      };
      clusters.push({name, cluster, matches: hasLabels(cluster, this.settings.clusterLabels)});
    }
    return {clusters, failures, ...(missing.length === 0 ? {reachable: projectRef} : {})};
  }
}

/** The clients `GkeClusterSource` needs, built once per function instance. */
export interface GkeClients {
  clusterManager: ClusterManagerClient;
  credentials: GoogleCredentials;
}

/** Overrides for tests: a local GKE API and test credentials instead of the real ones. */
export interface GkeClientOptions {
  /** Host of the GKE API, e.g. `127.0.0.1`; defaults to container.googleapis.com. */
  apiEndpoint?: string;
  port?: number;
  protocol?: 'http' | 'https';
  /** Defaults to Application Default Credentials with the cloud-platform scope. */
  credentials?: GoogleCredentials;
}

/**
 * Builds the GKE API client and the credentials, with Application Default Credentials
 * unless told otherwise (on Cloud Run: the function's service account, via the metadata
 * server). Call once, in the entry module.
 *
 * The client runs in REST fallback mode (HTTP/1.1 + JSON) everywhere, so the transport the
 * tests exercise against the local GKE API is the one that runs in production.
 */
export function createGkeClients(options: GkeClientOptions = {}): GkeClients {
  const credentials = options.credentials ?? new GoogleAuth({scopes: [CLOUD_PLATFORM_SCOPE]});
  const clusterManager = new ClusterManagerClient({
    fallback: true,
    ...(options.apiEndpoint === undefined ? {} : {apiEndpoint: options.apiEndpoint}),
    ...(options.port === undefined ? {} : {port: options.port}),
    ...(options.protocol === undefined ? {} : {protocol: options.protocol}),
    // google-gax carries its own, newer google-auth-library (11.x) whose types differ from
    // the project's 10.x; at run time it only calls getClient/fetch/getRequestHeaders and
    // reads universeDomain, which both provide. Sharing one credentials object keeps one
    // token cache for the GKE API and the clusters.
    ...(credentials instanceof GoogleAuth
      ? {auth: credentials as unknown as ClusterManagerOptions['auth']}
      : {authClient: credentials as unknown as ClusterManagerOptions['authClient']}),
  });
  return {clusterManager, credentials};
}

type ClusterManagerOptions = NonNullable<ConstructorParameters<typeof ClusterManagerClient>[0]>;

/**
 * Picks the endpoint for one cluster. `auto`: the DNS-based endpoint when it accepts
 * external traffic (publicly trusted certificate, reachable for private clusters too),
 * else `Cluster.endpoint` (what `gcloud container clusters get-credentials` uses) with the
 * cluster CA pinned. Returns a `ClusterError` when the chosen endpoint is not usable.
 */
export function chooseEndpoint(
  cluster: Cluster,
  choice: GkeEndpointChoice,
  ref: ClusterRef,
): ControlPlaneEndpoint | ClusterError {
  const dns = cluster.controlPlaneEndpointsConfig?.dnsEndpointConfig;
  const dnsHost = dns?.endpoint && dns.allowExternalTraffic === true ? dns.endpoint : null;
  const ip = cluster.controlPlaneEndpointsConfig?.ipEndpointsConfig;
  const where = `cluster ${ref.name} (${ref.id})`;

  if (choice === 'dns' || (choice === 'auto' && dnsHost !== null)) {
    if (dnsHost === null) {
      return new ClusterError(
        'CONFIG',
        `GKE_ENDPOINT=dns but ${where} has no DNS-based control plane endpoint open to ` +
          'external traffic. Enable it (gcloud container clusters update ' +
          `${ref.name} --location=${ref.location ?? 'LOCATION'} --enable-dns-access) or ` +
          'unset GKE_ENDPOINT.',
      );
    }
    return {kind: 'dns', server: serverUrl(dnsHost), caData: null};
  }

  let kind: 'public' | 'private';
  let host: string | null;
  if (choice === 'private') {
    kind = 'private';
    host = ip?.privateEndpoint || cluster.privateClusterConfig?.privateEndpoint || null;
  } else if (choice === 'public') {
    kind = 'public';
    host = ip?.publicEndpoint || cluster.privateClusterConfig?.publicEndpoint || null;
    if (host === null && ip?.enablePublicEndpoint !== false) host = cluster.endpoint || null;
  } else {
    kind = 'public';
    host = cluster.endpoint || null;
  }
  if (host === null) {
    return new ClusterError(
      'CONFIG',
      choice === 'auto'
        ? `GKE returned no control plane endpoint for ${where}; is it still being created?`
        : `GKE_ENDPOINT=${choice} but ${where} has no ${choice} IP endpoint. Use another ` +
            'GKE_ENDPOINT, or unset it to pick per cluster.',
    );
  }
  const caData = cluster.masterAuth?.clusterCaCertificate ?? '';
  if (!isBase64Pem(caData)) {
    // Without the CA the IP endpoint cannot be verified, and it is never read unverified.
    return new ClusterError(
      'BAD_RESPONSE',
      `GKE returned no usable cluster CA certificate for ${where}, so its IP endpoint ` +
        'cannot be verified; it is not read. Enabling the DNS-based endpoint avoids the CA.',
    );
  }
  return {kind, server: serverUrl(host), caData};
}

// Keep-alive probes before a cloud load balancer's idle timeout (60 s on several clouds) can
// cut a connection the pool still counts as open.
const KEEP_ALIVE_INITIAL_DELAY_MS = 30_000;

/**
 * How the reader reaches one cluster: the Google token on every request, and for an IP
 * endpoint a keep-alive dispatcher that trusts the cluster CA alone. The DNS endpoint gets no
 * dispatcher of its own (undici's global one, the system trust store).
 */
export function transportFor(
  endpoint: ControlPlaneEndpoint,
  tokenProvider: () => Promise<string>,
): KubeTransport {
  const caData = endpoint.caData;
  let dispatcher: Dispatcher | undefined;
  const pinned: KubeTransport = {
    server: endpoint.server,
    pinsCa: caData !== null,
    secrets: [],
    prepare: async () => {
      if (caData !== null) {
        dispatcher ??= new Agent({
          connect: {
            ca: Buffer.from(caData, 'base64'),
            keepAlive: true,
            keepAliveInitialDelay: KEEP_ALIVE_INITIAL_DELAY_MS,
          },
        });
      }
      return {dispatcher, headers: {Accept: 'application/json'}};
    },
  };
  return withBearerToken(pinned, tokenProvider);
}

/** True when every label in `wanted` is on the cluster with that value. */
export function hasLabels(cluster: Cluster, wanted: Record<string, string>): boolean {
  const labels = cluster.resourceLabels ?? {};
  return Object.entries(wanted).every(([key, value]) => labels[key] === value);
}

/** `ClusterRef` of a GKE cluster. */
export function refOf(name: GkeClusterName): ClusterRef {
  return {id: name.id, name: name.name, project: name.project, location: name.location};
}

/**
 * Turns a GKE API error into a `ClusterFailure` a person can act on. google-gax rejects
 * with a GoogleError: numeric gRPC `code`, `httpStatusCode`, and the ErrorInfo `reason`.
 */
export function gkeApiFailure(
  error: unknown,
  ref: ClusterRef,
  call: 'getCluster' | 'listClusters',
): ClusterFailure {
  const {code, message} = describeGkeError(error, ref, call);
  return {ref, code, message};
}

// gRPC status codes (google.rpc.Code) google-gax puts on its errors.
const GRPC = {
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

function describeGkeError(
  error: unknown,
  ref: ClusterRef,
  call: 'getCluster' | 'listClusters',
): {code: ClusterErrorCode; message: string} {
  const details = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    httpStatusCode?: unknown;
    reason?: unknown;
  };
  const grpc = typeof details.code === 'number' ? details.code : null;
  const http = typeof details.httpStatusCode === 'number' ? details.httpStatusCode : null;
  const project = ref.project ?? 'PROJECT';
  const said = `GKE said: ${describeError(error)}`;
  const subject =
    call === 'listClusters' ? `listing the clusters of project ${project}` : `cluster ${ref.name}`;

  if (details.reason === 'SERVICE_DISABLED') {
    return {
      code: 'FORBIDDEN',
      message:
        `the Kubernetes Engine API is disabled in project ${project}: enable it with ` +
        `gcloud services enable container.googleapis.com --project=${project} (${said})`,
    };
  }
  if (grpc === GRPC.PERMISSION_DENIED || http === 403) {
    return {
      code: 'FORBIDDEN',
      message:
        `the function's service account lacks roles/container.clusterViewer on project ` +
        `${project} (403 on ${subject}; ${said})`,
    };
  }
  if (grpc === GRPC.UNAUTHENTICATED || http === 401) {
    return {
      code: 'UNAUTHORIZED',
      message:
        "GKE rejected the function's Google credentials (401): check that the function runs " +
        `as a service account with the cloud-platform scope (${said})`,
    };
  }
  if (grpc === GRPC.NOT_FOUND || http === 404) {
    return {
      code: 'NOT_FOUND',
      message:
        call === 'listClusters'
          ? `project ${project} not found: GKE_PROJECTS takes project IDs (not names or ` +
            `numbers) (${said})`
          : `cluster not found: no cluster ${ref.name} in project ${project}, location ` +
            `${ref.location ?? '?'} — check GKE_CLUSTERS (a regional cluster's location is ` +
            `its region, a zonal one's its zone) (${said})`,
    };
  }
  if (grpc === GRPC.DEADLINE_EXCEEDED) {
    return {
      code: 'TIMEOUT',
      message: `the GKE API did not answer in time for ${subject} (${said})`,
    };
  }
  if (grpc === GRPC.UNAVAILABLE) {
    return {
      code: 'UNREACHABLE',
      message: `could not reach the GKE API (container.googleapis.com) for ${subject} (${said})`,
    };
  }
  if (grpc === GRPC.RESOURCE_EXHAUSTED || http === 429) {
    return {
      code: 'SERVER_ERROR',
      message: `the GKE API quota of project ${project} is exhausted; ${subject} is retried next pass (${said})`,
    };
  }
  if (grpc === GRPC.INVALID_ARGUMENT || grpc === GRPC.FAILED_PRECONDITION) {
    return {code: 'CONFIG', message: `GKE refused the request for ${subject} (${said})`};
  }
  const status = http === null ? '' : ` (HTTP ${http})`;
  return {code: 'SERVER_ERROR', message: `the GKE API failed${status} for ${subject} (${said})`};
}

/**
 * A token provider for the Kubernetes reader: the credentials' current access token, fresh
 * per request. A failure to get one is the cluster's `UNAUTHORIZED`, without the token.
 */
function tokenProviderOf(credentials: GoogleCredentials): () => Promise<string> {
  return async () => {
    let token: string | null | undefined;
    try {
      token =
        credentials instanceof GoogleAuth
          ? await credentials.getAccessToken()
          : (await credentials.getAccessToken()).token;
    } catch (error) {
      throw new ClusterError(
        'UNAUTHORIZED',
        `could not get a Google access token for the function's service account (${describeError(error)})`,
        {cause: error},
      );
    }
    if (!token) {
      throw new ClusterError(
        'UNAUTHORIZED',
        "Application Default Credentials gave no access token for the function's service account",
      );
    }
    return token;
  };
}

function serverUrl(host: string): string {
  // GKE returns bare hosts (an IPv4 address or a DNS name); an IPv6 literal needs brackets.
  const bracketed = host.split(':').length > 2 && !host.startsWith('[') ? `[${host}]` : host;
  return `https://${bracketed}`;
}

function isBase64Pem(value: string): boolean {
  if (value === '' || !/^[A-Za-z0-9+/=\s]+$/.test(value)) return false;
  return Buffer.from(value, 'base64').toString('utf8').includes('-----BEGIN CERTIFICATE-----');
}

function byId(a: {name: GkeClusterName}, b: {name: GkeClusterName}): number {
  return a.name.id < b.name.id ? -1 : a.name.id > b.name.id ? 1 : 0;
}
