/**
 * `cronjob-watcher incidents` (core/actions/incident-list.ts): the open incidents of the stored
 * records, oldest first, with who acknowledged or snoozed them (README: "open incidents: kind,
 * age, acknowledged/snoozed by whom"), and the table the CLI prints. Written for issue 27: only
 * the CLI tests reached this file. Rows, ages and table lines are written out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  incidentRows,
  incidentsTable,
  type IncidentRow,
} from '../../functions/core/actions/incident-list.js';
import {blankRecord, type Incident, type SubjectRecord} from '../../functions/core/incident.js';
import {FAILING, MISSED, UNREADABLE} from '../support/action-incidents.js';

const NOW = new Date('2026-03-02T10:00:00.000Z');
const CRONJOB = {
  type: 'cronjob' as const,
  namespace: 'batch',
  name: 'backup',
  uid: 'cj-uid',
  schedule: '0 * * * *',
};

function record(subject: SubjectRecord['subject'], ...incidents: Incident[]): SubjectRecord {
  const open: SubjectRecord['open'] = {};
  for (const i of incidents) Object.assign(open, {[i.kind]: i});
  return {...blankRecord('c1', subject, new Date('2026-03-01T00:00:00.000Z')), open};
}

const DEST = {language: null, mention: null, runbook: null};

describe('incidentRows', () => {
  it('every open incident, oldest first, with its age, state and channel', () => {
    const failing = {
      ...FAILING,
      openedAt: '2026-03-02T09:30:00.000Z',
      acknowledged: {by: 'U0ALICE001', at: '2026-03-02T09:40:00.000Z'},
      destination: {...DEST, channel: 'C0123456789'},
    };
    const missed = {
      ...MISSED,
      openedAt: '2026-03-02T07:55:00.000Z',
      // A snooze lasting at NOW, with its count: the row shows who, until when and when only.
      snoozed: {
        by: 'U0BOB00002',
        until: '2026-03-02T14:00:00.000Z',
        at: '2026-03-02T08:00:00.000Z',
        countAt: 2,
      },
    };
    const unreadable = {
      ...UNREADABLE,
      openedAt: '2026-03-01T05:00:00.000Z',
      snoozed: {by: 'ops', until: 'recovery', at: '2026-03-01T06:00:00.000Z'},
      destination: {...DEST, channel: null},
    };
    // A closed incident in the history is not listed.
    const cronjob = {
      ...record(CRONJOB, failing, missed),
      history: [{...FAILING, id: 'old', closedAt: '2026-03-01T00:00:00.000Z'}],
    };
    const rows = incidentRows('prod', [cronjob, record({type: 'cluster'}, unreadable)], NOW);
    assert.deepEqual(rows, [
      {
        cluster: 'prod',
        cronJob: '',
        kind: 'cluster-unreadable',
        id: UNREADABLE.id,
        openedAt: '2026-03-01T05:00:00.000Z',
        ageMs: 29 * 3_600_000,
        acknowledged: null,
        snoozed: {by: 'ops', until: 'recovery', at: '2026-03-01T06:00:00.000Z'},
        channel: null,
      },
      {
        cluster: 'prod',
        cronJob: 'batch/backup',
        kind: 'missed',
        id: 'cj/missed',
        openedAt: '2026-03-02T07:55:00.000Z',
        ageMs: 125 * 60_000, // 2h 5m
        acknowledged: null,
        snoozed: {
          by: 'U0BOB00002',
          until: '2026-03-02T14:00:00.000Z',
          at: '2026-03-02T08:00:00.000Z',
        },
        channel: null,
      },
      {
        cluster: 'prod',
        cronJob: 'batch/backup',
        kind: 'failing',
        id: 'cj/failing',
        openedAt: '2026-03-02T09:30:00.000Z',
        ageMs: 30 * 60_000,
        acknowledged: {by: 'U0ALICE001', at: '2026-03-02T09:40:00.000Z'},
        snoozed: null,
        channel: 'C0123456789',
      },
    ]);
  });

  it('a snooze that ran out is not shown; the acknowledgement still is', () => {
    const failing = {
      ...FAILING,
      acknowledged: {by: 'U0ALICE001', at: '2026-03-02T08:10:00.000Z'},
      snoozed: {
        by: 'U0BOB00002',
        until: '2026-03-02T10:00:00.000Z',
        at: '2026-03-02T09:00:00.000Z',
      },
    };
    const [row] = incidentRows('prod', [record(CRONJOB, failing)], NOW);
    assert.deepEqual(row?.acknowledged, {by: 'U0ALICE001', at: '2026-03-02T08:10:00.000Z'});
    assert.equal(row?.snoozed, null);
  });

  it('acknowledged and snoozed: both shown', () => {
    const failing = {
      ...FAILING,
      acknowledged: {by: 'U0ALICE001', at: '2026-03-02T08:10:00.000Z'},
      snoozed: {
        by: 'U0BOB00002',
        until: '2026-03-02T10:00:01.000Z',
        at: '2026-03-02T09:00:00.000Z',
      },
    };
    const [row] = incidentRows('prod', [record(CRONJOB, failing)], NOW);
    assert.deepEqual(row?.acknowledged, {by: 'U0ALICE001', at: '2026-03-02T08:10:00.000Z'});
    assert.deepEqual(row?.snoozed, {
      by: 'U0BOB00002',
      until: '2026-03-02T10:00:01.000Z',
      at: '2026-03-02T09:00:00.000Z',
    });
  });

  it('an incident opened after now (the cluster clock is ahead) is 0 old, not negative', () => {
    const failing = {...FAILING, openedAt: '2026-03-02T10:00:30.000Z'};
    const [row] = incidentRows('prod', [record(CRONJOB, failing)], NOW);
    assert.equal(row?.ageMs, 0);
  });

  it('no records, or none open: no rows', () => {
    assert.deepEqual(incidentRows('prod', [], NOW), []);
    assert.deepEqual(incidentRows('prod', [record(CRONJOB)], NOW), []);
  });
});

function row(over: Partial<IncidentRow>): IncidentRow {
  return {
    cluster: 'prod',
    cronJob: 'batch/backup',
    kind: 'failing',
    id: 'cj/failing',
    openedAt: '2026-03-02T09:30:00.000Z',
    ageMs: 30 * 60_000,
    acknowledged: null,
    snoozed: null,
    channel: null,
    ...over,
  };
}

/** The cells of a table's data line (no cell holds two spaces in a row). */
function cellsOf(table: string): string[] {
  const lines = table.split('\n');
  assert.equal(lines.length, 3, table); // header, one row, the final newline
  assert.equal(lines[2], '');
  return (lines[1] ?? '').split(/ {2,}/);
}

