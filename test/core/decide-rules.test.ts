/**
 * How `decideSubject` applies transitions to the outbox, the history and the summary when more
 * than one thing is in flight, and the rules between detections (relations.ts) called
 * directly: the hand-over from a Job that ran too long, the thread an opening continues, where
 * a Forbid CronJob's missed due times start counting.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {decideDeleted, decideSubject, subjectMayChange} from '../../functions/core/decide.js';
import type {ClusterView, CronJobView, Evaluation} from '../../functions/core/detector.js';
import {
  continuedThreadOf,
  forbidAnchorMs,
  handOver,
} from '../../functions/core/detections/relations.js';
import {
  blankRecord,
  type Destination,
  type FailingIncident,
  type Incident,
  type MissedIncident,
  type PendingNotification,
  type RunningTooLongIncident,
  type SubjectRecord,
} from '../../functions/core/incident.js';
import type {JobInfo} from '../../functions/core/model.js';
import type {Policy} from '../../functions/core/policy.js';
import {finishedRunsOf} from '../../functions/core/verdict.js';
import {at, cronJob, failedJob, QUIET_SCHEDULE, succeededJob} from './builders.js';

const CLUSTER = 'kubeconfig/test';
const POLICY: Policy = {clusterDownAfter: 3, missedGraceMs: null, maxDurationMs: null};
const SUBJECT = {
  type: 'cronjob' as const,
  namespace: 'batch',
  name: 'backup',
  uid: 'cj-uid',
  schedule: QUIET_SCHEDULE,
};
const iso = (minutes: number) => at(minutes).toISOString();

function view(jobs: JobInfo[], schedule = QUIET_SCHEDULE): CronJobView {
  return {
    type: 'cronjob',
    clusterId: CLUSTER,
    cronJob: cronJob({schedule, lastScheduleTime: at(0), lastSuccessfulTime: at(1)}),
    runs: finishedRunsOf(jobs),
    running: [],
    latestScheduledJobAt: at(0),
  };
}

const f = (n: number) => failedJob({name: `backup-${n}`, scheduled: n});
const ok = (n: number) => succeededJob({name: `backup-${n}`, scheduled: n});

/** The record after deciding over `jobs` from nothing (a known CronJob with no mark). */
function after(jobs: JobInfo[], now: number, policy: Policy = POLICY): SubjectRecord {
  const d = decideSubject(null, view(jobs), policy, at(now), null);
  assert.ok(d);
  return d.record;
}
const delivered = (r: SubjectRecord): SubjectRecord => ({...r, outbox: []});

const missed: MissedIncident = {
  kind: 'missed',
  id: 'missed:cj-uid@2026-03-01T09:00:00.000Z',
  openedAt: iso(-60),
  closedAt: iso(-30),
  ending: {type: 'started', at: iso(-30)},
  schedule: '0 * * * *',
  timeZone: 'UTC',
  firstDueAt: iso(-60),
  latestDueAt: iso(-60),
  missedRuns: 1,
  lastStartedAt: null,
};
/** A closing message of another incident, still owed. */
const otherOwed: PendingNotification = {
  id: `${missed.id}/closed`,
  kind: 'closed',
  incident: missed,
  createdAt: iso(-30),
  attempts: 0,
  lastError: null,
  claim: null,
};

