/**
 * `npm run demo`: a scripted morning on a cluster, with no cluster and no cloud account.
 * It starts the Kubernetes API test server, plays five passes of the real watcher against it
 * (file state in a temp directory, Slack messages printed), and shows what on-call would see.
 * MESSAGE_LANGUAGE (en, ja) is read by the function's own parser, as a deployment's is.
 */
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {ConsoleNotifier} from '../../functions/adapters/console-notifier.js';
import {FileIncidentStore} from '../../functions/adapters/file-incident-store.js';
import {KubeconfigClusterSource} from '../../functions/adapters/kubeconfig-source.js';
import {parseConfig} from '../../functions/config.js';
import {TextLogger} from '../../functions/logger.js';
import {runPass, type PassSummary} from '../../functions/pass.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {parseRoutes} from '../../functions/core/policy.js';
import {ConfigError} from '../../functions/core/errors.js';
import {objectsFor, podNameFor, type CronJobSpec, type RunSpec} from '../support/scenario.js';

// Routed to its team's channel by ROUTES, and asking for the last lines of its log.
const ROUTES = 'demo-cluster/backups=#team-backups';
const BACKUP: CronJobSpec = {
  namespace: 'backups',
  name: 'db-backup',
  schedule: '0 * * * *',
  annotations: {
    'cronjob-watcher/log-lines': '7',
    'cronjob-watcher/runbook': 'https://wiki.example.com/runbooks/db-backup',
  },
};
const DIGEST: CronJobSpec = {namespace: 'mail', name: 'send-digest', schedule: '30 * * * *'};
const REPORT: CronJobSpec = {namespace: 'reports', name: 'hourly-rollup', schedule: '15 * * * *'};
// The silent failures: a load that stops being started, and a Forbid CronJob whose Job
// cannot pull its image (no activeDeadlineSeconds: it would wait forever).
const LOAD: CronJobSpec = {
  namespace: 'data',
  name: 'warehouse-load',
  schedule: '45 * * * *',
  startingDeadlineSeconds: null,
};
const WARMUP: CronJobSpec = {
  namespace: 'ops',
  name: 'cache-warmup',
  schedule: '0 * * * *',
  concurrencyPolicy: 'Forbid',
  startingDeadlineSeconds: null,
};
// Schedules as Kubernetes reads them (robfig/cron): `0/15` is every quarter hour from :00, and
// `@every 90m` runs 90 minutes after its previous run.
// Its limit raised so that a run far slower than usual is told as that, not as running too long.
const DRAIN: CronJobSpec = {
  namespace: 'data',
  name: 'queue-drain',
  schedule: '0/15 * * * *',
  startingDeadlineSeconds: null,
  annotations: {'cronjob-watcher/max-duration': '1h'},
};
// Usually 3 minutes; one run will finish in seconds.
const REINDEX: CronJobSpec = {
  namespace: 'search',
  name: 'reindex',
  schedule: '*/10 * * * *',
  startingDeadlineSeconds: null,
};
const CERTS: CronJobSpec = {
  namespace: 'ops',
  name: 'cert-sync',
  schedule: '@every 90m',
  startingDeadlineSeconds: null,
};
const PULLING = {
  reason: 'ImagePullBackOff',
  message: 'Back-off pulling image "registry.example/cache-warmup:v2.4.1-typo"',
};
const stuck: RunSpec = {scheduledAt: '2026-03-02T01:00:00Z', outcome: 'running', waiting: PULLING};
const drainSlow: RunSpec = {scheduledAt: '2026-03-02T03:00:00Z', outcome: 'running'};

const ok = (at: string, minutes = 4): RunSpec => ({
  scheduledAt: at,
  outcome: 'succeeded',
  finishedAt: new Date(Date.parse(at) + minutes * 60_000).toISOString(),
});
/** `ok` runs every `everyMinutes` from `from` to `to` (inclusive), each `minutes` long. */
const oks = (from: string, to: string, everyMinutes: number, minutes: number): RunSpec[] => {
  const runs: RunSpec[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += everyMinutes * 60_000) {
    runs.push(ok(new Date(t).toISOString().replace('.000', ''), minutes));
  }
  return runs;
};
const failed = (at: string, reason: string, minutes: number, pod?: RunSpec['pod']): RunSpec => ({
  scheduledAt: at,
  outcome: 'failed',
  reason,
  finishedAt: new Date(Date.parse(at) + minutes * 60_000).toISOString(),
  ...(pod ? {pod} : {}),
});

interface Step {
  at: string;
  story: string;
  runs: Map<CronJobSpec, RunSpec[]>;
  /** Logs the failed Pods of these runs serve. */
  logs?: Array<[CronJobSpec, RunSpec, string]>;
}

