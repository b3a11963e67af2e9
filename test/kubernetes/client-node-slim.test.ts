/**
 * `loadClientNodeSlim`: client-node without its generated API classes and models, in a fresh
 * process each (module loading is per process), reading the fixture cluster through the
 * kubeconfig source as the CLI and the function do.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {fixtureServer, TOKEN} from './helpers.js';
import type {KubeApiServer} from '../support/kube-api-server.js';

const run = promisify(execFile);
const SLIM = new URL('../../functions/adapters/client-node-slim.js', import.meta.url).href;
const SOURCE = new URL('../../functions/adapters/kubeconfig-source.js', import.meta.url).href;

/** Reads the cluster in a fresh process; what it read and which client-node files it loaded. */
async function readInFreshProcess(
  kubeconfig: string,
  slim: boolean,
): Promise<{cronJobs: number; jobs: number; clientNode: number; generated: number}> {
  const script = `
    import {registerHooks} from 'node:module';
    const loaded = [];
    registerHooks({load(url, context, next) { loaded.push(url); return next(url, context); }});
    if (${slim}) (await import(${JSON.stringify(SLIM)})).loadClientNodeSlim();
    const {KubeconfigClusterSource} = await import(${JSON.stringify(SOURCE)});
    const source = new KubeconfigClusterSource({file: ${JSON.stringify(kubeconfig)}, context: 'fixture'});
    const {clusters} = await source.clusters();
    const snapshot = await clusters[0].reader.read({namespaces: null});
    const of = part => loaded.filter(url => url.includes(part)).length;
    console.log(JSON.stringify({
      cronJobs: snapshot.cronJobs.length,
      jobs: snapshot.jobs.length,
      clientNode: of('/@kubernetes/client-node/dist/'),
      generated: of('/@kubernetes/client-node/dist/gen/models/'),
    }));
  `;
  const {stdout} = await run(process.execPath, ['--input-type=module', '-e', script]);
  return JSON.parse(stdout) as {
    cronJobs: number;
    jobs: number;
    clientNode: number;
    generated: number;
  };
}

describe('client-node without its generated code', () => {
  let server: KubeApiServer;
  let kubeconfig: string;
  before(async () => {
    server = await fixtureServer();
    kubeconfig = await server.writeKubeconfig({context: 'fixture', token: TOKEN});
  });
  after(async () => {
    await server.close();
  });

  it('reads the same cluster with a few client-node files instead of hundreds', async () => {
    const full = await readInFreshProcess(kubeconfig, false);
    const slim = await readInFreshProcess(kubeconfig, true);
    assert.ok(full.generated > 500, `without the hook the models load: ${JSON.stringify(full)}`);
    assert.equal(slim.generated, 0);
    assert.ok(slim.clientNode < 40, `client-node files loaded: ${slim.clientNode}`);
    assert.deepEqual(
      {cronJobs: slim.cronJobs, jobs: slim.jobs},
      {cronJobs: full.cronJobs, jobs: full.jobs},
    );
    assert.ok(slim.cronJobs > 0 && slim.jobs > 0);
  });
});