describe('notifications and the summary', () => {
  it('each transition owes one notification, named after its incident and kind', () => {
    const opened = after([f(0)], 10);
    const id = opened.open.failing?.id;
    assert.equal(id, 'cj-uid/uid-backup-0');
    assert.deepEqual(
      opened.outbox.map(n => n.id),
      [`${id}/opened`],
    );
    const closed = decideSubject(delivered(opened), view([f(0), ok(20)]), POLICY, at(30), null);
    assert.deepEqual(
      closed?.record.outbox.map(n => n.id),
      [`${id}/closed`],
    );
    const recovered = decideSubject(opened, view([f(0), ok(20)]), POLICY, at(30), null);
    assert.deepEqual(
      recovered?.record.outbox.map(n => n.id),
      [`${id}/recovered`],
    );
  });

  it('an update reaches only this incident’s unsent opening, never another message', () => {
    const opened = after([f(0)], 10);
    const r = {...opened, outbox: [otherOwed, ...opened.outbox]};
    const d = decideSubject(r, view([f(0), f(20)]), POLICY, at(30), null);
    assert.deepEqual(d?.record.outbox[0], otherOwed);
    const opening = d?.record.outbox[1]?.incident as FailingIncident;
    assert.equal(opening.failedRuns, 2);
  });

  it('another incident’s unsent opening is neither updated nor turned into this one’s recovery', () => {
    const opened = after([f(0)], 10);
    const otherOpening: PendingNotification = {
      ...otherOwed,
      id: `${missed.id}/opened`,
      kind: 'opened',
      incident: {...missed, closedAt: null, ending: null},
    };
    const r = {...opened, outbox: [otherOpening, ...opened.outbox]};
    const updated = decideSubject(r, view([f(0), f(20)]), POLICY, at(30), null);
    assert.deepEqual(updated?.record.outbox[0], otherOpening);
    const fixed = decideSubject(r, view([f(0), ok(20)]), POLICY, at(30), null);
    assert.deepEqual(
      fixed?.record.outbox.map(n => n.id),
      [otherOpening.id, `${opened.open.failing?.id}/recovered`],
    );
  });

  it('a claimed opening is left as it is being sent', () => {
    const opened = after([f(0)], 10);
    const claimed = {...opened.outbox[0]!, claim: {by: 'p', until: iso(100)}};
    const d = decideSubject(
      {...opened, outbox: [claimed]},
      view([f(0), f(20)]),
      POLICY,
      at(30),
      null,
    );
    assert.deepEqual(d?.record.outbox, [claimed]);
  });

  it('failed again, then fixed, before the opening went out: both lines, one recovered message', () => {
    const opened = after([f(0)], 10);
    const r = {...opened, outbox: [otherOwed, ...opened.outbox]};
    const d = decideSubject(r, view([f(0), f(20), ok(40)]), POLICY, at(50), null);
    assert.deepEqual(
      d?.changes.map(c => c.kind),
      ['failed-again', 'recovered'],
    );
    assert.deepEqual(
      d?.record.outbox.map(n => n.id),
      [otherOwed.id, `${opened.open.failing?.id}/recovered`],
    );
  });

  it('closed after its opening went out, with another message owed: a closing of its own', () => {
    const opened = delivered(after([f(0)], 10));
    const d = decideSubject(
      {...opened, outbox: [otherOwed]},
      view([f(0), ok(20)]),
      POLICY,
      at(30),
      null,
    );
    assert.deepEqual(
      d?.record.outbox.map(n => n.id),
      [otherOwed.id, `${opened.open.failing?.id}/closed`],
    );
    assert.deepEqual(
      d?.changes.map(c => c.kind),
      ['closed'],
    );
  });

  it('the history keeps the ten latest incidents, newest last', () => {
    const old: Incident[] = Array.from({length: 10}, (_, i) => ({...missed, id: `old-${i}`}));
    const opened = delivered(after([f(0)], 10));
    const d = decideSubject({...opened, history: old}, view([f(0), ok(20)]), POLICY, at(30), null);
    const ids = d?.record.history.map(i => i.id);
    assert.equal(ids?.length, 10);
    assert.equal(ids?.[0], 'old-1');
    assert.equal(ids?.at(-1), opened.open.failing?.id);
  });

  it('a CronJob’s record keeps no count of failed reads', () => {
    const opened = after([f(0)], 10);
    assert.equal(opened.readFailures, null);
  });
});

describe('destinations: stored with the incident it opens, kept while it lives', () => {
  const ops: Destination = {channel: 'C-OPS', language: 'ja', mention: null, runbook: null};
  const dev: Destination = {channel: 'C-DEV', language: 'en', mention: null, runbook: null};
  it('an incident opened without a destination carries none', () => {
    assert.equal('destination' in after([f(0)], 10).open.failing!, false);
  });
  it('opened before destinations existed: kept without one when the policy has one now', () => {
    const opened = delivered(after([f(0)], 10));
    const updated = decideSubject(
      opened,
      view([f(0), f(20)]),
      {...POLICY, destination: dev},
      at(30),
      null,
    );
    assert.equal('destination' in updated!.record.open.failing!, false);
  });
  it('opened with the policy’s; updated and closed with it, whatever the policy says now', () => {
    const opened = delivered(after([f(0)], 10, {...POLICY, destination: ops}));
    assert.deepEqual(opened.open.failing?.destination, ops);
    const moved = {...POLICY, destination: dev};
    const updated = decideSubject(opened, view([f(0), f(20)]), moved, at(30), null)!.record;
    assert.deepEqual(updated.open.failing?.destination, ops);
    const closed = decideSubject(
      delivered(updated),
      view([f(0), f(20), ok(40)]),
      moved,
      at(50),
      null,
    );
    assert.deepEqual(closed?.record.outbox[0]?.incident.destination, ops);
  });
});

