/**
 * The `slackActions` endpoint through real HTTP: signed clicks (Slack's documented algorithm),
 * the file store, the real Slack client against the local Slack server. What a click records,
 * what the channel ends up showing, and everything that must change nothing.
 */
import {afterEach, beforeEach, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {FileIncidentStore} from '../../functions/adapters/file-incident-store.js';
import {createFirestore} from '../../functions/adapters/firestore-incident-store.js';
import {FirestoreIncidentStore} from '../../functions/adapters/firestore-incident-store.js';
import type {SubjectRecord} from '../../functions/core/incident.js';
import {freePort} from '../support/free-port.js';
import {
  CHANNEL,
  CLUSTER,
  click,
  clickPayload,
  formOf,
  INCIDENT,
  KEY,
  nextPassDelivers,
  OPENING_TS,
  openRecord,
  post,
  signed,
  startHarness,
  type Harness,
} from './harness.js';

const usage = () => ({reads: 0, writes: 0});
let dir: string;
let store: FileIncidentStore;
let h: Harness;

async function stored(): Promise<SubjectRecord | null> {
  return store.update(CLUSTER.id, KEY, () => null, usage());
}

async function seed(record: SubjectRecord): Promise<void> {
  await store.update(CLUSTER.id, KEY, () => record, usage());
}

/** What the channel shows: the opening message's blocks and the thread's replies. */
function channel() {
  const messages = h.slack.messagesOf(CHANNEL);
  const opening = messages.find(m => m.ts === OPENING_TS);
  return {
    opening: JSON.stringify(opening?.blocks ?? null),
    replies: messages.filter(m => m.thread_ts === OPENING_TS).map(m => m.text),
  };
}

function writes(): string[] {
  return h.slack.calls.map(c => `${c.method}:${c.outcome}`);
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'slack-actions-'));
  store = new FileIncidentStore({dir});
  await seed(openRecord());
  h = await startHarness(store);
});

afterEach(async () => {
  await h.close();
  await rm(dir, {recursive: true, force: true});
});

describe('a good click', () => {
  it('acknowledge: recorded, the opening message shows who, one reply', async () => {
    // How fast: `npm run bench:actions` (a cold first click here pays for loading the client).
    const answer = await click(h, {user: 'U0ALICE001'});
    assert.equal(answer.status, 200);
    const record = await stored();
    assert.equal(record?.open.failing?.acknowledged?.by, 'U0ALICE001');
    // Delivered before the answer: nothing left for the next pass.
    assert.deepEqual(record?.outbox, []);
    assert.deepEqual(writes(), ['auth.test:ok', 'chat.update:ok', 'chat.postMessage:ok']);
    const shown = channel();
    assert.ok(shown.opening.includes('Acknowledged by <@U0ALICE001>'), shown.opening);
    assert.ok(shown.opening.includes('cronjob-watcher:unacknowledge'));
    assert.ok(!shown.opening.includes('cronjob-watcher:acknowledge"'));
    assert.deepEqual(shown.replies, ['<@U0ALICE001> acknowledged this.']);
    assert.deepEqual(h.slack.responses, []);
  });

  it('snooze 4 hours from the menu: until the click time + 4 h, shown, one reply', async () => {
    const actionTs = (Date.now() / 1000).toFixed(6);
    const until = new Date(Math.round(Number(actionTs) * 1000) + 4 * 3_600_000).toISOString();
    const answer = await click(h, {
      actionId: 'cronjob-watcher:snooze',
      selected: '4h',
      actionTs,
      user: 'U0BOB00002',
    });
    assert.equal(answer.status, 200);
    const snoozed = (await stored())?.open.failing?.snoozed;
    assert.equal(snoozed?.by, 'U0BOB00002');
    assert.equal(snoozed?.until, until);
    const shown = channel();
    assert.ok(shown.opening.includes('Snoozed until <!date^'), shown.opening);
    assert.ok(shown.opening.includes('"value":"end"'), 'the menu offers to end the snooze');
    assert.equal(shown.replies.length, 1);
    assert.match(shown.replies[0] ?? '', /^<@U0BOB00002> snoozed this until <!date\^\d+\^/);
  });
});

