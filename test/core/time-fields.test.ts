/**
 * Issue 13, point 1: no failure is hidden by a bad timestamp. A table over every time field
 * the decisions read — of the failed Job, of the earlier successful Job, of the CronJob — each
 * with a valid, missing, zero (`0001-01-01T00:00:00Z`) and unparseable value, everything else
 * valid. From the raw objects as the API would send them, through the parser, the plan and
 * the decision, on first sight and with a starting point already recorded:
 * - the failed run opens an incident, named by its Job;
 * - a value that is there but unusable (and a deciding condition without a time) is reported
 *   as a problem naming the object, the field and the value, and does not hold the CronJob;
 * - the failure time is marked approximate exactly when no condition gives one, and the
 *   opening message says so.
 * Expectations come from the table (which field, which value), not from the code.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {decideSubject} from '../../functions/core/decide.js';
import type {FailingIncident, RunMark} from '../../functions/core/incident.js';
import {parseCronJob, parseJob} from '../../functions/core/kube-objects.js';
import {buildMessages} from '../../functions/core/messages/build.js';
import type {ClusterSnapshot, CronJobInfo, JobInfo} from '../../functions/core/model.js';
import {planCluster} from '../../functions/core/plan.js';
import {renderConsole} from '../../functions/core/messages/render-console.js';

const CLUSTER = 'kubeconfig/test';
const NOW = new Date('2026-03-02T01:30:00Z');
const SCHEDULED = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
const CRONJOB_UID = 'uid-cj';
// The starting point an earlier pass recorded: the successful run, finished at 00:04.
const WATERMARK: RunMark = {atMs: Date.parse('2026-03-02T00:04:00Z'), job: 'db-backup-ok'};

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function rawCronJob(): Raw {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {
      name: 'db-backup',
      namespace: 'backups',
      uid: CRONJOB_UID,
      creationTimestamp: '2026-01-01T00:00:00Z',
    },
    spec: {schedule: '0 * * * *'},
    status: {lastScheduleTime: '2026-03-02T01:00:00Z', lastSuccessfulTime: '2026-03-02T00:04:00Z'},
  };
}

function rawJob(name: string, scheduled: string, status: Raw): Raw {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: 'backups',
      uid: `uid-${name}`,
      creationTimestamp: scheduled,
      annotations: {[SCHEDULED]: scheduled},
      ownerReferences: [{kind: 'CronJob', name: 'db-backup', uid: CRONJOB_UID, controller: true}],
    },
    spec: {backoffLimit: 6},
    status,
  };
}

function rawSucceeded(): Raw {
  return rawJob('db-backup-ok', '2026-03-02T00:00:00Z', {
    startTime: '2026-03-02T00:00:05Z',
    completionTime: '2026-03-02T00:04:00Z',
    succeeded: 1,
    conditions: [{type: 'Complete', status: 'True', lastTransitionTime: '2026-03-02T00:04:00Z'}],
  });
}

function rawFailed(): Raw {
  return rawJob('db-backup-ko', '2026-03-02T01:00:00Z', {
    startTime: '2026-03-02T01:00:05Z',
    failed: 7,
    conditions: [
      {
        type: 'Failed',
        status: 'True',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
        lastTransitionTime: '2026-03-02T01:06:30Z',
      },
    ],
  });
}

interface Objects {
  cronJob: Raw;
  succeeded: Raw;
  failed: Raw;
}

/** One time field: which object, how to set or remove its value, a valid value. */
interface TimeField {
  object: 'CronJob' | 'Job';
  /** The object's name, as a problem names it. */
  name: string;
  field: string;
  valid: string;
  set: (o: Objects, value: string | undefined) => void;
  /** A deciding condition's time: its absence is a problem too. */
  deciding?: boolean;
  /** With this field unusable, no condition gives the failure time. */
  failureTimeLost?: boolean;
}

function put(parent: Raw, key: string, value: string | undefined): void {
  if (value === undefined) delete parent[key];
  else parent[key] = value;
}

