/**
 * `npm run bench`: figures, not assertions (issue 14). For each fleet size (CronJobs with ten
 * realistic ~3 KB Jobs each, 5% failing, served over HTTPS by `fleet-api-server.ts`), one
 * table row per step, each step a fresh child process so its peak RSS is its own:
 *
 *   floor          the same pages with a bare keep-alive HTTPS client and `JSON.parse`
 *   status         `cronjob-watcher status --json`
 *   check 1st      `cronjob-watcher check --json` with empty state (file store, then Firestore)
 *   check steady   the same again, nothing changed
 *   kubectl        `kubectl get cronjobs,jobs -A -o json`, as a reference (when installed)
 *
 * The watcher's steps run with `--max-old-space-size=<heap>` (default 192 MiB) and the
 * deployed function's `--max-semi-space-size=16` (infra/deploy.sh). Then the
 * many-clusters pass (20 × 1,000 CronJobs, 4 at a time) and the import cost of the function
 * module, of the masking module, of secretlint's load on first use and of each SDK. Flags: `--sizes=500,5000,20000` `--heap=192` `--quick` (500 and
 * 5,000, no Firestore, no kubectl, no many-clusters) `--no-firestore` `--no-kubectl`
 * `--kubectl-max=5000` (larger fleets skip kubectl: it needs GiBs) `--no-many`
 * `--budget=SECONDS` (PASS_BUDGET_SECONDS of the checks; default the function's 240).
 * Last, what the run history costs at 5,000 CronJobs (`history-bench.ts`; `--no-history`).
 */
import {spawn} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {decideSubject} from '../../functions/core/decide.js';
import {defaultPolicy} from '../../functions/core/policy.js';
import {parseJob} from '../../functions/core/kube-objects.js';
import {finishedRunsOf} from '../../functions/core/verdict.js';
import {cronJob as cronJobInfo} from '../core/builders.js';
import {startFirestoreEmulator, type FirestoreEmulator} from '../support/firestore-emulator.js';
import {startFleetApiServer} from '../support/fleet-api-server.js';
import {benchRunHistory} from './history-bench.js';
import {objectsFor} from '../support/scenario.js';
import {createTestCa} from '../support/test-ca.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..', '..');
const CLI = path.join(root, 'build', 'functions', 'cli.js');
const USAGE_REPORT = pathToFileURL(path.join(here, 'usage-report.js')).href;
const JOBS_PER_CRONJOB = 10;
const FAILING_SHARE = 0.05;
const PAGE_SIZE = 500;

interface Options {
  sizes: number[];
  heapMiB: number;
  firestore: boolean;
  kubectl: boolean;
  kubectlMax: number;
  many: boolean;
  history: boolean;
  /** PASS_BUDGET_SECONDS of the watcher's steps; null: the function's default. */
  budgetSeconds: string | null;
}

function parseOptions(argv: string[]): Options {
  const flag = (name: string) => argv.find(a => a === `--${name}` || a.startsWith(`--${name}=`));
  const value = (name: string) => flag(name)?.split('=')[1];
  const quick = flag('quick') !== undefined;
  return {
    sizes: (value('sizes') ?? (quick ? '500,5000' : '500,5000,20000')).split(',').map(Number),
    heapMiB: Number(value('heap') ?? '192'),
    firestore: !quick && flag('no-firestore') === undefined,
    kubectl: !quick && flag('no-kubectl') === undefined && hasKubectl(),
    kubectlMax: Number(value('kubectl-max') ?? '5000'),
    many: !quick && flag('no-many') === undefined,
    history: flag('no-history') === undefined,
    budgetSeconds: value('budget') ?? null,
  };
}

function hasKubectl(): boolean {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some(dir => existsSync(path.join(dir, 'kubectl')));
}

/** What one measured child process did. */
interface Measured {
  wallMs: number;
  /** User + system CPU of the child: steadier than wall time on a shared machine. */
  cpuMs: number | null;
  rssMiB: number | null;
  code: number | null;
  stdout: string;
}

async function measure(
  command: string,
  args: string[],
  env: Record<string, string>,
  keepStdout: boolean,
): Promise<Measured> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-usage-'));
  const usageFile = path.join(dir, 'usage.json');
  const started = performance.now();
  const {code, stdout} = await new Promise<{code: number | null; stdout: string}>(
    (resolve, reject) => {
      const child = spawn(command, args, {
        env: {...process.env, ...env, BENCH_USAGE_FILE: usageFile},
        stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'ignore'],
      });
      const chunks: Buffer[] = [];
      child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.once('error', reject);
      child.once('exit', exitCode =>
        resolve({code: exitCode, stdout: Buffer.concat(chunks).toString('utf8')}),
      );
    },
  );
  const wallMs = performance.now() - started;
  let rssMiB: number | null = null;
  let cpuMs: number | null = null;
  if (existsSync(usageFile)) {
    const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as {maxRssKiB: number; cpuMs: number};
    rssMiB = usage.maxRssKiB / 1024;
    cpuMs = usage.cpuMs;
  }
  await rm(dir, {recursive: true, force: true});
  return {wallMs, cpuMs, rssMiB, code, stdout};
}

