/**
 * `upgradeRecord` field by field (found unpinned by mutation testing, test/mutation/README.md):
 * what each optional field of a stored record becomes when present, absent or null, how release
 * 0.1.0's stand-ins become endings, and the problem it reports for each malformed part — the
 * text an operator reads in the log before deleting the record. Documents are written by hand
 * in the shapes incident-base.ts and record-upgrade.ts describe.
 *
 * Also retention's and run-keeping's edges: a closed incident's retention starts at its closing,
 * an entry without a usable time keeps nothing, every unfinished run is kept.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {Incident, SubjectRecord} from '../../functions/core/incident.js';
import type {JobInfo} from '../../functions/core/model.js';
import {upgradeRecord} from '../../functions/core/record-upgrade.js';
import {DAY_MS, expiresAt, withinRetention} from '../../functions/core/retention.js';
import {keepRuns} from '../../functions/core/run-keeping.js';
import {failedJob, runningJob, succeededJob} from './builders.js';

const T1 = '2026-03-01T10:00:00.000Z';
const T2 = '2026-03-01T11:00:00.000Z';
const T3 = '2026-03-01T12:00:00.000Z';

function ok(raw: unknown): SubjectRecord {
  const result = upgradeRecord(raw);
  assert.ok(result.ok, result.ok ? '' : result.problem);
  return result.record;
}

function problem(raw: unknown): string {
  const result = upgradeRecord(raw);
  assert.equal(result.ok, false, 'refused');
  return result.ok ? '' : result.problem;
}

// ---- release 0.1.0 (no schemaVersion) ----

function v1Run(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    job: 'backup-1',
    jobUid: 'uid-1',
    reason: 'BackoffLimitExceeded',
    message: 'm',
    ...overrides,
  };
}

function v1Incident(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'cj-uid/uid-1',
    openedAt: T1,
    openedBy: v1Run({at: T1}),
    latestFailure: v1Run({at: T1}),
    failedRuns: 1,
    closedAt: null,
    closedBy: null,
    ...overrides,
  };
}

function v1(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    clusterId: 'c',
    namespace: 'batch',
    name: 'backup',
    cronJobUid: 'cj-uid',
    schedule: '0 * * * *',
    watermark: null,
    open: v1Incident(),
    outbox: [],
    threads: [],
    history: [],
    readFailures: null,
    updatedAt: T3,
    ...overrides,
  };
}

const openOf = (r: SubjectRecord) => r.open.failing ?? r.open['cluster-unreadable'];

describe('release 0.1.0 runs: every field as stored', () => {
  it('manual, at, detail and an approximate time are kept', () => {
    const run = v1Run({manual: true, at: T2, detail: 'exit 1', approximateTime: true});
    const f = ok(v1({open: v1Incident({openedBy: run})})).open.failing;
    assert.deepEqual(f?.openedBy, {
      job: 'backup-1',
      jobUid: 'uid-1',
      manual: true,
      at: T2,
      reason: 'BackoffLimitExceeded',
      message: 'm',
      detail: 'exit 1',
      approximateTime: true,
    });
  });
  it('absent ones read as not manual, no time, no detail, exact', () => {
    const f = ok(v1({open: v1Incident({openedBy: v1Run()})})).open.failing;
    assert.deepEqual(f?.openedBy, {
      job: 'backup-1',
      jobUid: 'uid-1',
      manual: false,
      at: null,
      reason: 'BackoffLimitExceeded',
      message: 'm',
      detail: null,
    });
  });
  it('manual and approximateTime other than true are false / absent', () => {
    const f = ok(v1({open: v1Incident({openedBy: v1Run({manual: 'yes', approximateTime: 1})})}))
      .open.failing;
    assert.equal(f?.openedBy.manual, false);
    assert.equal('approximateTime' in (f?.openedBy ?? {}), false);
  });
});

describe('release 0.1.0 endings', () => {
  const closed = (closedBy: Record<string, unknown>, closedAt: string | null = T3) =>
    ok(v1({open: null, history: [v1Incident({closedAt, closedBy})]})).history[0];
  it('a run that fixed it', () => {
    const run = v1Run({reason: null, message: null, at: T2});
    assert.deepEqual(closed(run)?.ending, {
      type: 'succeeded',
      at: T3,
      run: {...run, manual: false, detail: null},
    });
  });
  it('CronJobDeleted: the CronJob was deleted', () => {
    assert.deepEqual(closed(v1Run({reason: 'CronJobDeleted', at: T2}))?.ending, {
      type: 'cronjob-deleted',
      at: T3,
    });
  });
  it('SucceededJobGone: a success whose Job was gone', () => {
    assert.deepEqual(closed(v1Run({reason: 'SucceededJobGone', at: T2}))?.ending, {
      type: 'succeeded-job-gone',
      at: T3,
    });
  });
  it('no closing time: the closing run’s; neither: empty', () => {
    assert.equal(closed(v1Run({reason: 'CronJobDeleted', at: T2}), null)?.ending?.at, T2);
    assert.equal(closed(v1Run({reason: 'CronJobDeleted'}), null)?.ending?.at, '');
  });
  it('the cluster’s record: readable again, its errors from the runs', () => {
    const cluster = v1({
      namespace: '',
      name: '',
      cronJobUid: '',
      schedule: '',
      open: null,
      history: [
        v1Incident({
          openedBy: v1Run({at: T2, reason: null, message: null}),
          latestFailure: v1Run({reason: 'SERVER_ERROR', message: 'boom'}),
          closedAt: T3,
          closedBy: v1Run({at: T3, reason: 'readable again'}),
        }),
      ],
    });
    const record = ok(cluster);
    assert.deepEqual(record.subject, {type: 'cluster'});
    const incident = record.history[0];
    assert.ok(incident?.kind === 'cluster-unreadable');
    assert.deepEqual(incident.ending, {type: 'readable-again', at: T3});
    assert.deepEqual(incident.firstError, {at: T2, code: 'UNKNOWN', message: ''});
    assert.deepEqual(incident.latestError, {at: T1, code: 'SERVER_ERROR', message: 'boom'});
  });
  it('an incident marked as the cluster’s is the cluster’s, in any record', () => {
    const record = ok(v1({open: v1Incident({subject: 'cluster'})}));
    assert.equal(openOf(record)?.kind, 'cluster-unreadable');
  });
  const subjects: Array<[string, string, string]> = [
    ['a namespace and a name', 'batch', 'backup'],
    ['an empty name only', 'batch', ''],
    ['an empty namespace only', '', 'backup'],
  ];
  for (const [why, namespace, name] of subjects) {
    it(`a record with ${why} is a CronJob’s`, () => {
      const record = ok(v1({namespace, name}));
      assert.equal(record.subject.type, 'cronjob');
      assert.equal(openOf(record)?.kind, 'failing');
    });
  }
});

// ---- today's shape ----

function incident(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'failing',
    id: 'cj-uid/uid-1',
    openedAt: T1,
    openedBy: v1Run({at: T1, manual: false, detail: null}),
    latestFailure: v1Run({at: T1, manual: false, detail: null}),
    failedRuns: 1,
    closedAt: null,
    ending: null,
    ...overrides,
  };
}

function notificationDoc(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'cj-uid/uid-1/opened',
    kind: 'opened',
    incident: incident(),
    createdAt: T1,
    attempts: 1,
    lastError: null,
    claim: null,
    ...overrides,
  };
}

function v4(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    schemaVersion: 4,
    clusterId: 'c',
    subject: {
      type: 'cronjob',
      namespace: 'batch',
      name: 'backup',
      uid: 'cj-uid',
      schedule: '* * * * *',
    },
    watermark: {atMs: 5, job: 'backup-1'},
    open: {},
    outbox: [],
    threads: [],
    history: [],
    readFailures: null,
    updatedAt: T3,
    ...overrides,
  };
}

describe('today’s shape: notifications as stored', () => {
  for (const kind of ['opened', 'closed', 'recovered']) {
    it(`a ${kind} notification is read`, () => {
      assert.equal(ok(v4({outbox: [notificationDoc({kind})]})).outbox[0]?.kind, kind);
    });
  }
  it('a claim, a first attempt and an unknown outcome are kept', () => {
    const n = ok(
      v4({
        outbox: [
          notificationDoc({
            claim: {by: 'pass-1', until: T2},
            firstAttemptAt: T1,
            lastOutcome: 'unknown',
          }),
        ],
      }),
    ).outbox[0];
    assert.deepEqual(n?.claim, {by: 'pass-1', until: T2});
    assert.equal(n?.firstAttemptAt, T1);
    assert.equal(n?.lastOutcome, 'unknown');
  });
  it('without them: no claim, and neither field', () => {
    const n = ok(v4({outbox: [notificationDoc({firstAttemptAt: 7, lastOutcome: 'sent'})]}))
      .outbox[0];
    assert.equal(n?.claim, null);
    assert.equal(n !== undefined && 'firstAttemptAt' in n, false);
    assert.equal(n !== undefined && 'lastOutcome' in n, false);
  });
  it('recent runs of every outcome are read', () => {
    const runs = ['succeeded', 'failed', 'missed'].map((outcome, i) => ({
      job: `backup-${i}`,
      outcome,
      scheduledAt: T1,
      startedAt: null,
      durationMs: outcome === 'missed' ? null : 60_000,
    }));
    assert.deepEqual(
      ok(v4({runs})).runs?.map(r => r.outcome),
      ['succeeded', 'failed', 'missed'],
    );
  });
  it('absent lists are empty', () => {
    const {outbox: _o, threads: _t, history: _h, ...bare} = v4();
    const record = ok(bare);
    assert.deepEqual([record.outbox, record.threads, record.history], [[], [], []]);
  });
  it('a destination in either language, with mention and runbook absent', () => {
    for (const language of ['en', 'ja', null]) {
      const record = ok(v4({open: {failing: incident({destination: {channel: 'C1', language}})}}));
      assert.equal(record.open.failing?.destination?.language, language);
    }
  });
});

describe('today’s shape: each malformed part is named', () => {
  const cases: Array<[string, unknown, string]> = [
    ['the record itself', 5, 'the record is not an object'],
    ['the subject', v4({subject: 5}), 'subject is not an object'],
    ['the open map', v4({open: 5}), 'open is not an object'],
    ['an open incident', v4({open: {failing: 5}}), 'incident is not an object'],
    [
      'an unknown kind',
      v4({open: {failing: incident({kind: 'flaky'})}}),
      'incident kind flaky is unknown',
    ],
    ['a notification', v4({outbox: [5]}), 'notification is not an object'],
    [
      'a notification kind',
      v4({outbox: [notificationDoc({kind: 'sent'})]}),
      'notification kind sent is unknown',
    ],
    ['a claim', v4({outbox: [notificationDoc({claim: 'x'})]}), 'claim is not an object'],
    ['a claim holder', v4({outbox: [notificationDoc({claim: {until: T2}})]}), 'by is not a string'],
    [
      'a claim expiry',
      v4({outbox: [notificationDoc({claim: {by: 'p'}})]}),
      'until is not a string',
    ],
    ['attempts', v4({outbox: [notificationDoc({attempts: '1'})]}), 'attempts is not a number'],
    ['a watermark', v4({watermark: 5}), 'watermark is not an object'],
    ['a watermark time', v4({watermark: {atMs: Infinity, job: 'j'}}), 'atMs is not a number'],
    ['read failures', v4({readFailures: 'x'}), 'readFailures is not an object'],
    ['a thread', v4({threads: [5]}), 'thread is not an object'],
    [
      'a destination channel',
      v4({open: {failing: incident({destination: {channel: 5, language: null}})}}),
      'channel is not a string or null',
    ],
    [
      'a destination mention',
      v4({open: {failing: incident({destination: {channel: null, mention: 5}})}}),
      'mention is not a string or null',
    ],
    [
      'a destination language',
      v4({open: {failing: incident({destination: {channel: null, language: 'fr'}})}}),
      'destination.language fr is not one this release writes in',
    ],
    [
      'a destination runbook',
      v4({open: {failing: incident({destination: {channel: null, runbook: 5}})}}),
      'runbook is not a string or null',
    ],
    [
      'a recent run’s duration',
      v4({runs: [{job: 'backup-1', outcome: 'succeeded', durationMs: '90000'}]}),
      'durationMs is not a number or null',
    ],
    [
      'a recent run’s endless duration',
      v4({runs: [{job: 'backup-1', outcome: 'succeeded', durationMs: Infinity}]}),
      'durationMs is not a number or null',
    ],
    ['a log', v4({open: {failing: incident({log: 5})}}), 'log is not an object'],
    [
      'a log text',
      v4({open: {failing: incident({log: {pod: 'p', container: 'c', text: 5}})}}),
      'text is not a string or null',
    ],
    [
      'why a log is unavailable',
      v4({
        open: {failing: incident({log: {pod: 'p', container: 'c', text: null, unavailable: 5}})},
      }),
      'log.unavailable is not an object',
    ],
    ['a release-0.1.0 incident', v1({open: 5}), 'incident is not an object'],
    ['its opening run', v1({open: v1Incident({openedBy: 'x'})}), 'openedBy is not an object'],
    [
      'its latest failure',
      v1({open: v1Incident({latestFailure: 'x'})}),
      'latestFailure is not an object',
    ],
    ['its closing run', v1({open: v1Incident({closedBy: 'x'})}), 'closedBy is not an object'],
    ['its count', v1({open: v1Incident({failedRuns: NaN})}), 'failedRuns is not a number'],
  ];
  for (const [what, raw, want] of cases) {
    it(what, () => assert.equal(problem(raw), want));
  }
});

// ---- retention and run keeping ----

describe('retention: edges', () => {
  it('a day is 86,400,000 ms', () => assert.equal(DAY_MS, 86_400_000));

  const closedAfter = (openedAt: string, closedAt: string): Incident =>
    ({...incident({openedAt, closedAt, ending: {type: 'cronjob-deleted', at: closedAt}})}) as never;
  const record = (history: Incident[]): SubjectRecord => ({...ok(v4()), history});

  it('a closed incident’s retention starts when it closed, not when it opened', () => {
    // Opened 40 days ago, closed 10 days ago; retention 30 days: kept.
    const now = new Date('2026-03-31T00:00:00Z');
    const old = closedAfter('2026-02-19T00:00:00Z', '2026-03-21T00:00:00Z');
    assert.equal(withinRetention(record([old]), now, 30 * DAY_MS).history.length, 1);
  });
  it('an entry with no usable time keeps the record one retention from its write', () => {
    const writtenAt = new Date('2026-03-31T00:00:00Z');
    const broken = closedAfter('garbage', 'garbage');
    assert.equal(
      expiresAt(record([broken]), writtenAt, 30 * DAY_MS)?.toISOString(),
      '2026-04-30T00:00:00.000Z',
    );
  });
});

describe('run keeping: edges', () => {
  it('every unfinished run is kept, not only the newest', () => {
    const older = runningJob({name: 'backup-a', scheduled: 0});
    const newer = runningJob({name: 'backup-b', scheduled: 60});
    assert.deepEqual(
      keepRuns(undefined, [older, newer])
        .map(j => j.name)
        .sort(),
      ['backup-a', 'backup-b'],
    );
  });
  it('the newest finished run is kept though it started before the newest started one', () => {
    // backup-b started later and still runs; backup-a started first and finished since.
    const running: JobInfo = runningJob({name: 'backup-b', scheduled: 60});
    const finished = succeededJob({name: 'backup-a', scheduled: 0, after: 90});
    for (const order of [
      [running, finished],
      [finished, running],
    ]) {
      assert.deepEqual(
        keepRuns(undefined, order)
          .map(j => j.name)
          .sort(),
        ['backup-a', 'backup-b'],
      );
    }
  });
  it('of two finished runs without a mark, only the newest', () => {
    const jobs = [
      failedJob({name: 'backup-a', scheduled: 0}),
      failedJob({name: 'backup-b', scheduled: 60}),
    ];
    assert.deepEqual(
      keepRuns(undefined, jobs).map(j => j.name),
      ['backup-b'],
    );
  });
});
