/**
 * What each message announces (its tone, which a renderer may colour), kind by kind and
 * notification by notification, and an opening that continues an older record's thread without
 * its story: survivors of the messages group's slice runs (test/mutation/README.md). Expected
 * tones follow the message model: an opening announces its kind, a closing is resolved, an FYI
 * recovered, a reminder repeats the opening's tone.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {ClusterUnreadableIncident} from '../../functions/core/detections/cluster-unreadable/incident.js';
import type {FinishedTooFastIncident} from '../../functions/core/detections/finished-too-fast/incident.js';
import type {MissedIncident} from '../../functions/core/detections/missed/incident.js';
import type {RunningTooLongIncident} from '../../functions/core/detections/running-too-long/incident.js';
import type {SlowerThanUsualIncident} from '../../functions/core/detections/slower-than-usual/incident.js';
import type {Incident} from '../../functions/core/incident.js';
import {buildMessages} from '../../functions/core/messages/build.js';
import type {
  MessageContext,
  NotificationMessages,
  Tone,
} from '../../functions/core/messages/model.js';
import {plainOf} from '../../functions/core/messages/pieces.js';
import {
  CLOSED_INCIDENT,
  context,
  notification,
  OPEN_INCIDENT,
} from '../support/notification-fixtures.js';

const AT = '2024-05-01T11:00:00Z';
const CLOSE = {closedAt: AT};
const STUCK: RunningTooLongIncident = {
  kind: 'running-too-long',
  id: 'running-too-long:ju',
  job: 'backup-1',
  jobUid: 'ju',
  manual: false,
  startedAt: '2024-05-01T09:00:00Z',
  openedAt: '2024-05-01T10:00:00Z',
  limitMs: 3_600_000,
  limitFrom: 'schedule',
  podDetail: null,
  blockedRuns: 0,
  closedAt: null,
  ending: null,
};
const SLOW: SlowerThanUsualIncident = {
  kind: 'slower-than-usual',
  id: 'slower-than-usual:ju',
  job: 'backup-1',
  jobUid: 'ju',
  manual: false,
  startedAt: '2024-05-01T09:00:00Z',
  usualMs: 600_000,
  limitMs: 1_800_000,
  openedAt: '2024-05-01T09:30:00Z',
  closedAt: null,
  ending: null,
};
const FAST: FinishedTooFastIncident = {
  kind: 'finished-too-fast',
  id: 'finished-too-fast:ju',
  job: 'load-1',
  jobUid: 'ju',
  manual: false,
  durationMs: 8_000,
  usualMs: 252_000,
  floorMs: 75_600,
  floorFrom: 'learned',
  fastRuns: 1,
  openedAt: '2024-05-01T10:00:00Z',
  closedAt: null,
  ending: null,
};
const MISSED: MissedIncident = {
  kind: 'missed',
  id: 'missed:u',
  schedule: '0 * * * *',
  timeZone: 'UTC',
  firstDueAt: '2024-05-01T10:00:00Z',
  latestDueAt: '2024-05-01T10:00:00Z',
  missedRuns: 1,
  lastStartedAt: null,
  openedAt: '2024-05-01T10:00:00Z',
  closedAt: null,
  ending: null,
};
const ERROR = {at: '2024-05-01T10:00:00Z', code: 'TIMEOUT', message: 'no answer'};
const DOWN: ClusterUnreadableIncident = {
  kind: 'cluster-unreadable',
  id: 'cluster-unreadable:c',
  firstError: ERROR,
  latestError: ERROR,
  failedReads: 2,
  openedAt: '2024-05-01T10:00:00Z',
  closedAt: null,
  ending: null,
};
const CLUSTER: MessageContext = {...context(), subject: {type: 'cluster'}};

/** Each message's tone, by its role. */
function tones(m: NotificationMessages): Record<string, Tone> {
  switch (m.kind) {
    case 'opened':
    case 'recovered':
      return {post: m.post.tone};
    case 'reminder':
      return {reply: m.reply.tone};
    case 'closed':
      return {update: m.update.tone, reply: m.reply.tone, standalone: m.standalone.tone};
    case 'acted':
      return m.reply === null
        ? {update: m.update.tone}
        : {update: m.update.tone, reply: m.reply.tone};
  }
}

const cases: Array<[string, Incident, Incident, Tone, MessageContext?]> = [
  ['failing', OPEN_INCIDENT, CLOSED_INCIDENT, 'failing'],
  ['missed', MISSED, {...MISSED, ...CLOSE, ending: {type: 'started', at: AT}}, 'missed'],
  ['running too long', STUCK, {...STUCK, ...CLOSE, ending: {type: 'job-gone', at: AT}}, 'stuck'],
  ['slower than usual', SLOW, {...SLOW, ...CLOSE, ending: {type: 'job-gone', at: AT}}, 'stuck'],
  [
    'finished too fast',
    FAST,
    {...FAST, ...CLOSE, ending: {type: 'cronjob-deleted', at: AT}},
    'warning',
  ],
  [
    'cluster unreadable',
    DOWN,
    {...DOWN, ...CLOSE, ending: {type: 'readable-again', at: AT}},
    'unreadable',
    CLUSTER,
  ],
];
const REMINDER_TONE: Record<string, Tone> = {
  'slower than usual': 'warning',
  'finished too fast': 'warning',
};

describe('what each message announces', () => {
  for (const [name, open, closed, tone, ctx = context()] of cases) {
    it(`${name}: opened ${tone}, closed resolved, recovered, reminded`, () => {
      const build = (kind: 'opened' | 'closed' | 'recovered' | 'reminder', i: Incident) =>
        tones(buildMessages(notification(kind, i), ctx));
      assert.deepEqual(build('opened', open), {post: tone});
      assert.deepEqual(build('closed', closed), {
        update: 'resolved',
        reply: 'resolved',
        standalone: 'resolved',
      });
      assert.deepEqual(build('recovered', closed), {
        post: name === 'cluster unreadable' ? 'resolved' : 'recovered',
      });
      assert.deepEqual(build('reminder', open), {reply: REMINDER_TONE[name] ?? tone});
    });
  }
});

describe('an opening that continues a thread, from a record without its story', () => {
  it('its thread reply says it was killed, not for how long', () => {
    const m = buildMessages(
      notification('opened', {...OPEN_INCIDENT, continues: 'running-too-long:x'}),
      context(),
    );
    assert.ok(m.kind === 'opened');
    assert.equal(m.reply?.tone, 'failing');
    assert.equal(
      m.reply === undefined ? null : plainOf(m.reply.summary),
      '🐢→🔴 killed: Error (exit 1)',
    );
    assert.equal(m.post.lead, null);
  });
});
