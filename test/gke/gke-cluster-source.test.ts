/**
 * GkeClusterSource with the real ClusterManagerClient (REST fallback) against the local GKE
 * API: endpoint choice, discovery with a label filter, failures in plain words, and the
 * concurrency bound on GKE calls. Reading clusters over HTTPS is in gke-read.test.ts.
 */
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {ClusterError} from '../../functions/core/errors.js';
import type {ClusterRef} from '../../functions/core/model.js';
import {
  chooseEndpoint,
  createGkeClients,
  GkeClusterSource,
  transportFor,
  type ClusterManagerApi,
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

const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const CA_B64 = Buffer.from(CA_PEM).toString('base64');

let gke: GkeApiServer;
let clusterManager: ReturnType<typeof createGkeClients>['clusterManager'];
let credentials: ReturnType<typeof createGkeClients>['credentials'];

before(async () => {
  gke = await startGkeApiServer();
  ({clusterManager, credentials} = createGkeClients({
    apiEndpoint: '127.0.0.1',
    port: gke.port,
    protocol: 'http',
    credentials: createTestAuthClient(gke),
  }));
});

after(async () => {
  await clusterManager.close();
  await gke.close();
});

function sourceFor(
  env: Record<string, string>,
  api: ClusterManagerApi = clusterManager,
): GkeClusterSource {
  return new GkeClusterSource({
    settings: parseGkeSettings(env),
    clusterManager: api,
    credentials,
  });
}

const REF: ClusterRef = {
  id: 'projects/proj-one/locations/europe-west1/clusters/prod',
  name: 'prod',
  project: 'proj-one',
  location: 'europe-west1',
};

function cluster(extra: Partial<FakeCluster>): ReturnType<typeof toClusterJson> {
  return toClusterJson({project: 'proj-one', location: 'europe-west1', name: 'prod', ...extra});
}

// Each row: a Cluster as GKE returns it, the GKE_ENDPOINT choice, and what must be used.
const endpointRows: {
  name: string;
  cluster: ReturnType<typeof toClusterJson>;
  choice: 'auto' | 'dns' | 'public' | 'private';
  want: {kind: string; server: string; caData: string | null} | {error: string; says: RegExp};
}[] = [
  {
    name: 'auto: the DNS endpoint when it accepts external traffic, CA not pinned',
    cluster: cluster({
      endpoint: '34.1.2.3',
      caPem: CA_PEM,
      dnsEndpoint: {endpoint: 'gke-abc.europe-west1.gke.goog', allowExternalTraffic: true},
    }),
    choice: 'auto',
    want: {kind: 'dns', server: 'https://gke-abc.europe-west1.gke.goog', caData: null},
  },
  {
    name: 'auto: a DNS endpoint closed to external traffic is not used',
    cluster: cluster({
      endpoint: '34.1.2.3',
      caPem: CA_PEM,
      dnsEndpoint: {endpoint: 'gke-abc.europe-west1.gke.goog', allowExternalTraffic: false},
    }),
    choice: 'auto',
    want: {kind: 'public', server: 'https://34.1.2.3', caData: CA_B64},
  },
  {
    name: 'auto: no DNS endpoint, the IP endpoint with the CA pinned',
    cluster: cluster({endpoint: '34.1.2.3', caPem: CA_PEM}),
    choice: 'auto',
    want: {kind: 'public', server: 'https://34.1.2.3', caData: CA_B64},
  },
  {
    name: 'public overrides an enabled DNS endpoint',
    cluster: cluster({
      endpoint: '34.1.2.3',
      caPem: CA_PEM,
      dnsEndpoint: {endpoint: 'gke-abc.europe-west1.gke.goog', allowExternalTraffic: true},
    }),
    choice: 'public',
    want: {kind: 'public', server: 'https://34.1.2.3', caData: CA_B64},
  },
  {
    name: 'private: the private endpoint with the CA pinned',
    cluster: cluster({endpoint: '34.1.2.3', privateEndpoint: '10.0.0.2', caPem: CA_PEM}),
    choice: 'private',
    want: {kind: 'private', server: 'https://10.0.0.2', caData: CA_B64},
  },
  {
    name: 'private: from privateClusterConfig alone (older clusters)',
    cluster: {
      ...cluster({endpoint: '34.1.2.3', caPem: CA_PEM}),
      controlPlaneEndpointsConfig: undefined,
      privateClusterConfig: {privateEndpoint: '10.0.0.3'},
    },
    choice: 'private',
    want: {kind: 'private', server: 'https://10.0.0.3', caData: CA_B64},
  },
  {
    name: 'dns asked for but not enabled',
    cluster: cluster({endpoint: '34.1.2.3', caPem: CA_PEM}),
    choice: 'dns',
    want: {error: 'CONFIG', says: /GKE_ENDPOINT=dns but cluster prod .* --enable-dns-access/},
  },
  {
    name: 'private asked for, none there',
    cluster: cluster({endpoint: '34.1.2.3', caPem: CA_PEM}),
    choice: 'private',
    want: {
      error: 'CONFIG',
      says: /GKE_ENDPOINT=private but cluster prod .* no private IP endpoint/,
    },
  },
  {
    name: 'an IP endpoint without a CA is never read unverified',
    cluster: cluster({endpoint: '34.1.2.3'}),
    choice: 'auto',
    want: {error: 'BAD_RESPONSE', says: /no usable cluster CA certificate .* not read/},
  },
  {
    name: 'a CA that is not base64 PEM',
    cluster: {...cluster({endpoint: '34.1.2.3'}), masterAuth: {clusterCaCertificate: 'not-a-cert'}},
    choice: 'auto',
    want: {error: 'BAD_RESPONSE', says: /no usable cluster CA certificate/},
  },
  {
    name: 'a cluster still being created has no endpoint',
    cluster: cluster({caPem: CA_PEM}),
    choice: 'auto',
    want: {error: 'CONFIG', says: /no control plane endpoint .* still being created/},
  },
  {
    name: 'an IPv6 endpoint is bracketed',
    cluster: cluster({endpoint: '2600:1900::1', caPem: CA_PEM}),
    choice: 'auto',
    want: {kind: 'public', server: 'https://[2600:1900::1]', caData: CA_B64},
  },
];

for (const row of endpointRows) {
  test(`chooseEndpoint — ${row.name}`, () => {
    const got = chooseEndpoint(row.cluster, row.choice, REF);
    if ('error' in row.want) {
      assert.ok(got instanceof ClusterError, `expected an error, got ${JSON.stringify(got)}`);
      assert.equal(got.code, row.want.error);
      assert.match(got.message, row.want.says);
      return;
    }
    assert.deepEqual(got, row.want);
    const transport = transportFor(got as Exclude<typeof got, ClusterError>, async () => 'token');
    assert.equal(transport.server, row.want.server);
    // The DNS endpoint pins no CA at all: the system trust store decides.
    assert.equal(transport.pinsCa, typeof row.want.caData === 'string');
  });
}

test("transportFor sends only the provider's token (tokens come per request)", async () => {
  let calls = 0;
  const transport = transportFor(
    {kind: 'public', server: 'https://34.1.2.3', caData: CA_B64},
    async () => {
      calls += 1;
      return `ya29.provider-token-${calls}`;
    },
  );
  assert.deepEqual(transport.secrets, []);
  const first = await transport.prepare();
  const second = await transport.prepare();
  assert.deepEqual(first.headers, {
    Accept: 'application/json',
    Authorization: 'Bearer ya29.provider-token-1',
  });
  assert.equal(second.headers.Authorization, 'Bearer ya29.provider-token-2');
  // The IP endpoint gets one keep-alive dispatcher with the cluster CA, reused by every request.
  assert.ok(first.dispatcher !== undefined);
  assert.equal(second.dispatcher, first.dispatcher);
  await first.dispatcher.close();
});

test('discovery by project with a label filter, union with GKE_CLUSTERS, failures in plain words', async () => {
  const put = (c: FakeCluster) => gke.putCluster({endpoint: '34.1.2.3', caPem: CA_PEM, ...c});
  put({
    project: 'disc-one',
    location: 'europe-west1',
    name: 'prod-eu',
    resourceLabels: {env: 'prod', team: 'pay'},
  });
  put({
    project: 'disc-one',
    location: 'us-central1-a',
    name: 'prod-us',
    resourceLabels: {env: 'prod', team: 'pay', x: 'y'},
  });
  put({
    project: 'disc-one',
    location: 'europe-west1',
    name: 'dev',
    resourceLabels: {env: 'dev', team: 'pay'},
  });
  put({
    project: 'disc-one',
    location: 'europe-west1',
    name: 'other-team',
    resourceLabels: {env: 'prod'},
  });
  put({project: 'disc-one', location: 'europe-west1', name: 'no-labels'});
  put({
    project: 'disc-two',
    location: 'europe-west1',
    name: 'hidden',
    resourceLabels: {env: 'prod', team: 'pay'},
  });
  put({project: 'disc-four', location: 'asia-east1', name: 'named', resourceLabels: {}});
  gke.failProject('disc-two', {httpStatus: 403});
  gke.setMissingZones('disc-three', ['us-east1-b']);
  const before = gke.requests.length;

  const source = sourceFor({
    GKE_PROJECTS: 'disc-one,disc-two,disc-three',
    GKE_CLUSTER_LABELS: 'env=prod,team=pay',
    GKE_CLUSTERS: [
      // Named clusters are watched whatever their labels; this one was listed already.
      'projects/disc-one/locations/europe-west1/clusters/dev',
      // Listed (duplicate of a discovered one).
      'projects/disc-one/locations/europe-west1/clusters/prod-eu',
      'projects/disc-four/locations/asia-east1/clusters/named',
      'projects/disc-four/locations/asia-east1/clusters/gone',
    ].join(','),
  });
  const {clusters, failures, reachable} = await source.clusters();
  assert.deepEqual(
    reachable?.map(r => r.id),
    ['projects/disc-one'],
    'only a project listed in full is reachable',
  );

  assert.deepEqual(
    clusters.map(c => c.ref),
    [
      {
        id: 'projects/disc-four/locations/asia-east1/clusters/named',
        name: 'named',
        project: 'disc-four',
        location: 'asia-east1',
      },
      {
        id: 'projects/disc-one/locations/europe-west1/clusters/dev',
        name: 'dev',
        project: 'disc-one',
        location: 'europe-west1',
      },
      {
        id: 'projects/disc-one/locations/europe-west1/clusters/prod-eu',
        name: 'prod-eu',
        project: 'disc-one',
        location: 'europe-west1',
      },
      {
        id: 'projects/disc-one/locations/us-central1-a/clusters/prod-us',
        name: 'prod-us',
        project: 'disc-one',
        location: 'us-central1-a',
      },
    ],
  );
  assert.deepEqual(
    failures.map(f => [f.ref.id, f.code]),
    [
      ['projects/disc-four/locations/asia-east1/clusters/gone', 'NOT_FOUND'],
      // Reported under the project, so its incident closes once the listing is whole again.
      ['projects/disc-three', 'UNREACHABLE'],
      ['projects/disc-two', 'FORBIDDEN'],
    ],
  );
  const [gone, zone, forbidden] = failures;
  assert.match(
    gone?.message ?? '',
    /^cluster not found: no cluster gone in project disc-four, location asia-east1/,
  );
  assert.match(
    zone?.message ?? '',
    /could not list the clusters in us-east1-b of project disc-three/,
  );
  assert.match(
    forbidden?.message ?? '',
    /^the function's service account lacks roles\/container\.clusterViewer on project disc-two .*container\.clusters\.list/,
  );

  // One list per project, and getCluster only for named clusters discovery did not return.
  const calls = gke.requests
    .slice(before)
    .filter(r => r.path.startsWith('/v1/'))
    .map(r => r.path)
    .sort();
  assert.deepEqual(calls, [
    '/v1/projects/disc-four/locations/asia-east1/clusters/gone',
    '/v1/projects/disc-four/locations/asia-east1/clusters/named',
    '/v1/projects/disc-one/locations/-/clusters',
    '/v1/projects/disc-three/locations/-/clusters',
    '/v1/projects/disc-two/locations/-/clusters',
  ]);
  gke.failProject('disc-two', null);
});

// Each GKE error, from the real client decoding the server's Google JSON error body.
const errorRows: {
  name: string;
  fault: Parameters<GkeApiServer['failCluster']>[1];
  code: string;
  says: RegExp;
}[] = [
  {
    name: '403',
    fault: {httpStatus: 403},
    code: 'FORBIDDEN',
    says: /^the function's service account lacks roles\/container\.clusterViewer on project errs-proj \(403 on cluster c; GKE said: Required "container\.clusters\.get" permission/,
  },
  {
    name: '403 with the API disabled',
    fault: {
      httpStatus: 403,
      reason: 'SERVICE_DISABLED',
      message:
        'Kubernetes Engine API has not been used in project errs-proj before or it is disabled.',
    },
    code: 'FORBIDDEN',
    says: /^the Kubernetes Engine API is disabled in project errs-proj: enable it with gcloud services enable container\.googleapis\.com --project=errs-proj/,
  },
  {
    name: '404',
    fault: {httpStatus: 404},
    code: 'NOT_FOUND',
    says: /^cluster not found: no cluster c in project errs-proj, location europe-west1 — check GKE_CLUSTERS/,
  },
  {
    name: '401',
    fault: {httpStatus: 401},
    code: 'UNAUTHORIZED',
    says: /^GKE rejected the function's Google credentials \(401\)/,
  },
  {
    name: '500',
    fault: {httpStatus: 500},
    code: 'SERVER_ERROR',
    says: /^the GKE API failed \(HTTP 500\) for cluster c \(GKE said: Internal error encountered\.\)/,
  },
  {
    name: '429',
    fault: {httpStatus: 429, message: 'Quota exceeded'},
    code: 'SERVER_ERROR',
    says: /quota of project errs-proj is exhausted/,
  },
  {
    name: '400',
    fault: {httpStatus: 400, message: 'Location "europe-west1" is not valid'},
    code: 'CONFIG',
    says: /^GKE refused the request for cluster c \(GKE said: Location/,
  },
];

for (const row of errorRows) {
  test(`a GKE ${row.name} on getCluster becomes a ClusterFailure in plain words`, async () => {
    const id = 'projects/errs-proj/locations/europe-west1/clusters/c';
    gke.putCluster({
      project: 'errs-proj',
      location: 'europe-west1',
      name: 'c',
      endpoint: '34.1.2.3',
      caPem: CA_PEM,
    });
    gke.failCluster(id, row.fault);
    try {
      const {clusters, failures} = await sourceFor({GKE_CLUSTERS: id}).clusters();
      assert.deepEqual(clusters, []);
      assert.equal(failures.length, 1);
      assert.equal(failures[0]?.ref.id, id);
      assert.equal(failures[0]?.code, row.code);
      assert.match(failures[0]?.message ?? '', row.says);
      // Never a token in what reaches the summary.
      for (const token of gke.tokens.issued) assert.ok(!failures[0]?.message.includes(token));
    } finally {
      gke.failCluster(id, null);
    }
  });
}

test('a failing cluster does not stop the others', async () => {
  const ok = {
    project: 'iso-proj',
    location: 'europe-west1',
    name: 'ok',
    endpoint: '34.1.2.3',
    caPem: CA_PEM,
  };
  const bad = {...ok, name: 'bad'};
  gke.putCluster(ok);
  gke.putCluster(bad);
  gke.failCluster(clusterId(bad), {httpStatus: 500});
  const {clusters, failures} = await sourceFor({
    GKE_CLUSTERS: `${clusterId(bad)},${clusterId(ok)}`,
  }).clusters();
  assert.deepEqual(
    clusters.map(c => c.ref.id),
    [clusterId(ok)],
  );
  assert.deepEqual(
    failures.map(f => f.ref.id),
    [clusterId(bad)],
  );
  gke.failCluster(clusterId(bad), null);
});

test('GKE calls respect GKE_CONCURRENCY', async () => {
  const names = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
  for (const name of names) {
    gke.putCluster({
      project: 'bound-proj',
      location: 'europe-west1',
      name,
      endpoint: '34.1.2.3',
      caPem: CA_PEM,
    });
  }
  // Count calls as they start, around the real client: all starts happen synchronously
  // when the source fans out, so a missing bound would show all six at once.
  let started = 0;
  const counting: ClusterManagerApi = {
    getCluster: ((...args: Parameters<ClusterManagerApi['getCluster']>) => {
      started++;
      return clusterManager.getCluster(...args);
    }) as ClusterManagerApi['getCluster'],
    listClusters: clusterManager.listClusters.bind(clusterManager),
  };
  let release!: () => void;
  gke.hold(new Promise<void>(resolve => (release = resolve)));
  gke.resetMaxInFlight();
  const pass = sourceFor(
    {
      GKE_CLUSTERS: names
        .map(n => `projects/bound-proj/locations/europe-west1/clusters/${n}`)
        .join(','),
      GKE_CONCURRENCY: '2',
    },
    counting,
  ).clusters();
  await gke.untilInFlight(2);
  assert.equal(started, 2, 'only two getCluster calls start while two are unanswered');
  assert.equal(gke.inFlight, 2);
  release();
  gke.hold(null);
  const {clusters, failures} = await pass;
  assert.equal(started, 6);
  assert.deepEqual(failures, []);
  assert.equal(clusters.length, 6);
  assert.equal(gke.maxInFlight, 2);
});
