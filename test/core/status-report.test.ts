/**
 * The status table, pure: kubectl's ages, the LAST RESULT wording, the INCIDENT column, -o
 * wide, colour, and the 120-column default. Time is passed in.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {ClusterSnapshot, CronJobInfo} from '../../functions/core/model.js';
import {
  humanDuration,
  statusJson,
  statusTable,
  type CronJobJson,
  type RunJson,
  type StatusJson,
} from '../../functions/core/status-report.js';
import {cronJob as builtCronJob} from './builders.js';
import * as builders from './builders.js';

const NOW = new Date('2026-03-10T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration: the ages kubectl get prints', () => {
  const cases: Array<[number, string]> = [
    [-5 * S, '<invalid>'],
    [-500, '0s'],
    [0, '0s'],
    [45 * S, '45s'],
    [119 * S, '119s'],
    [2 * M, '2m'],
    // kubectl keeps minutes up to three hours.
    [2 * H, '120m'],
    [5 * M + 3 * S, '5m3s'],
    [12 * M, '12m'],
    [179 * M, '179m'],
    [3 * H, '3h'],
    [2 * H + 5 * M + 3 * H, '5h5m'],
    [47 * H, '47h'],
    [2 * D + 4 * H, '2d4h'],
    [3 * D, '3d'],
    [267 * D, '267d'],
    [730 * D, '2y'],
    [744 * D, '2y14d'],
    [3000 * D, '8y'],
  ];
  for (const [ms, want] of cases) {
    it(`${ms} ms → ${want}`, () => assert.equal(humanDuration(ms), want));
  }
});

function run(outcome: RunJson['outcome'], extra: Partial<RunJson> = {}): RunJson {
  return {
    job: 'job-1',
    outcome,
    reason: null,
    message: null,
    startedAt: ago(20 * M),
    finishedAt: outcome === 'running' ? null : ago(12 * M),
    manual: false,
    ...extra,
  };
}

function cronJob(name: string, extra: Partial<CronJobJson> = {}): CronJobJson {
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
    lastSuccessfulTime: ago(3 * H),
    lastRun: run('succeeded'),
    lastFinishedRun: run('succeeded'),
    runningNow: [],
    incidents: [],
    runs: [],
    ...extra,
  };
}

function recent(outcome: 'succeeded' | 'failed' | 'missed', hoursAgo: number) {
  return {
    job: outcome === 'missed' ? '' : `fixed-${hoursAgo}`,
    outcome,
    scheduledAt: ago(hoursAgo * H),
    startedAt: outcome === 'missed' ? null : ago(hoursAgo * H),
    durationMs: outcome === 'missed' ? null : 5 * M,
  };
}

const doc = (...cronJobs: CronJobJson[]): StatusJson => ({cronJobs, problems: []});
const cells = (table: string) =>
  table
    .trimEnd()
    .split('\n')
    .map(l => l.split(/ {2,}/));

describe('statusTable', () => {
  const failing = cronJob('db-backup', {
    lastRun: run('failed', {reason: 'BackoffLimitExceeded'}),
    lastFinishedRun: run('failed', {reason: 'BackoffLimitExceeded'}),
    incidents: [{kind: 'failing', since: ago(3 * H), failedRuns: 3}],
  });
  const running = cronJob('export', {
    lastRun: run('running', {job: 'export-2', startedAt: ago(5 * M)}),
    runningNow: ['export-2'],
  });
  const never = cronJob('audit', {lastRun: null, lastFinishedRun: null, suspended: true});

  it('one row per CronJob: result, age of the latest run, open incident', () => {
    assert.deepEqual(cells(statusTable(doc(failing, running, never), {now: NOW})), [
      ['NAMESPACE', 'NAME', 'SCHEDULE', 'LAST RESULT', 'LAST RUN', 'INCIDENT'],
      ['batch', 'db-backup', '0 * * * *', 'BackoffLimitExceeded', '20m', 'failing 3h'],
      ['batch', 'export', '0 * * * *', 'Running 5m', '5m', '<none>'],
      // Suspended: no incident opens for what it does not run (SUSPEND is in -o wide).
      ['batch', 'audit', '0 * * * *', '<none>', '<none>', 'suspended'],
    ]);
  });

  it('a failed run without a reason reads Failed', () => {
    const bare = cronJob('bare', {lastRun: run('failed'), lastFinishedRun: run('failed')});
    assert.equal(cells(statusTable(doc(bare), {now: NOW}))[1]?.[3], 'Failed');
  });

  it('an ignored CronJob says so in the INCIDENT column', () => {
    const muted = cronJob('noisy', {ignored: true, lastRun: null, lastFinishedRun: null});
    assert.deepEqual(cells(statusTable(doc(muted), {now: NOW}))[1], [
      'batch',
      'noisy',
      '0 * * * *',
      '<none>',
      '<none>',
      'ignored',
    ]);
  });

  it('INCIDENT is <unknown>, not <none>, when the incident state could not be read', () => {
    const unread = cronJob('unread', {incidents: null});
    assert.deepEqual(
      cells(statusTable(doc(unread, cronJob('read')), {now: NOW})).map(r => r.at(-1)),
      ['INCIDENT', '<unknown>', '<none>'],
    );
    // -o wide: INCIDENT comes before RECENT.
    assert.equal(cells(statusTable(doc(unread), {now: NOW, wide: true}))[1]?.at(-2), '<unknown>');
  });

  it('two open incidents: comma-joined by default; -o wide with the failed runs', () => {
    const both = cronJob('both', {
      incidents: [
        {kind: 'failing', since: ago(5 * H), failedRuns: 2},
        {kind: 'missed', since: ago(4 * H)},
      ],
    });
    assert.equal(cells(statusTable(doc(both), {now: NOW}))[1]?.at(-1), 'failing 5h,missed 4h');
    assert.equal(
      cells(statusTable(doc(both), {now: NOW, wide: true}))[1]?.at(-2),
      'failing 5h (2 failed runs), missed 4h',
    );
  });

  it('fits 120 columns: 30-character names, a 10-character namespace, two open incidents', () => {
    const name = (prefix: string) => `${prefix}-`.padEnd(30, 'x');
    assert.equal(name('a').length, 30);
    const namespace = 'production';
    const longAgo = ago(2 * D + 4 * H);
    // The widest cells of each column in one table: every reason Kubernetes writes, the
    // longest kubectl ages below two years, the pairs of incidents a CronJob can have open.
    const rows = [
      cronJob(name('failing-missed'), {
        namespace,
        schedule: '*/15 * * * *',
        lastRun: run('failed', {reason: 'MaxFailedIndexesExceeded', startedAt: ago(5 * M + 3 * S)}),
        incidents: [
          {kind: 'failing', since: longAgo, failedRuns: 9},
          {kind: 'missed', since: longAgo},
        ],
      }),
      cronJob(name('failing-long'), {
        namespace,
        schedule: '*/15 * * * *',
        lastRun: run('running', {startedAt: ago(45 * M)}),
        incidents: [
          {kind: 'failing', since: ago(3 * H), failedRuns: 2},
          {kind: 'running-too-long', since: ago(30 * M)},
        ],
      }),
      cronJob(name('backoff'), {
        namespace,
        lastRun: run('failed', {reason: 'BackoffLimitExceeded'}),
        incidents: [{kind: 'failing', since: longAgo, failedRuns: 1}],
      }),
    ];
    for (const table of [doc(rows[0]!, rows[2]!), doc(rows[1]!)]) {
      const lines = statusTable(table, {now: NOW}).trimEnd().split('\n');
      for (const line of lines) assert.ok(line.length <= 120, `${line.length}: ${line}`);
    }
    // Every reason Kubernetes writes stays whole.
    assert.match(statusTable(doc(rows[0]!), {now: NOW}), / MaxFailedIndexesExceeded /);
  });

  it('-o wide: time zone, suspension, active Jobs, latest Job, last finished run, last success, channel, recent runs', () => {
    const manual = cronJob('fixed', {
      timeZone: 'Europe/Berlin',
      lastRun: run('succeeded', {job: 'fixed-rerun', manual: true}),
      channel: '#team-backups',
      runs: [
        recent('succeeded', 5),
        recent('failed', 4),
        recent('missed', 3),
        recent('failed', 2),
        recent('succeeded', 1),
      ],
    });
    assert.deepEqual(cells(statusTable(doc(failing, manual), {now: NOW, wide: true})), [
      [
        'NAMESPACE',
        'NAME',
        'SCHEDULE',
        'TIMEZONE',
        'SUSPEND',
        'ACTIVE',
        'LAST RESULT',
        'LAST RUN',
        'LAST JOB',
        'LAST FINISHED',
        'LAST SUCCESS',
        'CHANNEL',
        'INCIDENT',
        'RECENT',
      ],
      [
        'batch',
        'db-backup',
        '0 * * * *',
        '<none>',
        'False',
        '0',
        'BackoffLimitExceeded',
        '20m',
        'job-1',
        'BackoffLimitExceeded 12m',
        '3h',
        '<none>',
        'failing 3h (3 failed runs)',
        '<none>',
      ],
      [
        'batch',
        'fixed',
        '0 * * * *',
        'Europe/Berlin',
        'False',
        '0',
        'Complete',
        '20m',
        'fixed-rerun (manual)',
        'Complete 12m',
        '3h',
        '#team-backups',
        '<none>',
        '✅ ❌ ⏰ ❌ ✅',
      ],
    ]);
  });

  it('a reason of any length keeps the default table within 120 columns; wide shows it whole', () => {
    const reason = 'SomeControllerWroteAVeryLongReasonThatNobodyExpected'.repeat(3);
    // Names of a usual length (together 35 characters); the reason is what has no bound.
    const odd = cronJob('nightly-warehouse', {
      namespace: 'data-platform',
      lastRun: run('failed', {reason}),
      incidents: [{kind: 'failing', since: ago(400 * D), failedRuns: 1}],
    });
    const table = statusTable(doc(odd), {now: NOW});
    for (const line of table.split('\n')) assert.ok(line.length <= 120, `${line.length}: ${line}`);
    assert.match(table, / SomeControllerWroteAVer… {2}/);
    assert.ok(statusTable(doc(odd), {now: NOW, wide: true}).includes(reason));
  });

  it('without NAMESPACE when one namespace was asked for; with CLUSTER for several clusters', () => {
    assert.equal(
      cells(statusTable(doc(failing), {now: NOW, namespaceColumn: false}))[0]?.[0],
      'NAME',
    );
    const other = cronJob('db-backup', {cluster: 'staging'});
    assert.deepEqual(
      cells(statusTable(doc(failing, other), {now: NOW})).map(r => r[0]),
      ['CLUSTER', 'prod', 'staging'],
    );
  });

  it('colour: red failures and incidents, green successes, yellow running; never padded inside', () => {
    const table = statusTable(doc(failing, running, cronJob('ok')), {now: NOW, colour: true});
    assert.ok(table.includes('\u001b[31mBackoffLimitExceeded\u001b[0m'), table);
    assert.ok(table.includes('\u001b[31mfailing 3h\u001b[0m'), table);
    assert.ok(table.includes('\u001b[33mRunning 5m\u001b[0m'), table);
    assert.ok(table.includes('\u001b[32mComplete\u001b[0m'), table);
    // Without the escapes, the same table as without colour.
    // eslint-disable-next-line no-control-regex
    const stripped = table.replace(/\u001b\[\d+m/g, '');
    assert.equal(stripped, statusTable(doc(failing, running, cronJob('ok')), {now: NOW}));
  });

  it('no CronJobs: says so', () => {
    assert.equal(statusTable(doc(), {now: NOW}), 'No CronJobs found.\n');
  });
});

