/**
 * Where a pass starts counting, and how runs with the same time are ordered: the watermark of a
 * record against its index entry, ties broken by Job name (in outcome order and in "which run
 * is the latest"), and stored records whose open slots hold null.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {decideSubject} from '../../functions/core/decide.js';
import type {CronJobView} from '../../functions/core/detector.js';
import {blankRecord, type RunMark, type SubjectRecord} from '../../functions/core/incident.js';
import type {JobInfo} from '../../functions/core/model.js';
import {upgradeRecord} from '../../functions/core/record-upgrade.js';
import {cronJobStatusOf, finishedRunsOf} from '../../functions/core/verdict.js';
import {at, cronJob, failedJob, QUIET_SCHEDULE, runningJob, succeededJob} from './builders.js';

const CLUSTER = 'kubeconfig/test';
const POLICY = {clusterDownAfter: 3, missedGraceMs: null, maxDurationMs: null};
const SUBJECT = {
  type: 'cronjob' as const,
  namespace: 'batch',
  name: 'backup',
  uid: 'cj-uid',
  schedule: QUIET_SCHEDULE,
};
const mark = (minutes: number, job: string): RunMark => ({atMs: at(minutes).getTime(), job});

function view(jobs: JobInfo[]): CronJobView {
  return {
    type: 'cronjob',
    clusterId: CLUSTER,
    cronJob: cronJob({schedule: QUIET_SCHEDULE}),
    runs: finishedRunsOf(jobs),
    running: [],
    latestScheduledJobAt: null,
  };
}

/** A record with nothing open that has accounted for runs up to `watermark`. */
function stored(watermark: RunMark | null): SubjectRecord {
  return {...blankRecord(CLUSTER, SUBJECT, at(0)), watermark};
}

// Failed at 10:05, 11:05, 13:05; succeeded at 12:05.
const f10 = failedJob({name: 'backup-10', scheduled: 0});
const f11 = failedJob({name: 'backup-11', scheduled: 60});
const s12 = succeededJob({name: 'backup-12', scheduled: 120});
const f13 = failedJob({name: 'backup-13', scheduled: 180});

describe('watermarks: the later of the record’s and the index entry’s', () => {
  const cases: Array<{
    name: string;
    record: RunMark | null;
    index: RunMark | null | undefined;
    jobs: JobInfo[];
    /** The job that opens an incident, and how many failures it counts; null: no change. */
    expect: {openedBy: string; failedRuns: number} | null;
  }> = [
    {
      name: 'record older than its index entry: starts from the entry',
      record: mark(5, 'backup-10'),
      index: mark(125, 'backup-12'),
      jobs: [f10, f11, s12],
      expect: null,
    },
    {
      name: 'record older than its index entry: only runs after the entry count',
      record: mark(5, 'backup-10'),
      index: mark(125, 'backup-12'),
      jobs: [f10, f11, s12, f13],
      expect: {openedBy: 'backup-13', failedRuns: 1},
    },
    {
      name: 'record newer than its index entry: starts from the record',
      record: mark(125, 'backup-12'),
      index: mark(5, 'backup-10'),
      jobs: [f10, f11, s12],
      expect: null,
    },
    {
      name: 'no index entry: the record',
      record: mark(5, 'backup-10'),
      index: undefined,
      jobs: [f10, f11],
      expect: {openedBy: 'backup-11', failedRuns: 1},
    },
    {
      name: 'an index entry without a mark: the record',
      record: mark(5, 'backup-10'),
      index: null,
      jobs: [f10, f11],
      expect: {openedBy: 'backup-11', failedRuns: 1},
    },
    {
      name: 'same time, the entry names a later Job: the entry',
      record: mark(65, 'backup-11'),
      index: mark(65, 'backup-11z'),
      jobs: [f11, failedJob({name: 'backup-11b', scheduled: 60})],
      expect: null,
    },
    {
      name: 'same time, the record names the later Job: the record',
      record: mark(65, 'backup-11'),
      index: mark(65, 'backup-10z'),
      jobs: [f11, failedJob({name: 'backup-11b', scheduled: 60})],
      expect: {openedBy: 'backup-11b', failedRuns: 1},
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = decideSubject(stored(c.record), view(c.jobs), POLICY, at(300), c.index);
      if (c.expect === null) {
        assert.equal(d, null);
        return;
      }
      const open = d?.record.open.failing;
      assert.equal(open?.openedBy.job, c.expect.openedBy);
      assert.equal(open?.failedRuns, c.expect.failedRuns);
    });
  }
});