describe('incidentsTable', () => {
  it('none: one line saying so', () => {
    assert.equal(incidentsTable([]), 'No open incidents.\n');
  });

  it('columns aligned two spaces apart, the last one not padded', () => {
    const table = incidentsTable([
      row({acknowledged: {by: 'U0ALICE001', at: '2026-03-02T09:40:00.000Z'}}),
      row({
        cronJob: '',
        kind: 'cluster-unreadable',
        openedAt: '2026-03-01T05:00:00.000Z',
        ageMs: 29 * 3_600_000,
        channel: 'C0123456789',
      }),
    ]);
    assert.equal(
      table,
      [
        'CLUSTER  CRONJOB       KIND                OPENED                AGE    STATE                       CHANNEL',
        'prod     batch/backup  failing             2026-03-02T09:30:00Z  30m    acknowledged by U0ALICE001  (default)',
        'prod     (cluster)     cluster-unreadable  2026-03-01T05:00:00Z  1d 5h  -                           C0123456789',
        '',
      ].join('\n'),
    );
  });

  it('a column as wide as its header when every cell is shorter', () => {
    const table = incidentsTable([row({cluster: 'p', cronJob: 'a/b', kind: 'x', ageMs: 0})]);
    assert.equal(
      table,
      [
        'CLUSTER  CRONJOB  KIND  OPENED                AGE  STATE  CHANNEL',
        'p        a/b      x     2026-03-02T09:30:00Z  0m   -      (default)',
        '',
      ].join('\n'),
    );
  });

  const ages: Array<[number, string]> = [
    [0, '0m'],
    [59_999, '0m'],
    [60_000, '1m'],
    [59 * 60_000 + 59_999, '59m'],
    [3_600_000, '1h 0m'],
    [125 * 60_000, '2h 5m'],
    [(23 * 60 + 59) * 60_000, '23h 59m'],
    [86_400_000, '1d 0h'],
    [86_400_000 + 59 * 60_000, '1d 0h'],
    [(3 * 24 + 4) * 3_600_000 + 30 * 60_000, '3d 4h'],
    [(10 * 24 + 23) * 3_600_000 + 59 * 60_000, '10d 23h'],
  ];
  for (const [ms, text] of ages) {
    it(`age ${ms} ms: ${text}`, () => {
      assert.equal(cellsOf(incidentsTable([row({ageMs: ms})]))[4], text);
    });
  }

  const states: Array<[string, Partial<IncidentRow>, string]> = [
    ['nobody', {}, '-'],
    ['acknowledged', {acknowledged: {by: 'U0ALICE001', at: 'x'}}, 'acknowledged by U0ALICE001'],
    [
      'snoozed until a time',
      {snoozed: {by: 'bob', until: '2026-03-02T14:00:00.000Z', at: 'x'}},
      'snoozed by bob until 2026-03-02T14:00:00.000Z',
    ],
    [
      'snoozed until it recovers',
      {snoozed: {by: 'bob', until: 'recovery', at: 'x'}},
      'snoozed by bob until it recovers',
    ],
    [
      'both',
      {
        acknowledged: {by: 'ops', at: 'x'},
        snoozed: {by: 'U0BOB00002', until: 'recovery', at: 'x'},
      },
      'acknowledged by ops, snoozed by U0BOB00002 until it recovers',
    ],
  ];
  for (const [name, over, text] of states) {
    it(`state: ${name}`, () => {
      assert.equal(cellsOf(incidentsTable([row(over)]))[5], text);
    });
  }

  it('opened: to the second, its milliseconds left out', () => {
    assert.equal(
      cellsOf(incidentsTable([row({openedAt: '2026-03-02T09:30:00.123Z'})]))[3],
      '2026-03-02T09:30:00Z',
    );
    // A time stored without milliseconds stays as it is.
    assert.equal(
      cellsOf(incidentsTable([row({openedAt: '2026-03-02T09:30:00Z'})]))[3],
      '2026-03-02T09:30:00Z',
    );
  });
});
