import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  parseCronJob,
  parseJob,
  parseKubeTime,
  parsePod,
} from '../../functions/core/kube-objects.js';
import {cronJobStatusOf, judgeJob} from '../../functions/core/verdict.js';
import {explainFailure} from '../../functions/core/explain.js';
import type {JobInfo} from '../../functions/core/model.js';

const OWNER = [
  {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    name: 'report',
    uid: 'cj-1',
    controller: true,
    blockOwnerDeletion: true,
  },
];

function rawJob(
  overrides: {
    name?: string;
    annotations?: object;
    status?: unknown;
    spec?: object;
    owners?: unknown;
  } = {},
) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: overrides.name ?? 'report-29500000',
      namespace: 'reports',
      uid: `uid-${overrides.name ?? 'report-29500000'}`,
      creationTimestamp: '2026-02-01T06:00:00Z',
      ownerReferences: overrides.owners ?? OWNER,
      annotations: overrides.annotations ?? {
        'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-02-01T06:00:00Z',
      },
    },
    spec: overrides.spec ?? {backoffLimit: 6},
    ...(overrides.status === undefined ? {} : {status: overrides.status}),
  };
}

function job(raw: unknown): JobInfo {
  const parsed = parseJob(raw);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.problem.problem);
  return parsed.value;
}

const FAILED = {
  type: 'Failed',
  status: 'True',
  reason: 'BackoffLimitExceeded',
  message: 'Job has reached the specified backoff limit',
  lastProbeTime: '2026-02-01T06:04:00Z',
  lastTransitionTime: '2026-02-01T06:04:00Z',
};