describe('runs with the same time: the Job name breaks the tie', () => {
  // Two Jobs that ended at the same second (10:05): the one named later is the later outcome.
  const failedA = failedJob({name: 'backup-a', scheduled: 0});
  const okA = succeededJob({name: 'backup-a', scheduled: 0});
  const failedB = failedJob({name: 'backup-b', scheduled: 0});
  const okB = succeededJob({name: 'backup-b', scheduled: 0});

  it('outcome order is by name whatever the listing order', () => {
    for (const jobs of [
      [failedB, okA],
      [okA, failedB],
    ]) {
      assert.deepEqual(
        finishedRunsOf(jobs).map(r => r.verdict.job),
        ['backup-a', 'backup-b'],
      );
    }
  });

  const cases: Array<{name: string; jobs: JobInfo[]; changes: string[]}> = [
    {name: 'failed a, then succeeded b: recovered', jobs: [okB, failedA], changes: ['recovered']},
    {name: 'succeeded a, then failed b: failing', jobs: [failedB, okA], changes: ['opened']},
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = decideSubject(stored(mark(-60, 'backup-0')), view(c.jobs), POLICY, at(10), null);
      assert.deepEqual(
        d?.changes.map(ch => ch.kind),
        c.changes,
      );
    });
  }

  it('the latest run of two scheduled at the same time is the later name, whatever the order', () => {
    const cj = cronJob();
    const older = runningJob({name: 'backup-a', scheduled: 0});
    const newer = runningJob({name: 'backup-b', scheduled: 0});
    assert.equal(cronJobStatusOf(cj, [older, newer]).lastRun?.job, 'backup-b');
    assert.equal(cronJobStatusOf(cj, [newer, older]).lastRun?.job, 'backup-b');
    // A later schedule wins over the name.
    const later = runningJob({name: 'backup-0', scheduled: 1});
    assert.equal(cronJobStatusOf(cj, [newer, later, older]).lastRun?.job, 'backup-0');
  });
});

describe('stored records: an open slot holding null is no incident', () => {
  const missed = {
    kind: 'missed',
    id: 'missed:cj-uid@2026-03-01T12:00:00.000Z',
    openedAt: '2026-03-01T12:00:00.000Z',
    closedAt: null,
    ending: null,
    schedule: '0 * * * *',
    timeZone: 'UTC',
    firstDueAt: '2026-03-01T12:00:00.000Z',
    latestDueAt: '2026-03-01T12:00:00.000Z',
    missedRuns: 1,
    lastStartedAt: '2026-03-01T11:00:00.000Z',
  };
  const document = (open: unknown) => ({
    schemaVersion: 3,
    clusterId: CLUSTER,
    subject: SUBJECT,
    watermark: {atMs: at(5).getTime(), job: 'backup-10'},
    open,
    outbox: [],
    threads: [],
    history: [],
    readFailures: null,
    updatedAt: '2026-03-01T12:30:00.000Z',
  });
  const cases: Array<{name: string; open: unknown; kinds: string[]}> = [
    {name: 'every slot null', open: {failing: null, missed: null}, kinds: []},
    {name: 'one null, one incident', open: {failing: null, missed}, kinds: ['missed']},
    {name: 'no open map at all', open: null, kinds: []},
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = upgradeRecord(document(c.open));
      assert.ok(result.ok, result.ok ? '' : result.problem);
      assert.deepEqual(Object.keys(result.record.open), c.kinds);
      // Decided on, it opens nothing for a null slot and keeps the real one.
      const d = decideSubject(result.record, view([]), POLICY, at(150), undefined);
      assert.equal(d, null);
    });
  }

  it('a release-0.1.0 record with open: null has nothing open', () => {
    const result = upgradeRecord({
      namespace: 'batch',
      name: 'backup',
      cronJobUid: 'cj-uid',
      schedule: '0 * * * *',
      clusterId: CLUSTER,
      watermark: null,
      open: null,
      outbox: [],
      threads: [],
      history: [],
      readFailures: null,
      updatedAt: '2026-03-01T12:30:00.000Z',
    });
    assert.ok(result.ok, result.ok ? '' : result.problem);
    assert.deepEqual(result.record.open, {});
  });
});