const FIELDS: TimeField[] = [
  {
    object: 'Job',
    name: 'db-backup-ko',
    field: 'status.conditions[Failed].lastTransitionTime',
    valid: '2026-03-02T01:06:30Z',
    set: (o, v) => put(o.failed.status.conditions[0], 'lastTransitionTime', v),
    deciding: true,
    failureTimeLost: true,
  },
  {
    object: 'Job',
    name: 'db-backup-ko',
    field: 'status.conditions[FailureTarget].lastTransitionTime',
    valid: '2026-03-02T01:06:20Z',
    // 1.31+: FailureTarget comes first; the Failed condition's own time stays valid.
    set: (o, v) => {
      const target: Raw = {type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded'};
      put(target, 'lastTransitionTime', v);
      o.failed.status.conditions.unshift(target);
    },
    deciding: true,
  },
  {
    object: 'Job',
    name: 'db-backup-ko',
    field: 'status.completionTime',
    valid: '2026-03-02T01:06:30Z',
    set: (o, v) => put(o.failed.status, 'completionTime', v),
  },
  {
    object: 'Job',
    name: 'db-backup-ko',
    field: 'status.startTime',
    valid: '2026-03-02T01:00:05Z',
    set: (o, v) => put(o.failed.status, 'startTime', v),
  },
  {
    object: 'Job',
    name: 'db-backup-ko',
    field: `metadata.annotations[${SCHEDULED}]`,
    valid: '2026-03-02T01:00:00Z',
    set: (o, v) => put(o.failed.metadata.annotations, SCHEDULED, v),
  },
  {
    object: 'Job',
    name: 'db-backup-ko',
    field: 'metadata.creationTimestamp',
    valid: '2026-03-02T01:00:00Z',
    set: (o, v) => put(o.failed.metadata, 'creationTimestamp', v),
  },
  {
    object: 'Job',
    name: 'db-backup-ok',
    field: 'status.completionTime',
    valid: '2026-03-02T00:04:00Z',
    set: (o, v) => put(o.succeeded.status, 'completionTime', v),
  },
  {
    object: 'Job',
    name: 'db-backup-ok',
    field: 'status.conditions[Complete].lastTransitionTime',
    valid: '2026-03-02T00:04:00Z',
    set: (o, v) => put(o.succeeded.status.conditions[0], 'lastTransitionTime', v),
    deciding: true,
  },
  {
    object: 'CronJob',
    name: 'db-backup',
    field: 'status.lastScheduleTime',
    valid: '2026-03-02T01:00:00Z',
    set: (o, v) => put(o.cronJob.status, 'lastScheduleTime', v),
  },
  {
    object: 'CronJob',
    name: 'db-backup',
    field: 'status.lastSuccessfulTime',
    valid: '2026-03-02T00:04:00Z',
    set: (o, v) => put(o.cronJob.status, 'lastSuccessfulTime', v),
  },
  {
    object: 'CronJob',
    name: 'db-backup',
    field: 'metadata.creationTimestamp',
    valid: '2026-01-01T00:00:00Z',
    set: (o, v) => put(o.cronJob.metadata, 'creationTimestamp', v),
  },
];

const VALUES: Array<{label: string; value: (valid: string) => string | undefined}> = [
  {label: 'valid', value: valid => valid},
  {label: 'missing', value: () => undefined},
  {label: 'zero', value: () => '0001-01-01T00:00:00Z'},
  {label: 'unparseable', value: () => 'not-a-time'},
];

function snapshotOf(o: Objects): ClusterSnapshot {
  const cronJob = parseCronJob(o.cronJob);
  const jobs = [o.succeeded, o.failed].map(parseJob);
  assert.ok(cronJob.ok, 'the CronJob parses');
  for (const job of jobs) assert.ok(job.ok, 'every Job parses');
  return {
    cluster: {id: CLUSTER, name: 'test', project: null, location: null},
    cronJobs: [cronJob.value as CronJobInfo],
    jobs: jobs.map(j => (j as {value: JobInfo}).value),
    problems: [],
  };
}

/** What the pass would decide: the plan, then the decision on what the plan evaluates. */
function decide(snapshot: ClusterSnapshot, knownWatermark: RunMark | undefined) {
  const known = new Map(
    knownWatermark === undefined ? [] : [['backups/db-backup', {watermark: knownWatermark}]],
  );
  const plan = planCluster(
    {clusterId: CLUSTER, read: {ok: true}, snapshot, namespaces: null},
    {known, attention: new Map()},
    () => ({clusterDownAfter: 3, missedGraceMs: null, maxDurationMs: null}),
    NOW,
  );
  const item = plan.evaluate.find(e => e.key === 'backups/db-backup');
  const decision =
    item === undefined
      ? null
      : decideSubject(
          null,
          item.view,
          {clusterDownAfter: 3, missedGraceMs: null, maxDurationMs: null},
          NOW,
          item.knownWatermark,
        );
  return {plan, decision};
}

describe('a bad timestamp never hides a failure (every time field × valid/missing/zero/unparseable)', () => {
  for (const f of FIELDS) {
    for (const v of VALUES) {
      for (const sight of ['first sight', 'starting point recorded'] as const) {
        it(`${f.object} ${f.name} ${f.field} ${v.label}, ${sight}`, () => {
          const objects: Objects = {
            cronJob: rawCronJob(),
            succeeded: rawSucceeded(),
            failed: rawFailed(),
          };
          const value = v.value(f.valid);
          f.set(objects, value);
          const {plan, decision} = decide(
            snapshotOf(objects),
            sight === 'first sight' ? undefined : WATERMARK,
          );

          // The failure is not hidden: one incident, opened by the failed Job.
          const opened = decision?.changes.filter(c => c.kind === 'opened') ?? [];
          assert.deepEqual(
            opened.map(c => c.job),
            ['db-backup-ko'],
            `problems: ${JSON.stringify(plan.problems)}`,
          );

          // Reported when there but unusable, or a deciding condition without a time. The Go
          // zero time is a writer's convention for "unknown" (Argo CD), not a broken object:
          // used as absent, not reported.
          const reported =
            v.label === 'unparseable' || (v.label === 'missing' && f.deciding === true);
          assert.equal(plan.problems.length, reported ? 1 : 0, JSON.stringify(plan.problems));
          if (reported) {
            const p = plan.problems[0]!;
            assert.deepEqual([p.kind, p.namespace, p.name], [f.object, 'backups', f.name]);
            assert.ok(p.problem.startsWith(`${f.field} `), p.problem);
            const says = value === undefined ? 'is missing' : JSON.stringify(value);
            assert.ok(p.problem.includes(says), p.problem);
          }
          // Never held: a held CronJob would not have been judged at all (asserted above),
          // and the problem names no CronJob to hold.
          for (const p of plan.problems) assert.ok(!p.cronJobUid);

          const incident = decision?.record.open.failing as FailingIncident | undefined;
          const approximate = f.failureTimeLost === true && v.label !== 'valid';
          assert.equal(incident?.openedBy.approximateTime === true, approximate);
          const messages = buildMessages(decision!.record.outbox[0]!, {
            cluster: snapshotOf(objects).cluster,
            subject: decision!.record.subject,
          });
          assert.equal(messages.kind, 'opened');
          const text = messages.kind === 'opened' ? renderConsole(messages.post) : '';
          assert.equal(text.includes('Failure time approximate'), approximate, text);
        });
      }
    }
  }

  it('a failed Job with no usable time at all still opens an incident, placed at the pass time, approximate', () => {
    const objects: Objects = {
      cronJob: rawCronJob(),
      succeeded: rawSucceeded(),
      failed: rawFailed(),
    };
    objects.failed.status.conditions[0].lastTransitionTime = 'not-a-time';
    delete objects.failed.status.startTime;
    objects.failed.metadata.annotations[SCHEDULED] = '0001-01-01T00:00:00Z';
    objects.failed.metadata.creationTimestamp = 'garbage';
    for (const watermark of [undefined, WATERMARK]) {
      const {plan, decision} = decide(snapshotOf(objects), watermark);
      assert.deepEqual(
        decision?.changes.map(c => `${c.kind} ${c.job}`),
        ['opened db-backup-ko'],
      );
      const incident = decision?.record.open.failing as FailingIncident;
      assert.equal(incident.openedAt, NOW.toISOString());
      assert.equal(incident.openedBy.approximateTime, true);
      // The zero scheduled time is a convention for "unknown", not reported (see kube-objects).
      assert.deepEqual(plan.problems.map(p => p.problem.split(' ')[0]).sort(), [
        'metadata.creationTimestamp',
        'status.conditions[Failed].lastTransitionTime',
      ]);
    }
  });
});
