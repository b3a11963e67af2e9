/**
 * `KubernetesClusterReader.podLog` with the real `@kubernetes/client-node` against the
 * Kubernetes API test server: the query it sends, the text it returns, and what each failure
 * becomes (the pass turns those into the note of a log excerpt).
 */
import {after, afterEach, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {ClusterError} from '../../functions/core/errors.js';
import type {KubeApiServer} from '../support/kube-api-server.js';
import {loadFixtureObjects} from '../support/kube-fixtures.js';
import {fixtureServer, readerFor, rejection} from './helpers.js';

const POD = {namespace: 'mail', name: 'send-digest-29552220-5nv97', container: 'main'};
const FIXTURE_LOG = loadFixtureObjects().podLogs['mail/send-digest-29552220-5nv97'] ?? '';

describe('KubernetesClusterReader.podLog', () => {
  let server: KubeApiServer;
  before(async () => {
    server = await fixtureServer();
  });
  after(async () => {
    await server.close();
  });
  afterEach(() => {
    server.clearFaults();
    server.clearRequests();
    server.load(loadFixtureObjects());
  });

  it('asks for the container, tailLines and limitBytes, and returns the text as served', async () => {
    const reader = await readerFor(server);
    const text = await reader.podLog(POD, {tailLines: 2, limitBytes: 1_000_000});
    const lines = FIXTURE_LOG.split('\n');
    assert.equal(text, `${lines.slice(-3, -1).join('\n')}\n`, 'the last two lines');
    const [request] = server.requests.filter(r => r.path.endsWith('/log'));
    assert.equal(request?.path, `/api/v1/namespaces/mail/pods/${POD.name}/log`);
    assert.deepEqual(request?.query, {container: 'main', tailLines: '2', limitBytes: '1000000'});
  });

  it("the named container's log when the Pod has several", async () => {
    server.setPodLog('mail', POD.name, 'sidecar says hi\n', 'istio-proxy');
    server.setPodLog('mail', POD.name, 'main failed\n', 'main');
    const reader = await readerFor(server);
    assert.equal(await reader.podLog(POD, {tailLines: 5, limitBytes: 100}), 'main failed\n');
  });

  it('limitBytes is honoured by the server', async () => {
    const reader = await readerFor(server);
    const text = await reader.podLog(POD, {tailLines: 50, limitBytes: 10});
    assert.equal(text, FIXTURE_LOG.slice(0, 10));
  });

  const failures: Array<[string, number, string, RegExp]> = [
    ['pods/log forbidden', 403, 'FORBIDDEN', /pods\/log/],
    ['the Pod gone', 404, 'NOT_FOUND', /pod mail\/send-digest-29552220-5nv97 is gone/],
  ];
  for (const [name, status, code, message] of failures) {
    it(`${name}: ClusterError ${code}`, async () => {
      server.inject({match: '/log', action: {type: 'status', code: status}});
      const reader = await readerFor(server);
      const error = await rejection(() => reader.podLog(POD, {tailLines: 5, limitBytes: 100}));
      assert.ok(error instanceof ClusterError);
      assert.equal(error.code, code);
      assert.match(error.message, message);
    });
  }

  it('a hung log request gives up by the deadline (TIMEOUT)', async () => {
    server.inject({match: '/log', action: {type: 'hang'}});
    const reader = await readerFor(server);
    const error = await rejection(() =>
      reader.podLog(POD, {tailLines: 5, limitBytes: 100, deadline: new Date(Date.now() + 200)}),
    );
    assert.ok(error instanceof ClusterError);
    assert.equal(error.code, 'TIMEOUT');
  });
});
