/**
 * `cronjob-watcher status` (functions/core/status-report.ts) as the README documents it: the
 * `--json` document (CronJobs sorted by cluster, namespace and name; the last and next due time
 * by schedule and zone, `@every` counted from the last run; open incidents by CronJob; notes on
 * what cannot be read) and the table (kubectl's layout: columns two spaces apart, each as wide
 * as its widest cell, the last one unpadded; reasons capped at 24 characters by default; the
 * INCIDENT column's words). Every expectation is written out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {ClusterSnapshot, CronJobInfo, JobInfo} from '../../functions/core/model.js';
import {
  statusJson,
  statusTable,
  type CronJobJson,
  type RunJson,
  type StatusJson,
} from '../../functions/core/status-report.js';
import {at, cronJob, failedJob, runningJob, succeededJob} from './builders.js';

// T0 (builders) is 2026-03-01T10:00:00Z; `at(m)` is m minutes after it.
const NOW = at(150); // 12:30Z

function snapshot(
  name: string,
  cronJobs: CronJobInfo[],
  jobs: JobInfo[] = [],
  problems: ClusterSnapshot['problems'] = [],
): ClusterSnapshot {
  return {
    cluster: {id: `kc/${name}`, name, project: null, location: null},
    cronJobs,
    jobs,
    problems,
  };
}

describe('statusJson: the document', () => {
  it('CronJobs sorted by cluster, then namespace, then name', () => {
    const doc = statusJson([
      snapshot('prod', [
        cronJob({uid: '1', namespace: 'batch', name: 'zeta'}),
        cronJob({uid: '2', namespace: 'alpha', name: 'beta'}),
        cronJob({uid: '3', namespace: 'batch', name: 'alpha'}),
      ]),
      snapshot('dev', [cronJob({uid: '4', namespace: 'zzz', name: 'x'})]),
    ]);
    assert.deepEqual(
      doc.cronJobs.map(c => `${c.cluster}/${c.namespace}/${c.name}`),
      ['dev/zzz/x', 'prod/alpha/beta', 'prod/batch/alpha', 'prod/batch/zeta'],
    );
  });

  it('the last run, the last finished run, what runs now, and the due times around now', () => {
    const jobs = [
      succeededJob({name: 'backup-1', scheduled: 0}),
      failedJob({name: 'backup-2', scheduled: 60}),
      {...runningJob({name: 'backup-3', scheduled: 120}), startedAt: null},
    ];
    const doc = statusJson([snapshot('prod', [cronJob()], jobs)], [], NOW);
    const c = doc.cronJobs[0]!;
    assert.deepEqual(c.lastRun, {
      job: 'backup-3',
      outcome: 'running',
      reason: null,
      message: null,
      // Not started yet: its scheduled time stands in.
      startedAt: '2026-03-01T12:00:00.000Z',
      finishedAt: null,
      manual: false,
    });
    assert.deepEqual(c.lastFinishedRun, {
      job: 'backup-2',
      outcome: 'failed',
      reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit',
      startedAt: '2026-03-01T11:00:00.000Z',
      finishedAt: '2026-03-01T11:05:00.000Z',
      manual: false,
    });
    assert.deepEqual(c.runningNow, ['backup-3']);
    assert.equal(c.lastDueAt, '2026-03-01T12:00:00.000Z');
    assert.equal(c.nextDueAt, '2026-03-01T13:00:00.000Z');
    assert.deepEqual(
      c.runs.map(r => r.job),
      ['backup-1', 'backup-2'],
    );
  });

  it('no due times without a clock (now: null)', () => {
    const doc = statusJson([snapshot('prod', [cronJob()])]);
    assert.equal(doc.cronJobs[0]!.lastDueAt, null);
    assert.equal(doc.cronJobs[0]!.nextDueAt, null);
  });

  it('@every counts from the last scheduled time, else never', () => {
    const every = cronJob({schedule: '@every 2h', lastScheduleTime: at(0), createdAt: null});
    const doc = statusJson([snapshot('prod', [every])], [], NOW);
    assert.equal(doc.cronJobs[0]!.lastDueAt, '2026-03-01T12:00:00.000Z');
    assert.equal(doc.cronJobs[0]!.nextDueAt, '2026-03-01T14:00:00.000Z');
    const created = cronJob({schedule: '@every 2h', lastScheduleTime: null, createdAt: at(-30)});
    const fromCreation = statusJson([snapshot('prod', [created])], [], NOW).cronJobs[0]!;
    assert.equal(fromCreation.lastDueAt, '2026-03-01T11:30:00.000Z');
    assert.equal(fromCreation.nextDueAt, '2026-03-01T13:30:00.000Z');
    const never = cronJob({schedule: '@every 2h', lastScheduleTime: null, createdAt: null});
    const none = statusJson([snapshot('prod', [never])], [], NOW).cronJobs[0]!;
    assert.equal(none.lastDueAt, null);
    assert.equal(none.nextDueAt, null);
  });

  it('a schedule it cannot read: no due times, and a note', () => {
    const bad = cronJob({schedule: 'every hour'});
    const doc = statusJson([snapshot('prod', [bad])], [], NOW);
    assert.equal(doc.cronJobs[0]!.lastDueAt, null);
    assert.equal(doc.cronJobs[0]!.nextDueAt, null);
    assert.equal(doc.problems.length, 1);
    const note = doc.problems[0]!;
    assert.deepEqual(
      {...note, problem: ''},
      {
        cluster: 'prod',
        kind: 'CronJob',
        namespace: 'batch',
        name: 'backup',
        problem: '',
        judged: true,
      },
    );
    assert.match(
      note.problem,
      /^schedule "every hour" does not have five fields: .*; not watched for missed or overlong runs$/,
    );
  });

  it('a spec.timeZone the schedule’s own zone overrides: a note', () => {
    const both = cronJob({schedule: 'CRON_TZ=Asia/Tokyo 0 9 * * *', timeZone: 'Europe/Berlin'});
    const doc = statusJson([snapshot('prod', [both])], [], NOW);
    assert.deepEqual(doc.problems, [
      {
        cluster: 'prod',
        kind: 'CronJob',
        namespace: 'batch',
        name: 'backup',
        problem:
          'spec.timeZone "Europe/Berlin" is ignored: the schedule names its own zone (Asia/Tokyo), as the controller reads it',
        judged: true,
      },
    ]);
  });

  it('the snapshot’s problems, judged or not, and unusable times', () => {
    const odd = cronJob({unusableTimes: [{field: 'status.lastScheduleTime', value: 'yesterday'}]});
    const doc = statusJson(
      [
        snapshot(
          'prod',
          [odd],
          [],
          [
            {kind: 'Job', namespace: 'batch', name: 'j', problem: 'no owner'},
            {kind: 'Pod', namespace: null, name: null, problem: 'odd', judged: true},
          ],
        ),
      ],
      [],
      NOW,
    );
    assert.deepEqual(doc.problems, [
      {cluster: 'prod', kind: 'Job', namespace: 'batch', name: 'j', problem: 'no owner'},
      {cluster: 'prod', kind: 'Pod', namespace: null, name: null, problem: 'odd', judged: true},
      {
        cluster: 'prod',
        kind: 'CronJob',
        namespace: 'batch',
        name: 'backup',
        problem: 'status.lastScheduleTime is not a usable time: yesterday; it is left out',
        judged: true,
      },
    ]);
  });

  it('open incidents go to their own CronJob of their own cluster, in order', () => {
    const doc = statusJson(
      [
        snapshot('prod', [cronJob({uid: 'a', name: 'one'}), cronJob({uid: 'b', name: 'two'})]),
        snapshot('dev', [cronJob({uid: 'c', name: 'one'})]),
      ],
      [
        {
          clusterId: 'kc/prod',
          namespace: 'batch',
          name: 'one',
          kind: 'failing',
          since: 's1',
          failedRuns: 2,
        },
        {clusterId: 'kc/prod', namespace: 'batch', name: 'one', kind: 'missed', since: 's2'},
        {clusterId: 'kc/dev', namespace: 'batch', name: 'one', kind: 'missed', since: 's3'},
      ],
    );
    assert.deepEqual(
      doc.cronJobs.map(c => [c.cluster, c.name, c.incidents]),
      [
        ['dev', 'one', [{kind: 'missed', since: 's3'}]],
        [
          'prod',
          'one',
          [
            {kind: 'failing', since: 's1', failedRuns: 2},
            {kind: 'missed', since: 's2'},
          ],
        ],
        ['prod', 'two', []],
      ],
    );
  });

  it('the stored history of its own CronJob only, before the finished Jobs not in it', () => {
    const stored = {
      job: 'backup-0',
      outcome: 'succeeded' as const,
      scheduledAt: '2026-03-01T09:00:00.000Z',
      startedAt: '2026-03-01T09:00:00.000Z',
      durationMs: 60_000,
    };
    const doc = statusJson(
      [
        snapshot(
          'prod',
          [cronJob(), cronJob({uid: 'o', name: 'other'})],
          [succeededJob({name: 'backup-1', scheduled: 0})],
        ),
      ],
      [],
      NOW,
      {routes: [], slackChannel: null},
      [
        {clusterId: 'kc/prod', namespace: 'batch', name: 'backup', runs: [stored]},
        {clusterId: 'kc/dev', namespace: 'batch', name: 'other', runs: [stored]},
      ],
    );
    assert.deepEqual(
      doc.cronJobs.map(c => [c.name, c.runs.map(r => r.job)]),
      [
        ['backup', ['backup-0', 'backup-1']],
        ['other', []],
      ],
    );
  });
});

const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const MIN = 60_000;

function run(outcome: RunJson['outcome'], extra: Partial<RunJson> = {}): RunJson {
  return {
    job: 'j-1',
    outcome,
    reason: null,
    message: null,
    startedAt: ago(20 * MIN),
    finishedAt: outcome === 'running' ? null : ago(12 * MIN),
    manual: false,
    ...extra,
  };
}

function row(name: string, extra: Partial<CronJobJson> = {}): CronJobJson {
  return {
    cluster: 'prod',
    namespace: 'batch',
    name,
    schedule: '0 * * * *',
    timeZone: null,
    suspended: false,
    ignored: false,
    channel: null,
    lastDueAt: null,
    nextDueAt: null,
    lastScheduleTime: null,
    lastSuccessfulTime: null,
    lastRun: run('succeeded'),
    lastFinishedRun: run('succeeded'),
    runningNow: [],
    incidents: [],
    runs: [],
    ...extra,
  };
}

const doc = (...cronJobs: CronJobJson[]): StatusJson => ({cronJobs, problems: []});

describe('statusTable: the layout', () => {
  it('each column as wide as its widest cell or header, two spaces apart, the last unpadded', () => {
    const table = statusTable(
      doc(
        row('a', {namespace: 'ns'}),
        row('a-much-longer-name', {
          namespace: 'n',
          schedule: '*/5 * * * *',
          lastRun: run('failed', {reason: 'DeadlineExceeded'}),
          incidents: [{kind: 'failing', since: ago(3 * 60 * MIN), failedRuns: 1}],
        }),
      ),
      {now: NOW},
    );
    assert.equal(
      table,
      [
        'NAMESPACE  NAME                SCHEDULE     LAST RESULT       LAST RUN  INCIDENT',
        'ns         a                   0 * * * *    Complete          20m       <none>',
        'n          a-much-longer-name  */5 * * * *  DeadlineExceeded  20m       failing 3h',
        '',
      ].join('\n'),
    );
  });

  it('a reason of 24 characters stays whole, of 25 is cut to 23 and …', () => {
    const reason24 = 'ABCDEFGHIJKLMNOPQRSTUVWX';
    const reason25 = `${reason24}Y`;
    const cell = (reason: string) =>
      statusTable(doc(row('a', {lastRun: run('failed', {reason})})), {now: NOW})
        .split('\n')[1]!
        .split(/ {2,}/)[3];
    assert.equal(cell(reason24), reason24);
    assert.equal(cell(reason25), 'ABCDEFGHIJKLMNOPQRSTUVW…');
  });

  it('LAST RESULT: Suspended, and Running with no start known', () => {
    const table = statusTable(
      doc(
        row('held', {lastRun: run('suspended')}),
        row('going', {lastRun: run('running', {startedAt: null})}),
      ),
      {now: NOW},
    );
    const cells = table.split('\n').map(l => l.split(/ {2,}/));
    assert.equal(cells[1]![3], 'Suspended');
    assert.equal(cells[2]![3], 'Running <none>');
  });

  it('INCIDENT: ignored before suspended; suspended only in the default table', () => {
    const last = (table: string, wideOffset = 0) =>
      table
        .trimEnd()
        .split('\n')
        .map(l => l.split(/ {2,}/).at(-1 - wideOffset));
    const both = row('both', {ignored: true, suspended: true});
    const held = row('held', {suspended: true});
    assert.deepEqual(last(statusTable(doc(both, held), {now: NOW})), [
      'INCIDENT',
      'ignored',
      'suspended',
    ]);
    assert.deepEqual(last(statusTable(doc(both, held), {now: NOW, wide: true}), 1), [
      'INCIDENT',
      'ignored',
      '<none>',
    ]);
  });

  it('-o wide: one failed run is singular; a wide row with nothing known', () => {
    const one = row('one', {
      incidents: [{kind: 'failing', since: ago(5 * MIN), failedRuns: 1}],
    });
    const bare = row('bare', {
      lastRun: null,
      lastFinishedRun: null,
      timeZone: null,
      suspended: true,
      runningNow: ['x', 'y'],
    });
    const cells = statusTable(doc(one, bare), {now: NOW, wide: true})
      .trimEnd()
      .split('\n')
      .map(l => l.split(/ {2,}/));
    assert.equal(cells[1]![12], 'failing 5m (1 failed run)');
    assert.deepEqual(cells[2], [
      'batch',
      'bare',
      '0 * * * *',
      '<none>',
      'True',
      '2',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
      '<none>',
    ]);
  });

  it('colour only on cells with a tone, the padding after the escape', () => {
    const table = statusTable(
      doc(row('a'), row('bb', {lastRun: run('failed', {reason: 'Oops'})})),
      {
        now: NOW,
        colour: true,
      },
    );
    assert.equal(
      table.split('\n')[1],
      'batch      a     0 * * * *  \u001b[32mComplete\u001b[0m     20m       <none>',
    );
    assert.equal(
      table.split('\n')[2],
      'batch      bb    0 * * * *  \u001b[31mOops\u001b[0m         20m       <none>',
    );
  });

  it('problems follow the table: notes and what could not be judged', () => {
    const withProblems: StatusJson = {
      cronJobs: [],
      problems: [
        {cluster: 'prod', kind: 'Job', namespace: 'batch', name: 'j', problem: 'no owner'},
        {
          cluster: 'dev',
          kind: 'CronJob',
          namespace: null,
          name: null,
          problem: 'odd',
          judged: true,
        },
      ],
    };
    assert.equal(
      statusTable(withProblems, {now: NOW}),
      'No CronJobs found.\ncannot judge Job batch/j in prod: no owner\nnote on CronJob ?/? in dev: odd\n',
    );
  });
});
