/**
 * `npm start` as a newcomer runs it (functions-framework serving build/functions/index.js)
 * with no Slack token and the file state, against the Kubernetes API test server with every
 * fixture: every line on stdout is one JSON log entry — a printed message is one entry with
 * its text in a field, not lines of text between them — and only POST / runs a pass.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import path from 'node:path';
import type {PassSummary} from '../../functions/pass.js';
import {freePort} from '../support/free-port.js';
import type {KubeApiServer} from '../support/kube-api-server.js';
import {loadExpectedVerdicts} from '../support/kube-fixtures.js';
import {fixtureServer, TOKEN} from '../kubernetes/helpers.js';
import {cliEnv, failingCronJobs, REPO_ROOT, tempDir} from '../cli/helpers.js';

// A safety net, not a wait: functions-framework starts in a second or two.
const START_TIMEOUT_MS = 60_000;
const FAILING = failingCronJobs(loadExpectedVerdicts());

let kube: KubeApiServer;
let child: ChildProcess;
let stdout = '';
let url = '';

before(async () => {
  kube = await fixtureServer();
  const kubeconfig = await kube.writeKubeconfig({context: 'fixture', token: TOKEN});
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  // `npm start` runs this command (package.json); run it directly to own the process.
  child = spawn(
    path.join(REPO_ROOT, 'node_modules', '.bin', 'functions-framework'),
    [
      '--source=build/functions/index.js',
      '--target=watchCronJobs',
      `--port=${port}`,
      '--host=127.0.0.1',
    ],
    {
      cwd: REPO_ROOT,
      env: cliEnv({KUBECONFIG: kubeconfig, STATE_DIR: await tempDir('npm-start')}),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`did not start:\n${stdout}${stderr}`)),
      START_TIMEOUT_MS,
    );
    const check = () => {
      if (stdout.includes('Serving function...')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`exited ${String(code)}:\n${stdout}${stderr}`));
    });
  });
});

after(async () => {
  const exited = new Promise(resolve => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  await kube.close();
});

describe('npm start without a Slack token', () => {
  it('only POST / runs a pass: other paths answer 404 and read nothing', async () => {
    kube.clearRequests();
    for (const target of ['/favicon.ico', '/run', '/watchCronJobs']) {
      const response = await fetch(`${url}${target}`, {method: 'POST'});
      assert.equal(response.status, 404, target);
    }
    assert.equal((await fetch(`${url}/`, {method: 'GET'})).status, 405);
    assert.equal(kube.requests.length, 0, 'no pass ran');
  });

  it('POST / runs a pass; each printed message is one JSON log entry', async () => {
    const response = await fetch(`${url}/`, {method: 'POST'});
    assert.equal(response.status, 200);
    const summary = (await response.json()) as PassSummary;
    assert.equal(summary.opened, FAILING.length);
    const lines = stdout
      .split('\n')
      .filter(
        l =>
          l.trim() !== '' &&
          !l.startsWith('Serving function') &&
          !/^(URL|Function|Signature type):/.test(l),
      );
    const entries = lines.map(line => {
      assert.doesNotThrow(() => JSON.parse(line), `not a JSON log entry: ${line}`);
      return JSON.parse(line) as {severity: string; message: string; text?: string};
    });
    const printed = entries.filter(e => e.message.startsWith('notification printed'));
    assert.equal(printed.length, FAILING.length, stdout);
    for (const key of FAILING) {
      const entry = printed.find(e => e.text?.includes(`🔴 ${key} failed: `));
      assert.ok(entry !== undefined, `${key}: one entry holds the whole message`);
      assert.match(entry.text ?? '', /^Job: \S+/m);
      assert.equal(entry.severity, 'INFO');
    }
  });
});
