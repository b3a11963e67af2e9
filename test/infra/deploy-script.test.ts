/**
 * infra/deploy.sh, run for real against a stand-in `gcloud` first on PATH. The stand-in is a
 * small program that records every argv it gets (one JSON line each) and keeps a toy model of
 * the project (service accounts, bindings, secret versions, the function, the scheduler job)
 * in a state file, so a second run sees what the first one created: describes answer "found"
 * or NOT_FOUND from that state, and creating something that exists fails like gcloud does.
 * Commands it does not know fail the run, so the script cannot drift out of what is checked.
 */
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, realpathSync} from 'node:fs';
import {mkdtemp, readFile, rm, writeFile, chmod} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {loadAllYaml} from '@kubernetes/client-node';

const REPO_ROOT = findRepoRoot();
const SCRIPT = path.join(REPO_ROOT, 'infra', 'deploy.sh');

const PROJECT = 'watch-prod-1';
const REGION = 'europe-west1';
const CLUSTER_A = 'projects/other-proj-2/locations/europe-west1-b/clusters/prod';
const CLUSTER_B = `projects/${PROJECT}/locations/${REGION}/clusters/stage`;
const WATCH_PROJECT = 'third-proj-3';
const RUNTIME_SA = `cronjob-watcher-run@${PROJECT}.iam.gserviceaccount.com`;
const INVOKER_SA = `cronjob-watcher-invoker@${PROJECT}.iam.gserviceaccount.com`;
const BUILD_SA = `cronjob-watcher-build@${PROJECT}.iam.gserviceaccount.com`;
/** What the build account gets, in the deploy project only. */
const BUILD_ROLES = [
  'roles/logging.logWriter',
  'roles/artifactregistry.writer',
  'roles/storage.objectViewer',
];
const SECRET = 'cronjob-watcher-slack-token';
// Distinctive, so finding it anywhere cannot be a coincidence.
const TOKEN = 'xoxb-424242-171717-TestTokenNeverInArgv';
const ROTATED_TOKEN = 'xoxb-424242-171717-RotatedTokenAlsoHidden';

/** Every role the runtime account may hold, and where. */
const RUNTIME_PROJECT_ROLES = new Set([
  'roles/container.clusterViewer',
  'roles/datastore.user',
  // Only with --cluster-access viewer (checked separately).
  'roles/container.viewer',
]);

const ENV_FILE_TEXT = `# settings for the test
PROJECT=${PROJECT}
REGION="${REGION}"
GKE_CLUSTERS=${CLUSTER_A},${CLUSTER_B}
GKE_PROJECTS=${WATCH_PROJECT}
GKE_CLUSTER_LABELS=env=prod
SLACK_CHANNEL=#cronjobs
SCHEDULE=*/5 * * * *
`;

function findRepoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'infra', 'deploy.sh'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('infra/deploy.sh not found above the test');
    dir = parent;
  }
}

/** The stand-in gcloud (CommonJS, run by this test's own Node). */
const STAND_IN = String.raw`
'use strict';
const fs = require('node:fs');
const argv = process.argv.slice(2);
fs.appendFileSync(process.env.STANDIN_LOG, JSON.stringify(argv) + '\n');
// deploy.sh unsets SLACK_BOT_TOKEN once it has read it: no child process may inherit it.
// Nor SLACK_TOKEN, the script's own variable, which a caller may have exported.
for (const name of ['SLACK_BOT_TOKEN', 'SLACK_TOKEN']) {
  if (process.env[name] !== undefined) {
    process.stderr.write('stand-in gcloud: ' + name + ' was inherited\n');
    process.exit(3);
  }
}
const stateFile = process.env.STANDIN_STATE;
const state = fs.existsSync(stateFile)
  ? JSON.parse(fs.readFileSync(stateFile, 'utf8'))
  : {apis: [], serviceAccounts: [], bindings: [], databases: {}, ttls: [], secrets: {},
     secretBindings: [], functions: {}, invokers: [], jobs: {}, bulkDeletes: [], publicBindings: []};
const flags = {};
const words = [];
for (const arg of argv) {
  if (arg.startsWith('--')) {
    const eq = arg.indexOf('=');
    if (eq < 0) flags[arg.slice(2)] = true;
    else flags[arg.slice(2, eq)] = arg.slice(eq + 1);
  } else words.push(arg);
}
const line = words.join(' ');
const save = () => fs.writeFileSync(stateFile, JSON.stringify(state, null, 1));
const out = text => process.stdout.write(text);
const fail = message => {
  process.stderr.write('ERROR: (gcloud.' + words.slice(0, 3).join('.') + ') ' + message + '\n');
  process.exit(1);
};
const notFound = what => fail('NOT_FOUND: ' + what + ' was not found');
const exists = what => fail('ALREADY_EXISTS: ' + what + ' already exists');
const readStdin = () => fs.readFileSync(0, 'utf8');
const has = prefix => line === prefix || line.startsWith(prefix + ' ');
const arg = index => words[index];
const project = flags.project;
// Every command names its project (projects … takes it as an argument): no reliance on the
// caller's gcloud configuration.
if (words[0] !== 'meta' && words[0] !== 'projects' && !project) fail('--project is missing');

if (has('services enable')) {
  for (const api of words.slice(2)) if (!state.apis.includes(api)) state.apis.push(api);
} else if (has('iam service-accounts describe')) {
  if (!state.serviceAccounts.includes(arg(3))) notFound(arg(3));
} else if (has('iam service-accounts create')) {
  const email = arg(3) + '@' + project + '.iam.gserviceaccount.com';
  if (state.serviceAccounts.includes(email)) exists(email);
  state.serviceAccounts.push(email);
} else if (has('iam service-accounts delete')) {
  if (!state.serviceAccounts.includes(arg(3))) notFound(arg(3));
  state.serviceAccounts = state.serviceAccounts.filter(e => e !== arg(3));
} else if (has('projects add-iam-policy-binding')) {
  const b = {project: arg(2), role: flags.role, member: flags.member};
  if (!state.bindings.some(x => x.project === b.project && x.role === b.role && x.member === b.member))
    state.bindings.push(b);
  out('bindings: ...\n');
} else if (has('projects get-iam-policy')) {
  for (const b of state.bindings.filter(x => x.project === arg(2))) out(b.role + '\t' + b.member + '\n');
} else if (has('projects remove-iam-policy-binding')) {
  const before = state.bindings.length;
  state.bindings = state.bindings.filter(
    x => !(x.project === arg(2) && x.role === flags.role && x.member === flags.member));
  if (state.bindings.length === before) fail('Policy binding with the specified principal, role, and condition not found!');
} else if (has('firestore databases describe')) {
  const type = state.databases[flags.database];
  if (type === undefined) notFound('database ' + flags.database);
  out(type + '\n');
} else if (has('firestore databases create')) {
  if (state.databases[flags.database] !== undefined) exists('database ' + flags.database);
  state.databases[flags.database] = 'FIRESTORE_NATIVE';
} else if (has('firestore fields ttls list')) {
  for (const t of state.ttls.filter(x => x.group === flags['collection-group']))
    out('projects/' + project + '/databases/' + t.database + '/collectionGroups/' + t.group + '/fields/' + t.field + '\n');
} else if (has('firestore fields ttls update')) {
  state.ttls.push({database: flags.database, group: flags['collection-group'], field: arg(4)});
} else if (has('firestore bulk-delete')) {
  state.bulkDeletes.push(flags['collection-ids']);
} else if (has('secrets describe')) {
  if (state.secrets[arg(2)] === undefined) notFound('secret ' + arg(2));
} else if (has('secrets create')) {
  if (state.secrets[arg(2)] !== undefined) exists('secret ' + arg(2));
  if (flags['data-file'] !== '-') fail('expected --data-file=-');
  state.secrets[arg(2)] = [readStdin()];
} else if (has('secrets versions add')) {
  if (state.secrets[arg(3)] === undefined) notFound('secret ' + arg(3));
  if (flags['data-file'] !== '-') fail('expected --data-file=-');
  state.secrets[arg(3)].push(readStdin());
} else if (has('secrets versions describe')) {
  const versions = state.secrets[flags.secret];
  if (versions === undefined) notFound('secret ' + flags.secret);
  out('projects/123456789/secrets/' + flags.secret + '/versions/' + versions.length + '\n');
} else if (has('secrets versions access')) {
  const versions = state.secrets[flags.secret];
  if (versions === undefined) notFound('secret ' + flags.secret);
  out(versions[versions.length - 1]);
} else if (has('secrets add-iam-policy-binding')) {
  if (state.secrets[arg(2)] === undefined) notFound('secret ' + arg(2));
  const b = {secret: arg(2), role: flags.role, member: flags.member};
  if (!state.secretBindings.some(x => x.secret === b.secret && x.role === b.role && x.member === b.member))
    state.secretBindings.push(b);
} else if (has('secrets delete')) {
  if (state.secrets[arg(2)] === undefined) notFound('secret ' + arg(2));
  delete state.secrets[arg(2)];
  state.secretBindings = state.secretBindings.filter(x => x.secret !== arg(2));
} else if (has('meta list-files-for-upload')) {
  out('package.json\ntsconfig.json\n');
} else if (has('functions describe')) {
  const fn = state.functions[arg(2)];
  if (fn === undefined) notFound('function ' + arg(2));
  const env = Object.fromEntries(String(fn.flags['set-env-vars'] || '^;^').slice(3).split(';')
    .map(kv => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  if (String(flags.format).includes('deploy-hash')) out((fn.labels['deploy-hash'] || '') + '\n');
  else if (String(flags.format).includes('environmentVariables'))
    out((env.GKE_CLUSTERS || '') + '\t' + (env.GKE_PROJECTS || '') + '\n');
  else if (String(flags.format).includes('serviceConfig.uri')) out(fn.url + '\n');
  else out(JSON.stringify(fn) + '\n');
} else if (has('functions deploy')) {
  const labels = {};
  for (const pair of String(flags['update-labels'] || '').split(',').filter(Boolean)) {
    const [k, v] = pair.split('=');
    labels[k] = v;
  }
  state.functions[arg(2)] = {
    labels, flags,
    url: 'https://' + arg(2) + '-x7k2q9-' + flags.region.replace(/-/g, '') + '.a.run.app',
  };
} else if (has('functions add-invoker-policy-binding')) {
  if (state.functions[arg(2)] === undefined) notFound('function ' + arg(2));
  if (!state.invokers.some(x => x.function === arg(2) && x.member === flags.member))
    state.invokers.push({function: arg(2), member: flags.member});
} else if (has('run services get-iam-policy')) {
  if (state.functions[arg(3)] === undefined) notFound('service ' + arg(3));
  for (const b of state.invokers.filter(x => x.function === arg(3))) out('roles/run.invoker\t' + b.member + '\n');
  for (const b of state.publicBindings.filter(x => x.function === arg(3))) out(b.role + '\t' + b.member + '\n');
} else if (has('functions delete')) {
  if (state.functions[arg(2)] === undefined) notFound('function ' + arg(2));
  delete state.functions[arg(2)];
  state.invokers = state.invokers.filter(x => x.function !== arg(2));
} else if (has('scheduler jobs describe')) {
  if (state.jobs[arg(3)] === undefined) notFound('job ' + arg(3));
} else if (has('scheduler jobs create http')) {
  if (state.jobs[arg(4)] !== undefined) exists('job ' + arg(4));
  state.jobs[arg(4)] = flags;
} else if (has('scheduler jobs update http')) {
  if (state.jobs[arg(4)] === undefined) notFound('job ' + arg(4));
  state.jobs[arg(4)] = flags;
} else if (has('scheduler jobs delete')) {
  if (state.jobs[arg(3)] === undefined) notFound('job ' + arg(3));
  delete state.jobs[arg(3)];
} else {
  process.stderr.write('stand-in gcloud: unsupported command: ' + argv.join(' ') + '\n');
  process.exit(2);
}
save();
`;

