/**
 * Every English sentence of every kind's words and the digest's, branch by branch: each way an
 * incident ends, with and without a duration, one and many (failed runs, missed runs, blocked
 * runs, fast runs, failed reads, incidents), the cap at 100, every problem of an unreadable
 * cluster and its fix, every reason a log excerpt is missing. Expected sentences are written
 * out by hand as a person in the channel should read them (time values stand in as the words
 * Slack would show, names as inline code); the golden fixtures show one path of each.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {CLUSTER_UNREADABLE_WORDS} from '../../functions/core/detections/cluster-unreadable/words.js';
import type {ReadProblem} from '../../functions/core/detections/cluster-unreadable/words.js';
import {FAILING_WORDS} from '../../functions/core/detections/failing/words.js';
import type {FailingEnd} from '../../functions/core/detections/failing/incident.js';
import {FINISHED_TOO_FAST_WORDS} from '../../functions/core/detections/finished-too-fast/words.js';
import {MISSED_WORDS} from '../../functions/core/detections/missed/words.js';
import {RUNNING_TOO_LONG_WORDS} from '../../functions/core/detections/running-too-long/words.js';
import {SLOWER_THAN_USUAL_WORDS} from '../../functions/core/detections/slower-than-usual/words.js';
import {plainOf} from '../../functions/core/messages/pieces.js';
import {DIGEST_WORDS} from '../../functions/core/digest/words.js';
import type {RunRef} from '../../functions/core/incident-base.js';
import type {Segment, Text} from '../../functions/core/messages/model.js';

const t = (s: string): Segment => ({type: 'text', text: s});
const c = (s: string): Segment => ({type: 'code', text: s});

/** What a person reads: text as it is, a name in backticks (Slack's inline code). */
function read(parts: Text): string {
  return parts
    .map(p => {
      switch (p.type) {
        case 'text':
          return p.text;
        case 'code':
          return `\`${p.text}\``;
        default:
          throw new Error(`unexpected segment ${p.type}`);
      }
    })
    .join('');
}

const AT_106 = [t('today at 1:06 AM')];
const AT_307 = [t('today at 3:07 AM')];
const JOB = [c('db-backup-29540340')];
const RUN: RunRef = {
  job: 'db-backup-29540340',
  jobUid: 'u',
  manual: false,
  at: null,
  reason: null,
  message: null,
  detail: null,
};
const FIXED: FailingEnd = {type: 'fixed', run: RUN};
const GONE: FailingEnd = {type: 'fixed-job-gone'};
const DELETED: FailingEnd = {type: 'deleted'};
const UNKNOWN: FailingEnd = {type: 'unknown'};

