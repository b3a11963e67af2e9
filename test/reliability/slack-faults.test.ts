/**
 * Issue 6, point 1: Slack faults through `runPass`, with the real SlackNotifier talking to the
 * local Slack API and incidents in the Firestore emulator. Transient faults are retried within
 * the pass (waits recorded, not slept); the rest are reported with what to do. Either way the
 * transition stays recorded, its message pending, and a later pass delivers it exactly once.
 */
import {after, afterEach, before, beforeEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {MAX_ATTEMPTS} from '../../functions/adapters/slack-notifier.js';
import type {PassSummary} from '../../functions/pass.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {
  startSlackApiServer,
  type FakeChannel,
  type SlackApiServer,
  type SlackErrorCode,
} from '../support/slack-api-server.js';
import {jobNameFor, uidFor, type CronJobSpec} from '../support/scenario.js';
import {
  CHANNEL,
  CONTEXT,
  cronJobRecords,
  deliveredById,
  deliveredFor,
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
const BACKUP_UID = uidFor('cronjob', BACKUP.namespace, BACKUP.name);

let kube: KubeApiServer;
let kubeconfig: string;
let slack: SlackApiServer;
let channels: FakeChannel[];
const worlds: World[] = [];

before(async () => {
  kube = await startKubeApiServer({});
  kubeconfig = await kube.writeKubeconfig({context: CONTEXT});
});
after(async () => {
  await kube.close();
});
beforeEach(async () => {
  kube.load({cronJobs: [], jobs: [], pods: []});
  // Kept by reference by the server: a test "invites the app" by changing it.
  channels = [{id: CHANNEL, name: 'alerts'}];
  slack = await startSlackApiServer({token: TOKEN, channels});
});
afterEach(async () => {
  await slack.close();
  for (const w of worlds.splice(0)) await w.close();
});

async function newWorld(options: Parameters<typeof world>[2] = {}): Promise<World> {
  const w = await world(kubeconfig, slack, options);
  worlds.push(w);
  return w;
}

/** Baseline (healthy), then a failure the pass must announce. */
async function failingBackup(w: World): Promise<void> {
  show(kube, BACKUP, [OK_0]);
  const first = await pass(w, '2026-03-02T00:30:00Z');
  assert.deepEqual(first.errors, []);
  show(kube, BACKUP, [OK_0, FAIL_1]);
}

function notifyErrors(summary: PassSummary) {
  return summary.errors.filter(e => e.scope === 'notify');
}

/** The outbox of the backup record as stored, by notification id, with attempts. */
async function outbox(
  w: World,
): Promise<Array<{id: string; attempts: number; lastError: string | null}>> {
  const record = (await cronJobRecords(w.store)).get('backups/db-backup') as {
    outbox: Array<{id: string; attempts: number; lastError: string | null}>;
  } | null;
  return (record?.outbox ?? []).map(n => ({
    id: n.id,
    attempts: n.attempts,
    lastError: n.lastError,
  }));
}

const OPENED_ID = `${BACKUP_UID}/${uidFor('job', 'backups', jobNameFor(BACKUP, FAIL_1))}/opened`;

describe('Slack faults through runPass (real SlackNotifier, local Slack API, Firestore emulator)', () => {
  it('without a fault: one message, under the notification id the other tests count by', async () => {
    const w = await newWorld();
    await failingBackup(w);
    const s = await pass(w, '2026-03-02T01:30:00Z');
    assert.equal(s.notificationsSent, 1);
    assert.deepEqual([...deliveredById(slack).keys()], [OPENED_ID]);
  });

  it('429 with Retry-After inside the budget: waits what Slack asked and delivers in the same pass', async () => {
    const w = await newWorld();
    await failingBackup(w);
    slack.inject({kind: 'rate-limit', retryAfterSeconds: 3}, {times: 1});
    const s = await pass(w, '2026-03-02T01:30:00Z');
    assert.deepEqual(w.waits, [3000], 'Retry-After seconds, honoured exactly');
    assert.deepEqual(s.errors, []);
    assert.equal(s.notificationsSent, 1);
    assert.equal(s.notificationsPending, 0);
    assert.deepEqual(
      slack.calls.map(c => c.outcome),
      ['http:429', 'ok'],
    );
    assert.deepEqual(deliveredFor(slack, BACKUP_UID), [OPENED_ID]);
  });

  it('429 with a Retry-After beyond the budget: no wait, pending, reported; the next pass sends it once', async () => {
    const w = await newWorld();
    await failingBackup(w);
    slack.inject({kind: 'rate-limit', retryAfterSeconds: 3600}, {times: 1});
    const s = await pass(w, '2026-03-02T01:30:00Z', {budgetMs: 60_000});
    assert.deepEqual(w.waits, [], 'an hour does not fit a one-minute budget: not waited');
    assert.equal(s.opened, 1, 'the transition is recorded');
    assert.equal(s.notificationsSent, 0);
    assert.equal(s.notificationsPending, 1);
    const [error] = notifyErrors(s);
    assert.equal(error?.code, 'SLACK_RATE_LIMITED');
    assert.equal(error?.cluster, 'prod-eu');
    assert.equal(error?.cronJob, 'backups/db-backup');
    assert.match(error?.message ?? '', /rate-limited .*retry after 3600 s.*later pass/);
    assert.deepEqual(await outbox(w), [
      {
        id: OPENED_ID,
        attempts: 1,
        lastError: error?.message.split('not delivered: ')[1] ?? '',
      },
    ]);

    const next = await pass(w, '2026-03-02T01:35:00Z');
    assert.deepEqual(next.errors, []);
    assert.equal(next.notificationsSent, 1);
    assert.equal(next.notificationsPending, 0);
    assert.deepEqual(deliveredFor(slack, BACKUP_UID), [OPENED_ID]);
    const quiet = await pass(w, '2026-03-02T01:40:00Z');
    assert.equal(quiet.notificationsSent, 0);
    assert.deepEqual(deliveredFor(slack, BACKUP_UID), [OPENED_ID], 'exactly once');
  });

  for (const status of [500, 502, 503, 504] as const) {
    it(`HTTP ${status} once: retried after 1 s (recorded) and delivered in the same pass`, async () => {
      const w = await newWorld();
      await failingBackup(w);
      slack.inject({kind: 'http', status}, {times: 1});
      const s = await pass(w, '2026-03-02T01:30:00Z');
      assert.deepEqual(w.waits, [1000]);
      assert.deepEqual(s.errors, []);
      assert.equal(s.notificationsSent, 1);
      assert.deepEqual(deliveredFor(slack, BACKUP_UID), [OPENED_ID]);
    });
  }

  it('HTTP 503 on every attempt: backoff 1/2/4 s, then pending; the next pass delivers it once', async () => {
    const w = await newWorld();
    await failingBackup(w);
    // Posts only: the lookups between attempts (a 5xx may have posted) read history.
    slack.inject({kind: 'http', status: 503}, {times: MAX_ATTEMPTS, methods: ['chat.postMessage']});
    const s = await pass(w, '2026-03-02T01:30:00Z');
    assert.deepEqual(w.waits, [1000, 2000, 4000]);
    assert.equal(slack.calls.filter(c => c.method === 'chat.postMessage').length, MAX_ATTEMPTS);
    // Before each retry the channel is searched (a 5xx may have posted it): not there.
    assert.equal(
      slack.calls.filter(c => c.method === 'conversations.history').length,
      MAX_ATTEMPTS - 1,
    );
    assert.equal(s.opened, 1);
    assert.equal(s.notificationsPending, 1);
    assert.equal(notifyErrors(s)[0]?.code, 'SLACK_HTTP_ERROR');
    assert.match(notifyErrors(s)[0]?.message ?? '', /HTTP 503.*later pass retries/);

    const next = await pass(w, '2026-03-02T01:35:00Z');
    assert.deepEqual(next.errors, []);
    assert.equal(next.notificationsSent, 1);
    await pass(w, '2026-03-02T01:40:00Z');
    assert.deepEqual(deliveredFor(slack, BACKUP_UID), [OPENED_ID]);
  });

  it('a hung request: cut by the request timeout, retried, delivered in the same pass', async () => {
    const w = await newWorld({slackTimeoutMs: 300});
    await failingBackup(w);
    slack.inject({kind: 'hang'}, {times: 1});
    const s = await pass(w, '2026-03-02T01:30:00Z');
    assert.deepEqual(w.waits, [1000]);
    assert.deepEqual(s.errors, []);
    assert.equal(s.notificationsSent, 1);
    assert.deepEqual(deliveredFor(slack, BACKUP_UID), [OPENED_ID]);
  });

  it('Slack hangs on every attempt: SLACK_TIMEOUT, pending; the next pass delivers it once', async () => {
    const w = await newWorld({slackTimeoutMs: 300});
    await failingBackup(w);
    slack.inject({kind: 'hang'}, {times: MAX_ATTEMPTS, methods: ['chat.postMessage']});
    const s = await pass(w, '2026-03-02T01:30:00Z');
    assert.equal(slack.calls.filter(c => c.outcome === 'hung').length, MAX_ATTEMPTS);
    assert.equal(s.notificationsPending, 1);
    assert.equal(notifyErrors(s)[0]?.code, 'SLACK_TIMEOUT');
    assert.match(notifyErrors(s)[0]?.message ?? '', /did not answer chat\.postMessage/);

    const next = await pass(w, '2026-03-02T01:35:00Z');
    assert.equal(next.notificationsSent, 1);
    await pass(w, '2026-03-02T01:40:00Z');
    // The hung requests are still held by the server, never answered: only one message exists.
    assert.deepEqual(deliveredFor(slack, BACKUP_UID), [OPENED_ID]);
  });

  const needsAPerson: Array<{
    error: SlackErrorCode;
    code: string;
    says: RegExp;
    /** Make the fault real (not injected) where the fake workspace can. */
    arrange?: () => {fix: () => void; channel?: string};
  }> = [
    {
      error: 'invalid_auth',
      code: 'SLACK_AUTH',
      says: /rejected the bot token \(invalid_auth\).*SLACK_BOT_TOKEN/,
    },
    {
      error: 'channel_not_found',
      code: 'SLACK_CHANNEL_NOT_FOUND',
      says: /no channel C0GONE0001 .*check SLACK_CHANNEL/,
      arrange: () => {
        // The channel the watcher is configured for does not exist until someone creates it.
        return {fix: () => channels.push({id: 'C0GONE0001', name: 'gone'}), channel: 'C0GONE0001'};
      },
    },
    {
      error: 'not_in_channel',
      code: 'SLACK_NOT_IN_CHANNEL',
      says: /not a member of C0ALERTS01: invite it \(type \/invite @<app name> in C0ALERTS01\)/,
      arrange: () => {
        channels[0]!.member = false;
        return {fix: () => (channels[0]!.member = true)};
      },
    },
    {
      error: 'is_archived',
      code: 'SLACK_CHANNEL_ARCHIVED',
      says: /C0ALERTS01 is archived: unarchive it or set SLACK_CHANNEL/,
      arrange: () => {
        channels[0]!.archived = true;
        return {fix: () => (channels[0]!.archived = false)};
      },
    },
  ];

  for (const fault of needsAPerson) {
    it(`${fault.error}: not retried, reported with what to do, pending until fixed, then sent once`, async () => {
      const arranged = fault.arrange?.();
      const w = await newWorld(arranged?.channel ? {channel: arranged.channel} : {});
      await failingBackup(w);
      if (arranged === undefined) slack.inject({kind: 'error', error: fault.error}, {times: 1});
      const s = await pass(w, '2026-03-02T01:30:00Z');
      assert.equal(slack.calls.length, 1, 'a fault that needs a person is not retried');
      assert.equal(slack.calls[0]?.outcome, `error:${fault.error}`, 'the fault is real');
      assert.deepEqual(w.waits, []);
      assert.equal(s.opened, 1);
      assert.equal(s.notificationsSent, 0);
      assert.equal(s.notificationsPending, 1);
      assert.equal(s.complete, true, 'the state is complete; only the message waits');
      const errors = notifyErrors(s);
      assert.equal(errors.length, 1);
      assert.equal(errors[0]?.code, fault.code);
      assert.match(errors[0]?.message ?? '', fault.says);
      assert.match(errors[0]?.message ?? '', /^prod-eu: backups\/db-backup: opened not delivered/);

      // Still broken on the next pass: still pending, still no message, one more attempt.
      if (arranged === undefined) slack.inject({kind: 'error', error: fault.error}, {times: 1});
      const still = await pass(w, '2026-03-02T01:35:00Z');
      assert.equal(still.notificationsPending, 1);
      assert.equal(still.opened, 0, 'the transition is not decided again');
      assert.equal((await outbox(w))[0]?.attempts, 2);

      arranged?.fix();
      const fixed = await pass(w, '2026-03-02T01:40:00Z');
      assert.deepEqual(fixed.errors, []);
      assert.equal(fixed.notificationsSent, 1);
      assert.equal(fixed.notificationsPending, 0);
      await pass(w, '2026-03-02T01:45:00Z');
      assert.deepEqual(deliveredFor(slack, BACKUP_UID), [OPENED_ID]);
      assert.deepEqual(await outbox(w), []);
    });
  }

  it('opened and closed before the opening message could be sent: one message that says both', async () => {
    channels[0]!.member = false;
    const w = await newWorld();
    await failingBackup(w);
    const during = await pass(w, '2026-03-02T01:30:00Z');
    assert.equal(during.opened, 1);
    assert.equal(during.notificationsPending, 1);

    show(kube, BACKUP, [OK_0, FAIL_1, FAIL_2, OK_3]);
    channels[0]!.member = true;
    const after = await pass(w, '2026-03-02T03:30:00Z');
    assert.deepEqual(after.errors, []);
    assert.equal(after.failedAgain, 1);
    assert.equal(after.recovered, 1);
    assert.equal(after.closed, 0);
    assert.equal(after.notificationsSent, 1);
    await pass(w, '2026-03-02T03:35:00Z');

    const accepted = slack.accepted();
    assert.equal(accepted.length, 1, 'one message, no update, no reply');
    const incident = OPENED_ID.replace(/\/opened$/, '');
    assert.deepEqual(deliveredFor(slack, BACKUP_UID), [`${incident}/recovered`]);
    const text = `${accepted[0]?.text ?? ''} ${JSON.stringify(accepted[0]?.blocks)}`;
    assert.match(text, /db-backup failed .* and recovered after /);
    assert.match(text, /\((Error \(exit \d+\)|BackoffLimitExceeded)\)/, 'says why it failed');
  });

  it('the closing message fails after the update went through: the next pass sends one reply', async () => {
    const w = await newWorld();
    await failingBackup(w);
    await pass(w, '2026-03-02T01:30:00Z');
    show(kube, BACKUP, [FAIL_1, OK_3]);
    // chat.update succeeds; every attempt of the threaded reply fails.
    slack.inject({kind: 'http', status: 502}, {times: MAX_ATTEMPTS, methods: ['chat.postMessage']});
    const s = await pass(w, '2026-03-02T03:30:00Z');
    assert.equal(s.closed, 1);
    assert.equal(s.notificationsPending, 1);
    assert.equal(notifyErrors(s)[0]?.code, 'SLACK_HTTP_ERROR');

    const next = await pass(w, '2026-03-02T03:35:00Z');
    assert.deepEqual(next.errors, []);
    assert.equal(next.notificationsSent, 1);
    await pass(w, '2026-03-02T03:40:00Z');
    const incident = OPENED_ID.replace(/\/opened$/, '');
    assert.deepEqual(deliveredFor(slack, BACKUP_UID), [`${incident}/closed`, OPENED_ID]);
    const opening = slack.accepted().find(c => c.method === 'chat.postMessage')!;
    const reply = slack.accepted().filter(c => c.method === 'chat.postMessage')[1]!;
    assert.equal(reply.thread_ts, opening.ts, 'the reply threads under the opening message');
    // The update is idempotent: done once per attempt of the closing notification, always
    // to the same message, which ends up resolved.
    const updates = slack.accepted().filter(c => c.method === 'chat.update');
    assert.ok(updates.length >= 1 && updates.every(u => u.ts === opening.ts));
    assert.equal(slack.message(CHANNEL, opening.ts!)?.edited, true);
  });
});
