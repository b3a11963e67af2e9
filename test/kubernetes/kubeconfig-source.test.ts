/**
 * `KubeconfigClusterSource`: which file and context it picks, the errors for a missing file or
 * an unknown context, and that its reader reaches the cluster the context names.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, mkdir, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {KubeconfigClusterSource} from '../../functions/adapters/kubeconfig-source.js';
import {ConfigError} from '../../functions/core/errors.js';
import {writeKubeconfig, type KubeApiServer} from '../support/kube-api-server.js';
import {fixtureServer, rejection, TOKEN} from './helpers.js';

describe('KubeconfigClusterSource', () => {
  let server: KubeApiServer;
  let dir: string;
  let file: string;
  before(async () => {
    server = await fixtureServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'kubeconfig-source-'));
    file = await server.writeKubeconfig({
      context: 'staging',
      extraContexts: ['prod-eu', 'dev'],
      token: TOKEN,
      file: path.join(dir, 'config'),
    });
  });
  after(async () => {
    await server.close();
    await rm(dir, {recursive: true, force: true});
  });

  it('uses the current context by default and names the cluster after it', async () => {
    const source = new KubeconfigClusterSource({file});
    const {clusters, failures} = await source.clusters();
    assert.deepEqual(failures, []);
    assert.equal(clusters.length, 1);
    assert.deepEqual(clusters[0]?.ref, {
      id: 'kubeconfig/staging',
      name: 'staging',
      project: null,
      location: null,
    });
    const snapshot = await clusters[0]?.reader.read({namespaces: ['data']});
    assert.equal(snapshot?.cronJobs.length, 4);
    assert.deepEqual(snapshot?.cluster, clusters[0]?.ref);
  });

  it('selects another context, and shows the clusterName option instead of its name', async () => {
    const source = new KubeconfigClusterSource({
      file,
      context: 'prod-eu',
      clusterName: 'Production EU',
    });
    const {clusters} = await source.clusters();
    assert.deepEqual(clusters[0]?.ref, {
      id: 'kubeconfig/prod-eu',
      name: 'Production EU',
      project: null,
      location: null,
    });
  });

  it('passes pageSize to the reader', async () => {
    server.clearRequests();
    const source = new KubeconfigClusterSource({file, pageSize: 3});
    const {clusters} = await source.clusters();
    await clusters[0]?.reader.read({namespaces: null});
    assert.ok(server.requests.length > 2);
    assert.ok(server.requests.every(r => r.query.limit === '3'));
  });

  it('reads $KUBECONFIG (a path list, missing entries skipped) before ~/.kube/config', async () => {
    const missing = path.join(dir, 'missing-config');
    const source = new KubeconfigClusterSource({
      env: {KUBECONFIG: `${missing}${path.delimiter}${file}`, HOME: '/nonexistent-home'},
    });
    assert.deepEqual(source.files(), [missing, file]);
    const {clusters} = await source.clusters();
    assert.equal(clusters[0]?.ref.id, 'kubeconfig/staging');
  });

  it('falls back to ~/.kube/config', async () => {
    const home = path.join(dir, 'home');
    await mkdir(path.join(home, '.kube'), {recursive: true});
    await writeKubeconfig({
      server: server.url,
      context: 'from-home',
      token: TOKEN,
      file: path.join(home, '.kube', 'config'),
    });
    const source = new KubeconfigClusterSource({env: {HOME: home}});
    assert.deepEqual(source.files(), [path.join(home, '.kube', 'config')]);
    const {clusters} = await source.clusters();
    assert.equal(clusters[0]?.ref.name, 'from-home');
  });

  it('names the file when it does not exist', async () => {
    const missing = path.join(dir, 'nope', 'config');
    const error = await rejection(() => new KubeconfigClusterSource({file: missing}).clusters());
    assert.ok(error instanceof ConfigError);
    assert.equal(error.code, 'CONFIG');
    assert.match(
      error.message,
      new RegExp(`kubeconfig file ${missing.replace(/[/.]/g, '\\$&')} does not exist`),
    );
  });

  it('names the context and lists the available ones when the context is unknown', async () => {
    const error = await rejection(() =>
      new KubeconfigClusterSource({file, context: 'prod-us'}).clusters(),
    );
    assert.ok(error instanceof ConfigError);
    assert.equal(
      error.message,
      `context "prod-us" is not in kubeconfig ${file} (available contexts: staging, prod-eu, dev)`,
    );
  });
});
