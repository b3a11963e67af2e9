/**
 * Many clusters in one pass (issue 14, goal 6): `BENCH_CLUSTERS` clusters, all served by the
 * fleet server at `BENCH_URL` (each of `BENCH_CRONJOBS` CronJobs), read `BENCH_CONCURRENCY`
 * at a time, with the file store. Run by the benchmark as a child with a bounded heap; prints
 * what the pass did as JSON.
 */
import {mkdtemp} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as clientNode from '@kubernetes/client-node';
import {ConsoleNotifier} from '../../functions/adapters/console-notifier.js';
import {FileIncidentStore} from '../../functions/adapters/file-incident-store.js';
import {kubeconfigTransport} from '../../functions/adapters/kubeconfig-source.js';
import {KubernetesClusterReader} from '../../functions/adapters/kubernetes/cluster-reader.js';
import {silentLogger} from '../../functions/logger.js';
import {runPass} from '../../functions/pass.js';

const clusters = Number(process.env.BENCH_CLUSTERS ?? '20');
const kubeConfig = new clientNode.KubeConfig();
kubeConfig.loadFromFile(process.env.BENCH_KUBECONFIG ?? '');
const transport = kubeconfigTransport(kubeConfig, clientNode);
const summary = await runPass({
  source: {
    clusters: async () => ({
      clusters: Array.from({length: clusters}, (_, i) => {
        const ref = {id: `bench/cluster-${i}`, name: `cluster-${i}`, project: null, location: null};
        return {ref, reader: new KubernetesClusterReader(ref, transport)};
      }),
      failures: [],
    }),
  },
  store: new FileIncidentStore({
    dir: await mkdtemp(path.join(os.tmpdir(), 'bench-many-')),
    batchPerPass: true,
  }),
  notifier: new ConsoleNotifier({out: {write: () => true}}),
  logger: silentLogger,
  now: () => new Date(),
  namespaces: null,
  budgetMs: 600_000,
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? '4'),
  clusterDownAfter: 3,
  dryRun: false,
});
process.stdout.write(
  `${JSON.stringify({cronJobsSeen: summary.cronJobsSeen, opened: summary.opened, store: summary.store, errors: summary.errors.length})}\n`,
);