interface StandIn {
  dir: string;
  log: string;
  state: string;
  envFile: string;
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Every gcloud argv the stand-in received during this run. */
  calls: string[][];
}

/** Project state as the stand-in keeps it. */
interface FakeState {
  apis: string[];
  serviceAccounts: string[];
  bindings: Array<{project: string; role: string; member: string}>;
  databases: Record<string, string>;
  ttls: Array<{database: string; group: string; field: string}>;
  secrets: Record<string, string[]>;
  secretBindings: Array<{secret: string; role: string; member: string}>;
  functions: Record<string, {labels: Record<string, string>; flags: Record<string, unknown>}>;
  invokers: Array<{function: string; member: string}>;
  jobs: Record<string, Record<string, string | boolean>>;
  bulkDeletes: string[];
  /** Bindings "added by hand" on the function's Cloud Run service. */
  publicBindings: Array<{function: string; role: string; member: string}>;
}

async function makeStandIn(): Promise<StandIn> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'deploy-sh-'));
  const bin = path.join(dir, 'bin');
  await import('node:fs/promises').then(fs => fs.mkdir(bin));
  await writeFile(path.join(bin, 'package.json'), '{"type": "commonjs"}\n');
  await writeFile(path.join(bin, 'gcloud'), `#!${process.execPath}\n${STAND_IN}`);
  await chmod(path.join(bin, 'gcloud'), 0o755);
  const envFile = path.join(dir, 'deploy.env');
  await writeFile(envFile, ENV_FILE_TEXT);
  return {dir, log: path.join(dir, 'calls.jsonl'), state: path.join(dir, 'state.json'), envFile};
}

async function readCalls(standIn: StandIn): Promise<string[][]> {
  if (!existsSync(standIn.log)) return [];
  const text = await readFile(standIn.log, 'utf8');
  return text
    .split('\n')
    .filter(l => l !== '')
    .map(l => JSON.parse(l) as string[]);
}

async function readState(standIn: StandIn): Promise<FakeState> {
  return JSON.parse(await readFile(standIn.state, 'utf8')) as FakeState;
}

