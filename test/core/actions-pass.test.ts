/**
 * Acknowledge and snooze as passes see them (decideSubject): what a detector's update keeps,
 * the end of a snooze said once with what happened meanwhile, a closing that ends a snooze
 * with no reply of its own, and a version-6 record read back by both stores' upgrade.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {decideAction} from '../../functions/core/actions/decide-action.js';
import {decideSubject, subjectMayChange} from '../../functions/core/decide.js';
import type {CronJobView} from '../../functions/core/detector.js';
import {RECORD_SCHEMA_VERSION, type SubjectRecord} from '../../functions/core/incident.js';
import type {JobInfo} from '../../functions/core/model.js';
import {upgradeRecord} from '../../functions/core/record-upgrade.js';
import {finishedRunsOf} from '../../functions/core/verdict.js';
import {at, cronJob, failedJob, QUIET_SCHEDULE, succeededJob} from './builders.js';

const POLICY = {clusterDownAfter: 3, missedGraceMs: null, maxDurationMs: null};
const f1 = failedJob({name: 'backup-100', scheduled: 0, reason: 'BackoffLimitExceeded'});
const f2 = failedJob({name: 'backup-200', scheduled: 60, reason: 'BackoffLimitExceeded'});
const f3 = failedJob({name: 'backup-250', scheduled: 63, reason: 'BackoffLimitExceeded'});
const s4 = succeededJob({name: 'backup-300', scheduled: 120});

function view(jobs: JobInfo[]): CronJobView {
  return {
    type: 'cronjob',
    clusterId: 'c1',
    cronJob: cronJob({schedule: QUIET_SCHEDULE}),
    runs: finishedRunsOf(jobs),
    running: [],
    latestScheduledJobAt: null,
  };
}

function pass(record: SubjectRecord | null, jobs: JobInfo[], minutes: number) {
  return decideSubject(record, view(jobs), POLICY, at(minutes), record?.watermark ?? undefined);
}

/** A record whose failing streak opened with f1 and whose opening went out. */
function opened(): SubjectRecord {
  const decision = pass(null, [f1], 10);
  assert.ok(decision !== null);
  const incident = decision.record.open.failing;
  assert.ok(incident !== undefined);
  return {
    ...decision.record,
    outbox: [],
    threads: [{incidentId: incident.id, channel: 'C0ALERTS01', ts: '1.1'}],
  };
}

/** `opened()` snoozed at minute 20 until minute 80 by U0ALICE001, its reply delivered. */
function snoozed(): SubjectRecord {
  const record = opened();
  const outcome = decideAction(
    record,
    {
      kind: 'failing',
      incidentId: record.open.failing?.id ?? '',
      choice: {type: 'snooze', until: at(80)},
      by: 'U0ALICE001',
      at: at(20),
    },
    at(20),
  );
  assert.equal(outcome.type, 'recorded');
  return outcome.type === 'recorded' ? {...outcome.record, outbox: []} : record;
}

describe('acknowledge and snooze over passes', () => {
  it('a failure during the snooze keeps it (and the acknowledgement); no reply yet', () => {
    const start = snoozed();
    const acked = {
      ...start,
      open: {
        failing: {
          ...start.open.failing!,
          acknowledged: {by: 'U0BOB00002', at: at(21).toISOString()},
        },
      },
    };
    const decision = pass(acked, [f1, f2], 70);
    assert.ok(decision !== null);
    const open = decision.record.open.failing;
    assert.equal(open?.failedRuns, 2);
    assert.equal(open?.snoozed?.by, 'U0ALICE001');
    assert.equal(open?.acknowledged?.by, 'U0BOB00002');
    assert.deepEqual(decision.record.outbox, []);
  });

  it('the snooze runs out while still failing: one reply with the failures meanwhile, once', () => {
    const during = pass(snoozed(), [f1, f2, f3], 70);
    assert.ok(during !== null);
    const record = during.record;
    // Nothing new at minute 80, but the snooze ran out: the pass must look.
    assert.equal(
      subjectMayChange(view([f1, f2, f3]), {watermark: record.watermark, record}, POLICY, at(80)),
      true,
    );
    const ended = pass(record, [f1, f2, f3], 80);
    assert.ok(ended !== null);
    assert.equal(ended.record.open.failing?.snoozed, undefined);
    assert.deepEqual(
      ended.record.outbox.map(n => [n.kind, n.action]),
      [
        [
          'acted',
          {
            type: 'snooze-ended',
            by: 'U0ALICE001',
            at: at(80).toISOString(),
            until: at(80).toISOString(),
            meanwhile: 2,
          },
        ],
      ],
    );
    // Said once: the next pass with nothing new has nothing to do.
    const after = {...ended.record, outbox: []};
    assert.equal(
      subjectMayChange(
        view([f1, f2, f3]),
        {watermark: after.watermark, record: after},
        POLICY,
        at(90),
      ),
      false,
    );
    assert.equal(pass(after, [f1, f2, f3], 90), null);
  });

  it('a run that succeeds after the snooze ran out closes it as today: no snooze reply', () => {
    const decision = pass(snoozed(), [f1, s4], 130);
    assert.ok(decision !== null);
    assert.equal(decision.record.open.failing, undefined);
    assert.deepEqual(
      decision.record.outbox.map(n => n.kind),
      ['closed'],
    );
  });
});

describe('stored shapes', () => {
  it('a version-6 record with an acted notification reads back as written', () => {
    const record = snoozed();
    const outcome = decideAction(
      record,
      {
        kind: 'failing',
        incidentId: record.open.failing?.id ?? '',
        choice: {type: 'acknowledge'},
        by: 'U0BOB00002',
        at: at(30),
      },
      at(30),
    );
    assert.equal(outcome.type, 'recorded');
    if (outcome.type !== 'recorded') return;
    const stored = JSON.parse(JSON.stringify(outcome.record)) as unknown;
    const read = upgradeRecord(stored);
    assert.ok(read.ok);
    assert.equal(read.record.schemaVersion, RECORD_SCHEMA_VERSION);
    assert.deepEqual(read.record, outcome.record);
  });

  it('refuses an acted notification whose action no release writes, and a snooze without its end', () => {
    const record = JSON.parse(JSON.stringify(snoozed())) as Record<string, unknown>;
    const bad = {
      ...record,
      outbox: [
        {
          id: 'x',
          kind: 'acted',
          incident: (record['open'] as {failing: unknown}).failing,
          action: {type: 'escalated', by: 'U1', at: at(1).toISOString()},
          createdAt: at(1).toISOString(),
          attempts: 0,
          lastError: null,
          claim: null,
        },
      ],
    };
    assert.deepEqual(upgradeRecord(bad), {ok: false, problem: 'action type escalated is unknown'});
    const failing = (record['open'] as {failing: Record<string, unknown>}).failing;
    const noUntil = {...record, open: {failing: {...failing, snoozed: {by: 'U1', at: 'x'}}}};
    assert.deepEqual(upgradeRecord(noUntil), {ok: false, problem: 'until is not a string'});
  });
});
