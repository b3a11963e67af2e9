/**
 * How `cronjob-watcher status` fails: every error on stderr in words a user can act on, a
 * non-zero exit code, and nothing on stdout (a script reading `--json` must not get a document
 * that claims the cluster has no CronJobs). Faults come from the Kubernetes API test server.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type {KubeApiServer} from '../support/kube-api-server.js';
import {freePort} from '../support/free-port.js';
import {fixtureServer, TOKEN} from '../kubernetes/helpers.js';
import {runCli, shown, tempDir, type CliResult} from './helpers.js';

// Small enough that both lists need continue tokens (15 CronJobs, 33 Jobs).
const PAGED = {PAGE_SIZE: '3'};

/**
 * What `status --json` read from the cluster. lastDueAt and nextDueAt are the schedule's ticks
 * around the moment of the run: two runs minutes apart on a loaded machine differ there.
 */
function listed(result: CliResult): unknown {
  const doc = JSON.parse(result.stdout) as {cronJobs: Array<Record<string, unknown>>};
  return {
    ...doc,
    cronJobs: doc.cronJobs.map(({lastDueAt: _last, nextDueAt: _next, ...read}) => read),
  };
}

/** A failed run: non-zero exit, stdout empty, stderr matching every pattern. */
function assertFailed(result: CliResult, ...patterns: RegExp[]): void {
  assert.notEqual(result.code, 0, shown(result));
  assert.notEqual(result.code, null, `exited, not killed\n${shown(result)}`);
  assert.equal(result.stdout, '', `stdout stays empty\n${shown(result)}`);
  for (const pattern of patterns) assert.match(result.stderr, pattern, shown(result));
  assert.ok(!result.stderr.includes(TOKEN), 'the bearer token is never printed');
}

describe('cronjob-watcher status errors', () => {
  let server: KubeApiServer;
  let kubeconfig: string;
  let baseline: CliResult;

  before(async () => {
    server = await fixtureServer();
    kubeconfig = await server.writeKubeconfig({
      context: 'fixture',
      token: TOKEN,
      extraContexts: ['staging', 'prod-eu'],
    });
    baseline = await runCli(['status', '--kubeconfig', kubeconfig, '--json'], {env: PAGED});
    assert.equal(baseline.code, 0, shown(baseline));
  });
  after(async () => {
    await server.close();
  });

  it('410 Expired on a continue token once: the listing restarts and succeeds', async () => {
    server.clearRequests();
    const fault = server.inject({match: '/apis/batch/v1/jobs', action: {type: 'expire'}, times: 1});
    try {
      const result = await runCli(['status', '--kubeconfig', kubeconfig, '--json'], {env: PAGED});
      assert.equal(result.code, 0, shown(result));
      assert.equal(result.stderr, '', shown(result));
      assert.deepEqual(listed(result), listed(baseline));
      assert.equal(fault.hits, 1);
      const jobs = server.requests.filter(r => r.path === '/apis/batch/v1/jobs');
      const expired = jobs.findIndex(r => r.status === 410);
      assert.ok(expired > 0, 'a continue request answered 410');
      assert.equal(jobs[expired + 1]?.query.continue, undefined, 'restarted from the first page');
    } finally {
      fault.remove();
    }
  });

  it('410 Expired every time: a clear error about the expired listing', async () => {
    const fault = server.inject({match: '/apis/batch/v1/jobs', action: {type: 'expire'}});
    try {
      const result = await runCli(['status', '--kubeconfig', kubeconfig, '--json'], {env: PAGED});
      assertFailed(result, /410 Expired/, /continue token expired/, /jobs/, /PAGE_SIZE/);
      // Once at first, once after the restart: it gives up instead of looping.
      assert.equal(fault.hits, 2);
    } finally {
      fault.remove();
    }
  });

  it('401: says the credentials were rejected', async () => {
    const wrong = await server.writeKubeconfig({
      context: 'fixture',
      token: 'expired-token-7d1e4b2a9c0f3e5d',
    });
    const result = await runCli(['status', '--kubeconfig', wrong, '--json']);
    assertFailed(result, /rejected the credentials/, /401 Unauthorized/);
    assert.ok(!result.stderr.includes('expired-token-7d1e4b2a9c0f3e5d'), 'no token in the error');
  });

  it('403: names the missing permission and the RBAC manifest', async () => {
    const fault = server.inject({
      match: '/apis/batch/v1/cronjobs',
      action: {
        type: 'status',
        code: 403,
        message:
          'cronjobs.batch is forbidden: User "watcher@p.iam.gserviceaccount.com" cannot list resource "cronjobs" in API group "batch" at the cluster scope',
      },
    });
    try {
      const result = await runCli(['status', '--kubeconfig', kubeconfig, '--json']);
      assertFailed(
        result,
        /403 Forbidden/,
        /cannot list cronjobs/,
        /list on cronjobs, jobs, pods and events/,
        /infra\/k8s\/rbac\.yaml/,
      );
    } finally {
      fault.remove();
    }
  });

  it('an unreachable server: names the server it could not reach', async () => {
    const port = await freePort();
    const down = await server.writeKubeconfig({
      context: 'fixture',
      token: TOKEN,
      server: `http://127.0.0.1:${port}`,
    });
    const result = await runCli(['status', '--kubeconfig', down, '--json']);
    assertFailed(result, new RegExp(`cannot reach http://127\\.0\\.0\\.1:${port}`));
  });

  it('an unknown context: lists the contexts there are', async () => {
    const result = await runCli([
      'status',
      '--kubeconfig',
      kubeconfig,
      '--context',
      'prod-us',
      '--json',
    ]);
    assertFailed(result, /context "prod-us" is not in kubeconfig/, /fixture, staging, prod-eu/);
  });

  it('a kubeconfig file that does not exist: names it and says how to get one', async () => {
    const missing = path.join(await tempDir('no-kubeconfig'), 'config');
    const result = await runCli(['status', '--kubeconfig', missing, '--json']);
    assertFailed(result, new RegExp(`kubeconfig file ${missing} does not exist`), /--kubeconfig/);
  });

  it('no kubeconfig at all: points at ~/.kube/config and --kubeconfig', async () => {
    const home = await tempDir('home');
    const result = await runCli(['status', '--json'], {env: {HOME: home}});
    assertFailed(
      result,
      new RegExp(`${path.join(home, '.kube', 'config')} does not exist`),
      /--kubeconfig FILE/,
    );
  });

  it('an unknown flag', async () => {
    const result = await runCli(['status', '--nope']);
    assertFailed(result, /Unknown option '--nope'/, /--help/);
    // A usage error: 2, as for an unknown command; a wrong value is 1.
    assert.equal(result.code, 2, shown(result));
    const missingValue = await runCli(['status', '--context']);
    assert.equal(missingValue.code, 2, shown(missingValue));
    const wrongValue = await runCli(['status', '--output', 'yaml']);
    assert.equal(wrongValue.code, 1, shown(wrongValue));
  });

  it('a namespace that is not a namespace name', async () => {
    const result = await runCli([
      'status',
      '--kubeconfig',
      kubeconfig,
      '--namespace',
      'Data_Team',
      '--json',
    ]);
    assertFailed(result, /--namespace: "Data_Team" is not a namespace name/);
    assert.equal(
      server.requests.filter(r => r.path.includes('Data_Team')).length,
      0,
      'rejected before any request',
    );
  });

  it('an unknown command', async () => {
    const result = await runCli(['statuz']);
    assert.equal(result.code, 2, shown(result));
    assert.match(result.stderr, /unknown command "statuz"/);
  });
});

