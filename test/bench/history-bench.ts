/**
 * What the run history (issue 23) costs a fleet: 5,000 CronJobs on the Kubernetes API test
 * server, passes of the real watcher (`runPass`) against the file store and, when an emulator
 * is given, Firestore. Figures, no assertions:
 *
 *   first sight     every CronJob new: starting points only
 *   quiet           nothing finished since: what a quiet pass writes
 *   N finished      every CronJob finished one run since (an hourly fleet between two passes)
 *   quiet again     nothing new after that
 *
 * and the bytes a record takes with no history, one run and a full one (20 runs), as JSON (what
 * the file store writes; Firestore's document size is within a few percent of it).
 *
 *   npx tsc -p tsconfig.json && node build/test/bench/history-bench.js [CRONJOBS] [--no-firestore]
 *
 * runs it alone (starting its own Firestore emulator); `npm run bench` runs it too.
 */
import {mkdtemp, readFile, readdir, rm} from 'node:fs/promises';
import {Writable} from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath} from 'node:url';
import {ConsoleNotifier} from '../../functions/adapters/console-notifier.js';
import {createFirestore} from '../../functions/adapters/firestore/client.js';
import {FirestoreIncidentStore} from '../../functions/adapters/firestore-incident-store.js';
import {FileIncidentStore} from '../../functions/adapters/file-incident-store.js';
import {KubeconfigClusterSource} from '../../functions/adapters/kubeconfig-source.js';
import type {SubjectRecord} from '../../functions/core/incident.js';
import {RECENT_RUNS_LIMIT, type RecentRun} from '../../functions/core/run-history.js';
import {TextLogger} from '../../functions/logger.js';
import {runPass, type PassSummary} from '../../functions/pass.js';
import type {IncidentStore} from '../../functions/ports.js';
import {startFirestoreEmulator, type FirestoreEmulator} from '../support/firestore-emulator.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {objectsFor, type RunSpec} from '../support/scenario.js';

const HOUR_MS = 3_600_000;
const T0 = Date.parse('2026-03-02T00:00:00Z');

function ok(hour: number): RunSpec {
  const at = T0 + hour * HOUR_MS;
  return {
    scheduledAt: new Date(at).toISOString(),
    outcome: 'succeeded',
    finishedAt: new Date(at + 4 * 60_000).toISOString(),
  };
}

/** Every CronJob of the fleet with the runs of these hours. */
function putFleet(server: KubeApiServer, cronJobs: number, hours: number[]): void {
  for (const job of server.list('Job')) {
    server.remove('Job', job.metadata.namespace ?? '', job.metadata.name);
  }
  for (let i = 0; i < cronJobs; i++) {
    const spec = {namespace: `team-${i % 20}`, name: `job-${String(i).padStart(6, '0')}`};
    const objects = objectsFor(spec, hours.map(ok));
    server.put(objects.cronJob);
    for (const job of objects.jobs) server.put(job);
  }
}

interface Step {
  name: string;
  at: string;
  hours: number[] | null;
}

const STEPS: Step[] = [
  {name: 'first sight', at: '2026-03-02T00:10:00Z', hours: [0]},
  {name: 'quiet', at: '2026-03-02T00:20:00Z', hours: null},
  {name: 'N finished', at: '2026-03-02T01:10:00Z', hours: [0, 1]},
  {name: 'quiet again', at: '2026-03-02T01:20:00Z', hours: null},
];

