/**
 * What `buildMessages` adds to every kind's messages, kind of notification by kind, where
 * mutation testing (test/mutation/README.md) found it unpinned: the language when the
 * destination names none, the maintenance note (openings and FYIs only), the recent runs (cards
 * only), the runbook button (cards only) and the mention (openings only), the muted reply. The
 * expected words are the English ones of messages/words-en.ts, written out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {Destination, FailingIncident, Incident} from '../../functions/core/incident.js';
import {buildMessages} from '../../functions/core/messages/build.js';
import type {
  Message,
  MessageContext,
  NotificationMessages,
} from '../../functions/core/messages/model.js';
import {plainOf} from '../../functions/core/messages/pieces.js';
import type {RecentRun} from '../../functions/core/run-history.js';
import {
  CLOSED_INCIDENT,
  context,
  notification,
  OPEN_INCIDENT,
} from '../support/notification-fixtures.js';

const RECOVERED: FailingIncident = {
  ...CLOSED_INCIDENT,
  failedRuns: 1,
  closedAt: '2024-05-01T10:12:05Z',
};
const DESTINATION: Destination = {
  channel: null,
  language: null,
  mention: '<!subteam^S1>',
  runbook: 'https://runbook.example/backup',
};
const RUNS: RecentRun[] = [
  {job: 'a', outcome: 'succeeded', scheduledAt: null, startedAt: null, durationMs: 300_000},
  {job: 'b', outcome: 'failed', scheduledAt: null, startedAt: null, durationMs: 60_000},
];
const WITH_RUNS: MessageContext = {...context(), recentRuns: RUNS};
const RECENT = {label: 'Recent runs', strip: '✅ ❌', usual: 'usually 5m'};
const RUNBOOK = {
  type: 'link',
  id: 'runbook',
  url: 'https://runbook.example/backup',
  label: 'Runbook',
};

function built(
  kind: 'opened' | 'closed' | 'recovered' | 'reminder',
  incident: Incident,
  ctx: MessageContext = context(),
): NotificationMessages {
  return buildMessages(notification(kind, incident), ctx);
}

/** Every message of a notification, by its role. */
function messagesOf(m: NotificationMessages): Record<string, Message> {
  switch (m.kind) {
    case 'opened':
      return m.reply === undefined ? {post: m.post} : {post: m.post, reply: m.reply};
    case 'recovered':
      return {post: m.post};
    case 'reminder':
      return {reply: m.reply};
    case 'closed':
      return {update: m.update, reply: m.reply, standalone: m.standalone};
    case 'acted':
      return m.reply === null ? {update: m.update} : {update: m.update, reply: m.reply};
  }
}

const title = (m: Message) => (m.title === null ? null : plainOf(m.title));

describe('the language', () => {
  it('none named, or no destination: English', () => {
    const english = '🔴 batch/backup failed: Error (exit 1) · prod-eu';
    const none = built('opened', OPEN_INCIDENT);
    const unnamed = built('opened', {...OPEN_INCIDENT, destination: DESTINATION});
    assert.ok(none.kind === 'opened' && unnamed.kind === 'opened');
    assert.equal(title(none.post), english);
    assert.equal(title(unnamed.post), english);
  });
  it('Japanese when the destination says so', () => {
    const ja = built('opened', {...OPEN_INCIDENT, destination: {...DESTINATION, language: 'ja'}});
    assert.ok(ja.kind === 'opened');
    assert.equal(title(ja.post), '🔴 batch/backup が失敗しました: Error (exit 1) · prod-eu');
  });
});

describe('the maintenance note: on an opening and an FYI, nowhere else', () => {
  const maintenance = {start: '2024-05-01T09:00:00Z', end: '2024-05-01T11:30:00Z'};
  const note =
    'Began during the maintenance window from May 1, 09:00 UTC to May 1, 11:30 UTC; ' +
    'announced when the window ended.';
  const notesOf = (m: NotificationMessages) =>
    Object.fromEntries(Object.entries(messagesOf(m)).map(([k, v]) => [k, v.notes.map(plainOf)]));
  it('opened: the last note of the post', () => {
    assert.deepEqual(notesOf(built('opened', {...OPEN_INCIDENT, maintenance})), {post: [note]});
  });
  it('recovered: the note on its one line', () => {
    assert.deepEqual(notesOf(built('recovered', {...RECOVERED, maintenance})), {post: [note]});
  });
  it('closed and reminded: no note', () => {
    assert.deepEqual(notesOf(built('closed', {...CLOSED_INCIDENT, maintenance})), {
      update: [],
      reply: [],
      standalone: [],
    });
    assert.deepEqual(notesOf(built('reminder', {...OPEN_INCIDENT, maintenance})), {reply: []});
  });
  it('without a window: no note', () => {
    assert.deepEqual(notesOf(built('opened', OPEN_INCIDENT)), {post: []});
  });
});

