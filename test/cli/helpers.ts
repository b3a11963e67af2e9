/**
 * Shared set-up for the CLI tests: run `cronjob-watcher` as a separate process, the way a user
 * does, against the Kubernetes API test server loaded with every fixture.
 *
 * Two ways to start it: `npx --no-install cronjob-watcher …` from the checkout (exactly what
 * the README tells users) and `node build/functions/cli.js …` (the same file the `bin` entry
 * points at). Measured on this machine: npx takes about 4 s per run (npm resolves the package
 * first), node about 2 s; so one test per file goes through npx and the rest through node.
 */
import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {mkdtemp, readdir} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {KubeApiServer} from '../support/kube-api-server.js';
import type {ExpectedVerdicts, FixtureObjects, KubeObject} from '../support/kube-fixtures.js';

/** The checkout: the folder above this file whose package.json is this project's. */
export const REPO_ROOT = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as {name?: string}).name === 'cronjob-watcher'
    ) {
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('the cronjob-watcher checkout is not above ' + dir);
    dir = parent;
  }
})();

/** The compiled CLI, the file package.json's `bin` names. */
export const CLI_JS = path.join(REPO_ROOT, 'build', 'functions', 'cli.js');

// A safety net, not a wait: a CLI run that hangs is killed so the test fails with its output
// instead of running into node --test's 120 s timeout. Runs take 2-4 s; a minute is 15x that.
const CLI_TIMEOUT_MS = 60_000;

// Variables the CLI reads (functions/config.ts, gke-settings.ts, adapters). The tests' own
// environment must not leak into the child: a developer's SLACK_BOT_TOKEN would send real
// messages, GKE_PROJECTS would switch the cluster source, KUBECONFIG would pick their cluster.
const CONFIG_VARIABLE =
  /^(SLACK_|GKE_|KUBE|CLUSTER_|STATE_|FIRESTORE_|GOOGLE_|NAMESPACES$|PAGE_SIZE$|PASS_BUDGET_|RETENTION_|DETECTIONS$|STORM_THRESHOLD$)/;

// The fixtures are CronJobs frozen in March 2026 and the CLI runs on the real clock, so every
// one of them is, rightly, "missed" by now. These tests are about the CLI around failing
// streaks; the silent-failure detections are tested end to end with a clock passed in
// (test/e2e/silent-failures.test.ts).
const FIXTURE_DETECTIONS = 'failing';

/** What one CLI run did. */
export interface CliResult {
  /** Exit code; null when killed by a signal. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** How to run the CLI. */
export interface CliOptions {
  /** Variables to add to the clean environment (undefined removes one). */
  env?: Record<string, string | undefined>;
  /** `node` (default): `node build/functions/cli.js`; `npx`: `npx --no-install cronjob-watcher`. */
  via?: 'node' | 'npx';
}

/**
 * The CLI's state directory when a test names none: its own, never the checkout's
 * `.cronjob-watcher/` (the runner fails a run that leaves anything there).
 */
let defaultStateDir: string | null = null;

/**
 * npm's cache for `npx` runs, this test process's own. `npx cronjob-watcher` links the checkout
 * into the cache's `_npx` folder; in the user's `~/.npm` that folder is shared by every checkout
 * and every test run on the machine, so one run could read an entry another is writing (npx's
 * "missing package.json"). Removed when this process exits.
 */
let npmCache: string | null = null;

function privateNpmCache(): string {
  if (npmCache === null) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cli-npm-cache-'));
    npmCache = dir;
    process.once('exit', () => rmSync(dir, {recursive: true, force: true}));
  }
  return npmCache;
}

/**
 * The environment a CLI run gets: this process's, minus every variable the watcher reads,
 * with `node_modules/.bin` first on PATH so `npx` and the `bin` shebang run Node 24.
 */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!CONFIG_VARIABLE.test(name)) env[name] = value;
  }
  env.PATH = [path.join(REPO_ROOT, 'node_modules', '.bin'), process.env.PATH ?? ''].join(
    path.delimiter,
  );
  env.DETECTIONS = FIXTURE_DETECTIONS;
  // The fixture cluster's seven failing CronJobs would make a storm (one parent message, each
  // in its thread): these tests are about the CLI around each message; storms have their own
  // (test/e2e/storms.test.ts, and the CLI's in test/cli/storm.test.ts).
  env.STORM_THRESHOLD = 'off';
  defaultStateDir ??= mkdtempSync(path.join(os.tmpdir(), 'cli-state-'));
  env.STATE_DIR = defaultStateDir;
  // The first `npx cronjob-watcher` from a checkout links the checkout into npx's cache and
  // runs its `prepare` script, which rebuilds build/ while other test files import it. The
  // package is built already (`npm test` compiled it): no install script may run.
  env.npm_config_ignore_scripts = 'true';
  // Set whatever the environment says: `npm test` passes its own cache (~/.npm) down as
  // npm_config_cache.
  for (const name of Object.keys(env)) if (/^npm_config_cache$/i.test(name)) delete env[name];
  env.npm_config_cache = privateNpmCache();
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  if (env.SLACK_BOT_TOKEN !== undefined && extra.SLACK_BOT_TOKEN === undefined) {
    throw new Error('SLACK_BOT_TOKEN leaked into the CLI environment');
  }
  return env;
}

