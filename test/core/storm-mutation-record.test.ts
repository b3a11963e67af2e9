/**
 * The storm record's rules, one row each (issue 27, storms, session 7): which openings may
 * join (a continued thread that is gone no longer holds one back), the storm's id per channel,
 * what joining tags, who is a member of which storm, the record extended by late members
 * (each once, opened when the earliest opened), what the members' records say about their
 * recovery (and when), and an owed message that a recovery does not push aside. Aimed at the
 * survivors of the storms group's runs (test/mutation/storms.md); every expected value is
 * written out by hand from the rules in storm.ts's header and the README's "Storms" section.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {
  Incident,
  MissedIncident,
  PendingNotification,
  StormMember,
  StormSend,
  StormState,
  SubjectRecord,
} from '../../functions/core/incident.js';
import {
  claimStormSend,
  groupStorms,
  joinStorm,
  markStormSent,
  memberOf,
  observeStorm,
  releaseStormSend,
  stormCandidateOf,
  stormRecordOf,
} from '../../functions/core/storms/storm.js';
import {cronJob, failing} from '../support/storm-records.js';

const NOW = new Date('2026-03-02T02:00:00.000Z');
const ID = '2026-03-02T01:30:00.000Z#';

function note(
  kind: PendingNotification['kind'],
  incident: Incident,
  extra: Partial<PendingNotification> = {},
): PendingNotification {
  return {
    id: `${incident.id}/${kind}`,
    kind,
    incident,
    createdAt: '2026-03-02T01:10:00.000Z',
    attempts: 0,
    lastError: null,
    claim: null,
    ...extra,
  };
}

/** CronJob `batch/<name>` with its failing incident open and its opening in storm `storm`. */
function inStorm(name: string, openedAt: string, storm = ID): [string, SubjectRecord] {
  const incident = failing(name, openedAt);
  return [
    `batch/${name}`,
    cronJob(name, {open: {failing: incident}, outbox: [note('opened', incident, {storm})]}),
  ];
}

function member(name: string, recoveredAt: string | null = null): StormMember {
  return {
    key: `batch/${name}`,
    incidentId: `uid-${name}/${name}-1`,
    kind: 'failing',
    namespace: 'batch',
    name,
    reason: 'BackoffLimitExceeded',
    recoveredAt,
  };
}

function stormRecord(extra: Partial<StormState> = {}): SubjectRecord {
  return cronJob('unused', {
    subject: {type: 'storm', id: ID},
    storm: {
      id: ID,
      clusterName: 'prod',
      destination: {channel: null, language: 'en', mention: null, runbook: null},
      openedAt: '2026-03-02T01:06:00.000Z',
      members: [member('a'), member('b')],
      parent: {channel: 'C0ALERTS01', ts: '1.0'},
      shown: 0,
      finishedAt: null,
      send: null,
      ...extra,
    },
  });
}

describe('an opening that continues another incident', () => {
  // A failing streak that follows a Job that ran too long continues its thread while that
  // thread is still open (relations.ts); once it is gone, the opening starts its own message.
  const continuing = failing('a', '2026-03-02T01:06:00.000Z', null, {continues: 'uid-a/stuck'});
  const thread = (incidentId: string) => ({incidentId, channel: 'C0ALERTS01', ts: '1.5'});
  const rows: Array<[string, SubjectRecord['threads'], boolean]> = [
    ['its thread is open: stays in that thread', [thread('uid-a/stuck')], false],
    [
      'its thread is open beside another: stays in that thread',
      [thread('uid-a/other'), thread('uid-a/stuck')],
      false,
    ],
    ["only another incident's thread is open: may join", [thread('uid-a/other')], true],
    ['no thread is open: may join', [], true],
  ];
  for (const [name, threads, joins] of rows) {
    it(name, () => {
      const record = cronJob('a', {outbox: [note('opened', continuing)], threads});
      assert.equal(stormCandidateOf(record, NOW) !== null, joins);
    });
  }
});

describe("a storm's id and channel", () => {
  const owing = (name: string, channel: string | null | 'none'): [string, SubjectRecord] => {
    const incident =
      channel === 'none'
        ? failing(name)
        : failing(name, undefined, null, {
            destination: {channel, language: 'en', mention: null, runbook: null},
          });
    return [`batch/${name}`, cronJob(name, {outbox: [note('opened', incident)]})];
  };
  it('the configured channel (no destination recorded, or none named): "<pass time>#"', () => {
    const records = [
      owing('a', 'none'),
      owing('b', null),
      owing('c', 'none'),
      owing('d', 'C0OPS00001'),
    ];
    assert.deepEqual(groupStorms(records, 3, NOW), [
      {id: '2026-03-02T02:00:00.000Z#', channel: null, keys: ['batch/a', 'batch/b', 'batch/c']},
    ]);
  });
  it('a named channel: "<pass time>#<channel>"', () => {
    const records = ['a', 'b', 'c'].map(n => owing(n, 'C0OPS00001'));
    assert.deepEqual(groupStorms(records, 3, NOW), [
      {
        id: '2026-03-02T02:00:00.000Z#C0OPS00001',
        channel: 'C0OPS00001',
        keys: ['batch/a', 'batch/b', 'batch/c'],
      },
    ]);
  });
});

