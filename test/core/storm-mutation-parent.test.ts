/**
 * The storm parent, its roster and its replies, word for word (issue 27, storms, session 7):
 * what each owed message builds, a storm without a language (English), times that cannot be
 * read, the roster's lines, tone and pages, the Japanese words a storm says, and Slack's
 * escaping as the character budgets count it. Aimed at the survivors of the storms group's
 * runs (test/mutation/storms.md); every expected text is written out by hand from the words'
 * meaning (storms/words.ts's comments, the README's "Storms" section) and Slack's rules.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {
  IncidentKind,
  StormMember,
  StormSend,
  StormState,
} from '../../functions/core/incident.js';
import type {Message, Text} from '../../functions/core/messages/model.js';
import {plainOf} from '../../functions/core/messages/pieces.js';
import {
  buildStormMessage,
  buildStormMessages,
  stormActionReply,
} from '../../functions/core/storms/messages.js';
import {
  compactList,
  escapedLength,
  needsRoster,
  rosterMessage,
  rosterPageCount,
} from '../../functions/core/storms/roster.js';
import {STORM_WORDS} from '../../functions/core/storms/words.js';

const ID = '2026-03-02T01:30:00.000Z#';
const NOW = '2026-03-02T02:00:00.000Z';
const CLUSTER = {id: 'kubeconfig/prod', name: 'prod', project: null, location: null};

function member(
  namespace: string,
  name: string,
  extra: {kind?: IncidentKind; reason?: string | null; recoveredAt?: string | null} = {},
): StormMember {
  return {
    key: `${namespace}/${name}`,
    incidentId: `uid-${name}/${name}-1`,
    kind: extra.kind ?? 'failing',
    namespace,
    name,
    reason: extra.reason ?? null,
    recoveredAt: extra.recoveredAt ?? null,
  };
}

function storm(
  members: StormMember[],
  extra: Partial<StormState> = {},
  language: 'en' | 'ja' | null = 'en',
): StormState {
  return {
    id: ID,
    clusterName: 'prod',
    destination: {channel: null, language, mention: null, runbook: null},
    openedAt: '2026-03-02T01:06:00.000Z',
    members,
    parent: {channel: 'C0ALERTS01', ts: '1.0'},
    shown: 0,
    finishedAt: null,
    send: null,
    ...extra,
  };
}

function send(kind: StormSend['kind'], extra: Partial<StormSend> = {}): StormSend {
  return {
    id: `${ID}/${kind}`,
    kind,
    createdAt: NOW,
    attempts: 0,
    lastError: null,
    claim: null,
    ...extra,
  };
}

const two = [member('batch', 'a'), member('batch', 'b')];
const plain = (value: Text | null | undefined) =>
  value === null || value === undefined ? null : plainOf(value);
const field = (message: Message, label: string) =>
  plain(message.fields.find(f => f.label === label)?.value);

describe('what each owed message builds', () => {
  it('the parent posted; a progress update rewrites it as the storm stands', () => {
    const state = storm(two);
    assert.deepEqual(buildStormMessages(send('opened'), state, CLUSTER), {
      kind: 'opened',
      post: buildStormMessage(state, CLUSTER),
    });
    assert.deepEqual(buildStormMessages(send('progress'), state, CLUSTER), {
      kind: 'progress',
      update: buildStormMessage(state, CLUSTER),
    });
  });
  it('an acted message that lost its action is refused, naming the message', () => {
    assert.throws(() => buildStormMessages(send('acted', {id: `${ID}/x`}), storm(two), CLUSTER), {
      message: `${ID}/x: an acted message without its action`,
    });
  });
});

describe('a storm stored without a language speaks English', () => {
  const state = storm(two, {}, null);
  it('the parent', () => {
    const parent = buildStormMessage(state, CLUSTER);
    assert.equal(plain(parent.lead), '0 of 2 recovered');
    assert.equal(plain(parent.summary), '2 CronJobs need attention in prod: 0 recovered');
  });
  it('its reminder and its reply to an action', () => {
    const reminder = buildStormMessages(
      send('reminder', {id: `${ID}/reminder-1`, count: 2, createdAt: '2026-03-03T01:06:00.000Z'}),
      state,
      null,
    );
    assert.equal(
      reminder.kind === 'reply' ? plain(reminder.reply?.lead) : null,
      'Still open after 1d: 2 of 2 CronJobs of this storm.',
    );
    const reply = stormActionReply(state, {type: 'acknowledged', by: 'U0ALICE001', at: NOW}, 2);
    assert.equal(plain(reply.lead), '@U0ALICE001 acknowledged the 2 open CronJobs of this storm.');
  });
  it('its roster', () => {
    const many = Array.from({length: 26}, (_, i) =>
      member('batch', `m${String(i).padStart(2, '0')}`),
    );
    const cut = storm(many, {}, null);
    assert.equal(needsRoster(cut), true);
    assert.equal(rosterPageCount(cut), 1);
    assert.equal(plain(rosterMessage(cut, 1)?.lead), 'CronJobs of this storm, 1–26 of 26:');
  });
});

describe('times that cannot be read', () => {
  it("a reminder whose own time is unreadable: age unknown; a reminder's tone is failing", () => {
    const reminder = buildStormMessages(
      send('reminder', {id: `${ID}/reminder-1`, count: 1, createdAt: 'not a time'}),
      storm(two),
      null,
    );
    assert.equal(reminder.kind, 'reply');
    if (reminder.kind !== 'reply') return;
    assert.equal(
      plain(reminder.reply?.lead),
      'Still open after unknown: 1 of 2 CronJobs of this storm.',
    );
    assert.equal(reminder.reply?.tone, 'failing');
  });
  it('all recovered, the first opening unreadable: no duration anywhere', () => {
    const done = storm(
      [
        member('batch', 'a', {recoveredAt: '2026-03-02T01:40:00.000Z'}),
        member('batch', 'b', {recoveredAt: '2026-03-02T01:30:00.000Z'}),
      ],
      {openedAt: 'not a time', finishedAt: '2026-03-02T01:40:00.000Z'},
    );
    const message = buildStormMessage(done, CLUSTER);
    assert.equal(message.durationMs, null);
    assert.equal(plain(message.lead), 'All recovered');
    assert.equal(plain(message.summary), '2 CronJobs in prod: all recovered');
  });
  it('all recovered, both times known: the duration in the lead and the push text', () => {
    const done = storm(
      [
        member('batch', 'a', {recoveredAt: '2026-03-02T03:11:00.000Z'}),
        member('batch', 'b', {recoveredAt: '2026-03-02T02:30:00.000Z'}),
      ],
      {finishedAt: '2026-03-02T03:11:00.000Z'},
    );
    const message = buildStormMessage(done, CLUSTER);
    assert.equal(message.durationMs, (2 * 60 + 5) * 60_000);
    assert.equal(plain(message.lead), 'All recovered after 2h 5m');
    assert.equal(plain(message.summary), '2 CronJobs in prod: all recovered after 2h 5m');
  });
});

describe("the parent's fields", () => {
  it('no member has a reason: no Reasons field', () => {
    const message = buildStormMessage(storm(two), CLUSTER);
    assert.deepEqual(
      message.fields.map(f => f.label),
      ['Cluster', 'Namespaces', 'Kinds'],
    );
  });
  it('each kind as the parent counts it', () => {
    const message = buildStormMessage(
      storm([
        member('batch', 'a', {kind: 'slower-than-usual'}),
        member('batch', 'b', {kind: 'finished-too-fast'}),
        member('batch', 'c', {kind: 'finished-too-fast'}),
        member('batch', 'd', {kind: 'missed'}),
        member('batch', 'e', {kind: 'running-too-long'}),
      ]),
      CLUSTER,
    );
    assert.equal(
      field(message, 'Kinds'),
      'finished too fast (2), missed runs (1), running too long (1), slower than usual (1)',
    );
  });
});

describe('the roster', () => {
  it('a recovered member is marked ✅, an open one is not; open: the failing tone', () => {
    const page = rosterMessage(
      storm([
        member('batch', 'a'),
        member('batch', 'b', {recoveredAt: '2026-03-02T01:40:00.000Z'}),
      ]),
      1,
    );
    assert.deepEqual(
      page?.sections?.map(s => [s.title, s.lines.map(l => plainOf(l))]),
      [['batch', ['a · failing', '✅ b · failing']]],
    );
    assert.equal(page?.tone, 'failing');
  });
  it('all recovered: the resolved tone', () => {
    const page = rosterMessage(
      storm([member('batch', 'a', {recoveredAt: '2026-03-02T01:40:00.000Z'})], {
        finishedAt: '2026-03-02T01:40:00.000Z',
      }),
      1,
    );
    assert.equal(page?.tone, 'resolved');
  });
  // Eleven namespaces: eleven sections, ten a message, so two pages.
  const eleven = Array.from({length: 11}, (_, i) =>
    member(`ns-${String(i).padStart(2, '0')}`, 'a'),
  );
  it('no page 0 and none past the last', () => {
    assert.equal(rosterMessage(storm(eleven), 0), null);
    assert.equal(rosterMessage(storm(eleven), 3), null);
    assert.equal(rosterMessage(storm(two), 2), null);
  });
  it('the lead: which members, of how many, and the page only when there are several', () => {
    assert.equal(plain(rosterMessage(storm(two), 1)?.lead), 'CronJobs of this storm, 1–2 of 2:');
    assert.equal(
      plain(rosterMessage(storm(eleven), 1)?.lead),
      'CronJobs of this storm, 1–10 of 11 (1/2):',
    );
    assert.equal(
      plain(rosterMessage(storm(eleven), 2)?.lead),
      'CronJobs of this storm, 11–11 of 11 (2/2):',
    );
  });
});

describe('in Japanese', () => {
  const ja = (members: StormMember[], extra: Partial<StormState> = {}) =>
    storm(members, extra, 'ja');
  it('all recovered: with and without the time it took', () => {
    const members = [
      member('batch', 'a', {recoveredAt: '2026-03-02T03:11:00.000Z'}),
      member('batch', 'b', {recoveredAt: '2026-03-02T02:30:00.000Z'}),
    ];
    const known = buildStormMessage(ja(members, {finishedAt: '2026-03-02T03:11:00.000Z'}));
    assert.equal(plain(known.lead), '2時間5分ですべて復旧しました');
    assert.equal(plain(known.summary), 'prod の 2 件の CronJob が2時間5分ですべて復旧しました');
    const unknown = buildStormMessage(
      ja(members, {openedAt: 'not a time', finishedAt: '2026-03-02T03:11:00.000Z'}),
    );
    assert.equal(plain(unknown.lead), 'すべて復旧しました');
    assert.equal(plain(unknown.summary), 'prod の 2 件の CronJob がすべて復旧しました');
  });
  it('a cut list ends "ほか N 件" and the note says the thread lists them all first', () => {
    const many = Array.from({length: 27}, (_, i) =>
      member('batch', `m${String(i).padStart(2, '0')}`),
    );
    const parent = buildStormMessage(ja(many));
    const list = plain(parent.details[0]?.value) ?? '';
    assert.ok(list.endsWith('\nほか 2 件'), list.slice(-20));
    assert.deepEqual(
      parent.notes.map(n => plainOf(n)),
      ['このスレッドには、まず全 CronJob の一覧、続いて各 CronJob の詳細があります。'],
    );
  });
  it("the roster's lead, with the page only when there are several", () => {
    const eleven = Array.from({length: 11}, (_, i) =>
      member(`ns-${String(i).padStart(2, '0')}`, 'a'),
    );
    assert.equal(plain(rosterMessage(ja(two), 1)?.lead), 'この障害の CronJob（2 件中 1〜2 件目）:');
    assert.equal(
      plain(rosterMessage(ja(eleven), 2)?.lead),
      'この障害の CronJob（11 件中 11〜11 件目、2/2）:',
    );
  });
  it('the replies to actions on the parent', () => {
    const state = ja(two);
    const reply = (event: Parameters<typeof stormActionReply>[1]) =>
      plain(stormActionReply(state, event, 2).lead);
    const by = 'U0ALICE001';
    assert.equal(
      reply({type: 'unacknowledged', by, at: NOW}),
      '@U0ALICE001 さんがこの障害の未復旧の CronJob 2 件の対応を取り消しました。',
    );
    assert.equal(
      reply({type: 'snoozed', by, at: NOW, until: 'recovery'}),
      '@U0ALICE001 さんがこの障害の未復旧の CronJob 2 件を、それぞれ復旧するまでスヌーズしました。',
    );
    assert.equal(
      reply({type: 'unsnoozed', by, at: NOW}),
      '@U0ALICE001 さんがこの障害の未復旧の CronJob 2 件のスヌーズを終了しました。',
    );
  });
  // The Japanese words are shorter than the English ones (" · 失敗", "ほか 1 件"), so the
  // same members fit where the English would not: the budgets count the storm's own words.
  it("the parent's list fits in Japanese where the English would not", () => {
    // Twenty lines of "`n/<110 characters>` · 失敗" plus a newline: 1 + 114 + 5 = 120 each,
    // 2,400 in all; in English (" · failing") 125 each, over the budget.
    const members = Array.from({length: 20}, (_, i) =>
      member('n', `${String(i).padStart(2, '0')}${'x'.repeat(108)}`),
    );
    assert.equal(compactList(members, STORM_WORDS.ja).cut, false);
    assert.equal(compactList(members, STORM_WORDS.en).cut, true);
    assert.equal(needsRoster(ja(members)), false);
    assert.equal(rosterPageCount(ja(members)), 0);
  });
  it('the roster is cut into sections by the Japanese widths', () => {
    // 28 members (more than the 25 lines the parent lists). Namespace "n0" (section budget
    // 2,400 - (2 + 3) = 2,395) holds 19 names of 118 characters: 1 + 120 + 5 = 126 a line in
    // Japanese, 2,394 in all, one section; in English 131 a line, two sections. With nine more
    // namespaces of one member each: ten sections, one page (English: eleven, two pages).
    const n0 = Array.from({length: 19}, (_, i) =>
      member('n0', `${String(i).padStart(2, '0')}${'y'.repeat(116)}`),
    );
    const rest = Array.from({length: 9}, (_, i) => member(`n${i + 1}`, 'a'));
    const state = ja([...n0, ...rest]);
    assert.equal(needsRoster(state), true);
    assert.equal(rosterPageCount(state), 1);
    assert.deepEqual(
      rosterMessage(state, 1)?.sections?.map(s => s.lines.length),
      [19, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    );
    assert.equal(
      rosterPageCount({...state, destination: {...state.destination, language: 'en'}}),
      2,
    );
  });
});

describe('the English replies with one CronJob open', () => {
  it('"the open CronJob", "1 CronJob … still open"', () => {
    const state = storm(two);
    const by = 'U0ALICE001';
    assert.equal(
      plain(stormActionReply(state, {type: 'acknowledged', by, at: NOW}, 1).lead),
      '@U0ALICE001 acknowledged the open CronJob of this storm.',
    );
    assert.equal(
      plain(
        stormActionReply(state, {type: 'snooze-ended', by, at: NOW, until: NOW, meanwhile: 0}, 1)
          .lead,
      ),
      'The snooze by @U0ALICE001 has ended; 1 CronJob of this storm still open.',
    );
    assert.equal(
      plain(
        stormActionReply(state, {type: 'snooze-ended', by, at: NOW, until: NOW, meanwhile: 0}, 3)
          .lead,
      ),
      'The snooze by @U0ALICE001 has ended; 3 CronJobs of this storm still open.',
    );
  });
});

describe("Slack's escaping, as the budgets count it", () => {
  // Slack escapes &, < and > as &amp;, &lt; and &gt; (its "Formatting text" rules).
  const rows: Array<[string, number]> = [
    ['plain', 5],
    ['R&D', 7],
    ['<b>', 9],
    ['R&D <ops>', 19],
  ];
  for (const [value, length] of rows) {
    it(`${JSON.stringify(value)}: ${length}`, () => {
      assert.equal(escapedLength(value), length);
    });
  }
});
