/**
 * Reminders of a storm (issue 22 §2 with §1): one reply in the parent's thread at each reminder
 * time instead of one per member; never for a storm acknowledged or snoozed from its parent or
 * over; reminder times passed before the storm formed are used up. Members of a storm get no
 * reminder of their own. A maintenance window's held opening never joins a storm. Expected
 * values are written out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {
  FailingIncident,
  StormMember,
  StormState,
  SubjectRecord,
} from '../../functions/core/incident.js';
import {RECORD_SCHEMA_VERSION} from '../../functions/core/incident.js';
import {remindersOwed} from '../../functions/core/reminders.js';
import {stormReminderDue} from '../../functions/core/storms/reminders.js';
import {stormCandidateOf} from '../../functions/core/storms/storm.js';

const ID = '2026-03-02T01:30:00.000Z#';
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const OFFSETS = [DAY, 3 * DAY, 7 * DAY];
const OPENED = '2026-03-02T01:00:00.000Z';
const after = (ms: number) => new Date(Date.parse(OPENED) + ms);

function incident(name: string, extra: Partial<FailingIncident> = {}): FailingIncident {
  const run = {
    job: `${name}-1`,
    jobUid: `uid-${name}-1`,
    manual: false,
    at: OPENED,
    reason: 'BackoffLimitExceeded',
    message: null,
    detail: null,
  };
  return {
    kind: 'failing',
    id: `uid-${name}/${name}-1`,
    openedAt: OPENED,
    closedAt: null,
    ending: null,
    openedBy: run,
    latestFailure: run,
    failedRuns: 1,
    ...extra,
  };
}

function memberRecord(name: string, extra: Partial<FailingIncident> = {}): SubjectRecord {
  const open = incident(name, extra);
  return {
    schemaVersion: RECORD_SCHEMA_VERSION,
    clusterId: 'kubeconfig/prod',
    subject: {type: 'cronjob', namespace: 'batch', name, uid: `uid-${name}`, schedule: '0 * * * *'},
    watermark: null,
    open: {failing: open},
    outbox: [],
    threads: [
      {incidentId: open.id, channel: 'C0ALERTS01', ts: `1.${name}`, threadTs: '1.0', storm: ID},
    ],
    history: [],
    readFailures: null,
    runs: [],
    updatedAt: OPENED,
  };
}

function member(name: string, recoveredAt: string | null = null): StormMember {
  return {
    key: `batch/${name}`,
    incidentId: `uid-${name}/${name}-1`,
    kind: 'failing',
    namespace: 'batch',
    name,
    reason: null,
    recoveredAt,
  };
}

function storm(extra: Partial<StormState> = {}): SubjectRecord {
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
    updatedAt: OPENED,
    storm: {
      id: ID,
      clusterName: 'prod',
      destination: {channel: null, language: 'en', mention: null, runbook: null},
      openedAt: OPENED,
      members: [member('a'), member('b'), member('c', '2026-03-02T05:00:00.000Z')],
      parent: {channel: 'C0ALERTS01', ts: '1.0'},
      shown: 1,
      finishedAt: null,
      send: null,
      formedAt: '2026-03-02T01:30:00.000Z',
      ...extra,
    },
  };
}

const members = (...records: SubjectRecord[]) =>
  new Map(records.map(r => [`batch/${r.subject.type === 'cronjob' ? r.subject.name : ''}`, r]));
const both = () => members(memberRecord('a'), memberRecord('b'));

describe("a storm's reminder", () => {
  it('a day after the first member opened: one, counting the members still open', () => {
    const now = after(DAY);
    const next = stormReminderDue(storm(), both(), OFFSETS, now);
    assert.deepEqual(next?.storm?.reminders, {sent: 1, lastAt: now.toISOString()});
    assert.deepEqual(next?.storm?.send, {
      id: `${ID}/reminder-1`,
      kind: 'reminder',
      createdAt: now.toISOString(),
      attempts: 0,
      lastError: null,
      claim: null,
      count: 2,
    });
  });

  const none: Array<[string, SubjectRecord, Date]> = [
    ['a minute before a day', storm(), after(DAY - 60_000)],
    [
      'the day’s reminder already sent',
      storm({reminders: {sent: 1, lastAt: '2026-03-03T01:00:00.000Z'}}),
      after(2 * DAY),
    ],
    ['acknowledged from the parent', storm({acknowledged: {by: 'U1', at: OPENED}}), after(DAY)],
    [
      'snoozed from the parent until later',
      storm({snoozed: {by: 'U1', at: OPENED, until: after(DAY + HOUR).toISOString()}}),
      after(DAY),
    ],
    [
      'snoozed until it recovers',
      storm({snoozed: {by: 'U1', at: OPENED, until: 'recovery'}}),
      after(DAY),
    ],
    ['over', storm({finishedAt: '2026-03-02T09:00:00.000Z'}), after(DAY)],
    ['its parent never posted', storm({parent: null}), after(DAY)],
    // Formed three days after the first member opened: the 1d and 3d times had passed.
    [
      'formed late, before its 7d time',
      storm({formedAt: after(3 * DAY).toISOString()}),
      after(6 * DAY),
    ],
  ];
  for (const [name, record, now] of none) {
    it(`none: ${name}`, () => {
      assert.equal(stormReminderDue(record, both(), OFFSETS, now), null);
    });
  }

  it('formed late: the next time that had not passed brings one', () => {
    const next = stormReminderDue(
      storm({formedAt: after(3 * DAY).toISOString()}),
      both(),
      OFFSETS,
      after(7 * DAY),
    );
    assert.equal(next?.storm?.send?.id, `${ID}/reminder-3`);
  });

  it('a snooze from the parent that ran out no longer holds it back', () => {
    const record = storm({snoozed: {by: 'U1', at: OPENED, until: after(DAY - HOUR).toISOString()}});
    assert.equal(
      stormReminderDue(record, both(), OFFSETS, after(DAY))?.storm?.send?.kind,
      'reminder',
    );
  });

  it('every open member acknowledged on its own: the time is used up without a word', () => {
    const ack = {acknowledged: {by: 'U1', at: OPENED}};
    const quiet = members(memberRecord('a', ack), memberRecord('b', ack));
    const next = stormReminderDue(storm(), quiet, OFFSETS, after(DAY));
    assert.equal(next?.storm?.send, null);
    assert.equal(next?.storm?.reminders?.sent, 1);
  });

  it('one member acknowledged on its own, one not: the reminder comes', () => {
    const some = members(
      memberRecord('a', {acknowledged: {by: 'U1', at: OPENED}}),
      memberRecord('b'),
    );
    assert.equal(stormReminderDue(storm(), some, OFFSETS, after(DAY))?.storm?.send?.count, 2);
  });
});

describe('members of a storm', () => {
  it('get no reminder of their own; the same incident outside a storm does', () => {
    const inStorm = memberRecord('a');
    assert.deepEqual(remindersOwed(inStorm, OFFSETS, after(DAY)), []);
    const alone = {
      ...inStorm,
      threads: [{incidentId: 'uid-a/a-1', channel: 'C0ALERTS01', ts: '1.a'}],
    };
    assert.deepEqual(
      remindersOwed(alone, OFFSETS, after(DAY)).map(o => [o.incident.id, o.count]),
      [['uid-a/a-1', 1]],
    );
  });
});

describe('an opening held by a maintenance window', () => {
  const held = (until: string): SubjectRecord => {
    const open = incident('a');
    return {
      ...memberRecord('a'),
      threads: [],
      outbox: [
        {
          id: `${open.id}/opened`,
          kind: 'opened',
          incident: open,
          createdAt: OPENED,
          attempts: 0,
          lastError: null,
          claim: null,
          heldUntil: until,
        },
      ],
    };
  };
  it('does not join a storm while held', () => {
    assert.equal(stormCandidateOf(held('2026-03-02T06:00:00.000Z'), after(HOUR)), null);
  });
  it('may join once its window ended', () => {
    assert.equal(
      stormCandidateOf(held('2026-03-02T06:00:00.000Z'), new Date('2026-03-02T06:00:00.000Z'))?.id,
      'uid-a/a-1/opened',
    );
  });
});
