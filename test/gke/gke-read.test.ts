/**
 * End to end through GKE: the real ClusterManagerClient against the local GKE API gives the
 * endpoint and CA, and the real client-node reader reads the Kubernetes test server over
 * HTTPS (CA made for the test) with the Google access token as bearer token. The Kubernetes
 * server accepts only the newest token the token endpoint issued.
 */
import {after, before, test, mock} from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import {GoogleAuth} from 'google-auth-library';
import {ClusterError} from '../../functions/core/errors.js';
import {mapWithConcurrency} from '../../functions/core/concurrency.js';
import {
  chooseEndpoint,
  createGkeClients,
  GkeClusterSource,
  transportFor,
  type GkeClients,
} from '../../functions/adapters/gke-cluster-source.js';
import {parseGkeSettings} from '../../functions/gke-settings.js';
import {
  clusterId,
  createTestAuthClient,
  startGkeApiServer,
  toClusterJson,
  type FakeCluster,
  type GkeApiServer,
} from '../support/gke-api-server.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {createTestCa, type TestCa} from '../support/test-ca.js';
import {loadFixtureObjects} from '../support/kube-fixtures.js';
import {freePort} from '../support/free-port.js';

const MINUTE_MS = 60_000;
const PROJECT = 'read-proj';
const LOCATION = 'europe-west1';

let ca: TestCa;
let kube: KubeApiServer;
let gke: GkeApiServer;
let fixtures: ReturnType<typeof loadFixtureObjects>;

before(async () => {
  ca = await createTestCa();
  fixtures = loadFixtureObjects();
  kube = await startKubeApiServer({
    tls: {cert: ca.serverCertPem, key: ca.serverKeyPem},
    // Nothing is accepted until the token endpoint has issued a Google access token.
    token: 'no-token-issued-yet',
    objects: fixtures,
  });
  gke = await startGkeApiServer();
  gke.tokens.onIssue = token => kube.setToken(token);
});

after(async () => {
  await kube.close();
  await gke.close();
  await ca.cleanup();
});

/** Fresh clients with their own token cache, as one function instance would have. */
function clients(): GkeClients {
  return createGkeClients({
    apiEndpoint: '127.0.0.1',
    port: gke.port,
    protocol: 'http',
    credentials: createTestAuthClient(gke),
  });
}

function fake(name: string, extra: Partial<FakeCluster>): FakeCluster {
  const cluster = {project: PROJECT, location: LOCATION, name, ...extra};
  gke.putCluster(cluster);
  return cluster;
}

function source(
  gkeClients: GkeClients,
  names: string[],
  env: Record<string, string> = {},
  pageSize = 500,
): GkeClusterSource {
  return new GkeClusterSource({
    settings: parseGkeSettings({GKE_CLUSTERS: names.join(','), ...env}),
    clusterManager: gkeClients.clusterManager,
    credentials: gkeClients.credentials,
    reader: {pageSize, requestTimeoutMs: 10_000},
  });
}

function assertNoTokenIn(text: string): void {
  for (const token of gke.tokens.issued) assert.ok(!text.includes(token), 'a token leaked');
}

test('IP endpoint with the cluster CA pinned: reads every CronJob and Job', async () => {
  const cluster = fake('ip-right-ca', {
    endpoint: `127.0.0.1:${kube.port}`,
    caPem: ca.caCertPem,
  });
  const gkeClients = clients();
  const {clusters, failures} = await source(gkeClients, [clusterId(cluster)]).clusters();
  assert.deepEqual(failures, []);
  assert.equal(clusters.length, 1);
  const before = kube.requests.length;
  const snapshot = await clusters[0]!.reader.read({namespaces: null});
  assert.equal(snapshot.cluster.id, clusterId(cluster));
  assert.equal(snapshot.cronJobs.length, fixtures.cronJobs.length);
  assert.equal(snapshot.jobs.length, fixtures.jobs.length);
  const requests = kube.requests.slice(before);
  assert.ok(requests.length >= 2);
  for (const request of requests) {
    assert.equal(request.status, 200);
    assert.equal(request.token, gke.tokens.issued.at(-1), 'the Google access token is the bearer');
  }
  await gkeClients.clusterManager.close();
});

