/**
 * Secrets in what the cluster says never reach Slack or the store (issue 26), through the real
 * clients: the Kubernetes API test server read by @kubernetes/client-node, the Firestore
 * emulator, the Slack API test server the real WebClient posts to. A Job condition message, a
 * Pod's message, a container's termination message, a log and an Event message each carry a
 * credential; what arrives shows what failed with the credential masked. Only the clock is ours.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {mapPodTexts} from '../../functions/core/free-texts.js';
import type {PodInfo} from '../../functions/core/model.js';
import {MASK} from '../../functions/core/secrets/mask.js';
import {maskSecrets} from '../../functions/mask-secrets.js';
import {TextMasking} from '../../functions/text-masking.js';
import type {KubeObject} from '../support/kube-fixtures.js';
import {jobNameFor, podNameFor, type CronJobSpec, type RunSpec} from '../support/scenario.js';
import {CLUSTER_ID, OK_0, pass, show, world} from '../support/world.js';
import {useLocalServers} from '../support/local-servers.js';

const servers = useLocalServers();

const posted = () =>
  servers.slack
    .accepted()
    .filter(c => c.method === 'chat.postMessage' || c.method === 'chat.update')
    .map(c => `${c.text ?? ''}\n${JSON.stringify(c.blocks ?? [])}`)
    .join('\n');

// Made-up credentials in the shapes real jobs print.
const DB_PASSWORD = 'Zq8rT2vX9kLm4nPw';
const TERMINATION_SECRET = 'Hx7Qp2Lm9Vr4Tn8Kd3Fs';
const POD_TOKEN = 'aB3dE5gH7jK9mN1pQ3sTu';
const GITHUB_TOKEN = 'ghp_R4nD0mT0k3nV4lu3F0rT3st1ngXyZ12345';
const JWT =
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsb2FkZXIiLCJpYXQiOjE3NzI0MTAwMDB9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
const SECRETS = [DB_PASSWORD, TERMINATION_SECRET, POD_TOKEN, GITHUB_TOKEN, JWT];

const LOAD: CronJobSpec = {
  namespace: 'etl',
  name: 'warehouse-load',
  annotations: {'cronjob-watcher/log-lines': '5'},
};
const LOAD_FAILED: RunSpec = {
  scheduledAt: '2026-03-02T01:00:00Z',
  outcome: 'failed',
  finishedAt: '2026-03-02T01:06:30Z',
  reason: 'PodFailurePolicy',
  message: `pg_dump: connection to postgres://loader:${DB_PASSWORD}@db.internal:5432/warehouse failed`,
  pod: {
    reason: 'Error',
    exitCode: 1,
    message: `fatal: DB_PASSWORD=${TERMINATION_SECRET}`,
    status: {reason: 'Evicted', message: `low on memory; env API_TOKEN=${POD_TOKEN}`},
  },
};
const PURGE: CronJobSpec = {
  namespace: 'mail',
  name: 'purge',
  startingDeadlineSeconds: null,
  failedJobsHistoryLimit: 0,
};

function jobEvent(job: string, reason: string, message: string, at: string): void {
  servers.kube.put({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: {name: `${job}.${reason}`, namespace: PURGE.namespace, creationTimestamp: at},
    involvedObject: {kind: 'Job', namespace: PURGE.namespace, name: job, apiVersion: 'batch/v1'},
    reason,
    message,
    type: 'Warning',
    lastTimestamp: at,
  } as unknown as KubeObject);
}

/** Both CronJobs fail: one with its Job and Pod, one whose Job is gone but for its events. */
function failBoth(): void {
  show(servers.kube, LOAD, [OK_0, LOAD_FAILED]);
  servers.kube.setPodLog(
    LOAD.namespace,
    podNameFor(LOAD, LOAD_FAILED),
    `cloning https://x-access-token:${GITHUB_TOKEN}@github.com/acme/etl.git\nexit 1\n`,
  );
  show(servers.kube, PURGE, [], {
    lastScheduleTime: '2026-03-02T01:00:00Z',
    lastSuccessfulTime: '2026-03-02T00:02:00Z',
  });
  const gone = jobNameFor(PURGE, {scheduledAt: '2026-03-02T01:00:00Z', outcome: 'failed'});
  jobEvent(
    gone,
    'BackoffLimitExceeded',
    `Job has reached the specified backoff limit (last error: Authorization: Bearer ${JWT})`,
    '2026-03-02T01:03:00Z',
  );
}