describe('failing, in English', () => {
  const w = FAILING_WORDS.en;

  it('labels and fixed words', () => {
    assert.deepEqual(w.labels, {
      failed: 'Failed',
      failedRuns: 'Failed runs',
      reason: 'Reason',
      latestReason: 'Latest reason',
    });
    assert.equal(w.goneMark, ' (Job already deleted)');
    assert.equal(
      w.approximateTime,
      'Failure time approximate: the Job carries no usable time for its failure, so its next usable timestamp (completion, start, schedule or creation) stands in.',
    );
  });

  it('the headline and the failed runs field', () => {
    assert.equal(
      w.failedLine('backups/db-backup', 'OOMKilled (exit 137)'),
      'backups/db-backup failed: OOMKilled (exit 137)',
    );
    assert.equal(read(w.failedRunsValue(3, AT_106)), '3 (first today at 1:06 AM)');
  });

  it('the closed headline, each ending, with and without a duration', () => {
    const cases: Array<[FailingEnd, string | null, string]> = [
      [FIXED, '2h 5m', 'backups/db-backup recovered after 2h 5m'],
      [FIXED, null, 'backups/db-backup recovered'],
      [GONE, '45s', 'backups/db-backup recovered after 45s'],
      [UNKNOWN, null, 'backups/db-backup recovered'],
      [DELETED, '2h 5m', 'backups/db-backup closed after 2h 5m: the CronJob was deleted'],
      [DELETED, null, 'backups/db-backup closed: the CronJob was deleted'],
    ];
    for (const [end, duration, want] of cases) {
      assert.equal(w.endedLine('backups/db-backup', end, duration), want);
    }
  });

  it('the closed opening’s story: each ending, one failed run and many', () => {
    const story = (end: FailingEnd, failedRuns: number) =>
      read(
        w.storyLine({
          failedAt: AT_106,
          cause: 'OOMKilled (exit 137)',
          failedRuns,
          end,
          fixedBy: JOB,
          endedAt: AT_307,
        }),
      );
    assert.equal(
      story(FIXED, 2),
      'Failed today at 1:06 AM: OOMKilled (exit 137), 2 failed runs; `db-backup-29540340` succeeded today at 3:07 AM.',
    );
    assert.equal(
      story(FIXED, 1),
      'Failed today at 1:06 AM: OOMKilled (exit 137); `db-backup-29540340` succeeded today at 3:07 AM.',
    );
    assert.equal(
      story(GONE, 1),
      'Failed today at 1:06 AM: OOMKilled (exit 137); a later run succeeded (its Job is already deleted) today at 3:07 AM.',
    );
    assert.equal(
      story(DELETED, 4),
      'Failed today at 1:06 AM: OOMKilled (exit 137), 4 failed runs; the CronJob was deleted today at 3:07 AM.',
    );
    assert.equal(story(UNKNOWN, 1), 'Failed today at 1:06 AM: OOMKilled (exit 137).');
    assert.equal(
      story(UNKNOWN, 3),
      'Failed today at 1:06 AM: OOMKilled (exit 137), 3 failed runs.',
    );
  });

  it('the thread reply: each ending, with and without a duration and a count', () => {
    const closing = (end: FailingEnd, duration: string | null, failedRuns: number) =>
      read(w.closingLine({duration, failedRuns, end, fixedBy: JOB}));
    assert.equal(
      closing(FIXED, '2h 5m', 2),
      'Recovered after 2h 5m: `db-backup-29540340` succeeded (2 failed runs)',
    );
    assert.equal(closing(FIXED, null, 1), 'Recovered: `db-backup-29540340` succeeded');
    assert.equal(
      closing(GONE, '12m', 1),
      'Recovered after 12m: a later run succeeded (its Job is already deleted)',
    );
    assert.equal(
      closing(DELETED, '1d 2h', 5),
      'Closed after 1d 2h: the CronJob was deleted (5 failed runs)',
    );
    assert.equal(closing(DELETED, null, 1), 'Closed: the CronJob was deleted');
    assert.equal(closing(UNKNOWN, null, 1), 'Recovered');
    assert.equal(closing(UNKNOWN, '5m', 3), 'Recovered after 5m (3 failed runs)');
  });

  it('failed and recovered before anything was sent', () => {
    const recovered = (end: FailingEnd, duration: string | null) =>
      read(
        w.recoveredLine({
          cronJob: 'backups/db-backup',
          failedAt: AT_106,
          cause: 'OOMKilled',
          duration,
          end,
          fixedBy: JOB,
        }),
      );
    assert.equal(
      recovered(FIXED, '3m'),
      'backups/db-backup failed today at 1:06 AM (OOMKilled) and recovered after 3m: `db-backup-29540340` succeeded',
    );
    assert.equal(
      recovered(UNKNOWN, null),
      'backups/db-backup failed today at 1:06 AM (OOMKilled) and recovered',
    );
  });

  it('a Job that ran too long, then failed', () => {
    assert.equal(
      read(w.ranTooLongLine({startedAt: [t('today at 2:00 AM')], stuck: null, ranFor: '2h 10m'})),
      'Running since today at 2:00 AM; killed after 2h 10m',
    );
    assert.equal(
      read(
        w.ranTooLongLine({
          startedAt: [t('today at 2:00 AM')],
          stuck: 'ImagePullBackOff',
          ranFor: null,
        }),
      ),
      'Stuck since today at 2:00 AM: ImagePullBackOff; killed',
    );
    assert.equal(
      w.handedOverLine('2h 10m', 'DeadlineExceeded'),
      'killed after 2h 10m: DeadlineExceeded',
    );
    assert.equal(w.handedOverLine(null, 'DeadlineExceeded'), 'killed: DeadlineExceeded');
  });

  it('the reminder: one failed run and many', () => {
    assert.equal(
      w.reminderLine({age: '1d', failedRuns: 1, cause: 'OOMKilled'}),
      'Still failing after 1d: 1 failed run so far; latest: OOMKilled',
    );
    assert.equal(
      w.reminderLine({age: '2d 3h', failedRuns: 5, cause: 'Error (exit 1)'}),
      'Still failing after 2d 3h: 5 failed runs so far; latest: Error (exit 1)',
    );
  });

  it('why a deleted Job’s failure has no detail', () => {
    assert.equal(
      w.goneNote('failed-jobs-history-limit'),
      'deleted before the watcher could read it (failedJobsHistoryLimit: 0 keeps no failed Job)',
    );
    assert.equal(
      w.goneNote('ttl-after-finished'),
      "deleted before the watcher could read it (ttlSecondsAfterFinished is shorter than the watcher's interval)",
    );
    assert.equal(w.goneNote('unknown'), 'deleted before the watcher could read it');
  });

  it('the log excerpt: its title, the cut, every reason there is none', () => {
    assert.equal(
      w.log.title('main', 'db-backup-29540340-x7k2p'),
      'Last lines of the log of container main (pod db-backup-29540340-x7k2p)',
    );
    assert.equal(w.log.cut, 'Older lines were left out to fit the message.');
    assert.equal(
      w.log.unavailable('forbidden', null),
      'No log excerpt: the watcher may not read pod logs (pods/log, see infra/k8s/rbac-logs.yaml).',
    );
    assert.equal(w.log.unavailable('gone', null), 'No log excerpt: the Pod is already deleted.');
    assert.equal(
      w.log.unavailable('timeout', null),
      'No log excerpt: the API server did not answer in time.',
    );
    assert.equal(
      w.log.unavailable('no-pod', null),
      'No log excerpt: no Pod of the Job shows a failed container.',
    );
    assert.equal(w.log.unavailable('empty', null), 'No log excerpt: the container logged nothing.');
    assert.equal(
      w.log.unavailable('error', 'HTTP 500'),
      'No log excerpt: reading it failed (HTTP 500).',
    );
  });
});

