/**
 * What a CronJob's policy changes in the decisions and the plan: ignore (silent, and muting
 * what is open), the destination stored with an incident, the log excerpt asked for once.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {decideSubject, subjectMayChange} from '../../functions/core/decide.js';
import type {CronJobView} from '../../functions/core/detector.js';
import {defaultPolicy, type Policy} from '../../functions/core/policy.js';
import type {
  Destination,
  LogExcerpt,
  PendingNotification,
  SubjectRecord,
} from '../../functions/core/incident.js';
import type {JobInfo} from '../../functions/core/model.js';
import {planCluster, type StoredCluster} from '../../functions/core/plan.js';
import {finishedRunsOf} from '../../functions/core/verdict.js';
import {at, cronJob, failedJob, QUIET_SCHEDULE, succeededJob} from './builders.js';

const CLUSTER = 'projects/p/locations/l/clusters/prod';
const D1: Destination = {channel: 'C0TEAM0001', language: 'ja', mention: '<!here>', runbook: null};
const D2: Destination = {channel: '#other', language: 'en', mention: null, runbook: null};
const PLAIN: Policy = {...defaultPolicy(3), destination: D1};
const IGNORED: Policy = {...defaultPolicy(3), ignore: true, destination: D1};

const ok = (m: number) => succeededJob({name: `ok${m}`, scheduled: m});
const ko = (m: number) => failedJob({name: `ko${m}`, scheduled: m});

function view(jobs: JobInfo[], excerpts?: Map<string, LogExcerpt>): CronJobView {
  return {
    type: 'cronjob',
    clusterId: CLUSTER,
    cronJob: cronJob({schedule: QUIET_SCHEDULE}),
    runs: finishedRunsOf(jobs),
    running: [],
    latestScheduledJobAt: null,
    ...(excerpts === undefined ? {} : {excerpts}),
  };
}

/** The record after `jobs` were seen (first a healthy start), opening delivered or not. */
function recordWith(jobs: JobInfo[], policy: Policy, delivered: boolean): SubjectRecord {
  const start = decideSubject(null, view([ok(0)]), policy, at(10), undefined);
  assert.ok(start);
  const opened = decideSubject(start.record, view(jobs), policy, at(100), undefined);
  assert.ok(opened);
  return delivered ? {...opened.record, outbox: []} : opened.record;
}

const kinds = (outbox: PendingNotification[]) => outbox.map(n => n.kind);

