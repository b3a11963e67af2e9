/**
 * Issue 22 §1, third point: while the cluster's own `cluster-unreadable` incident is open, its
 * CronJobs' missed and running-too-long incidents do not open (the watcher cannot know what
 * happened while it could not read the cluster); the next pass judges them again. Failures
 * still open, open incidents still close. A table over (the cluster's incident open or not ×
 * what a CronJob shows), through the plan and the decision, as a pass runs them.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {decideSubject} from '../../functions/core/decide.js';
import {
  CLUSTER_RECORD_KEY,
  recordKeyOf,
  type IncidentKind,
  type SubjectRecord,
} from '../../functions/core/incident.js';
import type {CronJobInfo, JobInfo} from '../../functions/core/model.js';
import {planCluster} from '../../functions/core/plan.js';
import {at, cronJob, failedJob, runningJob} from './builders.js';

const CLUSTER = 'kubeconfig/test';
const POLICY = {clusterDownAfter: 1, missedGraceMs: null, maxDurationMs: null};
const NOW = at(200);
const REF = {id: CLUSTER, name: 'test', project: null, location: null};

/** The cluster's record with its own incident open (one failed read, threshold 1). */
function clusterDown(): SubjectRecord {
  const d = decideSubject(
    null,
    {type: 'cluster', clusterId: CLUSTER, read: {ok: false, code: 'TIMEOUT', message: 'down'}},
    POLICY,
    at(100),
    undefined,
  );
  assert.ok(d?.record.open['cluster-unreadable']);
  return {...d.record, outbox: []};
}

/** Hourly CronJob `name`, last started (and succeeded) at T0 (so 11:00, 12:00 and 13:00 have no run by NOW). */
function hourly(name: string): CronJobInfo {
  return cronJob({
    uid: `uid-${name}`,
    name,
    schedule: '0 * * * *',
    lastScheduleTime: at(0),
    lastSuccessfulTime: at(5),
  });
}
function own(name: string, job: JobInfo): JobInfo {
  return {
    ...job,
    name: `${name}-${job.name}`,
    uid: `uid-${name}-${job.name}`,
    cronJobUid: `uid-${name}`,
  };
}

/** The kinds each CronJob's decision opens this pass, by name. */
function openedAfter(
  cronJobs: CronJobInfo[],
  jobs: JobInfo[],
  wasUnreadable: boolean,
  records: SubjectRecord[] = [],
): Record<string, IncidentKind[]> {
  const attention = new Map<string, SubjectRecord>(
    records.map(r => [
      r.subject.type === 'cronjob' ? recordKeyOf(r.subject.namespace, r.subject.name) : '',
      r,
    ]),
  );
  if (wasUnreadable) attention.set(CLUSTER_RECORD_KEY, clusterDown());
  // Every CronJob is known (baselined before the outage): no first sight.
  const known = new Map(cronJobs.map(c => [recordKeyOf(c.namespace, c.name), {watermark: null}]));
  const plan = planCluster(
    {
      clusterId: CLUSTER,
      read: {ok: true},
      snapshot: {cluster: REF, cronJobs, jobs, problems: []},
      namespaces: null,
    },
    {known, attention},
    () => POLICY,
    NOW,
  );
  const out: Record<string, IncidentKind[]> = {};
  for (const item of plan.evaluate) {
    if (item.view.type !== 'cronjob') continue;
    const d = decideSubject(
      attention.get(item.key) ?? null,
      item.view,
      item.policy,
      NOW,
      item.knownWatermark,
    );
    out[item.view.cronJob.name] = (d?.changes ?? [])
      .filter(c => c.kind === 'opened')
      .map(c => c.incidentKind)
      .sort();
  }
  return out;
}

describe("while the cluster's own incident is open", () => {
  const cases: Array<{
    name: string;
    cronJobs: CronJobInfo[];
    jobs: JobInfo[];
    held: Record<string, IncidentKind[]>;
    judged: Record<string, IncidentKind[]>;
  }> = [
    {
      name: 'due times passed without a run: missed waits',
      cronJobs: [hourly('quiet')],
      jobs: [],
      held: {quiet: []},
      judged: {quiet: ['missed']},
    },
    {
      name: 'a Job running three periods: running-too-long (and missed) wait',
      cronJobs: [{...hourly('long'), concurrencyPolicy: 'Forbid', activeJobNames: ['long-run0']}],
      jobs: [own('long', runningJob({name: 'run0', scheduled: 0}))],
      held: {long: []},
      judged: {long: ['running-too-long']},
    },
    {
      name: 'a failed run: the failing streak opens either way',
      cronJobs: [{...hourly('broken'), lastScheduleTime: at(180)}],
      jobs: [own('broken', failedJob({name: 'ko180', scheduled: 180}))],
      held: {broken: ['failing']},
      judged: {broken: ['failing']},
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(openedAfter(c.cronJobs, c.jobs, true), c.held, 'held');
      assert.deepEqual(openedAfter(c.cronJobs, c.jobs, false), c.judged, 'judged');
    });
  }

  it('an open missed incident still closes when a run starts', () => {
    const before = decideSubject(
      null,
      {
        type: 'cronjob',
        clusterId: CLUSTER,
        cronJob: hourly('late'),
        runs: [],
        running: [],
        latestScheduledJobAt: null,
      },
      POLICY,
      at(90),
      null,
    );
    assert.ok(before?.record.open.missed, 'the 11:00 run was missed before the outage');
    const record = {...before.record, outbox: []};
    const started = {...hourly('late'), lastScheduleTime: at(180), activeJobNames: ['late-r180']};
    const jobs = [own('late', runningJob({name: 'r180', scheduled: 180}))];
    const attention = new Map([
      [recordKeyOf('batch', 'late'), record],
      [CLUSTER_RECORD_KEY, clusterDown()],
    ]);
    const plan = planCluster(
      {
        clusterId: CLUSTER,
        read: {ok: true},
        snapshot: {cluster: REF, cronJobs: [started], jobs, problems: []},
        namespaces: null,
      },
      {known: new Map([[recordKeyOf('batch', 'late'), {watermark: null}]]), attention},
      () => POLICY,
      NOW,
    );
    const item = plan.evaluate.find(e => e.key === recordKeyOf('batch', 'late'));
    assert.ok(item);
    const d = decideSubject(record, item.view, item.policy, NOW, item.knownWatermark);
    assert.deepEqual(
      d?.changes.map(c => [c.kind, c.incidentKind]),
      [['closed', 'missed']],
    );
  });
});