describe('without Google credentials (no Application Default Credentials anywhere)', () => {
  let server: KubeApiServer;
  let kubeconfig: string;
  let noCredentials: Record<string, string | undefined>;

  before(async () => {
    server = await fixtureServer();
    kubeconfig = await server.writeKubeconfig({context: 'fixture', token: TOKEN});
    noCredentials = {
      // gcloud's well-known ADC file lives under HOME (or CLOUDSDK_CONFIG): an empty HOME has none.
      HOME: await tempDir('no-adc-home'),
      CLOUDSDK_CONFIG: undefined,
      GOOGLE_APPLICATION_CREDENTIALS: undefined,
      // The runner turns the metadata-server probe off for every test; a user has it on.
      METADATA_SERVER_DETECTION: undefined,
    };
  });
  after(async () => {
    await server.close();
  });

  /** One line on stderr naming what needs the credentials and the two ways to give them. */
  function assertOneLine(result: CliResult, uses: string): void {
    assert.equal(result.code, 1, shown(result));
    assert.equal(result.stdout, '', shown(result));
    assert.equal(
      result.stderr,
      `error: no Google credentials (Application Default Credentials) for ${uses}: run \`gcloud auth application-default login\`, or set GOOGLE_APPLICATION_CREDENTIALS to a service account key file\n`,
    );
  }

  it('status --state firestore: one line, no metadata-server warning, exit 1, no cluster read', async () => {
    server.clearRequests();
    const result = await runCli(['status', '--kubeconfig', kubeconfig, '--state', 'firestore'], {
      env: {...noCredentials, GOOGLE_CLOUD_PROJECT: 'my-proj-1'},
    });
    assertOneLine(result, 'the Firestore state');
    assert.equal(
      server.requests.length,
      0,
      'nothing was read before the credentials were found missing',
    );
  });

  it('status with GKE_CLUSTERS: the same line, for GKE clusters', async () => {
    const result = await runCli(['status'], {
      env: {
        ...noCredentials,
        GKE_CLUSTERS: 'projects/my-proj-1/locations/europe-west1/clusters/prod',
      },
    });
    assertOneLine(result, 'GKE clusters (GKE_CLUSTERS, GKE_PROJECTS)');
  });

  it('check with GKE_PROJECTS and --state firestore: one line naming both', async () => {
    const result = await runCli(['check', '--state', 'firestore'], {
      env: {...noCredentials, GKE_PROJECTS: 'my-proj-1', GOOGLE_CLOUD_PROJECT: 'my-proj-1'},
    });
    assertOneLine(result, 'the Firestore state and GKE clusters (GKE_CLUSTERS, GKE_PROJECTS)');
  });
});
