/**
 * `claimNext` where the pass holds the cluster's records alone (the file store's lock): a claim
 * another pass left there is abandoned whatever its expiry (that pass ended, maybe killed
 * mid-send), so it is taken over at once and marked `unknown`, to be looked for in the channel
 * before it is sent again. Elsewhere a live claim is left alone, as before.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  blankRecord,
  type FailingIncident,
  type PendingNotification,
  type SubjectRecord,
} from '../../functions/core/incident.js';
import {claimNext} from '../../functions/core/outbox.js';
import {at} from './builders.js';

const PASS = 'pass-new';
const DEAD = 'pass-killed';
const NOW = at(100);
const UNTIL = at(110);

const run = {
  job: 'backup-1',
  jobUid: 'uid-backup-1',
  manual: false,
  at: at(5).toISOString(),
  reason: 'BackoffLimitExceeded',
  message: null,
  detail: null,
};
const incident: FailingIncident = {
  kind: 'failing',
  id: 'cj-uid/uid-backup-1',
  openedAt: run.at,
  closedAt: null,
  ending: null,
  openedBy: run,
  latestFailure: run,
  failedRuns: 1,
};

function recordWith(first: Partial<PendingNotification>): SubjectRecord {
  const record = blankRecord(
    'kubeconfig/test',
    {
      type: 'cronjob',
      namespace: 'backups',
      name: 'db-backup',
      uid: 'cj-uid',
      schedule: '0 * * * *',
    },
    at(0),
  );
  const notification: PendingNotification = {
    id: `${incident.id}/opened`,
    kind: 'opened',
    incident,
    createdAt: at(6).toISOString(),
    attempts: 0,
    lastError: null,
    claim: null,
    ...first,
  };
  return {...record, outbox: [notification]};
}

describe('claimNext: claims left in records a pass holds alone', () => {
  const liveClaim = {by: DEAD, until: at(104).toISOString()};
  const cases: Array<{
    name: string;
    first: Partial<PendingNotification>;
    othersEnded: boolean;
    expect: Partial<PendingNotification> | null;
  }> = [
    {
      name: 'held alone: a live claim of another pass is taken over and marked unknown',
      first: {claim: liveClaim, firstAttemptAt: at(99).toISOString()},
      othersEnded: true,
      expect: {
        claim: {by: PASS, until: UNTIL.toISOString()},
        firstAttemptAt: at(99).toISOString(),
        lastOutcome: 'unknown',
      },
    },
    {
      name: 'shared store: a live claim of another pass is left alone',
      first: {claim: liveClaim, firstAttemptAt: at(99).toISOString()},
      othersEnded: false,
      expect: null,
    },
    {
      name: 'held alone, nothing claimed: an ordinary first claim, not in doubt',
      first: {},
      othersEnded: true,
      expect: {claim: {by: PASS, until: UNTIL.toISOString()}, firstAttemptAt: NOW.toISOString()},
    },
    {
      name: 'held alone, already in doubt and released: stays in doubt',
      first: {lastOutcome: 'unknown', attempts: 1, firstAttemptAt: at(50).toISOString()},
      othersEnded: true,
      expect: {
        claim: {by: PASS, until: UNTIL.toISOString()},
        firstAttemptAt: at(50).toISOString(),
        lastOutcome: 'unknown',
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const record = recordWith(c.first);
      const claimed = claimNext(record, PASS, NOW, UNTIL, c.othersEnded);
      if (c.expect === null) {
        assert.equal(claimed, null);
        return;
      }
      assert.deepEqual(claimed?.outbox, [{...record.outbox[0], ...c.expect}]);
    });
  }
});
