/**
 * Runs the tests with `node --test`. Used by `npm test` (every test) and `npm run test:unit`
 * (the pure ones); extra arguments are test files or globs (e.g. `build/test/core/*.test.js`).
 *
 * Some test files need tools from outside npm: the Cloud Firestore emulator (gcloud, its
 * emulator component and Java) or the real `gcloud`. Which ones is read from the compiled
 * tests themselves (a file that, directly or through test helpers it imports, reads
 * FIRESTORE_EMULATOR_HOST, builds a Firestore client or spawns `gcloud`): coarse on purpose,
 * since a file counted in needlessly only waits for the emulator, while one missed would fail. One emulator is started for all of them (each
 * test uses its own project ID, so they never see each other's data). When a tool is
 * missing, the runner says what to install, runs every test that does not need it, lists
 * those it did not run and exits non-zero: a run that left tests out is never a pass.
 *
 * The compiled tree the tests import (build/) and the checkout's state directory must be the
 * same after the run as before it (test/tooling/tree-guard.ts): a run that changed them fails,
 * naming what changed, even when every test passed.
 */
import {spawn} from 'node:child_process';
import {accessSync, constants, globSync, readFileSync} from 'node:fs';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import os from 'node:os';
import {fileURLToPath} from 'node:url';
import path from 'node:path';
import {startFirestoreEmulator, type FirestoreEmulator} from './support/firestore-emulator.js';
import {changesBetween, describeChanges, snapshot} from './tooling/tree-guard.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Exit code of a run whose tests passed but that left some out. */
const INCOMPLETE_EXIT_CODE = 3;
/** Exit code of a run whose tests passed but that changed a guarded tree. */
const TREE_CHANGED_EXIT_CODE = 4;

/** The checkout: build/test/run-tests.js is two levels below it. */
const CHECKOUT = path.resolve(here, '..', '..');

/**
 * The trees no test may change: build/ and the CLI's default state directory. Its own test
 * points RUN_TESTS_GUARD (directories separated by the path delimiter) at a scratch tree.
 */
function guardedTrees(env = process.env): string[] {
  const listed = env.RUN_TESTS_GUARD?.split(path.delimiter).filter(d => d !== '');
  return listed !== undefined && listed.length > 0
    ? listed.map(d => path.resolve(d))
    : [path.join(CHECKOUT, 'build'), path.join(CHECKOUT, '.cronjob-watcher')];
}

/** A tool some tests need. */
interface Need {
  name: string;
  /** Matches the compiled source of a test file (or a test helper it imports) that needs it. */
  marker: RegExp;
}