describe('missed runs, in English', () => {
  const w = MISSED_WORDS.en;
  const DUE = [t('today at 1:45 AM')];
  const HOURLY = [t('due every hour')];

  it('labels and counts: one, many, the cap at 100', () => {
    assert.deepEqual(w.labels, {lastStarted: 'Last started', missedRuns: 'Missed runs'});
    assert.equal(w.neverStarted, 'never');
    assert.equal(w.missedRunsValue(3, false), '3');
    assert.equal(w.missedRunsValue(100, true), 'more than 100');
    assert.equal(w.missedRuns(1, false), '1 missed run');
    assert.equal(w.missedRuns(2, false), '2 missed runs');
    assert.equal(w.missedRuns(100, false), '100 missed runs');
    assert.equal(w.missedRuns(100, true), 'more than 100 missed runs');
  });

  it('the headline', () => {
    assert.equal(
      read(w.didNotStartLine('data/warehouse-load', DUE, HOURLY)),
      'data/warehouse-load did not start today at 1:45 AM (due every hour)',
    );
  });

  it('the closed headline and the thread reply, each ending', () => {
    assert.equal(
      w.endedLine('data/warehouse-load', 'started', '1h'),
      'data/warehouse-load runs again after 1h',
    );
    assert.equal(
      w.endedLine('data/warehouse-load', 'unknown', null),
      'data/warehouse-load runs again',
    );
    assert.equal(
      w.endedLine('data/warehouse-load', 'suspended', '1h'),
      'data/warehouse-load closed: the CronJob was suspended',
    );
    assert.equal(
      w.endedLine('data/warehouse-load', 'deleted', '1h'),
      'data/warehouse-load closed: the CronJob was deleted',
    );
    assert.equal(
      w.closingLine('started', '1h', '1 missed run'),
      'Runs resumed after 1h (1 missed run)',
    );
    assert.equal(w.closingLine('unknown', null, '3 missed runs'), 'Runs resumed (3 missed runs)');
    assert.equal(
      w.closingLine('suspended', '2h', 'more than 100 missed runs'),
      'Closed: the CronJob was suspended (more than 100 missed runs)',
    );
    assert.equal(
      w.closingLine('deleted', null, '2 missed runs'),
      'Closed: the CronJob was deleted (2 missed runs)',
    );
  });

  it('the closed opening’s story, each ending', () => {
    const story = (end: 'started' | 'suspended' | 'deleted' | 'unknown', resumed: boolean) =>
      read(
        w.storyLine({
          due: DUE,
          end,
          resumedDue: resumed ? [t('today at 2:45 AM')] : null,
          count: '1 missed run',
        }),
      );
    assert.equal(
      story('started', true),
      'Did not start today at 1:45 AM; the run due today at 2:45 AM started (1 missed run)',
    );
    assert.equal(story('started', false), 'Did not start today at 1:45 AM (1 missed run)');
    assert.equal(
      story('suspended', false),
      'Did not start today at 1:45 AM; then suspended (1 missed run)',
    );
    assert.equal(
      story('deleted', false),
      'Did not start today at 1:45 AM; then deleted (1 missed run)',
    );
    assert.equal(story('unknown', true), 'Did not start today at 1:45 AM (1 missed run)');
  });

  it('started late before anything was sent, and the reminder', () => {
    assert.equal(
      read(
        w.recoveredLine({
          cronJob: 'data/warehouse-load',
          due: DUE,
          duration: '20m',
          count: '1 missed run',
        }),
      ),
      'data/warehouse-load started late: due today at 1:45 AM, a run started after 20m (1 missed run)',
    );
    assert.equal(
      read(
        w.recoveredLine({
          cronJob: 'data/warehouse-load',
          due: DUE,
          duration: null,
          count: '2 missed runs',
        }),
      ),
      'data/warehouse-load started late: due today at 1:45 AM, a run started (2 missed runs)',
    );
    assert.equal(
      read(
        w.reminderLine({age: '1d', count: '24 missed runs', latestDue: [t('today at 0:45 AM')]}),
      ),
      'Still not running after 1d: 24 missed runs so far; the latest was due today at 0:45 AM',
    );
  });
});