describe('judgeJob: every shape of status', () => {
  const cases: {
    name: string;
    status: unknown;
    spec?: object;
    expect: {
      outcome: string;
      reason: string | null;
      finishedAt: string | null;
      approximate?: boolean;
    };
  }[] = [
    {
      name: 'no status at all',
      status: undefined,
      expect: {outcome: 'running', reason: null, finishedAt: null},
    },
    {
      name: 'empty status',
      status: {},
      expect: {outcome: 'running', reason: null, finishedAt: null},
    },
    {
      name: 'running with startTime',
      status: {startTime: '2026-02-01T06:00:01Z', active: 1},
      expect: {outcome: 'running', reason: null, finishedAt: null},
    },
    {
      name: 'complete',
      status: {
        startTime: '2026-02-01T06:00:01Z',
        completionTime: '2026-02-01T06:02:00Z',
        succeeded: 1,
        conditions: [
          {type: 'Complete', status: 'True', lastTransitionTime: '2026-02-01T06:02:00Z'},
        ],
      },
      expect: {outcome: 'succeeded', reason: null, finishedAt: '2026-02-01T06:02:00.000Z'},
    },
    {
      name: 'SuccessCriteriaMet only (pods still terminating)',
      status: {
        conditions: [
          {type: 'SuccessCriteriaMet', status: 'True', lastTransitionTime: '2026-02-01T06:02:00Z'},
        ],
      },
      expect: {outcome: 'succeeded', reason: null, finishedAt: '2026-02-01T06:02:00.000Z'},
    },
    {
      name: 'failed, backoff limit',
      status: {failed: 7, conditions: [FAILED]},
      expect: {
        outcome: 'failed',
        reason: 'BackoffLimitExceeded',
        finishedAt: '2026-02-01T06:04:00.000Z',
      },
    },
    {
      name: 'failed without lastProbeTime',
      status: {
        conditions: [
          {
            type: 'Failed',
            status: 'True',
            reason: 'BackoffLimitExceeded',
            lastTransitionTime: '2026-02-01T06:04:00Z',
          },
        ],
      },
      expect: {
        outcome: 'failed',
        reason: 'BackoffLimitExceeded',
        finishedAt: '2026-02-01T06:04:00.000Z',
      },
    },
    {
      name: 'FailureTarget only: already failed',
      status: {
        conditions: [
          {
            type: 'FailureTarget',
            status: 'True',
            reason: 'PodFailurePolicy',
            message: 'Container main exited with 42',
            lastTransitionTime: '2026-02-01T06:03:00Z',
          },
        ],
      },
      expect: {
        outcome: 'failed',
        reason: 'PodFailurePolicy',
        finishedAt: '2026-02-01T06:03:00.000Z',
      },
    },
    {
      name: 'DeadlineExceeded with succeeded: 1',
      status: {
        succeeded: 1,
        failed: 0,
        conditions: [
          {
            type: 'Failed',
            status: 'True',
            reason: 'DeadlineExceeded',
            message: 'Job was active longer than specified deadline',
            lastTransitionTime: '2026-02-01T07:00:00Z',
          },
        ],
      },
      expect: {
        outcome: 'failed',
        reason: 'DeadlineExceeded',
        finishedAt: '2026-02-01T07:00:00.000Z',
      },
    },
    {
      name: 'unknown reason with the zero time',
      status: {
        conditions: [
          {
            type: 'FailureTarget',
            status: 'True',
            reason: 'ManuallyTerminated',
            message: 'Manually terminated',
            lastTransitionTime: '0001-01-01T00:00:00Z',
          },
          {
            type: 'Failed',
            status: 'True',
            reason: 'ManuallyTerminated',
            lastTransitionTime: '0001-01-01T00:00:00Z',
          },
        ],
      },
      // No usable failure time: the scheduled time stands in, marked approximate (issue 13).
      expect: {
        outcome: 'failed',
        reason: 'ManuallyTerminated',
        finishedAt: '2026-02-01T06:00:00.000Z',
        approximate: true,
      },
    },
    {
      name: 'Failed=False is not a failure',
      status: {active: 1, conditions: [{...FAILED, status: 'False'}]},
      expect: {outcome: 'running', reason: null, finishedAt: null},
    },
    {
      name: 'suspended by spec',
      status: {},
      spec: {suspend: true},
      expect: {outcome: 'suspended', reason: null, finishedAt: null},
    },
    {
      name: 'Suspended condition',
      status: {
        conditions: [
          {
            type: 'Suspended',
            status: 'True',
            reason: 'JobSuspended',
            lastTransitionTime: '2026-02-01T06:00:05Z',
          },
        ],
      },
      expect: {outcome: 'suspended', reason: null, finishedAt: null},
    },
    {
      name: 'unknown condition types are ignored',
      status: {active: 1, conditions: [{type: 'SomethingNew', status: 'True'}]},
      expect: {outcome: 'running', reason: null, finishedAt: null},
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const verdict = judgeJob(job(rawJob({status: c.status, ...(c.spec ? {spec: c.spec} : {})})));
      assert.equal(verdict.outcome, c.expect.outcome);
      assert.equal(verdict.reason, c.expect.reason);
      assert.equal(verdict.finishedAt?.toISOString() ?? null, c.expect.finishedAt);
      assert.equal(verdict.approximateTime ?? false, c.expect.approximate ?? false);
    });
  }
});

describe('parseJob: linking and marks', () => {
  it('links by the controller CronJob owner UID, not by name', () => {
    assert.equal(job(rawJob({name: 'unrelated-name'})).cronJobUid, 'cj-1');
    assert.equal(job(rawJob({owners: []})).cronJobUid, null);
    assert.equal(job(rawJob({owners: [{...OWNER[0], controller: false}]})).cronJobUid, null);
    assert.equal(job(rawJob({owners: [{...OWNER[0], kind: 'Workflow'}]})).cronJobUid, null);
  });
  it('marks manual runs and reads the scheduled timestamp', () => {
    const manual = job(rawJob({annotations: {'cronjob.kubernetes.io/instantiate': 'manual'}}));
    assert.equal(manual.manual, true);
    assert.equal(manual.scheduledAt, null);
    assert.equal(job(rawJob()).scheduledAt?.toISOString(), '2026-02-01T06:00:00.000Z');
  });
  it('accepts client-node Date objects as well as strings', () => {
    const raw = rawJob({
      status: {conditions: [{...FAILED, lastTransitionTime: new Date('2026-02-01T06:04:00Z')}]},
    });
    assert.equal(judgeJob(job(raw)).finishedAt?.toISOString(), '2026-02-01T06:04:00.000Z');
  });
});

