/**
 * A cluster of small CronJobs on the Kubernetes test server, some failing, and the pass
 * dependencies to run over it with a given store: for store tests that need whole passes.
 */
import {after, before} from 'node:test';
import {ConsoleNotifier} from '../../functions/adapters/console-notifier.js';
import {KubeconfigClusterSource} from '../../functions/adapters/kubeconfig-source.js';
import {silentLogger} from '../../functions/logger.js';
import type {PassDeps} from '../../functions/pass.js';
import type {IncidentStore} from '../../functions/ports.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {objectsFor, type RunSpec} from '../support/scenario.js';

/** The pass clock: an hour after the runs below. */
export const PASS_NOW = new Date('2026-03-02T06:00:00Z');

function runs(failing: boolean): RunSpec[] {
  const at = '2026-03-02T05:00:00Z';
  return [
    {scheduledAt: '2026-03-02T04:00:00Z', outcome: 'succeeded', finishedAt: '2026-03-02T04:02:00Z'},
    failing
      ? {scheduledAt: at, outcome: 'failed', finishedAt: '2026-03-02T05:03:00Z'}
      : {scheduledAt: at, outcome: 'succeeded', finishedAt: '2026-03-02T05:02:00Z'},
  ];
}

/** A served cluster: `failing` of its `cronJobs` failed their latest run. */
export interface FleetCluster {
  kube: KubeApiServer;
  /** Cluster id the pass uses: `kubeconfig/<context>`. */
  clusterId: string;
  deps(store: IncidentStore): PassDeps;
}

export async function startFleetCluster(options: {
  context: string;
  cronJobs: number;
  failing: number;
  namespaces: number;
}): Promise<FleetCluster> {
  const kube = await startKubeApiServer();
  for (let i = 0; i < options.cronJobs; i++) {
    const objects = objectsFor(
      {namespace: `team-${i % options.namespaces}`, name: `job-${i}`},
      runs(i < options.failing),
    );
    kube.put(objects.cronJob);
    objects.jobs.forEach(job => kube.put(job));
  }
  const kubeconfig = await kube.writeKubeconfig({context: options.context});
  return {
    kube,
    clusterId: `kubeconfig/${options.context}`,
    deps: store => ({
      source: new KubeconfigClusterSource({file: kubeconfig}),
      store,
      notifier: new ConsoleNotifier({out: {write: () => true}}),
      logger: silentLogger,
      now: () => PASS_NOW,
      namespaces: null,
      budgetMs: 600_000,
      concurrency: 1,
      dryRun: false,
      clusterDownAfter: 3,
    }),
  };
}

/**
 * A fleet cluster for the tests of the suite (or file) this is called in: started by its
 * `before` hook, closed by its `after` hook.
 */
export function useFleetCluster(options: Parameters<typeof startFleetCluster>[0]): FleetCluster {
  let cluster: FleetCluster | undefined;
  before(async () => {
    cluster = await startFleetCluster(options);
  });
  after(() => cluster?.kube.close());
  const started = (): FleetCluster => {
    if (cluster === undefined) throw new Error('the fleet cluster is started by a before hook');
    return cluster;
  };
  return {
    get kube() {
      return started().kube;
    },
    get clusterId() {
      return started().clusterId;
    },
    deps: store => started().deps(store),
  };
}
