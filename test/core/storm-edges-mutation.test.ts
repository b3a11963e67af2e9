/**
 * Edges of the storm code (issue 27, storms), one row each: the parent's list and the roster's
 * sections at their exact character budgets, actions on the parent that do record (undo,
 * a timed snooze), the order of what a storm owes, and the guards of the storm's reminder and
 * snooze. Aimed at the survivors of the first core/storms run (test/mutation/README.md);
 * every expectation is computed here from the stated budgets or written out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {
  Incident,
  PendingNotification,
  StormMember,
  StormSend,
  StormState,
  SubjectRecord,
} from '../../functions/core/incident.js';
import {RECORD_SCHEMA_VERSION} from '../../functions/core/incident.js';
import {renderConsole} from '../../functions/core/messages/render-console.js';
import {decideStormAction, endStormSnooze} from '../../functions/core/storms/actions.js';
import {buildStormMessage, buildStormMessages} from '../../functions/core/storms/messages.js';
import {stormReminderDue} from '../../functions/core/storms/reminders.js';
import {
  nextQueued,
  queueSend,
  stormCandidateOf,
  stormIdsOf,
  stormReasonOf,
} from '../../functions/core/storms/storm.js';
import {compactList, rosterMessage} from '../../functions/core/storms/roster.js';
import {STORM_WORDS} from '../../functions/core/storms/words.js';

const ID = '2026-03-02T01:30:00.000Z#';
const NOW = new Date('2026-03-02T02:00:00.000Z');
const en = STORM_WORDS.en;

function member(namespace: string, name: string, recoveredAt: string | null = null): StormMember {
  return {
    key: `${namespace}/${name}`,
    incidentId: `uid-${name}/run`,
    kind: 'failing',
    namespace,
    name,
    reason: null,
    recoveredAt,
  };
}

function storm(members: StormMember[], extra: Partial<StormState> = {}): StormState {
  return {
    id: ID,
    clusterName: 'prod',
    destination: {channel: null, language: 'en', mention: null, runbook: null},
    openedAt: '2026-03-02T01:06:00.000Z',
    members,
    parent: {channel: 'C0ALERTS01', ts: '1.0'},
    shown: 0,
    finishedAt: null,
    send: null,
    ...extra,
  };
}

function record(state: StormState): SubjectRecord {
  return {
    schemaVersion: RECORD_SCHEMA_VERSION,
    clusterId: 'kubeconfig/prod',
    subject: {type: 'storm', id: ID},
    watermark: null,
    open: {},
    outbox: [],
    threads: [],
    history: [],
    readFailures: null,
    runs: [],
    updatedAt: '2026-03-02T01:50:00.000Z',
    storm: state,
  };
}

const cronJob: SubjectRecord = {
  ...record(storm([])),
  subject: {type: 'cronjob', namespace: 'batch', name: 'a', uid: 'uid-a', schedule: '0 * * * *'},
};
delete (cronJob as Partial<SubjectRecord>).storm;

// A compact-list line of a failing member without a reason is "`ns/name` · failing" plus its
// newline: 1 + (key + 2 backticks) + 10 characters.
const lineWidth = (key: string) => 1 + key.length + 2 + ' · failing'.length;

describe("the parent's list at its budget (2,400 characters)", () => {
  // Twenty lines of 120: exactly 2,400.
  const name = (i: number, extra = 0) => `${String(i).padStart(2, '0')}${'x'.repeat(103 + extra)}`;
  it('twenty lines of exactly 2,400 characters: all shown', () => {
    const members = Array.from({length: 20}, (_, i) => member('n', name(i)));
    assert.equal(
      members.reduce((n, m) => n + lineWidth(m.key), 0),
      2400,
    );
    const {cut} = compactList(members, en);
    assert.equal(cut, false);
  });
  it('one character more: nineteen shown, then "and 1 more"', () => {
    const members = Array.from({length: 20}, (_, i) => member('n', name(i, i === 19 ? 1 : 0)));
    const {list, cut} = compactList(members, en);
    assert.equal(cut, true);
    const text = list.map(s => ('text' in s ? s.text : '')).join('');
    assert.equal((text.match(/· failing/g) ?? []).length, 19);
    assert.ok(text.endsWith('\nand 1 more'), text.slice(-30));
  });
  it('the "and N more" line counts: a list that fits only without it stops one line earlier', () => {
    // 21 members: after 19 lines (2,280) the 20th (120) plus "\nand 1 more" (11) is 2,411.
    const members = Array.from({length: 21}, (_, i) => member('n', name(i)));
    const {list} = compactList(members, en);
    const text = list.map(s => ('text' in s ? s.text : '')).join('');
    assert.equal((text.match(/· failing/g) ?? []).length, 19);
    assert.ok(text.endsWith('\nand 2 more'), text.slice(-30));
  });
});

describe("the roster's sections at their budget", () => {
  // A roster line is "`name` · failing" plus its newline: name + 13. In namespace "abc" a
  // section holds 2,400 - ("abc" + 3) = 2,394 characters: 38 lines of 63 (names of 50).
  const name = (i: number) => `${String(i).padStart(2, '0')}${'y'.repeat(48)}`;
  it('38 lines of exactly the budget share one section; the 39th starts another', () => {
    const members = Array.from({length: 40}, (_, i) => member('abc', name(i)));
    assert.equal(38 * (name(0).length + 13), 2394);
    const message = rosterMessage(storm(members), 1);
    assert.deepEqual(
      message?.sections?.map(s => s.lines.length),
      [38, 2],
    );
  });
});

describe('actions on the parent that record', () => {
  const acknowledged = storm([member('batch', 'a')], {
    acknowledged: {by: 'U0BOB00002', at: '2026-03-02T01:50:00.000Z'},
  });
  it('unacknowledge: the acknowledgement is gone, one reply owed', () => {
    const outcome = decideStormAction(
      record(acknowledged),
      {stormId: ID, choice: {type: 'unacknowledge'}, by: 'U0ALICE001', at: NOW},
      NOW,
    );
    assert.equal(outcome.type, 'recorded');
    if (outcome.type !== 'recorded') return;
    assert.equal('acknowledged' in (outcome.record.storm ?? {}), false);
    assert.equal(outcome.event.type, 'unacknowledged');
    assert.equal(
      outcome.record.storm?.send?.id,
      `${ID}/unacknowledged:U0ALICE001@2026-03-02T02:00:00.000Z`,
    );
  });
  it('a snooze for an hour: until then, the members asked the same', () => {
    const until = new Date('2026-03-02T03:00:00.000Z');
    const outcome = decideStormAction(
      record(storm([member('batch', 'a')])),
      {stormId: ID, choice: {type: 'snooze', until}, by: 'U0ALICE001', at: NOW},
      NOW,
    );
    assert.equal(outcome.type, 'recorded');
    if (outcome.type !== 'recorded') return;
    assert.deepEqual(outcome.record.storm?.snoozed, {
      by: 'U0ALICE001',
      until: '2026-03-02T03:00:00.000Z',
      at: '2026-03-02T02:00:00.000Z',
    });
    assert.deepEqual(outcome.requests[0]?.request.choice, {type: 'snooze', until});
  });
  it('another snooze while one lasts replaces it', () => {
    const snoozed = storm([member('batch', 'a')], {
      snoozed: {by: 'U0BOB00002', at: '2026-03-02T01:50:00.000Z', until: 'recovery'},
    });
    const outcome = decideStormAction(
      record(snoozed),
      {
        stormId: ID,
        choice: {type: 'snooze', until: new Date('2026-03-02T03:00:00.000Z')},
        by: 'U0ALICE001',
        at: NOW,
      },
      NOW,
    );
    assert.equal(
      outcome.type === 'recorded' ? outcome.record.storm?.snoozed?.until : null,
      '2026-03-02T03:00:00.000Z',
    );
  });
  it('nothing to act on without a storm record', () => {
    const request = {stormId: ID, choice: {type: 'acknowledge'} as const, by: 'U1', at: NOW};
    assert.deepEqual(decideStormAction(null, request, NOW), {type: 'closed'});
    assert.deepEqual(decideStormAction(cronJob, request, NOW), {type: 'closed'});
  });
});

describe('what a storm owes, in order (more rows)', () => {
  const acted: StormSend = {
    id: `${ID}/acknowledged:U@t`,
    kind: 'acted',
    createdAt: NOW.toISOString(),
    attempts: 0,
    lastError: null,
    claim: null,
  };
  const progress = (extra: Partial<StormSend>): StormSend => ({
    ...acted,
    id: `${ID}/progress`,
    kind: 'progress',
    ...extra,
  });
  const rows: Array<[string, StormSend, string]> = [
    [
      'a progress update attempted once (first attempt known): it goes first',
      progress({firstAttemptAt: NOW.toISOString()}),
      `${ID}/progress`,
    ],
    [
      'a progress update in doubt: it goes first',
      progress({lastOutcome: 'unknown'}),
      `${ID}/progress`,
    ],
  ];
  for (const [name, owed, first] of rows) {
    it(name, () => {
      const next = queueSend(storm([], {send: owed}), acted);
      assert.equal(next.send?.id, first);
      assert.deepEqual(
        next.queued?.map(s => s.id),
        [acted.id],
      );
    });
  }
  it('a reminder never replaces a progress update (it does not rewrite the parent)', () => {
    const reminder: StormSend = {...acted, id: `${ID}/reminder-1`, kind: 'reminder', count: 1};
    const next = queueSend(storm([], {send: progress({})}), reminder);
    assert.equal(next.send?.id, `${ID}/progress`);
    assert.deepEqual(
      next.queued?.map(s => s.id),
      [reminder.id],
    );
  });
  it('two queued: the first becomes owed, the second stays queued', () => {
    const a = {...acted, id: 'a'};
    const b = {...acted, id: 'b'};
    const next = nextQueued(storm([], {send: null, queued: [a, b]}));
    assert.equal(next.send?.id, 'a');
    assert.deepEqual(
      next.queued?.map(s => s.id),
      ['b'],
    );
    // Something owed already: nothing moves.
    assert.deepEqual(
      nextQueued(storm([], {send: progress({}), queued: [a]})).queued?.map(s => s.id),
      ['a'],
    );
  });
});

describe('guards of the snooze and the reminder', () => {
  it('a snooze ended with no member open (not yet marked finished): dropped without a word', () => {
    const done = storm([member('batch', 'a', '2026-03-02T01:40:00.000Z')], {
      snoozed: {by: 'U1', at: '2026-03-02T01:00:00.000Z', until: '2026-03-02T01:30:00.000Z'},
    });
    const ended = endStormSnooze(record(done), NOW);
    assert.equal(ended?.storm?.snoozed, undefined);
    assert.equal(ended?.storm?.send, null);
  });
  it('no storm record: nothing to end, nothing to remind of', () => {
    assert.equal(endStormSnooze(null, NOW), null);
    assert.equal(endStormSnooze(cronJob, NOW), null);
    assert.equal(stormReminderDue(null, new Map(), [3600_000], NOW), null);
    assert.equal(stormReminderDue(cronJob, new Map(), [3600_000], NOW), null);
  });
  it("a member whose record is gone (nothing open) does not keep the reminder's time", () => {
    const state = storm([member('batch', 'a')]);
    const later = new Date('2026-03-02T02:10:00.000Z');
    const next = stormReminderDue(record(state), new Map(), [3600_000], later);
    assert.equal(next?.storm?.send, null);
    assert.equal(next?.storm?.reminders?.sent, 1);
  });
});

describe('storm messages with unreadable times', () => {
  it('a reminder whose start is unreadable says so instead of a duration', () => {
    const state = storm([member('batch', 'a')], {openedAt: 'not a time'});
    const send: StormSend = {
      id: `${ID}/reminder-1`,
      kind: 'reminder',
      createdAt: NOW.toISOString(),
      attempts: 0,
      lastError: null,
      claim: null,
      count: 1,
    };
    const messages = buildStormMessages(send, state, null);
    const reply = messages.kind === 'reply' ? messages.reply : null;
    assert.equal(
      reply?.summary.map(s => ('text' in s ? s.text : '')).join(''),
      'Still open after unknown: 1 of 1 CronJobs of this storm.',
    );
  });
  it('all recovered with an unreadable end: "All recovered", no duration, no controls', () => {
    const state = storm([member('batch', 'a', 'x')], {finishedAt: 'not a time'});
    const message = buildStormMessage(state, {
      id: 'c',
      name: 'prod',
      project: null,
      location: null,
    });
    assert.equal(message.durationMs, null);
    assert.match(renderConsole(message), /^All recovered$/m);
    assert.deepEqual(message.actions, []);
  });
  it('the reply to an action on a storm that is over reads as resolved', () => {
    const state = storm([member('batch', 'a', 'x')], {finishedAt: '2026-03-02T01:59:00.000Z'});
    const send: StormSend = {
      id: `${ID}/acknowledged:U1@t`,
      kind: 'acted',
      createdAt: NOW.toISOString(),
      attempts: 0,
      lastError: null,
      claim: null,
      action: {type: 'acknowledged', by: 'U1', at: 't'},
      count: 1,
    };
    const messages = buildStormMessages(send, state, null);
    assert.equal(messages.kind === 'acted' ? messages.reply.tone : null, 'resolved');
    const open = buildStormMessages(send, {...state, finishedAt: null}, null);
    assert.equal(open.kind === 'acted' ? open.reply.tone : null, 'failing');
  });
});

describe('which openings may join a storm (more rows)', () => {
  const run = {
    job: 'a-1',
    jobUid: 'uid-a-1',
    manual: false,
    at: '2026-03-02T01:06:00.000Z',
    reason: 'BackoffLimitExceeded',
    message: null,
    detail: null,
  };
  const failing = {
    kind: 'failing' as const,
    id: 'uid-a/a-1',
    openedAt: run.at,
    closedAt: null,
    ending: null,
    openedBy: run,
    latestFailure: run,
    failedRuns: 1,
  };
  const opening = (extra: Partial<PendingNotification> = {}): PendingNotification => ({
    id: 'uid-a/a-1/opened',
    kind: 'opened',
    incident: failing,
    createdAt: NOW.toISOString(),
    attempts: 0,
    lastError: null,
    claim: null,
    ...extra,
  });
  const withOutbox = (outbox: PendingNotification[], threads: SubjectRecord['threads'] = []) => ({
    ...cronJob,
    outbox,
    threads,
  });
  const rows: Array<[string, SubjectRecord, boolean]> = [
    ['a fresh opening', withOutbox([opening()]), true],
    [
      'claimed by a pass',
      withOutbox([opening({claim: {by: 'p', until: NOW.toISOString()}})]),
      false,
    ],
    ['attempted once', withOutbox([opening({attempts: 1})]), false],
    [
      'its first attempt recorded',
      withOutbox([opening({firstAttemptAt: NOW.toISOString()})]),
      false,
    ],
    ['in doubt', withOutbox([opening({lastOutcome: 'unknown'})]), false],
    ['already in a storm', withOutbox([opening({storm: 'other'})]), false],
    ['a closing, not an opening', withOutbox([opening({kind: 'closed'})]), false],
    ['nothing owed', withOutbox([]), false],
  ];
  for (const [name, rec, joins] of rows) {
    it(`${name}: ${joins ? 'joins' : 'stays out'}`, () => {
      assert.equal(stormCandidateOf(rec, NOW) !== null, joins);
    });
  }
});

describe('what a parent counts a member under', () => {
  it('by kind: a Job that ran too long by its Pod’s cause, missed runs by nothing, the cluster by its code', () => {
    const base = {id: 'i', openedAt: 'x', closedAt: null, ending: null};
    assert.equal(
      stormReasonOf({
        ...base,
        kind: 'running-too-long',
        podDetail: 'container main: ImagePullBackOff',
      } as Incident),
      'ImagePullBackOff',
    );
    assert.equal(
      stormReasonOf({...base, kind: 'running-too-long', podDetail: null} as Incident),
      null,
    );
    assert.equal(stormReasonOf({...base, kind: 'missed'} as Incident), null);
    assert.equal(stormReasonOf({...base, kind: 'finished-too-fast'} as Incident), null);
    assert.equal(stormReasonOf({...base, kind: 'slower-than-usual'} as Incident), null);
    assert.equal(
      stormReasonOf({
        ...base,
        kind: 'cluster-unreadable',
        latestError: {code: 'FORBIDDEN'},
      } as Incident),
      'FORBIDDEN',
    );
  });
  it('the storms records owe messages to', () => {
    const owing = (storm?: string) => ({
      ...cronJob,
      outbox: [{...({} as PendingNotification), id: 'n', ...(storm === undefined ? {} : {storm})}],
    });
    assert.deepEqual(
      [...stormIdsOf([owing('s1'), owing(), owing('s2'), owing('s1')])],
      ['s1', 's2'],
    );
  });
});