function node(heapMiB: number | null, script: string, args: string[]): [string, string[]] {
  const flags = ['--import', USAGE_REPORT];
  // The heap flags the function runs with (infra/deploy.sh), with the heap the goal names.
  if (heapMiB !== null) flags.push(`--max-old-space-size=${heapMiB}`, '--max-semi-space-size=16');
  return [process.execPath, [...flags, script, ...args]];
}

/** One line of the table. */
interface Row {
  fleet: string;
  step: string;
  wallMs: number;
  floorMs: number | null;
  cpuMs: number | null;
  floorCpuMs: number | null;
  rssMiB: number | null;
  requests: number | null;
  connections: number | null;
  store: string;
  note: string;
}

function summaryOf(stdout: string): {reads: number; writes: number; opened: number; sent: number} {
  const summary = JSON.parse(stdout) as {
    store: {reads: number; writes: number};
    opened: number;
    notificationsSent: number;
  };
  return {...summary.store, opened: summary.opened, sent: summary.notificationsSent};
}

async function benchFleet(
  cronJobs: number,
  options: Options,
  tls: {cert: string; key: string; caPem: string; caFile: string},
  firestore: FirestoreEmulator | null,
): Promise<Row[]> {
  const fleet = cronJobs.toLocaleString('en');
  const server = await startFleetApiServer(
    {cronJobs, jobsPerCronJob: JOBS_PER_CRONJOB, failingShare: FAILING_SHARE, pageSize: PAGE_SIZE},
    tls,
  );
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-fleet-'));
  const rows: Row[] = [];
  try {
    const kubeconfig = await server.writeKubeconfig(path.join(dir, 'kubeconfig'), 'bench');
    let floorMs: number | null = null;
    let floorCpuMs: number | null = null;
    const step = async (
      name: string,
      [command, args]: [string, string[]],
      env: Record<string, string>,
      summarize: boolean,
    ): Promise<Measured> => {
      server.resetCounts();
      const measured = await measure(command, args, env, summarize || name === 'floor');
      let store = '';
      let note = measured.code === 0 ? '' : `exit ${measured.code}`;
      if (summarize && measured.stdout.trim() !== '') {
        const s = summaryOf(measured.stdout);
        store = `${s.reads.toLocaleString('en')} / ${s.writes.toLocaleString('en')}`;
        note = [note, `${s.opened} opened, ${s.sent} announced`].filter(Boolean).join('; ');
      }
      if (name === 'floor') {
        floorMs = measured.wallMs;
        floorCpuMs = measured.cpuMs;
      }
      rows.push({
        fleet,
        step: name,
        wallMs: measured.wallMs,
        floorMs,
        cpuMs: measured.cpuMs,
        floorCpuMs,
        rssMiB: measured.rssMiB,
        requests: server.counts.requests,
        connections: server.counts.connections,
        store,
        note,
      });
      console.error(`  ${fleet} ${name}: ${(measured.wallMs / 1000).toFixed(1)} s ${note}`);
      return measured;
    };

    await step(
      'floor',
      node(null, path.join(here, 'floor.js'), []),
      {BENCH_URL: server.url, BENCH_CA_FILE: tls.caFile, BENCH_PAGE_SIZE: String(PAGE_SIZE)},
      false,
    );
    const cli = (args: string[]) =>
      node(options.heapMiB, CLI, [...args, '--kubeconfig', kubeconfig, '--json']);
    const budget: Record<string, string> =
      options.budgetSeconds === null ? {} : {PASS_BUDGET_SECONDS: options.budgetSeconds};
    await step('status', cli(['status']), {}, false);
    const stateDir = path.join(dir, 'state');
    await step('check 1st, file', cli(['check', '--state-dir', stateDir]), budget, true);
    await step('check again, file', cli(['check', '--state-dir', stateDir]), budget, true);
    if (firestore !== null) {
      const env = {
        FIRESTORE_EMULATOR_HOST: firestore.host,
        GOOGLE_CLOUD_PROJECT: `bench-${cronJobs}-${Date.now()}`,
        METADATA_SERVER_DETECTION: 'none',
        ...budget,
      };
      const check = cli(['check', '--state', 'firestore']);
      await step('check 1st, Firestore', check, env, true);
      await step('check again, Firestore', check, env, true);
    }
    if (options.kubectl && cronJobs <= options.kubectlMax) {
      const time = existsSync('/usr/bin/time');
      const args = ['get', 'cronjobs,jobs', '-A', '-o', 'json', '--kubeconfig', kubeconfig];
      server.resetCounts();
      const started = performance.now();
      const result = await new Promise<{code: number | null; stderr: string}>(resolve => {
        const child = spawn(
          time ? '/usr/bin/time' : 'kubectl',
          time ? ['-f', '%M', 'kubectl', ...args] : args,
          {stdio: ['ignore', 'ignore', 'pipe']},
        );
        const chunks: Buffer[] = [];
        child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
        child.once('exit', code => resolve({code, stderr: Buffer.concat(chunks).toString()}));
      });
      const kib = Number(result.stderr.trim().split('\n').at(-1));
      rows.push({
        fleet,
        step: 'kubectl get -o json',
        wallMs: performance.now() - started,
        floorMs,
        cpuMs: null,
        floorCpuMs,
        rssMiB: time && Number.isFinite(kib) ? kib / 1024 : null,
        requests: server.counts.requests,
        connections: server.counts.connections,
        store: '',
        note: result.code === 0 ? '' : `exit ${result.code}`,
      });
    }
  } finally {
    await server.close();
    await rm(dir, {recursive: true, force: true});
  }
  return rows;
}