describe('secrets in what the cluster says', () => {
  it('reach neither Slack nor the store: condition, Pod, termination, log and Event messages are masked', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    show(servers.kube, LOAD, [OK_0]);
    show(servers.kube, PURGE, [], {
      lastScheduleTime: '2026-03-02T00:00:00Z',
      lastSuccessfulTime: '2026-03-02T00:02:00Z',
    });
    await pass(w, '2026-03-02T00:30:00Z');
    failBoth();
    const s = await pass(w, '2026-03-02T01:10:00Z');
    assert.deepEqual(s.errors, []);
    assert.deepEqual(s.transitions.map(t => `${t.name}:${t.kind}`).sort(), [
      'purge:opened',
      'warehouse-load:opened',
    ]);

    const slack = posted();
    const stored = JSON.stringify(await w.store.loadCluster(CLUSTER_ID, {reads: 0, writes: 0}));
    for (const secret of SECRETS) {
      assert.ok(!slack.includes(secret), `${secret} reached Slack`);
      assert.ok(!stored.includes(secret), `${secret} was stored`);
    }
    // What failed stays readable around each mask.
    for (const [where, text] of [
      ['Slack', slack],
      ['the store', stored],
    ] as const) {
      for (const kept of [
        `postgres://loader:${MASK}@db.internal:5432/warehouse`,
        `API_TOKEN=${MASK}`,
        `Authorization: Bearer ${MASK}`,
        `https://x-access-token:${MASK}@github.com/acme/etl.git`,
      ]) {
        assert.ok(text.includes(kept), `${where} shows ${kept}`);
      }
    }
    await w.close();
  });

  it('when masking cannot run, the texts are replaced whole and the excerpt is left out, reported once', async () => {
    const w = await world(servers.kubeconfig, servers.slack, {fileStore: true});
    show(servers.kube, LOAD, [OK_0]);
    show(servers.kube, PURGE, [], {
      lastScheduleTime: '2026-03-02T00:00:00Z',
      lastSuccessfulTime: '2026-03-02T00:02:00Z',
    });
    await pass(w, '2026-03-02T00:30:00Z');
    failBoth();
    const broken = () => Promise.reject(new Error('secretlint is not installed'));
    const s = await pass(w, '2026-03-02T01:10:00Z', {maskSecrets: broken});
    assert.deepEqual(
      s.errors.map(e => e.code),
      ['MASKING_FAILED'],
    );
    assert.equal(s.opened, 2, 'the incidents open all the same');
    const stored = JSON.stringify(await w.store.loadCluster(CLUSTER_ID, {reads: 0, writes: 0}));
    const slack = posted();
    for (const secret of SECRETS) {
      assert.ok(!slack.includes(secret) && !stored.includes(secret), secret);
    }
    assert.ok(!stored.includes('db.internal'), 'the condition message is replaced whole');
    assert.ok(stored.includes('could not mask the log'));
    await w.close();
  });
});

describe('the masking step', () => {
  it('masks every text of a Pod, the termination message included, each distinct text once', async () => {
    const calls: string[] = [];
    const masking = new TextMasking(
      text => {
        calls.push(text);
        return maskSecrets(text);
      },
      error => assert.fail(String(error)),
    );
    const pod = (name: string): PodInfo => ({
      namespace: 'etl',
      name,
      jobUid: 'u',
      jobName: 'j',
      phase: 'Failed',
      reason: 'Evicted',
      message: `env API_TOKEN=${POD_TOKEN}`,
      terminations: [
        {container: 'main', reason: 'Error', exitCode: 1, message: `DB_PASSWORD=${DB_PASSWORD}`},
      ],
      waiting: [{container: 'side', reason: 'CrashLoopBackOff', message: `Bearer ${JWT}`}],
      unschedulable: null,
      restarts: 0,
      createdAt: null,
    });
    const [first, second] = await masking.apply(map => mapPodTexts([pod('a'), pod('b')], map));
    assert.deepEqual([first?.name, second?.name], ['a', 'b']);
    for (const masked of [first, second]) {
      assert.equal(masked?.message, `env API_TOKEN=${MASK}`);
      assert.equal(masked?.terminations[0]?.message, `DB_PASSWORD=${MASK}`);
      assert.equal(masked?.waiting[0]?.message, `Bearer ${MASK}`);
    }
    assert.equal(calls.length, 3, 'two Pods saying the same: three texts masked once each');
    await masking.apply(map => mapPodTexts([pod('c')], map));
    assert.equal(calls.length, 3, 'and not again in the same pass');
  });
});
