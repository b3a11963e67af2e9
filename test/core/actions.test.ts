/**
 * What a click does to a record (core/actions/decide-action.ts), as a table over (the
 * incident's state × the action × who × when), the end of a snooze as a pass sees it, and
 * the predicate reminders read. Expectations are written out, not computed by the code.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  decideAction,
  endSnoozes,
  snoozeEnded,
  type ActionChoice,
  type ActionOutcome,
} from '../../functions/core/actions/decide-action.js';
import {isAcknowledgedOrSnoozed, quietedBy} from '../../functions/core/actions/quiet.js';
import {
  blankRecord,
  type FailingIncident,
  type PendingNotification,
  type SubjectRecord,
} from '../../functions/core/incident.js';
import {OPEN_INCIDENT} from '../support/notification-fixtures.js';

const NOW = new Date('2026-03-02T10:00:00.000Z');
const AT = new Date('2026-03-02T09:59:58.000Z');
const ALICE = 'U0ALICE001';
const BOB = 'U0BOB00002';
const SUBJECT = {
  type: 'cronjob' as const,
  namespace: 'batch',
  name: 'backup',
  uid: 'cj-uid',
  schedule: '0 * * * *',
};

function record(
  incident: FailingIncident | null,
  outbox: PendingNotification[] = [],
): SubjectRecord {
  return {
    ...blankRecord('c1', SUBJECT, new Date('2026-03-02T09:00:00.000Z')),
    open: incident === null ? {} : {failing: incident},
    outbox,
  };
}

const ACKED = {...OPEN_INCIDENT, acknowledged: {by: ALICE, at: '2026-03-02T09:30:00.000Z'}};
const SNOOZED_4H = {
  ...OPEN_INCIDENT,
  snoozed: {by: ALICE, at: '2026-03-02T09:30:00.000Z', until: '2026-03-02T13:30:00.000Z'},
};
const SNOOZE_RAN_OUT = {
  ...OPEN_INCIDENT,
  failedRuns: 4,
  snoozed: {
    by: ALICE,
    at: '2026-03-02T08:00:00.000Z',
    until: '2026-03-02T09:00:00.000Z',
    countAt: 1,
  },
};

function act(
  stored: SubjectRecord | null,
  choice: ActionChoice,
  by = BOB,
  incidentId = OPEN_INCIDENT.id,
) {
  return decideAction(stored, {kind: 'failing', incidentId, choice, by, at: AT}, NOW);
}

function recorded(outcome: ActionOutcome) {
  assert.equal(outcome.type, 'recorded', JSON.stringify(outcome));
  if (outcome.type !== 'recorded') throw new Error('not recorded');
  return outcome;
}

describe('decideAction', () => {
  const cases: Array<{
    name: string;
    incident: FailingIncident;
    choice: ActionChoice;
    expect: 'unchanged' | {acknowledged?: object | null; snoozed?: object | null; event: object};
  }> = [
    {
      name: 'acknowledge an unacknowledged incident',
      incident: OPEN_INCIDENT,
      choice: {type: 'acknowledge'},
      expect: {
        acknowledged: {by: BOB, at: '2026-03-02T09:59:58.000Z'},
        event: {type: 'acknowledged', by: BOB, at: '2026-03-02T09:59:58.000Z'},
      },
    },
    {
      name: 'acknowledge what Alice already acknowledged: unchanged (she stays)',
      incident: ACKED,
      choice: {type: 'acknowledge'},
      expect: 'unchanged',
    },
    {
      name: 'unacknowledge',
      incident: ACKED,
      choice: {type: 'unacknowledge'},
      expect: {
        acknowledged: null,
        event: {type: 'unacknowledged', by: BOB, at: '2026-03-02T09:59:58.000Z'},
      },
    },
    {
      name: 'unacknowledge what nobody acknowledged: unchanged',
      incident: OPEN_INCIDENT,
      choice: {type: 'unacknowledge'},
      expect: 'unchanged',
    },
    {
      name: 'snooze 1 hour',
      incident: OPEN_INCIDENT,
      choice: {type: 'snooze', until: new Date('2026-03-02T10:59:58.000Z')},
      expect: {
        snoozed: {
          by: BOB,
          at: '2026-03-02T09:59:58.000Z',
          until: '2026-03-02T10:59:58.000Z',
          countAt: 1,
        },
        event: {
          type: 'snoozed',
          by: BOB,
          at: '2026-03-02T09:59:58.000Z',
          until: '2026-03-02T10:59:58.000Z',
        },
      },
    },
    {
      name: 'snooze until it recovers, over a 4-hour snooze',
      incident: SNOOZED_4H,
      choice: {type: 'snooze', until: 'recovery'},
      expect: {
        snoozed: {by: BOB, at: '2026-03-02T09:59:58.000Z', until: 'recovery', countAt: 1},
        event: {type: 'snoozed', by: BOB, at: '2026-03-02T09:59:58.000Z', until: 'recovery'},
      },
    },
    {
      name: 'the same snooze again: unchanged',
      incident: SNOOZED_4H,
      choice: {type: 'snooze', until: new Date('2026-03-02T13:30:00.000Z')},
      expect: 'unchanged',
    },
    {
      name: 'a snooze that would already be over: unchanged',
      incident: OPEN_INCIDENT,
      choice: {type: 'snooze', until: new Date('2026-03-02T09:00:00.000Z')},
      expect: 'unchanged',
    },
    {
      name: 'end a snooze',
      incident: SNOOZED_4H,
      choice: {type: 'unsnooze'},
      expect: {
        snoozed: null,
        event: {type: 'unsnoozed', by: BOB, at: '2026-03-02T09:59:58.000Z'},
      },
    },
    {
      name: 'end a snooze that already ran out: unchanged (the pass says it)',
      incident: SNOOZE_RAN_OUT,
      choice: {type: 'unsnooze'},
      expect: 'unchanged',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const outcome = act(record(c.incident), c.choice);
      if (c.expect === 'unchanged') {
        assert.equal(outcome.type, 'unchanged');
        return;
      }
      const done = recorded(outcome);
      const open = done.record.open.failing;
      assert.ok(open !== undefined);
      if (c.expect.acknowledged !== undefined) {
        if (c.expect.acknowledged === null) assert.ok(!('acknowledged' in open));
        else assert.deepEqual(open.acknowledged, c.expect.acknowledged);
      }
      if (c.expect.snoozed !== undefined) {
        if (c.expect.snoozed === null) assert.ok(!('snoozed' in open));
        else assert.deepEqual(open.snoozed, c.expect.snoozed);
      }
      assert.deepEqual(done.event, c.expect.event);
      // One notification: the opening message updated and one reply, through the outbox.
      assert.equal(done.record.outbox.length, 1);
      const n = done.record.outbox[0];
      assert.equal(n?.kind, 'acted');
      assert.deepEqual(n?.action, c.expect.event);
      assert.deepEqual(n?.incident, open);
      assert.equal(
        n?.id,
        `cj-uid/uid-1/${c.expect.event['type' as keyof object]}:${BOB}@2026-03-02T09:59:58.000Z`,
      );
      assert.equal(done.record.updatedAt, NOW.toISOString());
    });
  }

  it('an incident that is no longer open (or another streak of its kind) changes nothing', () => {
    const closed = {...OPEN_INCIDENT, closedAt: '2026-03-02T09:00:00Z', ending: null};
    const gone = {...record(null), history: [closed]};
    assert.deepEqual(act(gone, {type: 'acknowledge'}), {type: 'closed', incident: closed});
    assert.deepEqual(act(null, {type: 'acknowledge'}), {type: 'closed', incident: null});
    const later = {...OPEN_INCIDENT, id: 'cj-uid/uid-9'};
    assert.equal(act(record(later), {type: 'acknowledge'}).type, 'closed');
  });

  it('the same click twice has one effect; two people at once: the first is recorded', () => {
    const first = recorded(act(record(OPEN_INCIDENT), {type: 'acknowledge'}, ALICE));
    const again = act(first.record, {type: 'acknowledge'}, ALICE);
    assert.equal(again.type, 'unchanged');
    const other = act(first.record, {type: 'acknowledge'}, BOB);
    assert.equal(other.type, 'unchanged');
    assert.equal(other.type === 'unchanged' && other.incident.acknowledged?.by, ALICE);
  });

  it('an opening not sent yet goes out showing the change, with no reply of its own', () => {
    const opening: PendingNotification = {
      id: 'cj-uid/uid-1/opened',
      kind: 'opened',
      incident: OPEN_INCIDENT,
      createdAt: '2026-03-02T09:59:00.000Z',
      attempts: 0,
      lastError: null,
      claim: null,
    };
    const done = recorded(act(record(OPEN_INCIDENT, [opening]), {type: 'acknowledge'}));
    assert.deepEqual(done.record.outbox, [{...opening, incident: done.record.open.failing}]);
    // One being sent right now keeps what it is sending; the change follows it.
    const claimed = {...opening, claim: {by: 'pass-1', until: '2026-03-02T10:05:00.000Z'}};
    const after = recorded(act(record(OPEN_INCIDENT, [claimed]), {type: 'acknowledge'}));
    assert.deepEqual(
      after.record.outbox.map(n => n.kind),
      ['opened', 'acted'],
    );
    assert.deepEqual(after.record.outbox[0], claimed);
  });
});

describe('the end of a snooze', () => {
  it('a snooze that ran out on an open incident: cleared, one reply with what happened meanwhile', () => {
    const stored = record(SNOOZE_RAN_OUT);
    assert.ok(snoozeEnded(stored, NOW));
    const next = endSnoozes(stored, NOW);
    assert.ok(next !== null);
    assert.ok(!('snoozed' in (next.open.failing ?? {})));
    assert.deepEqual(
      next.outbox.map(n => [n.kind, n.action]),
      [
        [
          'acted',
          {
            type: 'snooze-ended',
            by: ALICE,
            at: '2026-03-02T09:00:00.000Z',
            until: '2026-03-02T09:00:00.000Z',
            meanwhile: 3,
          },
        ],
      ],
    );
    // Said once: the record it leaves has nothing more to end.
    assert.equal(snoozeEnded(next, NOW), false);
    assert.equal(endSnoozes(next, NOW), null);
  });

  it('a snooze that lasts, until recovery, or ends exactly now', () => {
    assert.equal(snoozeEnded(record(SNOOZED_4H), NOW), false);
    const recovery = {
      ...OPEN_INCIDENT,
      snoozed: {by: ALICE, at: '2026-03-01T00:00:00Z', until: 'recovery'},
    };
    assert.equal(snoozeEnded(record(recovery), new Date('2030-01-01T00:00:00Z')), false);
    const endsNow = {...OPEN_INCIDENT, snoozed: {...SNOOZED_4H.snoozed, until: NOW.toISOString()}};
    assert.equal(snoozeEnded(record(endsNow), NOW), true);
    assert.equal(snoozeEnded(record(endsNow), new Date(NOW.getTime() - 1)), false);
  });
});

describe('quietedBy', () => {
  const rows: Array<[string, Partial<FailingIncident>, Date, ReturnType<typeof quietedBy>]> = [
    ['nobody', {}, NOW, null],
    [
      'acknowledged',
      {acknowledged: ACKED.acknowledged},
      NOW,
      {type: 'acknowledged', by: ALICE, at: '2026-03-02T09:30:00.000Z'},
    ],
    [
      'snoozed, lasting',
      {snoozed: SNOOZED_4H.snoozed},
      NOW,
      {
        type: 'snoozed',
        by: ALICE,
        at: '2026-03-02T09:30:00.000Z',
        until: '2026-03-02T13:30:00.000Z',
      },
    ],
    ['snoozed, ran out', {snoozed: SNOOZED_4H.snoozed}, new Date('2026-03-02T13:30:00.000Z'), null],
    [
      'both: the snooze says until when',
      {acknowledged: ACKED.acknowledged, snoozed: SNOOZED_4H.snoozed},
      NOW,
      {
        type: 'snoozed',
        by: ALICE,
        at: '2026-03-02T09:30:00.000Z',
        until: '2026-03-02T13:30:00.000Z',
      },
    ],
    [
      'snooze ran out, still acknowledged',
      {acknowledged: ACKED.acknowledged, snoozed: SNOOZED_4H.snoozed},
      new Date('2026-03-02T14:00:00.000Z'),
      {type: 'acknowledged', by: ALICE, at: '2026-03-02T09:30:00.000Z'},
    ],
    [
      'closed: never quiet',
      {acknowledged: ACKED.acknowledged, closedAt: '2026-03-02T09:45:00.000Z'},
      NOW,
      null,
    ],
  ];
  for (const [name, fields, now, expected] of rows) {
    it(name, () => {
      const incident = {...OPEN_INCIDENT, ...fields};
      assert.deepEqual(quietedBy(incident, now), expected);
      assert.equal(isAcknowledgedOrSnoozed(incident, now), expected !== null);
    });
  }
});
