/**
 * The messages about a run slower than usual and about runs that finished too fast, branch by
 * branch, where mutation testing (test/mutation/README.md) found them unpinned: the headline,
 * the fields, each ending, the reminders. Expected lines are the English words of the slices'
 * words.ts and messages/words-en.ts, written out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {FinishedTooFastIncident} from '../../functions/core/detections/finished-too-fast/incident.js';
import type {SlowerThanUsualIncident} from '../../functions/core/detections/slower-than-usual/incident.js';
import type {Ending} from '../../functions/core/incident.js';
import type {Message} from '../../functions/core/messages/model.js';
import {plainOf} from '../../functions/core/messages/pieces.js';
import {FIXING_RUN} from '../support/notification-fixtures.js';
import {closing, field, post, recovered, reminder, title} from '../support/built-messages.js';

const logsRange = (m: Message) => {
  const logs = m.actions.find(a => a.id === 'logs');
  return logs?.type === 'link' ? /;timeRange=([^?]*)/.exec(logs.url)?.[1] : undefined;
};

const SLOW: SlowerThanUsualIncident = {
  kind: 'slower-than-usual',
  id: 'slower-than-usual:ju',
  job: 'backup-1',
  jobUid: 'ju',
  manual: false,
  startedAt: '2024-05-01T10:00:00Z',
  usualMs: 12 * 60_000,
  limitMs: 36 * 60_000,
  openedAt: '2024-05-01T10:36:00Z',
  closedAt: null,
  ending: null,
};

describe('a run slower than usual', () => {
  it('the opening: headline, fields, commands, logs around its start', () => {
    const m = post(SLOW);
    assert.equal(title(m), '🐢 batch/backup running 2h 6m, usually 12m · prod-eu');
    assert.deepEqual(m.fields.map(field), [
      'Job: backup-1',
      'Started: May 1, 10:00 UTC',
      'Usually takes: 12m',
      'Slow after: 36m',
    ]);
    assert.deepEqual(m.commands, [
      'kubectl -n batch describe job/backup-1',
      'kubectl -n batch logs job/backup-1',
    ]);
    assert.equal(logsRange(m), '2024-04-30T10%3A00%3A00Z%2F2024-05-01T10%3A10%3A00Z');
  });
  it('an unreadable start', () =>
    assert.equal(
      title(post({...SLOW, startedAt: 'x'})),
      '🐢 batch/backup running unknown, usually 12m · prod-eu',
    ));

  const AT = '2024-05-01T12:25:00Z';
  const finished = (succeeded: boolean, reason: string | null): Ending => ({
    type: 'finished',
    at: AT,
    succeeded,
    run: {...FIXING_RUN, job: 'backup-1', reason},
  });
  const ended = (ending: Ending | null) => closing({...SLOW, closedAt: AT, ending});
  const since = 'Running since May 1, 10:00 UTC, usually 12m';
  it('finished well', () =>
    assert.deepEqual(ended(finished(true, null)), {
      title: '✅ batch/backup finished after 2h 25m (usually 12m) · prod-eu',
      lead: `${since}; backup-1 succeeded after 2h 25m`,
      reply: '✅ backup-1 succeeded after 2h 25m',
    }));
  it('failed', () => {
    assert.deepEqual(ended(finished(false, 'Err')), {
      title: '✅ batch/backup finished after 2h 25m (usually 12m) · prod-eu',
      lead: `${since}; backup-1 failed after 2h 25m: Err`,
      reply: '🔴 backup-1 failed after 2h 25m: Err',
    });
    assert.equal(
      ended(finished(false, null)).reply,
      '🔴 backup-1 failed after 2h 25m: unknown reason',
    );
  });
  it('its Job deleted', () =>
    assert.equal(ended({type: 'job-gone', at: AT}).reply, '✅ backup-1 was deleted after 2h 25m'));
  it('its CronJob deleted', () =>
    assert.deepEqual(ended({type: 'cronjob-deleted', at: AT}), {
      title: '✅ batch/backup closed: the CronJob was deleted · prod-eu',
      lead: `${since}; the CronJob was deleted`,
      reply: '✅ the CronJob was deleted',
    }));
  it('nothing known of how', () =>
    assert.deepEqual(ended(null), {
      title: '✅ batch/backup finished (usually 12m) · prod-eu',
      lead: `${since}; backup-1 no longer runs`,
      reply: '✅ backup-1 no longer runs',
    }));
  it('finished before anything was sent', () =>
    assert.equal(
      recovered({...SLOW, closedAt: AT, ending: finished(true, null)}),
      `🟡 batch/backup ran slower than usual (${since}), then backup-1 succeeded after 2h 25m · prod-eu`,
    ));
  it('reminders', () => {
    assert.equal(reminder(SLOW), '⚠️ Still running: backup-1 has run for 2h 6m (usually 12m)');
    assert.equal(
      reminder(SLOW, '2024-05-01T09:00:00Z'),
      '⚠️ Still running: backup-1 has run for 0s (usually 12m)',
    );
    assert.equal(
      reminder({...SLOW, startedAt: 'x'}),
      '⚠️ Still running: backup-1 has run for unknown (usually 12m)',
    );
    assert.equal(
      reminder(SLOW, 'x'),
      '⚠️ Still running: backup-1 has run for unknown (usually 12m)',
    );
  });
});

const FAST: FinishedTooFastIncident = {
  kind: 'finished-too-fast',
  id: 'finished-too-fast:ju',
  job: 'load-1',
  jobUid: 'ju',
  manual: false,
  durationMs: 8_000,
  usualMs: 252_000,
  floorMs: 75_600,
  floorFrom: 'learned',
  fastRuns: 1,
  openedAt: '2024-05-01T10:00:00Z',
  closedAt: null,
  ending: null,
};

describe('runs that finished too fast', () => {
  it('the opening: headline, the question, fields, the logs command', () => {
    const m = post(FAST);
    assert.equal(title(m), '⚠️ batch/backup finished in 8s, usually 4m 12s · prod-eu');
    assert.equal(m.lead === null ? null : plainOf(m.lead), 'Did it do its work?');
    assert.deepEqual(m.fields.map(field), [
      'Job: load-1',
      'Finished: May 1, 10:00 UTC',
      'Too fast under: 1m 15s (0.3 × the usual time)',
    ]);
    assert.deepEqual(m.commands, ['kubectl -n batch logs job/load-1']);
    assert.equal(logsRange(m), '2024-04-30T10%3A00%3A00Z%2F2024-05-01T10%3A10%3A00Z');
  });
  it('no usual time, a floor from the annotation, several runs', () => {
    const m = post({...FAST, usualMs: null, floorFrom: 'annotation', fastRuns: 2});
    assert.equal(title(m), '⚠️ batch/backup finished in 8s, under 1m 15s · prod-eu');
    assert.deepEqual(m.fields.map(field).slice(2), [
      'Too fast under: 1m 15s (cronjob-watcher/min-duration)',
      'Runs too fast: 2',
    ]);
  });

  const AT = '2024-05-01T11:00:00Z';
  const usual: Ending = {type: 'succeeded', at: AT, run: {...FIXING_RUN, job: 'load-2'}};
  const ended = (ending: Ending | null, more: Partial<FinishedTooFastIncident> = {}) =>
    closing({...FAST, closedAt: AT, ending, ...more});
  it('a run of usual length', () =>
    assert.deepEqual(ended(usual, {closedByMs: 245_000}), {
      title: '✅ batch/backup runs its usual length again · prod-eu',
      lead: 'load-1 finished in 8s, usually 4m 12s; load-2 (manual run) took 4m 5s',
      reply: '✅ load-2 (manual run) took 4m 5s',
    }));
  it('a run of usual length, its time not kept; three fast runs', () =>
    assert.deepEqual(ended(usual, {fastRuns: 3}), {
      title: '✅ batch/backup runs its usual length again · prod-eu',
      lead: 'load-1 finished in 8s, usually 4m 12s (3 runs too fast); load-2 (manual run) took its usual time',
      reply: '✅ load-2 (manual run) took its usual time',
    }));
  it('its CronJob deleted', () =>
    assert.deepEqual(ended({type: 'cronjob-deleted', at: AT}), {
      title: '✅ batch/backup closed: the CronJob was deleted · prod-eu',
      lead: 'load-1 finished in 8s, usually 4m 12s; the CronJob was deleted',
      reply: '✅ the CronJob was deleted',
    }));
  it('nothing known of how', () =>
    assert.deepEqual(ended({type: 'succeeded-job-gone', at: AT}), {
      title: '✅ batch/backup runs its usual length again · prod-eu',
      lead: 'load-1 finished in 8s, usually 4m 12s; closed',
      reply: '✅ closed',
    }));
  it('too fast, then a usual run before anything was sent', () =>
    assert.equal(
      recovered({...FAST, closedAt: AT, ending: usual, closedByMs: 245_000}),
      '🟡 batch/backup finished too fast (8s, usually 4m 12s), then load-2 (manual run) took 4m 5s · prod-eu',
    ));
  it('reminders', () => {
    assert.equal(reminder(FAST), '⚠️ Still finishing too fast after 2h 6m: 1 run in a row so far');
    assert.equal(
      reminder({...FAST, fastRuns: 3}),
      '⚠️ Still finishing too fast after 2h 6m: 3 runs in a row so far',
    );
  });
});