describe('joining', () => {
  it('no record: nothing joins', () => {
    assert.equal(joinStorm(null, ID, NOW), null);
  });
  it('only the opening owed first is tagged; what is owed after it stays as it was', () => {
    const a = failing('a');
    const missed = {...failing('a'), kind: 'missed', id: 'uid-a/missed-1'} as unknown as Incident;
    const record = cronJob('a', {outbox: [note('opened', a), note('opened', missed)]});
    const joined = joinStorm(record, ID, NOW);
    assert.deepEqual(
      joined?.outbox.map(n => [n.incident.id, n.storm]),
      [
        ['uid-a/a-1', ID],
        ['uid-a/missed-1', undefined],
      ],
    );
    assert.equal(joined?.updatedAt, NOW.toISOString());
  });
});

describe('who is a member of which storm', () => {
  it("an opening in another storm is not this storm's member", () => {
    const [key, record] = inStorm('a', '2026-03-02T01:06:00.000Z', 'another-storm');
    assert.equal(memberOf(key, record, ID), null);
    assert.equal(memberOf(key, cronJob('a'), ID), null);
  });
});

describe('the storm record written from its members', () => {
  it('opened when its earliest member opened, whichever is listed first', () => {
    const written = stormRecordOf(
      null,
      ID,
      'kubeconfig/prod',
      'prod',
      [
        inStorm('a', '2026-03-02T01:20:00.000Z'),
        inStorm('b', '2026-03-02T01:05:00.000Z'),
        inStorm('c', '2026-03-02T01:12:00.000Z'),
      ],
      NOW,
    );
    assert.equal(written?.storm?.openedAt, '2026-03-02T01:05:00.000Z');
  });
  const current = () =>
    stormRecordOf(
      null,
      ID,
      'kubeconfig/prod',
      'prod',
      [inStorm('a', '2026-03-02T01:10:00.000Z')],
      new Date('2026-03-02T01:30:00.000Z'),
    );
  it('extended by a member that opened earlier: each member once, opened at the earlier time', () => {
    const extended = stormRecordOf(
      current(),
      ID,
      'kubeconfig/prod',
      'prod',
      [
        inStorm('a', '2026-03-02T01:10:00.000Z'),
        inStorm('x', '2026-03-02T01:00:00.000Z', 'another-storm'),
        inStorm('b', '2026-03-02T01:04:00.000Z'),
      ],
      NOW,
    );
    assert.deepEqual(
      extended?.storm?.members.map(m => m.key),
      ['batch/a', 'batch/b'],
    );
    assert.equal(extended?.storm?.openedAt, '2026-03-02T01:04:00.000Z');
    // The parent is owed once, when the storm formed.
    assert.equal(extended?.storm?.send?.createdAt, '2026-03-02T01:30:00.000Z');
  });
  it('extended by a member that opened later: still opened at the first time', () => {
    const extended = stormRecordOf(
      current(),
      ID,
      'kubeconfig/prod',
      'prod',
      [inStorm('c', '2026-03-02T01:15:00.000Z')],
      NOW,
    );
    assert.deepEqual(
      extended?.storm?.members.map(m => m.key),
      ['batch/a', 'batch/c'],
    );
    assert.equal(extended?.storm?.openedAt, '2026-03-02T01:10:00.000Z');
  });
});

