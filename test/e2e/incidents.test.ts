/**
 * End to end through the real clients: the Kubernetes API test server read by
 * @kubernetes/client-node, the Cloud Firestore emulator through @google-cloud/firestore, and a
 * local Slack Web API that the real WebClient posts to. Only the clock is ours.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {createSlackClient, SlackNotifier} from '../../functions/adapters/slack-notifier.js';
import {objectsFor, type CronJobSpec} from '../support/scenario.js';
import {CHANNEL, FAIL_1, FAIL_2, OK_0, OK_3, pass, show, TOKEN, world} from '../support/world.js';
import {useLocalServers} from '../support/local-servers.js';

const BACKUP: CronJobSpec = {namespace: 'backups', name: 'db-backup'};
const HEALTHY: CronJobSpec = {namespace: 'reports', name: 'rollup'};

const servers = useLocalServers();

function textOf(call: {text: string | null; blocks: unknown[] | null}): string {
  return `${call.text ?? ''}\n${JSON.stringify(call.blocks ?? [])}`;
}

describe('end to end: Kubernetes test server + Firestore emulator + Slack API', () => {
  it('fail → fail → succeed: one opening message, one thread reply, one update, exact duration', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    show(servers.kube, BACKUP, [OK_0]);
    show(servers.kube, HEALTHY, [OK_0]);
    const first = await pass(w, '2026-03-02T00:30:00Z');
    assert.equal(first.cronJobsSeen, 2);
    assert.equal(servers.slack.calls.length, 0, 'a healthy start sends nothing');

    show(servers.kube, BACKUP, [OK_0, FAIL_1]);
    const opened = await pass(w, '2026-03-02T01:30:00Z');
    assert.deepEqual(opened.errors, []);
    assert.equal(opened.opened, 1);
    assert.equal(opened.notificationsSent, 1);

    show(servers.kube, BACKUP, [OK_0, FAIL_1, FAIL_2]);
    const again = await pass(w, '2026-03-02T02:30:00Z');
    assert.equal(again.failedAgain, 1);
    assert.equal(again.notificationsSent, 0);

    show(servers.kube, BACKUP, [FAIL_2, OK_3]);
    const closed = await pass(w, '2026-03-02T03:30:00Z');
    assert.equal(closed.closed, 1);

    const accepted = servers.slack.accepted();
    const posts = accepted.filter(c => c.method === 'chat.postMessage');
    const updates = accepted.filter(c => c.method === 'chat.update');
    assert.equal(posts.length, 2, 'one opening message and one reply');
    assert.equal(updates.length, 1, 'the opening message updated once');
    const [opening, reply] = posts;
    assert.equal(opening?.thread_ts, null);
    assert.match(textOf(opening!), /db-backup/);
    assert.match(textOf(opening!), /BackoffLimitExceeded/);
    assert.equal(reply?.thread_ts, opening?.ts, 'the closing message replies in the thread');
    assert.equal(updates[0]?.ts, opening?.ts, 'the update targets the opening message');
    // Opened at 01:06:30 (the Failed condition), closed at 03:11:35 (completionTime): 2h 5m.
    assert.match(textOf(reply!), /2h 5m/);
    assert.match(textOf(reply!), /2 failed runs/);

    const rerun = await pass(w, '2026-03-02T03:35:00Z');
    assert.equal(
      servers.slack.calls.length,
      accepted.length,
      'running the pass again sends nothing',
    );
    assert.equal(rerun.store.writes, 0, 'and writes nothing');
    await w.close();
  });

  it('ten concurrent passes over a new failure send exactly one message', async () => {
    const projectId = `e2e-${randomUUID().slice(0, 8)}`;
    const w = await world(servers.kubeconfig, servers.slack, {projectId});
    show(servers.kube, BACKUP, [OK_0]);
    await pass(w, '2026-03-02T00:30:00Z');
    show(servers.kube, BACKUP, [OK_0, FAIL_1]);
    // Ten function instances: separate clients, one database.
    const instances = await Promise.all(
      Array.from({length: 10}, () => world(servers.kubeconfig, servers.slack, {projectId})),
    );
    const summaries = await Promise.all(instances.map(i => pass(i, '2026-03-02T01:30:00Z')));
    await Promise.all(instances.map(i => i.close()));
    assert.equal(servers.slack.accepted().filter(c => c.method === 'chat.postMessage').length, 1);
    assert.equal(
      summaries.reduce((n, s) => n + s.notificationsSent, 0),
      1,
    );
    // Ten writers on one document: a busy emulator (or Firestore) may abort some transactions
    // after their retries. That is reported as what it is, and loses nothing: what a pass could
    // not record, the next pass finds done or does, once.
    const errors = summaries.flatMap(s => s.errors);
    assert.ok(
      errors.every(e => e.scope === 'record' && e.code === 'ABORTED'),
      JSON.stringify(errors),
    );
    const next = await pass(w, '2026-03-02T01:35:00Z');
    assert.deepEqual(next.errors, []);
    assert.equal(next.notificationsSent, 0);
    assert.equal(servers.slack.accepted().filter(c => c.method === 'chat.postMessage').length, 1);
    await w.close();
  });

  it('Slack down during the pass: the message stays pending and the next pass sends it, once', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    show(servers.kube, BACKUP, [OK_0]);
    await pass(w, '2026-03-02T00:30:00Z');
    show(servers.kube, BACKUP, [OK_0, FAIL_1]);
    servers.slack.inject({kind: 'http', status: 503}, {times: 100});
    // The notifier's backoff between retries is recorded, not slept.
    const waits: number[] = [];
    const impatient = new SlackNotifier(
      createSlackClient({token: TOKEN, apiUrl: servers.slack.apiUrl}),
      {
        channel: CHANNEL,
        sleep: async ms => {
          waits.push(ms);
        },
      },
    );
    const during = await pass({...w, notifier: impatient}, '2026-03-02T01:30:00Z', {
      budgetMs: 5_000,
    });
    assert.ok(waits.length > 0, 'transient Slack errors were retried within the pass');
    assert.equal(during.opened, 1);
    assert.equal(during.notificationsSent, 0);
    assert.equal(during.notificationsPending, 1);
    assert.ok(during.errors.some(e => e.scope === 'notify'));
    assert.equal(servers.slack.accepted().length, 0);
    assert.ok(!JSON.stringify(during).includes(TOKEN), 'the token never appears in the summary');

    await servers.restartSlack();
    const w2 = {
      ...w,
      notifier: new SlackNotifier(createSlackClient({token: TOKEN, apiUrl: servers.slack.apiUrl}), {
        channel: CHANNEL,
      }),
    };
    const next = await pass(w2, '2026-03-02T01:35:00Z');
    assert.equal(next.notificationsSent, 1);
    assert.equal(next.notificationsPending, 0);
    assert.equal(servers.slack.accepted().filter(c => c.method === 'chat.postMessage').length, 1);
    const again = await pass(w2, '2026-03-02T01:40:00Z');
    assert.equal(again.notificationsSent, 0);
    // The 503s left the first attempts' outcome unknown, so the next pass looked in the
    // channel's history before posting (a read, not a message).
    assert.equal(servers.slack.accepted().filter(c => c.method === 'chat.postMessage').length, 1);
    await w.close();
  });

  it('a CronJob deleted while failing closes its incident, saying so; an unreadable cluster closes nothing', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    show(servers.kube, BACKUP, [OK_0, FAIL_1]);
    show(servers.kube, HEALTHY, [OK_0]);
    const first = await pass(w, '2026-03-02T01:30:00Z');
    assert.equal(first.opened, 1);

    const outage = servers.kube.inject({
      match: '/apis/batch/v1/cronjobs',
      action: {type: 'status', code: 500},
    });
    servers.kube.remove('CronJob', BACKUP.namespace, BACKUP.name);
    const blind = await pass(w, '2026-03-02T01:35:00Z');
    assert.equal(blind.closed, 0, 'absence from a failed read is not evidence');
    assert.equal(blind.stillOpen, 1);
    outage.remove();

    const gone = await pass(w, '2026-03-02T01:40:00Z');
    assert.equal(gone.closed, 1);
    const reply = servers.slack
      .accepted()
      .find(c => c.method === 'chat.postMessage' && c.thread_ts !== null);
    assert.match(textOf(reply!), /Closed after 33m 30s: the CronJob was deleted/);
    const again = await pass(w, '2026-03-02T01:45:00Z');
    assert.equal(again.stillOpen, 0);
    assert.equal(again.store.writes, 0);
    await w.close();
  });

  it('a nothing-changed pass reads in proportion to open incidents and writes nothing', async () => {
    const w = await world(servers.kubeconfig, servers.slack);
    const many: CronJobSpec[] = Array.from({length: 30}, (_, i) => ({
      namespace: 'fleet',
      name: `job-${i}`,
    }));
    servers.kube.load({cronJobs: [], jobs: [], pods: []});
    for (const [i, cj] of many.entries()) {
      const objects = objectsFor(cj, [i < 2 ? FAIL_1 : OK_0]);
      servers.kube.put(objects.cronJob);
      objects.jobs.forEach(job => servers.kube.put(job));
    }
    const first = await pass(w, '2026-03-02T01:30:00Z');
    assert.equal(first.opened, 2);
    const quiet = await pass(w, '2026-03-02T01:35:00Z');
    assert.equal(quiet.store.writes, 0);
    assert.equal(quiet.store.reads, 1 + 2, 'one cluster document plus the two open incidents');
    assert.equal(quiet.stillOpen, 2);
    await w.close();
  });
});