describe('a Job running too long, in English', () => {
  const w = RUNNING_TOO_LONG_WORDS.en;
  const SINCE = [t('today at 2:00 AM')];
  const JOB_RTL = [c('cache-warmup-29540220')];

  it('labels and headlines', () => {
    assert.deepEqual(w.labels, {started: 'Started', limit: 'Limit', blockedRuns: 'Runs blocked'});
    assert.equal(
      w.stuckLine('ops/cache-warmup', '1h 20m', 'ImagePullBackOff'),
      'ops/cache-warmup stuck 1h 20m: ImagePullBackOff',
    );
    assert.equal(
      w.runningLine('ops/cache-warmup', '1h 20m', '1h'),
      'ops/cache-warmup running 1h 20m, over its 1h limit',
    );
    assert.equal(w.limit('1h', 'annotation'), '1h (cronjob-watcher/max-duration)');
    assert.equal(w.limit('1h', 'schedule'), '1h (one schedule period)');
  });

  it('a suspended Job: one blocked run, many, the cap', () => {
    assert.equal(
      w.suspendedLine('ops/backup', {job: 'backup-1100', blocked: 1, capped: false}),
      'ops/backup blocked: Job backup-1100 is suspended and has blocked 1 run',
    );
    assert.equal(
      w.suspendedLine('ops/backup', {job: 'backup-1100', blocked: 3, capped: false}),
      'ops/backup blocked: Job backup-1100 is suspended and has blocked 3 runs',
    );
    assert.equal(
      w.suspendedLine('ops/backup', {job: 'backup-1100', blocked: 100, capped: true}),
      'ops/backup blocked: Job backup-1100 is suspended and has blocked more than 100 runs',
    );
  });

  it('the closed headline and each outcome', () => {
    assert.equal(
      w.endedLine('ops/cache-warmup', 'succeeded', '2h 10m'),
      'ops/cache-warmup finished after 2h 10m',
    );
    assert.equal(w.endedLine('ops/cache-warmup', 'unknown', null), 'ops/cache-warmup finished');
    assert.equal(
      w.endedLine('ops/cache-warmup', 'deleted', '2h'),
      'ops/cache-warmup closed: the CronJob was deleted',
    );
    const outcome = (
      o: 'succeeded' | 'failed' | 'gone' | 'deleted' | 'unknown',
      ran: string | null,
      reason: string | null,
    ) => read(w.outcomeLine({job: JOB_RTL, ran, outcome: o, reason}));
    assert.equal(
      outcome('succeeded', '2h 10m', null),
      '`cache-warmup-29540220` succeeded after 2h 10m',
    );
    assert.equal(outcome('succeeded', null, null), '`cache-warmup-29540220` succeeded');
    assert.equal(
      outcome('failed', '2h', 'DeadlineExceeded'),
      '`cache-warmup-29540220` failed after 2h: DeadlineExceeded',
    );
    assert.equal(outcome('failed', null, null), '`cache-warmup-29540220` failed: unknown reason');
    assert.equal(outcome('gone', '3h', null), '`cache-warmup-29540220` was deleted after 3h');
    assert.equal(outcome('gone', null, null), '`cache-warmup-29540220` was deleted');
    assert.equal(outcome('deleted', '3h', null), 'the CronJob was deleted');
    assert.equal(outcome('unknown', '3h', null), '`cache-warmup-29540220` no longer runs');
  });

  it('since when, the story, the reminder', () => {
    assert.equal(read(w.sinceLine(SINCE, null)), 'Running since today at 2:00 AM');
    assert.equal(
      read(w.sinceLine(SINCE, 'ImagePullBackOff')),
      'Stuck since today at 2:00 AM: ImagePullBackOff',
    );
    assert.equal(w.storyJoin, '; ');
    assert.equal(
      read(w.recoveredLine('ops/cache-warmup', [t('running since 2:00 AM')], [t('it succeeded')])),
      'ops/cache-warmup ran too long (running since 2:00 AM), then it succeeded',
    );
    assert.equal(
      w.reminderLine('backup-28999', '1d 2h'),
      'Still running: backup-28999 has run for 1d 2h',
    );
  });
});