async function runDeploy(
  standIn: StandIn,
  args: string[],
  options: {stdin?: string; env?: Record<string, string>; bashFlags?: string[]} = {},
): Promise<RunResult> {
  const before = (await readCalls(standIn)).length;
  const env: Record<string, string | undefined> = {
    ...process.env,
    PATH: `${path.join(standIn.dir, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
    STANDIN_LOG: standIn.log,
    STANDIN_STATE: standIn.state,
    // Checks settings with the build `npm test` made, never rebuilding it under other tests.
    CRONJOB_WATCHER_NO_BUILD: '1',
    // Same-named variables in the caller's shell must not leak in as settings.
    PROJECT: 'not-this-project',
    REGION: 'not-this-region',
    ...options.env,
  };
  if (options.env?.SLACK_BOT_TOKEN === undefined) delete env.SLACK_BOT_TOKEN;
  const bashArgs = [...(options.bashFlags ?? []), SCRIPT, '--env-file', standIn.envFile];
  const child = spawn('bash', [...bashArgs, ...args], {
    cwd: os.tmpdir(),
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // The script may exit before it reads its input (a refused flag, a bad setting): the pipe
  // then closes under the write, which says nothing about the script (seen once: EPIPE).
  child.stdin.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  child.stdin.end(options.stdin ?? '');
  const code = await new Promise<number | null>(resolve => child.once('close', resolve));
  const calls = (await readCalls(standIn)).slice(before);
  return {code, stdout, stderr, calls};
}

/** Splits a printed command line into words (single quotes as the script writes them). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      assert.ok(end > i, `unbalanced quote in: ${line}`);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[i + 1];
      inWord = true;
      i++;
    } else if (c === ' ') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if ((c === '#' || c === '<') && !inWord) {
      break; // a trailing comment or the stdin placeholder
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The gcloud argv of every command line in a dry-run listing. */
function dryRunCommands(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter(l => l.startsWith('gcloud '))
    .map(l => shellWords(l).slice(1));
}

function flagValue(argv: string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return argv.find(a => a.startsWith(prefix))?.slice(prefix.length);
}

function isCommand(argv: string[], ...words: string[]): boolean {
  return words.every((w, i) => argv[i] === w);
}

const READ_ONLY_VERBS = new Set([
  'describe',
  'list',
  'get-iam-policy',
  'access',
  'list-files-for-upload',
]);
function isMutating(argv: string[]): boolean {
  return !argv.some(w => READ_ONLY_VERBS.has(w));
}

/** Commands that create, replace or delete a resource (IAM add-binding is idempotent). */
function isCreationOrDeletion(argv: string[]): boolean {
  return (
    ['create', 'deploy', 'delete', 'bulk-delete'].some(verb => argv.includes(verb)) ||
    isCommand(argv, 'secrets', 'versions', 'add') ||
    isCommand(argv, 'firestore', 'fields', 'ttls', 'update')
  );
}

/** Checks that hold for any listing of deploy commands (recorded or printed). */
function assertSafeDeployCommands(
  commands: string[][],
  clusterRole: string,
  {buildSa = BUILD_SA, ingress = 'internal-only'} = {},
): void {
  const text = JSON.stringify(commands);
  assert.ok(!text.includes('allUsers'), 'allUsers appears in a command');
  assert.ok(!text.includes('allAuthenticatedUsers'), 'allAuthenticatedUsers appears in a command');
  assert.ok(!text.includes('--allow-unauthenticated'), 'the function is made public');

  const deploys = commands.filter(c => isCommand(c, 'functions', 'deploy'));
  assert.ok(deploys.length >= 1, 'no functions deploy');
  for (const deploy of deploys) {
    assert.ok(deploy.includes('--no-allow-unauthenticated'));
    assert.ok(deploy.includes('--gen2'));
    assert.ok(deploy.includes('--trigger-http'));
    assert.equal(flagValue(deploy, 'runtime'), 'nodejs24');
    assert.equal(flagValue(deploy, 'entry-point'), 'watchCronJobs');
    assert.equal(flagValue(deploy, 'service-account'), RUNTIME_SA);
    assert.equal(flagValue(deploy, 'max-instances'), '1');
    assert.equal(flagValue(deploy, 'timeout'), '300s');
    // A pinned version (a number, or the dry run's placeholder for it), never `latest`.
    assert.match(
      flagValue(deploy, 'set-secrets') ?? '',
      /^SLACK_BOT_TOKEN=cronjob-watcher-slack-token:(\d+|<newest version[^>]*>)$/,
    );
    assert.equal(flagValue(deploy, 'ingress-settings'), ingress);
    assert.equal(
      flagValue(deploy, 'build-service-account'),
      `projects/-/serviceAccounts/${buildSa}`,
    );
    // One gcp-build build in Cloud Build: no `prepare`, no install scripts (the node binary).
    assert.equal(flagValue(deploy, 'set-build-env-vars'), 'NPM_CONFIG_IGNORE_SCRIPTS=true');
    const env = flagValue(deploy, 'set-env-vars') ?? '';
    assert.match(env, /^\^;\^/, 'env vars use the ; delimiter (cluster lists hold commas)');
    const vars = Object.fromEntries(
      env
        .slice(3)
        .split(';')
        .map(kv => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    );
    assert.equal(vars.GKE_CLUSTERS, `${CLUSTER_A},${CLUSTER_B}`);
    assert.equal(vars.GKE_PROJECTS, WATCH_PROJECT);
    assert.equal(vars.STATE_BACKEND, 'firestore');
    assert.equal(vars.GOOGLE_CLOUD_PROJECT, PROJECT);
    assert.equal(vars.PASS_BUDGET_SECONDS, '240');
    assert.equal(vars.SLACK_CHANNEL, '#cronjobs');
    assert.equal(vars.SLACK_BOT_TOKEN, undefined, 'the token is a secret, not an env var');
    // Issue 14: the heap is three quarters of the 512Mi memory, not left to Node.
    assert.equal(flagValue(deploy, 'memory'), '512Mi');
    assert.equal(vars.NODE_OPTIONS, '--max-old-space-size=384 --max-semi-space-size=16');
  }

  const jobs = commands.filter(c => isCommand(c, 'scheduler', 'jobs'));
  assert.ok(
    jobs.some(c => c.includes('create')),
    'no scheduler job create',
  );
  for (const job of jobs.filter(c => c.includes('create') || c.includes('update'))) {
    assert.equal(flagValue(job, 'oidc-service-account-email'), INVOKER_SA);
    assert.ok(flagValue(job, 'oidc-token-audience'), 'no OIDC audience');
    assert.equal(flagValue(job, 'oidc-token-audience'), flagValue(job, 'uri'));
    assert.equal(flagValue(job, 'http-method'), 'post');
    assert.equal(flagValue(job, 'attempt-deadline'), '300s', 'deadline = function timeout');
    assert.ok(Number(flagValue(job, 'max-retry-attempts')) > 0);
    assert.equal(flagValue(job, 'oauth-service-account-email'), undefined);
  }

  // The runtime account: cluster read in the watched projects, Firestore in its own. The
  // build account (ours only): the build roles in the deploy project.
  const runtime = `serviceAccount:${RUNTIME_SA}`;
  const allGrants = commands.filter(c => isCommand(c, 'projects', 'add-iam-policy-binding'));
  const buildGrants = allGrants.filter(g => flagValue(g, 'member') !== runtime);
  for (const grant of buildGrants) {
    assert.equal(flagValue(grant, 'member'), `serviceAccount:${BUILD_SA}`, grant.join(' '));
    assert.equal(grant[2], PROJECT);
  }
  assert.deepEqual(
    [...new Set(buildGrants.map(g => flagValue(g, 'role')))].sort(),
    buildSa === BUILD_SA ? [...BUILD_ROLES].sort() : [],
  );
  const projectGrants = allGrants.filter(g => flagValue(g, 'member') === runtime);
  for (const grant of projectGrants) {
    assert.equal(
      flagValue(grant, 'member'),
      runtime,
      `only the runtime account gets project roles`,
    );
    const role = flagValue(grant, 'role')!;
    assert.ok(RUNTIME_PROJECT_ROLES.has(role), `runtime account gets ${role}`);
    if (role === 'roles/datastore.user') assert.equal(grant[2], PROJECT);
    else assert.equal(role, clusterRole);
  }
  const clusterProjects = projectGrants
    .filter(g => flagValue(g, 'role') === clusterRole)
    .map(g => g[2]);
  assert.deepEqual(
    [...new Set(clusterProjects)].sort(),
    ['other-proj-2', PROJECT, WATCH_PROJECT].sort(),
  );
  const secretGrants = commands.filter(c => isCommand(c, 'secrets', 'add-iam-policy-binding'));
  assert.ok(secretGrants.length >= 1);
  for (const grant of secretGrants) {
    assert.equal(grant[2], SECRET, 'access to the one secret only');
    assert.equal(flagValue(grant, 'member'), runtime);
    assert.equal(flagValue(grant, 'role'), 'roles/secretmanager.secretAccessor');
  }
  // The invoker: run.invoker on this function and nothing else.
  const invokerGrants = commands.filter(c => c.includes(`--member=serviceAccount:${INVOKER_SA}`));
  for (const grant of invokerGrants) {
    assert.ok(isCommand(grant, 'functions', 'add-invoker-policy-binding'), grant.join(' '));
    assert.equal(grant[2], 'cronjob-watcher');
  }
  assert.equal(invokerGrants.length >= 1, true, 'the invoker is never granted run.invoker');
  // No other IAM command anywhere (custom roles, service account keys, …).
  for (const command of commands) {
    const iam = command.some(w => w.includes('iam-policy') || w === 'keys' || w === 'roles');
    if (iam) {
      assert.ok(
        isCommand(command, 'projects', 'add-iam-policy-binding') ||
          isCommand(command, 'projects', 'get-iam-policy') ||
          isCommand(command, 'secrets', 'add-iam-policy-binding') ||
          isCommand(command, 'functions', 'add-invoker-policy-binding') ||
          isCommand(command, 'run', 'services', 'get-iam-policy') ||
          // The one removal: the builder role earlier versions gave the build account.
          (isCommand(command, 'projects', 'remove-iam-policy-binding') &&
            flagValue(command, 'role') === 'roles/cloudbuild.builds.builder' &&
            flagValue(command, 'member') === `serviceAccount:${buildSa}`),
        `unexpected IAM command: ${command.join(' ')}`,
      );
    }
  }
}

/**
 * Runs each argv through the installed gcloud's own parser and returns those it refuses.
 * gcloud is Python and takes about a second of CPU to start, so instead of one process per
 * command, two Python processes (one per core) load gcloud's CLI once and execute their half
 * of the commands in turn. With an empty configuration, a command whose flags and values all
 * parse stops at "no active account" before any API call; anything else is a refusal.
 */
async function rejectedByGcloud(commands: string[][]): Promise<string[]> {
  const sdkRoot = path.resolve(path.dirname(realpathSync(onPath('gcloud'))), '..');
  const bundled = path.join(sdkRoot, 'platform', 'bundledpythonunix', 'bin', 'python3');
  const python = process.env.CLOUDSDK_PYTHON ?? (existsSync(bundled) ? bundled : 'python3');
  const config = await mkdtemp(path.join(os.tmpdir(), 'gcloud-config-'));
  try {
    await writeFile(path.join(config, 'gce'), 'False'); // skip the GCE metadata probe
    const env = {...process.env, CLOUDSDK_CONFIG: config, CLOUDSDK_CORE_DISABLE_PROMPTS: '1'};
    const halves = [commands.filter((_, i) => i % 2 === 0), commands.filter((_, i) => i % 2 === 1)];
    const outputs = await Promise.all(
      halves
        .filter(half => half.length > 0)
        .map(
          half =>
            new Promise<string>((resolve, reject) => {
              const child = spawn(python, ['-c', GCLOUD_BATCH, path.join(sdkRoot, 'lib')], {
                env,
                stdio: ['pipe', 'pipe', 'pipe'],
              });
              let stdout = '';
              let stderr = '';
              child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
              child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
              child.once('error', reject);
              child.once('close', code =>
                code === 0 ? resolve(stdout) : reject(new Error(`gcloud batch failed: ${stderr}`)),
              );
              child.stdin.end(JSON.stringify(half));
            }),
        ),
    );
    return outputs
      .flatMap(out => out.split('\n').filter(line => line !== ''))
      .map(line => JSON.parse(line) as {argv: string[]; output: string})
      .filter(r => !r.output.includes('You do not currently have an active account selected'))
      .map(r => `gcloud ${r.argv.join(' ')}\n  ${r.output.split('\n').slice(0, 3).join('\n  ')}`);
  } finally {
    await rm(config, {recursive: true, force: true});
  }
}

/** Executes each JSON argv on stdin with one loaded gcloud CLI; one JSON line out per command. */
const GCLOUD_BATCH = String.raw`
import json, os, sys, tempfile
lib = sys.argv[1]
sys.path[0:0] = [lib, os.path.join(lib, 'third_party')]
from googlecloudsdk import gcloud_main
cli = gcloud_main.CreateCLI([])
results = []
for argv in json.load(sys.stdin):
    with tempfile.TemporaryFile() as capture:
        sys.stdout.flush(); sys.stderr.flush()
        saved = (os.dup(1), os.dup(2))
        os.dup2(capture.fileno(), 1); os.dup2(capture.fileno(), 2)
        try:
            cli.Execute(argv)
        except SystemExit:
            pass
        except BaseException as error:
            sys.stderr.write('%s: %s\n' % (type(error).__name__, error))
        finally:
            sys.stdout.flush(); sys.stderr.flush()
            os.dup2(saved[0], 1); os.dup2(saved[1], 2)
            os.close(saved[0]); os.close(saved[1])
        capture.seek(0)
        results.append({'argv': argv, 'output': capture.read().decode('utf-8', 'replace')})
for result in results:
    print(json.dumps(result))
`;

function onPath(command: string): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  throw new Error(`${command} is not on PATH`);
}

function assertNoToken(result: RunResult, ...tokens: string[]): void {
  for (const token of tokens) {
    assert.ok(!JSON.stringify(result.calls).includes(token), 'the token is in a gcloud argument');
    assert.ok(!result.stdout.includes(token), 'the token is on stdout');
    assert.ok(!result.stderr.includes(token), 'the token is on stderr');
  }
}

// Tests that run deploy.sh several times for real: each run starts bash, Node for the
// settings check and a stand-in gcloud per command, which takes long on a busy 2-core machine.
const SLOW = {timeout: 300_000};

describe('infra/deploy.sh', () => {
  const tempDirs: string[] = [];
  async function freshStandIn(): Promise<StandIn> {
    const standIn = await makeStandIn();
    tempDirs.push(standIn.dir);
    return standIn;
  }
  after(async () => {
    for (const dir of tempDirs) await rm(dir, {recursive: true, force: true});
  });

  it('passes shellcheck', () => {
    const result = spawnSync('shellcheck', [SCRIPT], {encoding: 'utf8'});
    assert.ok(
      result.error === undefined,
      `shellcheck is not installed (Debian: apt-get install shellcheck): ${result.error?.message}`,
    );
    assert.equal(result.status, 0, result.stdout + result.stderr);
  });

  it('--help lists every flag the script accepts', async () => {
    const source = await readFile(SCRIPT, 'utf8');
    const settings = spawnSync(
      process.execPath,
      [path.join(REPO_ROOT, 'build', 'functions', 'config-check.js'), 'settings'],
      {encoding: 'utf8'},
    );
    const flags = [
      ...[...source.matchAll(/^\s+(--[a-z-]+)(?: \| -h)?\)/gm)].map(m => m[1]!),
      // One for each setting of the function, derived from its name.
      ...settings.stdout
        .trim()
        .split('\n')
        .map(name => `--${name.toLowerCase().replace(/_/g, '-')}`),
    ];
    // The refused token flags are matched on one line; they are not options.
    const accepted = flags.filter(
      f => !['--slack-token', '--slack-bot-token', '--token'].includes(f),
    );
    assert.ok(accepted.length >= 25, `found only ${accepted.length} flags in the parser`);
    const result = spawnSync('bash', [SCRIPT, '--help'], {encoding: 'utf8'});
    assert.equal(result.status, 0);
    for (const flag of accepted) {
      assert.match(result.stdout, new RegExp(`(^|\\s)${flag}(\\s|$)`, 'm'), `--help omits ${flag}`);
    }
  });

  it('--slack-actions: slackActions with its own account, the signing secret by stdin, only it public, its URL printed', async () => {
    const standIn = await freshStandIn();
    const secret = '8f742231b10e8888abcd99000000a5a5';
    const result = await runDeploy(
      standIn,
      ['--dry-run', '--slack-token-stdin', '--signing-secret-stdin', '--slack-actions'],
      {stdin: `${TOKEN}\n${secret}\n`},
    );
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.calls, [], 'dry-run ran gcloud');
    assertNoToken(result, TOKEN);
    assert.ok(
      !result.stdout.includes(secret) && !result.stderr.includes(secret),
      'the secret shows',
    );
    assert.match(
      result.stdout,
      /secrets create cronjob-watcher-slack-signing-secret .*--data-file=- .*< <signing secret from stdin>/,
    );
    const commands = dryRunCommands(result.stdout);
    const deploys = commands.filter(c => isCommand(c, 'functions', 'deploy'));
    assert.deepEqual(
      deploys.map(d => [d[2], flagValue(d, 'entry-point'), d.includes('--allow-unauthenticated')]),
      [
        ['cronjob-watcher', 'watchCronJobs', false],
        ['cronjob-watcher-actions', 'slackActions', true],
      ],
    );
    const actions = deploys[1]!;
    const actionsSa = RUNTIME_SA.replace('cronjob-watcher-run@', 'cronjob-watcher-actions@');
    assert.equal(flagValue(actions, 'service-account'), actionsSa);
    assert.match(
      flagValue(actions, 'set-secrets') ?? '',
      /^SLACK_BOT_TOKEN=cronjob-watcher-slack-token:.*,SLACK_SIGNING_SECRET=cronjob-watcher-slack-signing-secret:/,
    );
    // Its account: Firestore and the two secrets; no cluster role anywhere.
    const granted = commands
      .filter(c => c.includes(`--member=serviceAccount:${actionsSa}`))
      .map(c => `${c[0]} ${c[2]} ${flagValue(c, 'role')}`);
    assert.deepEqual(granted.sort(), [
      `projects ${PROJECT} roles/datastore.user`,
      'secrets cronjob-watcher-slack-signing-secret roles/secretmanager.secretAccessor',
      'secrets cronjob-watcher-slack-token roles/secretmanager.secretAccessor',
    ]);
    assert.match(result.stdout, /Request URL\): <slackActions URL/);
  });

  it('--dry-run prints the deploy commands, runs no gcloud at all, and hides the token', async () => {
    const standIn = await freshStandIn();
    const result = await runDeploy(standIn, ['--dry-run', '--slack-token-stdin'], {
      stdin: `${TOKEN}\n`,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.calls, [], 'dry-run ran gcloud');
    assertNoToken(result, TOKEN);
    assert.match(result.stdout, /secrets create .*--data-file=- .*< <token from stdin>/);
    const commands = dryRunCommands(result.stdout);
    assert.ok(commands.length >= 15, result.stdout);
    assertSafeDeployCommands(commands, 'roles/container.clusterViewer');
    // The TTL policy and a Native-mode database.
    assert.ok(
      commands.some(
        c =>
          isCommand(c, 'firestore', 'fields', 'ttls', 'update', 'expireAt') &&
          c.includes('--collection-group=cronjobWatcherRecords') &&
          c.includes('--enable-ttl'),
      ),
    );
    assert.ok(
      commands.some(
        c =>
          isCommand(c, 'firestore', 'databases', 'create') && c.includes('--type=firestore-native'),
      ),
    );
    // Every API the deployment needs.
    const enable = commands.find(c => isCommand(c, 'services', 'enable'))!;
    for (const api of [
      'run',
      'cloudfunctions',
      'cloudbuild',
      'artifactregistry',
      'cloudscheduler',
      'firestore',
      'secretmanager',
      'container',
      'logging',
      'iam',
    ]) {
      assert.ok(enable.includes(`${api}.googleapis.com`), `${api} API not enabled`);
    }
    // The RBAC lines, one per named cluster, with the runtime account substituted.
    assert.match(
      result.stdout,
      /kubectl --context=gke_other-proj-2_europe-west1-b_prod apply -f -/,
    );
    assert.match(
      result.stdout,
      new RegExp(`s/\\$\\{RUNTIME_SA_EMAIL\\}/${RUNTIME_SA.replace(/\./g, '\\.')}/`),
    );
  });

  it('--dry-run output does not depend on the project state', SLOW, async () => {
    const standIn = await freshStandIn();
    const args = ['--dry-run', '--slack-token-stdin'];
    const empty = await runDeploy(standIn, args, {stdin: TOKEN});
    const deployed = await runDeploy(standIn, ['--slack-token-stdin'], {stdin: TOKEN});
    assert.equal(deployed.code, 0, deployed.stderr);
    const again = await runDeploy(standIn, args, {stdin: TOKEN});
    assert.equal(again.stdout, empty.stdout);
  });

  it(
    'every command, printed or run, is accepted by the installed gcloud (flags exist, values parse)',
    {timeout: 300_000},
    async () => {
      const standIn = await freshStandIn();
      const listings = await Promise.all([
        runDeploy(standIn, ['--dry-run', '--slack-token-stdin'], {stdin: TOKEN}),
        runDeploy(standIn, [
          '--dry-run',
          '--cluster-access=viewer',
          '--build-service-account',
          '123456789012-compute@developer.gserviceaccount.com',
          '--gke-endpoint=private',
          '--vpc-connector=gke-access',
          '--vpc-egress=all',
          '--ingress-settings=all',
          '--namespaces=batch,reports',
          '--page-size=1000',
        ]),
        runDeploy(standIn, ['--destroy', '--dry-run', '--delete-data']),
      ]);
      for (const listing of listings) assert.equal(listing.code, 0, listing.stderr);
      // The lookups too (describe, get-iam-policy, versions describe): from real runs.
      const real = await freshStandIn();
      const deployed = await runDeploy(real, ['--slack-token-stdin'], {stdin: TOKEN});
      const destroyed = await runDeploy(real, ['--destroy', '--yes']);
      assert.equal(deployed.code, 0, deployed.stderr);
      assert.equal(destroyed.code, 0, destroyed.stderr);
      const all = [
        ...listings.flatMap(l => dryRunCommands(l.stdout)),
        ...deployed.calls,
        ...destroyed.calls,
      ].filter(argv => argv[0] !== 'meta'); // local, needs no account: nothing to compare
      // Placeholders stand for values only a real run knows.
      const concrete = all.map(argv =>
        argv.map(word =>
          word
            .replace(/deploy-hash=<[^>]*>/, 'deploy-hash=0123abcd')
            .replace(/:<newest version[^>]*>/, ':3')
            .replace(/<function URL:[^>]*>/g, 'https://cronjob-watcher-x7k2q9-ew.a.run.app'),
        ),
      );
      const unique = [...new Map(concrete.map(c => [JSON.stringify(c), c])).values()];
      assert.ok(unique.length >= 40, `only ${unique.length} distinct commands`);
      const started = Date.now();
      const rejected = await rejectedByGcloud(unique);
      // Figures for issue 11 (the test's speed): one gcloud start per worker, not per command.
      console.log(`gcloud parsed ${unique.length} commands in ${Date.now() - started} ms`);
      assert.deepEqual(rejected, []);
      // The check itself can fail: a made-up flag is refused.
      const bogus = await rejectedByGcloud([['functions', 'deploy', 'x', '--no-such-flag']]);
      assert.equal(bogus.length, 1);
    },
  );

  it('--cluster-access viewer grants roles/container.viewer instead, and no clusterViewer', async () => {
    const standIn = await freshStandIn();
    const result = await runDeploy(standIn, ['--dry-run', '--cluster-access', 'viewer']);
    assert.equal(result.code, 0, result.stderr);
    const commands = dryRunCommands(result.stdout);
    assertSafeDeployCommands(commands, 'roles/container.viewer');
    assert.ok(!result.stdout.includes('roles/container.clusterViewer'));
  });

  it(
    'deploys from nothing, then a second run creates nothing and changes nothing',
    SLOW,
    async () => {
      const standIn = await freshStandIn();
      const first = await runDeploy(standIn, ['--slack-token-stdin'], {stdin: `${TOKEN}\n`});
      assert.equal(first.code, 0, first.stderr);
      assertNoToken(first, TOKEN);
      assertSafeDeployCommands(first.calls, 'roles/container.clusterViewer');
      const afterFirst = await readState(standIn);
      assert.deepEqual(
        afterFirst.secrets[SECRET],
        [TOKEN],
        'the token reached the secret via stdin',
      );
      assert.deepEqual(
        [...afterFirst.serviceAccounts].sort(),
        [BUILD_SA, INVOKER_SA, RUNTIME_SA].sort(),
      );
      assert.equal(
        flagValue(
          first.calls.find(c => isCommand(c, 'functions', 'deploy'))!,
          'set-secrets',
        ),
        `SLACK_BOT_TOKEN=${SECRET}:1`,
      );
      assert.deepEqual(afterFirst.invokers, [
        {function: 'cronjob-watcher', member: `serviceAccount:${INVOKER_SA}`},
      ]);
      assert.ok(afterFirst.functions['cronjob-watcher']?.labels['deploy-hash']);
      const job = afterFirst.jobs['cronjob-watcher']!;
      assert.equal(job.uri, 'https://cronjob-watcher-x7k2q9-europewest1.a.run.app');
      assert.equal(job['oidc-token-audience'], job.uri);
      assert.deepEqual(afterFirst.ttls, [
        {database: '(default)', group: 'cronjobWatcherRecords', field: 'expireAt'},
      ]);
      // The kubectl line for each named cluster, on stdout.
      assert.match(
        first.stdout,
        /kubectl --context=gke_watch-prod-1_europe-west1_stage apply -f -/,
      );

      // The dry-run listing matches what a real run from nothing does, in order.
      const dry = await runDeploy(standIn, ['--dry-run', '--slack-token-stdin'], {stdin: TOKEN});
      const printed = dry.stdout
        .split('\n')
        .filter(
          l => l.startsWith('gcloud ') && !/# (if (it|the secret) exists|if bound|check)/.test(l),
        )
        .map(l => shellWords(l).slice(1, 4).join(' '));
      const ran = first.calls.filter(isMutating).map(c => c.slice(0, 3).join(' '));
      assert.deepEqual(printed, ran);

      const second = await runDeploy(standIn, ['--slack-token-stdin'], {stdin: TOKEN});
      assert.equal(second.code, 0, second.stderr);
      assertNoToken(second, TOKEN);
      const changes = second.calls.filter(isCreationOrDeletion);
      assert.deepEqual(changes, [], 'the second run created or redeployed something');
      assert.ok(second.calls.some(c => isCommand(c, 'scheduler', 'jobs', 'update', 'http')));
      assert.deepEqual(await readState(standIn), afterFirst);
    },
  );

  it(
    'rotates the token from SLACK_BOT_TOKEN: one new secret version and a redeploy',
    SLOW,
    async () => {
      const standIn = await freshStandIn();
      assert.equal((await runDeploy(standIn, ['--slack-token-stdin'], {stdin: TOKEN})).code, 0);
      const rotated = await runDeploy(standIn, [], {env: {SLACK_BOT_TOKEN: ROTATED_TOKEN}});
      assert.equal(rotated.code, 0, rotated.stderr);
      assertNoToken(rotated, TOKEN, ROTATED_TOKEN);
      assert.equal(rotated.calls.filter(c => isCommand(c, 'secrets', 'versions', 'add')).length, 1);
      const redeploys = rotated.calls.filter(c => isCommand(c, 'functions', 'deploy'));
      assert.equal(redeploys.length, 1);
      // The function moves to the new version: pinned, not `latest`.
      assert.equal(flagValue(redeploys[0]!, 'set-secrets'), `SLACK_BOT_TOKEN=${SECRET}:2`);
      assert.deepEqual((await readState(standIn)).secrets[SECRET], [TOKEN, ROTATED_TOKEN]);
      // Without a token, the stored one is kept.
      const keep = await runDeploy(standIn, []);
      assert.equal(keep.code, 0, keep.stderr);
      assert.ok(!keep.calls.some(c => isCommand(c, 'secrets', 'versions', 'add')));
    },
  );

  it(
    'refuses the token as an argument, a missing token on first deploy, and bad settings',
    SLOW,
    async () => {
      const standIn = await freshStandIn();
      const asArgument = await runDeploy(standIn, [`--slack-token=${TOKEN}`]);
      assert.equal(asArgument.code, 1);
      assertNoToken(asArgument, TOKEN);
      assert.match(asArgument.stderr, /never a command-line argument/);

      const noToken = await runDeploy(standIn, []);
      assert.equal(noToken.code, 1);
      assert.match(noToken.stderr, /give the Slack token on stdin/);

      const badCluster = await runDeploy(standIn, ['--dry-run', '--clusters', 'prod']);
      assert.equal(badCluster.code, 1);
      assert.match(badCluster.stderr, /GKE_CLUSTERS: "prod" is not a GKE cluster resource name/);

      await writeFile(standIn.envFile, `${ENV_FILE_TEXT}SLACK_BOT_TOKEN=${TOKEN}\n`);
      const inFile = await runDeploy(standIn, ['--dry-run']);
      assert.equal(inFile.code, 1);
      assertNoToken(inFile, TOKEN);
      assert.match(inFile.stderr, /SLACK_BOT_TOKEN does not belong in a file/);
    },
  );

  it(
    'build account: creates <name>-build with the build roles; a named one (the compute default) is used as it is',
    SLOW,
    async () => {
      const standIn = await freshStandIn();
      const own = await runDeploy(standIn, ['--slack-token-stdin'], {stdin: TOKEN});
      assert.equal(own.code, 0, own.stderr);
      assertSafeDeployCommands(own.calls, 'roles/container.clusterViewer');
      const state = await readState(standIn);
      assert.ok(state.serviceAccounts.includes(BUILD_SA));
      assert.deepEqual(
        state.bindings
          .filter(b => b.member === `serviceAccount:${BUILD_SA}`)
          .map(b => `${b.project} ${b.role}`)
          .sort(),
        BUILD_ROLES.map(r => `${PROJECT} ${r}`).sort(),
      );
      // Cloud Build's builder role (every bucket and registry) is not granted, and a binding an
      // earlier version made is removed on the next deploy.
      assert.ok(!JSON.stringify(own.calls).includes('roles/cloudbuild.builds.builder'));
      const legacy = await readState(standIn);
      legacy.bindings.push({
        project: PROJECT,
        role: 'roles/cloudbuild.builds.builder',
        member: `serviceAccount:${BUILD_SA}`,
      });
      await writeFile(standIn.state, JSON.stringify(legacy));
      const upgraded = await runDeploy(standIn, []);
      assert.equal(upgraded.code, 0, upgraded.stderr);
      assert.ok(
        !(await readState(standIn)).bindings.some(
          b => b.role === 'roles/cloudbuild.builds.builder',
        ),
        'the builder role an earlier deploy granted is still bound',
      );

      // Google's documented alternative: build as the Compute Engine default account. Accepted
      // (the old email check refused it), passed through, granted nothing, not created.
      const compute = '123456789012-compute@developer.gserviceaccount.com';
      const chosen = await runDeploy(standIn, ['--dry-run', '--build-service-account', compute]);
      assert.equal(chosen.code, 0, chosen.stderr);
      const commands = dryRunCommands(chosen.stdout);
      assertSafeDeployCommands(commands, 'roles/container.clusterViewer', {buildSa: compute});
      assert.ok(
        !commands.some(c =>
          isCommand(c, 'iam', 'service-accounts', 'create', 'cronjob-watcher-build'),
        ),
      );
      assert.ok(!chosen.stdout.includes(`serviceAccount:${compute}`), 'a role granted to it');
      assert.match(chosen.stdout, /used as it is: no roles granted to it/);

      const notAnAccount = await runDeploy(standIn, [
        '--dry-run',
        '--build-service-account',
        'builder',
      ]);
      assert.equal(notAnAccount.code, 1);
      assert.match(notAnAccount.stderr, /--build-service-account must be a service account email/);
    },
  );

  it(
    'private clusters: GKE_ENDPOINT=private needs a VPC connector; with one, the function egresses through it',
    SLOW,
    async () => {
      const standIn = await freshStandIn();
      const refused = await runDeploy(standIn, ['--dry-run', '--gke-endpoint', 'private']);
      assert.equal(refused.code, 1);
      assert.match(
        refused.stderr,
        /GKE_ENDPOINT=private needs a way into the cluster's VPC: set VPC_CONNECTOR \(--vpc-connector/,
      );
      assert.match(refused.stderr, /or use GKE_ENDPOINT=dns/);
      assert.deepEqual(refused.calls, []);

      const viaConnector = await runDeploy(standIn, [
        '--dry-run',
        '--gke-endpoint',
        'private',
        '--vpc-connector',
        'gke-access',
      ]);
      assert.equal(viaConnector.code, 0, viaConnector.stderr);
      const deploy = dryRunCommands(viaConnector.stdout).find(c =>
        isCommand(c, 'functions', 'deploy'),
      )!;
      assert.equal(flagValue(deploy, 'vpc-connector'), 'gke-access');
      assert.equal(flagValue(deploy, 'egress-settings'), 'private-ranges-only');
      assert.match(flagValue(deploy, 'set-env-vars')!, /;GKE_ENDPOINT=private(;|$)/);

      const all = await runDeploy(standIn, [
        '--dry-run',
        '--vpc-connector',
        'projects/host-proj-9/locations/europe-west1/connectors/gke',
        '--vpc-egress',
        'all',
      ]);
      assert.equal(all.code, 0, all.stderr);
      const allDeploy = dryRunCommands(all.stdout).find(c => isCommand(c, 'functions', 'deploy'))!;
      assert.equal(flagValue(allDeploy, 'egress-settings'), 'all');

      const noConnector = await runDeploy(standIn, ['--dry-run', '--vpc-egress', 'all']);
      assert.equal(noConnector.code, 1);
      assert.match(noConnector.stderr, /set --vpc-connector too/);
      // Without a connector (the DNS endpoint, the default), no VPC flag at all.
      const plain = await runDeploy(standIn, ['--dry-run', '--gke-endpoint', 'dns']);
      assert.ok(!/--vpc-connector|--egress-settings/.test(plain.stdout));
    },
  );

  it('ingress: internal-only by default (same-project Scheduler gets through), all on request', async () => {
    const standIn = await freshStandIn();
    const byDefault = await runDeploy(standIn, ['--dry-run']);
    assertSafeDeployCommands(dryRunCommands(byDefault.stdout), 'roles/container.clusterViewer');
    const open = await runDeploy(standIn, ['--dry-run', '--ingress-settings', 'all']);
    assert.equal(open.code, 0, open.stderr);
    assertSafeDeployCommands(dryRunCommands(open.stdout), 'roles/container.clusterViewer', {
      ingress: 'all',
    });
  });

  it(
    'token edges: refuses xtrace, never repeats a token in an error, no child inherits SLACK_BOT_TOKEN',
    SLOW,
    async () => {
      const standIn = await freshStandIn();
      for (const options of [{bashFlags: ['-x']}, {env: {SHELLOPTS: 'xtrace'}}]) {
        const traced = await runDeploy(standIn, ['--dry-run'], {
          ...options,
          env: {...('env' in options ? options.env : {}), SLACK_BOT_TOKEN: TOKEN},
        });
        assert.equal(traced.code, 1, JSON.stringify(options));
        assert.match(traced.stderr, /refusing to run under xtrace/);
        assertNoToken(traced, TOKEN);
      }
      // `--slack-token-stdin=TOKEN` used to be echoed back as an unknown argument.
      for (const args of [
        [`--slack-token-stdin=${TOKEN}`],
        ['--dry-run', TOKEN],
        ['--yes=' + TOKEN],
      ]) {
        const echoed = await runDeploy(standIn, args);
        assert.equal(echoed.code, 1, args.join(' '));
        assertNoToken(echoed, TOKEN);
        assert.match(echoed.stderr, /takes no value|unknown argument xox\?-<redacted>/);
      }
      // A token pasted into a setting: the parser's message would quote it; it is redacted.
      const inSetting = await runDeploy(standIn, ['--dry-run', '--namespaces', TOKEN]);
      assert.equal(inSetting.code, 1);
      assertNoToken(inSetting, TOKEN);
      assert.match(inSetting.stderr, /NAMESPACES/);
      // The stand-in gcloud fails if it inherits SLACK_BOT_TOKEN (see STAND_IN): a real run from
      // the environment variable works, so it was unset once read.
      const fromEnv = await runDeploy(standIn, [], {env: {SLACK_BOT_TOKEN: TOKEN}});
      assert.equal(fromEnv.code, 0, fromEnv.stderr);
      assert.deepEqual((await readState(standIn)).secrets[SECRET], [TOKEN]);
      // The token travels to SLACK_API_URL: https only, except on loopback.
      const plainHttp = await runDeploy(standIn, [
        '--dry-run',
        '--slack-api-url',
        'http://slack-proxy.internal/api/',
      ]);
      assert.equal(plainHttp.code, 1);
      assert.match(plainHttp.stderr, /SLACK_API_URL must be an https:\/\/ URL/);
      const loopback = await runDeploy(standIn, [
        '--dry-run',
        '--slack-api-url',
        'http://127.0.0.1:8080/api/',
      ]);
      assert.equal(loopback.code, 0, loopback.stderr);
    },
  );

  it(
    "settings are checked by the function's own parser: no second set of rules in deploy.sh",
    SLOW,
    async () => {
      const standIn = await freshStandIn();
      // Accepted by functions/gke-settings.ts, refused by the regexes deploy.sh used to have.
      const domainScoped = await runDeploy(standIn, [
        '--dry-run',
        '--watch-projects',
        'example.com:legacy-proj',
        '--cluster-labels',
        'team=équipe',
      ]);
      assert.equal(domainScoped.code, 0, domainScoped.stderr);
      assert.match(domainScoped.stdout, /add-iam-policy-binding example\.com:legacy-proj /);
      // Refused by the parser, with its message (the names are the env file's).
      for (const [args, message] of [
        [['--cluster-labels', 'Env=prod'], /GKE_CLUSTER_LABELS: "Env=prod" has a key/],
        [['--clusters', 'prod'], /GKE_CLUSTERS: "prod" is not a GKE cluster resource name/],
        [['--gke-concurrency', '0'], /GKE_CONCURRENCY/],
        [['--retention-days', '9999'], /RETENTION_DAYS must be a whole number from 1 to 3650/],
        [['--page-size', '0'], /PAGE_SIZE must be a whole number/],
        [['--firestore-database', 'Bad_DB'], /FIRESTORE_DATABASE="Bad_DB"/],
        [
          ['--project', 'Not_A_Project'],
          /PROJECT: "Not_A_Project" is not a Google Cloud project ID/,
        ],
      ] as Array<[string[], RegExp]>) {
        const result = await runDeploy(standIn, ['--dry-run', ...args]);
        assert.equal(result.code, 1, args.join(' '));
        assert.match(result.stderr, /the function would refuse these settings/);
        assert.match(result.stderr, message);
      }
      // PAGE_SIZE reaches the function, and is documented where the settings are.
      const paged = await runDeploy(standIn, ['--dry-run', '--page-size', '2000']);
      const deploy = dryRunCommands(paged.stdout).find(c => isCommand(c, 'functions', 'deploy'))!;
      assert.match(flagValue(deploy, 'set-env-vars')!, /;PAGE_SIZE=2000(;|$)/);
      for (const doc of ['infra/deploy.env.example', 'infra/RUNBOOK.md']) {
        assert.match(await readFile(path.join(REPO_ROOT, doc), 'utf8'), /PAGE_SIZE/, doc);
      }
      // ROUTES and MESSAGE_LANGUAGE (env file only) reach the function, checked by its parser.
      await writeFile(
        standIn.envFile,
        `${ENV_FILE_TEXT}ROUTES=prod/payments=C0PAY12345,*/data=C0DATA1234\nMESSAGE_LANGUAGE=ja\n`,
      );
      const routed = await runDeploy(standIn, ['--dry-run']);
      assert.equal(routed.code, 0, routed.stderr);
      const routedDeploy = dryRunCommands(routed.stdout).find(c =>
        isCommand(c, 'functions', 'deploy'),
      )!;
      assert.match(
        flagValue(routedDeploy, 'set-env-vars')!,
        /;ROUTES=prod\/payments=C0PAY12345,\*\/data=C0DATA1234;MESSAGE_LANGUAGE=ja(;|$)/,
      );
      for (const [line, message] of [
        ['ROUTES=payments', /ROUTES must be <cluster>\/<namespace>=<channel>/],
        ['MESSAGE_LANGUAGE=fr', /MESSAGE_LANGUAGE must be one of en, ja/],
      ] as const) {
        await writeFile(standIn.envFile, `${ENV_FILE_TEXT}${line}\n`);
        const refused = await runDeploy(standIn, ['--dry-run']);
        assert.equal(refused.code, 1, line);
        assert.match(refused.stderr, message);
      }
      await writeFile(standIn.envFile, ENV_FILE_TEXT);
      // The copies that drifted are gone.
      const source = await readFile(SCRIPT, 'utf8');
      for (const gone of [
        'PROJECT_RE',
        'CLUSTER_RE',
        'LABEL_RE',
        'NAMESPACE_RE',
        'CHANNEL_RE',
        'DATABASE_RE',
      ]) {
        assert.ok(!source.includes(gone), `deploy.sh still has ${gone}`);
      }
    },
  );

  it(
    'accepts every setting the function parser lists: in the env file, as its flag, in --help',
    SLOW,
    async () => {
      const listing = spawnSync(
        process.execPath,
        [path.join(REPO_ROOT, 'build', 'functions', 'config-check.js'), 'settings'],
        {encoding: 'utf8'},
      );
      assert.equal(listing.status, 0, listing.stderr);
      const listed = listing.stdout.trim().split('\n');
      for (const name of ['DETECTIONS', 'ROUTES', 'MESSAGE_LANGUAGE', 'GKE_CLUSTERS']) {
        assert.ok(listed.includes(name), `the parser does not list ${name}`);
      }
      // A valid value for each: a setting added to the parser needs one here.
      const samples: Record<string, string> = {
        GKE_CLUSTERS: CLUSTER_A,
        GKE_PROJECTS: WATCH_PROJECT,
        GKE_CLUSTER_LABELS: 'env=prod',
        GKE_ENDPOINT: 'dns',
        GKE_CONCURRENCY: '3',
        NAMESPACES: 'batch,data',
        CLUSTER_DOWN_AFTER: '5',
        STORM_THRESHOLD: '8',
        MAINTENANCE: 'prod/batch=0 2 * * 6 3h,*/reports=30 1 * * * 1h',
        REMINDERS: '12h,2d',
        DIGEST_AT: '09:00 Asia/Tokyo',
        DETECTIONS: 'failing,missed',
        SLACK_CHANNEL: 'C0123456789',
        SLACK_API_URL: 'https://slack-proxy.example.com/api/',
        SLACK_HISTORY_LOOKUP: 'false',
        ROUTES: 'prod/payments=C0PAY12345,*/data=C0DATA1234',
        SLACK_ALLOWED_CHANNELS: 'C0PAY12345,G0PRIV1234',
        ALLOW_BROADCAST_MENTIONS: 'true',
        SLACK_ACTION_USERGROUPS: 'S0ONCALL01,S0SRE00002',
        MESSAGE_LANGUAGE: 'ja',
        FIRESTORE_DATABASE: 'watcher-db',
        RETENTION_DAYS: '30',
        PAGE_SIZE: '1000',
      };
      assert.deepEqual(
        listed.filter(name => samples[name] === undefined),
        [],
        'settings without a sample value in this test',
      );
      const help = spawnSync('bash', [SCRIPT, '--help'], {encoding: 'utf8'});
      for (const name of listed) {
        assert.match(help.stdout, new RegExp(`\\b${name}\\b`), `--help omits ${name}`);
      }
      const functionEnv = (stdout: string): Record<string, string> => {
        const deploy = dryRunCommands(stdout).find(c => isCommand(c, 'functions', 'deploy'))!;
        const pairs = flagValue(deploy, 'set-env-vars')!
          .replace(/^\^;\^/, '')
          .split(';');
        return Object.fromEntries(
          pairs.map(kv => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
        );
      };
      const standIn = await freshStandIn();
      const base = `PROJECT=${PROJECT}\nREGION=${REGION}\n`;
      await writeFile(standIn.envFile, base + listed.map(n => `${n}=${samples[n]}\n`).join(''));
      const fromFile = await runDeploy(standIn, ['--dry-run']);
      assert.equal(fromFile.code, 0, fromFile.stderr);
      await writeFile(standIn.envFile, base);
      const flags = listed.map(n => `--${n.toLowerCase().replace(/_/g, '-')}=${samples[n]}`);
      const fromFlags = await runDeploy(standIn, ['--dry-run', ...flags]);
      assert.equal(fromFlags.code, 0, fromFlags.stderr);
      for (const run of [fromFile, fromFlags]) {
        const env = functionEnv(run.stdout);
        for (const name of listed) assert.equal(env[name], samples[name], name);
      }
      // A name the parser does not know stays refused, as a flag and in the file.
      const unknown = await runDeploy(standIn, ['--dry-run', '--detection=failing']);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /unknown argument --detection /);
      await writeFile(standIn.envFile, `${base}DETECTION=failing\n`);
      const unknownInFile = await runDeploy(standIn, ['--dry-run']);
      assert.equal(unknownInFile.code, 1);
      assert.match(unknownInFile.stderr, /:3: unknown setting DETECTION /);
      await writeFile(standIn.envFile, ENV_FILE_TEXT);
    },
  );

  it('a SLACK_TOKEN the caller exported reaches no child', SLOW, async () => {
    const standIn = await freshStandIn();
    const result = await runDeploy(standIn, [], {
      env: {SLACK_BOT_TOKEN: TOKEN, SLACK_TOKEN: 'xoxb-1-exported-by-the-caller'},
    });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(
      result.calls.some(c => isCommand(c, 'functions', 'deploy')),
      'the deploy ran to the end',
    );
  });

  it(
    'warns on every deploy when the function has an allUsers or allAuthenticatedUsers binding',
    SLOW,
    async () => {
      const standIn = await freshStandIn();
      const first = await runDeploy(standIn, ['--slack-token-stdin'], {stdin: TOKEN});
      assert.equal(first.code, 0, first.stderr);
      assert.ok(
        first.calls.some(c => isCommand(c, 'run', 'services', 'get-iam-policy', 'cronjob-watcher')),
      );
      assert.match(first.stderr, /no allUsers or allAuthenticatedUsers binding/);
      assert.ok(!/WARNING/.test(first.stderr));
      // Someone makes it public by hand.
      const state = await readState(standIn);
      state.publicBindings.push({
        function: 'cronjob-watcher',
        role: 'roles/run.invoker',
        member: 'allUsers',
      });
      await writeFile(standIn.state, JSON.stringify(state));
      const drifted = await runDeploy(standIn, []);
      assert.equal(drifted.code, 0, drifted.stderr);
      assert.match(
        drifted.stderr,
        /WARNING: cronjob-watcher grants roles\/run\.invoker to allUsers: it is public/,
      );
      assert.match(
        drifted.stderr,
        /gcloud run services remove-iam-policy-binding cronjob-watcher .*--member=allUsers --role=roles\/run\.invoker/,
      );
      // Reported, not removed: someone chose it.
      assert.equal((await readState(standIn)).publicBindings.length, 1);
    },
  );

  describe('--destroy', () => {
    let standIn: StandIn;
    before(async () => {
      standIn = await freshStandIn();
      const deployed = await runDeploy(standIn, ['--slack-token-stdin'], {stdin: TOKEN});
      assert.equal(deployed.code, 0, deployed.stderr);
    });

    it('--dry-run lists the deletions, runs nothing, keeps data unless --delete-data', async () => {
      const dry = await runDeploy(standIn, ['--destroy', '--dry-run']);
      assert.equal(dry.code, 0, dry.stderr);
      assert.deepEqual(dry.calls, []);
      const commands = dryRunCommands(dry.stdout);
      for (const expected of [
        ['scheduler', 'jobs', 'delete', 'cronjob-watcher'],
        ['functions', 'delete', 'cronjob-watcher'],
        ['secrets', 'delete', SECRET],
        ['iam', 'service-accounts', 'delete', RUNTIME_SA],
        ['iam', 'service-accounts', 'delete', INVOKER_SA],
      ]) {
        assert.ok(
          commands.some(c => isCommand(c, ...expected)),
          `missing: ${expected.join(' ')}`,
        );
      }
      assert.ok(!commands.some(c => c.includes('bulk-delete')));
      assert.match(dry.stdout, /Firestore data .* is kept/);
      // What the platform made for the build is listed, with how to remove this function's part.
      assert.match(
        dry.stdout,
        /built image in Artifact Registry \(gcloud artifacts docker images list europe-west1-docker\.pkg\.dev\/watch-prod-1\/gcf-artifacts /,
      );
      assert.match(
        dry.stdout,
        /gs:\/\/gcf-v2-sources-PROJECT_NUMBER-europe-west1\/cronjob-watcher\//,
      );
      const withData = await runDeploy(standIn, ['--destroy', '--dry-run', '--delete-data']);
      assert.ok(
        dryRunCommands(withData.stdout).some(
          c =>
            isCommand(c, 'firestore', 'bulk-delete') &&
            c.includes(
              '--collection-ids=cronjobWatcherClusters,cronjobWatcherIndex,cronjobWatcherRecords',
            ),
        ),
      );
      assert.deepEqual(withData.calls, []);
    });

    it(
      'removes the cross-project bindings recorded on the deployment even when the flags differ',
      SLOW,
      async () => {
        const other = await freshStandIn();
        const deployed = await runDeploy(other, ['--slack-token-stdin'], {stdin: TOKEN});
        assert.equal(deployed.code, 0, deployed.stderr);
        const granted = (await readState(other)).bindings.map(b => b.project);
        assert.deepEqual(
          [...new Set(granted)].sort(),
          ['other-proj-2', PROJECT, WATCH_PROJECT].sort(),
        );
        // Torn down with settings that name none of the other projects.
        await writeFile(other.envFile, `PROJECT=${PROJECT}\nREGION=${REGION}\n`);
        const result = await runDeploy(other, ['--destroy', '--yes']);
        assert.equal(result.code, 0, result.stderr);
        const state = await readState(other);
        assert.deepEqual(state.bindings, [], 'bindings left behind');
        assert.deepEqual(state.serviceAccounts, []);
        // It read them from the function before deleting it.
        const order = result.calls.map(c => c.slice(0, 2).join(' '));
        assert.ok(order.indexOf('functions describe') < order.indexOf('functions delete'));
      },
    );

    it('needs --yes without a terminal', async () => {
      const result = await runDeploy(standIn, ['--destroy']);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /pass --yes/);
      assert.ok(!result.calls.some(isMutating));
    });

    it(
      'deletes everything it created (bindings before accounts), keeps Firestore; twice is harmless',
      SLOW,
      async () => {
        const result = await runDeploy(standIn, ['--destroy', '--yes']);
        assert.equal(result.code, 0, result.stderr);
        const state = await readState(standIn);
        assert.deepEqual(state.serviceAccounts, []);
        assert.deepEqual(state.bindings, []);
        assert.deepEqual(state.secrets, {});
        assert.deepEqual(state.functions, {});
        assert.deepEqual(state.jobs, {});
        assert.deepEqual(state.invokers, []);
        assert.deepEqual(state.databases, {'(default)': 'FIRESTORE_NATIVE'});
        assert.deepEqual(state.bulkDeletes, []);
        const order = result.calls.filter(isMutating).map(c => c.slice(0, 3).join(' '));
        assert.ok(
          order.lastIndexOf('projects remove-iam-policy-binding ' + PROJECT) <
            order.indexOf(`iam service-accounts delete`),
          order.join('\n'),
        );
        const again = await runDeploy(standIn, ['--destroy', '--yes']);
        assert.equal(again.code, 0, again.stderr);
        assert.deepEqual(again.calls.filter(isMutating), []);
      },
    );
  });
});

/** The fields of an RBAC object these tests read. */
interface K8sDoc {
  kind: string;
  metadata: {name: string; namespace?: string};
  rules?: Array<{apiGroups: string[]; resources: string[]; verbs: string[]}>;
  roleRef?: {kind: string; name: string};
  subjects?: Array<{kind: string; name: string}>;
}

describe('infra/k8s RBAC, rendered with the lines deploy.sh prints', () => {
  interface Rendered {
    kind: string;
    name: string;
    namespace: string | undefined;
    /** `group/resource:verb` for a role; `kind name -> User email` for a binding. */
    grants: string[];
  }

  /** Runs every printed `sed … | kubectl … apply -f -` line's sed part; returns what it renders. */
  async function renderPrinted(args: string[]): Promise<{stdout: string; objects: Rendered[][]}> {
    const standIn = await makeStandIn();
    try {
      const dry = await runDeploy(standIn, ['--dry-run', ...args]);
      assert.equal(dry.code, 0, dry.stderr);
      const lines = dry.stdout
        .split('\n')
        .map(l => l.replace(/^#\s*/, ''))
        .filter(l => l.startsWith('sed ') && l.includes('kubectl --context=gke_other-proj-2'));
      const objects = lines.map(line => {
        const sed = line.slice(0, line.indexOf('| kubectl')).trim();
        const rendered = spawnSync('bash', ['-c', sed], {cwd: REPO_ROOT, encoding: 'utf8'});
        assert.equal(rendered.status, 0, rendered.stderr);
        assert.ok(!rendered.stdout.includes('${'), `a placeholder is left in: ${sed}`);
        return (loadAllYaml(rendered.stdout) as K8sDoc[]).map(doc => ({
          kind: doc.kind,
          name: doc.metadata.name,
          namespace: doc.metadata.namespace,
          grants: doc.rules
            ? doc.rules
                .flatMap(r =>
                  r.apiGroups.flatMap(g =>
                    r.resources.flatMap(res => r.verbs.map(v => `${g}/${res}:${v}`)),
                  ),
                )
                .sort()
            : (doc.subjects ?? []).map(
                sub => `${doc.roleRef?.kind} ${doc.roleRef?.name} -> ${sub.kind} ${sub.name}`,
              ),
        }));
      });
      return {stdout: dry.stdout, objects};
    } finally {
      await rm(standIn.dir, {recursive: true, force: true});
    }
  }

  // Exactly the list calls the code makes (and the silent-failure detections' events).
  const BASE = ['/events:list', '/pods:list', 'batch/cronjobs:list', 'batch/jobs:list'];

  it('cluster-wide: list on CronJobs, Jobs, Pods and Events; pod logs only in the optional role', async () => {
    const {stdout, objects} = await renderPrinted([]);
    assert.match(stdout, /a ClusterRole and ClusterRoleBinding \(infra\/k8s\/rbac\.yaml\)/);
    assert.deepEqual(objects, [
      [
        {kind: 'ClusterRole', name: 'cronjob-watcher-reader', namespace: undefined, grants: BASE},
        {
          kind: 'ClusterRoleBinding',
          name: 'cronjob-watcher-reader',
          namespace: undefined,
          grants: [`ClusterRole cronjob-watcher-reader -> User ${RUNTIME_SA}`],
        },
      ],
      [
        {
          kind: 'ClusterRole',
          name: 'cronjob-watcher-log-reader',
          namespace: undefined,
          grants: ['/pods/log:get'],
        },
        {
          kind: 'ClusterRoleBinding',
          name: 'cronjob-watcher-log-reader',
          namespace: undefined,
          grants: [`ClusterRole cronjob-watcher-log-reader -> User ${RUNTIME_SA}`],
        },
      ],
    ]);
    assert.match(stdout, /optional, only if you turn on log excerpts[^\n]*\n[^\n]*rbac-logs\.yaml/);
    // Cluster-wide, the per-namespace logs role is offered too.
    assert.match(
      stdout,
      /log excerpts \(pod logs\); for some namespaces only, infra\/k8s\/rbac-logs-namespace\.yaml in each instead:/,
    );
  });

  it('with NAMESPACES: a Role and RoleBinding per namespace, no ClusterRole, and says so', async () => {
    const {stdout, objects} = await renderPrinted(['--namespaces', 'batch,reports']);
    assert.match(
      stdout,
      /NAMESPACES is set, so a Role and RoleBinding in each of batch, reports instead of a ClusterRole/,
    );
    const flat = objects.flat();
    assert.ok(!flat.some(o => o.kind.startsWith('Cluster')), 'a cluster-wide object');
    const byNamespace = (ns: string) => flat.filter(o => o.namespace === ns);
    for (const ns of ['batch', 'reports']) {
      assert.deepEqual(byNamespace(ns), [
        {kind: 'Role', name: 'cronjob-watcher-reader', namespace: ns, grants: BASE},
        {
          kind: 'RoleBinding',
          name: 'cronjob-watcher-reader',
          namespace: ns,
          grants: [`Role cronjob-watcher-reader -> User ${RUNTIME_SA}`],
        },
        {
          kind: 'Role',
          name: 'cronjob-watcher-log-reader',
          namespace: ns,
          grants: ['/pods/log:get'],
        },
        {
          kind: 'RoleBinding',
          name: 'cronjob-watcher-log-reader',
          namespace: ns,
          grants: [`Role cronjob-watcher-log-reader -> User ${RUNTIME_SA}`],
        },
      ]);
    }
    assert.equal(flat.length, 8);
  });

  it('with --cluster-access viewer: only the optional logs role is printed', async () => {
    const {stdout, objects} = await renderPrinted(['--cluster-access', 'viewer']);
    assert.match(stdout, /Nothing to apply in the clusters/);
    assert.deepEqual(
      objects.flat().map(o => o.name),
      ['cronjob-watcher-log-reader', 'cronjob-watcher-log-reader'],
    );
  });
});