test('IP endpoint with the wrong CA: a clear TLS ClusterError, nothing sent', async () => {
  const cluster = fake('ip-wrong-ca', {
    endpoint: `127.0.0.1:${kube.port}`,
    caPem: ca.otherCaCertPem,
  });
  const gkeClients = clients();
  const {clusters} = await source(gkeClients, [clusterId(cluster)]).clusters();
  const before = kube.requests.length;
  await assert.rejects(clusters[0]!.reader.read({namespaces: null}), (error: unknown) => {
    assert.ok(error instanceof ClusterError);
    assert.equal(error.code, 'TLS');
    assert.match(
      error.message,
      /^cluster ip-wrong-ca: the TLS certificate of https:\/\/127\.0\.0\.1:\d+ did not verify against the cluster CA/,
    );
    assertNoTokenIn(error.message);
    return true;
  });
  assert.equal(kube.requests.length, before, 'no request got past the TLS handshake');
  await gkeClients.clusterManager.close();
});

test('DNS endpoint: the cluster CA is not pinned; the system trust store decides', async () => {
  // GKE offers the right CA and an IP endpoint nobody listens on: a read can only succeed
  // over the DNS endpoint, and only if the certificate verifies without that CA.
  const cluster = fake('dns', {
    endpoint: `127.0.0.1:${await freePort()}`,
    caPem: ca.caCertPem,
    dnsEndpoint: {endpoint: `localhost:${kube.port}`, allowExternalTraffic: true},
  });
  const ref = {id: clusterId(cluster), name: 'dns', project: PROJECT, location: LOCATION};
  const endpoint = chooseEndpoint(toClusterJson(cluster), 'auto', ref);
  assert.ok(!(endpoint instanceof ClusterError));
  const transport = transportFor(endpoint, async () => 'token');
  assert.equal(transport.server, `https://localhost:${kube.port}`);
  assert.equal(transport.pinsCa, false);
  assert.equal((await transport.prepare()).dispatcher, undefined);

  const gkeClients = clients();
  // The test CA is not publicly trusted, so with the system store alone the read must fail.
  const first = await source(gkeClients, [clusterId(cluster)]).clusters();
  await assert.rejects(first.clusters[0]!.reader.read({namespaces: null}), (error: unknown) => {
    assert.ok(error instanceof ClusterError);
    assert.equal(error.code, 'TLS');
    assert.match(
      error.message,
      /https:\/\/localhost:\d+ did not verify against the system's trusted public CAs/,
    );
    return true;
  });

  // In GKE the DNS endpoint's certificate chains to a public root; here the test CA plays
  // that root by joining the process's default trust store (what the system store feeds).
  const defaults = tls.getCACertificates('default');
  tls.setDefaultCACertificates([...defaults, ca.caCertPem]);
  try {
    const second = await source(gkeClients, [clusterId(cluster)]).clusters();
    const snapshot = await second.clusters[0]!.reader.read({namespaces: null});
    assert.equal(snapshot.cronJobs.length, fixtures.cronJobs.length);
  } finally {
    tls.setDefaultCACertificates(defaults);
  }
  await gkeClients.clusterManager.close();
});

test('token refresh mid-pass: a paged listing switches to a new token before the old expires', async () => {
  const cluster = fake('refresh', {endpoint: `127.0.0.1:${kube.port}`, caPem: ca.caCertPem});
  // google-auth-library checks expiry against Date; the test moves that clock by hand.
  mock.timers.enable({apis: ['Date'], now: Date.now()});
  const gkeClients = clients();
  try {
    const issuedBefore = gke.tokens.issued.length;
    // Pages of 2 objects: the CronJob and Job listings take many requests.
    const {clusters} = await source(gkeClients, [clusterId(cluster)], {}, 2).clusters();
    const first = gke.tokens.issued.at(-1);
    assert.equal(gke.tokens.issued.length, issuedBefore + 1);

    let seen = 0;
    kube.onRequest(() => {
      seen++;
      // Tokens live 60 min. After request 1: 54 min on, 6 min left — still used. After
      // request 2: 56 min on, 4 min left — inside google-auth-library's 5-minute eager
      // refresh window, so request 3 must carry a new token.
      if (seen === 1) mock.timers.tick(54 * MINUTE_MS);
      if (seen === 2) mock.timers.tick(2 * MINUTE_MS);
    });
    const before = kube.requests.length;
    const snapshot = await clusters[0]!.reader.read({namespaces: null});
    const requests = kube.requests.slice(before);

    assert.equal(snapshot.cronJobs.length, fixtures.cronJobs.length);
    assert.equal(snapshot.jobs.length, fixtures.jobs.length);
    assert.ok(requests.length > 3, `paged listing took ${requests.length} requests`);
    assert.equal(gke.tokens.issued.length, issuedBefore + 2, 'exactly one refresh');
    const second = gke.tokens.issued.at(-1);
    assert.notEqual(second, first);
    assert.deepEqual(
      requests.map(r => r.token),
      [first, first, ...requests.slice(2).map(() => second)],
    );
    // The old token is now refused, and no request was refused along the way.
    assert.ok(requests.every(r => r.status === 200));
  } finally {
    kube.onRequest(null);
    mock.timers.reset();
    await gkeClients.clusterManager.close();
  }
});

