/**
 * Issue 22 §2-4 end to end: maintenance windows, reminders and the daily digest, through the
 * real clients — @kubernetes/client-node reading the Kubernetes test server, the real WebClient
 * posting to the local Slack Web API — on both stores (the Firestore emulator and the file
 * store). Only the pass's clock is ours.
 */
import {describe, it} from 'node:test';
import {randomUUID} from 'node:crypto';
import {mkdtemp} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import {parseConfig} from '../../functions/config.js';
import {StoreError} from '../../functions/core/errors.js';
import type {IncidentStore} from '../../functions/ports.js';
import type {RecordedCall} from '../support/slack-api-server.js';
import type {CronJobSpec} from '../support/scenario.js';
import {
  CHANNEL,
  CLUSTER_NAME,
  failed,
  FAIL_1,
  ok,
  OK_0,
  OK_3,
  pass,
  show,
  TOKEN,
  world,
} from '../support/world.js';
import {useLocalServers} from '../support/local-servers.js';
import {startSlackApiServer} from '../support/slack-api-server.js';

const servers = useLocalServers();

const posts = () => servers.slack.accepted().filter(c => c.method === 'chat.postMessage');
const updates = () => servers.slack.accepted().filter(c => c.method === 'chat.update');

function textOf(call: RecordedCall | undefined): string {
  assert.ok(call !== undefined, 'the call was made');
  return `${call.text ?? ''}\n${JSON.stringify(call.blocks ?? [])}`;
}

const BACKUP: CronJobSpec = {namespace: 'backups', name: 'db-backup'};
const STORES = [
  {name: 'Firestore', fileStore: false},
  {name: 'the file store', fileStore: true},
] as const;

describe('maintenance windows, end to end', () => {
  for (const store of STORES) {
    it(`${store.name}: an incident opened in the window is announced when it ends, saying so; one over within it never is`, async () => {
      // Every day 01:00-03:00 UTC for the backups namespace of this cluster.
      const config = parseConfig({
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_CHANNEL: CHANNEL,
        MAINTENANCE: `${CLUSTER_NAME}/backups=0 1 * * * 2h`,
      });
      const w = await world(servers.kubeconfig, servers.slack, {fileStore: store.fileStore});
      const settings = {maintenance: config.maintenance};
      // Its own window by annotation, the same hours: fails at 01:06, fixed at 02:05.
      const brief: CronJobSpec = {
        namespace: 'reports',
        name: 'rollup',
        annotations: {'cronjob-watcher/maintenance': '0 1 * * * 2h'},
      };
      const briefFail = failed('2026-03-02T01:00:00Z', '2026-03-02T01:06:00Z');
      const briefOk = ok('2026-03-02T02:00:00Z', '2026-03-02T02:05:00Z');

      show(servers.kube, BACKUP, [OK_0]);
      show(servers.kube, brief, [OK_0]);
      await pass(w, '2026-03-02T00:30:00Z', settings);

      show(servers.kube, BACKUP, [OK_0, FAIL_1]);
      show(servers.kube, brief, [OK_0, briefFail]);
      const inWindow = await pass(w, '2026-03-02T01:30:00Z', settings);
      assert.deepEqual(inWindow.errors, []);
      assert.equal(inWindow.opened, 2, 'both are recorded');
      assert.equal(inWindow.notificationsSent, 0);
      assert.equal(inWindow.notificationsPending, 2, 'their openings are held');

      show(servers.kube, brief, [briefFail, briefOk]);
      const briefOver = await pass(w, '2026-03-02T02:30:00Z', settings);
      assert.equal(briefOver.closed, 1);
      assert.equal(briefOver.notificationsPending, 1, 'only the one still open waits');
      assert.equal(servers.slack.calls.length, 0, 'nothing reached Slack inside the window');

      const ended = await pass(w, '2026-03-02T03:05:00Z', settings);
      assert.deepEqual(ended.errors, []);
      assert.equal(ended.notificationsSent, 1);
      assert.equal(posts().length, 1);
      assert.match(textOf(posts()[0]), /db-backup/);
      assert.match(textOf(posts()[0]), /Began during the maintenance window/);
      assert.ok(!servers.slack.calls.some(c => /rollup/.test(JSON.stringify(c))));

      show(servers.kube, BACKUP, [FAIL_1, OK_3]);
      const fixed = await pass(w, '2026-03-02T03:30:00Z', settings);
      assert.equal(fixed.closed, 1);
      assert.equal(updates().length, 1);
      assert.equal(posts()[1]?.thread_ts, posts()[0]?.ts, 'its closing threads as usual');
      await w.close();
    });
  }
});