const BACKUP_OOM = failed('2026-03-02T01:00:00Z', 'BackoffLimitExceeded', 6, {
  reason: 'OOMKilled',
  exitCode: 137,
});
const BACKUP_LOG = [
  '2026-03-02T01:00:04Z pg_dump: connecting to postgres://backup:password=s3cr3t@db:5432/app',
  '2026-03-02T01:00:05Z pg_dump: dumping contents of 214 tables',
  '2026-03-02T01:03:41Z pg_dump: table "events": 48,112,004 rows',
  '2026-03-02T01:05:58Z gzip: writing /backup/app.sql.gz',
  '2026-03-02T01:05:59Z upload: buffering 3.1 GiB in memory before sending to gs://acme-backups',
  '2026-03-02T01:06:00Z runtime: out of memory: cannot allocate 268435456-byte block',
  '2026-03-02T01:06:00Z fatal error: out of memory',
].join('\n');

const steps: Step[] = [
  {
    at: '2026-03-02T01:10:00Z',
    story:
      'All quiet: every CronJob last succeeded (cache-warmup has just started). The watcher records where it starts from.',
    runs: new Map([
      [BACKUP, [ok('2026-03-02T00:00:00Z')]],
      [DIGEST, [ok('2026-03-02T00:30:00Z', 2)]],
      [REPORT, [ok('2026-03-02T00:15:00Z', 1)]],
      [LOAD, [ok('2026-03-02T00:45:00Z', 5)]],
      [WARMUP, [ok('2026-03-02T00:00:00Z', 3), stuck]],
      [DRAIN, [ok('2026-03-02T00:45:00Z', 1), ok('2026-03-02T01:00:00Z', 1)]],
      [CERTS, [ok('2026-03-02T00:10:00Z', 1)]],
      [REINDEX, [ok('2026-03-02T01:00:00Z', 3)]],
    ]),
  },
  {
    at: '2026-03-02T01:20:00Z',
    story:
      'db-backup ran at 01:00 and was OOM-killed until the backoff limit. ROUTES sends it to #team-backups, with the end of its log (the password masked) and its runbook.',
    runs: new Map([
      [BACKUP, [ok('2026-03-02T00:00:00Z'), BACKUP_OOM]],
      [REINDEX, [ok('2026-03-02T01:10:00Z', 3)]],
    ]),
    logs: [[BACKUP, BACKUP_OOM, `${BACKUP_LOG}\n`]],
  },
  {
    at: '2026-03-02T02:20:00Z',
    story:
      'db-backup failed again at 02:00 (same incident, no new message). send-digest failed at 01:30 and recovered at 02:00 between two passes. warehouse-load was not started at 01:45, nor cert-sync (@every 90m) at 01:40, 90 minutes after its 00:10 run; queue-drain (0/15) ran every quarter hour. cache-warmup has been stuck for over an hour.',
    runs: new Map([
      [
        BACKUP,
        [
          ok('2026-03-02T00:00:00Z'),
          failed('2026-03-02T01:00:00Z', 'BackoffLimitExceeded', 6),
          failed('2026-03-02T02:00:00Z', 'DeadlineExceeded', 10),
        ],
      ],
      [
        DIGEST,
        [
          ok('2026-03-02T00:30:00Z', 2),
          failed('2026-03-02T01:30:00Z', 'BackoffLimitExceeded', 3, {reason: 'Error', exitCode: 1}),
          {...ok('2026-03-02T02:00:00Z', 2), manual: true, name: 'send-digest-manual-7fk2q'},
        ],
      ],
      [DRAIN, oks('2026-03-02T01:15:00Z', '2026-03-02T02:15:00Z', 15, 1)],
      [REPORT, [ok('2026-03-02T01:15:00Z', 1), ok('2026-03-02T02:15:00Z', 1)]],
      [REINDEX, oks('2026-03-02T01:20:00Z', '2026-03-02T02:10:00Z', 10, 3)],
    ]),
  },
  {
    at: '2026-03-02T03:20:00Z',
    story:
      'Someone raised the memory limit; db-backup succeeded at 03:00. warehouse-load ran again at 02:45, cert-sync at 03:10 (the controller starts the newest due time). cache-warmup was killed at 03:10 (told in its own thread). queue-drain’s 03:00 run is still going after 20m (usually about 1m), and search/reindex’s 03:10 run finished in 8s (usually about 3m): the watcher has learnt their usual lengths from the runs it recorded.',
    runs: new Map([
      [
        BACKUP,
        [failed('2026-03-02T02:00:00Z', 'DeadlineExceeded', 10), ok('2026-03-02T03:00:00Z', 7)],
      ],
      [LOAD, [ok('2026-03-02T00:45:00Z', 5), ok('2026-03-02T02:45:00Z', 5)]],
      [CERTS, [ok('2026-03-02T00:10:00Z', 1), ok('2026-03-02T03:10:00Z', 1)]],
      [
        DRAIN,
        [
          ...oks('2026-03-02T02:30:00Z', '2026-03-02T02:45:00Z', 15, 1),
          drainSlow,
          ok('2026-03-02T03:15:00Z', 1),
        ],
      ],
      [REPORT, [ok('2026-03-02T02:15:00Z', 1), ok('2026-03-02T03:15:00Z', 1)]],
      [
        REINDEX,
        [
          ...oks('2026-03-02T02:20:00Z', '2026-03-02T03:00:00Z', 10, 3),
          {...ok('2026-03-02T03:10:00Z'), finishedAt: '2026-03-02T03:10:08Z'},
        ],
      ],
      [
        WARMUP,
        [
          {
            ...stuck,
            outcome: 'failed',
            reason: 'DeadlineExceeded',
            finishedAt: '2026-03-02T03:10:00Z',
            waiting: undefined,
          },
        ],
      ],
    ]),
  },
  {
    at: '2026-03-02T03:25:00Z',
    story:
      'The slow queue-drain run finished after about 24m; search/reindex ran its usual 3m again. The failed Job kept by failedJobsHistoryLimit does not re-alert.',
    runs: new Map([
      [DRAIN, [ok('2026-03-02T03:00:00Z', 24), ok('2026-03-02T03:15:00Z', 1)]],
      [
        REINDEX,
        [
          {...ok('2026-03-02T03:10:00Z'), finishedAt: '2026-03-02T03:10:08Z'},
          ok('2026-03-02T03:20:00Z', 3),
        ],
      ],
    ]),
  },
];