describe('requests that change nothing', () => {
  async function refused(status: number, body: string, headers: Record<string, string>) {
    const before = await stored();
    const answer = await post(h.url, body, headers);
    assert.equal(answer.status, status);
    assert.deepEqual(await stored(), before);
    assert.deepEqual(
      h.slack.calls.filter(c => c.method !== 'auth.test'),
      [],
      'nothing was sent to Slack',
    );
    return answer;
  }
  const body = () => formOf(clickPayload({slack: h.slack}));

  it('a bad signature: 401, no detail', async () => {
    const b = body();
    const answer = await refused(401, b, signed(b, undefined, '0'.repeat(32)));
    assert.equal(answer.text, '');
  });

  it('a body changed after signing: 401', async () => {
    const b = body();
    await refused(401, b.replace('U0ALICE001', 'U0MALLORY1'), signed(b));
  });

  it('a stale timestamp (5 min 1 s old) and a future one: 401; 5 min either way is taken', async t => {
    const nowS = 1_772_414_400;
    const clocked = await startHarness(store, {wallNowMs: () => nowS * 1000});
    t.after(() => clocked.close());
    const b = formOf(clickPayload({slack: clocked.slack}));
    assert.equal((await post(clocked.url, b, signed(b, nowS - 301))).status, 401);
    assert.equal((await post(clocked.url, b, signed(b, nowS + 301))).status, 401);
    assert.equal((await stored())?.open.failing?.acknowledged, undefined);
    assert.equal((await post(clocked.url, b, signed(b, nowS + 300))).status, 200);
    assert.equal((await post(clocked.url, b, signed(b, nowS - 300))).status, 200);
    assert.equal((await stored())?.open.failing?.acknowledged?.by, 'U0ALICE001');
  });

  it('a missing signature or timestamp header: 401', async () => {
    const b = body();
    const headers = signed(b);
    await refused(401, b, {'x-slack-request-timestamp': headers['x-slack-request-timestamp']!});
    await refused(401, b, {'x-slack-signature': headers['x-slack-signature']!});
  });

  it('an oversized body (over 64 KiB): 413 before anything reads it', async () => {
    const b = `${body()}&padding=${'x'.repeat(70 * 1024)}`;
    await refused(413, b, signed(b));
  });

  it('another workspace: 403', async () => {
    const b = formOf(clickPayload({slack: h.slack, team: 'T0OTHERS99'}));
    await refused(403, b, signed(b));
  });

  it('an action that is not ours: 400', async () => {
    const b = formOf(clickPayload({slack: h.slack, actionId: 'another-app:approve'}));
    await refused(400, b, signed(b));
  });

  it('a closed incident: the person is told, nothing changes', async () => {
    const closed = {...INCIDENT, closedAt: '2026-03-02T03:00:00Z', ending: null};
    await seed({...openRecord(), open: {}, threads: [], history: [closed]});
    const b = body();
    await refused(200, b, signed(b));
    assert.equal(h.slack.responses.length, 1);
    assert.match(h.slack.responses[0]?.body.text ?? '', /This incident is closed/);
    assert.equal(h.slack.responses[0]?.body.response_type, 'ephemeral');
  });
});

describe('one effect', () => {
  it('the same payload twice: one update, one reply; the second click is told it already is so', async () => {
    const b = formOf(clickPayload({slack: h.slack, user: 'U0ALICE001'}));
    assert.equal((await post(h.url, b, signed(b))).status, 200);
    assert.equal((await post(h.url, b, signed(b))).status, 200);
    assert.deepEqual(writes(), ['auth.test:ok', 'chat.update:ok', 'chat.postMessage:ok']);
    assert.equal(h.slack.responses.length, 1);
    assert.match(
      h.slack.responses[0]?.body.text ?? '',
      /Nothing changed.*Acknowledged by <@U0ALICE001>/s,
    );
  });

  it('two people acknowledging at once: one recorded, the channel shows that one', async () => {
    const [a, b] = await Promise.all([
      click(h, {user: 'U0ALICE001'}),
      click(h, {user: 'U0BOB00002'}),
    ]);
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    const by = (await stored())?.open.failing?.acknowledged?.by;
    assert.ok(by === 'U0ALICE001' || by === 'U0BOB00002');
    const other = by === 'U0ALICE001' ? 'U0BOB00002' : 'U0ALICE001';
    const shown = channel();
    assert.ok(shown.opening.includes(`Acknowledged by <@${by}>`));
    assert.ok(!shown.opening.includes(other));
    assert.deepEqual(shown.replies, [`<@${by}> acknowledged this.`]);
    // The other person sees who did.
    assert.equal(h.slack.responses.length, 1);
    assert.ok(h.slack.responses[0]?.body.text?.includes(`<@${by}>`));
  });
});