async function passes(
  cronJobs: number,
  store: IncidentStore,
  label: string,
): Promise<{lines: string[]; runs: Map<string, number>}> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'history-bench-'));
  const server = await startKubeApiServer({});
  const lines: string[] = [];
  const runs = new Map<string, number>();
  try {
    const kubeconfig = await server.writeKubeconfig({
      context: 'bench',
      file: path.join(dir, 'kubeconfig'),
    });
    const source = new KubeconfigClusterSource({
      file: kubeconfig,
      context: null,
      clusterName: null,
    });
    const silent = new Writable({write: (_chunk, _encoding, done) => done()});
    for (const step of STEPS) {
      if (step.hours !== null) putFleet(server, cronJobs, step.hours);
      const started = performance.now();
      const summary: PassSummary = await runPass({
        source,
        store,
        notifier: new ConsoleNotifier({out: silent}),
        logger: new TextLogger('ERROR'),
        now: () => new Date(step.at),
        namespaces: null,
        budgetMs: 600_000,
        concurrency: 4,
        clusterDownAfter: 3,
        routes: [],
        language: 'en',
        dryRun: false,
      });
      const ms = performance.now() - started;
      const name =
        step.name === 'N finished' ? `${cronJobs.toLocaleString('en')} finished` : step.name;
      lines.push(
        `| ${label} | ${name} | ${summary.store.reads.toLocaleString('en')} | ` +
          `${summary.store.writes.toLocaleString('en')} | ${(ms / 1000).toFixed(1)} s | ` +
          `${summary.opened} opened, ${summary.errors.length} errors |`,
      );
      runs.set(step.name, summary.store.writes);
    }
  } finally {
    await server.close();
    await rm(dir, {recursive: true, force: true});
  }
  return {lines, runs};
}

/** A record of the file store's state, by its largest history. */
async function someRecord(stateDir: string): Promise<SubjectRecord | null> {
  for (const file of await readdir(stateDir, {recursive: true})) {
    if (!file.endsWith('.json')) continue;
    const state = JSON.parse(await readFile(path.join(stateDir, file), 'utf8')) as {
      records?: Record<string, SubjectRecord>;
    };
    const record = Object.values(state.records ?? {}).find(r => r.runs.length > 0);
    if (record !== undefined) return record;
  }
  return null;
}

function bytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value));
}

/** Runs the passes on the file store (and Firestore when given); the printed lines. */
export async function benchRunHistory(
  cronJobs: number,
  firestore: FirestoreEmulator | null,
): Promise<string[]> {
  const lines = [
    `Run history at ${cronJobs.toLocaleString('en')} CronJobs (one finished run each between two passes):`,
    '',
    '| Store | Pass | Reads | Writes | Wall | |',
    '|---|---|---:|---:|---:|---|',
  ];
  const stateDir = await mkdtemp(path.join(os.tmpdir(), 'history-bench-state-'));
  let record: SubjectRecord | null = null;
  try {
    const file = await passes(
      cronJobs,
      new FileIncidentStore({dir: stateDir, batchPerPass: true}),
      'file',
    );
    lines.push(...file.lines);
    record = await someRecord(stateDir);
  } finally {
    await rm(stateDir, {recursive: true, force: true});
  }
  if (firestore !== null) {
    const db = createFirestore({
      GOOGLE_CLOUD_PROJECT: `history-${Date.now()}`,
      FIRESTORE_EMULATOR_HOST: firestore.host,
    });
    try {
      const fs = await passes(cronJobs, new FirestoreIncidentStore(db), 'Firestore');
      lines.push(...fs.lines);
      const n = fs.runs.get('N finished') ?? 0;
      lines.push(
        '',
        `Firestore: ${n.toLocaleString('en')} document writes for ${cronJobs.toLocaleString('en')} finished runs ` +
          `(${(n / cronJobs).toFixed(2)} per run), ${fs.runs.get('quiet') ?? 0} for a quiet pass.`,
      );
    } finally {
      await db.terminate();
    }
  }
  if (record !== null) {
    const one = record.runs[0]!;
    const full: RecentRun[] = Array.from({length: RECENT_RUNS_LIMIT}, () => one);
    lines.push(
      '',
      `Record bytes (JSON): ${bytes({...record, runs: []})} without history, ` +
        `${bytes(record)} with 1 run, ${bytes({...record, runs: full})} with ${RECENT_RUNS_LIMIT} ` +
        `(${bytes(one)} bytes a run).`,
    );
  }
  return lines;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const cronJobs = Number(args.find(a => /^\d+$/.test(a)) ?? '5000');
  // No metadata server here: the client's look-up for one only prints a warning.
  process.env['METADATA_SERVER_DETECTION'] = 'none';
  const firestore = args.includes('--no-firestore') ? null : await startFirestoreEmulator();
  try {
    console.log((await benchRunHistory(cronJobs, firestore)).join('\n'));
  } finally {
    await firestore?.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch(error => {
    console.error(error);
    process.exitCode = 1;
  });
}