describe('ignored and disabled', () => {
  it('an ignored CronJob with an unsent opening: the opening is dropped, nothing else', () => {
    const opened = after([f(0)], 10);
    const r = {...opened, outbox: [otherOwed, ...opened.outbox]};
    const d = decideSubject(r, view([f(0)]), {...POLICY, ignore: true}, at(20), null);
    assert.deepEqual(
      d?.record.outbox.map(n => n.id),
      [otherOwed.id],
    );
    assert.deepEqual(
      d?.changes.map(c => c.kind),
      ['muted'],
    );
  });

  it('an ignored CronJob with nothing open: only its finished run is written, once', () => {
    const quiet = blankRecord(CLUSTER, SUBJECT, at(0));
    const ignore = {...POLICY, ignore: true};
    const d = decideSubject(quiet, view([ok(0)]), ignore, at(20), null);
    // Its finished run joins the history (lifting ignore finds it known), nothing else.
    assert.deepEqual(d?.changes, []);
    assert.deepEqual([d?.record.open, d?.record.outbox], [{}, []]);
    assert.equal(d?.record.runs.length, 1);
    assert.equal(decideSubject(d!.record, view([ok(0)]), ignore, at(30), undefined), null);
  });

  it('ignore means nothing for the cluster’s own record', () => {
    const down: ClusterView = {
      type: 'cluster',
      clusterId: CLUSTER,
      read: {ok: false, code: 'FORBIDDEN', message: 'no'},
    };
    const failing = {
      ...blankRecord(CLUSTER, {type: 'cluster'}, at(0)),
      readFailures: {count: 2, since: iso(0), lastError: 'x'},
    };
    const plain = decideSubject(failing, down, POLICY, at(10), undefined);
    assert.deepEqual(
      plain?.changes.map(c => `${c.incidentKind}:${c.kind}`),
      ['cluster-unreadable:opened'],
    );
    assert.deepEqual(
      decideSubject(failing, down, {...POLICY, ignore: true}, at(10), undefined),
      plain,
    );
  });

  it('a disabled detection neither decides nor asks to be evaluated', () => {
    // Hourly, last started 10:00: 11:00 is missed by 11:11.
    const v = view([], '0 * * * *');
    const known = {watermark: null, record: undefined};
    const record = blankRecord(CLUSTER, SUBJECT, at(0));
    assert.deepEqual(
      decideSubject(record, v, POLICY, at(71), null)?.changes.map(c => c.incidentKind),
      ['missed'],
    );
    assert.equal(subjectMayChange(v, known, POLICY, at(71)), true);
    const off: Policy = {...POLICY, disabled: ['missed']};
    assert.equal(decideSubject(record, v, off, at(71), null), null);
    assert.equal(subjectMayChange(v, known, off, at(71)), false);
  });
});

describe('decideDeleted', () => {
  it('keeps the history and adds what it closes', () => {
    const opened = delivered({...after([f(0)], 10), history: [missed]});
    const d = decideDeleted(opened, at(30));
    assert.deepEqual(
      d?.record.history.map(i => i.id),
      [missed.id, opened.open.failing?.id],
    );
  });
  it('the cluster’s own record is never closed as a deleted CronJob', () => {
    const cluster: SubjectRecord = {
      ...blankRecord(CLUSTER, {type: 'cluster'}, at(0)),
      open: {
        'cluster-unreadable': {
          kind: 'cluster-unreadable',
          id: 'cluster:x',
          openedAt: iso(0),
          closedAt: null,
          ending: null,
          firstError: {at: iso(0), code: 'X', message: 'x'},
          latestError: {at: iso(0), code: 'X', message: 'x'},
          failedReads: 3,
        },
      },
    };
    assert.equal(decideDeleted(cluster, at(30)), null);
  });
});

