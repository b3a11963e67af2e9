/**
 * What an action does to a record (core/actions/decide-action.ts) and when an incident is
 * quiet (quiet.ts), at the edges the first tables left open: which incident a click names (a
 * later streak of the same kind is another one), a snooze ending exactly now, ending a snooze
 * that already ran out, the opening not yet sent (it shows the change; no reply of its own)
 * against one being sent, the ids of acted notifications, and what each kind counts during a
 * snooze. Written for issue 27 from the rules in decide-action.ts's and README's words
 * ("Clicking what is already so changes nothing"); expected records are written out.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  applyChoice,
  decideAction,
  endSnoozes,
  snoozeEnded,
  without,
  type ActionChoice,
} from '../../functions/core/actions/decide-action.js';
import {
  countOf,
  isAcknowledgedOrSnoozed,
  quietedBy,
  snoozeLasts,
} from '../../functions/core/actions/quiet.js';
import {
  blankRecord,
  type Incident,
  type IncidentKind,
  type PendingNotification,
  type SubjectRecord,
} from '../../functions/core/incident.js';
import {FAILING, KINDS, MISSED, STUCK} from '../support/action-incidents.js';

const NOW = new Date('2026-03-02T10:00:00.000Z');
const AT = new Date('2026-03-02T09:59:58.000Z');
const ALICE = 'U0ALICE001';
const SUBJECT = {
  type: 'cronjob' as const,
  namespace: 'batch',
  name: 'backup',
  uid: 'cj-uid',
  schedule: '0 * * * *',
};

function record(open: Incident[], extra: Partial<SubjectRecord> = {}): SubjectRecord {
  const byKind: SubjectRecord['open'] = {};
  for (const i of open) Object.assign(byKind, {[i.kind]: i});
  return {
    ...blankRecord('c1', SUBJECT, new Date('2026-03-02T09:00:00.000Z')),
    open: byKind,
    ...extra,
  };
}

function pending(
  kind: PendingNotification['kind'],
  incident: Incident,
  claim: PendingNotification['claim'] = null,
): PendingNotification {
  return {
    id: `${incident.id}/${kind}`,
    kind,
    incident,
    createdAt: '2026-03-02T09:58:00.000Z',
    attempts: 0,
    lastError: null,
    claim,
  };
}

const ack: ActionChoice = {type: 'acknowledge'};

function request(choice: ActionChoice, incidentId = FAILING.id, kind: IncidentKind = 'failing') {
  return {kind, incidentId, choice, by: ALICE, at: AT};
}

describe('which incident an action names', () => {
  const earlier: Incident = {...FAILING, id: 'cj/failing-1', closedAt: '2026-03-01T00:00:00.000Z'};
  const other: Incident = {...FAILING, id: 'cj/failing-2', closedAt: '2026-03-01T06:00:00.000Z'};

  it('no record: closed, no incident', () => {
    assert.deepEqual(decideAction(null, request(ack), NOW), {type: 'closed', incident: null});
  });

  it('closed: the incident it names, found in the history among others', () => {
    const stored = record([], {history: [earlier, other]});
    assert.deepEqual(decideAction(stored, request(ack, 'cj/failing-2'), NOW), {
      type: 'closed',
      incident: other,
    });
    assert.deepEqual(decideAction(stored, request(ack, 'cj/failing-1'), NOW), {
      type: 'closed',
      incident: earlier,
    });
  });

  it('a later streak of the same kind is open: the click on the old one acts on nothing', () => {
    const stored = record([FAILING], {history: [other]});
    assert.deepEqual(decideAction(stored, request(ack, 'cj/failing-2'), NOW), {
      type: 'closed',
      incident: other,
    });
    // Named nowhere (not even in the history): closed, no incident.
    assert.deepEqual(decideAction(stored, request(ack, 'cj/failing-9'), NOW), {
      type: 'closed',
      incident: null,
    });
  });

  it('another kind open with that id is not it: the kind must match too', () => {
    const stored = record([{...MISSED, id: FAILING.id}]);
    assert.deepEqual(decideAction(stored, request(ack), NOW), {type: 'closed', incident: null});
  });
});

describe('snoozing and ending a snooze, at the edges', () => {
  it('a snooze that would end exactly now: nothing to do', () => {
    const outcome = decideAction(record([FAILING]), request({type: 'snooze', until: NOW}), NOW);
    assert.deepEqual(outcome, {type: 'unchanged', incident: FAILING});
  });

  it('a snooze ending a millisecond from now is recorded, with the count it starts from', () => {
    const until = new Date('2026-03-02T10:00:00.001Z');
    const outcome = decideAction(
      record([MISSED]),
      request({type: 'snooze', until}, MISSED.id, 'missed'),
      NOW,
    );
    assert.equal(outcome.type, 'recorded');
    assert.deepEqual(outcome.incident?.snoozed, {
      by: ALICE,
      until: '2026-03-02T10:00:00.001Z',
      at: '2026-03-02T09:59:58.000Z',
      countAt: 5,
    });
  });

  it('a different end replaces a lasting snooze, sooner or later', () => {
    const snoozed = {
      ...FAILING,
      snoozed: {by: 'bob', until: '2026-03-02T12:00:00.000Z', at: '2026-03-02T09:00:00.000Z'},
    };
    for (const until of ['2026-03-02T11:00:00.000Z', '2026-03-02T14:00:00.000Z']) {
      const acted = applyChoice(
        snoozed,
        {choice: {type: 'snooze', until: new Date(until)}, by: ALICE, at: AT},
        NOW,
      );
      assert.deepEqual(acted?.state.snoozed, {by: ALICE, until, at: '2026-03-02T09:59:58.000Z'});
      assert.deepEqual(acted?.event, {
        type: 'snoozed',
        by: ALICE,
        at: '2026-03-02T09:59:58.000Z',
        until,
      });
    }
  });

  it('until it recovers, again while it lasts: nothing to do', () => {
    const snoozed = {
      ...FAILING,
      snoozed: {by: 'bob', until: 'recovery', at: '2026-03-02T08:00:00.000Z'},
    };
    const outcome = decideAction(
      record([snoozed]),
      request({type: 'snooze', until: 'recovery'}),
      NOW,
    );
    assert.deepEqual(outcome, {type: 'unchanged', incident: snoozed});
  });

  it('ending a snooze that already ran out (its end not yet told): nothing to do', () => {
    const ranOut = {
      ...FAILING,
      snoozed: {by: 'bob', until: '2026-03-02T10:00:00.000Z', at: '2026-03-02T09:00:00.000Z'},
    };
    const outcome = decideAction(record([ranOut]), request({type: 'unsnooze'}), NOW);
    assert.deepEqual(outcome, {type: 'unchanged', incident: ranOut});
  });

  it('ending a snooze that lasts: recorded, the field gone (not undefined)', () => {
    const lasting = {
      ...FAILING,
      snoozed: {by: 'bob', until: '2026-03-02T10:00:01.000Z', at: '2026-03-02T09:00:00.000Z'},
    };
    const outcome = decideAction(record([lasting]), request({type: 'unsnooze'}), NOW);
    assert.equal(outcome.type, 'recorded');
    assert.equal(outcome.incident !== null && 'snoozed' in outcome.incident, false);
  });

  it('from a storm’s parent: the event and the snooze name the storm', () => {
    const storm = 'storm:c1@2026-03-02T09:00:00.000Z';
    const outcome = decideAction(
      record([FAILING]),
      {...request({type: 'snooze', until: 'recovery'}), storm},
      NOW,
    );
    assert.equal(outcome.type, 'recorded');
    if (outcome.type !== 'recorded') return;
    assert.deepEqual(outcome.event, {
      type: 'snoozed',
      by: ALICE,
      at: '2026-03-02T09:59:58.000Z',
      until: 'recovery',
      storm,
    });
    assert.deepEqual(outcome.incident.snoozed, {
      by: ALICE,
      until: 'recovery',
      at: '2026-03-02T09:59:58.000Z',
      countAt: 3,
      storm,
    });
  });
});

describe('the message an action owes', () => {
  const acked = {...FAILING, acknowledged: {by: ALICE, at: '2026-03-02T09:59:58.000Z'}};
  const actedId = 'cj/failing/acknowledged:U0ALICE001@2026-03-02T09:59:58.000Z';

  it('no opening waiting: one acted notification, named by incident, action, who and when', () => {
    const outcome = decideAction(record([FAILING]), request(ack), NOW);
    assert.equal(outcome.type, 'recorded');
    if (outcome.type !== 'recorded') return;
    assert.deepEqual(outcome.record.outbox, [
      {
        id: actedId,
        kind: 'acted',
        incident: acked,
        action: {type: 'acknowledged', by: ALICE, at: '2026-03-02T09:59:58.000Z'},
        createdAt: '2026-03-02T10:00:00.000Z',
        attempts: 0,
        lastError: null,
        claim: null,
      },
    ]);
    assert.equal(outcome.record.updatedAt, '2026-03-02T10:00:00.000Z');
  });

  it('its opening not yet sent: the opening shows it, no reply of its own', () => {
    const outcome = decideAction(
      record([FAILING], {outbox: [pending('opened', FAILING)]}),
      request(ack),
      NOW,
    );
    assert.equal(outcome.type, 'recorded');
    if (outcome.type !== 'recorded') return;
    assert.deepEqual(outcome.record.outbox, [pending('opened', acked)]);
  });

  it('its opening being sent (claimed): left as it is, and the acted notification follows', () => {
    const claim = {by: 'pass-1', until: '2026-03-02T10:00:30.000Z'};
    const outcome = decideAction(
      record([FAILING], {outbox: [pending('opened', FAILING, claim)]}),
      request(ack),
      NOW,
    );
    assert.equal(outcome.type, 'recorded');
    if (outcome.type !== 'recorded') return;
    assert.deepEqual(
      outcome.record.outbox.map(n => [n.id, n.incident.acknowledged?.by ?? null]),
      [
        ['cj/failing/opened', null],
        [actedId, ALICE],
      ],
    );
  });

  it('a claim that ran out (the pass died): the opening is free again and shows it', () => {
    const claim = {by: 'pass-1', until: '2026-03-02T10:00:00.000Z'};
    const outcome = decideAction(
      record([FAILING], {outbox: [pending('opened', FAILING, claim)]}),
      request(ack),
      NOW,
    );
    assert.equal(outcome.type, 'recorded');
    if (outcome.type !== 'recorded') return;
    assert.deepEqual(outcome.record.outbox, [{...pending('opened', acked), claim}]);
  });

  it('another incident’s opening, or a reminder of this one: untouched, and the acted one follows', () => {
    const outbox = [pending('opened', STUCK), pending('reminder', FAILING)];
    const outcome = decideAction(record([FAILING, STUCK], {outbox}), request(ack), NOW);
    assert.equal(outcome.type, 'recorded');
    if (outcome.type !== 'recorded') return;
    assert.deepEqual(outcome.record.outbox.slice(0, 2), outbox);
    assert.deepEqual(
      outcome.record.outbox.map(n => n.id),
      ['cj/stuck/opened', 'cj/failing/reminder', actedId],
    );
    // The other open incident is kept as it was.
    assert.deepEqual(outcome.record.open, {failing: acked, 'running-too-long': STUCK});
  });
});

describe('snoozes that run out', () => {
  const ran = (i: Incident, countAt?: number, storm?: string): Incident => ({
    ...i,
    snoozed: {
      by: 'bob',
      until: '2026-03-02T09:00:00.000Z',
      at: '2026-03-02T08:00:00.000Z',
      ...(countAt === undefined ? {} : {countAt}),
      ...(storm === undefined ? {} : {storm}),
    },
  });
  const lasting = (i: Incident): Incident => ({
    ...i,
    snoozed: {by: 'bob', until: '2026-03-02T10:00:01.000Z', at: '2026-03-02T08:00:00.000Z'},
  });

  it('snoozeEnded: one of several open incidents is enough; exactly now is ended', () => {
    assert.equal(snoozeEnded(record([FAILING, ran(MISSED)]), NOW), true);
    assert.equal(snoozeEnded(record([lasting(FAILING), STUCK]), NOW), false);
    assert.equal(snoozeEnded(record([]), NOW), false);
    const endsNow = {...FAILING, snoozed: {by: 'bob', until: '2026-03-02T10:00:00.000Z', at: 'x'}};
    assert.equal(snoozeEnded(record([endsNow]), NOW), true);
    assert.equal(
      snoozeEnded(record([{...FAILING, snoozed: {by: 'b', until: 'recovery', at: 'x'}}]), NOW),
      false,
    );
  });

  it('endSnoozes: each that ran out ends with one reply; the others stay', () => {
    const stored = record([ran(FAILING, 1), ran(MISSED), lasting(STUCK)]);
    const next = endSnoozes(stored, NOW);
    assert.ok(next !== null);
    assert.deepEqual(next.open, {
      failing: FAILING,
      missed: MISSED,
      'running-too-long': lasting(STUCK),
    });
    assert.deepEqual(
      next.outbox.map(n => [n.id, n.action]),
      [
        [
          'cj/failing/snooze-ended:bob@2026-03-02T09:00:00.000Z',
          {
            type: 'snooze-ended',
            by: 'bob',
            at: '2026-03-02T09:00:00.000Z',
            until: '2026-03-02T09:00:00.000Z',
            meanwhile: 2,
          },
        ],
        [
          // Snoozed without a count (an older record): nothing is said to have grown.
          'cj/missed/snooze-ended:bob@2026-03-02T09:00:00.000Z',
          {
            type: 'snooze-ended',
            by: 'bob',
            at: '2026-03-02T09:00:00.000Z',
            until: '2026-03-02T09:00:00.000Z',
            meanwhile: 0,
          },
        ],
      ],
    );
    assert.equal(next.updatedAt, '2026-03-02T10:00:00.000Z');
  });

  it('endSnoozes: a count that went down says nothing grew; a storm’s snooze names it', () => {
    const storm = 'storm:c1@x';
    const next = endSnoozes(record([ran(FAILING, 9, storm)]), NOW);
    assert.deepEqual(next?.outbox[0]?.action, {
      type: 'snooze-ended',
      by: 'bob',
      at: '2026-03-02T09:00:00.000Z',
      until: '2026-03-02T09:00:00.000Z',
      meanwhile: 0,
      storm,
    });
  });

  it('endSnoozes: none ran out, or none snoozed: null', () => {
    assert.equal(endSnoozes(record([lasting(FAILING), MISSED]), NOW), null);
    assert.equal(endSnoozes(record([]), NOW), null);
  });
});

describe('quiet', () => {
  for (const {kind, incident, count} of KINDS) {
    it(`${kind} counts ${count}`, () => {
      assert.equal(countOf(incident), count);
    });
  }

  it('a snooze lasts until its time, not at it', () => {
    const s = {by: 'bob', at: 'x'};
    assert.equal(snoozeLasts({...s, until: '2026-03-02T10:00:00.001Z'}, NOW), true);
    assert.equal(snoozeLasts({...s, until: '2026-03-02T10:00:00.000Z'}, NOW), false);
    assert.equal(snoozeLasts({...s, until: 'recovery'}, NOW), true);
  });

  it('a lasting snooze comes first; a closed incident is never quiet', () => {
    const both = {
      ...FAILING,
      acknowledged: {by: ALICE, at: '2026-03-02T09:00:00.000Z'},
      snoozed: {by: 'bob', until: 'recovery', at: '2026-03-02T09:30:00.000Z', countAt: 1},
    };
    assert.deepEqual(quietedBy(both, NOW), {
      type: 'snoozed',
      by: 'bob',
      until: 'recovery',
      at: '2026-03-02T09:30:00.000Z',
    });
    assert.deepEqual(
      quietedBy({...both, snoozed: {...both.snoozed, until: '2026-03-02T10:00:00.000Z'}}, NOW),
      {
        type: 'acknowledged',
        by: ALICE,
        at: '2026-03-02T09:00:00.000Z',
      },
    );
    const closed = {...both, closedAt: '2026-03-02T09:50:00.000Z'};
    assert.equal(quietedBy(closed, NOW), null);
    assert.equal(isAcknowledgedOrSnoozed(closed, NOW), false);
    assert.equal(isAcknowledgedOrSnoozed(FAILING, NOW), false);
    assert.equal(isAcknowledgedOrSnoozed(both, NOW), true);
  });
});

describe('without', () => {
  it('drops the field itself, leaves the rest and the original as they were', () => {
    const value = {a: 1, b: 2};
    assert.deepEqual(without(value, 'b'), {a: 1});
    assert.deepEqual(Object.keys(without(value, 'b')), ['a']);
    assert.deepEqual(value, {a: 1, b: 2});
  });
});