describe('statusJson: where messages would go, and the annotations check would ignore', () => {
  const snapshot = (...cronJobs: CronJobInfo[]): ClusterSnapshot => ({
    cluster: {id: 'kubeconfig/prod', name: 'prod', project: null, location: null},
    cronJobs,
    jobs: [],
    problems: [],
  });
  const plain = builtCronJob({uid: 'a', namespace: 'payments', name: 'settle'});
  const annotated = builtCronJob({
    uid: 'b',
    namespace: 'payments',
    name: 'reconcile',
    annotations: {'cronjob-watcher/slack-channel': '#recon', 'cronjob-watcher/log-lines': 'all'},
  });
  const elsewhere = builtCronJob({uid: 'c', namespace: 'batch', name: 'backup'});
  const routing = {
    routes: [{cluster: 'prod', namespace: 'payments', channel: 'C0PAY12345'}],
    slackChannel: 'C0ALERTS01',
  };
  const channels = (doc: StatusJson) => doc.cronJobs.map(c => `${c.name}=${c.channel}`);

  it('the annotation, else the most specific route, else SLACK_CHANNEL', () => {
    const doc = statusJson([snapshot(plain, annotated, elsewhere)], [], null, routing);
    assert.deepEqual(channels(doc), ['backup=C0ALERTS01', 'reconcile=#recon', 'settle=C0PAY12345']);
  });

  it('without SLACK_CHANNEL: the annotation or route still says where it would go', () => {
    const doc = statusJson([snapshot(plain, annotated, elsewhere)], [], null, {
      ...routing,
      slackChannel: null,
    });
    assert.deepEqual(channels(doc), ['backup=null', 'reconcile=#recon', 'settle=C0PAY12345']);
  });

  it('incidents: null for the CronJobs of a cluster whose state could not be read', () => {
    const other: ClusterSnapshot = {
      ...snapshot(elsewhere),
      cluster: {id: 'kubeconfig/staging', name: 'staging', project: null, location: null},
    };
    const open = {
      clusterId: 'kubeconfig/staging',
      namespace: 'batch',
      name: 'backup',
      kind: 'missed' as const,
      since: NOW.toISOString(),
    };
    const doc = statusJson(
      [snapshot(plain), other],
      [open],
      null,
      routing,
      [],
      new Set(['kubeconfig/prod']),
    );
    assert.deepEqual(
      doc.cronJobs.map(c => [c.cluster, c.incidents]),
      [
        ['prod', null],
        ['staging', [{kind: 'missed', since: NOW.toISOString()}]],
      ],
    );
  });

  it('a malformed annotation is listed as a note, the CronJob judged all the same', () => {
    const doc = statusJson([snapshot(annotated)], [], null, routing);
    assert.equal(doc.problems.length, 1);
    assert.deepEqual(
      {...doc.problems[0], problem: undefined},
      {
        cluster: 'prod',
        kind: 'CronJob',
        namespace: 'payments',
        name: 'reconcile',
        problem: undefined,
        judged: true,
      },
    );
    assert.match(
      doc.problems[0]!.problem,
      /^annotation cronjob-watcher\/log-lines="all" ignored: /,
    );
  });
});