describe('a run slower than usual, in English', () => {
  const w = SLOWER_THAN_USUAL_WORDS.en;
  const JOB_S = [c('load-29540220')];

  it('every sentence', () => {
    assert.deepEqual(w.labels, {
      started: 'Started',
      usual: 'Usually takes',
      slowAfter: 'Slow after',
    });
    assert.equal(w.runningLine('etl/load', '47m', '12m'), 'etl/load running 47m, usually 12m');
    assert.equal(
      w.endedLine('etl/load', 'succeeded', '52m', '12m'),
      'etl/load finished after 52m (usually 12m)',
    );
    assert.equal(w.endedLine('etl/load', 'gone', null, '12m'), 'etl/load finished (usually 12m)');
    assert.equal(
      w.endedLine('etl/load', 'deleted', '52m', '12m'),
      'etl/load closed: the CronJob was deleted',
    );
    const outcome = (
      o: 'succeeded' | 'failed' | 'gone' | 'deleted' | 'unknown',
      ran: string | null,
      reason: string | null,
    ) => read(w.outcomeLine({job: JOB_S, ran, usual: '12m', outcome: o, reason}));
    assert.equal(outcome('succeeded', '52m', null), '`load-29540220` succeeded after 52m');
    assert.equal(outcome('succeeded', null, null), '`load-29540220` succeeded');
    assert.equal(
      outcome('failed', '52m', 'Error (exit 2)'),
      '`load-29540220` failed after 52m: Error (exit 2)',
    );
    assert.equal(outcome('failed', null, null), '`load-29540220` failed: unknown reason');
    assert.equal(outcome('gone', '1h', null), '`load-29540220` was deleted after 1h');
    assert.equal(outcome('gone', null, null), '`load-29540220` was deleted');
    assert.equal(outcome('deleted', '1h', null), 'the CronJob was deleted');
    assert.equal(outcome('unknown', '1h', null), '`load-29540220` no longer runs');
    assert.equal(
      read(w.sinceLine([t('today at 2:00 AM')], '12m')),
      'Running since today at 2:00 AM, usually 12m',
    );
    assert.equal(w.storyJoin, '; ');
    assert.equal(
      read(w.recoveredLine('etl/load', [t('since 2:00 AM')], [t('it succeeded')])),
      'etl/load ran slower than usual (since 2:00 AM), then it succeeded',
    );
    assert.equal(
      w.reminderLine('load-2954', '5h', '20m'),
      'Still running: load-2954 has run for 5h (usually 20m)',
    );
  });
});