test('one cluster down (GKE 403, unreachable API server) while another is read', async () => {
  const good = fake('good', {endpoint: `127.0.0.1:${kube.port}`, caPem: ca.caCertPem});
  const denied = fake('denied', {endpoint: `127.0.0.1:${kube.port}`, caPem: ca.caCertPem});
  const closedPort = await freePort();
  const gone = fake('gone', {endpoint: `127.0.0.1:${closedPort}`, caPem: ca.caCertPem});
  gke.failCluster(clusterId(denied), {httpStatus: 403});
  const gkeClients = clients();
  try {
    const {clusters, failures} = await source(gkeClients, [
      clusterId(denied),
      clusterId(gone),
      clusterId(good),
    ]).clusters();
    assert.deepEqual(
      failures.map(f => [f.ref.name, f.code]),
      [['denied', 'FORBIDDEN']],
    );
    assert.match(
      failures[0]!.message,
      /^the function's service account lacks roles\/container\.clusterViewer on project read-proj/,
    );

    // Read the others in parallel, as a pass does, keeping each outcome apart.
    const outcomes = await mapWithConcurrency(clusters, 4, async cluster => {
      try {
        const snapshot = await cluster.reader.read({namespaces: null});
        return {name: cluster.ref.name, cronJobs: snapshot.cronJobs.length};
      } catch (error) {
        assert.ok(error instanceof ClusterError);
        return {name: cluster.ref.name, code: error.code, message: error.message};
      }
    });
    assert.deepEqual(outcomes[0], {
      name: 'gone',
      code: 'UNREACHABLE',
      message: outcomes[0]?.message,
    });
    assert.match(
      (outcomes[0] as {message: string}).message,
      new RegExp(
        `^cluster gone: cannot reach https://127\\.0\\.0\\.1:${closedPort} \\(ECONNREFUSED\\)`,
      ),
    );
    assert.deepEqual(outcomes[1], {name: 'good', cronJobs: fixtures.cronJobs.length});
    for (const failure of failures) assertNoTokenIn(failure.message);
  } finally {
    gke.failCluster(clusterId(denied), null);
    await gkeClients.clusterManager.close();
  }
});

test('RBAC 403 from the cluster names the missing rule', async () => {
  const cluster = fake('rbac', {endpoint: `127.0.0.1:${kube.port}`, caPem: ca.caCertPem});
  const fault = kube.inject({
    match: '/apis/batch/v1/cronjobs',
    action: {
      type: 'status',
      code: 403,
      message:
        'cronjobs.batch is forbidden: User "watcher@read-proj.iam.gserviceaccount.com" cannot list resource "cronjobs" in API group "batch" at the cluster scope',
    },
  });
  const gkeClients = clients();
  try {
    const {clusters} = await source(gkeClients, [clusterId(cluster)]).clusters();
    await assert.rejects(clusters[0]!.reader.read({namespaces: null}), (error: unknown) => {
      assert.ok(error instanceof ClusterError);
      assert.equal(error.code, 'FORBIDDEN');
      assert.match(error.message, /list on cronjobs, jobs, pods and events/);
      assert.match(error.message, /watcher@read-proj\.iam\.gserviceaccount\.com/);
      assertNoTokenIn(error.message);
      return true;
    });
  } finally {
    fault.remove();
    await gkeClients.clusterManager.close();
  }
});

test('GoogleAuth, as production builds it, drives both the GKE API and the cluster tokens', async () => {
  const cluster = fake('via-google-auth', {
    endpoint: `127.0.0.1:${kube.port}`,
    caPem: ca.caCertPem,
  });
  // Production passes `new GoogleAuth({scopes})` (ADC); here it wraps the test client so the
  // same GoogleAuth code paths (getClient, fetch, getAccessToken) run without a metadata server.
  const gkeClients = createGkeClients({
    apiEndpoint: '127.0.0.1',
    port: gke.port,
    protocol: 'http',
    credentials: new GoogleAuth({authClient: createTestAuthClient(gke)}),
  });
  try {
    const {clusters, failures} = await source(gkeClients, [clusterId(cluster)]).clusters();
    assert.deepEqual(failures, []);
    const snapshot = await clusters[0]!.reader.read({namespaces: null});
    assert.equal(snapshot.cronJobs.length, fixtures.cronJobs.length);
    assert.equal(kube.requests.at(-1)?.token, gke.tokens.issued.at(-1));
  } finally {
    await gkeClients.clusterManager.close();
  }
});
