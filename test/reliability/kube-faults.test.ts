/**
 * Issue 6, point 3: Kubernetes faults through `runPass`, read by the real client-node reader
 * from the test API server (paging one object per page, so faults can land mid-listing).
 * Each fault is reported with its cluster and a plain cause, and no CronJob incident opens or
 * closes on data that was missing: the stored records stay as they were, Slack hears nothing.
 * A cluster unreadable for CLUSTER_DOWN_AFTER passes gets its own incident, closed by a good read.
 */
import {after, afterEach, before, beforeEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {PassSummary} from '../../functions/pass.js';
import {
  startKubeApiServer,
  type FaultRule,
  type KubeApiServer,
  type RequestRecord,
} from '../support/kube-api-server.js';
import {startSlackApiServer, type SlackApiServer} from '../support/slack-api-server.js';
import type {CronJobSpec} from '../support/scenario.js';
import {
  CONTEXT,
  cronJobRecords,
  deliveredByKind,
  notificationIdOf,
  FAIL_1,
  FAIL_2,
  OK_0,
  OK_3,
  pass,
  show,
  TOKEN,
  world,
  type World,
} from './helpers.js';

const BACKUP: CronJobSpec = {namespace: 'backups', name: 'db-backup'};
const ROLLUP: CronJobSpec = {namespace: 'reports', name: 'rollup'};
// One object per page: every listing pages, so a fault can hit the middle of one.
const PAGE_SIZE = 1;
// Far longer than any page takes on a loaded machine: a fault must never be a slow answer.
const REQUEST_TIMEOUT_MS = 15_000;
// Only the hung-request case waits for the timeout; it stays short there so the case is quick,
// and it can only be reached by the one request the server never answers.
const HUNG_REQUEST_TIMEOUT_MS = 1_500;

let kube: KubeApiServer;
let kubeconfig: string;
let slack: SlackApiServer;
const worlds: World[] = [];

before(async () => {
  kube = await startKubeApiServer({token: 'kube-bearer-5d1e9c0b7a'});
  kubeconfig = await kube.writeKubeconfig({context: CONTEXT, token: 'kube-bearer-5d1e9c0b7a'});
});
after(async () => {
  await kube.close();
});
beforeEach(async () => {
  kube.load({cronJobs: [], jobs: [], pods: []});
  kube.clearFaults();
  kube.setToken('kube-bearer-5d1e9c0b7a');
  slack = await startSlackApiServer({token: TOKEN});
});
afterEach(async () => {
  await slack.close();
  for (const w of worlds.splice(0)) await w.close();
});

async function newWorld(requestTimeoutMs = REQUEST_TIMEOUT_MS): Promise<World> {
  const w = await world(kubeconfig, slack, {
    fileStore: true,
    pageSize: PAGE_SIZE,
    requestTimeoutMs,
  });
  worlds.push(w);
  return w;
}

/**
 * An incident open on the backup (its message delivered), the rollup healthy; then the
 * cluster changes so that a read would close the one and open the other.
 */
async function openThenChange(w: World): Promise<void> {
  show(kube, BACKUP, [OK_0, FAIL_1]);
  show(kube, ROLLUP, [OK_0]);
  const first = await pass(w, '2026-03-02T01:30:00Z');
  assert.equal(first.opened, 1);
  assert.equal(first.notificationsSent, 1);
  show(kube, BACKUP, [FAIL_1, OK_3]);
  show(kube, ROLLUP, [OK_0, FAIL_2]);
}

const onJobsContinue = (r: RequestRecord) =>
  r.path === '/apis/batch/v1/jobs' && r.query.continue !== undefined;

const faults: Array<{
  name: string;
  rule?: Omit<FaultRule, 'times'>;
  /** For faults that are not injected rules (a real token mismatch). */
  arrange?: () => void;
  code: string;
  says: RegExp;
  /** The reader's request timeout for this case, when not the default. */
  requestTimeoutMs?: number;
}> = [
  {
    name: '401 (the cluster no longer accepts the token)',
    arrange: () => kube.setToken('kube-bearer-rotated-8f2a'),
    code: 'UNAUTHORIZED',
    says: /rejected the credentials \(401 Unauthorized\) when trying to list cronjobs\.batch/,
  },
  {
    name: '403 on the Job list (RBAC lacks jobs)',
    rule: {
      match: '/apis/batch/v1/jobs',
      action: {
        type: 'status',
        code: 403,
        message:
          'jobs.batch is forbidden: User "watcher@p.iam.gserviceaccount.com" cannot list resource "jobs" in API group "batch" at the cluster scope',
      },
    },
    code: 'FORBIDDEN',
    says: /cannot list jobs\.batch at the cluster scope \(403 Forbidden\): .*list on cronjobs, jobs/,
  },
  {
    name: '404 (not a Kubernetes API server, or no batch/v1)',
    rule: {match: '/apis/batch/v1/cronjobs', action: {type: 'status', code: 404}},
    code: 'NOT_FOUND',
    says: /has no \/apis\/batch\/v1\/cronjobs \(404 NotFound\)/,
  },
  {
    name: '500 on the second page of Jobs',
    rule: {match: onJobsContinue, action: {type: 'status', code: 500}},
    code: 'SERVER_ERROR',
    says: /failed to list jobs\.batch at the cluster scope \(500 InternalError\)/,
  },
  {
    name: 'a hung request (second page of Jobs)',
    rule: {match: onJobsContinue, action: {type: 'hang'}},
    code: 'TIMEOUT',
    says: /did not answer GET \/apis\/batch\/v1\/jobs within 1500 ms/,
    requestTimeoutMs: HUNG_REQUEST_TIMEOUT_MS,
  },
  {
    name: '410 Expired in the middle of paging, every time',
    rule: {match: '/apis/batch/v1/jobs', action: {type: 'expire'}},
    code: 'EXPIRED',
    says: /continue token expired \(410 Expired\) again after restarting from the first page/,
  },
  {
    name: 'a body cut off mid-stream (connection dropped)',
    rule: {match: onJobsContinue, action: {type: 'truncate', mode: 'close'}},
    code: 'BAD_RESPONSE',
    says: /closed before the whole answer to GET \/apis\/batch\/v1\/jobs arrived/,
  },
  {
    name: 'a complete response whose JSON is cut',
    rule: {match: onJobsContinue, action: {type: 'truncate', mode: 'end'}},
    code: 'BAD_RESPONSE',
    says: /answer to GET \/apis\/batch\/v1\/jobs is not valid JSON \(application\/json/,
  },
  {
    name: 'an HTML page instead of JSON (a proxy in the way)',
    rule: {match: '/apis/batch/v1/cronjobs', action: {type: 'nonJson'}},
    code: 'BAD_RESPONSE',
    says: /not valid JSON \(text\/html.*502 Bad Gateway/,
  },
];

function clusterErrors(summary: PassSummary) {
  return summary.errors.filter(e => e.scope === 'cluster');
}

describe('Kubernetes faults through runPass (client-node reader, test API server)', () => {
  for (const fault of faults) {
    it(`${fault.name}: reported with the cluster and a plain cause; nothing opens or closes`, async () => {
      const w = await newWorld(fault.requestTimeoutMs);
      await openThenChange(w);
      const before = await cronJobRecords(w.store);
      const slackCalls = slack.calls.length;

      if (fault.rule !== undefined) kube.inject(fault.rule);
      fault.arrange?.();
      const s = await pass(w, '2026-03-02T03:30:00Z');

      assert.equal(s.clusters.length, 1);
      const report = s.clusters[0]!;
      assert.equal(report.name, 'prod-eu');
      assert.equal(report.ok, false);
      assert.equal(report.error?.code, fault.code);
      assert.match(report.error?.message ?? '', /^cluster prod-eu: /, 'names the cluster');
      assert.match(report.error?.message ?? '', fault.says);
      const errors = clusterErrors(s);
      assert.equal(errors.length, 1, JSON.stringify(s.errors));
      assert.deepEqual(
        {cluster: errors[0]?.cluster, code: errors[0]?.code},
        {cluster: 'prod-eu', code: fault.code},
      );
      assert.doesNotMatch(JSON.stringify(s), /kube-bearer/, 'no bearer token in the summary');

      assert.deepEqual(s.transitions, [], 'no incident opens or closes on missing data');
      assert.equal(s.opened + s.closed + s.recovered + s.failedAgain, 0);
      assert.equal(s.stillOpen, 1, 'the open incident is still reported as open');
      assert.deepEqual(await cronJobRecords(w.store), before, 'CronJob records unchanged');
      assert.equal(slack.calls.length, slackCalls, 'Slack hears nothing');

      // The fault clears: the changes the cluster showed all along are now judged.
      kube.clearFaults();
      kube.setToken('kube-bearer-5d1e9c0b7a');
      const healed = await pass(w, '2026-03-02T03:35:00Z');
      assert.deepEqual(healed.errors, []);
      assert.deepEqual(healed.transitions.map(t => `${t.name}:${t.kind}`).sort(), [
        'db-backup:closed',
        'rollup:opened',
      ]);
      assert.deepEqual(deliveredByKind(slack), {opened: 2, closed: 1});
    });
  }

  it(`a cluster unreadable for 3 passes opens one cluster incident; a good read closes it`, async () => {
    const w = await newWorld();
    await openThenChange(w);
    const before = await cronJobRecords(w.store);
    kube.inject({match: '/apis/batch/v1/cronjobs', action: {type: 'status', code: 503}});

    const down: PassSummary[] = [];
    for (const [i, at] of ['03:30', '03:35', '03:40', '03:45'].entries()) {
      const s = await pass(w, `2026-03-02T${at}:00Z`);
      down.push(s);
      assert.equal(s.clusters[0]?.error?.code, 'SERVER_ERROR', `pass ${i + 1}`);
    }
    assert.deepEqual(
      down.map(s => s.opened),
      [0, 0, 1, 0],
      'opens on the third failing pass, once',
    );
    assert.deepEqual(down[2]?.transitions, [
      {
        kind: 'opened',
        incidentKind: 'cluster-unreadable',
        incidentId: 'cluster:kubeconfig/reliability@2026-03-02T03:30:00.000Z',
        job: null,
        cluster: 'prod-eu',
        namespace: '',
        name: '',
      },
    ]);
    assert.deepEqual(await cronJobRecords(w.store), before, 'no CronJob incident moved meanwhile');
    const clusterMessages = slack
      .accepted()
      .filter(c => c.method === 'chat.postMessage' && notificationIdOf(c)?.startsWith('cluster:'));
    assert.equal(clusterMessages.length, 1, 'one message for the cluster');
    const text = `${clusterMessages[0]?.text} ${JSON.stringify(clusterMessages[0]?.blocks)}`;
    assert.match(text, /prod-eu/);
    assert.match(text, /503|SERVER_ERROR|InternalError|ServiceUnavailable/);

    kube.clearFaults();
    const up = await pass(w, '2026-03-02T03:50:00Z');
    assert.deepEqual(up.errors, []);
    assert.deepEqual(up.transitions.map(t => `${t.name || '(cluster)'}:${t.kind}`).sort(), [
      '(cluster):closed',
      'db-backup:closed',
      'rollup:opened',
    ]);
    await pass(w, '2026-03-02T03:55:00Z');
    const counts = deliveredByKind(slack);
    // Backup opened (before), cluster opened, rollup opened; cluster closed, backup closed.
    assert.deepEqual(counts, {opened: 3, closed: 2});
  });
});