function put(server: KubeApiServer, cronJob: CronJobSpec, runs: RunSpec[]): void {
  for (const kind of ['Job', 'Pod'] as const) {
    for (const object of server.list(kind)) {
      if (
        object.metadata.namespace === cronJob.namespace &&
        object.metadata.name.startsWith(`${cronJob.name}-`)
      ) {
        server.remove(kind, cronJob.namespace, object.metadata.name);
      }
    }
  }
  const objects = objectsFor(cronJob, runs);
  server.put(objects.cronJob);
  for (const job of objects.jobs) server.put(job);
  for (const pod of objects.pods) server.put(pod);
}

function line(summary: PassSummary): string {
  return (
    `  → ${summary.opened} opened, ${summary.failedAgain} failed again, ${summary.closed} closed, ` +
    `${summary.recovered} failed-and-recovered, ${summary.stillOpen} still open; ` +
    `${summary.notificationsSent} message(s) sent; state: ${summary.store.reads} read(s), ${summary.store.writes} write(s)`
  );
}

async function main(): Promise<void> {
  // Only the message language comes from the environment: the rest is the demo's script.
  const {language} = parseConfig({MESSAGE_LANGUAGE: process.env.MESSAGE_LANGUAGE});
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cronjob-watcher-demo-'));
  const server = await startKubeApiServer({});
  try {
    const kubeconfig = await server.writeKubeconfig({
      context: 'demo-cluster',
      file: path.join(dir, 'kubeconfig'),
    });
    const source = new KubeconfigClusterSource({
      file: kubeconfig,
      context: null,
      clusterName: null,
    });
    const store = new FileIncidentStore({dir: path.join(dir, 'state')});
    const notifier = new ConsoleNotifier({out: process.stdout});
    const logger = new TextLogger('WARNING');
    const routes = parseRoutes(ROUTES);
    if (!routes.ok) throw new Error(routes.problem);
    console.log(
      `cronjob-watcher demo — Kubernetes API test server at ${server.url}, state in ${dir}/state\n`,
    );
    for (const [i, step] of steps.entries()) {
      for (const [cronJob, runs] of step.runs) put(server, cronJob, runs);
      for (const [cronJob, run, log] of step.logs ?? []) {
        server.setPodLog(cronJob.namespace, podNameFor(cronJob, run), log);
      }
      console.log(`━━ Pass ${i + 1} at ${step.at.slice(11, 16)} UTC — ${step.story}`);
      const summary = await runPass({
        source,
        store,
        notifier,
        logger,
        now: () => new Date(step.at),
        namespaces: null,
        budgetMs: 60_000,
        concurrency: 1,
        clusterDownAfter: 3,
        routes: routes.routes,
        language,
        dryRun: false,
      });
      console.log(`${line(summary)}\n`);
      for (const error of summary.errors) console.log(`  ! ${error.message}`);
    }
    console.log(
      'Try it on your own cluster: npx cronjob-watcher status, then npx cronjob-watcher check --dry-run',
    );
  } finally {
    await server.close();
    await rm(dir, {recursive: true, force: true});
  }
}

main().catch(error => {
  // A bad MESSAGE_LANGUAGE is one line, as the function says it.
  console.error(error instanceof ConfigError ? `configuration error: ${error.message}` : error);
  process.exitCode = 1;
});
