/**
 * `KubernetesClusterReader` with the real `@kubernetes/client-node` against the Kubernetes API
 * test server: every fixture, paging, namespaces, 410 restarts, HTTP errors, timeouts, broken
 * bodies, HTTPS with the right and the wrong CA, bearer tokens and their refresh, bad objects.
 */
import {after, afterEach, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import * as clientNode from '@kubernetes/client-node';
import {transportFor} from '../../functions/adapters/gke-cluster-source.js';
import {kubeconfigTransport} from '../../functions/adapters/kubeconfig-source.js';
import {KubernetesClusterReader} from '../../functions/adapters/kubernetes/cluster-reader.js';
import {ClusterError} from '../../functions/core/errors.js';
import {parseCronJob, parseJob} from '../../functions/core/kube-objects.js';
import type {JobInfo} from '../../functions/core/model.js';
import {cronJobStatusOf, judgeJob, jobsByCronJob} from '../../functions/core/verdict.js';
import {freePort} from '../support/free-port.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {
  loadExpectedVerdicts,
  loadFixtureObjects,
  type KubeObject,
} from '../support/kube-fixtures.js';
import {createTestCa, type TestCa} from '../support/test-ca.js';
import {fixtureServer, readerFor, REF, rejection, TOKEN} from './helpers.js';

const fixtures = loadFixtureObjects();
const expected = loadExpectedVerdicts();

function iso(date: Date | null): string | null {
  return date === null ? null : date.toISOString().replace('.000Z', 'Z');
}

function listRequests(server: KubeApiServer, path: string) {
  return server.requests.filter(r => r.path === path);
}