describe('parse*: bad objects become problems, never throws', () => {
  const bad: [string, unknown, RegExp][] = [
    ['null', null, /not an object/],
    ['a string', 'job', /not an object/],
    ['no metadata', {kind: 'Job'}, /metadata is missing/],
    ['no uid', {metadata: {name: 'a', namespace: 'b'}}, /uid/],
    ['conditions not a list', rawJob({status: {conditions: 'Failed'}}), /conditions is not a list/],
    ['condition without type', rawJob({status: {conditions: [{status: 'True'}]}}), /type/],
    ['status a number', rawJob({status: 7}), /status is not an object/],
  ];
  for (const [name, raw, pattern] of bad) {
    it(name, () => {
      const parsed = parseJob(raw);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.match(parsed.problem.problem, pattern);
    });
  }
  it('a bad Job names its CronJob so the CronJob can be held', () => {
    const parsed = parseJob(rawJob({status: {conditions: 5}}));
    assert.ok(
      !parsed.ok &&
        parsed.problem.cronJobUid === 'cj-1' &&
        parsed.problem.name === 'report-29500000',
    );
  });
  it('a CronJob without a schedule', () => {
    const parsed = parseCronJob({metadata: {name: 'x', namespace: 'y', uid: 'z'}, spec: {}});
    assert.ok(!parsed.ok && /schedule/.test(parsed.problem.problem));
  });
  it('huge strings are cut', () => {
    const huge = 'x'.repeat(100_000);
    const verdict = judgeJob(job(rawJob({status: {conditions: [{...FAILED, message: huge}]}})));
    assert.ok((verdict.message?.length ?? 0) <= 2001);
  });
});

describe('parseKubeTime', () => {
  const cases: [unknown, string | null][] = [
    ['2026-02-01T06:00:00Z', '2026-02-01T06:00:00.000Z'],
    ['2026-02-01T06:00:00.123456Z', '2026-02-01T06:00:00.123Z'],
    ['0001-01-01T00:00:00Z', null],
    ['', null],
    ['yesterday', null],
    [12345, null],
    [null, null],
    [new Date('2026-02-01T06:00:00Z'), '2026-02-01T06:00:00.000Z'],
    [new Date('0001-01-01T00:00:00Z'), null],
    [new Date(NaN), null],
  ];
  for (const [input, expected] of cases) {
    it(`${String(input)} → ${expected}`, () =>
      assert.equal(parseKubeTime(input)?.toISOString() ?? null, expected));
  }
});

describe('cronJobStatusOf', () => {
  const cron = parseCronJob({
    metadata: {name: 'report', namespace: 'reports', uid: 'cj-1'},
    spec: {schedule: '0 6 * * *', timeZone: 'Europe/Paris'},
    status: {lastScheduleTime: '2026-02-02T06:00:00Z'},
  });
  assert.ok(cron.ok);
  it('never ran', () => {
    const status = cronJobStatusOf(cron.value, []);
    assert.equal(status.lastRun, null);
    assert.equal(status.lastFinishedRun, null);
    assert.equal(cron.value.lastSuccessfulTime, null);
  });
  it('latest run by schedule; latest finished by finish time; older clusters order by creation', () => {
    const failedEarlier = job(rawJob({name: 'report-1', status: {conditions: [FAILED]}}));
    const runningNow = job(
      rawJob({
        name: 'report-2',
        annotations: {'batch.kubernetes.io/cronjob-scheduled-timestamp': '2026-02-02T06:00:00Z'},
        status: {active: 1},
      }),
    );
    const oldCluster = job({
      ...rawJob({name: 'report-1769925600', annotations: {}, status: {active: 1}}),
      metadata: {
        ...rawJob().metadata,
        name: 'report-1769925600',
        uid: 'u-old',
        annotations: {},
        creationTimestamp: '2026-02-01T05:00:00Z',
      },
    });
    const status = cronJobStatusOf(cron.value, [oldCluster, failedEarlier, runningNow]);
    assert.equal(status.lastRun?.job, 'report-2');
    assert.equal(status.lastFinishedRun?.job, 'report-1');
    assert.deepEqual(status.running.map(r => r.job).sort(), ['report-1769925600', 'report-2']);
  });
});

