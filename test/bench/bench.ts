/**
 * `npm run bench`: figures, not assertions. How long a pass takes and how much state it
 * touches, for a fleet of CronJobs served by the Kubernetes API test server (real
 * client-node, real paging), with the file store and the console notifier off-screen.
 * Also the pure core alone, to separate decision cost from I/O.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {ConsoleNotifier} from '../../functions/adapters/console-notifier.js';
import {FileIncidentStore} from '../../functions/adapters/file-incident-store.js';
import {KubeconfigClusterSource} from '../../functions/adapters/kubeconfig-source.js';
import {decideSubject} from '../../functions/core/decide.js';
import {parseJob} from '../../functions/core/kube-objects.js';
import {finishedRunsOf} from '../../functions/core/verdict.js';
import {silentLogger} from '../../functions/logger.js';
import {runPass} from '../../functions/pass.js';
import {cronJob as cronJobInfo} from '../core/builders.js';
import {startKubeApiServer} from '../support/kube-api-server.js';
import {objectsFor, type RunSpec} from '../support/scenario.js';

const FLEETS = [100, 1000, 3000];
// Four Jobs per CronJob: the default history limits keep 3 successful + 1 failed.
const RUNS_PER_CRONJOB = 4;
const FAILING_SHARE = 0.05;

function runsFor(i: number, failing: boolean): RunSpec[] {
  return Array.from({length: RUNS_PER_CRONJOB}, (_, r) => {
    const at = new Date(Date.UTC(2026, 2, 2, r, i % 60)).toISOString();
    const finishedAt = new Date(Date.parse(at) + 120_000).toISOString();
    const last = r === RUNS_PER_CRONJOB - 1;
    return failing && last
      ? {scheduledAt: at, outcome: 'failed', finishedAt, reason: 'BackoffLimitExceeded'}
      : {scheduledAt: at, outcome: 'succeeded', finishedAt};
  });
}

async function benchPasses(cronJobs: number): Promise<void> {
  const server = await startKubeApiServer({});
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cronjob-watcher-bench-'));
  try {
    for (let i = 0; i < cronJobs; i++) {
      const objects = objectsFor(
        {namespace: `ns-${i % 20}`, name: `job-${i}`},
        runsFor(i, i < cronJobs * FAILING_SHARE),
      );
      server.put(objects.cronJob);
      objects.jobs.forEach(job => server.put(job));
    }
    const kubeconfig = await server.writeKubeconfig({
      context: 'bench',
      file: path.join(dir, 'kubeconfig'),
    });
    const deps = {
      source: new KubeconfigClusterSource({file: kubeconfig, context: null, clusterName: null}),
      store: new FileIncidentStore({dir: path.join(dir, 'state')}),
      notifier: new ConsoleNotifier({out: {write: () => true}}),
      logger: silentLogger,
      now: () => new Date('2026-03-02T06:00:00Z'),
      namespaces: null,
      budgetMs: 600_000,
      concurrency: 1,
      clusterDownAfter: 3,
      dryRun: false,
    };
    for (const label of ['first pass (empty state)', 'steady pass (nothing changed)']) {
      server.clearRequests();
      const started = performance.now();
      const summary = await runPass(deps);
      const ms = performance.now() - started;
      console.log(
        `${String(cronJobs).padStart(5)} CronJobs, ${cronJobs * RUNS_PER_CRONJOB} Jobs — ${label}: ` +
          `${ms.toFixed(0)} ms, ${server.requests.length} API requests, ` +
          `state ${summary.store.reads} reads / ${summary.store.writes} writes, ` +
          `${summary.opened} opened, ${summary.notificationsSent} sent`,
      );
    }
  } finally {
    await server.close();
    await rm(dir, {recursive: true, force: true});
  }
}

function benchCore(): void {
  const jobs = objectsFor({namespace: 'a', name: 'b'}, runsFor(0, true)).jobs.map(raw => {
    const parsed = parseJob(raw);
    if (!parsed.ok) throw new Error(parsed.problem.problem);
    return parsed.value;
  });
  const cronJob = cronJobInfo({uid: 'u', namespace: 'a', name: 'b'});
  const iterations = 200_000;
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    decideSubject(
      null,
      {
        type: 'cronjob',
        clusterId: 'c',
        cronJob,
        runs: finishedRunsOf(jobs),
        running: [],
        latestScheduledJobAt: null,
      },
      {clusterDownAfter: 3, missedGraceMs: null, maxDurationMs: null},
      new Date('2026-03-02T06:00:00Z'),
      undefined,
    );
  }
  const ms = performance.now() - started;
  console.log(
    `core: judge ${RUNS_PER_CRONJOB} Jobs + decide, ${((ms * 1000) / iterations).toFixed(2)} µs per CronJob (${iterations} iterations)`,
  );
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus().length} CPU(s)`);
  benchCore();
  for (const n of FLEETS) await benchPasses(n);
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