describe('runs that finished too fast, in English', () => {
  const w = FINISHED_TOO_FAST_WORDS.en;
  const LEARNED = {took: '8s', usual: '4m 12s', floor: '1m 15s'};
  const FLOOR = {took: '8s', usual: null, floor: '30s'};
  const JOB_F = [c('load-29540220')];

  it('labels, the headline, the question, the floor', () => {
    assert.deepEqual(w.labels, {
      finished: 'Finished',
      floor: 'Too fast under',
      fastRuns: 'Runs too fast',
    });
    assert.equal(w.fastLine('etl/load', LEARNED), 'etl/load finished in 8s, usually 4m 12s');
    assert.equal(w.fastLine('etl/load', FLOOR), 'etl/load finished in 8s, under 30s');
    assert.equal(w.question, 'Did it do its work?');
    assert.equal(w.floor('1m 15s', 'learned'), '1m 15s (0.3 × the usual time)');
    assert.equal(w.floor('30s', 'annotation'), '30s (cronjob-watcher/min-duration)');
  });

  it('closed, the story (one fast run, many), what closed it', () => {
    assert.equal(w.closedLine('etl/load', 'usual'), 'etl/load runs its usual length again');
    assert.equal(w.closedLine('etl/load', 'unknown'), 'etl/load runs its usual length again');
    assert.equal(w.closedLine('etl/load', 'deleted'), 'etl/load closed: the CronJob was deleted');
    assert.equal(
      read(w.storyLine(JOB_F, LEARNED, 1)),
      '`load-29540220` finished in 8s, usually 4m 12s',
    );
    assert.equal(
      read(w.storyLine(JOB_F, FLOOR, 2)),
      '`load-29540220` finished in 8s, under 30s (2 runs too fast)',
    );
    assert.equal(w.storyJoin, '; ');
    assert.equal(
      read(w.endLine({job: [c('load-29540400')], took: '4m 5s', end: 'usual'})),
      '`load-29540400` took 4m 5s',
    );
    assert.equal(
      read(w.endLine({job: [c('load-29540400')], took: null, end: 'usual'})),
      '`load-29540400` took its usual time',
    );
    assert.equal(
      read(w.endLine({job: null, took: null, end: 'usual'})),
      'a run of usual length followed',
    );
    assert.equal(
      read(w.endLine({job: JOB_F, took: '4m', end: 'deleted'})),
      'the CronJob was deleted',
    );
    assert.equal(read(w.endLine({job: JOB_F, took: '4m', end: 'unknown'})), 'closed');
  });

  it('too fast then usual before anything was sent, and the reminder', () => {
    assert.equal(
      read(w.recoveredLine('etl/load', LEARNED, [t('`load-2` took 4m')])),
      'etl/load finished too fast (8s, usually 4m 12s), then `load-2` took 4m',
    );
    assert.equal(
      w.reminderLine('1d', 1),
      'Still finishing too fast after 1d: 1 run in a row so far',
    );
    assert.equal(
      w.reminderLine('1d', 3),
      'Still finishing too fast after 1d: 3 runs in a row so far',
    );
  });
});