describe('reminders, end to end', () => {
  for (const store of STORES) {
    it(`${store.name}: a reply in the thread a day after it opened, once; passes in between write nothing`, async () => {
      const w = await world(servers.kubeconfig, servers.slack, {fileStore: store.fileStore});
      show(servers.kube, BACKUP, [OK_0]);
      await pass(w, '2026-03-02T00:30:00Z');
      show(servers.kube, BACKUP, [OK_0, FAIL_1]);
      await pass(w, '2026-03-02T01:30:00Z');
      assert.equal(posts().length, 1);

      // FAIL_1 failed at 01:06:30: a day later, not before.
      const quiet = await pass(w, '2026-03-03T01:06:00Z');
      assert.deepEqual(quiet.errors, []);
      assert.equal(quiet.reminded, 0);
      assert.equal(quiet.store.writes, 0, 'a pass with nothing due writes nothing');
      assert.equal(posts().length, 1);

      const due = await pass(w, '2026-03-03T01:10:00Z');
      assert.deepEqual(due.errors, []);
      assert.equal(due.reminded, 1);
      assert.equal(due.notificationsSent, 1);
      const [opening, reminder] = posts();
      assert.equal(reminder?.thread_ts, opening?.ts, 'a thread reply, never top-level');
      assert.match(
        textOf(reminder),
        /Still failing after 1d: 1 failed run so far; latest: BackoffLimitExceeded/,
      );

      const again = await pass(w, '2026-03-03T01:20:00Z');
      assert.equal(again.reminded, 0);
      assert.equal(again.store.writes, 0);
      assert.equal(posts().length, 2, 'sent once');

      // Fixed: the closing reply goes in the same thread as ever.
      show(servers.kube, BACKUP, [FAIL_1, ok('2026-03-03T02:00:00Z', '2026-03-03T02:04:00Z')]);
      const fixed = await pass(w, '2026-03-03T02:30:00Z');
      assert.equal(fixed.closed, 1);
      assert.equal(posts()[2]?.thread_ts, opening?.ts);
      await w.close();
    });
  }
});

