/**
 * The outbox as tables: claiming a record's first notification, releasing it after a failed or
 * deferred attempt, removing it once delivered. The case that matters most: once an attempt's
 * outcome is unknown (Slack may have posted it), the notification stays marked `unknown` until
 * it is delivered, whatever later attempts fail with, so every later attempt looks for it in
 * the channel first instead of posting a duplicate.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {
  DeliveredMessage,
  FailingIncident,
  PendingNotification,
  RunningTooLongIncident,
  SubjectRecord,
} from '../../functions/core/incident.js';
import {RECORD_SCHEMA_VERSION} from '../../functions/core/incident.js';
import {
  claimedBy,
  claimNext,
  markDelivered,
  markFailed,
  releaseClaim,
} from '../../functions/core/outbox.js';
import {at} from './builders.js';

const PASS = 'pass-a';
const OTHER = 'pass-b';
const NOW = at(100);
const UNTIL = at(110);
const iso = (minutes: number) => at(minutes).toISOString();

const run = {
  job: 'backup-1',
  jobUid: 'uid-backup-1',
  manual: false,
  at: iso(5),
  reason: 'BackoffLimitExceeded',
  message: null,
  detail: null,
};
const failing: FailingIncident = {
  kind: 'failing',
  id: 'cj-uid/uid-backup-1',
  openedAt: iso(5),
  closedAt: null,
  ending: null,
  openedBy: run,
  latestFailure: run,
  failedRuns: 1,
};
const tooLong: RunningTooLongIncident = {
  kind: 'running-too-long',
  id: 'running-too-long:uid-backup-1',
  openedAt: iso(60),
  closedAt: null,
  ending: null,
  job: 'backup-1',
  jobUid: 'uid-backup-1',
  manual: false,
  startedAt: iso(0),
  limitMs: 3_600_000,
  limitFrom: 'schedule',
  podDetail: null,
  blockedRuns: 0,
};

function pending(
  kind: PendingNotification['kind'],
  incident: PendingNotification['incident'] = failing,
  extra: Partial<PendingNotification> = {},
): PendingNotification {
  return {
    id: `${incident.id}/${kind}`,
    kind,
    incident,
    createdAt: iso(6),
    attempts: 0,
    lastError: null,
    claim: null,
    ...extra,
  };
}

function record(outbox: PendingNotification[], threads: DeliveredMessage[] = []): SubjectRecord {
  return {
    schemaVersion: RECORD_SCHEMA_VERSION,
    clusterId: 'kubeconfig/test',
    subject: {
      type: 'cronjob',
      namespace: 'batch',
      name: 'backup',
      uid: 'cj-uid',
      schedule: '@daily',
    },
    watermark: null,
    open: {},
    outbox,
    threads,
    history: [],
    runs: [],
    readFailures: null,
    updatedAt: iso(6),
  };
}

const claim = (by: string, untilMinutes: number) => ({by, until: iso(untilMinutes)});
const thread = (incidentId: string, ts: string): DeliveredMessage => ({
  incidentId,
  channel: 'C1',
  ts,
});

describe('claimNext: the first notification, for one pass at a time', () => {
  const opened = pending('opened');
  const closed = pending('closed');
  const cases: Array<{
    name: string;
    record: SubjectRecord | null;
    /** The first notification after the claim; null: nothing to write. */
    expect: PendingNotification | null;
  }> = [
    {name: 'no record', record: null, expect: null},
    {name: 'nothing owed', record: record([]), expect: null},
    {
      name: 'a fresh one: claimed until the given time, first attempt now, not in doubt',
      record: record([opened, closed]),
      expect: {...opened, claim: claim(PASS, 110), firstAttemptAt: iso(100)},
    },
    {
      name: 'claimed by a live pass: left alone',
      record: record([{...opened, claim: claim(OTHER, 101)}, closed]),
      expect: null,
    },
    {
      name: 'a claim that expires exactly now has expired: taken over, in doubt',
      record: record([{...opened, claim: claim(OTHER, 100), firstAttemptAt: iso(90)}]),
      expect: {...opened, claim: claim(PASS, 110), firstAttemptAt: iso(90), lastOutcome: 'unknown'},
    },
    {
      name: 'a claim expired earlier: the pass died, maybe after Slack took it',
      record: record([{...opened, claim: claim(OTHER, 50), firstAttemptAt: iso(40)}]),
      expect: {...opened, claim: claim(PASS, 110), firstAttemptAt: iso(40), lastOutcome: 'unknown'},
    },
    {
      name: 'released after a failure: retried, keeps its first attempt, not in doubt',
      record: record([{...opened, attempts: 1, lastError: '503', firstAttemptAt: iso(40)}]),
      expect: {
        ...opened,
        attempts: 1,
        lastError: '503',
        claim: claim(PASS, 110),
        firstAttemptAt: iso(40),
      },
    },
    {
      name: 'in doubt and released: still in doubt',
      record: record([{...opened, attempts: 1, lastOutcome: 'unknown', firstAttemptAt: iso(40)}]),
      expect: {
        ...opened,
        attempts: 1,
        claim: claim(PASS, 110),
        firstAttemptAt: iso(40),
        lastOutcome: 'unknown',
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const claimed = claimNext(c.record, PASS, NOW, UNTIL);
      if (c.expect === null) {
        assert.equal(claimed, null);
        return;
      }
      assert.ok(claimed !== null && c.record !== null);
      assert.deepEqual(claimed.outbox[0], c.expect);
      assert.deepEqual(claimed.outbox.slice(1), c.record.outbox.slice(1), 'the rest untouched');
      assert.equal(claimed.updatedAt, c.record.updatedAt);
    });
  }

  it('notifications go in order: the second is never claimed while the first is held', () => {
    const held = record([{...opened, claim: claim(OTHER, 200)}, closed]);
    assert.equal(claimNext(held, PASS, NOW, UNTIL), null);
  });
});