async function benchManyClusters(
  options: Options,
  tls: {cert: string; key: string; caPem: string; caFile: string},
): Promise<Row> {
  const server = await startFleetApiServer(
    {
      cronJobs: 1000,
      jobsPerCronJob: JOBS_PER_CRONJOB,
      failingShare: FAILING_SHARE,
      pageSize: PAGE_SIZE,
    },
    tls,
  );
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-many-'));
  try {
    const kubeconfig = await server.writeKubeconfig(path.join(dir, 'kubeconfig'), 'bench');
    const [command, args] = node(options.heapMiB, path.join(here, 'many-clusters.js'), []);
    const measured = await measure(
      command,
      args,
      {BENCH_KUBECONFIG: kubeconfig, BENCH_CLUSTERS: '20', BENCH_CONCURRENCY: '4'},
      true,
    );
    const result = JSON.parse(measured.stdout || '{}') as {
      cronJobsSeen?: number;
      store?: {reads: number; writes: number};
      errors?: number;
    };
    return {
      fleet: '20 × 1,000',
      step: 'check 1st, file, 4 at once',
      wallMs: measured.wallMs,
      floorMs: null,
      cpuMs: measured.cpuMs,
      floorCpuMs: null,
      rssMiB: measured.rssMiB,
      requests: server.counts.requests,
      connections: server.counts.connections,
      store: result.store
        ? `${result.store.reads.toLocaleString('en')} / ${result.store.writes.toLocaleString('en')}`
        : '',
      note: `${result.cronJobsSeen ?? '?'} CronJobs seen, ${result.errors ?? '?'} errors${measured.code === 0 ? '' : `, exit ${measured.code}`}`,
    };
  } finally {
    await server.close();
    await rm(dir, {recursive: true, force: true});
  }
}

async function importCosts(): Promise<string[]> {
  const lines = ['| Module imported in a fresh process | Wall | RSS after |', '|---|---:|---:|'];
  const modules: Array<[string, string, string?]> = [
    ['(nothing: `node` itself)', 'node:os'],
    [
      '`build/functions/index.js` (the function module)',
      path.join(root, 'build/functions/index.js'),
    ],
    [
      '`build/functions/mask-secrets.js` (secret masking, without secretlint)',
      path.join(root, 'build/functions/mask-secrets.js'),
    ],
    [
      'secretlint and its preset (first text to mask)',
      path.join(root, 'build/functions/adapters/secretlint-detector.js'),
      'loadSecretlint',
    ],
    ['`@google-cloud/functions-framework`', '@google-cloud/functions-framework'],
    ['`undici` (first pass, any configuration)', 'undici'],
    ['`@kubernetes/client-node` (first pass, kubeconfig)', '@kubernetes/client-node'],
    ['`@google-cloud/firestore` (first pass, Firestore state)', '@google-cloud/firestore'],
    ['`@google-cloud/container` (first pass, GKE settings)', '@google-cloud/container'],
    ['`@slack/web-api` (first delivery, Slack token set)', '@slack/web-api'],
  ];
  for (const [label, specifier, call] of modules) {
    const [command, args] = node(null, path.join(here, 'import-cost.js'), [
      specifier.startsWith('/') ? pathToFileURL(specifier).href : specifier,
      ...(call === undefined ? [] : [call]),
    ]);
    const env = {STATE_BACKEND: 'file', K_SERVICE: '', METADATA_SERVER_DETECTION: 'none'};
    const measured = await measure(command, args, env, true);
    // The function module logs its start-up line first; the figures are the last line.
    const last = measured.stdout.trim().split('\n').at(-1) || '{"ms":NaN,"rssMiB":NaN}';
    const result = JSON.parse(last) as {
      ms: number;
      rssMiB: number;
    };
    lines.push(`| ${label} | ${result.ms.toFixed(0)} ms | ${result.rssMiB.toFixed(0)} MiB |`);
  }
  return lines;
}