/** Runs `cronjob-watcher <args>` from the checkout and collects what it printed. */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const [file, prefix] =
    options.via === 'npx'
      ? ['npx', ['--no-install', 'cronjob-watcher']]
      : [process.execPath, [CLI_JS]];
  return new Promise(resolve => {
    execFile(
      file,
      [...prefix, ...args],
      {
        cwd: REPO_ROOT,
        env: cliEnv(options.env),
        encoding: 'utf8',
        timeout: CLI_TIMEOUT_MS,
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code =
          error === null
            ? 0
            : typeof error.code === 'number'
              ? error.code
              : error.signal
                ? null
                : 1;
        resolve({code, stdout, stderr});
      },
    );
  });
}

/**
 * Runs `cronjob-watcher <args>` with stdout on a pseudo-terminal (util-linux `script`), as in
 * a user's terminal; resolves to what the terminal showed.
 */
export async function runOnTerminal(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<string> {
  const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, CLI_JS, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    execFile(
      'script',
      ['--quiet', '--return', '--command', command, '/dev/null'],
      {
        cwd: REPO_ROOT,
        env: cliEnv({TERM: 'xterm', ...env}),
        encoding: 'utf8',
        timeout: CLI_TIMEOUT_MS,
      },
      (error, stdout, stderr) => {
        if (error !== null) reject(new Error(`${command}: ${error.message}\n${stdout}\n${stderr}`));
        else resolve(stdout.replace(/\r\n/g, '\n'));
      },
    );
  });
}

/** Formats a run for assertion messages, so a failure shows what the CLI said. */
export function shown(result: CliResult): string {
  return `exit ${String(result.code)}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}

/** A new empty temp directory. */
export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `cli-${prefix}-`));
}

/** Every regular file under `dir`, relative paths, sorted; [] when `dir` does not exist. */
export async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, {recursive: true, withFileTypes: true});
  return entries
    .filter(e => e.isFile())
    .map(e => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Paths the server was asked for (no query), in order. */
export function pathsRequested(server: KubeApiServer): string[] {
  return server.requests.map(r => r.path);
}

/** `namespace/name` of a Kubernetes object. */
export function keyOf(object: KubeObject): string {
  return `${object.metadata.namespace}/${object.metadata.name}`;
}

/** The fixture Job `namespace/name`; throws when there is none (a fixture/test mismatch). */
export function fixtureJob(fixtures: FixtureObjects, key: string): KubeObject {
  const job = fixtures.jobs.find(j => keyOf(j) === key);
  if (job === undefined) throw new Error(`no fixture Job ${key}`);
  return job;
}

/** The fixture CronJob `namespace/name`. */
export function fixtureCronJob(fixtures: FixtureObjects, key: string): KubeObject {
  const cronJob = fixtures.cronJobs.find(c => keyOf(c) === key);
  if (cronJob === undefined) throw new Error(`no fixture CronJob ${key}`);
  return cronJob;
}

/** `namespace/name` of the CronJobs whose latest finished run failed, per expected-verdicts. */
export function failingCronJobs(expected: ExpectedVerdicts): string[] {
  return Object.entries(expected.cronJobs)
    .filter(([key, c]) => {
      if (c.lastFinishedRun === null) return false;
      const namespace = key.split('/')[0] as string;
      return expected.jobs[`${namespace}/${c.lastFinishedRun}`]?.outcome === 'failed';
    })
    .map(([key]) => key)
    .sort();
}

/** Every CronJob key in expected-verdicts, sorted. */
export function expectedCronJobKeys(expected: ExpectedVerdicts): string[] {
  return Object.keys(expected.cronJobs).sort();
}
