/**
 * The silent-failure detections as tables: missed schedules, Jobs running too long (and
 * their hand-over into the failing streak), failures whose Job is already gone. Every case is
 * (stored record × what the cluster shows × now) → what changes; times are minutes after T0
 * (2026-03-01T10:00Z), the clock is passed in.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {decideSubject, type Decision} from '../../functions/core/decide.js';
import type {CronJobView, GoneJobEvent} from '../../functions/core/detector.js';
import type {Policy} from '../../functions/core/policy.js';
import {goneJobEventOf} from '../../functions/core/detections/failing/detector.js';
import type {
  FailingIncident,
  MissedIncident,
  RunningTooLongIncident,
  SubjectRecord,
} from '../../functions/core/incident.js';
import type {CronJobInfo, JobEvent, JobInfo} from '../../functions/core/model.js';
import {finishedRunsOf, judgeJob} from '../../functions/core/verdict.js';
import {at, cronJob, failedJob, runningJob, succeededJob} from './builders.js';

const CLUSTER = 'kubeconfig/test';
const POLICY: Policy = {clusterDownAfter: 3, missedGraceMs: null, maxDurationMs: null};
const iso = (minutes: number) => at(minutes).toISOString();

function view(
  cj: Partial<CronJobInfo>,
  jobs: JobInfo[] = [],
  extra: Partial<CronJobView> = {},
): CronJobView {
  const scheduled = jobs.map(j => j.scheduledAt?.getTime() ?? -Infinity);
  const latest = Math.max(-Infinity, ...scheduled);
  return {
    type: 'cronjob',
    clusterId: CLUSTER,
    cronJob: cronJob({createdAt: at(-600), ...cj}),
    runs: finishedRunsOf(jobs),
    running: jobs.map(judgeJob).filter(v => v.outcome === 'running'),
    latestScheduledJobAt: Number.isFinite(latest) ? new Date(latest) : null,
    ...extra,
  };
}

function decide(
  record: SubjectRecord | null,
  v: CronJobView,
  nowMinutes: number,
  policy: Policy = POLICY,
): Decision | null {
  // A stored record: not first sight. `null` with an index entry: known, no record yet.
  return decideSubject(record, v, policy, at(nowMinutes), record === null ? null : undefined);
}

const kinds = (d: Decision | null) => d?.changes.map(c => `${c.incidentKind}:${c.kind}`) ?? [];
const delivered = (d: Decision | null): SubjectRecord => {
  assert.ok(d);
  return {...d.record, outbox: []};
};

describe('missed schedules (hourly at :00, default grace 10 minutes)', () => {
  // The 11:00 run started and succeeded (its Job is gone: only the status tells).
  const ranAt11 = {lastScheduleTime: at(60), lastSuccessfulTime: at(62)};
  const cases: Array<{
    name: string;
    cj: Partial<CronJobInfo>;
    jobs?: JobInfo[];
    now: number;
    policy?: Partial<Policy>;
    expect: {opened: boolean; firstDue?: string; count?: number; lastStarted?: string | null};
  }> = [
    {name: 'the last run was on time', cj: ranAt11, now: 65, expect: {opened: false}},
    {name: 'due 12:00, within the grace at 12:05', cj: ranAt11, now: 125, expect: {opened: false}},
    {
      name: 'due 12:00, not started by 12:11',
      cj: ranAt11,
      now: 131,
      expect: {opened: true, firstDue: iso(120), count: 1, lastStarted: iso(60)},
    },
    {
      name: 'three due times missed by 14:11',
      cj: ranAt11,
      now: 251,
      expect: {opened: true, firstDue: iso(120), count: 3},
    },
    {
      name: 'startingDeadlineSeconds 1800 widens the grace to 30 minutes',
      cj: {...ranAt11, startingDeadlineSeconds: 1800},
      now: 135,
      expect: {opened: false},
    },
    {
      name: '…and after it, missed',
      cj: {...ranAt11, startingDeadlineSeconds: 1800},
      now: 151,
      expect: {opened: true, firstDue: iso(120), count: 1},
    },
    {
      name: 'the missed-grace annotation (2h) wins',
      cj: ranAt11,
      now: 181,
      policy: {missedGraceMs: 2 * 3600_000},
      expect: {opened: false},
    },
    {
      name: 'a suspended CronJob is never missed',
      cj: {...ranAt11, suspended: true},
      now: 600,
      expect: {opened: false},
    },
    {
      name: 'never ran: counted from its creation',
      cj: {lastScheduleTime: null, createdAt: at(30)},
      now: 71,
      expect: {opened: true, firstDue: iso(60), count: 1, lastStarted: null},
    },
    {
      name: 'never ran, created after the last due time: nothing yet',
      cj: {lastScheduleTime: null, createdAt: at(61)},
      now: 119,
      expect: {opened: false},
    },
    {
      name: 'Forbid with a Job still running: the running-too-long incident, not this one',
      cj: {...ranAt11, concurrencyPolicy: 'Forbid', activeJobNames: ['backup-x']},
      jobs: [runningJob({name: 'backup-x', scheduled: 60})],
      now: 131,
      policy: {maxDurationMs: 24 * 3600_000},
      expect: {opened: false},
    },
    {
      name: 'a Job carries the due time though lastScheduleTime lags',
      cj: ranAt11,
      jobs: [succeededJob({name: 'backup-120', scheduled: 120, after: 3})],
      now: 131,
      expect: {opened: false},
    },
    {
      name: 'Asia/Tokyo 09:00 that ran on time is not missed by a UTC reading',
      cj: {
        schedule: '0 9 * * *',
        timeZone: 'Asia/Tokyo',
        lastScheduleTime: new Date('2026-03-02T00:00:00Z'),
      },
      now: (Date.parse('2026-03-02T09:30:00Z') - at(0).getTime()) / 60_000,
      expect: {opened: false},
    },
    {
      name: 'more than 100 missed (every minute, for hours): capped at 101',
      cj: {schedule: '* * * * *', lastScheduleTime: at(0), lastSuccessfulTime: at(0)},
      now: 300,
      expect: {opened: true, firstDue: iso(1), count: 101},
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = decide(null, view(c.cj, c.jobs ?? []), c.now, {...POLICY, ...c.policy});
      const missed = d?.record.open.missed;
      assert.equal(missed !== undefined, c.expect.opened, kinds(d).join());
      if (missed === undefined) return;
      assert.deepEqual(kinds(d), ['missed:opened']);
      assert.equal(missed.firstDueAt, c.expect.firstDue);
      if (c.expect.count !== undefined) assert.equal(missed.missedRuns, c.expect.count);
      if (c.expect.lastStarted !== undefined)
        assert.equal(missed.lastStartedAt, c.expect.lastStarted);
      assert.equal(missed.id, `missed:cj-uid@${c.expect.firstDue}`);
    });
  }

  const opened = () => delivered(decide(null, view(ranAt11), 131));
  it('a new missed due time updates the count silently; the same count writes nothing', () => {
    const record = opened();
    assert.equal(decide(record, view(ranAt11), 140), null);
    const later = decide(record, view(ranAt11), 191);
    assert.deepEqual(kinds(later), [], 'no change reported: no message');
    assert.equal(later?.record.open.missed?.missedRuns, 2);
    assert.deepEqual(later?.record.outbox, []);
  });
  it('a late start for the missed due time closes it, saying how long no run started', () => {
    const record = opened();
    const d = decide(record, view({lastScheduleTime: at(120), lastSuccessfulTime: at(122)}), 140);
    assert.deepEqual(kinds(d), ['missed:closed']);
    const closed = d?.record.history.at(-1) as MissedIncident;
    assert.deepEqual(closed.ending, {type: 'started', at: iso(120)});
    assert.equal(Date.parse(closed.closedAt ?? '') - Date.parse(closed.openedAt), 0);
    const later = decide(
      record,
      view({lastScheduleTime: at(180), lastSuccessfulTime: at(182)}),
      185,
    );
    assert.equal(later?.record.history.at(-1)?.closedAt, iso(180));
  });
  it('suspending the CronJob closes it, saying so', () => {
    const d = decide(opened(), view({...ranAt11, suspended: true}), 150);
    assert.deepEqual(kinds(d), ['missed:closed']);
    assert.equal(d?.record.history.at(-1)?.ending?.type, 'suspended');
  });
});

describe('Jobs running too long (hourly; limit: one period, or max-duration)', () => {
  // Named as the controller names the Job of that due time (a deleted one is found by it).
  const name = `backup-${Math.floor(at(0).getTime() / 60_000)}`;
  const job = runningJob({name, scheduled: 0});
  const forbid = {
    concurrencyPolicy: 'Forbid' as const,
    activeJobNames: [name],
    lastScheduleTime: at(0),
  };
  it('within one period: nothing', () => {
    assert.equal(
      decide(null, view({lastScheduleTime: at(0)}, [job]), 59)?.record.open['running-too-long'],
      undefined,
    );
  });
  it('past one period: opens once, with the limit, its start and what its Pods say', () => {
    const d = decide(
      null,
      view({lastScheduleTime: at(0)}, [job], {
        details: new Map([[`uid-${name}`, 'container app: ImagePullBackOff']]),
      }),
      61,
    );
    assert.deepEqual(kinds(d), ['running-too-long:opened']);
    const open = d?.record.open['running-too-long'];
    assert.equal(open?.limitMs, 3600_000);
    assert.equal(open?.limitFrom, 'schedule');
    assert.equal(open?.startedAt, iso(0));
    assert.equal(open?.podDetail, 'container app: ImagePullBackOff');
    assert.equal(open?.id, `running-too-long:uid-${name}`);
  });
  it('the max-duration annotation sets the limit', () => {
    const d = decide(null, view({lastScheduleTime: at(0)}, [job]), 31, {
      ...POLICY,
      maxDurationMs: 30 * 60_000,
    });
    assert.equal(d?.record.open['running-too-long']?.limitFrom, 'annotation');
  });
  it('a Forbid CronJob held 5 h by a hung Job gets exactly one incident, not two', () => {
    const d = decide(null, view(forbid, [job]), 5 * 60 + 1);
    assert.deepEqual(kinds(d), ['running-too-long:opened']);
    assert.equal(d?.record.open['running-too-long']?.blockedRuns, 5);
    assert.equal(d?.record.open.missed, undefined);
  });
  it('a blocked run more updates silently; nothing new writes nothing', () => {
    const record = delivered(decide(null, view(forbid, [job]), 121));
    assert.equal(decide(record, view(forbid, [job]), 130), null);
    const later = decide(record, view(forbid, [job]), 181);
    assert.deepEqual(kinds(later), []);
    assert.equal(later?.record.open['running-too-long']?.blockedRuns, 3);
  });
  it('the Job succeeds: closes with its total run time', () => {
    const record = delivered(decide(null, view(forbid, [job]), 121));
    const done = succeededJob({name: name, scheduled: 0, after: 150});
    const d = decide(
      record,
      view({...forbid, activeJobNames: [], lastSuccessfulTime: at(150)}, [done]),
      155,
    );
    assert.deepEqual(kinds(d), ['running-too-long:closed']);
    const closed = d?.record.history.at(-1) as RunningTooLongIncident;
    assert.deepEqual(
      {
        type: closed.ending?.type,
        at: closed.ending?.at,
        ok: closed.ending?.type === 'finished' && closed.ending.succeeded,
      },
      {type: 'finished', at: iso(150), ok: true},
    );
  });
  it('the Job fails: the failing streak continues its thread, one message, not two', () => {
    const record = delivered(decide(null, view(forbid, [job]), 121));
    const failed = failedJob({name: name, scheduled: 0, after: 150});
    const d = decide(record, view({...forbid, activeJobNames: []}, [failed]), 155);
    assert.deepEqual(kinds(d).sort(), ['failing:opened', 'running-too-long:closed']);
    assert.deepEqual(
      d?.record.outbox.map(n => `${n.incident.kind}/${n.kind}`),
      ['failing/opened'],
      'no closing message of its own',
    );
    const failing = d?.record.open.failing as FailingIncident;
    assert.equal(failing.continues, `running-too-long:uid-${name}`);
  });
  it('the Job fails before its opening was sent: that opening is dropped, the failure posts alone', () => {
    const record = decide(null, view(forbid, [job]), 121)?.record ?? null;
    const failed = failedJob({name: name, scheduled: 0, after: 150});
    const d = decide(record, view({...forbid, activeJobNames: []}, [failed]), 155);
    assert.deepEqual(
      d?.record.outbox.map(n => `${n.incident.kind}/${n.kind}`),
      ['failing/opened'],
    );
  });
  it('the Job is deleted while running: closes, saying so', () => {
    const record = delivered(decide(null, view(forbid, [job]), 121));
    const after = view({...forbid, activeJobNames: []}, []);
    const d = decide(record, after, 130);
    assert.deepEqual(kinds(d).sort(), ['failing:opened', 'running-too-long:closed']);
    assert.equal(d?.record.history.at(-1)?.ending?.type, 'job-gone');
    assert.equal(d?.record.open.failing?.continues, `running-too-long:uid-${name}`);
    assert.equal(
      decide(delivered(d), after, 135),
      null,
      'the runs it blocked are not missed later',
    );
  });
});

describe('failures whose Job is gone (counted by the failing streak)', () => {
  const gone = {lastScheduleTime: at(60), lastSuccessfulTime: at(5), failedJobsHistoryLimit: 0};
  const cases: Array<{name: string; cj: Partial<CronJobInfo>; jobs?: JobInfo[]; opens: boolean}> = [
    {
      name: 'scheduled after the last success, nothing active, no Job: failed',
      cj: gone,
      opens: true,
    },
    {
      name: 'the last success is newer: it succeeded',
      cj: {...gone, lastSuccessfulTime: at(62)},
      opens: false,
    },
    {
      name: 'still active: running, not failed',
      cj: {...gone, activeJobNames: ['backup-60']},
      opens: false,
    },
    {
      name: 'its Job is there: judged from the Job',
      cj: gone,
      jobs: [succeededJob({name: 'backup-60', scheduled: 60})],
      opens: false,
    },
    {name: 'never scheduled: nothing', cj: {...gone, lastScheduleTime: null}, opens: false},
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = decide(null, view(c.cj, c.jobs ?? []), 70);
      assert.equal(d?.record.open.failing !== undefined, c.opens, kinds(d).join());
    });
  }
  it('names the Job as the controller did, the likely cause, and the reason from its events', () => {
    const events = new Map([
      [
        'backup-29539380',
        {
          reason: 'BackoffLimitExceeded',
          message: 'Job has reached the specified backoff limit',
          succeeded: false,
        },
      ],
    ]);
    const d = decide(null, view(gone, [], {events}), 70);
    const run = d?.record.open.failing?.openedBy;
    assert.equal(run?.job, `backup-${Math.floor(at(60).getTime() / 60_000)}`);
    assert.equal(run?.job, 'backup-29539380');
    assert.equal(run?.reason, 'BackoffLimitExceeded');
    assert.deepEqual(run?.gone, {cause: 'failed-jobs-history-limit'});
    assert.equal(run?.at, iso(60));
  });
  // ttlSecondsAfterFinished: 0 can delete a Job before the CronJob controller records its
  // success: lastSuccessfulTime stays behind, and only the Job's events tell.
  const completed = new Map([
    ['backup-29539380', {reason: 'Completed', message: 'Job completed', succeeded: true}],
  ]);
  it('its events say Completed: a success whose Job is gone, no incident', () => {
    const d = decide(null, view(gone, [], {events: completed}), 70);
    assert.equal(d?.record.open.failing, undefined, kinds(d).join());
  });
  it('its events say Completed while a streak is open: it closes, fixed by that run', () => {
    const record = delivered(decide(null, view(gone), 70));
    const later = {...gone, lastScheduleTime: at(120)};
    const events = new Map([
      ['backup-29539440', {reason: 'Completed', message: 'Job completed', succeeded: true}],
    ]);
    const d = decide(record, view(later, [], {events}), 130);
    assert.deepEqual(kinds(d), ['failing:closed']);
    const ending = d?.record.history.at(-1)?.ending;
    assert.equal(ending?.type, 'succeeded');
    assert.equal(ending?.type === 'succeeded' ? ending.run.job : null, 'backup-29539440');
  });
  it('counted once: the next pass changes nothing', () => {
    const record = delivered(decide(null, view(gone), 70));
    assert.equal(decide(record, view(gone), 80), null);
  });
  it('a later success closes it', () => {
    const record = delivered(decide(null, view(gone), 70));
    const d = decide(
      record,
      view({...gone, lastScheduleTime: at(120), lastSuccessfulTime: at(125)}),
      130,
    );
    assert.deepEqual(kinds(d), ['failing:closed']);
  });
});

describe('goneJobEventOf: how a gone Job ended, from its events (newest first)', () => {
  const ev = (type: string | null, reason: string, message: string | null = null): JobEvent => ({
    type,
    reason,
    message,
    at: null,
  });
  const cases: Array<[string, JobEvent[], GoneJobEvent | null]> = [
    ['no events (expired, or never read)', [], null],
    ['only pod creation', [ev('Normal', 'SuccessfulCreate')], null],
    [
      'the Job controller said Completed',
      [ev('Normal', 'Completed', 'Job completed'), ev('Normal', 'SuccessfulCreate')],
      {reason: 'Completed', message: 'Job completed', succeeded: true},
    ],
    [
      'a failure reason wins over an older Completed of a retried index',
      [ev('Normal', 'Completed'), ev('Warning', 'DeadlineExceeded', 'too long')],
      {reason: 'DeadlineExceeded', message: 'too long', succeeded: false},
    ],
    [
      'a failure reason without a type',
      [ev(null, 'BackoffLimitExceeded')],
      {reason: 'BackoffLimitExceeded', message: null, succeeded: false},
    ],
    [
      'another Warning: the newest is the reason',
      [
        ev('Normal', 'SuccessfulCreate'),
        ev('Warning', 'FailedCreate', 'quota'),
        ev('Warning', 'X'),
      ],
      {reason: 'FailedCreate', message: 'quota', succeeded: false},
    ],
    [
      'a Warning named Completed is no success',
      [ev('Warning', 'Completed')],
      {reason: 'Completed', message: null, succeeded: false},
    ],
  ];
  for (const [name, events, want] of cases) {
    it(name, () => assert.deepEqual(goneJobEventOf(events), want));
  }
});