function benchCore(): string {
  const jobs = objectsFor(
    {namespace: 'a', name: 'b'},
    Array.from({length: 4}, (_, r) => ({
      scheduledAt: new Date(Date.UTC(2026, 2, 2, r)).toISOString(),
      outcome: 'succeeded' as const,
      finishedAt: new Date(Date.UTC(2026, 2, 2, r, 2)).toISOString(),
    })),
  ).jobs.map(raw => {
    const parsed = parseJob(raw);
    if (!parsed.ok) throw new Error(parsed.problem.problem);
    return parsed.value;
  });
  const cronJob = cronJobInfo({uid: 'u', namespace: 'a', name: 'b'});
  // Half an hour after the last run, which was on time: on the real clock these runs are months
  // old, and the missed-schedule detection would measure a hundred missed hours instead.
  const now = new Date(Date.UTC(2026, 2, 2, 3, 30));
  const iterations = 100_000;
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
        latestScheduledJobAt: jobs.at(-1)?.scheduledAt ?? null,
      },
      defaultPolicy(3),
      now,
      undefined,
    );
  }
  const us = ((performance.now() - started) * 1000) / iterations;
  return `core alone: judge 4 Jobs + decide, ${us.toFixed(2)} µs per CronJob`;
}

function ratio(value: number | null, floor: number | null, step: string): string {
  return value === null || floor === null || step === 'floor' ? '' : (value / floor).toFixed(2);
}

function seconds(ms: number): string {
  return ms >= 100_000 ? `${(ms / 1000).toFixed(0)} s` : `${(ms / 1000).toFixed(2)} s`;
}

/** `9.80 s (1.34×)`: the figure and, when there is a floor to compare with, its ratio. */
function withRatio(value: number | null, floor: number | null, step: string): string {
  if (value === null) return '?';
  const times = ratio(value, floor, step);
  return times === '' ? seconds(value) : `${seconds(value)} (${times}×)`;
}

/**
 * The table, under 120 columns so the README can quote it as printed: CronJobs (ten Jobs each),
 * step, wall and CPU time with their ratio to the floor, peak RSS, API requests, store reads and
 * writes. What a step opened and announced, its TLS connections and exit codes follow as notes.
 */
function table(rows: Row[], heapMiB: number): string[] {
  const lines = [
    '| CronJobs | Step | Wall (× floor) | CPU (× floor) | Peak RSS | Requests | Store R / W |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  const notes: string[] = [];
  for (const row of rows) {
    lines.push(
      `| ${row.fleet} | ${row.step} | ${withRatio(row.wallMs, row.floorMs, row.step)} | ` +
        `${withRatio(row.cpuMs, row.floorCpuMs, row.step)} | ` +
        `${row.rssMiB === null ? '?' : `${row.rssMiB.toFixed(0)} MiB`} | ` +
        `${row.requests?.toLocaleString('en') ?? ''} | ${row.store} |`,
    );
    const said = [row.note, row.connections === null ? '' : `${row.connections} TLS connection(s)`];
    notes.push(`- ${row.fleet}, ${row.step}: ${said.filter(Boolean).join('; ')}`);
  }
  lines.push(
    '',
    ...notes,
    '',
    `Watcher steps ran with \`--max-old-space-size=${heapMiB} --max-semi-space-size=16\`.`,
  );
  return lines;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const ca = await createTestCa();
  const tls = {
    cert: ca.serverCertPem,
    key: ca.serverKeyPem,
    caPem: ca.caCertPem,
    caFile: ca.caCertFile,
  };
  const firestore = options.firestore ? await startFirestoreEmulator() : null;
  const rows: Row[] = [];
  let history: string[] = [];
  try {
    for (const size of options.sizes)
      rows.push(...(await benchFleet(size, options, tls, firestore)));
    if (options.many) rows.push(await benchManyClusters(options, tls));
    if (options.history) history = await benchRunHistory(5000, firestore);
  } finally {
    await firestore?.stop();
    await ca.cleanup();
  }
  const cpus = os.cpus();
  console.log(
    `node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'CPU'}, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${new Date().toISOString().slice(0, 10)}\n`,
  );
  console.log(table(rows, options.heapMiB).join('\n'));
  console.log(`\n${(await importCosts()).join('\n')}\n\n${benchCore()}`);
  if (history.length > 0) console.log(`\n${history.join('\n')}`);
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
