/**
 * The runner fails a run whose tests changed the trees they must leave alone (build/, the
 * checkout's state directory), naming the paths. Checked on a scratch tree: the snapshot
 * comparison on its own, then the real runner with RUN_TESTS_GUARD pointing at the scratch
 * tree and a test file that writes into it (or only reads it).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdir, readFile, rename, rm, writeFile, chmod} from 'node:fs/promises';
import path from 'node:path';
import {REPO_ROOT, shown, tempDir, type CliResult} from '../cli/helpers.js';
import {changesBetween, describeChanges, snapshot} from './tree-guard.js';

const RUNNER = path.join(REPO_ROOT, 'build', 'test', 'run-tests.js');

async function scratchTree(): Promise<string> {
  const root = await tempDir('guarded');
  await mkdir(path.join(root, 'functions', 'core'), {recursive: true});
  await writeFile(path.join(root, 'functions', 'index.js'), 'export const a = 1;\n');
  await writeFile(path.join(root, 'functions', 'core', 'incident.js'), 'export const b = 2;\n');
  await writeFile(path.join(root, 'functions', 'cli.js'), '#!/usr/bin/env node\n');
  return root;
}

describe('tree guard: snapshots compared', () => {
  it('nothing done: no change, even after every file was read', async () => {
    const root = await scratchTree();
    const before = snapshot([root]);
    await readFile(path.join(root, 'functions', 'index.js'));
    assert.deepEqual(changesBetween(before, snapshot([root])), []);
  });

  it('a rewrite of the same size, a new file, a removal, a rename over, a chmod: all named', async () => {
    const root = await scratchTree();
    const missing = path.join(root, 'not-there');
    const before = snapshot([root, missing]);
    const file = (...parts: string[]) => path.join(root, ...parts);
    // Same length, other bytes: only the times tell.
    await writeFile(file('functions', 'index.js'), 'export const z = 9;\n');
    await writeFile(file('functions', 'core', 'new.js'), '');
    await rm(file('functions', 'core', 'incident.js'));
    await writeFile(file('tmp.js'), 'replacement\n');
    await rename(file('tmp.js'), file('functions', 'cli.js'));
    const changes = changesBetween(before, snapshot([root, missing]));
    assert.deepEqual(changes, [
      {path: file('functions', 'cli.js'), change: 'modified'},
      {path: file('functions', 'core', 'incident.js'), change: 'removed'},
      {path: file('functions', 'core', 'new.js'), change: 'added'},
      {path: file('functions', 'index.js'), change: 'modified'},
    ]);
    const report = describeChanges(changes, root);
    assert.match(report, /CHANGED 4 PATH\(S\)/);
    assert.match(report, /^ {2}removed: functions\/core\/incident\.js$/m);

    const again = snapshot([root]);
    await chmod(file('functions', 'index.js'), 0o600);
    assert.deepEqual(changesBetween(again, snapshot([root])), [
      {path: file('functions', 'index.js'), change: 'modified'},
    ]);
  });

  it('a chmod to the mode a file already has (npx linking the bin) is no change', async () => {
    const root = await scratchTree();
    const cli = path.join(root, 'functions', 'cli.js');
    await chmod(cli, 0o755);
    const before = snapshot([root]);
    await chmod(cli, 0o755);
    assert.deepEqual(changesBetween(before, snapshot([root])), []);
  });

  it('a guarded directory that appears during the run is reported', async () => {
    const root = await tempDir('state');
    const state = path.join(root, '.cronjob-watcher');
    const before = snapshot([state]);
    await mkdir(state);
    await writeFile(path.join(state, 'prod.json.lock'), '{}');
    assert.deepEqual(
      changesBetween(before, snapshot([state])).map(c => [path.relative(root, c.path), c.change]),
      [
        ['.cronjob-watcher', 'added'],
        ['.cronjob-watcher/prod.json.lock', 'added'],
      ],
    );
  });
});

/** Runs the real runner on one test file with `tree` as the only guarded tree. */
function runRunner(testFile: string, tree: string, target: string): Promise<CliResult> {
  return new Promise(resolve => {
    execFile(
      process.execPath,
      [RUNNER, testFile],
      {
        cwd: REPO_ROOT,
        env: {
          HOME: process.env.HOME,
          PATH: process.env.PATH,
          RUN_TESTS_GUARD: tree,
          TARGET: target,
        },
        encoding: 'utf8',
        timeout: 110_000,
      },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
          stdout,
          stderr,
        }),
    );
  });
}

async function testFile(body: string): Promise<string> {
  const file = path.join(await tempDir('guard-test'), 'probe.test.mjs');
  await writeFile(
    file,
    `import {test} from 'node:test';\nimport fs from 'node:fs';\ntest('probe', () => { ${body} });\n`,
  );
  return file;
}

describe('npm test when a test writes the guarded tree', () => {
  it('passing tests that rewrote a file: exit 4, the file named', async () => {
    const tree = await scratchTree();
    const target = path.join(tree, 'functions', 'core', 'incident.js');
    const probe = await testFile(`fs.writeFileSync(process.env.TARGET, 'rebuilt\\n');`);
    const result = await runRunner(probe, tree, target);
    assert.equal(result.code, 4, shown(result));
    assert.match(result.stdout, /ℹ pass 1/, shown(result));
    assert.match(result.stderr, /A TEST CHANGED 1 PATH\(S\)/, shown(result));
    assert.ok(
      result.stderr.includes(`modified: ${path.relative(REPO_ROOT, target)}`),
      shown(result),
    );
  });

  it('tests that only read it: exit 0, nothing reported', async () => {
    const tree = await scratchTree();
    const target = path.join(tree, 'functions', 'core', 'incident.js');
    const probe = await testFile(`fs.readFileSync(process.env.TARGET, 'utf8');`);
    const result = await runRunner(probe, tree, target);
    assert.equal(result.code, 0, shown(result));
    assert.match(result.stdout, /ℹ pass 1/, shown(result));
    assert.doesNotMatch(result.stderr, /CHANGED/, shown(result));
  });
});
