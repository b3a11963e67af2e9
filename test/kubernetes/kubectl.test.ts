/**
 * The installed `kubectl` reads the Kubernetes API test server: the check that the server
 * speaks the real protocol (discovery, lists, paging, single objects, pod logs). Over HTTPS
 * with the test CA, because kubectl never sends a bearer token over plain HTTP.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {loadFixtureObjects} from '../support/kube-fixtures.js';
import {createTestCa, type TestCa} from '../support/test-ca.js';
import {TOKEN} from './helpers.js';

const run = promisify(execFile);
const fixtures = loadFixtureObjects();

describe('kubectl against the test API server', () => {
  let ca: TestCa;
  let server: KubeApiServer;
  let kubeconfig: string;
  let cacheDir: string;

  before(async () => {
    ca = await createTestCa();
    server = await startKubeApiServer({
      token: TOKEN,
      tls: {cert: ca.serverCertPem, key: ca.serverKeyPem},
      objects: fixtures,
    });
    kubeconfig = await server.writeKubeconfig({
      context: 'kubectl-test',
      token: TOKEN,
      caPem: ca.caCertPem,
    });
    cacheDir = await mkdtemp(path.join(os.tmpdir(), 'kubectl-cache-'));
  });
  after(async () => {
    await server.close();
    await ca.cleanup();
    await rm(cacheDir, {recursive: true, force: true});
  });

  async function kubectl(...args: string[]): Promise<string> {
    const {stdout} = await run(
      'kubectl',
      ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, '--request-timeout=20s', ...args],
      {maxBuffer: 64 * 1024 * 1024},
    );
    return stdout;
  }

  it('kubectl get cronjobs,jobs -A prints a row for every CronJob and Job', async () => {
    const out = await kubectl('get', 'cronjobs,jobs', '-A');
    const rows = out.split('\n').filter(line => /^\S+\s+(cronjob|job)\.batch\//.test(line));
    assert.equal(rows.length, fixtures.cronJobs.length + fixtures.jobs.length);
    for (const object of [...fixtures.cronJobs, ...fixtures.jobs]) {
      const kind = object.kind === 'CronJob' ? 'cronjob' : 'job';
      const row = new RegExp(
        `^${object.metadata.namespace}\\s+${kind}\\.batch/${object.metadata.name}\\s`,
        'm',
      );
      assert.match(out, row);
    }
    assert.ok(server.tokensSeen.includes(TOKEN));
  });

  it('kubectl get cronjobs,jobs -A -o json gives every object with its kind', async () => {
    const list = JSON.parse(await kubectl('get', 'cronjobs,jobs', '-A', '-o', 'json')) as {
      kind: string;
      items: Array<{kind: string; metadata: {namespace: string; name: string}}>;
    };
    assert.equal(list.kind, 'List');
    const got = list.items.map(i => `${i.kind} ${i.metadata.namespace}/${i.metadata.name}`).sort();
    const want = [...fixtures.cronJobs, ...fixtures.jobs]
      .map(o => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)
      .sort();
    assert.deepEqual(got, want);
  });

  it('pages with --chunk-size and reads pods, a single object and a pod log', async () => {
    server.clearRequests();
    const names = (await kubectl('get', 'jobs', '-A', '--chunk-size=5', '-o', 'name'))
      .trim()
      .split('\n');
    assert.equal(names.length, fixtures.jobs.length);
    const pages = server.requests.filter(r => r.path === '/apis/batch/v1/jobs');
    assert.equal(pages.length, Math.ceil(fixtures.jobs.length / 5));

    const pods = await kubectl('get', 'pods', '-n', 'mail');
    for (const pod of fixtures.pods.filter(p => p.metadata.namespace === 'mail')) {
      assert.match(pod.metadata.name, /^send-digest-/);
      assert.ok(pods.includes(pod.metadata.name));
    }

    const uid = await kubectl(
      'get',
      'cronjob',
      '-n',
      'legacy',
      'hello',
      '-o',
      'jsonpath={.metadata.uid}',
    );
    assert.equal(uid, fixtures.cronJobs.find(c => c.metadata.name === 'hello')?.metadata.uid);

    const [logKey, logText] =
      Object.entries(fixtures.podLogs).find(([key]) => key.startsWith('mail/')) ?? [];
    assert.ok(logKey !== undefined && logText !== undefined);
    const log = await kubectl('logs', '-n', 'mail', logKey.split('/')[1] as string);
    assert.equal(log, logText);
  });

  it('kubectl reports the 403 Status message the server sends', async () => {
    const fault = server.inject({
      match: '/apis/batch/v1/cronjobs',
      action: {
        type: 'status',
        code: 403,
        message:
          'cronjobs.batch is forbidden: User "kubectl-test" cannot list resource "cronjobs" in API group "batch" at the cluster scope',
      },
    });
    try {
      const error = await kubectl('get', 'cronjobs', '-A').then(
        () => null,
        (e: {stderr?: string}) => e,
      );
      assert.ok(error !== null, 'kubectl failed');
      assert.match(
        error.stderr ?? '',
        /cronjobs\.batch is forbidden: User "kubectl-test" cannot list resource "cronjobs"/,
      );
    } finally {
      fault.remove();
    }
  });
});
