/**
 * Reading Kubernetes objects field by field, as the API serves them (batch/v1 CronJob and Job,
 * v1 Pod, core/v1 and events.k8s.io Events): each expectation is written from the API's
 * documented meaning of the field (defaults, which field wins, what a missing field means), not
 * from what the reader returns. Aimed at the mutants of kube-objects.ts that the oracle and the
 * verdict tables leave alive.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  parseCronJob,
  parseJob,
  parseJobEvent,
  parseKubeTime,
  parsePod,
  timeProblemsOf,
} from '../../functions/core/kube-objects.js';
import type {CronJobInfo, JobInfo} from '../../functions/core/model.js';

const META = {namespace: 'reports', name: 'nightly', uid: 'cj-uid'};

function cronJob(raw: unknown): CronJobInfo {
  const parsed = parseCronJob(raw);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problem.problem);
  return parsed.value;
}

function job(raw: unknown): JobInfo {
  const parsed = parseJob(raw);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problem.problem);
  return parsed.value;
}

function refusal(parsed: ReturnType<typeof parseCronJob | typeof parseJob | typeof parsePod>) {
  assert.ok(!parsed.ok, 'refused');
  return parsed.problem;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

describe('parseCronJob: every field as batch/v1 defines it', () => {
  it('a full CronJob', () => {
    const c = cronJob({
      metadata: {
        ...META,
        creationTimestamp: '2026-01-01T00:00:00Z',
        annotations: {
          'cronjob-watcher/channel': '#ops',
          'cronjob-watcher/limit': 5,
          'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"CronJob"}',
        },
        managedFields: [
          {
            manager: 'kubectl-client-side-apply',
            operation: 'Update',
            time: '2026-01-02T00:00:00Z',
            fieldsType: 'FieldsV1',
            fieldsV1: {'f:spec': {'f:schedule': {}, 'f:suspend': {}}},
          },
          {
            manager: 'kubectl-patch',
            operation: 'Update',
            time: '2026-01-05T00:00:00Z',
            fieldsType: 'FieldsV1',
            fieldsV1: {'f:spec': {'f:suspend': {}}},
          },
          {
            manager: 'kubectl-edit',
            operation: 'Update',
            time: '2026-01-03T00:00:00Z',
            fieldsType: 'FieldsV1',
            fieldsV1: {'f:spec': {'f:suspend': {}}},
          },
          // Newer, but the controller's status update does not own spec.suspend.
          {
            manager: 'kube-controller-manager',
            operation: 'Update',
            subresource: 'status',
            time: '2026-01-09T00:00:00Z',
            fieldsType: 'FieldsV1',
            fieldsV1: {'f:status': {'f:lastScheduleTime': {}}},
          },
        ],
      },
      spec: {
        schedule: '0 6 * * *',
        timeZone: 'Europe/Paris',
        suspend: true,
        startingDeadlineSeconds: 200,
        concurrencyPolicy: 'Forbid',
        failedJobsHistoryLimit: 3,
        jobTemplate: {spec: {ttlSecondsAfterFinished: 600, template: {}}},
      },
      status: {
        active: [{kind: 'Job', namespace: 'reports', name: 'nightly-29000000', uid: 'j1'}],
        lastScheduleTime: '2026-01-10T06:00:00Z',
        lastSuccessfulTime: '2026-01-09T06:01:30Z',
      },
    });
    assert.deepEqual(
      {...c, suspendChangedAt: iso(c.suspendChangedAt)},
      {
        uid: 'cj-uid',
        namespace: 'reports',
        name: 'nightly',
        schedule: '0 6 * * *',
        timeZone: 'Europe/Paris',
        suspended: true,
        suspendChangedAt: '2026-01-05T00:00:00.000Z',
        lastScheduleTime: new Date('2026-01-10T06:00:00Z'),
        lastSuccessfulTime: new Date('2026-01-09T06:01:30Z'),
        activeJobNames: ['nightly-29000000'],
        createdAt: new Date('2026-01-01T00:00:00Z'),
        startingDeadlineSeconds: 200,
        concurrencyPolicy: 'Forbid',
        failedJobsHistoryLimit: 3,
        jobTtlSecondsAfterFinished: 600,
        annotations: {'cronjob-watcher/channel': '#ops'},
      },
    );
  });

  it('a minimal CronJob takes the API defaults (Allow, one failed Job kept, not suspended)', () => {
    const c = cronJob({metadata: META, spec: {schedule: '@hourly'}});
    assert.deepEqual(c, {
      uid: 'cj-uid',
      namespace: 'reports',
      name: 'nightly',
      schedule: '@hourly',
      timeZone: null,
      suspended: false,
      suspendChangedAt: null,
      lastScheduleTime: null,
      lastSuccessfulTime: null,
      activeJobNames: [],
      createdAt: null,
      startingDeadlineSeconds: null,
      concurrencyPolicy: 'Allow',
      failedJobsHistoryLimit: 1,
      jobTtlSecondsAfterFinished: null,
      annotations: {},
    });
  });

  const settings: [string, Record<string, unknown>, Partial<CronJobInfo>][] = [
    ['Replace', {concurrencyPolicy: 'Replace'}, {concurrencyPolicy: 'Replace'}],
    [
      'an unknown policy is the default',
      {concurrencyPolicy: 'forbid'},
      {concurrencyPolicy: 'Allow'},
    ],
    ['suspend must be the boolean true', {suspend: 'true'}, {suspended: false}],
    [
      'keeping no failed Job is a setting',
      {failedJobsHistoryLimit: 0},
      {failedJobsHistoryLimit: 0},
    ],
    ['a negative limit is unreadable', {failedJobsHistoryLimit: -1}, {failedJobsHistoryLimit: 1}],
    ['a zero deadline', {startingDeadlineSeconds: 0}, {startingDeadlineSeconds: 0}],
    ['a fractional deadline', {startingDeadlineSeconds: 1.5}, {startingDeadlineSeconds: null}],
    ['a deadline as text', {startingDeadlineSeconds: '10'}, {startingDeadlineSeconds: null}],
    ['an empty zone is no zone', {timeZone: ''}, {timeZone: null}],
    ['a zone that is not text', {timeZone: 7}, {timeZone: null}],
    [
      'a TTL of zero',
      {jobTemplate: {spec: {ttlSecondsAfterFinished: 0}}},
      {jobTtlSecondsAfterFinished: 0},
    ],
    ['a template that is a list', {jobTemplate: [{spec: {}}]}, {jobTtlSecondsAfterFinished: null}],
    [
      'a template spec that is text',
      {jobTemplate: {spec: 'x'}},
      {jobTtlSecondsAfterFinished: null},
    ],
  ];
  for (const [name, spec, expect] of settings) {
    it(name, () => {
      const c = cronJob({metadata: META, spec: {schedule: '@hourly', ...spec}});
      for (const [key, value] of Object.entries(expect)) {
        assert.deepEqual(c[key as keyof CronJobInfo], value, key);
      }
    });
  }

  it('a long zone name is cut, not refused', () => {
    const c = cronJob({metadata: META, spec: {schedule: '@hourly', timeZone: 'Z'.repeat(2001)}});
    assert.equal(c.timeZone, `${'Z'.repeat(2000)}…`);
    const fits = cronJob({metadata: META, spec: {schedule: '@hourly', timeZone: 'Z'.repeat(2000)}});
    assert.equal(fits.timeZone, 'Z'.repeat(2000));
  });

  it('active references without a name are left out', () => {
    const c = cronJob({
      metadata: META,
      spec: {schedule: '@hourly'},
      status: {active: [{name: 'a'}, 'b', {name: 5}, null, {uid: 'x'}, {name: 'c'}]},
    });
    assert.deepEqual(c.activeJobNames, ['a', 'c']);
  });

  it('only our own string annotations are kept, key and value cut to size', () => {
    const longKey = `cronjob-watcher/${'k'.repeat(300)}`;
    const c = cronJob({
      metadata: {
        ...META,
        annotations: {
          [longKey]: 'v'.repeat(2500),
          'cronjob-watcher/mention': '@oncall',
          'cronjob-watcher-other/x': 'no',
          'example.com/cronjob-watcher/x': 'no',
        },
      },
      spec: {schedule: '@hourly'},
    });
    assert.deepEqual(c.annotations, {
      [longKey.slice(0, 253)]: 'v'.repeat(2000),
      'cronjob-watcher/mention': '@oncall',
    });
  });

  it('annotations that are not a map are none', () => {
    const c = cronJob({
      metadata: {...META, annotations: ['cronjob-watcher/x']},
      spec: {schedule: '@hourly'},
    });
    assert.deepEqual(c.annotations, {});
  });

  it('suspend history: entries that do not own spec.suspend or carry no time bound nothing', () => {
    const c = cronJob({
      metadata: {
        ...META,
        managedFields: [
          'junk',
          {time: '2026-03-01T00:00:00Z'},
          {time: '2026-03-02T00:00:00Z', fieldsV1: {'f:spec': {'f:schedule': {}}}},
          {time: '2026-03-03T00:00:00Z', fieldsV1: {'f:spec': 'f:suspend'}},
          {time: 'yesterday', fieldsV1: {'f:spec': {'f:suspend': {}}}},
          {fieldsV1: {'f:spec': {'f:suspend': {}}}},
          {time: '2026-02-01T00:00:00Z', fieldsV1: {'f:spec': {'f:suspend': {}}}},
        ],
      },
      spec: {schedule: '@hourly'},
    });
    assert.equal(iso(c.suspendChangedAt), '2026-02-01T00:00:00.000Z');
    const none = cronJob({metadata: {...META, managedFields: {}}, spec: {schedule: '@hourly'}});
    assert.equal(none.suspendChangedAt, null);
  });

  it('the newest owner wins whatever the order of the entries', () => {
    const owner = (time: string) => ({time, fieldsV1: {'f:spec': {'f:suspend': {}}}});
    for (const times of [
      ['2026-01-01T00:00:00Z', '2026-01-03T00:00:00Z', '2026-01-02T00:00:00Z'],
      ['2026-01-03T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'],
    ]) {
      const c = cronJob({
        metadata: {...META, managedFields: times.map(owner)},
        spec: {schedule: '@hourly'},
      });
      assert.equal(iso(c.suspendChangedAt), '2026-01-03T00:00:00.000Z');
    }
  });
});

describe('parseCronJob / parseJob: what is refused, and the problem that names it', () => {
  const cases: [string, unknown, Record<string, unknown>][] = [
    [
      'not an object',
      'cronjob',
      {kind: 'CronJob', namespace: null, name: null, problem: 'not an object'},
    ],
    ['a list', [META], {kind: 'CronJob', namespace: null, name: null, problem: 'not an object'}],
    [
      'metadata that is a list',
      {metadata: [META], spec: {schedule: '@hourly'}},
      {kind: 'CronJob', namespace: null, name: null, problem: 'metadata is not an object'},
    ],
    [
      'no spec',
      {metadata: META},
      {
        kind: 'CronJob',
        namespace: 'reports',
        name: 'nightly',
        cronJobUid: null,
        problem: 'spec is missing',
      },
    ],
    [
      'a spec that is text',
      {metadata: META, spec: '0 6 * * *'},
      {
        kind: 'CronJob',
        namespace: 'reports',
        name: 'nightly',
        cronJobUid: null,
        problem: 'spec is not an object',
      },
    ],
    [
      'an empty name',
      {metadata: {...META, name: ''}, spec: {schedule: '@hourly'}},
      {
        kind: 'CronJob',
        namespace: 'reports',
        name: '',
        cronJobUid: null,
        problem: 'metadata.name is missing or not a string',
      },
    ],
    [
      'a schedule that is not text',
      {metadata: META, spec: {schedule: 5}},
      {
        kind: 'CronJob',
        namespace: 'reports',
        name: 'nightly',
        cronJobUid: null,
        problem: 'spec.schedule is missing or not a string',
      },
    ],
    [
      'status.active that is not a list',
      {metadata: META, spec: {schedule: '@hourly'}, status: {active: {name: 'a'}}},
      {
        kind: 'CronJob',
        namespace: 'reports',
        name: 'nightly',
        cronJobUid: null,
        problem: 'active is not a list',
      },
    ],
  ];
  for (const [name, raw, expect] of cases) {
    it(name, () => assert.deepEqual(refusal(parseCronJob(raw)), expect));
  }

  it('names are DNS subdomains: 253 characters at most', () => {
    const longest = 'n'.repeat(253);
    assert.equal(
      cronJob({metadata: {...META, name: longest}, spec: {schedule: '@hourly'}}).name,
      longest,
    );
    const tooLong = 'n'.repeat(254);
    const problem = refusal(
      parseCronJob({metadata: {...META, name: tooLong}, spec: {schedule: '@hourly'}}),
    );
    assert.equal(problem.problem, 'metadata.name is 254 characters long (at most 253)');
    assert.equal(problem.name, longest, 'the name shown is cut to what a name can be');
  });

  it('a refused Job names the CronJob that owns it, whether or not it is the controller', () => {
    const problem = refusal(
      parseJob({
        metadata: {
          namespace: 'reports',
          name: 'nightly-1',
          ownerReferences: [
            'junk',
            {kind: 'ReplicaSet', uid: 'rs'},
            {kind: 'CronJob', uid: 5},
            {kind: 'CronJob', uid: 'cj-uid'},
          ],
        },
      }),
    );
    assert.deepEqual(problem, {
      kind: 'Job',
      namespace: 'reports',
      name: 'nightly-1',
      cronJobUid: 'cj-uid',
      problem: 'metadata.uid is missing or not a string',
    });
  });

  it('a refused Job whose owners are not a list names no CronJob', () => {
    const problem = refusal(
      parseJob({metadata: {namespace: 5, name: 'x', ownerReferences: {kind: 'CronJob', uid: 'u'}}}),
    );
    assert.deepEqual(problem, {
      kind: 'Job',
      namespace: null,
      name: 'x',
      cronJobUid: null,
      problem: 'metadata.namespace is missing or not a string',
    });
  });

  it('an owner reference that is not an object refuses the Job', () => {
    const problem = refusal(
      parseJob({metadata: {namespace: 'reports', name: 'j', uid: 'u', ownerReferences: [7]}}),
    );
    assert.equal(problem.problem, 'an ownerReferences entry is not an object');
  });

  it('anything else that goes wrong is reported, not thrown', () => {
    // A client model can hold values no JSON has: a BigInt cannot be shown as JSON.
    const problem = refusal(
      parseCronJob({metadata: META, spec: {schedule: '@hourly'}, status: {lastScheduleTime: 10n}}),
    );
    assert.match(problem.problem, /^unexpected shape \(TypeError: .*BigInt/);
    assert.equal(problem.name, 'nightly');
  });
});

describe('times: usable, absent, the Go zero time, or reported', () => {
  it('parseKubeTime keeps 1971 on and drops what comes before', () => {
    assert.equal(iso(parseKubeTime('1971-01-01T00:00:00Z')), '1971-01-01T00:00:00.000Z');
    assert.equal(parseKubeTime('1970-12-31T23:59:59Z'), null);
    assert.equal(parseKubeTime('1970-01-01T00:00:00Z'), null);
  });

  it('a returned time is a copy, not the caller’s Date', () => {
    const given = new Date('2026-01-01T00:00:00Z');
    const got = parseKubeTime(given);
    assert.notEqual(got, given);
    assert.equal(iso(got), '2026-01-01T00:00:00.000Z');
  });

  const values: [string, unknown, {value: string | null} | null][] = [
    ['absent', undefined, null],
    ['null', null, null],
    ['the Go zero time', '0001-01-01T00:00:00Z', null],
    ['text that is no time', 'yesterday', {value: '"yesterday"'}],
    ['a number', 1767225600, {value: '1767225600'}],
    ['an object', {seconds: 1}, {value: '{"seconds":1}'}],
    ['a time before 1971', '1969-07-20T20:17:00Z', {value: '"1969-07-20T20:17:00Z"'}],
    ['an empty string', '', {value: '""'}],
    // 62 characters: 64 once quoted, shown whole; one more and it is cut.
    ['a value just short enough to show', 'x'.repeat(62), {value: `"${'x'.repeat(62)}"`}],
    ['a longer value', 'x'.repeat(63), {value: `"${'x'.repeat(63)}…`}],
    ['an invalid Date', new Date(Number.NaN), {value: '"Invalid Date"'}],
  ];
  for (const [name, value, expect] of values) {
    it(`status.lastScheduleTime ${name}`, () => {
      const c = cronJob({
        metadata: META,
        spec: {schedule: '@hourly'},
        status: {lastScheduleTime: value},
      });
      assert.equal(c.lastScheduleTime, null);
      assert.deepEqual(
        c.unusableTimes,
        expect === null ? undefined : [{field: 'status.lastScheduleTime', ...expect}],
      );
    });
  }

  it('each time field is reported under its own name', () => {
    const c = cronJob({
      metadata: {...META, creationTimestamp: 'x'},
      spec: {schedule: '@hourly'},
      status: {lastScheduleTime: 'y', lastSuccessfulTime: 'z'},
    });
    assert.deepEqual(c.unusableTimes, [
      {field: 'status.lastScheduleTime', value: '"y"'},
      {field: 'status.lastSuccessfulTime', value: '"z"'},
      {field: 'metadata.creationTimestamp', value: '"x"'},
    ]);
    const j = job({
      metadata: {
        namespace: 'reports',
        name: 'j',
        uid: 'u',
        creationTimestamp: 'a',
        annotations: {'batch.kubernetes.io/cronjob-scheduled-timestamp': 'b'},
      },
      status: {startTime: 'c', completionTime: 'd'},
    });
    assert.deepEqual(j.unusableTimes, [
      {
        field: 'metadata.annotations[batch.kubernetes.io/cronjob-scheduled-timestamp]',
        value: '"b"',
      },
      {field: 'metadata.creationTimestamp', value: '"a"'},
      {field: 'status.startTime', value: '"c"'},
      {field: 'status.completionTime', value: '"d"'},
    ]);
  });

  // A condition whose status is True and whose type ends the run says when the run ended.
  const conditions: [string, string, string, boolean][] = [
    ['Failed', 'True', 'missing', true],
    ['FailureTarget', 'True', 'missing', true],
    ['Complete', 'True', 'missing', true],
    ['SuccessCriteriaMet', 'True', 'missing', true],
    ['Failed', 'True', 'null', true],
    ['Failed', 'False', 'missing', false],
    ['Failed', 'Unknown', 'missing', false],
    ['Suspended', 'True', 'missing', false],
    ['Failed', 'True', 'present', false],
  ];
  for (const [type, status, time, reported] of conditions) {
    it(`a ${type}=${status} condition with its time ${time}: ${reported ? 'reported' : 'fine'}`, () => {
      const condition: Record<string, unknown> = {type, status};
      if (time === 'null') condition.lastTransitionTime = null;
      if (time === 'present') condition.lastTransitionTime = '2026-01-10T06:05:00Z';
      const j = job({
        metadata: {namespace: 'reports', name: 'j', uid: 'u'},
        status: {conditions: [condition]},
      });
      assert.deepEqual(
        j.unusableTimes,
        reported
          ? [{field: `status.conditions[${type}].lastTransitionTime`, value: null}]
          : undefined,
      );
    });
  }

  it('timeProblemsOf: one judged problem per unusable time, saying what happens to the object', () => {
    const c = cronJob({
      metadata: {...META, name: 'broken-cron'},
      spec: {schedule: '@hourly'},
      status: {lastScheduleTime: 'soon'},
    });
    const j = job({
      metadata: {namespace: 'jobs', name: 'broken-job', uid: 'u'},
      status: {
        startTime: 'never',
        conditions: [{type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded'}],
      },
    });
    const clean = job({metadata: {namespace: 'jobs', name: 'fine', uid: 'v'}});
    const run = 'the run is still judged, timed by its next usable timestamp (approximate)';
    assert.deepEqual(timeProblemsOf({cronJobs: [c], jobs: [clean, j]}), [
      {
        kind: 'CronJob',
        namespace: 'reports',
        name: 'broken-cron',
        problem: 'status.lastScheduleTime is not a usable time: "soon"; it is left out',
        judged: true,
      },
      {
        kind: 'Job',
        namespace: 'jobs',
        name: 'broken-job',
        problem: `status.startTime is not a usable time: "never"; ${run}`,
        judged: true,
      },
      {
        kind: 'Job',
        namespace: 'jobs',
        name: 'broken-job',
        problem: `status.conditions[Failed].lastTransitionTime is missing; ${run}`,
        judged: true,
      },
    ]);
    assert.deepEqual(timeProblemsOf({cronJobs: [], jobs: [clean]}), []);
  });
});

describe('parseJob: the fields a run is judged by', () => {
  const base = {namespace: 'reports', name: 'nightly-29000000', uid: 'job-uid'};

  it('a full Job', () => {
    const j = job({
      metadata: {
        ...base,
        creationTimestamp: '2026-01-10T06:00:00Z',
        annotations: {'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-01-10T06:00:00Z'},
        ownerReferences: [
          {apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: 'not-controller'},
          {
            apiVersion: 'batch/v1',
            kind: 'CronJob',
            name: 'nightly',
            uid: 'cj-uid',
            controller: true,
          },
        ],
      },
      spec: {suspend: true},
      status: {
        startTime: '2026-01-10T06:00:01Z',
        completionTime: '2026-01-10T06:04:00Z',
        conditions: [
          {
            type: 'Complete',
            status: 'True',
            reason: 'Done',
            message: 'x'.repeat(2001),
            lastTransitionTime: '2026-01-10T06:04:00Z',
          },
        ],
      },
    });
    assert.deepEqual(j, {
      ...base,
      cronJobUid: 'cj-uid',
      manual: false,
      scheduledAt: new Date('2026-01-10T06:00:00Z'),
      createdAt: new Date('2026-01-10T06:00:00Z'),
      startedAt: new Date('2026-01-10T06:00:01Z'),
      completedAt: new Date('2026-01-10T06:04:00Z'),
      suspended: true,
      conditions: [
        {
          type: 'Complete',
          status: 'True',
          reason: 'Done',
          message: `${'x'.repeat(2000)}…`,
          lastTransitionTime: new Date('2026-01-10T06:04:00Z'),
        },
      ],
    });
  });

  it('a bare Job: no owner, not manual, not suspended, no times', () => {
    assert.deepEqual(job({metadata: base}), {
      ...base,
      cronJobUid: null,
      manual: false,
      scheduledAt: null,
      createdAt: null,
      startedAt: null,
      completedAt: null,
      suspended: false,
      conditions: [],
    });
  });

  it('manual only for the exact annotation value kubectl writes', () => {
    const manual = (value: unknown) =>
      job({metadata: {...base, annotations: {'cronjob.kubernetes.io/instantiate': value}}}).manual;
    assert.equal(manual('manual'), true);
    assert.equal(manual('Manual'), false);
    assert.equal(manual(true), false);
  });

  it('a condition’s empty reason or message is none', () => {
    const j = job({
      metadata: base,
      status: {conditions: [{type: 'Failed', status: 'True', reason: '', message: 5}]},
    });
    assert.equal(j.conditions[0]?.reason, null);
    assert.equal(j.conditions[0]?.message, null);
  });

  it('a condition without a status is refused', () => {
    const problem = refusal(parseJob({metadata: base, status: {conditions: [{type: 'Failed'}]}}));
    assert.equal(problem.problem, 'status.conditions[].status is missing or not a string');
  });

  it('a condition that is not an object is refused', () => {
    const problem = refusal(parseJob({metadata: base, status: {conditions: ['Failed']}}));
    assert.equal(problem.problem, 'a status.conditions entry is not an object');
  });
});

describe('parsePod: what explains a run', () => {
  it('a failed Pod', () => {
    const parsed = parsePod({
      metadata: {
        namespace: 'reports',
        name: 'nightly-29000000-abcde',
        creationTimestamp: '2026-01-10T06:00:01Z',
        labels: {
          'batch.kubernetes.io/controller-uid': 'job-uid',
          'batch.kubernetes.io/job-name': 'nightly-29000000',
          'controller-uid': 'legacy-uid',
          'job-name': 'legacy-name',
        },
      },
      status: {
        phase: 'Failed',
        reason: 'Evicted',
        message: 'The node was low on resource: memory.',
        initContainerStatuses: [
          {name: 'init', restartCount: 1, state: {terminated: {reason: 'Completed', exitCode: 0}}},
        ],
        containerStatuses: [
          {
            name: 'main',
            restartCount: 3,
            state: {waiting: {reason: 'CrashLoopBackOff', message: 'back-off 40s'}},
            lastState: {terminated: {reason: 'Error', exitCode: 2, message: 'boom'}},
          },
          {
            name: 'sidecar',
            restartCount: -1,
            state: {terminated: {reason: 'OOMKilled', exitCode: 137}},
            lastState: {terminated: {reason: 'Error', exitCode: 1}},
          },
          {restartCount: 2.5, state: {terminated: {exitCode: 1.5}}},
          {name: 'waits', state: {waiting: {message: 'no reason given'}}},
          'junk',
        ],
        conditions: [
          {type: 'Ready', status: 'False', reason: 'PodFailed'},
          {type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes'},
        ],
      },
    });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, {
      namespace: 'reports',
      name: 'nightly-29000000-abcde',
      jobUid: 'job-uid',
      jobName: 'nightly-29000000',
      phase: 'Failed',
      reason: 'Evicted',
      message: 'The node was low on resource: memory.',
      terminations: [
        {container: 'init', reason: 'Completed', exitCode: 0, message: null},
        {container: 'main', reason: 'Error', exitCode: 2, message: 'boom'},
        {container: 'sidecar', reason: 'OOMKilled', exitCode: 137, message: null},
        {container: '?', reason: null, exitCode: null, message: null},
      ],
      waiting: [{container: 'main', reason: 'CrashLoopBackOff', message: 'back-off 40s'}],
      unschedulable: 'Unschedulable: 0/3 nodes',
      restarts: 4,
      createdAt: new Date('2026-01-10T06:00:01Z'),
    });
  });

  it('a Pod of an older cluster, not yet scheduled', () => {
    const parsed = parsePod({
      metadata: {
        namespace: 'reports',
        name: 'p',
        labels: {
          'batch.kubernetes.io/controller-uid': '',
          'controller-uid': 'legacy-uid',
          'job-name': 'legacy',
        },
      },
      status: {
        phase: 'Pending',
        initContainerStatuses: [{name: 'init', state: {waiting: {reason: 'PodInitializing'}}}],
        conditions: [
          {type: 'PodScheduled', status: 'True'},
          {type: 'PodScheduled', status: 'False'},
          {type: 'PodScheduled', status: 'False', reason: 'Later'},
        ],
      },
    });
    assert.ok(parsed.ok);
    assert.equal(parsed.value.jobUid, 'legacy-uid');
    assert.equal(parsed.value.jobName, 'legacy');
    assert.equal(parsed.value.unschedulable, 'not scheduled');
    assert.deepEqual(parsed.value.waiting, [
      {container: 'init', reason: 'PodInitializing', message: null},
    ]);
    assert.deepEqual(parsed.value.terminations, []);
  });

  it('a reason without a message', () => {
    const parsed = parsePod({
      metadata: {namespace: 'reports', name: 'p'},
      status: {conditions: [{type: 'PodScheduled', status: 'False', reason: 'SchedulingGated'}]},
    });
    assert.ok(parsed.ok);
    assert.equal(parsed.value.unschedulable, 'SchedulingGated');
  });

  it('a Pod with no status and no labels', () => {
    const parsed = parsePod({metadata: {namespace: 'reports', name: 'p', labels: 'app=x'}});
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value, {
      namespace: 'reports',
      name: 'p',
      jobUid: null,
      jobName: null,
      phase: null,
      reason: null,
      message: null,
      terminations: [],
      waiting: [],
      unschedulable: null,
      restarts: 0,
      createdAt: null,
    });
  });

  it('a Pod without metadata is a problem of kind Pod', () => {
    assert.deepEqual(refusal(parsePod({status: {}})), {
      kind: 'Pod',
      namespace: null,
      name: null,
      problem: 'metadata is missing',
    });
  });
});

describe('parseJobEvent: core/v1 and events.k8s.io writers', () => {
  const cases: [string, unknown, Record<string, unknown> | null][] = [
    [
      'core/v1: lastTimestamp is when it last happened',
      {
        type: 'Warning',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
        firstTimestamp: '2026-01-10T06:04:00Z',
        lastTimestamp: '2026-01-10T06:05:00Z',
        eventTime: null,
      },
      {
        type: 'Warning',
        reason: 'BackoffLimitExceeded',
        message: 'Job has reached the specified backoff limit',
        at: '2026-01-10T06:05:00.000Z',
      },
    ],
    [
      'events.k8s.io: the note and eventTime',
      {
        reason: 'Started',
        note: 'started',
        eventTime: '2026-01-10T06:05:00.123456Z',
        firstTimestamp: null,
      },
      {type: null, reason: 'Started', message: 'started', at: '2026-01-10T06:05:00.123Z'},
    ],
    [
      'only a first time',
      {reason: 'Created', message: 'made', firstTimestamp: '2026-01-10T06:04:00Z'},
      {type: null, reason: 'Created', message: 'made', at: '2026-01-10T06:04:00.000Z'},
    ],
    [
      'eventTime before firstTimestamp',
      {reason: 'X', eventTime: '2026-01-10T06:06:00Z', firstTimestamp: '2026-01-10T06:04:00Z'},
      {type: null, reason: 'X', message: null, at: '2026-01-10T06:06:00.000Z'},
    ],
    [
      'message before note; no time',
      {reason: 'X', message: 'm', note: 'n', lastTimestamp: 'soon'},
      {type: null, reason: 'X', message: 'm', at: null},
    ],
    ['no reason', {message: 'm'}, null],
    ['an empty reason', {reason: ''}, null],
    ['not an object', 'Warning', null],
  ];
  for (const [name, raw, expect] of cases) {
    it(name, () => {
      const event = parseJobEvent(raw);
      assert.deepEqual(event === null ? null : {...event, at: iso(event.at)}, expect);
    });
  }
});

describe('absent, null and odd values where the API may leave a field out', () => {
  it('a null status or condition list is none', () => {
    const c = cronJob({metadata: META, spec: {schedule: '@hourly'}, status: null});
    assert.deepEqual(c.activeJobNames, []);
    const j = job({
      metadata: {namespace: 'reports', name: 'j', uid: 'u'},
      status: {conditions: null},
    });
    assert.deepEqual(j.conditions, []);
  });
  it('a null spec is a missing spec', () => {
    assert.equal(refusal(parseCronJob({metadata: META, spec: null})).problem, 'spec is missing');
  });
  it('a CronJob or Job without metadata says so', () => {
    assert.equal(
      refusal(parseCronJob({spec: {schedule: '@hourly'}})).problem,
      'metadata is missing',
    );
    assert.equal(refusal(parseJob({status: {}})).problem, 'metadata is missing');
  });
  it('a Pod without a namespace or a name names the field', () => {
    assert.equal(
      refusal(parsePod({metadata: {name: 'p'}})).problem,
      'metadata.namespace is missing or not a string',
    );
    assert.equal(
      refusal(parsePod({metadata: {namespace: 'n'}})).problem,
      'metadata.name is missing or not a string',
    );
  });
  it('a condition without a type names the field', () => {
    const problem = refusal(
      parseJob({
        metadata: {namespace: 'reports', name: 'j', uid: 'u'},
        status: {conditions: [{status: 'True'}]},
      }),
    );
    assert.equal(problem.problem, 'status.conditions[].type is missing or not a string');
  });
  it('a refused object’s namespace and name are shown cut, or not at all when not text', () => {
    const problem = refusal(parseCronJob({metadata: {namespace: 'n'.repeat(300), name: 5}}));
    assert.equal(problem.namespace, 'n'.repeat(253));
    assert.equal(problem.name, null);
  });
  it('only a controller CronJob reference with a text UID links a Job', () => {
    const owned = (ref: Record<string, unknown>) =>
      job({metadata: {namespace: 'reports', name: 'j', uid: 'u', ownerReferences: [ref]}})
        .cronJobUid;
    assert.equal(owned({kind: 'CronJob', controller: true, uid: 'cj'}), 'cj');
    assert.equal(owned({kind: 'CronJob', controller: true, uid: 5}), null);
    assert.equal(owned({kind: 'Workflow', controller: true, uid: 'wf'}), null);
    assert.equal(owned({kind: 'CronJob', controller: 'true', uid: 'cj'}), null);
  });
  it('a time must be RFC 3339 text: no number, no list, nothing longer than any such time', () => {
    assert.equal(parseKubeTime(1767225600000), null);
    assert.equal(parseKubeTime(['2026-01-01T00:00:00Z']), null);
    // 64 characters a lenient date parser still reads; no RFC 3339 time is that long.
    const long = `Thu Jan 01 2026 00:00:00 GMT+0000 (${'x'.repeat(28)})`;
    assert.equal(long.length, 64);
    assert.equal(parseKubeTime(long), null);
  });
  it('container statuses: null entries, no state, a previous termination only, no name', () => {
    const parsed = parsePod({
      metadata: {namespace: 'reports', name: 'p'},
      status: {
        containerStatuses: [
          null,
          {name: 'fresh'},
          {name: 'restarted', lastState: {terminated: {reason: 'Error', exitCode: 3}}},
          {state: {waiting: {reason: 'ErrImagePull'}}},
        ],
        conditions: [{type: 'PodScheduled', status: 'True'}],
      },
    });
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.problem.problem);
    assert.deepEqual(parsed.value.terminations, [
      {container: 'restarted', reason: 'Error', exitCode: 3, message: null},
    ]);
    assert.deepEqual(parsed.value.waiting, [
      {container: '?', reason: 'ErrImagePull', message: null},
    ]);
    assert.equal(parsed.value.unschedulable, null, 'scheduled');
  });
});