const EMULATOR: Need = {
  name: 'the Cloud Firestore emulator',
  // Reads the emulator's address, builds a Firestore client (which reads it), or sets this
  // process's environment to Firestore state for the function (config tables that merely
  // mention the setting do not count).
  marker:
    /process\.env\.FIRESTORE_EMULATOR_HOST\b|new Firestore\(|Object\.assign\(process\.env,[\s\S]{0,400}?STATE_BACKEND: 'firestore'/,
};
const GCLOUD: Need = {name: 'gcloud', marker: /spawn(?:Sync)?\(\s*'gcloud'/};

const INSTALL_GCLOUD =
  'install the Google Cloud CLI: https://cloud.google.com/sdk/docs/install ' +
  '(Debian/Ubuntu: apt-get install google-cloud-cli)';
const INSTALL_EMULATOR =
  'install the emulator component: gcloud components install cloud-firestore-emulator ' +
  '(Debian/Ubuntu packages: apt-get install google-cloud-cli-firestore-emulator)';
const INSTALL_JAVA =
  'install a Java runtime, which the emulator runs on (Debian/Ubuntu: apt-get install default-jre-headless)';

/** True when `command` is an executable file in a directory of PATH. */
function onPath(command: string, envPath = process.env.PATH ?? ''): boolean {
  return envPath.split(path.delimiter).some(dir => {
    if (dir === '') return false;
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The needs of one compiled test file, following its relative imports inside build/test. */
function needsOf(file: string, seen = new Set<string>()): Set<Need> {
  const needs = new Set<Need>();
  if (seen.has(file)) return needs;
  seen.add(file);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return needs;
  }
  for (const need of [EMULATOR, GCLOUD]) if (need.marker.test(source)) needs.add(need);
  for (const match of source.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+\.js)'/g)) {
    const target = path.resolve(path.dirname(file), match[1] as string);
    // Production code is not a test's need (wiring.ts reads the variable for users).
    if (!target.startsWith(here + path.sep)) continue;
    for (const need of needsOf(target, seen)) needs.add(need);
  }
  return needs;
}

function testFiles(patterns: string[]): string[] {
  const files = patterns.flatMap(pattern =>
    /[*?[{]/.test(pattern) ? globSync(pattern) : [pattern],
  );
  return [...new Set(files.map(f => path.resolve(f)))].sort();
}

/** Why a need cannot be met here (with how to fix it), or null when it can. */
function gcloudProblem(): string | null {
  return onPath('gcloud') ? null : `gcloud is not on PATH: ${INSTALL_GCLOUD}`;
}

async function startEmulator(): Promise<{emulator: FirestoreEmulator} | {problem: string}> {
  const problems: string[] = [];
  if (!onPath('gcloud'))
    problems.push(`gcloud is not on PATH: ${INSTALL_GCLOUD}, then ${INSTALL_EMULATOR}`);
  if (!onPath('java')) problems.push(`java is not on PATH: ${INSTALL_JAVA}`);
  if (problems.length > 0) return {problem: problems.join('\n  ')};
  console.log('Starting the Cloud Firestore emulator…');
  try {
    return {emulator: await startFirestoreEmulator()};
  } catch (error) {
    const said = error instanceof Error ? error.message : String(error);
    return {
      problem: `the Firestore emulator did not start (${said.trim().split('\n').slice(-3).join(' / ')}): if the component is missing, ${INSTALL_EMULATOR}; it also needs Java (${INSTALL_JAVA.replace(/^install /, '')})`,
    };
  }
}

/**
 * The names of the failures in a TAP report: `not ok` at any depth. node --test (24.9) exits 0
 * when every test passed but a suite failed around them (an `after` hook that timed out):
 * such a run must not pass.
 */
function failuresInTap(tap: string): string[] {
  return [...tap.matchAll(/^\s*not ok \d+ - (.*)$/gm)]
    .map(m => m[1] ?? '')
    .filter(name => !/#\s*(?:TODO|SKIP)\b/i.test(name));
}

async function runNodeTest(files: string[], env: NodeJS.ProcessEnv): Promise<number> {
  // The TAP copy of the report goes outside the repository (tests never write its tree).
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cw-run-'));
  const tapFile = path.join(dir, 'report.tap');
  try {
    const code = await new Promise<number>(resolve => {
      const child = spawn(
        process.execPath,
        [
          '--test',
          '--test-concurrency=4',
          '--test-timeout=120000',
          '--test-reporter=spec',
          '--test-reporter-destination=stdout',
          '--test-reporter=tap',
          `--test-reporter-destination=${tapFile}`,
          ...files,
        ],
        {stdio: 'inherit', env},
      );
      child.once('exit', code => resolve(code ?? 1));
    });
    if (code !== 0) return code;
    const failed = failuresInTap(await readFile(tapFile, 'utf8'));
    if (failed.length === 0) return 0;
    console.error(
      `\nnode --test passed, but these failed (a suite or one of its hooks): ${failed.join('; ')}`,
    );
    return 1;
  } finally {
    await rm(dir, {recursive: true, force: true});
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const files = testFiles(args.length > 0 ? args : [path.join(here, '**', '*.test.js')]);
  if (files.length === 0) {
    console.error(`no test files match ${args.join(' ')}`);
    return 1;
  }
  const guarded = guardedTrees();
  const before = snapshot(guarded);
  const needs = new Map(files.map(f => [f, needsOf(f)]));
  const wanted = new Set([...needs.values()].flatMap(n => [...n]));
  console.log(`node ${process.version}, ${files.length} test file(s)`);

  const unmet = new Map<Need, string>();
  let emulator: FirestoreEmulator | null = null;
  if (wanted.has(GCLOUD)) {
    const problem = gcloudProblem();
    if (problem !== null) unmet.set(GCLOUD, problem);
  }
  if (wanted.has(EMULATOR)) {
    const started = await startEmulator();
    if ('problem' in started) unmet.set(EMULATOR, started.problem);
    else {
      emulator = started.emulator;
      console.log(`Firestore emulator on ${emulator.host}`);
    }
  }
  const skipped = files.filter(f => [...(needs.get(f) ?? [])].some(n => unmet.has(n)));
  const runnable = files.filter(f => !skipped.includes(f));
  const notRunReport = () => {
    const lines = [
      `NOT A FULL RUN: ${skipped.length} of ${files.length} test file(s) were NOT run, because:`,
      ...[...unmet].map(([need, problem]) => `  ${need.name}: ${problem}`),
      'Not run:',
      ...skipped.map(
        f =>
          `  ${path.relative(process.cwd(), f)} (needs ${[...(needs.get(f) ?? [])]
            .filter(n => unmet.has(n))
            .map(n => n.name)
            .join(', ')})`,
      ),
    ];
    return lines.join('\n');
  };
  if (skipped.length > 0) {
    console.error(`${notRunReport()}\nRunning the other ${runnable.length} now.\n`);
  }
  try {
    const code =
      runnable.length === 0
        ? 0
        : await runNodeTest(runnable, {
            ...process.env,
            ...(emulator === null ? {} : {FIRESTORE_EMULATOR_HOST: emulator.host}),
            // No Google metadata server here: don't let google-auth-library probe for one.
            METADATA_SERVER_DETECTION: 'none',
          });
    const changes = changesBetween(before, snapshot(guarded));
    if (changes.length > 0) console.error(`\n${describeChanges(changes, CHECKOUT)}`);
    if (skipped.length > 0) {
      console.error(`\n${notRunReport()}`);
      return code !== 0 ? code : INCOMPLETE_EXIT_CODE;
    }
    return code !== 0 ? code : changes.length > 0 ? TREE_CHANGED_EXIT_CODE : code;
  } finally {
    await emulator?.stop();
  }
}

main().then(
  code => process.exit(code),
  error => {
    console.error(error);
    process.exit(1);
  },
);
