/**
 * Issue 13, point 2: the two windows where Slack has a message the record still owes, through
 * `runPass` with the real SlackNotifier talking to the local Slack API and incidents in the
 * Firestore emulator:
 * (a) the pass dies after Slack accepted the message and before the delivery is recorded (its
 *     claim expires): simulated by a store that stops answering once Slack took the post;
 * (b) a request times out (or its connection is cut) after Slack posted the message.
 * Before sending again, the notifier looks the notification id up in the channel's history
 * (`conversations.history`, metadata included) and adopts the message it finds: one message
 * per transition, and the closing message threads under the adopted one. Without the history
 * scope it warns once and sends as before.
 */
import {after, afterEach, before, beforeEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {MAX_ATTEMPTS} from '../../functions/adapters/slack-notifier.js';
import type {IncidentStore} from '../../functions/ports.js';
import {dyingStore} from '../support/dying-store.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {startSlackApiServer, type SlackApiServer} from '../support/slack-api-server.js';
import {jobNameFor, uidFor, type CronJobSpec} from '../support/scenario.js';
import {
  CHANNEL,
  CONTEXT,
  cronJobRecords,
  deliveredById,
  FAIL_1,
  notificationIdOf,
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
const INCIDENT_ID = `${BACKUP_UID}/${uidFor('job', 'backups', jobNameFor(BACKUP, FAIL_1))}`;
const OPENED_ID = `${INCIDENT_ID}/opened`;
const CLOSED_ID = `${INCIDENT_ID}/closed`;

let kube: KubeApiServer;
let kubeconfig: string;
let slack: SlackApiServer;
/** The Slack server's clock follows the pass being run, so `ts` values are on its timeline. */
let clockMs = 0;
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
});
afterEach(async () => {
  await slack.close();
  for (const w of worlds.splice(0)) await w.close();
});

async function setUp(
  options: {historyScope?: boolean; worldOptions?: Parameters<typeof world>[2]} = {},
): Promise<World> {
  slack = await startSlackApiServer({
    token: TOKEN,
    clock: () => clockMs,
    ...(options.historyScope === undefined ? {} : {historyScope: options.historyScope}),
  });
  const w = await world(kubeconfig, slack, options.worldOptions ?? {});
  worlds.push(w);
  show(kube, BACKUP, [OK_0]);
  assert.deepEqual((await at(w, '2026-03-02T00:30:00Z')).errors, []);
  show(kube, BACKUP, [OK_0, FAIL_1]);
  return w;
}

function at(w: Pick<World, 'source' | 'store' | 'notifier'>, time: string) {
  clockMs = Date.parse(time);
  return pass(w, time);
}

/** The store as a pass sees it when its process dies right after Slack took the post. */
function dyingOnceSlackAccepted(store: IncidentStore): IncidentStore {
  return dyingStore(store, () => slack.accepted().some(c => c.method === 'chat.postMessage'));
}

function historyCalls() {
  return slack.calls.filter(c => c.method === 'conversations.history');
}

/** The opening message as Slack holds it (there must be exactly one). */
function openingTs(): string {
  const posts = slack.accepted().filter(c => notificationIdOf(c) === OPENED_ID);
  assert.equal(posts.length, 1, 'exactly one opening message in the channel');
  return posts[0]!.ts!;
}

/** Closes the incident with OK_3 and checks the closing message threads under `ts`. */
async function closesUnder(w: World, ts: string): Promise<void> {
  show(kube, BACKUP, [OK_0, FAIL_1, OK_3]);
  const s = await at(w, '2026-03-02T03:30:00Z');
  assert.deepEqual(s.errors, []);
  const update = slack.accepted().find(c => c.method === 'chat.update');
  assert.equal(update?.ts, ts, 'the opening message adopted is the one resolved');
  const reply = slack
    .accepted()
    .find(c => c.method === 'chat.postMessage' && notificationIdOf(c) === CLOSED_ID);
  assert.equal(reply?.thread_ts, ts, 'the closing reply threads under the adopted message');
  assert.deepEqual(
    Object.fromEntries(deliveredById(slack)),
    {[OPENED_ID]: 1, [CLOSED_ID]: 1},
    'one message per transition',
  );
}