describe('an unreadable cluster, in English', () => {
  const w = CLUSTER_UNREADABLE_WORDS.en;

  it('every problem, with and without a status, and its fix', () => {
    const cases: Array<[ReadProblem, string | null, string, string | null]> = [
      [
        {type: 'forbidden', verb: 'list', resource: 'cronjobs'},
        '403',
        '403: cannot list cronjobs',
        'apply infra/k8s/rbac.yaml',
      ],
      [
        {type: 'forbidden', verb: null, resource: null},
        null,
        'cannot read the cluster',
        'apply infra/k8s/rbac.yaml',
      ],
      [
        {type: 'unauthorized'},
        '401',
        '401: credentials rejected',
        "check the watcher's service account or kubeconfig credentials",
      ],
      [
        {type: 'unauthorized'},
        null,
        'credentials rejected',
        "check the watcher's service account or kubeconfig credentials",
      ],
      [
        {type: 'not-found'},
        '404',
        '404: no CronJob API at this address',
        'check the server address',
      ],
      [
        {type: 'unreachable'},
        'ECONNREFUSED',
        'API server unreachable',
        'check the endpoint and the network path (authorized networks, firewall)',
      ],
      [
        {type: 'timeout'},
        null,
        'API server did not answer in time',
        'check the endpoint and the network path (authorized networks, firewall)',
      ],
      [
        {type: 'tls'},
        'CERT_HAS_EXPIRED',
        "API server's certificate did not verify",
        'check the cluster CA (or use the DNS-based endpoint)',
      ],
      [{type: 'config'}, 'config', 'cluster configuration is wrong', 'fix the setting named below'],
      [{type: 'server'}, '500', '500: API server error', null],
      [{type: 'server'}, null, 'API server error', null],
    ];
    for (const [problem, status, says, fix] of cases) {
      assert.equal(w.problem(problem, status), says);
      assert.equal(w.fix(problem), fix);
    }
  });

  it('the other sentences: one failed read and many', () => {
    assert.deepEqual(w.labels, {since: 'Unreadable since', failedReads: 'Failed reads'});
    assert.equal(w.failedReads(1), '1 failed read');
    assert.equal(w.failedReads(3), '3 failed reads');
    assert.equal(w.blind('prod-eu'), 'No CronJob alerts from prod-eu');
    assert.equal(w.cannotRead, 'the watcher cannot read it');
    assert.equal(w.errorTitle, 'What the watcher got');
    assert.equal(w.endedLine('prod-eu', '12m'), 'prod-eu readable again after 12m');
    assert.equal(w.endedLine('prod-eu', null), 'prod-eu readable again');
    assert.equal(
      w.closingLine('12m', '3 failed reads'),
      'Readable again after 12m (3 failed reads)',
    );
    assert.equal(w.closingLine(null, '1 failed read'), 'Readable again (1 failed read)');
    assert.equal(
      read(w.storyLine([t('today at 1:00 AM')], '403: cannot list cronjobs', '3 failed reads')),
      'Unreadable from today at 1:00 AM: 403: cannot list cronjobs (3 failed reads); CronJob alerts resume with the next pass.',
    );
    assert.equal(
      w.reminderLine('1d', '288 failed reads', 'API server unreachable'),
      'Still unreadable after 1d: 288 failed reads so far; latest: API server unreachable',
    );
  });
});

describe('the digest, in English', () => {
  const w = DIGEST_WORDS.en;

  it('the title: no incident, one, many', () => {
    assert.equal(w.title('2026-03-03', 0), 'Daily digest, 2026-03-03: 0 incidents open');
    assert.equal(w.title('2026-03-03', 1), 'Daily digest, 2026-03-03: 1 incident open');
    assert.equal(w.title('2026-03-03', 2), 'Daily digest, 2026-03-03: 2 incidents open');
  });

  it('kinds and sections', () => {
    assert.deepEqual(w.kinds, {
      failing: 'failing',
      missed: 'missed runs',
      'running-too-long': 'running too long',
      'cluster-unreadable': 'cluster unreadable',
      'slower-than-usual': 'slower than usual',
      'finished-too-fast': 'finished too fast',
    });
    assert.equal(w.sections.open(2), 'Open now (2)');
    assert.equal(w.sections.opened(1), 'Opened in the last 24 hours (1)');
    assert.equal(w.sections.closed(4), 'Closed in the last 24 hours (4)');
    assert.equal(w.sections.flapping(1), 'Flapping: 3 or more incidents in 7 days (1)');
    assert.equal(w.sections.successShare, 'Successful runs over 7 days, by namespace');
  });

  it('the lines', () => {
    assert.equal(w.successLine(92, 23, 25), '92% (23 of 25 runs)');
    assert.equal(w.successLine(100, 1, 1), '100% (1 of 1 run)');
    assert.equal(
      plainOf(w.openLine('failing', '2d 3h', true, null)),
      'failing, open for 2d 3h, acknowledged',
    );
    assert.equal(
      plainOf(w.openLine('missed runs', '5h', false, null)),
      'missed runs, open for 5h, not acknowledged',
    );
    // A snooze that lasts stands for "not acknowledged" and says until when.
    assert.equal(
      plainOf(w.openLine('failing', '5h', false, [t('Mar 2, 14:00 UTC')])),
      'failing, open for 5h, snoozed until Mar 2, 14:00 UTC',
    );
    assert.equal(
      plainOf(w.openLine('failing', '5h', true, 'recovery')),
      'failing, open for 5h, acknowledged, snoozed until it recovers',
    );
    assert.equal(w.openedLine('failing'), 'failing, opened ');
    assert.equal(w.closedLine('failing', '2h 5m'), 'failing, closed after 2h 5m');
    assert.equal(w.closedLine('failing', null), 'failing, closed');
    assert.equal(w.flappingLine(4), '4 incidents in 7 days');
    assert.equal(w.more(4), 'and 4 more');
    assert.equal(w.none, 'none');
  });
});
