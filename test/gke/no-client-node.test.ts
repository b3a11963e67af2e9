/**
 * The function on GKE never loads `@kubernetes/client-node`, the costliest module the watcher
 * can load: a fresh process imports the function entry configured for GKE, builds the GKE
 * source the way the first pass does, and reads a cluster over HTTPS with the cluster CA,
 * while a module-load observer records every module loaded. The same process then opens a
 * kubeconfig source, which must load client-node: so the observer is known to see it. Nor
 * does the function load secretlint before it has a text to mask.
 */
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {clusterId, startGkeApiServer, type GkeApiServer} from '../support/gke-api-server.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {loadFixtureObjects} from '../support/kube-fixtures.js';
import {createTestCa, type TestCa} from '../support/test-ca.js';

const run = promisify(execFile);
const moduleUrl = (relative: string) => new URL(relative, import.meta.url).href;

let ca: TestCa;
let kube: KubeApiServer;
let gke: GkeApiServer;
let dir: string;

before(async () => {
  ca = await createTestCa();
  kube = await startKubeApiServer({
    tls: {cert: ca.serverCertPem, key: ca.serverKeyPem},
    token: 'no-token-issued-yet',
    objects: loadFixtureObjects(),
  });
  gke = await startGkeApiServer();
  gke.tokens.onIssue = token => kube.setToken(token);
  dir = await mkdtemp(path.join(os.tmpdir(), 'no-client-node-'));
});

after(async () => {
  await kube.close();
  await gke.close();
  await ca.cleanup();
  await rm(dir, {recursive: true, force: true});
});

interface ChildReport {
  gke: {
    cronJobs: number;
    failures: number;
    clientNode: string[];
    secretlint: string[];
    loaded: number;
  };
  kubeconfig: {clusters: number; clientNode: number};
}

test('the function entry and the GKE read path never load @kubernetes/client-node', async () => {
  const cluster = {
    project: 'graph-proj',
    location: 'europe-west1',
    name: 'graph',
    endpoint: `127.0.0.1:${kube.port}`,
    caPem: ca.caCertPem,
  };
  gke.putCluster(cluster);
  const kubeconfig = await kube.writeKubeconfig({context: 'fixture', caPem: ca.caCertPem});
  const script = `
    import {registerHooks} from 'node:module';
    const loaded = [];
    registerHooks({load(url, context, next) { loaded.push(url); return next(url, context); }});
    const clientNodeOf = () => loaded.filter(url => url.includes('/@kubernetes/client-node/'));

    await import(${JSON.stringify(moduleUrl('../../functions/index.js'))});
    const {createGkeClients, GkeClusterSource} =
      await import(${JSON.stringify(moduleUrl('../../functions/adapters/gke-cluster-source.js'))});
    const {parseGkeSettings} = await import(${JSON.stringify(moduleUrl('../../functions/gke-settings.js'))});
    const {createTestAuthClient} =
      await import(${JSON.stringify(moduleUrl('../support/gke-api-server.js'))});
    const clients = createGkeClients({
      apiEndpoint: '127.0.0.1',
      port: ${gke.port},
      protocol: 'http',
      credentials: createTestAuthClient({url: ${JSON.stringify(gke.url)}}),
    });
    const source = new GkeClusterSource({
      settings: parseGkeSettings({GKE_CLUSTERS: ${JSON.stringify(clusterId(cluster))}}),
      clusterManager: clients.clusterManager,
      credentials: clients.credentials,
    });
    const listing = await source.clusters();
    const snapshot = await listing.clusters[0].reader.read({namespaces: null});
    const gke = {
      cronJobs: snapshot.cronJobs.length,
      failures: listing.failures.length,
      clientNode: clientNodeOf(),
      secretlint: loaded.filter(url => url.includes('/@secretlint/')),
      loaded: loaded.length,
    };
    await clients.clusterManager.close();

    const {KubeconfigClusterSource} =
      await import(${JSON.stringify(moduleUrl('../../functions/adapters/kubeconfig-source.js'))});
    const local = await new KubeconfigClusterSource({file: ${JSON.stringify(kubeconfig)}}).clusters();
    console.log(JSON.stringify({
      gke,
      kubeconfig: {clusters: local.clusters.length, clientNode: clientNodeOf().length},
    }));
    process.exit(0);
  `;
  const {stdout} = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: dir,
    env: {
      ...process.env,
      GKE_CLUSTERS: clusterId(cluster),
      STATE_BACKEND: 'file',
      STATE_DIR: dir,
      K_SERVICE: '',
      METADATA_SERVER_DETECTION: 'none',
    },
  });
  const report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ChildReport;
  assert.ok(report.gke.loaded > 100, `the observer saw ${report.gke.loaded} modules`);
  assert.equal(report.gke.failures, 0);
  assert.ok(report.gke.cronJobs > 0, 'the GKE source read the cluster');
  assert.equal(
    report.gke.clientNode.length,
    0,
    `loaded: ${report.gke.clientNode.slice(0, 3).join(', ')}`,
  );
  // Secret masking loads its detector for the first text to mask, not with the function.
  assert.deepEqual(report.gke.secretlint, []);
  assert.equal(report.kubeconfig.clusters, 1);
  assert.ok(report.kubeconfig.clientNode > 0, 'the kubeconfig path loads client-node');
});