describe('claimedBy: the notification this pass holds', () => {
  const opened = pending('opened');
  const cases: Array<{name: string; record: SubjectRecord | null; expect: boolean}> = [
    {name: 'no record', record: null, expect: false},
    {name: 'nothing owed', record: record([]), expect: false},
    {name: 'unclaimed', record: record([opened]), expect: false},
    {
      name: 'held by another pass',
      record: record([{...opened, claim: claim(OTHER, 200)}]),
      expect: false,
    },
    {
      name: 'held by this pass',
      record: record([{...opened, claim: claim(PASS, 200)}]),
      expect: true,
    },
    {
      name: 'only the first counts',
      record: record([opened, {...pending('closed'), claim: claim(PASS, 200)}]),
      expect: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const held = claimedBy(c.record, PASS);
      assert.equal(held, c.expect ? c.record?.outbox[0] : null);
    });
  }
});

describe('markDelivered: removed from the outbox; threads kept only while needed', () => {
  const delivered = thread(failing.id, '111.1');
  const continuing: FailingIncident = {...failing, continues: tooLong.id};
  const unrelated = thread('other-incident', '999.9');
  const cases: Array<{
    name: string;
    record: SubjectRecord;
    id: string;
    delivered: DeliveredMessage | null;
    expect: {outbox: string[]; threads: DeliveredMessage[]};
  }> = [
    {
      name: 'an opening: its message is remembered for the closing reply',
      record: record([pending('opened'), pending('closed')], [unrelated]),
      id: `${failing.id}/opened`,
      delivered,
      expect: {outbox: [`${failing.id}/closed`], threads: [unrelated, delivered]},
    },
    {
      name: 'an opening the notifier kept no message of: no thread',
      record: record([pending('opened')], [unrelated]),
      id: `${failing.id}/opened`,
      delivered: null,
      expect: {outbox: [], threads: [unrelated]},
    },
    {
      name: 'an opening the notifier kept no message of leaves the threads as they are',
      record: record([pending('opened')], [thread(failing.id, '000.1'), unrelated]),
      id: `${failing.id}/opened`,
      delivered: null,
      expect: {outbox: [], threads: [thread(failing.id, '000.1'), unrelated]},
    },
    {
      name: 'an opening sent again: one thread, the latest',
      record: record([pending('opened')], [thread(failing.id, '000.1')]),
      id: `${failing.id}/opened`,
      delivered,
      expect: {outbox: [], threads: [delivered]},
    },
    {
      name: 'an opening that continues another incident: that thread is this one now',
      record: record([pending('opened', continuing)], [thread(tooLong.id, '555.5'), unrelated]),
      id: `${failing.id}/opened`,
      delivered: thread(failing.id, '555.5'),
      expect: {outbox: [], threads: [unrelated, thread(failing.id, '555.5')]},
    },
    {
      name: 'a closing: the incident is over, its thread goes',
      record: record([pending('closed')], [thread(failing.id, '111.1'), unrelated]),
      id: `${failing.id}/closed`,
      delivered: null,
      expect: {outbox: [], threads: [unrelated]},
    },
    {
      name: 'a closing that returns a message: still no thread kept',
      record: record([pending('closed')], [thread(failing.id, '111.1')]),
      id: `${failing.id}/closed`,
      delivered,
      expect: {outbox: [], threads: []},
    },
    {
      name: 'a recovered message: nothing to thread under later',
      record: record([pending('recovered')], [unrelated]),
      id: `${failing.id}/recovered`,
      delivered,
      expect: {outbox: [], threads: [unrelated]},
    },
    {
      name: 'the second notification: the first stays',
      record: record([pending('opened', tooLong), pending('closed')], [thread(failing.id, '1.1')]),
      id: `${failing.id}/closed`,
      delivered: null,
      expect: {outbox: [`${tooLong.id}/opened`], threads: []},
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const after = markDelivered(c.record, c.id, c.delivered, NOW);
      assert.ok(after);
      assert.deepEqual(
        after.outbox.map(n => n.id),
        c.expect.outbox,
      );
      assert.deepEqual(after.threads, c.expect.threads);
      assert.equal(after.updatedAt, iso(100));
    });
  }

  it('an opening of another kind that is not a failing streak never drops a thread it does not own', () => {
    const r = record([pending('opened', tooLong)], [thread(failing.id, '1.1')]);
    const after = markDelivered(r, `${tooLong.id}/opened`, thread(tooLong.id, '2.2'), NOW);
    assert.deepEqual(after?.threads, [thread(failing.id, '1.1'), thread(tooLong.id, '2.2')]);
  });

  it('no record, or a notification already gone: nothing to write', () => {
    assert.equal(markDelivered(null, `${failing.id}/opened`, delivered, NOW), null);
    assert.equal(
      markDelivered(record([pending('closed')]), `${failing.id}/opened`, delivered, NOW),
      null,
    );
  });
});