describe('statusJson: recent runs', () => {
  it('the stored history with the finished Jobs the cluster still holds, oldest first, once each', () => {
    const cj = builders.cronJob({uid: 'cj-uid', namespace: 'batch', name: 'db-backup'});
    const jobs = [
      builders.succeededJob({name: 'b-120', scheduled: 120, after: 4}),
      builders.failedJob({name: 'b-180', scheduled: 180, after: 2}),
      builders.runningJob({name: 'b-240', scheduled: 240}),
    ];
    const stored = [
      {
        job: 'b-60',
        outcome: 'succeeded' as const,
        scheduledAt: builders.at(60).toISOString(),
        startedAt: builders.at(60).toISOString(),
        durationMs: 300_000,
      },
      {
        job: 'b-120',
        outcome: 'succeeded' as const,
        scheduledAt: builders.at(120).toISOString(),
        startedAt: builders.at(120).toISOString(),
        durationMs: 240_000,
      },
    ];
    const cluster = {id: 'c-id', name: 'prod', project: null, location: null};
    const json = statusJson([{cluster, cronJobs: [cj], jobs, problems: []}], [], null, undefined, [
      {clusterId: 'c-id', namespace: 'batch', name: 'db-backup', runs: stored},
    ]);
    assert.deepEqual(
      json.cronJobs[0]?.runs.map(r => [r.job, r.outcome, r.durationMs]),
      [
        ['b-60', 'succeeded', 300_000],
        ['b-120', 'succeeded', 240_000],
        ['b-180', 'failed', 120_000],
      ],
    );
  });
});

