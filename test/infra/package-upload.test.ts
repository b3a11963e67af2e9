/**
 * The deployable package, built the way Cloud Build builds it. `gcloud functions deploy
 * --source=.` uploads what `gcloud meta list-files-for-upload` lists (the `.gcloudignore`
 * allow-list); the Node.js buildpack then runs `npm ci` (dev dependencies included, as there
 * is a `gcp-build` script), the `gcp-build` script and `npm prune`, with the build environment
 * variables the deploy sets, and starts functions-framework on the `main` entry. This test
 * does the same in an empty directory, with the build environment infra/deploy.sh passes,
 * starts the function against the Kubernetes test server, and POSTs to it as Cloud Scheduler
 * would. Slow (a real `npm ci`, from npm's cache when warm).
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync} from 'node:fs';
import {copyFile, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {freePort} from '../support/free-port.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {loadFixtureObjects} from '../support/kube-fixtures.js';

const REPO_ROOT = findRepoRoot();

// A cold `npm ci` downloads ~300 packages (and the Node binary of the `node` devDependency);
// from a warm npm cache it takes well under a minute, on a cold one a few.
const BUILD_TIMEOUT_MS = 600_000;
const FUNCTION_START_TIMEOUT_MS = 60_000;
const CLEANUP_TIMEOUT_MS = 60_000;

/** What the build needs; the upload must hold exactly these top-level entries. */
const REQUIRED = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];

/**
 * Paths that must never leave the machine: tests, fixtures, local state, env files, keys,
 * build output and dependencies (the build makes its own), deployment scripts.
 */
const FORBIDDEN: Array<[RegExp, string]> = [
  [/(^|\/)test\//, 'a test directory'],
  [/\.(test|spec)\.[cm]?[jt]s$/, 'a test file'],
  [/(^|\/)(fixtures|__fixtures__)\//, 'a fixture'],
  [/(^|\/)\.cronjob-watcher\//, 'local incident state'],
  [/(^|\/)\.env(\.|$)|(^|\/)[^/]*\.env$/, 'an env file'],
  [/\.(pem|key|p12|pfx|jks)$/, 'a key'],
  [/(^|\/)[^/]*(key|credential|secret)[^/]*\.json$/i, 'a key-looking JSON file'],
  [/(^|\/)\.npmrc$/, 'npm credentials'],
  [/(^|\/)node_modules\//, 'dependencies'],
  [/(^|\/)build\//, 'build output'],
  [/(^|\/)\.git\//, 'git data'],
  [/^infra\//, 'deployment files'],
];

function findRepoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, '.gcloudignore'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('.gcloudignore not found above the test');
    dir = parent;
  }
}

/** The files gcloud would upload from `dir`, relative, sorted. */
function filesForUpload(dir: string): string[] {
  const result = spawnSync('gcloud', ['meta', 'list-files-for-upload', dir], {encoding: 'utf8'});
  assert.ok(result.error === undefined, `gcloud is needed: ${result.error?.message}`);
  assert.equal(result.status, 0, result.stderr);
  return result.stdout
    .split('\n')
    .map(line => line.trim())
    .filter(line => line !== '')
    .sort();
}

function forbiddenIn(files: string[]): string[] {
  return files.flatMap(file =>
    FORBIDDEN.filter(([pattern]) => pattern.test(file)).map(([, what]) => `${file} (${what})`),
  );
}

/** The environment a build step sees: this test's Node 24 first, no npm script variables. */
function buildEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.toLowerCase().startsWith('npm_')) env[key] = value;
  }
  env.PATH = `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`;
  return env;
}

/** The `--set-build-env-vars` infra/deploy.sh passes to every deploy (from its dry run). */
function deployBuildEnv(): Record<string, string> {
  const dry = spawnSync(
    'bash',
    [
      path.join(REPO_ROOT, 'infra', 'deploy.sh'),
      '--dry-run',
      '--project=p-123456',
      '--region=europe-west1',
      '--slack-channel=C0123456789',
      '--watch-projects=p-123456',
    ],
    {encoding: 'utf8', env: {...process.env, SLACK_BOT_TOKEN: '', CRONJOB_WATCHER_NO_BUILD: '1'}},
  );
  assert.equal(dry.status, 0, dry.stderr);
  const flag = /--set-build-env-vars=(\S+)/.exec(dry.stdout);
  assert.ok(flag, 'deploy.sh sets no build environment variables');
  return Object.fromEntries(flag[1]!.split(',').map(kv => kv.split('=') as [string, string]));
}

async function run(
  command: string,
  args: string[],
  cwd: string,
  extraEnv: Record<string, string> = {},
): Promise<string> {
  const child = spawn(command, args, {
    cwd,
    env: {...buildEnv(), ...extraEnv},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>(resolve => child.once('close', resolve));
  assert.equal(code, 0, `${command} ${args.join(' ')} failed in ${cwd}:\n${output}`);
  return output;
}

/** Resolves once functions-framework says it serves; rejects if it exits first. */
function serving(child: ChildProcess, output: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`functions-framework did not start:\n${output()}`)),
      FUNCTION_START_TIMEOUT_MS,
    );
    const check = () => {
      if (output().includes('Serving function...')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`functions-framework exited (${code}):\n${output()}`));
    });
  });
}