describe('KubernetesClusterReader over HTTP', () => {
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
    server.onRequest(null);
    server.setToken(TOKEN);
    server.load(loadFixtureObjects());
  });

  it('reads every fixture in several pages and parses each object as the core would', async () => {
    const reader = await readerFor(server, {pageSize: 4});
    const snapshot = await reader.read({namespaces: null});

    assert.deepEqual(snapshot.problems, []);
    assert.equal(snapshot.cluster, REF);
    assert.equal(snapshot.cronJobs.length, fixtures.cronJobs.length);
    assert.equal(snapshot.jobs.length, fixtures.jobs.length);
    const byUid = <T extends {uid: string}>(list: T[]) =>
      [...list].sort((a, b) => (a.uid < b.uid ? -1 : 1));
    const parsedJobs = fixtures.jobs.map(j => {
      const parsed = parseJob(j);
      assert.ok(parsed.ok);
      return parsed.value;
    });
    assert.deepEqual(byUid(snapshot.jobs), byUid(parsedJobs));
    const parsedCronJobs = fixtures.cronJobs.map(c => {
      const parsed = parseCronJob(c);
      assert.ok(parsed.ok);
      return parsed.value;
    });
    assert.deepEqual(byUid(snapshot.cronJobs), byUid(parsedCronJobs));

    // Several pages each: 15 CronJobs / 4 = 4 requests, 33 Jobs / 4 = 9, each with limit=4,
    // all but the first carrying the previous page's continue token.
    const cronJobPages = listRequests(server, '/apis/batch/v1/cronjobs');
    const jobPages = listRequests(server, '/apis/batch/v1/jobs');
    assert.equal(cronJobPages.length, 4);
    assert.equal(jobPages.length, 9);
    for (const pages of [cronJobPages, jobPages]) {
      assert.ok(pages.every(p => p.query.limit === '4'));
      assert.equal(pages[0]?.query.continue, undefined);
      assert.ok(pages.slice(1).every(p => typeof p.query.continue === 'string'));
      assert.equal(new Set(pages.map(p => p.query.continue)).size, pages.length);
    }
  });

  it('gives every fixture the verdict in the fixtures README', async () => {
    const reader = await readerFor(server, {pageSize: 7});
    const snapshot = await reader.read({namespaces: null});
    const jobsByKey = new Map<string, JobInfo>(
      snapshot.jobs.map(j => [`${j.namespace}/${j.name}`, j]),
    );
    for (const [key, want] of Object.entries(expected.jobs)) {
      const job = jobsByKey.get(key);
      assert.ok(job, `${key} was read`);
      const verdict = judgeJob(job);
      assert.deepEqual(
        {
          outcome: verdict.outcome,
          reason: verdict.reason,
          finishedAt: iso(verdict.finishedAt),
          manual: verdict.manual,
        },
        want,
        key,
      );
    }
    const groups = jobsByCronJob(snapshot.jobs);
    for (const key of expected.ignoredJobs) {
      const job = jobsByKey.get(key);
      assert.ok(job, `${key} was read`);
      assert.equal(job.cronJobUid, null, `${key} has no CronJob controller`);
    }
    assert.equal(Object.keys(expected.cronJobs).length, snapshot.cronJobs.length);
    for (const cronJob of snapshot.cronJobs) {
      const key = `${cronJob.namespace}/${cronJob.name}`;
      const want = expected.cronJobs[key];
      assert.ok(want, `${key} is in expected-verdicts.json`);
      const status = cronJobStatusOf(cronJob, groups.get(cronJob.uid) ?? []);
      assert.equal(status.lastRun?.job ?? null, want.lastRun, `${key} last run`);
      assert.equal(
        status.lastFinishedRun?.job ?? null,
        want.lastFinishedRun,
        `${key} last finished`,
      );
      if (want.finishedRuns) {
        assert.deepEqual(
          status.finishedRuns.map(r => r.job),
          want.finishedRuns,
        );
      }
      if (want.lastRunManual !== undefined)
        assert.equal(status.lastRun?.manual, want.lastRunManual);
      assert.equal(cronJob.suspended, want.suspended ?? false, `${key} suspended`);
    }
  });

  it('keeps when spec.suspend last changed from managedFields, and nothing else of them', async () => {
    const base = fixtures.cronJobs[0]!;
    const entry = (manager: string, time: string, spec: Record<string, unknown>) => ({
      manager,
      operation: 'Update',
      apiVersion: 'batch/v1',
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: {'f:spec': spec},
    });
    const withFields = (name: string, managedFields: unknown[]): KubeObject => ({
      ...base,
      metadata: {...base.metadata, name, uid: `uid-${name}`, managedFields},
    });
    server.put(
      withFields('patched', [
        // A newer entry that owns the Job template's suspend, not the CronJob's: not it.
        entry('helm', '2026-03-09T08:00:00Z', {'f:jobTemplate': {'f:spec': {'f:suspend': {}}}}),
        entry('kubectl-patch', '2026-03-09T00:20:00Z', {'f:suspend': {}}),
        entry('argocd-controller', '2026-03-05T10:00:00Z', {'f:suspend': {}, 'f:schedule': {}}),
      ]),
    );
    server.put(
      withFields('never-suspended', [entry('helm', '2026-03-09T08:00:00Z', {'f:schedule': {}})]),
    );
    for (const pageSize of [2, 500]) {
      const reader = await readerFor(server, {pageSize});
      const snapshot = await reader.read({namespaces: null});
      const byName = new Map(snapshot.cronJobs.map(c => [c.name, c]));
      assert.equal(iso(byName.get('patched')?.suspendChangedAt ?? null), '2026-03-09T00:20:00Z');
      assert.equal(byName.get('never-suspended')?.suspendChangedAt, null);
      assert.equal(byName.get(base.metadata.name)?.suspendChangedAt, null);
    }
    // A page the splitter cannot cut is parsed whole: the same answer.
    const whole = parseCronJob(
      withFields('patched', [entry('k', '2026-03-09T00:20:00Z', {'f:suspend': {}})]),
    );
    assert.ok(whole.ok);
    assert.equal(iso(whole.value.suspendChangedAt), '2026-03-09T00:20:00Z');
  });

  it('lists only the namespaces asked for, each once, with no cluster-scope request', async () => {
    const reader = await readerFor(server, {pageSize: 2});
    const snapshot = await reader.read({namespaces: ['mail', 'legacy', 'mail']});
    assert.deepEqual(snapshot.cronJobs.map(c => `${c.namespace}/${c.name}`).sort(), [
      'legacy/hello',
      'mail/bounce-cleanup',
      'mail/send-digest',
    ]);
    assert.ok(snapshot.jobs.every(j => j.namespace === 'mail' || j.namespace === 'legacy'));
    assert.equal(snapshot.jobs.length, 8);
    const paths = new Set(server.requests.map(r => r.path));
    assert.deepEqual([...paths].sort(), [
      '/apis/batch/v1/namespaces/legacy/cronjobs',
      '/apis/batch/v1/namespaces/legacy/jobs',
      '/apis/batch/v1/namespaces/mail/cronjobs',
      '/apis/batch/v1/namespaces/mail/jobs',
    ]);
    // mail has 5 Jobs: 3 pages of 2.
    assert.equal(listRequests(server, '/apis/batch/v1/namespaces/mail/jobs').length, 3);
  });

  it('restarts a listing once when its continue token expires, without duplicates', async () => {
    const fault = server.inject({match: '/apis/batch/v1/jobs', action: {type: 'expire'}, times: 1});
    const reader = await readerFor(server, {pageSize: 5});
    const snapshot = await reader.read({namespaces: null});
    assert.equal(fault.hits, 1);
    assert.equal(snapshot.jobs.length, fixtures.jobs.length);
    assert.equal(new Set(snapshot.jobs.map(j => j.uid)).size, fixtures.jobs.length);
    const pages = listRequests(server, '/apis/batch/v1/jobs');
    const expiredAt = pages.findIndex(p => p.status === 410);
    assert.equal(expiredAt, 1, 'the second page expired');
    assert.equal(pages[expiredAt + 1]?.query.continue, undefined, 'then it started over');
    assert.equal(pages.filter(p => p.query.continue === undefined).length, 2);
  });

  it('fails with a clear EXPIRED error when the restarted listing expires too', async () => {
    server.inject({match: '/apis/batch/v1/jobs', action: {type: 'expire'}});
    const reader = await readerFor(server, {pageSize: 5});
    const error = await rejection(() => reader.read({namespaces: null}));
    assert.ok(error instanceof ClusterError);
    assert.equal(error.code, 'EXPIRED');
    assert.match(error.message, /^cluster prod-eu-test: /);
    assert.match(error.message, /jobs\.batch/);
    assert.match(error.message, /410 Expired/);
    assert.match(error.message, /restarting from the first page/);
    const firstPages = listRequests(server, '/apis/batch/v1/jobs').filter(
      p => p.query.continue === undefined,
    );
    assert.equal(firstPages.length, 2, 'exactly one restart');
  });

  it('says the credentials were rejected on 401, without the token', async () => {
    const reader = await readerFor(server, {token: 'expired-token-0123456789abcdef'});
    const error = await rejection(() => reader.read({namespaces: null}));
    assert.ok(error instanceof ClusterError);
    assert.equal(error.code, 'UNAUTHORIZED');
    assert.match(error.message, /^cluster prod-eu-test: the API server rejected the credentials/);
    assert.match(error.message, /401 Unauthorized/);
    assert.ok(!error.message.includes('expired-token-0123456789abcdef'));
    assert.ok(!error.message.includes(TOKEN));
    assert.deepEqual(server.tokensSeen, ['expired-token-0123456789abcdef']);
  });

  it('requires the bearer token: a kubeconfig user without one gets 401', async () => {
    const reader = await readerFor(server, {token: null});
    const error = await rejection(() => reader.read({namespaces: null}));
    assert.equal(error.code, 'UNAUTHORIZED');
    assert.equal(server.requests[0]?.token, null);
  });

  it('names the missing permission on 403, with the server message', async () => {
    const denial =
      'cronjobs.batch is forbidden: User "watcher@acme-prod.iam.gserviceaccount.com" cannot list resource "cronjobs" in API group "batch" at the cluster scope';
    server.inject({
      match: '/cronjobs',
      action: {type: 'status', code: 403, message: denial},
    });
    const reader = await readerFor(server);
    const error = await rejection(() => reader.read({namespaces: null}));
    assert.ok(error instanceof ClusterError);
    assert.equal(error.code, 'FORBIDDEN');
    assert.ok(
      error.message.startsWith(
        'cluster prod-eu-test: cannot list cronjobs.batch at the cluster scope (403 Forbidden): ' +
          "the watcher's identity needs list on cronjobs, jobs, pods and events (see infra/k8s/rbac.yaml; rbac-namespace.yaml with NAMESPACES)",
      ),
      error.message,
    );
    assert.ok(error.message.includes(denial));

    const namespaced = await rejection(() => reader.read({namespaces: ['ops']}));
    assert.match(namespaced.message, /cannot list cronjobs\.batch in the namespace "ops"/);
  });

  it('maps 404 and 500 to NOT_FOUND and SERVER_ERROR with the Status message', async () => {
    const reader = await readerFor(server);
    const notFound = server.inject({
      match: '/apis/batch/v1/cronjobs',
      action: {type: 'status', code: 404},
    });
    const missing = await rejection(() => reader.read({namespaces: null}));
    assert.equal(missing.code, 'NOT_FOUND');
    assert.match(
      missing.message,
      /^cluster prod-eu-test: the API server has no \/apis\/batch\/v1\/cronjobs \(404 NotFound\)/,
    );
    notFound.remove();

    server.inject({
      match: '/apis/batch/v1/jobs',
      action: {type: 'status', code: 500, message: 'etcdserver: request timed out'},
    });
    const failed = await rejection(() => reader.read({namespaces: null}));
    assert.equal(failed.code, 'SERVER_ERROR');
    assert.match(
      failed.message,
      /^cluster prod-eu-test: the API server failed to list jobs\.batch at the cluster scope \(500 InternalError\)/,
    );
    assert.match(failed.message, /etcdserver: request timed out/);
  });

  it('times out a hung request after requestTimeoutMs', async () => {
    server.inject({match: '/apis/batch/v1/jobs', action: {type: 'hang'}});
    const reader = await readerFor(server, {requestTimeoutMs: 300});
    const error = await rejection(() => reader.read({namespaces: null}));
    assert.equal(error.code, 'TIMEOUT');
    assert.match(
      error.message,
      /^cluster prod-eu-test: http:\/\/127\.0\.0\.1:\d+ did not answer GET \/apis\/batch\/v1\/jobs within 300 ms$/,
    );
    assert.equal(listRequests(server, '/apis/batch/v1/jobs')[0]?.status, null, 'never answered');
  });

  it('reports a body cut off mid-transfer, a cut JSON document and an HTML page as BAD_RESPONSE', async () => {
    const reader = await readerFor(server);
    for (const action of [
      {type: 'truncate', mode: 'close'},
      {type: 'truncate', mode: 'end'},
      {type: 'nonJson'},
    ] as const) {
      const fault = server.inject({match: '/apis/batch/v1/jobs', action});
      const error = await rejection(() => reader.read({namespaces: null}));
      assert.ok(error instanceof ClusterError, JSON.stringify(action));
      assert.equal(error.code, 'BAD_RESPONSE', JSON.stringify(action));
      assert.match(error.message, /^cluster prod-eu-test: /);
      fault.remove();
    }
  });

  it('turns a refused connection into UNREACHABLE', async () => {
    const port = await freePort();
    const reader = await readerFor(server, {serverUrl: `http://127.0.0.1:${port}`});
    const error = await rejection(() => reader.read({namespaces: null}));
    assert.equal(error.code, 'UNREACHABLE');
    assert.match(
      error.message,
      /^cluster prod-eu-test: cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/,
    );
  });

  it('turns an unknown host name into UNREACHABLE', async () => {
    // .invalid is reserved (RFC 2606): it never resolves, with or without network.
    const reader = await readerFor(server, {serverUrl: 'http://kube-api.no-such-cluster.invalid'});
    const error = await rejection(() => reader.read({namespaces: null}));
    assert.equal(error.code, 'UNREACHABLE');
    assert.match(error.message, /kube-api\.no-such-cluster\.invalid/);
  });

  it('uses a fresh token from tokenProvider on every request, across a rotation mid-pass', async () => {
    const first = 'ya29.first-access-token-AAAAAAAAAAAA';
    const second = 'ya29.second-access-token-BBBBBBBBBBB';
    server.setToken(first);
    let calls = 0;
    const tokenProvider = async () => {
      calls += 1;
      // The third request finds the first token expired: the server now accepts only the new one.
      if (calls === 3) server.setToken(second);
      return calls >= 3 ? second : first;
    };
    // The kubeconfig's own token must be overridden by the provider's.
    const reader = await readerFor(server, {
      pageSize: 4,
      token: 'kubeconfig-token-unused-123',
      tokenProvider,
    });
    const snapshot = await reader.read({namespaces: null});
    assert.equal(snapshot.jobs.length, fixtures.jobs.length);
    assert.equal(calls, server.requests.length);
    assert.deepEqual(server.tokensSeen, [first, second]);
    assert.ok(server.requests.slice(2).every(r => r.token === second));
    assert.ok(server.requests.every(r => r.status === 200));
    const pagesAfterRotation = server.requests.slice(2).filter(r => r.query.continue !== undefined);
    assert.ok(pagesAfterRotation.length > 0, 'the rotation happened between pages of one listing');
  });

  it('without a provider, a token rotated away mid-pass fails with UNAUTHORIZED', async () => {
    server.onRequest(() => {
      if (server.requests.length === 2) server.setToken('rotated-token-0000000000');
    });
    const reader = await readerFor(server, {pageSize: 4});
    const error = await rejection(() => reader.read({namespaces: null}));
    assert.equal(error.code, 'UNAUTHORIZED');
  });

  it('reports a tokenProvider failure as UNAUTHORIZED naming the cluster', async () => {
    const reader = await readerFor(server, {
      tokenProvider: async () => {
        throw new Error('Could not load the default credentials');
      },
    });
    const error = await rejection(() => reader.read({namespaces: null}));
    assert.equal(error.code, 'UNAUTHORIZED');
    assert.match(error.message, /^cluster prod-eu-test: could not obtain an access token/);
    assert.match(error.message, /default credentials/);
    assert.equal(server.requests.length, 0);
  });

  it('turns malformed objects into problems and still reads every other object', async () => {
    const job = fixtures.jobs.find(j => j.metadata.name === 'send-digest-29552220') as KubeObject;
    const notAList = structuredClone(job);
    notAList.metadata.name = 'send-digest-bad-conditions';
    notAList.metadata.uid = 'bad-1';
    notAList.status = {conditions: 5, startTime: 'garbage'};
    const conditionsAsString = structuredClone(job);
    conditionsAsString.metadata.name = 'send-digest-conditions-string';
    conditionsAsString.metadata.uid = 'bad-2';
    conditionsAsString.status = {conditions: 'Failed'};
    const noUid = structuredClone(job);
    noUid.metadata.name = 'send-digest-no-uid';
    noUid.metadata.uid = '';
    const cronJob = structuredClone(fixtures.cronJobs[0] as KubeObject);
    cronJob.metadata.name = 'no-spec';
    cronJob.metadata.uid = 'bad-3';
    cronJob.spec = 'every hour';
    for (const object of [notAList, conditionsAsString, noUid, cronJob]) server.put(object);

    const reader = await readerFor(server, {pageSize: 6});
    const snapshot = await reader.read({namespaces: null});
    const problems = snapshot.problems.map(p => `${p.kind} ${p.namespace}/${p.name}`).sort();
    assert.deepEqual(problems, [
      'CronJob backups/no-spec',
      'Job mail/send-digest-bad-conditions',
      'Job mail/send-digest-conditions-string',
      'Job mail/send-digest-no-uid',
    ]);
    assert.ok(snapshot.problems.every(p => p.problem.length > 0));
    assert.equal(snapshot.cronJobs.length, fixtures.cronJobs.length);
    assert.equal(snapshot.jobs.length, fixtures.jobs.length);
  });

  it('finds the Pods of a Job by the batch.kubernetes.io/controller-uid label', async () => {
    const reader = await readerFor(server);
    const job = fixtures.jobs.find(j => j.metadata.name === 'send-digest-29552220') as KubeObject;
    const pods = await reader.podsOfJob({
      namespace: 'mail',
      name: job.metadata.name,
      uid: job.metadata.uid,
    });
    assert.equal(pods.length, 3);
    assert.ok(pods.every(p => p.jobUid === job.metadata.uid && p.phase === 'Failed'));
    assert.deepEqual(
      pods.map(p => p.terminations[0]),
      pods.map(() => ({container: 'digest', reason: 'Error', exitCode: 1, message: null})),
    );
    const requests = listRequests(server, '/api/v1/namespaces/mail/pods');
    assert.equal(requests.length, 1);
    assert.equal(
      requests[0]?.query.labelSelector,
      `batch.kubernetes.io/controller-uid=${job.metadata.uid}`,
    );
  });

  it('falls back to the unprefixed controller-uid label on old clusters', async () => {
    const reader = await readerFor(server);
    const job = fixtures.jobs.find(j => j.metadata.name === 'hello-1773133500') as KubeObject;
    const pods = await reader.podsOfJob({
      namespace: 'legacy',
      name: job.metadata.name,
      uid: job.metadata.uid,
    });
    assert.equal(pods.length, 2);
    assert.ok(pods.every(p => p.jobName === 'hello-1773133500'));
    assert.deepEqual(
      listRequests(server, '/api/v1/namespaces/legacy/pods').map(r => r.query.labelSelector),
      [
        `batch.kubernetes.io/controller-uid=${job.metadata.uid}`,
        `controller-uid=${job.metadata.uid}`,
      ],
    );
  });

  it('lists the Pods of many Jobs of a namespace at once, each as podsOfJob finds them', async () => {
    const reader = await readerFor(server);
    const jobOf = (name: string) => {
      const job = fixtures.jobs.find(j => j.metadata.name === name) as KubeObject;
      return {namespace: 'reports', name, uid: job.metadata.uid};
    };
    const withPods = [jobOf('weekly-report-29550600'), jobOf('hourly-rollup-29552220')];
    const gone = Array.from({length: 60}, (_, i) => ({
      namespace: 'reports',
      name: `gone-${i}`,
      uid: `0000-gone-${i}`,
    }));
    // An unreadable Pod (its name is too long) of a Job otherwise without Pods: like podsOfJob,
    // no second listing for that Job.
    server.put({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        namespace: 'reports',
        name: 'x'.repeat(300),
        uid: 'broken-pod',
        labels: {'batch.kubernetes.io/controller-uid': gone[0]?.uid ?? ''},
      },
    });
    const jobs = [...withPods, ...gone];
    const alone = new Map<string, unknown>();
    for (const job of [...withPods, ...gone.slice(0, 2)]) {
      alone.set(job.uid, await reader.podsOfJob(job));
    }
    server.clearRequests();

    const together = await reader.podsOfJobs('reports', jobs);
    assert.deepEqual([...together.keys()].sort(), jobs.map(j => j.uid).sort());
    for (const [uid, pods] of alone) assert.deepEqual(together.get(uid), pods);
    assert.equal(together.get(withPods[0]?.uid ?? '')?.length, 2);
    assert.ok(gone.every(job => together.get(job.uid)?.length === 0));
    // 62 Jobs: by the 1.27+ label 50 + 12; by the older label the 59 with nothing, 50 + 9.
    const selectors = listRequests(server, '/api/v1/namespaces/reports/pods').map(
      r => r.query.labelSelector ?? '',
    );
    assert.deepEqual(
      selectors.map(s => [s.split(' in ')[0], s.split(',').length]),
      [
        ['batch.kubernetes.io/controller-uid', 50],
        ['batch.kubernetes.io/controller-uid', 12],
        ['controller-uid', 50],
        ['controller-uid', 9],
      ],
    );
    assert.ok(selectors.slice(2).every(s => !withPods.some(job => s.includes(job.uid))));
  });

  it('lists the Pods of many Jobs on old clusters by the unprefixed label', async () => {
    const reader = await readerFor(server);
    const job = fixtures.jobs.find(j => j.metadata.name === 'hello-1773133500') as KubeObject;
    const pods = await reader.podsOfJobs('legacy', [
      {name: job.metadata.name, uid: job.metadata.uid},
    ]);
    assert.deepEqual(
      pods.get(job.metadata.uid)?.map(p => p.jobName),
      ['hello-1773133500', 'hello-1773133500'],
    );
    assert.deepEqual(
      listRequests(server, '/api/v1/namespaces/legacy/pods').map(r => r.query.labelSelector),
      [
        `batch.kubernetes.io/controller-uid in (${job.metadata.uid})`,
        `controller-uid in (${job.metadata.uid})`,
      ],
    );
  });

  it('reads the pod-level reason of an evicted Pod and the OOMKilled containers', async () => {
    const reader = await readerFor(server);
    const uidOf = (name: string) =>
      (fixtures.jobs.find(j => j.metadata.name === name) as KubeObject).metadata.uid;
    const evicted = await reader.podsOfJob({
      namespace: 'ops',
      name: 'log-rotate-29552220',
      uid: uidOf('log-rotate-29552220'),
    });
    assert.equal(evicted.length, 1);
    assert.equal(evicted[0]?.reason, 'Evicted');
    assert.match(evicted[0]?.message ?? '', /low on resource: memory/);
    const oom = await reader.podsOfJob({
      namespace: 'reports',
      name: 'weekly-report-29550600',
      uid: uidOf('weekly-report-29550600'),
    });
    assert.deepEqual(
      oom.map(p => [p.terminations[0]?.reason, p.terminations[0]?.exitCode]),
      [
        ['OOMKilled', 137],
        ['OOMKilled', 137],
      ],
    );
  });

  it('gives an empty list for a Job whose Pods are gone', async () => {
    const reader = await readerFor(server);
    const pods = await reader.podsOfJob({
      namespace: 'ops',
      name: 'cache-warmup-29552160',
      uid: 'gone',
    });
    assert.deepEqual(pods, []);
  });

  it('rejects a page size that is not a positive whole number', () => {
    assert.throws(
      () =>
        new KubernetesClusterReader(
          REF,
          kubeconfigTransport(new clientNode.KubeConfig(), clientNode),
          {pageSize: 0},
        ),
      /cluster prod-eu-test: pageSize must be a positive whole number/,
    );
  });
});