describe('a lost answer never means a second message', () => {
  it('(a) the pass died after Slack took the message: once the claim expires, the message is found and adopted', async () => {
    const w = await setUp();
    const dying = {...w, store: dyingOnceSlackAccepted(w.store)};
    const first = await at(dying, '2026-03-02T01:30:00Z');
    assert.equal(first.notificationsSent, 1);
    assert.ok(
      first.errors.some(e => /was delivered but could not be recorded/.test(e.message)),
      JSON.stringify(first.errors),
    );
    const ts = openingTs();

    // The dead pass's claim is still live: nobody touches the message.
    const early = await at(w, '2026-03-02T01:31:00Z');
    assert.equal(early.notificationsSent, 0);
    assert.equal(historyCalls().length, 0);

    // Expired: the next pass looks before it sends, finds it, adopts it.
    const later = await at(w, '2026-03-02T01:40:00Z');
    assert.deepEqual(later.errors, []);
    assert.equal(later.notificationsPending, 0);
    assert.equal(historyCalls().length, 1);
    const lookup = historyCalls()[0]!;
    assert.equal(lookup.channel, CHANNEL);
    openingTs();
    const record = (await cronJobRecords(w.store)).get('backups/db-backup') as {
      threads: Array<{ts: string}>;
      outbox: unknown[];
    };
    assert.deepEqual(record.outbox, []);
    assert.deepEqual(
      record.threads.map(t => t.ts),
      [ts],
    );
    await closesUnder(w, ts);
  });

  it('(a) with the message beyond the first page of history: pages through by cursor', async () => {
    const w = await setUp();
    await at({...w, store: dyingOnceSlackAccepted(w.store)}, '2026-03-02T01:30:00Z');
    const ts = openingTs();
    // 450 later messages from others: the lookup (200 a page, newest first) needs page 3.
    slack.seed(
      Array.from({length: 450}, (_, i) => ({
        channel: CHANNEL,
        ts: `${Math.floor(Date.parse('2026-03-02T01:35:00Z') / 1000) + i}.000000`,
      })),
    );
    const later = await at(w, '2026-03-02T01:40:00Z');
    assert.deepEqual(later.errors, []);
    assert.equal(historyCalls().length, 3);
    assert.equal(openingTs(), ts);
  });

  it('(b) a post that timed out after Slack took it: found before the retry, adopted in the same pass', async () => {
    const w = await setUp({worldOptions: {slackTimeoutMs: 300}});
    slack.inject({kind: 'accept-then-hang'}, {times: 1, methods: ['chat.postMessage']});
    const s = await at(w, '2026-03-02T01:30:00Z');
    assert.deepEqual(s.errors, []);
    assert.equal(s.notificationsSent, 1);
    assert.equal(historyCalls().length, 1);
    await closesUnder(w, openingTs());
  });

  it('(b) a post whose connection was cut after Slack took it: found and adopted', async () => {
    const w = await setUp();
    slack.inject({kind: 'accept-then-drop'}, {times: 1, methods: ['chat.postMessage']});
    const s = await at(w, '2026-03-02T01:30:00Z');
    assert.deepEqual(s.errors, []);
    assert.equal(historyCalls().length, 1);
    await closesUnder(w, openingTs());
  });

  it('(b) history unreadable in that pass too: pending, marked unknown; the next pass finds it', async () => {
    const w = await setUp({worldOptions: {slackTimeoutMs: 300}});
    slack.inject({kind: 'accept-then-hang'}, {times: 1, methods: ['chat.postMessage']});
    slack.inject({kind: 'hang'}, {times: MAX_ATTEMPTS, methods: ['conversations.history']});
    const s = await at(w, '2026-03-02T01:30:00Z');
    assert.equal(s.notificationsPending, 1);
    assert.match(
      s.errors[0]?.message ?? '',
      /could not check whether an earlier attempt reached Slack/,
    );
    const record = (await cronJobRecords(w.store)).get('backups/db-backup') as {
      outbox: Array<{lastOutcome?: string; firstAttemptAt?: string}>;
    };
    assert.equal(record.outbox[0]?.lastOutcome, 'unknown');
    assert.equal(record.outbox[0]?.firstAttemptAt, '2026-03-02T01:30:00.000Z');
    // No second post was tried while the first was in doubt.
    assert.equal(slack.calls.filter(c => c.method === 'chat.postMessage').length, 1);

    const next = await at(w, '2026-03-02T01:35:00Z');
    assert.deepEqual(next.errors, []);
    assert.equal(next.notificationsPending, 0);
    await closesUnder(w, openingTs());
  });

  it('without the history scope: one warning, and it sends as before', async () => {
    const warnings: string[] = [];
    const w = await setUp({
      historyScope: false,
      worldOptions: {slackTimeoutMs: 300, notifier: {warn: m => warnings.push(m)}},
    });
    slack.inject({kind: 'accept-then-hang'}, {times: 1, methods: ['chat.postMessage']});
    const s = await at(w, '2026-03-02T01:30:00Z');
    assert.deepEqual(s.errors, []);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /channels:history.*SLACK_HISTORY_LOOKUP=false/);
    assert.ok(!warnings[0]!.includes(TOKEN));
    // Today's behaviour: the lost answer means a second message.
    assert.equal(deliveredById(slack).get(OPENED_ID), 2);
    // Later doubts do not ask again, nor warn again.
    slack.inject({kind: 'accept-then-hang'}, {times: 1, methods: ['chat.postMessage']});
    show(kube, BACKUP, [OK_0, FAIL_1, OK_3]);
    await at(w, '2026-03-02T03:30:00Z');
    assert.equal(warnings.length, 1);
    assert.equal(slack.calls.filter(c => c.method.startsWith('conversations.')).length, 1);
  });

  it('SLACK_HISTORY_LOOKUP=false: never reads the channel', async () => {
    const w = await setUp({worldOptions: {slackTimeoutMs: 300, notifier: {historyLookup: false}}});
    slack.inject({kind: 'accept-then-hang'}, {times: 1, methods: ['chat.postMessage']});
    await at(w, '2026-03-02T01:30:00Z');
    assert.equal(slack.calls.filter(c => c.method.startsWith('conversations.')).length, 0);
    assert.equal(deliveredById(slack).get(OPENED_ID), 2);
  });
});