describe('markFailed and releaseClaim: the claim goes, the doubt stays', () => {
  const held = pending('opened', failing, {claim: claim(PASS, 200), firstAttemptAt: iso(90)});
  const heldInDoubt: PendingNotification = {...held, attempts: 1, lastOutcome: 'unknown'};
  const next = pending('closed');
  type Step =
    {type: 'failed'; error: string; unknown: boolean} | {type: 'released'; unknown: boolean};
  const cases: Array<{
    name: string;
    first: PendingNotification;
    step: Step;
    /** The notification after the step; null: not this pass's to release. */
    expect: PendingNotification | null;
  }> = [
    {
      name: 'failed outright: counted, with its error, not in doubt',
      first: held,
      step: {type: 'failed', error: 'HTTP 503', unknown: false},
      expect: {...held, claim: null, attempts: 1, lastError: 'HTTP 503'},
    },
    {
      name: 'timed out: counted and in doubt',
      first: held,
      step: {type: 'failed', error: 'timeout', unknown: true},
      expect: {...held, claim: null, attempts: 1, lastError: 'timeout', lastOutcome: 'unknown'},
    },
    {
      name: 'in doubt, then failed outright: still in doubt (a 503 says nothing of the earlier post)',
      first: heldInDoubt,
      step: {type: 'failed', error: 'HTTP 503', unknown: false},
      expect: {...heldInDoubt, claim: null, attempts: 2, lastError: 'HTTP 503'},
    },
    {
      name: 'deferred: not an attempt, no error',
      first: held,
      step: {type: 'released', unknown: false},
      expect: {...held, claim: null},
    },
    {
      name: 'deferred after a cut request: in doubt',
      first: held,
      step: {type: 'released', unknown: true},
      expect: {...held, claim: null, lastOutcome: 'unknown'},
    },
    {
      name: 'in doubt, then deferred: still in doubt',
      first: heldInDoubt,
      step: {type: 'released', unknown: false},
      expect: {...heldInDoubt, claim: null},
    },
    {
      name: 'failed, but held by another pass: not ours to release',
      first: {...held, claim: claim(OTHER, 200)},
      step: {type: 'failed', error: 'HTTP 503', unknown: false},
      expect: null,
    },
    {
      name: 'released, but held by another pass: not ours to release',
      first: {...held, claim: claim(OTHER, 200)},
      step: {type: 'released', unknown: true},
      expect: null,
    },
    {
      name: 'failed, but not claimed at all',
      first: {...held, claim: null},
      step: {type: 'failed', error: 'HTTP 503', unknown: false},
      expect: null,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = record([c.first, next]);
      const after =
        c.step.type === 'failed'
          ? markFailed(r, c.first.id, PASS, c.step.error, NOW, c.step.unknown)
          : releaseClaim(r, c.first.id, PASS, NOW, c.step.unknown);
      if (c.expect === null) {
        assert.equal(after, null);
        return;
      }
      assert.ok(after);
      assert.deepEqual(after.outbox, [c.expect, next]);
      assert.equal(after.updatedAt, iso(100));
      assert.equal('lastOutcome' in after.outbox[0]!, c.expect.lastOutcome !== undefined);
    });
  }

  it('the claim of a notification not first in the outbox is released too', () => {
    const second = {...next, claim: claim(PASS, 200)};
    const after = markFailed(record([pending('opened'), second]), next.id, PASS, 'x', NOW);
    assert.deepEqual(after?.outbox[1], {...second, claim: null, attempts: 1, lastError: 'x'});
  });

  it('released without saying: not in doubt', () => {
    const after = releaseClaim(record([held]), held.id, PASS, NOW);
    assert.deepEqual(after?.outbox, [{...held, claim: null}]);
    const failed = markFailed(record([held]), held.id, PASS, 'HTTP 500', NOW);
    assert.deepEqual(failed?.outbox, [{...held, claim: null, attempts: 1, lastError: 'HTTP 500'}]);
  });

  it('no record, or an unknown id: nothing to write', () => {
    assert.equal(markFailed(null, held.id, PASS, 'x', NOW), null);
    assert.equal(releaseClaim(null, held.id, PASS, NOW), null);
    assert.equal(markFailed(record([held]), 'nope', PASS, 'x', NOW), null);
    assert.equal(releaseClaim(record([held]), 'nope', PASS, NOW), null);
  });

  it('over passes: timed out, then a 503, then claimed again — the next attempt still looks first', () => {
    // Pass 1 times out (Slack may have posted it); pass 2 gets a 503; pass 3 must search.
    let r: SubjectRecord | null = record([pending('opened')]);
    r = claimNext(r, 'pass-1', at(100), at(110));
    r = markFailed(r, `${failing.id}/opened`, 'pass-1', 'timeout', at(101), true);
    r = claimNext(r, 'pass-2', at(105), at(115));
    assert.equal(r?.outbox[0]?.lastOutcome, 'unknown');
    r = markFailed(r, `${failing.id}/opened`, 'pass-2', 'HTTP 503', at(106), false);
    r = claimNext(r, 'pass-3', at(110), at(120));
    assert.equal(claimedBy(r, 'pass-3')?.lastOutcome, 'unknown');
    assert.equal(r?.outbox[0]?.attempts, 2);
    assert.equal(r?.outbox[0]?.firstAttemptAt, iso(100));
  });
});