describe('KubernetesClusterReader over HTTPS', () => {
  let ca: TestCa;
  let server: KubeApiServer;
  before(async () => {
    ca = await createTestCa();
    server = await startKubeApiServer({
      token: TOKEN,
      tls: {cert: ca.serverCertPem, key: ca.serverKeyPem},
      objects: loadFixtureObjects(),
    });
  });
  after(async () => {
    await server.close();
    await ca.cleanup();
  });

  it('reads the cluster when the kubeconfig pins the CA that signed the server certificate', async () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const reader = await readerFor(server, {caPem: ca.caCertPem, pageSize: 10});
    const snapshot = await reader.read({namespaces: null});
    assert.equal(snapshot.cronJobs.length, fixtures.cronJobs.length);
    assert.equal(snapshot.jobs.length, fixtures.jobs.length);
  });

  it('works with a tokenProvider over HTTPS (the GKE path)', async () => {
    const transport = transportFor(
      {kind: 'public', server: server.url, caData: Buffer.from(ca.caCertPem).toString('base64')},
      async () => TOKEN,
    );
    const reader = new KubernetesClusterReader(REF, transport);
    const snapshot = await reader.read({namespaces: ['backups']});
    assert.equal(snapshot.cronJobs.length, 2);
  });

  it('fails with a TLS error naming the configured CA when it is the wrong CA', async () => {
    const reader = await readerFor(server, {caPem: ca.otherCaCertPem});
    const error = await rejection(() => reader.read({namespaces: null}));
    assert.ok(error instanceof ClusterError);
    assert.equal(error.code, 'TLS');
    assert.match(
      error.message,
      /^cluster prod-eu-test: the TLS certificate of https:\/\/127\.0\.0\.1:\d+ did not verify against the cluster CA configured for it/,
    );
    assert.ok(!error.message.includes(TOKEN));
  });

  it('fails with a TLS error naming the public CAs when no CA is configured', async () => {
    const reader = await readerFor(server);
    const error = await rejection(() => reader.read({namespaces: null}));
    assert.equal(error.code, 'TLS');
    assert.match(error.message, /did not verify against the system's trusted public CAs/);
  });
});