describe('faults', () => {
  it('Slack slow to update the message: answered within 3 s, the next delivery finishes', async () => {
    h.slack.inject({kind: 'hang'}, {methods: ['chat.update']});
    const answer = await click(h, {user: 'U0ALICE001'});
    assert.equal(answer.status, 200);
    assert.ok(answer.ms < 3000, `answered in ${answer.ms} ms`);
    const left = await stored();
    assert.equal(left?.open.failing?.acknowledged?.by, 'U0ALICE001', 'the change is recorded');
    assert.deepEqual(
      left?.outbox.map(n => [n.kind, n.attempts, n.claim]),
      [['acted', 1, null]],
      'the update and reply are owed, unclaimed',
    );
    h.slack.releaseHung();
    // What the next scheduled pass runs for this record: the same outbox delivery.
    await nextPassDelivers(store, h.slack);
    assert.deepEqual((await stored())?.outbox, []);
    const shown = channel();
    assert.ok(shown.opening.includes('Acknowledged by <@U0ALICE001>'));
    assert.deepEqual(shown.replies, ['<@U0ALICE001> acknowledged this.'], 'one reply, not two');
  });

  it('the store unreachable: nothing recorded, the person told (nothing changed, or not confirmed), answered within 3 s', async t => {
    const port = await freePort();
    // The SDK prefers this variable to its settings: with the test run's emulator in it, the
    // "unreachable" store would reach that emulator.
    const emulator = process.env.FIRESTORE_EMULATOR_HOST;
    delete process.env.FIRESTORE_EMULATOR_HOST;
    t.after(() => {
      if (emulator !== undefined) process.env.FIRESTORE_EMULATOR_HOST = emulator;
    });
    const firestore = new FirestoreIncidentStore(
      createFirestore({
        GOOGLE_CLOUD_PROJECT: 'unreachable',
        FIRESTORE_EMULATOR_HOST: `127.0.0.1:${port}`,
      }),
    );
    const down = await startHarness(firestore);
    try {
      const answer = await click(down, {user: 'U0ALICE001'});
      assert.equal(answer.status, 200);
      assert.ok(answer.ms < 3000, `answered in ${answer.ms} ms`);
      assert.deepEqual(
        down.slack.calls.map(c => c.method),
        ['auth.test'],
        'no message changed',
      );
      assert.equal(down.slack.responses.length, 1);
      assert.match(
        down.slack.responses[0]?.body.text ?? '',
        /could not be recorded.*nothing changed|not confirmed in time/s,
      );
    } finally {
      await down.close();
    }
  });
});

describe('user groups', () => {
  it('a member acts; anyone else is refused, alone, and nothing changes', async t => {
    const limited = await startHarness(store, {usergroups: ['S0ONCALL01']});
    t.after(() => limited.close());
    const refused = await click(limited, {user: 'U0BOB00002'});
    assert.equal(refused.status, 200);
    assert.equal((await stored())?.open.failing?.acknowledged, undefined);
    assert.match(limited.slack.responses.at(-1)?.body.text ?? '', /Only members/);
    const accepted = await click(limited, {user: 'U0ALICE001'});
    assert.equal(accepted.status, 200);
    assert.equal((await stored())?.open.failing?.acknowledged?.by, 'U0ALICE001');
  });
});
