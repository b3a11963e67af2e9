/**
 * The Kubernetes API test server's own contract, which other tests, the demo and the
 * benchmark rely on: list shape and paging, selectors, Status errors, logs, mutation, faults.
 */
import {after, afterEach, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {KubeApiServer} from '../support/kube-api-server.js';
import {loadFixtureObjects, type KubeObject} from '../support/kube-fixtures.js';
import {fixtureServer, TOKEN} from './helpers.js';

const fixtures = loadFixtureObjects();

describe('Kubernetes API test server', () => {
  let server: KubeApiServer;
  before(async () => {
    server = await fixtureServer();
  });
  after(async () => {
    await server.close();
  });
  afterEach(() => {
    server.clearFaults();
    server.load(loadFixtureObjects());
  });

  async function get(path: string, token: string | null = TOKEN) {
    const response = await fetch(`${server.url}${path}`, {
      headers: token === null ? {} : {Authorization: `Bearer ${token}`},
    });
    const text = await response.text();
    return {status: response.status, type: response.headers.get('content-type'), text};
  }
  async function json(path: string): Promise<Record<string, unknown> & {items: KubeObject[]}> {
    const {status, text} = await get(path);
    assert.equal(status, 200, text);
    return JSON.parse(text) as Record<string, unknown> & {items: KubeObject[]};
  }

  it('answers lists like the API server: kind, resourceVersion, bare items, continue, remainingItemCount', async () => {
    const first = await json('/apis/batch/v1/jobs?limit=10');
    assert.equal(first.kind, 'JobList');
    assert.equal(first.apiVersion, 'batch/v1');
    const meta = first.metadata as {
      resourceVersion: string;
      continue?: string;
      remainingItemCount?: number;
    };
    assert.match(meta.resourceVersion, /^\d+$/);
    assert.equal(meta.remainingItemCount, fixtures.jobs.length - 10);
    assert.equal(first.items.length, 10);
    assert.ok(first.items.every(i => i.kind === undefined && i.apiVersion === undefined));
    let token = meta.continue;
    let seen = first.items.length;
    while (token !== undefined) {
      const page = await json(`/apis/batch/v1/jobs?limit=10&continue=${encodeURIComponent(token)}`);
      seen += page.items.length;
      token = (page.metadata as {continue?: string}).continue;
    }
    assert.equal(seen, fixtures.jobs.length);
  });

  it('filters pods by namespace and label selector (equality, comma-separated)', async () => {
    const job = fixtures.jobs.find(j => j.metadata.name === 'send-digest-29552220') as KubeObject;
    const selector = encodeURIComponent(
      `batch.kubernetes.io/controller-uid=${job.metadata.uid},job-name=${job.metadata.name}`,
    );
    const pods = await json(`/api/v1/namespaces/mail/pods?labelSelector=${selector}`);
    assert.equal(pods.kind, 'PodList');
    assert.equal(pods.items.length, 3);
    const none = await json(`/api/v1/namespaces/ops/pods?labelSelector=${selector}`);
    assert.equal(none.items.length, 0);
    const all = await json('/api/v1/pods');
    assert.equal(all.items.length, fixtures.pods.length);
  });

  it('serves single objects and answers NotFound as a Status body', async () => {
    const cronJob = await json('/apis/batch/v1/namespaces/legacy/cronjobs/hello');
    assert.equal(cronJob.kind, 'CronJob');
    const missing = await get('/apis/batch/v1/namespaces/legacy/cronjobs/nope');
    assert.equal(missing.status, 404);
    assert.deepEqual(JSON.parse(missing.text), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'cronjobs.batch "nope" not found',
      reason: 'NotFound',
      details: {name: 'nope', group: 'batch', kind: 'cronjobs'},
      code: 404,
    });
  });

  it('serves pod logs as text, with tailLines', async () => {
    const [key, text] = Object.entries(fixtures.podLogs)[0] ?? [];
    assert.ok(key !== undefined && text !== undefined);
    const [namespace, pod] = key.split('/') as [string, string];
    const log = await get(`/api/v1/namespaces/${namespace}/pods/${pod}/log`);
    assert.equal(log.type, 'text/plain');
    assert.equal(log.text, text);
    const last = await get(`/api/v1/namespaces/${namespace}/pods/${pod}/log?tailLines=1`);
    assert.equal(last.text, `${text.trimEnd().split('\n').at(-1)}\n`);
  });

  it('requires the bearer token and records the tokens it saw', async () => {
    server.clearRequests();
    const denied = await get('/apis/batch/v1/cronjobs', null);
    assert.equal(denied.status, 401);
    assert.equal((JSON.parse(denied.text) as {reason: string}).reason, 'Unauthorized');
    server.setToken('rotated-token-123456789');
    assert.equal((await get('/apis/batch/v1/cronjobs', TOKEN)).status, 401);
    assert.equal((await get('/apis/batch/v1/cronjobs', 'rotated-token-123456789')).status, 200);
    assert.deepEqual(server.tokensSeen, [TOKEN, 'rotated-token-123456789']);
    server.setToken(TOKEN);
  });

  it('reflects put and remove between requests, with a growing resourceVersion', async () => {
    const before = server.resourceVersion;
    assert.ok(server.remove('CronJob', 'legacy', 'hello'));
    const copy = structuredClone(fixtures.cronJobs[0] as KubeObject);
    copy.metadata.name = 'added';
    server.put(copy);
    const list = await json('/apis/batch/v1/cronjobs');
    const names = list.items.map(i => i.metadata.name);
    assert.ok(names.includes('added'));
    assert.ok(!names.includes('hello'));
    assert.ok(server.resourceVersion > before);
  });

  it('applies a fault only as many times as asked, and only to continue requests for expire', async () => {
    const fault = server.inject({match: '/apis/batch/v1/jobs', action: {type: 'expire'}, times: 1});
    const first = await json('/apis/batch/v1/jobs?limit=5');
    const token = (first.metadata as {continue: string}).continue;
    const expired = await get(`/apis/batch/v1/jobs?limit=5&continue=${encodeURIComponent(token)}`);
    assert.equal(expired.status, 410);
    assert.equal((JSON.parse(expired.text) as {reason: string}).reason, 'Expired');
    const again = await get(`/apis/batch/v1/jobs?limit=5&continue=${encodeURIComponent(token)}`);
    assert.equal(again.status, 200);
    assert.equal(fault.hits, 1);
  });

  it('holds a response until the test releases it', async () => {
    let release: () => void = () => {};
    const until = new Promise<void>(resolve => {
      release = resolve;
    });
    server.inject({match: '/cronjobs', action: {type: 'hold', until}, times: 1});
    let answered = false;
    const pending = get('/apis/batch/v1/cronjobs').then(result => {
      answered = true;
      return result;
    });
    // A request that does not match the hold is answered while the held one waits.
    assert.equal((await get('/apis/batch/v1/jobs?limit=1')).status, 200);
    assert.equal(answered, false);
    release();
    assert.equal((await pending).status, 200);
  });
});