describe('relations: the hand-over from a Job that ran too long', () => {
  const tooLong: RunningTooLongIncident = {
    kind: 'running-too-long',
    id: 'running-too-long:uid-backup-0',
    openedAt: iso(60),
    closedAt: iso(70),
    ending: null,
    job: 'backup-0',
    jobUid: 'uid-backup-0',
    manual: false,
    startedAt: iso(0),
    limitMs: 3_600_000,
    limitFrom: 'schedule',
    podDetail: null,
    blockedRuns: 0,
  };
  const ref = {
    job: 'backup-0',
    jobUid: 'uid-backup-0',
    manual: false,
    at: iso(70),
    reason: null,
    message: null,
    detail: null,
  };
  const streak: FailingIncident = {
    kind: 'failing',
    id: 'cj-uid/uid-backup-0',
    openedAt: iso(70),
    closedAt: null,
    ending: null,
    openedBy: ref,
    latestFailure: ref,
    failedRuns: 1,
  };
  const closedLong = (ending: RunningTooLongIncident['ending']): Evaluation => ({
    transitions: [{type: 'close', incident: {...tooLong, ending}, job: 'backup-0'}],
  });
  const failed = {type: 'finished' as const, at: iso(70), run: ref, succeeded: false};
  const opens: Evaluation = {transitions: [{type: 'open', incident: streak, job: 'backup-0'}]};
  const missedCloses: Evaluation = {
    transitions: [{type: 'close', incident: missed, job: null}],
  };

  it('failed after running too long: the streak continues its thread, it closes silently', () => {
    const [failing, long, other] = handOver([opens, closedLong(failed), missedCloses]);
    assert.equal((failing?.transitions[0]?.incident as FailingIncident).continues, tooLong.id);
    assert.equal(long?.transitions[0]?.type === 'close' && long.transitions[0].silent, true);
    assert.deepEqual(
      other,
      missedCloses,
      'another incident closing in the same pass keeps its message',
    );
    assert.equal('silent' in failing!.transitions[0]!, false);
  });

  it('deleted while it ran (its failure known by name only): the same', () => {
    const [failing] = handOver([opens, closedLong({type: 'job-gone', at: iso(70)})]);
    assert.equal((failing?.transitions[0]?.incident as FailingIncident).continues, tooLong.id);
  });

  const unchanged: Array<{name: string; evaluations: Evaluation[]}> = [
    {name: 'it finished well', evaluations: [opens, closedLong({...failed, succeeded: true})]},
    {
      name: 'it is still open',
      evaluations: [
        opens,
        {transitions: [{type: 'update', incident: tooLong, job: 'backup-0', reported: false}]},
      ],
    },
    {
      name: 'the failure only counts towards a streak already open',
      evaluations: [
        {transitions: [{type: 'update', incident: streak, job: 'backup-0', reported: true}]},
        closedLong(failed),
      ],
    },
    {
      name: 'the streak was opened by another Job',
      evaluations: [
        {
          transitions: [
            {
              type: 'open',
              incident: {...streak, openedBy: {...ref, job: 'backup-60'}},
              job: 'backup-60',
            },
          ],
        },
        closedLong(failed),
      ],
    },
  ];
  for (const c of unchanged) {
    it(`no hand-over when ${c.name}`, () => {
      assert.deepEqual(handOver(c.evaluations), c.evaluations);
    });
  }

  it('the thread an opening continues', () => {
    assert.equal(continuedThreadOf({...streak, continues: tooLong.id}), tooLong.id);
    assert.equal(continuedThreadOf(streak), undefined);
    assert.equal(continuedThreadOf(tooLong), undefined);
  });
});

describe('relations: where a Forbid CronJob’s missed due times start counting', () => {
  const record = blankRecord(CLUSTER, SUBJECT, at(0));
  const now = at(500);
  const long = (
    closedAt: string | null,
    kind: 'running-too-long' | 'missed' = 'running-too-long',
  ): Incident =>
    kind === 'missed'
      ? {...missed, closedAt}
      : {
          kind: 'running-too-long',
          id: `running-too-long:${closedAt}`,
          openedAt: iso(60),
          closedAt,
          ending: null,
          job: 'backup-0',
          jobUid: 'uid-backup-0',
          manual: false,
          startedAt: iso(0),
          limitMs: 3_600_000,
          limitFrom: 'schedule',
          podDetail: null,
          blockedRuns: 0,
        };
  const cases: Array<{
    name: string;
    jobs: JobInfo[];
    record: SubjectRecord;
    expect: number | null;
  }> = [
    {name: 'nothing known', jobs: [], record, expect: null},
    {
      name: 'the end of the latest of several runs',
      jobs: [ok(200), f(100)],
      record,
      expect: at(205).getTime(),
    },
    {
      name: 'a run with no finish time: where it stands in the order',
      jobs: [
        {
          ...f(100),
          conditions: f(100).conditions.map(c => ({...c, lastTransitionTime: null})),
          completedAt: null,
        },
      ],
      record,
      // No usable outcome time: its start (10:00 + 100 min) stands in.
      expect: at(100).getTime(),
    },
    {
      name: 'a Job that ran too long and closed later than any run ended',
      jobs: [ok(100)],
      record: {...record, history: [long(iso(300)), long(iso(250))]},
      expect: at(300).getTime(),
    },
    {
      name: 'incidents of other kinds in the history do not count',
      jobs: [ok(100)],
      record: {...record, history: [long(iso(400), 'missed')]},
      expect: at(105).getTime(),
    },
    {
      name: 'a Job running too long right now: now',
      jobs: [ok(100)],
      record: {...record, open: {'running-too-long': long(null) as RunningTooLongIncident}},
      expect: now.getTime(),
    },
    {
      name: 'an unreadable closing time is no anchor',
      jobs: [ok(100)],
      record: {...record, history: [long('not a time')]},
      expect: at(105).getTime(),
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const v = {...view(c.jobs), cronJob: cronJob({concurrencyPolicy: 'Forbid'})};
      assert.equal(forbidAnchorMs(v, c.record, now), c.expect);
    });
  }
});
