/**
 * The stored record's small rules (incident.ts), aimed at mutants that the decision tests reach
 * only in passing (issue 27): which records a pass must load every time, when a notification
 * is held or claimed (the instant it ends is over), the keys of each kind of subject, and a blank
 * record. Expected values are written out from the functions' documentation.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  blankRecord,
  hasOpenIncident,
  isClaimed,
  isHeld,
  keyOfSubject,
  needsAttention,
  openIncidents,
  RECORD_SCHEMA_VERSION,
  type FailingIncident,
  type PendingNotification,
  type StormState,
  type SubjectRecord,
} from '../../functions/core/incident.js';

const NOW = new Date('2026-03-03T00:00:00Z');
const iso = (ms: number) => new Date(NOW.getTime() + ms).toISOString();
const CRONJOB = {
  type: 'cronjob' as const,
  namespace: 'batch',
  name: 'backup',
  uid: 'u',
  schedule: '@daily',
};

const FAILING: FailingIncident = {
  kind: 'failing',
  id: 'failing:u@1',
  openedAt: iso(-60_000),
  closedAt: null,
  ending: null,
  openedBy: {
    job: 'j',
    jobUid: 'ju',
    manual: false,
    at: iso(-60_000),
    reason: null,
    message: null,
    detail: null,
  },
  latestFailure: {
    job: 'j',
    jobUid: 'ju',
    manual: false,
    at: iso(-60_000),
    reason: null,
    message: null,
    detail: null,
  },
  failedRuns: 1,
};

const notification = (extra: Partial<PendingNotification> = {}): PendingNotification => ({
  id: `${FAILING.id}/opened`,
  kind: 'opened',
  incident: FAILING,
  createdAt: iso(0),
  attempts: 0,
  lastError: null,
  claim: null,
  ...extra,
});

const STORM: StormState = {
  id: 's1',
  clusterName: 'prod',
  destination: {channel: null, language: null, mention: null, runbook: null},
  openedAt: iso(0),
  members: [],
  parent: null,
  shown: null,
  finishedAt: null,
  send: null,
};

describe('needsAttention: which records a pass loads every time', () => {
  const blank = blankRecord('c', CRONJOB, NOW);
  const cases: Array<[string, SubjectRecord, boolean]> = [
    ['nothing in it', blank, false],
    ['an open incident', {...blank, open: {failing: FAILING}}, true],
    ['a message owed', {...blank, outbox: [notification()]}, true],
    [
      'a cluster read that failed once',
      {...blank, readFailures: {count: 1, since: iso(0), lastError: 'x'}},
      true,
    ],
    [
      'a failure count back at zero',
      {...blank, readFailures: {count: 0, since: iso(0), lastError: 'x'}},
      false,
    ],
    ['a storm with a member open', {...blank, storm: STORM}, true],
    [
      'a storm over, its parent up to date',
      {...blank, storm: {...STORM, finishedAt: iso(0)}},
      false,
    ],
    [
      'a storm over, its parent owed an update',
      {
        ...blank,
        storm: {
          ...STORM,
          finishedAt: iso(0),
          send: {
            id: 's1/progress',
            kind: 'progress',
            createdAt: iso(0),
            attempts: 0,
            lastError: null,
            claim: null,
          },
        },
      },
      true,
    ],
    [
      'a storm over, replies to actions on its parent queued',
      {
        ...blank,
        storm: {
          ...STORM,
          finishedAt: iso(0),
          queued: [
            {
              id: 's1/acknowledged:U1@x',
              kind: 'acted',
              createdAt: iso(0),
              attempts: 0,
              lastError: null,
              claim: null,
            },
          ],
        },
      },
      true,
    ],
    [
      'a storm over, an empty queue',
      {...blank, storm: {...STORM, finishedAt: iso(0), queued: []}},
      false,
    ],
  ];
  for (const [what, record, expected] of cases) {
    it(`${what}: ${expected}`, () => assert.equal(needsAttention(record), expected));
  }
});

describe('held and claimed end at their instant', () => {
  const cases: Array<[string, PendingNotification, boolean, boolean]> = [
    ['neither', notification(), false, false],
    ['held a millisecond more', notification({heldUntil: iso(1)}), true, false],
    ['held until now', notification({heldUntil: iso(0)}), false, false],
    ['claimed a millisecond more', notification({claim: {by: 'p', until: iso(1)}}), false, true],
    ['claimed until now', notification({claim: {by: 'p', until: iso(0)}}), false, false],
  ];
  for (const [what, n, held, claimed] of cases) {
    it(`${what}: held ${held}, claimed ${claimed}`, () => {
      assert.equal(isHeld(n, NOW), held);
      assert.equal(isClaimed(n, NOW), claimed);
    });
  }
});

describe('keys, open incidents, a blank record', () => {
  it('each kind of subject has its own key', () => {
    assert.equal(keyOfSubject(CRONJOB), 'batch/backup');
    assert.equal(keyOfSubject({type: 'cluster'}), '/');
    assert.equal(keyOfSubject({type: 'storm', id: 's1'}), '~storm/s1');
  });
  it('a slot that holds nothing is no open incident', () => {
    assert.deepEqual(openIncidents({open: {failing: undefined}}), []);
    assert.equal(hasOpenIncident({open: {failing: undefined}}), false);
    assert.equal(hasOpenIncident({open: {failing: FAILING}}), true);
  });
  it('a blank record', () => {
    assert.deepEqual(blankRecord('kubeconfig/x', CRONJOB, NOW), {
      schemaVersion: RECORD_SCHEMA_VERSION,
      clusterId: 'kubeconfig/x',
      subject: CRONJOB,
      watermark: null,
      open: {},
      outbox: [],
      threads: [],
      history: [],
      runs: [],
      readFailures: null,
      updatedAt: NOW.toISOString(),
    });
  });
});
