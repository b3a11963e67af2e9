/**
 * The `cronjob-watcher` entry on a Node that is too old: one line on stderr saying what is
 * needed and how to get it, exit 1, and nothing loaded that could crash with a stack trace.
 * Run as a user runs it: the built bin with the system Node on PATH, and with Node 24
 * pretending to be Node 20 (so the check is exercised on machines whose system Node is new).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {accessSync, constants, readFileSync} from 'node:fs';
import path from 'node:path';
import {MIN_NODE_VERSION, nodeVersionProblem} from '../../functions/node-version.js';
import {CLI_JS, REPO_ROOT, shown, type CliResult} from './helpers.js';

// Runs before the entry: Node 24 reports itself as 20.20.2, as the system Node here does.
const PRETEND_NODE_20 =
  'data:text/javascript,Object.defineProperty(process,"versions",{value:{...process.versions,node:"20.20.2"}})';

function run(node: string, args: string[]): Promise<CliResult> {
  return new Promise(resolve => {
    execFile(
      node,
      args,
      {cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000},
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
          stdout,
          stderr,
        }),
    );
  });
}

/** The first `node` on PATH outside any node_modules/.bin: what `#!/usr/bin/env node` runs for a user. */
function systemNode(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '' || dir.includes(`node_modules${path.sep}`)) continue;
    const candidate = path.join(dir, 'node');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  throw new Error('no node on PATH outside node_modules/.bin');
}

function assertOneLineRequirement(result: CliResult): void {
  assert.equal(result.code, 1, shown(result));
  assert.equal(result.stdout, '', shown(result));
  const lines = result.stderr.split('\n').filter(l => l !== '');
  assert.equal(lines.length, 1, `exactly one line\n${shown(result)}`);
  assert.match(
    lines[0] as string,
    new RegExp(`needs Node\\.js ${MIN_NODE_VERSION.replace(/\./g, '\\.')} or newer`),
  );
  assert.match(lines[0] as string, /npx cronjob-watcher/);
  assert.match(lines[0] as string, /npm exec cronjob-watcher/);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
}

describe('node version check', () => {
  it('nodeVersionProblem: a table of versions', () => {
    const cases: Array<[string, boolean]> = [
      ['20.20.2', true],
      ['22.18.9', true],
      ['22.19.0', false],
      ['22.20.1', false],
      ['23.0.0', false],
      ['24.9.0', false],
      ['v24.9.0', false],
      ['18.20.8', true],
      ['not a version', true],
    ];
    for (const [version, tooOld] of cases) {
      const problem = nodeVersionProblem(version, '/usr/bin/node');
      assert.equal(problem !== null, tooOld, version);
      if (problem !== null) assert.match(problem, new RegExp(`/usr/bin/node is ${version}`));
    }
  });

  it('MIN_NODE_VERSION is what package.json engines says', () => {
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      engines: {node: string};
    };
    assert.equal(`>=${MIN_NODE_VERSION}`.replace(/\.0$/, ''), manifest.engines.node);
  });

  for (const args of [['--help'], ['status'], ['check', '--dry-run'], ['--version']]) {
    it(`Node 24 pretending to be 20: cronjob-watcher ${args.join(' ')} prints one line`, async () => {
      assertOneLineRequirement(
        await run(process.execPath, ['--import', PRETEND_NODE_20, CLI_JS, ...args]),
      );
    });
  }

  it('the system Node on PATH: the requirement line if it is too old, else the usage', async () => {
    const node = systemNode();
    const version = (await run(node, ['--version'])).stdout.trim();
    const result = await run(node, [CLI_JS, '--help']);
    if (nodeVersionProblem(version, node) !== null) assertOneLineRequirement(result);
    else {
      assert.equal(result.code, 0, shown(result));
      assert.match(result.stdout, /^Usage: cronjob-watcher/);
    }
  });
});