describe('ignore', () => {
  it('first sight of a failing, ignored CronJob: a starting point, no incident', () => {
    const d = decideSubject(null, view([ko(0)]), IGNORED, at(10), undefined);
    assert.ok(d);
    assert.deepEqual(d.record.open, {});
    assert.deepEqual(d.record.outbox, []);
    assert.equal(d.record.watermark?.job, 'ko0');
    assert.deepEqual(d.changes, []);
  });

  it('a new failure: no incident, nothing owed, but the watermark moves past it', () => {
    const start = decideSubject(null, view([ok(0)]), IGNORED, at(10), undefined);
    const d = decideSubject(start!.record, view([ok(0), ko(60)]), IGNORED, at(100), undefined);
    assert.ok(d);
    assert.deepEqual(d.record.open, {});
    assert.deepEqual(d.record.outbox, []);
    assert.equal(d.record.watermark?.job, 'ko60');
    // Lifting ignore later does not open an incident for it.
    assert.equal(decideSubject(d.record, view([ok(0), ko(60)]), PLAIN, at(110), undefined), null);
  });

  it('set while an incident is open and announced: closed as muted, one quiet closing owed', () => {
    const record = recordWith([ok(0), ko(60)], PLAIN, true);
    const d = decideSubject(record, view([ok(0), ko(60), ko(120)]), IGNORED, at(200), undefined);
    assert.ok(d);
    assert.deepEqual(d.record.open, {});
    assert.deepEqual(kinds(d.record.outbox), ['closed']);
    const closed = d.record.outbox[0]!.incident;
    assert.deepEqual(closed.ending, {type: 'muted', at: at(200).toISOString()});
    assert.equal(
      closed.kind === 'failing' ? closed.failedRuns : 0,
      1,
      'the run seen while ignored is not counted',
    );
    assert.deepEqual(closed.destination, D1);
    assert.deepEqual(
      d.changes.map(c => c.kind),
      ['muted'],
    );
    assert.equal(d.record.history.at(-1)?.id, closed.id);
  });

  it('set while the opening was never sent: the opening is dropped, nothing at all is sent', () => {
    const record = recordWith([ok(0), ko(60)], PLAIN, false);
    assert.deepEqual(kinds(record.outbox), ['opened']);
    const d = decideSubject(record, view([ok(0), ko(60)]), IGNORED, at(200), undefined);
    assert.ok(d);
    assert.deepEqual(d.record.outbox, []);
    assert.deepEqual(d.record.open, {});
  });

  it('set while another pass is sending the opening: the quiet closing follows it', () => {
    const record = recordWith([ok(0), ko(60)], PLAIN, false);
    const claimed: SubjectRecord = {
      ...record,
      outbox: record.outbox.map(n => ({...n, claim: {by: 'p', until: at(300).toISOString()}})),
    };
    const d = decideSubject(claimed, view([ok(0), ko(60)]), IGNORED, at(200), undefined);
    assert.deepEqual(kinds(d!.record.outbox), ['opened', 'closed']);
  });

  it('silences every kind: no missed incident opens, and an open one closes as muted', () => {
    // Hourly, created at -1000 and never run: by minute 200 several due times were missed.
    const hourly = (): CronJobView => ({...view([]), cronJob: cronJob({schedule: '0 * * * *'})});
    const plain = decideSubject(null, hourly(), PLAIN, at(200), undefined);
    assert.deepEqual(Object.keys(plain!.record.open), ['missed']);
    const ignored = decideSubject(null, hourly(), IGNORED, at(200), undefined);
    assert.deepEqual(ignored!.record.open, {});
    assert.deepEqual(ignored!.record.outbox, []);
    const announced = {...plain!.record, outbox: []};
    const muted = decideSubject(announced, hourly(), IGNORED, at(260), undefined);
    assert.deepEqual(muted!.record.open, {});
    assert.deepEqual(kinds(muted!.record.outbox), ['closed']);
    assert.equal(muted!.record.outbox[0]!.incident.kind, 'missed');
    assert.equal(muted!.record.outbox[0]!.incident.ending?.type, 'muted');
  });

  it('an ignored CronJob with an open incident must be evaluated; without one, only when runs are new', () => {
    const open = recordWith([ok(0), ko(60)], PLAIN, true);
    const v = view([ok(0), ko(60)]);
    assert.equal(
      subjectMayChange(v, {watermark: open.watermark, record: open}, IGNORED, at(200)),
      true,
    );
    assert.equal(
      subjectMayChange(v, {watermark: open.watermark, record: open}, PLAIN, at(200)),
      false,
    );
    const quiet = {...open, open: {}};
    assert.equal(
      subjectMayChange(v, {watermark: quiet.watermark, record: quiet}, IGNORED, at(200)),
      false,
    );
  });
});

describe('destination', () => {
  it('stored with the incident when it opens, kept when the policy changes', () => {
    const record = recordWith([ok(0), ko(60)], PLAIN, true);
    assert.deepEqual(record.open.failing?.destination, D1);
    const moved: Policy = {...defaultPolicy(3), destination: D2};
    const again = decideSubject(record, view([ok(0), ko(60), ko(120)]), moved, at(200), undefined);
    assert.deepEqual(again!.record.open.failing?.destination, D1);
    const fixed = decideSubject(again!.record, view([ko(120), ok(180)]), moved, at(300), undefined);
    const closing = fixed!.record.outbox.at(-1);
    assert.equal(closing?.kind, 'closed');
    assert.deepEqual(closing?.incident.destination, D1);
  });

  it('none without a policy destination (records as before)', () => {
    const record = recordWith([ok(0), ko(60)], defaultPolicy(3), true);
    assert.equal(record.open.failing?.destination, undefined);
  });
});