describe('recent runs: on cards only', () => {
  const recentOf = (m: NotificationMessages) =>
    Object.fromEntries(Object.entries(messagesOf(m)).map(([k, v]) => [k, v.recentRuns ?? 'none']));
  it('opened: the post', () =>
    assert.deepEqual(recentOf(built('opened', OPEN_INCIDENT, WITH_RUNS)), {post: RECENT}));
  it('closed: the update and the standalone, not the one-line reply', () =>
    assert.deepEqual(recentOf(built('closed', CLOSED_INCIDENT, WITH_RUNS)), {
      update: RECENT,
      reply: 'none',
      standalone: RECENT,
    }));
  it('recovered and reminded: one line each, none', () => {
    assert.deepEqual(recentOf(built('recovered', RECOVERED, WITH_RUNS)), {post: 'none'});
    assert.deepEqual(recentOf(built('reminder', OPEN_INCIDENT, WITH_RUNS)), {reply: 'none'});
  });
  it('no runs: none anywhere', () =>
    assert.deepEqual(recentOf(built('closed', CLOSED_INCIDENT, {...context(), recentRuns: []})), {
      update: 'none',
      reply: 'none',
      standalone: 'none',
    }));
});

describe('the destination: a runbook button on cards, the mention on the opening', () => {
  const runbooksOf = (m: NotificationMessages) =>
    Object.fromEntries(
      Object.entries(messagesOf(m)).map(([k, v]) => [
        k,
        v.actions.filter(a => a.type === 'link' && a.id === 'runbook'),
      ]),
    );
  const mentionsOf = (m: NotificationMessages) =>
    Object.fromEntries(
      Object.entries(messagesOf(m)).map(([k, v]) => [k, 'mention' in v ? v.mention : 'none']),
    );
  it('opened: the runbook after the Console buttons, and the mention', () => {
    const m = built('opened', {...OPEN_INCIDENT, destination: DESTINATION});
    assert.ok(m.kind === 'opened');
    assert.deepEqual(
      m.post.actions.filter(a => a.type === 'link').map(a => a.id),
      ['logs', 'console', 'runbook'],
    );
    assert.deepEqual(runbooksOf(m), {post: [RUNBOOK]});
    assert.deepEqual(mentionsOf(m), {post: '<!subteam^S1>'});
  });
  it('closed: the runbook on the update and the standalone; no mention', () => {
    const m = built('closed', {...CLOSED_INCIDENT, destination: DESTINATION});
    assert.deepEqual(runbooksOf(m), {update: [RUNBOOK], reply: [], standalone: [RUNBOOK]});
    assert.deepEqual(mentionsOf(m), {update: 'none', reply: 'none', standalone: 'none'});
  });
  it('recovered and reminded: one line each, neither', () => {
    const recovered = built('recovered', {...RECOVERED, destination: DESTINATION});
    assert.deepEqual(runbooksOf(recovered), {post: []});
    assert.deepEqual(mentionsOf(recovered), {post: 'none'});
    const reminder = built('reminder', {...OPEN_INCIDENT, destination: DESTINATION});
    assert.deepEqual(runbooksOf(reminder), {reply: []});
    assert.deepEqual(mentionsOf(reminder), {reply: 'none'});
  });
  it('no runbook, no mention: neither', () => {
    const m = built('opened', {
      ...OPEN_INCIDENT,
      destination: {...DESTINATION, runbook: null, mention: null},
    });
    assert.deepEqual(runbooksOf(m), {post: []});
    assert.deepEqual(mentionsOf(m), {post: 'none'});
  });
});

describe('an incident closed by cronjob-watcher/ignore', () => {
  it('one quiet line, the same for every role, with the incident duration', () => {
    const muted: FailingIncident = {
      ...CLOSED_INCIDENT,
      ending: {type: 'muted', at: '2024-05-01T12:05:30Z'},
      destination: DESTINATION,
    };
    const line: Message = {
      tone: 'resolved',
      title: null,
      lead: [
        {
          type: 'text',
          text: 'Muted: cronjob-watcher/ignore is set on this CronJob, so this incident is closed without a fix.',
        },
      ],
      fields: [],
      reason: null,
      details: [],
      quote: null,
      commands: [],
      actions: [],
      notes: [],
      summary: [
        {
          type: 'text',
          text: 'Muted: cronjob-watcher/ignore is set on this CronJob, so this incident is closed without a fix.',
        },
      ],
      durationMs: (2 * 60 + 5) * 60_000 + 30_000,
    };
    assert.deepEqual(built('closed', muted, WITH_RUNS), {
      kind: 'closed',
      update: line,
      reply: line,
      standalone: line,
      quiet: true,
    });
  });
});

describe('an acted notification', () => {
  it('without its action is a bug, named', () => {
    assert.throws(
      () => buildMessages({...notification('acted', OPEN_INCIDENT), id: 'n-1'}, context()),
      {message: 'n-1: an acted notification without its action'},
    );
  });
  it('the opening as it now stands, and one reply', () => {
    const m = buildMessages(
      {
        ...notification('acted', {...OPEN_INCIDENT, destination: DESTINATION}),
        action: {type: 'acknowledged', by: 'U1', at: '2024-05-01T12:10:00Z'},
      },
      WITH_RUNS,
    );
    const opening = built('opened', {...OPEN_INCIDENT, destination: DESTINATION}, WITH_RUNS);
    assert.ok(m.kind === 'acted' && opening.kind === 'opened');
    assert.deepEqual(m.update, opening.post);
    assert.equal(m.reply?.title, null);
    assert.notEqual(m.reply, null);
  });
});
