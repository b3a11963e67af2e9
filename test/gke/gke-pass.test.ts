/**
 * A whole pass over GKE discovery: the real ClusterManagerClient against the local GKE API,
 * the file store, and the console notifier. A project whose clusters cannot be listed for
 * three passes gets one "cannot see" incident, which closes when the project lists again.
 */
import {after, before, test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {ConsoleNotifier} from '../../functions/adapters/console-notifier.js';
import {FileIncidentStore} from '../../functions/adapters/file-incident-store.js';
import {createGkeClients, GkeClusterSource} from '../../functions/adapters/gke-cluster-source.js';
import {parseGkeSettings} from '../../functions/gke-settings.js';
import {silentLogger} from '../../functions/logger.js';
import {runPass} from '../../functions/pass.js';
import {
  createTestAuthClient,
  startGkeApiServer,
  type GkeApiServer,
} from '../support/gke-api-server.js';

let gke: GkeApiServer;
let dir: string;

before(async () => {
  gke = await startGkeApiServer();
  dir = await mkdtemp(path.join(os.tmpdir(), 'gke-pass-'));
});
after(async () => {
  await gke.close();
  await rm(dir, {recursive: true, force: true});
});

test('a project that cannot be listed opens one incident after 3 passes and closes when it lists again', async () => {
  const clients = createGkeClients({
    apiEndpoint: '127.0.0.1',
    port: gke.port,
    protocol: 'http',
    credentials: createTestAuthClient(gke),
  });
  const printed: string[] = [];
  const deps = {
    source: new GkeClusterSource({
      settings: parseGkeSettings({GKE_PROJECTS: 'scope-proj'}),
      clusterManager: clients.clusterManager,
      credentials: clients.credentials,
    }),
    store: new FileIncidentStore({dir}),
    notifier: new ConsoleNotifier({out: {write: (text: string) => printed.push(text)}}),
    logger: silentLogger,
    namespaces: null,
    budgetMs: 60_000,
    concurrency: 2,
    clusterDownAfter: 3,
    dryRun: false,
  };
  gke.failProject('scope-proj', {httpStatus: 403});
  const minutes = [0, 5, 10];
  const down = [];
  for (const m of minutes) {
    down.push(await runPass({...deps, now: () => new Date(Date.UTC(2026, 2, 2, 1, m))}));
  }
  assert.deepEqual(
    down.map(s => s.opened),
    [0, 0, 1],
  );
  assert.equal(printed.length, 1);
  assert.match(printed[0] ?? '', /No CronJob alerts from project scope-proj/i);

  gke.failProject('scope-proj', null);
  const back = await runPass({...deps, now: () => new Date(Date.UTC(2026, 2, 2, 1, 15))});
  assert.equal(back.closed, 1);
  assert.equal(back.clusters.length, 0, 'a project is not reported as a cluster');
  assert.match(printed.join(''), /readable again after 15m/i);
  const quiet = await runPass({...deps, now: () => new Date(Date.UTC(2026, 2, 2, 1, 20))});
  assert.equal(quiet.closed + quiet.opened + quiet.notificationsSent, 0);
  await clients.clusterManager.close();
});