describe('log excerpt', () => {
  const excerpt: LogExcerpt = {
    pod: 'p',
    container: 'main',
    text: 'boom',
    cut: false,
    unavailable: null,
  };

  it("stored with the incident from the opening run's excerpt, and kept as it goes on", () => {
    const start = decideSubject(null, view([ok(0)]), PLAIN, at(10), undefined);
    const d = decideSubject(
      start!.record,
      view([ok(0), ko(60)], new Map([['uid-ko60', excerpt]])),
      PLAIN,
      at(100),
      undefined,
    );
    assert.deepEqual(d!.record.open.failing?.log, excerpt);
    assert.deepEqual(
      d!.record.outbox[0]?.incident.kind === 'failing' && d!.record.outbox[0].incident.log,
      excerpt,
    );
    const again = decideSubject(
      d!.record,
      view([ok(0), ko(60), ko(120)]),
      PLAIN,
      at(200),
      undefined,
    );
    assert.deepEqual(again!.record.open.failing?.log, excerpt);
  });
});

describe('the plan asks for a log once, for the run that opens the incident', () => {
  function plan(
    jobs: JobInfo[],
    policy: Policy,
    stored: Partial<{known: boolean; open: boolean}> = {},
  ) {
    const named = jobs.map(j => ({...j, cronJobUid: 'cj-uid'}));
    const record = stored.open ? recordWith([ok(0), ko(60)], PLAIN, true) : undefined;
    const known: StoredCluster['known'] = new Map(
      stored.known || stored.open
        ? [['batch/backup', {watermark: {atMs: at(5).getTime(), job: 'ok0'}}]]
        : [],
    );
    const attention = new Map(record === undefined ? [] : [['batch/backup', record]]);
    const p = planCluster(
      {
        clusterId: CLUSTER,
        read: {ok: true},
        snapshot: {
          cluster: {id: CLUSTER, name: 'prod', project: null, location: null},
          cronJobs: [cronJob()],
          jobs: named,
          problems: [],
        },
        namespaces: null,
      },
      {known, attention},
      () => policy,
      at(1000),
    );
    const item = p.evaluate.find(e => e.key === 'batch/backup');
    return {
      log:
        item?.log === undefined || item.log === null
          ? null
          : `${item.log.job.name}:${item.log.lines}`,
      pods: item?.podsOf.map(j => j.name) ?? [],
    };
  }
  const LOGS: Policy = {...PLAIN, logLines: 20};

  const cases: Array<
    [string, JobInfo[], Policy, Partial<{known: boolean; open: boolean}>, string | null]
  > = [
    ['first sight, the latest run failed', [ok(0), ko(60)], LOGS, {}, 'ko60:20'],
    [
      'new failures, nothing open: the first one opens',
      [ok(0), ko(60), ko(120)],
      LOGS,
      {known: true},
      'ko60:20',
    ],
    [
      'a failure after a new success: that one opens',
      [ok(0), ko(60), ok(120), ko(180)],
      LOGS,
      {known: true},
      'ko180:20',
    ],
    [
      'an incident already open: no new opening, no log',
      [ok(0), ko(60), ko(120)],
      LOGS,
      {open: true},
      null,
    ],
    [
      'open, then fixed and failing again: the new opening',
      [ok(0), ko(60), ok(120), ko(180)],
      LOGS,
      {open: true},
      'ko180:20',
    ],
    ['without log-lines: never', [ok(0), ko(60)], PLAIN, {known: true}, null],
    ['ignored: never', [ok(0), ko(60)], {...LOGS, ignore: true}, {known: true}, null],
  ];
  for (const [why, jobs, policy, stored, expected] of cases) {
    it(why, () => assert.equal(plan(jobs, policy, stored).log, expected));
  }

  it('an ignored CronJob costs no Pod lookup either', () => {
    assert.deepEqual(plan([ok(0), ko(60)], {...LOGS, ignore: true}, {known: true}).pods, []);
    assert.deepEqual(plan([ok(0), ko(60)], LOGS, {known: true}).pods, ['ko60']);
  });
});
