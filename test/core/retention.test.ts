/** Tables for what a record keeps and when it expires (RETENTION_DAYS), `now` passed in. */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {FailingIncident, SubjectRecord} from '../../functions/core/incident.js';
import {blankRecord} from '../../functions/core/incident.js';
import {expiresAt, withinRetention} from '../../functions/core/retention.js';

const DAY = 86_400_000;
const RETENTION = 30 * DAY;
const NOW = new Date('2026-06-01T00:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

function closed(id: string, closedAt: string | null, openedAt = closedAt ?? daysAgo(0)) {
  const run = {
    job: `${id}-job`,
    jobUid: `uid-${id}`,
    manual: false,
    at: openedAt,
    reason: 'Error',
    message: null,
    detail: null,
  };
  const incident: FailingIncident = {
    kind: 'failing',
    id,
    openedAt,
    openedBy: run,
    latestFailure: run,
    failedRuns: 1,
    closedAt,
    ending: null,
    log: {pod: 'p', container: 'c', text: `${id} log`, cut: false, unavailable: null},
  };
  return incident;
}

function record(history: FailingIncident[], open = false): SubjectRecord {
  const base = blankRecord(
    'c',
    {type: 'cronjob', namespace: 'n', name: 'j', uid: 'u', schedule: '0 * * * *'},
    NOW,
  );
  return {
    ...base,
    history,
    open: open ? {failing: {...closed('open', null, daysAgo(500))}} : {},
  };
}

describe('withinRetention: closed incidents go once closed for the retention period', () => {
  const cases: Array<[string, FailingIncident[], string[]]> = [
    ['nothing to drop', [closed('a', daysAgo(1))], ['a']],
    ['one day past', [closed('a', daysAgo(31)), closed('b', daysAgo(2))], ['b']],
    ['exactly the period: gone', [closed('a', daysAgo(30))], []],
    [
      'a millisecond inside: kept',
      [closed('a', new Date(NOW.getTime() - RETENTION + 1).toISOString())],
      ['a'],
    ],
    ['no closing time: its opening counts', [closed('a', null, daysAgo(40))], []],
    ['no usable time at all: not known to be recent', [closed('a', null, 'garbage')], []],
    ['all past', [closed('a', daysAgo(90)), closed('b', daysAgo(60))], []],
  ];
  for (const [why, history, kept] of cases) {
    it(why, () => {
      const out = withinRetention(record(history), NOW, RETENTION);
      assert.deepEqual(
        out.history.map(i => i.id),
        kept,
      );
      // The excerpt goes with its incident.
      for (const gone of history.filter(i => !kept.includes(i.id))) {
        assert.ok(!JSON.stringify(out).includes(`${gone.id} log`));
      }
    });
  }

  it('leaves open incidents alone, however old', () => {
    const r = record([], true);
    assert.equal(withinRetention(r, NOW, RETENTION), r);
  });
});

describe('expiresAt: when a record left alone is deleted', () => {
  const written = NOW;
  const cases: Array<[string, SubjectRecord, string | null]> = [
    ['no history: the retention after its write', record([]), '2026-07-01T00:00:00.000Z'],
    [
      'history: the retention after its oldest closing',
      record([closed('a', daysAgo(10)), closed('b', daysAgo(3))]),
      '2026-06-21T00:00:00.000Z',
    ],
    [
      'a closing after the write (a clock ahead) does not postpone it',
      record([closed('a', '2026-06-05T00:00:00.000Z')]),
      '2026-07-01T00:00:00.000Z',
    ],
    ['an open incident: never', record([closed('a', daysAgo(10))], true), null],
  ];
  for (const [why, r, expected] of cases) {
    it(why, () => {
      assert.equal(expiresAt(r, written, RETENTION)?.toISOString() ?? null, expected);
    });
  }

  it('a message owed: never', () => {
    const owed = {...record([]), outbox: [{} as SubjectRecord['outbox'][number]]};
    assert.equal(expiresAt(owed, written, RETENTION), null);
  });

  it('a record rewritten every day keeps the expiry its oldest closed incident set', () => {
    const r = record([closed('a', daysAgo(0))]);
    const expiries = [1, 10, 29].map(day =>
      expiresAt(r, new Date(NOW.getTime() + day * DAY), RETENTION)?.toISOString(),
    );
    assert.deepEqual(expiries, Array(3).fill('2026-07-01T00:00:00.000Z'));
  });
});