describe('the daily digest, end to end', () => {
  for (const store of STORES) {
    it(`${store.name}: once per channel and day, whatever the number of concurrent passes`, async () => {
      const config = parseConfig({
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_CHANNEL: CHANNEL,
        DIGEST_AT: '09:00 Asia/Tokyo',
      });
      const shared = store.fileStore
        ? {fileStore: true, stateDir: await mkdtemp(path.join(os.tmpdir(), 'digest-'))}
        : {projectId: `digest-${randomUUID().slice(0, 8)}`};
      const worlds = await Promise.all(
        [1, 2, 3].map(() => world(servers.kubeconfig, servers.slack, shared)),
      );
      const [w] = worlds;
      assert.ok(w);
      const settings = {digestAt: config.digestAt};
      show(servers.kube, BACKUP, [OK_0]);
      await pass(w, '2026-03-02T00:30:00Z', settings);
      show(servers.kube, BACKUP, [OK_0, FAIL_1]);
      const opened = await pass(w, '2026-03-02T01:30:00Z', settings);
      // 10:30 in Tokyo: that day's digest time had come, with nothing to tell (no incident).
      assert.equal(opened.digestsSent, 0);

      // 09:05 in Tokyo the next day: three function instances at once.
      const concurrent = await Promise.all(
        worlds.map(x => pass(x, '2026-03-03T00:05:00Z', settings)),
      );
      for (const s of concurrent) assert.deepEqual(s.errors, []);
      const digests = () => posts().filter(c => /Daily digest/.test(c.text ?? ''));
      assert.equal(digests().length, 1, 'one digest');
      assert.equal(
        concurrent.reduce((n, s) => n + s.digestsSent, 0),
        1,
      );
      const digest = digests()[0];
      assert.equal(digest?.channel, CHANNEL);
      assert.equal(digest?.thread_ts ?? null, null, 'top-level');
      assert.match(textOf(digest), /Daily digest, 2026-03-03: 1 incident open/);
      assert.match(
        textOf(digest),
        /backups\/db-backup`? · prod-eu: failing, open for 22h 58m, not acknowledged/,
      );

      // From the run history (issue 23): the failed run is the only one recorded since.
      assert.match(textOf(digest), /`backups` · prod-eu: 0% \(0 of 1 run\)/);

      // Later passes that day send nothing more.
      const later = await pass(worlds[1]!, '2026-03-03T03:00:00Z', settings);
      assert.equal(later.digestsSent, 0);
      assert.equal(digests().length, 1);
      // The next day's comes the next day.
      const next = await pass(worlds[2]!, '2026-03-04T00:01:00Z', settings);
      assert.equal(next.digestsSent, 1);
      assert.match(textOf(digests()[1]), /2026-03-04/);
      for (const x of worlds) await x.close();
    });
  }
});

describe('the daily digest when a pass dies after Slack took it', () => {
  it('the next pass finds it in the channel and sends nothing twice', async () => {
    const config = parseConfig({
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_CHANNEL: CHANNEL,
      DIGEST_AT: '09:00 Asia/Tokyo',
    });
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'digest-dies-'));
    // Slack's `ts` is its own clock, which a history lookup compares with the pass's: here both
    // are the test's.
    let clockMs = 0;
    const slack = await startSlackApiServer({
      token: TOKEN,
      channels: [{id: CHANNEL, name: 'alerts'}],
      clock: () => clockMs,
    });
    const w = await world(servers.kubeconfig, slack, {fileStore: true, stateDir});
    const at = (iso: string) => {
      clockMs = Date.parse(iso);
      return iso;
    };
    const posts = () => slack.accepted().filter(c => c.method === 'chat.postMessage');
    const settings = {digestAt: config.digestAt};
    show(servers.kube, BACKUP, [OK_0, FAIL_1]);
    // Without a digest that day: this test is about the next one.
    await pass(w, at('2026-03-02T01:30:00Z'));

    // The process dies between Slack's answer and recording it: the entry keeps its claim.
    const dying: IncidentStore = {
      ...w.store,
      loadCluster: (...a) => w.store.loadCluster(...a),
      update: (...a) => w.store.update(...a),
      updateMany: (...a) => w.store.updateMany(...a),
      baseline: (...a) => w.store.baseline(...a),
      finishCluster: (...a) => w.store.finishCluster(...a),
      flush: (...a) => w.store.flush(...a),
      recentRecords: (...a) => w.store.recentRecords(...a),
      createDigest: (...a) => w.store.createDigest(...a),
      readDigest: (...a) => w.store.readDigest(...a),
      updateDigest: (id, change, deadline) =>
        w.store.updateDigest(
          id,
          current => {
            const next = change(current);
            if (next?.state === 'sent') throw new StoreError('UNAVAILABLE', 'died (simulated)');
            return next;
          },
          deadline,
        ),
    };
    const died = await pass({...w, store: dying}, at('2026-03-03T00:05:00Z'), settings);
    const digests = () => posts().filter(c => /Daily digest/.test(c.text ?? ''));
    assert.equal(digests().length, 1, 'Slack has it');
    assert.ok(died.errors.some(e => /daily digest/.test(e.message)));

    // Before its claim expires, nobody touches it.
    const soon = await pass(w, at('2026-03-03T00:06:00Z'), settings);
    assert.equal(soon.digestsSent, 0);
    assert.equal(digests().length, 1);

    // After: taken over in doubt, found in the channel's history, recorded, not posted again.
    const next = await pass(w, at('2026-03-03T00:15:00Z'), settings);
    assert.deepEqual(next.errors, []);
    assert.equal(digests().length, 1, 'not sent twice');
    assert.ok(slack.calls.some(c => c.method === 'conversations.history'));
    const later = await pass(w, at('2026-03-03T00:20:00Z'), settings);
    assert.equal(later.digestsSent, 0);
    assert.equal(digests().length, 1);
    await w.close();
    await slack.close();
  });
});