describe('explainFailure', () => {
  it('says what the containers and pods said, newest first, once each', () => {
    const pod = (
      name: string,
      created: string,
      reason: string | null,
      exitCode: number | null,
      podReason: string | null = null,
    ) => {
      const parsed = parsePod({
        metadata: {
          name,
          namespace: 'reports',
          creationTimestamp: created,
          labels: {'controller-uid': 'u', 'job-name': 'report-1'},
        },
        status: {
          phase: 'Failed',
          reason: podReason,
          containerStatuses: [{name: 'main', state: {terminated: {reason, exitCode}}}],
        },
      });
      assert.ok(parsed.ok);
      assert.equal(parsed.value.jobUid, 'u', 'older unprefixed labels are read');
      return parsed.value;
    };
    assert.equal(
      explainFailure([
        pod('a', '2026-02-01T06:00:00Z', 'Error', 1),
        pod('b', '2026-02-01T06:01:00Z', 'OOMKilled', 137),
        pod('c', '2026-02-01T06:02:00Z', 'OOMKilled', 137),
      ]),
      'container main: OOMKilled (exit 137); container main: Error (exit 1)',
    );
    assert.equal(
      explainFailure([pod('d', '2026-02-01T06:00:00Z', null, null, 'Evicted')]),
      'pod Evicted',
    );
    assert.equal(explainFailure([]), null);
  });
});

describe('run order uses the moment the outcome was decided', () => {
  it('FailureTarget / SuccessCriteriaMet time, which does not move when Failed / Complete arrive', () => {
    const target = {
      type: 'FailureTarget',
      status: 'True',
      reason: 'BackoffLimitExceeded',
      lastTransitionTime: '2026-02-01T06:03:00Z',
    };
    const failedCondition = {...target, type: 'Failed', lastTransitionTime: '2026-02-01T06:03:40Z'};
    const early = judgeJob(job(rawJob({status: {conditions: [target]}})));
    const late = judgeJob(job(rawJob({status: {conditions: [target, failedCondition]}})));
    assert.equal(
      late.finishedAt?.toISOString(),
      '2026-02-01T06:03:40.000Z',
      'failed-at is the Failed condition',
    );
    assert.equal(early.decidedAt?.toISOString(), '2026-02-01T06:03:00.000Z');
    assert.equal(late.decidedAt?.toISOString(), '2026-02-01T06:03:00.000Z');
    const met = {
      type: 'SuccessCriteriaMet',
      status: 'True',
      lastTransitionTime: '2026-02-01T06:05:00Z',
    };
    const done = judgeJob(
      job(
        rawJob({
          status: {
            completionTime: '2026-02-01T06:05:30Z',
            conditions: [
              met,
              {type: 'Complete', status: 'True', lastTransitionTime: '2026-02-01T06:05:30Z'},
            ],
          },
        }),
      ),
    );
    assert.equal(done.finishedAt?.toISOString(), '2026-02-01T06:05:30.000Z', 'completionTime');
    assert.equal(done.decidedAt?.toISOString(), '2026-02-01T06:05:00.000Z');
  });
});