describe('statusJson: due times and schedule notes (issue 20)', () => {
  const snapshot = (...cronJobs: CronJobInfo[]): ClusterSnapshot => ({
    cluster: {id: 'kubeconfig/prod', name: 'prod', project: null, location: null},
    cronJobs,
    jobs: [],
    problems: [],
  });
  const due = (cj: Partial<CronJobInfo>) => {
    const doc = statusJson([snapshot(builtCronJob(cj))], [], NOW);
    return [doc.cronJobs[0]?.lastDueAt, doc.cronJobs[0]?.nextDueAt];
  };

  it('@every steps from the last run, else from creation', () => {
    // Last run 10 March 09:10; every 90 minutes: 10:40, 12:10 — at 12:00, last 10:40.
    assert.deepEqual(
      due({schedule: '@every 90m', lastScheduleTime: new Date('2026-03-10T09:10:00Z')}),
      ['2026-03-10T10:40:00.000Z', '2026-03-10T12:10:00.000Z'],
    );
    // Never ran, created 11:30: first due 13:00.
    assert.deepEqual(due({schedule: '@every 90m', createdAt: new Date('2026-03-10T11:30:00Z')}), [
      null,
      '2026-03-10T13:00:00.000Z',
    ]);
  });

  it('0/15: last 12:00, next 12:15', () => {
    assert.deepEqual(due({schedule: '0/15 * * * *'}), [
      '2026-03-10T12:00:00.000Z',
      '2026-03-10T12:15:00.000Z',
    ]);
  });

  it('a schedule it cannot read and a spec.timeZone the prefix overrides are notes', () => {
    const doc = statusJson(
      [
        snapshot(
          builtCronJob({uid: 'a', name: 'typo', schedule: '0 * * *'}),
          builtCronJob({
            uid: 'b',
            name: 'zoned',
            schedule: 'TZ=Asia/Tokyo 0 9 * * *',
            timeZone: 'Europe/Paris',
          }),
        ),
      ],
      [],
      NOW,
    );
    assert.deepEqual(
      doc.problems.map(p => `${p.name} ${String(p.judged)}`),
      ['typo true', 'zoned true'],
    );
    assert.match(doc.problems[0]!.problem, /^schedule "0 \* \* \*" does not have five fields/);
    assert.match(doc.problems[0]!.problem, /not watched for missed or overlong runs$/);
    assert.match(
      doc.problems[1]!.problem,
      /^spec.timeZone "Europe\/Paris" is ignored: the schedule names its own zone \(Asia\/Tokyo\)/,
    );
    const table = statusTable(doc, {now: NOW});
    assert.match(table, /note on CronJob batch\/typo in prod: schedule "0 \* \* \*"/);
  });
});
