/**
 * The messages about a Job running too long and about due times that did not start, branch by
 * branch, where mutation testing (test/mutation/README.md) found them unpinned: which headline,
 * the fields, each way the incident ends, the counts at the 100-run cap, reminders with
 * unreadable times. Expected lines are the English words of the slices' words.ts and
 * messages/words-en.ts, written out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {MissedIncident} from '../../functions/core/detections/missed/incident.js';
import type {RunningTooLongIncident} from '../../functions/core/detections/running-too-long/incident.js';
import type {Ending} from '../../functions/core/incident.js';
import {FIXING_RUN} from '../support/notification-fixtures.js';
import {closing, field, post, recovered, reminder, title} from '../support/built-messages.js';

const STUCK: RunningTooLongIncident = {
  kind: 'running-too-long',
  id: 'running-too-long:ju',
  job: 'backup-1',
  jobUid: 'ju',
  manual: false,
  startedAt: '2024-05-01T10:00:00Z',
  openedAt: '2024-05-01T11:00:00Z',
  limitMs: 3_600_000,
  limitFrom: 'schedule',
  podDetail: null,
  blockedRuns: 0,
  closedAt: null,
  ending: null,
};
const PULL = 'container main: ImagePullBackOff (Back-off pulling image "x")';

describe('a Job running too long: the opening', () => {
  const headlines: Array<[Partial<RunningTooLongIncident>, string, string]> = [
    [{}, 'batch/backup running 2h 6m, over its 1h limit', 'running, nothing said'],
    [{podDetail: PULL}, 'batch/backup stuck 2h 6m: ImagePullBackOff', 'its Pods say why'],
    [{startedAt: 'x'}, 'batch/backup running unknown, over its 1h limit', 'an unreadable start'],
    [
      {suspended: true, blockedRuns: 0},
      'batch/backup blocked: Job backup-1 is suspended, so no run can start until it is resumed or deleted',
      'suspended before its first due time: nothing blocked yet',
    ],
    [
      {suspended: true, blockedRuns: 1},
      'batch/backup blocked: Job backup-1 is suspended and has blocked 1 run',
      'suspended, one run blocked',
    ],
    [
      {suspended: true, blockedRuns: 100, podDetail: PULL},
      'batch/backup blocked: Job backup-1 is suspended and has blocked 100 runs',
      'suspended, 100 runs blocked (the Pods do not matter)',
    ],
    [
      {suspended: true, blockedRuns: 101},
      'batch/backup blocked: Job backup-1 is suspended and has blocked more than 100 runs',
      'suspended, at the cap',
    ],
  ];
  for (const [more, line, why] of headlines) {
    it(`headline: ${why}`, () =>
      assert.equal(title(post({...STUCK, ...more})), `🐢 ${line} · prod-eu`));
  }
  it('fields, details, commands, buttons', () => {
    const m = post({...STUCK, podDetail: PULL});
    assert.deepEqual(m.fields.map(field), [
      'Job: backup-1',
      'Started: May 1, 10:00 UTC',
      'Limit: 1h (one schedule period)',
    ]);
    assert.deepEqual(m.details.map(field), [
      'Container main: ImagePullBackOff (Back-off pulling image "x")',
    ]);
    assert.deepEqual(m.commands, [
      'kubectl -n batch describe job/backup-1',
      'kubectl -n batch logs job/backup-1',
    ]);
    const logs = m.actions.find(a => a.id === 'logs');
    assert.ok(logs?.type === 'link');
    // The logs around its start: a day before to ten minutes after.
    assert.ok(
      logs.url.includes(';timeRange=2024-04-30T10%3A00%3A00Z%2F2024-05-01T10%3A10%3A00Z'),
      logs.url,
    );
    assert.deepEqual(
      m.actions.map(a => a.id),
      ['acknowledge', 'snooze', 'logs', 'console'],
    );
  });
  it('a manual run, a limit from the annotation, runs blocked', () => {
    assert.deepEqual(
      post({...STUCK, manual: true, limitFrom: 'annotation', blockedRuns: 2}).fields.map(field),
      [
        'Job: backup-1 (manual run)',
        'Started: May 1, 10:00 UTC',
        'Limit: 1h (cronjob-watcher/max-duration)',
        'Runs blocked: 2',
      ],
    );
  });
});

describe('a Job running too long: how it ended', () => {
  const AT = '2024-05-01T12:25:00Z';
  const finished = (succeeded: boolean, reason: string | null): Ending => ({
    type: 'finished',
    at: AT,
    succeeded,
    run: {...FIXING_RUN, job: 'backup-1', reason},
  });
  const ended = (ending: Ending | null, more: Partial<RunningTooLongIncident> = {}) =>
    closing({...STUCK, closedAt: AT, ending, ...more});
  it('succeeded', () =>
    assert.deepEqual(ended(finished(true, null)), {
      title: '✅ batch/backup finished after 2h 25m · prod-eu',
      lead: 'Running since May 1, 10:00 UTC; backup-1 succeeded after 2h 25m',
      reply: '✅ backup-1 succeeded after 2h 25m',
    }));
  it('failed, with its reason; the reply is marked failed', () =>
    assert.deepEqual(ended(finished(false, 'DeadlineExceeded'), {podDetail: PULL}), {
      title: '✅ batch/backup finished after 2h 25m · prod-eu',
      lead: 'Stuck since May 1, 10:00 UTC: ImagePullBackOff; backup-1 failed after 2h 25m: DeadlineExceeded',
      reply: '🔴 backup-1 failed after 2h 25m: DeadlineExceeded',
    }));
  it('failed, no reason', () =>
    assert.equal(
      ended(finished(false, null)).reply,
      '🔴 backup-1 failed after 2h 25m: unknown reason',
    ));
  it('its Job was deleted', () =>
    assert.deepEqual(ended({type: 'job-gone', at: AT}), {
      title: '✅ batch/backup finished after 2h 25m · prod-eu',
      lead: 'Running since May 1, 10:00 UTC; backup-1 was deleted after 2h 25m',
      reply: '✅ backup-1 was deleted after 2h 25m',
    }));
  it('its CronJob was deleted', () =>
    assert.deepEqual(ended({type: 'cronjob-deleted', at: AT}), {
      title: '✅ batch/backup closed: the CronJob was deleted · prod-eu',
      lead: 'Running since May 1, 10:00 UTC; the CronJob was deleted',
      reply: '✅ the CronJob was deleted',
    }));
  it('nothing known of how', () =>
    assert.deepEqual(ended(null), {
      title: '✅ batch/backup finished · prod-eu',
      lead: 'Running since May 1, 10:00 UTC; backup-1 no longer runs',
      reply: '✅ backup-1 no longer runs',
    }));
  it('ran too long and finished before anything was sent', () =>
    assert.equal(
      recovered({...STUCK, closedAt: AT, ending: finished(true, null), podDetail: PULL}),
      '🟡 batch/backup ran too long (Stuck since May 1, 10:00 UTC: ImagePullBackOff), then backup-1 succeeded after 2h 25m · prod-eu',
    ));
  it('reminders: how long it has run, never less than nothing', () => {
    assert.equal(reminder(STUCK), '🐢 Still running: backup-1 has run for 2h 6m');
    assert.equal(
      reminder(STUCK, '2024-05-01T09:00:00Z'),
      '🐢 Still running: backup-1 has run for 0s',
    );
    assert.equal(
      reminder({...STUCK, startedAt: 'x'}),
      '🐢 Still running: backup-1 has run for unknown',
    );
    assert.equal(reminder(STUCK, 'x'), '🐢 Still running: backup-1 has run for unknown');
  });
});

const MISSED: MissedIncident = {
  kind: 'missed',
  id: 'missed:u',
  schedule: '0 * * * *',
  timeZone: 'Etc/UTC',
  firstDueAt: '2024-05-01T10:00:00Z',
  latestDueAt: '2024-05-01T12:00:00Z',
  missedRuns: 3,
  lastStartedAt: '2024-05-01T09:00:00Z',
  openedAt: '2024-05-01T10:00:00Z',
  closedAt: null,
  ending: null,
};

describe('due times that did not start: the opening', () => {
  it('headline, fields, commands, buttons', () => {
    const m = post(MISSED);
    assert.equal(
      title(m),
      '⏰ batch/backup did not start May 1, 10:00 UTC (due every hour) · prod-eu',
    );
    assert.deepEqual(m.fields.map(field), [
      'Last started: May 1, 09:00 UTC',
      'Next run: May 1, 13:00 UTC',
      'Missed runs: 3',
    ]);
    assert.deepEqual(m.commands, [
      'kubectl -n batch get events --field-selector=involvedObject.name=backup',
      'kubectl -n batch create job --from=cronjob/backup backup-manual-$(date +%s)',
    ]);
    assert.deepEqual(
      m.actions.map(a => a.id),
      ['acknowledge', 'snooze', 'console'],
    );
  });
  const counts: Array<[number, string[]]> = [
    [1, []],
    [2, ['Missed runs: 2']],
    [100, ['Missed runs: 100']],
    [101, ['Missed runs: more than 100']],
  ];
  for (const [missedRuns, want] of counts) {
    it(`${missedRuns} missed`, () =>
      assert.deepEqual(
        post({...MISSED, missedRuns})
          .fields.slice(2)
          .map(field),
        want,
      ));
  }
  it('never started; in another zone', () => {
    const m = post({...MISSED, lastStartedAt: null, schedule: '0 9 * * *', timeZone: 'Asia/Tokyo'});
    assert.equal(
      title(m),
      '⏰ batch/backup did not start May 1, 10:00 UTC (due every day at 09:00 Asia/Tokyo) · prod-eu',
    );
    assert.deepEqual(m.fields.map(field).slice(0, 2), [
      'Last started: never',
      'Next run: May 2, 00:00 UTC',
    ]);
  });
  it('a schedule without short words, or unreadable: as written, no next run', () => {
    const m = post({...MISSED, schedule: 'not a schedule'});
    assert.equal(
      title(m),
      '⏰ batch/backup did not start May 1, 10:00 UTC (schedule not a schedule) · prod-eu',
    );
    assert.deepEqual(m.fields.map(field), ['Last started: May 1, 09:00 UTC', 'Missed runs: 3']);
  });
});

describe('due times that did not start: how it ended', () => {
  const AT = '2024-05-01T13:00:30Z';
  const ended = (ending: Ending | null, missedRuns = 3) =>
    closing({...MISSED, closedAt: AT, ending, missedRuns});
  it('a run started', () =>
    assert.deepEqual(ended({type: 'started', at: '2024-05-01T13:00:00Z'}), {
      title: '✅ batch/backup runs again after 3h · prod-eu',
      lead: 'Did not start May 1, 10:00 UTC; the run due May 1, 13:00 UTC started (3 missed runs)',
      reply: '✅ Runs resumed after 3h (3 missed runs)',
    }));
  it('suspended', () =>
    assert.deepEqual(ended({type: 'suspended', at: AT}), {
      title: '✅ batch/backup closed: the CronJob was suspended · prod-eu',
      lead: 'Did not start May 1, 10:00 UTC; then suspended (3 missed runs)',
      reply: '✅ Closed: the CronJob was suspended (3 missed runs)',
    }));
  it('deleted', () =>
    assert.deepEqual(ended({type: 'cronjob-deleted', at: AT}), {
      title: '✅ batch/backup closed: the CronJob was deleted · prod-eu',
      lead: 'Did not start May 1, 10:00 UTC; then deleted (3 missed runs)',
      reply: '✅ Closed: the CronJob was deleted (3 missed runs)',
    }));
  it('nothing known of how', () =>
    assert.deepEqual(ended({type: 'readable-again', at: AT}), {
      title: '✅ batch/backup runs again after 3h · prod-eu',
      lead: 'Did not start May 1, 10:00 UTC (3 missed runs)',
      reply: '✅ Runs resumed after 3h (3 missed runs)',
    }));
  const counts: Array<[number, string]> = [
    [1, '1 missed run'],
    [100, '100 missed runs'],
    [101, 'more than 100 missed runs'],
  ];
  for (const [n, words] of counts) {
    it(`the count: ${words}`, () =>
      assert.equal(
        ended({type: 'suspended', at: AT}, n).reply,
        `✅ Closed: the CronJob was suspended (${words})`,
      ));
  }
  it('started late, before anything was sent', () =>
    assert.equal(
      recovered({...MISSED, closedAt: AT, ending: {type: 'started', at: '2024-05-01T13:00:00Z'}}),
      '🟡 batch/backup started late: due May 1, 10:00 UTC, a run started after 3h (3 missed runs) · prod-eu',
    ));
  it('reminder', () =>
    assert.equal(
      reminder(MISSED),
      '⏰ Still not running after 2h 6m: 3 missed runs so far; the latest was due May 1, 12:00 UTC',
    ));
});