// The suite holds the build test: without its own limit it would get the runner's default
// (shorter than the build's), and a suite cut short leaves its children running.
describe('the uploaded package', {timeout: BUILD_TIMEOUT_MS + CLEANUP_TIMEOUT_MS}, () => {
  const cleanups: Array<() => Promise<void>> = [];
  after(
    async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
    },
    {timeout: CLEANUP_TIMEOUT_MS},
  );

  it('.gcloudignore keeps tests, fixtures, state, env files and keys out, even new ones', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gcloudignore-'));
    cleanups.push(() => rm(dir, {recursive: true, force: true}));
    const allowed = [...REQUIRED, 'functions/index.ts', 'functions/adapters/slack.ts'];
    const decoys = [
      'test/core/decide.test.ts',
      'test/fixtures/kubernetes/01-failed.json',
      'functions/core/decide.test.ts',
      'functions/fixtures/job.json',
      'functions/adapters/test/helper.ts',
      '.env',
      '.env.local',
      'functions/.env',
      'infra/deploy.env',
      'infra/deploy.sh',
      '.cronjob-watcher/records.json',
      'functions/.cronjob-watcher/records.json',
      'node_modules/left-pad/index.js',
      'build/functions/index.js',
      '.git/config',
      'server.pem',
      'functions/tls.key',
      'sa-key.json',
      'functions/gcp-credentials.json',
      '.npmrc',
      'README.md',
    ];
    await copyFile(path.join(REPO_ROOT, '.gcloudignore'), path.join(dir, '.gcloudignore'));
    for (const file of [...allowed, ...decoys]) {
      await mkdir(path.dirname(path.join(dir, file)), {recursive: true});
      await writeFile(path.join(dir, file), 'x\n');
    }
    const listed = filesForUpload(dir);
    assert.deepEqual(listed, [...allowed].sort());
    // The decoys really are what the checks below look for.
    for (const decoy of decoys.filter(d => d !== 'README.md')) {
      assert.ok(forbiddenIn([decoy]).length > 0, `FORBIDDEN misses ${decoy}`);
    }
  });

  it(
    'builds from the uploaded files alone (npm ci, gcp-build, prune) and answers a POST with a pass summary',
    {timeout: BUILD_TIMEOUT_MS},
    async () => {
      const files = filesForUpload(REPO_ROOT);
      assert.deepEqual(forbiddenIn(files), [], 'these would be uploaded');
      for (const required of [...REQUIRED, 'functions/index.ts']) {
        assert.ok(files.includes(required), `${required} is not uploaded`);
      }

      const dir = await mkdtemp(path.join(os.tmpdir(), 'upload-'));
      cleanups.push(() => rm(dir, {recursive: true, force: true}));
      for (const file of files) {
        await mkdir(path.dirname(path.join(dir, file)), {recursive: true});
        await copyFile(path.join(REPO_ROOT, file), path.join(dir, file));
      }

      // The Node.js buildpack's steps, in order, in the build environment of a deploy.
      const env = {...deployBuildEnv(), NODE_ENV: 'development'};
      await run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], dir, env);
      // One build only: `npm ci` ran no `prepare` (it would build here, and again below)…
      assert.ok(!existsSync(path.join(dir, 'build')), 'npm ci built the package (prepare ran)');
      // …and not the `node` devDependency's preinstall, which downloads a Node binary.
      assert.ok(existsSync(path.join(dir, 'node_modules', 'node', 'package.json')));
      assert.ok(
        !existsSync(path.join(dir, 'node_modules', 'node', 'bin', 'node')),
        "the node package's install script ran",
      );
      const built = await run('npm', ['run', 'gcp-build'], dir, env);
      assert.equal(built.match(/> tsc /g)?.length, 1, built);
      await run('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], dir);

      const pkg = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as {
        main: string;
      };
      assert.ok(existsSync(path.join(dir, pkg.main)), `main (${pkg.main}) was not built`);
      assert.ok(!existsSync(path.join(dir, 'build', 'test')), 'tests were compiled into the build');
      assert.ok(!existsSync(path.join(dir, 'node_modules', 'typescript')), 'dev deps not pruned');
      const framework = path.join(dir, 'node_modules', '.bin', 'functions-framework');
      assert.ok(existsSync(framework), 'functions-framework is not a production dependency');

      const kube: KubeApiServer = await startKubeApiServer({
        token: 'upload-test-token',
        objects: loadFixtureObjects(),
      });
      cleanups.push(() => kube.close());
      const kubeconfig = await kube.writeKubeconfig({
        context: 'upload-test',
        token: 'upload-test-token',
        file: path.join(dir, 'kubeconfig'),
      });

      const port = await freePort();
      // A clean environment, as on Cloud Run: nothing from this shell (GKE_*, SLACK_*,
      // FIRESTORE_EMULATOR_HOST) leaks in. No Slack token: messages go to the log.
      const child = spawn(framework, ['--target=watchCronJobs', `--port=${port}`], {
        cwd: dir,
        env: {
          PATH: buildEnv().PATH!,
          HOME: dir,
          KUBECONFIG: kubeconfig,
          STATE_BACKEND: 'file',
          STATE_DIR: path.join(dir, 'state'),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
      // Only if the test stopped before it stopped the function itself.
      cleanups.push(async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
          await exited;
        }
      });
      await serving(child, () => output);

      const response = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: {'content-type': 'application/json'},
        body: '{}',
      });
      const text = await response.text();
      assert.equal(response.status, 200, `${text}\n--- function output ---\n${output}`);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/);
      const summary = JSON.parse(text) as {
        complete: boolean;
        clusters: unknown[];
        cronJobsSeen: number;
      };
      assert.ok(Array.isArray(summary.clusters), 'no clusters in the summary');
      assert.equal(summary.clusters.length, 1);
      assert.equal(summary.complete, true);
      assert.ok(summary.cronJobsSeen > 0, 'the pass saw no CronJobs');
      assert.ok(
        kube.requests.some(r => r.path === '/apis/batch/v1/cronjobs' && r.token !== null),
        'the function never listed CronJobs on the test server',
      );
      // Structured logs: one JSON object per line with a severity, for Cloud Logging.
      const logs = output
        .split('\n')
        .filter(line => line.startsWith('{'))
        .map(line => JSON.parse(line) as {severity?: string; message?: string});
      assert.ok(
        logs.some(l => l.severity === 'INFO' && l.message === 'cronjob-watcher starting'),
        output,
      );
      // Cloud Run stops an instance with SIGTERM: with no pass running, the function exits.
      child.kill('SIGTERM');
      await exited;
      assert.equal(child.signalCode ?? child.exitCode, 0, output);
    },
  );
});