describe('what the members say (more rows)', () => {
  const records = (...list: SubjectRecord[]) =>
    new Map(list.map(r => [`batch/${r.subject.type === 'cronjob' ? r.subject.name : ''}`, r]));

  it('a member recovered earlier keeps its time when another recovers', () => {
    const observed = observeStorm(
      stormRecord({members: [member('a', '2026-03-02T01:40:00.000Z'), member('b')]}),
      new Map(),
      NOW,
    );
    assert.deepEqual(
      observed?.storm?.members.map(m => m.recoveredAt),
      ['2026-03-02T01:40:00.000Z', NOW.toISOString()],
    );
    assert.equal(observed?.storm?.finishedAt, NOW.toISOString());
  });
  it('a member whose CronJob has another incident open has still recovered', () => {
    const missed = {
      kind: 'missed',
      id: 'uid-a/missed@2026-03-02T01:45:00Z',
      openedAt: '2026-03-02T01:45:00.000Z',
      closedAt: null,
      ending: null,
    } as unknown as MissedIncident;
    const observed = observeStorm(
      stormRecord(),
      records(
        cronJob('a', {
          open: {missed},
          history: [failing('a', undefined, '2026-03-02T01:41:00.000Z')],
        }),
        cronJob('b', {open: {failing: failing('b')}}),
      ),
      NOW,
    );
    assert.deepEqual(
      observed?.storm?.members.map(m => m.recoveredAt),
      ['2026-03-02T01:41:00.000Z', null],
    );
  });
  it("dated by its own closing, not by a message owed about it while it was open, nor another's", () => {
    // Acknowledged while open (the reply still owed), then closed: the closing dates it.
    const open = failing('a');
    const closed = failing('a', undefined, '2026-03-02T01:44:00.000Z');
    const other = {...failing('a', undefined, '2026-03-02T01:20:00.000Z'), id: 'uid-a/older'};
    const observed = observeStorm(
      stormRecord(),
      records(
        cronJob('a', {
          outbox: [note('closed', other), note('acted', open), note('closed', closed)],
        }),
        cronJob('b', {open: {failing: failing('b')}}),
      ),
      NOW,
    );
    assert.deepEqual(
      observed?.storm?.members.map(m => m.recoveredAt),
      ['2026-03-02T01:44:00.000Z', null],
    );
  });
  it('a recovery while another message is owed: that message stays owed (the parent is rewritten after it)', () => {
    const acted: StormSend = {
      id: `${ID}/acknowledged:U0ALICE001@2026-03-02T01:55:00.000Z`,
      kind: 'acted',
      createdAt: '2026-03-02T01:55:00.000Z',
      attempts: 0,
      lastError: null,
      claim: null,
      action: {type: 'acknowledged', by: 'U0ALICE001', at: '2026-03-02T01:55:00.000Z'},
      count: 2,
    };
    const observed = observeStorm(
      stormRecord({send: acted}),
      records(cronJob('b', {open: {failing: failing('b')}})),
      NOW,
    );
    assert.deepEqual(
      observed?.storm?.members.map(m => m.recoveredAt),
      [NOW.toISOString(), null],
    );
    assert.deepEqual(observed?.storm?.send, acted);
    assert.equal(observed?.storm?.queued, undefined);
  });
});

describe('recording a sent message', () => {
  // 26 members: the parent's list stops at 25, so the parent is followed by the roster.
  const many = Array.from({length: 26}, (_, i) => member(`m${String(i).padStart(2, '0')}`));
  const progress: StormSend = {
    id: `${ID}/progress`,
    kind: 'progress',
    createdAt: '2026-03-02T01:55:00.000Z',
    attempts: 0,
    lastError: null,
    claim: {by: 'pass-1', until: '2026-03-02T02:05:00.000Z'},
  };
  it('a progress update of a storm with a roster owes no roster again', () => {
    const recorded = markStormSent(
      stormRecord({members: many, send: progress}),
      progress.id,
      null,
      0,
      NOW,
    );
    assert.equal(recorded?.storm?.send, null);
    assert.equal(recorded?.storm?.queued, undefined);
    assert.deepEqual(recorded?.storm?.parent, {channel: 'C0ALERTS01', ts: '1.0'});
  });
  it('the parent of the same storm: its roster page is owed next', () => {
    const opened: StormSend = {...progress, id: `${ID}/opened`, kind: 'opened'};
    const recorded = markStormSent(
      stormRecord({members: many, send: opened, parent: null, shown: null}),
      opened.id,
      {channel: 'C0ALERTS01', ts: '2.0'},
      0,
      NOW,
    );
    assert.equal(recorded?.storm?.send?.id, `${ID}/roster-1`);
    assert.deepEqual(recorded?.storm?.parent, {channel: 'C0ALERTS01', ts: '2.0'});
  });
  it('no record: nothing to record, release or claim', () => {
    assert.equal(markStormSent(null, `${ID}/opened`, null, 0, NOW), null);
    assert.equal(releaseStormSend(null, `${ID}/opened`, 'pass-1', NOW, null), null);
    assert.equal(claimStormSend(null, 'pass-1', NOW, NOW), null);
  });
  it('a release by a pass of a message nobody claimed changes nothing', () => {
    const unclaimed = {...progress, claim: null};
    assert.equal(
      releaseStormSend(stormRecord({send: unclaimed}), unclaimed.id, 'pass-1', NOW, 'boom'),
      null,
    );
  });
});
