/**
 * The failing streak's messages, branch by branch, where mutation testing
 * (test/mutation/README.md) found them unpinned: which cause leads the headline, what the card
 * adds (the reason it hides, the other Pods, the quoted message, a deleted Job), the fields,
 * the story of a Job that ran too long first, the log excerpt's notes, and each way a streak
 * ends. Expected lines are the English words of detections/failing/words.ts and
 * messages/words-en.ts, written out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {Ending, FailingIncident, RunRef} from '../../functions/core/incident.js';
import {buildMessages} from '../../functions/core/messages/build.js';
import type {
  Field,
  Message,
  MessageContext,
  NotificationMessages,
} from '../../functions/core/messages/model.js';
import {plainOf} from '../../functions/core/messages/pieces.js';
import {
  CLOSED_INCIDENT,
  context,
  notification,
  OPEN_INCIDENT,
  OPENING_RUN,
} from '../support/notification-fixtures.js';

const RUN: RunRef = {...OPENING_RUN, reason: null, message: null, detail: null};

function build(
  kind: 'opened' | 'closed' | 'recovered' | 'reminder',
  incident: FailingIncident,
  ctx: MessageContext = context(),
): NotificationMessages {
  return buildMessages(notification(kind, incident), ctx);
}
function opened(incident: FailingIncident, ctx?: MessageContext) {
  const m = build('opened', incident, ctx);
  assert.ok(m.kind === 'opened');
  return m;
}
function failedWith(run: RunRef, more: Partial<FailingIncident> = {}): Message {
  return opened({...OPEN_INCIDENT, openedBy: run, latestFailure: run, ...more}).post;
}
const title = (m: Message) => (m.title === null ? '' : plainOf(m.title));
const field = (f: Field | null) => (f === null ? null : `${f.label}: ${plainOf(f.value)}`);
const why = (m: Message) => ({
  reason: field(m.reason),
  details: m.details.map(field),
  quote: m.quote,
});

describe('the headline names the cause', () => {
  const oom = 'container main: OOMKilled (exit 137)';
  const cases: Array<[Partial<RunRef>, string, string]> = [
    [{reason: 'BackoffLimitExceeded', detail: oom}, 'OOMKilled (exit 137)', 'the Job gave up'],
    [{reason: 'PodFailurePolicy', detail: oom}, 'OOMKilled (exit 137)', 'a Pod failure policy'],
    [{reason: 'MaxFailedIndexesExceeded', detail: oom}, 'OOMKilled (exit 137)', 'failed indexes'],
    [{reason: 'FailedIndexes', detail: oom}, 'OOMKilled (exit 137)', 'failed indexes'],
    [{reason: null, detail: oom}, 'OOMKilled (exit 137)', 'no reason: the Pods say'],
    [{reason: 'DeadlineExceeded', detail: oom}, 'DeadlineExceeded', 'a reason of its own'],
    [{reason: 'BackoffLimitExceeded', detail: null}, 'BackoffLimitExceeded', 'no Pods known'],
    [{reason: 'BackoffLimitExceeded', detail: '  '}, 'BackoffLimitExceeded', 'blank Pods'],
    [{reason: null, detail: null}, 'unknown reason', 'nothing known'],
  ];
  for (const [run, cause, why] of cases) {
    it(`${why}: ${cause}`, () =>
      assert.equal(
        title(failedWith({...RUN, ...run})),
        `🔴 batch/backup failed: ${cause} · prod-eu`,
      ));
  }
  it('a long reason is cut at 200 (the reminder shows it whole)', () => {
    const run = {...RUN, reason: 'R'.repeat(201)};
    const m = build('reminder', {...OPEN_INCIDENT, openedBy: run, latestFailure: run});
    assert.ok(m.kind === 'reminder');
    assert.equal(
      plainOf(m.reply.summary),
      `🔴 Still failing after 2h 6m: 1 failed run so far; latest: ${'R'.repeat(199)}…`,
    );
  });
});

describe('what the card adds to the headline', () => {
  it('the Job gave up: the reason it hides; the first Pod is in the headline already', () => {
    assert.deepEqual(
      why(
        failedWith({
          ...RUN,
          reason: 'BackoffLimitExceeded',
          detail: 'container a: Error (exit 1); pod p: Evicted',
        }),
      ),
      {reason: 'Reason: BackoffLimitExceeded', details: ['Pod p: Evicted'], quote: null},
    );
  });
  it('a cause shortened in the headline is shown whole; no reason to show', () => {
    assert.deepEqual(
      why(
        failedWith({
          ...RUN,
          detail: 'container main: ImagePullBackOff (Back-off pulling image "x")',
        }),
      ),
      {
        reason: null,
        details: ['Container main: ImagePullBackOff (Back-off pulling image "x")'],
        quote: null,
      },
    );
  });
  it('a reason of its own leads: every Pod is a detail, the reason is not repeated', () => {
    assert.deepEqual(
      why(failedWith({...RUN, reason: 'DeadlineExceeded', detail: 'container a: Error (exit 1)'})),
      {reason: null, details: ['Container a: Error (exit 1)'], quote: null},
    );
  });
  it('the latest failure is another run: its reason is the latest', () => {
    const latest = {
      ...RUN,
      job: 'backup-2',
      jobUid: 'uid-2',
      reason: 'BackoffLimitExceeded',
      detail: 'container a: Error (exit 2)',
    };
    const m = opened({...OPEN_INCIDENT, openedBy: RUN, latestFailure: latest, failedRuns: 2});
    assert.equal(field(m.post.reason), 'Latest reason: BackoffLimitExceeded');
  });

  const quotes: Array<[string | null, string | null, string]> = [
    [null, null, 'no message'],
    ['', null, 'an empty message'],
    [' \n ', null, 'a blank message'],
    ['  boom\n', 'boom', 'trimmed'],
    ['Job has reached the specified backoff limit', null, "the controller's own sentence"],
    ['Job was active longer than specified deadline', null, "the controller's own sentence"],
    ['Job has failed indexes', null, "the controller's own sentence"],
    [
      'Job has exceeded the specified maximal number of failed indexes',
      null,
      "the controller's own sentence",
    ],
    ['x'.repeat(1500), 'x'.repeat(1500), '1,500 characters: whole'],
    ['x'.repeat(1501), `${'x'.repeat(1499)}…`, '1,501: cut'],
    ['&'.repeat(300), '&'.repeat(300), '& counts five: 300 of them fit'],
    ['&'.repeat(301), `${'&'.repeat(299)}…`, '& counts five: 301 do not'],
  ];
  for (const [message, quote, about] of quotes) {
    it(`the quoted message: ${about}`, () =>
      assert.equal(failedWith({...RUN, reason: 'Error', message}).quote, quote));
  }

  const gone: Array<[NonNullable<RunRef['gone']>['cause'], string]> = [
    [
      'failed-jobs-history-limit',
      'deleted before the watcher could read it (failedJobsHistoryLimit: 0 keeps no failed Job)',
    ],
    [
      'ttl-after-finished',
      "deleted before the watcher could read it (ttlSecondsAfterFinished is shorter than the watcher's interval)",
    ],
    ['unknown', 'deleted before the watcher could read it'],
  ];
  for (const [cause, note] of gone) {
    it(`a Job deleted before it was read (${cause}): said, no logs command`, () => {
      const m = failedWith({...RUN, reason: 'BackoffLimitExceeded', gone: {cause}});
      assert.deepEqual(why(m), {reason: null, details: [`Job: ${note}`], quote: null});
      assert.equal(field(m.fields[0] ?? null), 'Job: backup-28578000 (Job already deleted)');
      assert.deepEqual(m.commands, [
        'kubectl -n batch create job --from=cronjob/backup backup-manual-$(date +%s)',
      ]);
    });
  }
});

describe('the fields of the opening', () => {
  const fieldsOf = (incident: FailingIncident, ctx?: MessageContext) =>
    opened(incident, ctx).post.fields.map(field);
  it('one failed run: the run and when', () =>
    assert.deepEqual(fieldsOf(OPEN_INCIDENT), [
      'Job: backup-28578000',
      'Failed: May 1, 10:00 UTC',
    ]));
  it('two: how many, since when', () =>
    assert.deepEqual(
      fieldsOf({
        ...OPEN_INCIDENT,
        failedRuns: 2,
        latestFailure: {...OPENING_RUN, job: 'backup-2', at: '2024-05-01T11:00:00Z'},
      }),
      ['Job: backup-2', 'Failed: May 1, 11:00 UTC', 'Failed runs: 2 (first May 1, 10:00 UTC)'],
    ));
  it('a run without a time: the opening time', () =>
    assert.deepEqual(
      fieldsOf({
        ...OPEN_INCIDENT,
        openedAt: '2024-05-01T09:59:00Z',
        latestFailure: {...OPENING_RUN, at: null},
      }),
      ['Job: backup-28578000', 'Failed: May 1, 09:59 UTC'],
    ));
  it('what the CronJob said: never succeeded; the next run after the notification', () =>
    assert.deepEqual(
      fieldsOf({...OPEN_INCIDENT, cronJobAtOpen: {lastSuccessAt: null, timeZone: null}}),
      [
        'Job: backup-28578000',
        'Failed: May 1, 10:00 UTC',
        'Last success: never',
        'Next run: May 1, 13:00 UTC',
      ],
    ));
  it('a schedule that cannot be read: no next run', () => {
    const ctx = context();
    assert.deepEqual(
      fieldsOf(
        {
          ...OPEN_INCIDENT,
          cronJobAtOpen: {lastSuccessAt: '2024-04-30T09:00:00Z', timeZone: null},
        },
        {...ctx, subject: {...ctx.subject, schedule: 'not a schedule'}} as MessageContext,
      ),
      ['Job: backup-28578000', 'Failed: May 1, 10:00 UTC', 'Last success: Apr 30, 09:00 UTC'],
    );
  });
});

describe('a Job that ran too long, then failed', () => {
  const from = (podDetail: string | null, startedAt = '2024-05-01T08:00:00Z') => ({
    continuedFrom: {startedAt, podDetail},
  });
  const leadOf = (incident: FailingIncident) => {
    const lead = opened(incident).post.lead;
    return lead === null ? null : plainOf(lead);
  };
  it('running: since when, killed after how long', () =>
    assert.equal(
      leadOf({...OPEN_INCIDENT, ...from(null)}),
      '🐢 Running since May 1, 08:00 UTC; killed after 2h',
    ));
  it('stuck: what its Pods said', () =>
    assert.equal(
      leadOf({
        ...OPEN_INCIDENT,
        ...from('container main: ImagePullBackOff (Back-off pulling image "x")'),
      }),
      '🐢 Stuck since May 1, 08:00 UTC: ImagePullBackOff; killed after 2h',
    ));
  it('killed when its run failed, else when the streak opened', () => {
    const at = {...OPENING_RUN, at: '2024-05-01T10:30:00Z'};
    assert.equal(
      leadOf({...OPEN_INCIDENT, openedBy: at, latestFailure: at, ...from(null)}),
      '🐢 Running since May 1, 08:00 UTC; killed after 2h 30m',
    );
    const none = {...OPENING_RUN, at: null};
    assert.equal(
      leadOf({
        ...OPEN_INCIDENT,
        openedAt: '2024-05-01T09:00:00Z',
        openedBy: none,
        latestFailure: none,
        ...from(null),
      }),
      '🐢 Running since May 1, 08:00 UTC; killed after 1h',
    );
  });
  it('an unreadable start: no duration', () =>
    assert.equal(
      leadOf({...OPEN_INCIDENT, ...from(null, 'x')}),
      '🐢 Running since unknown time; killed',
    ));
  it('no story otherwise', () => assert.equal(leadOf(OPEN_INCIDENT), null));
  it("the reply in that Job's thread, only when it continues one", () => {
    const m = opened({...OPEN_INCIDENT, continues: 'stuck-1', ...from(null)});
    assert.equal(
      m.reply === undefined ? null : plainOf(m.reply.summary),
      '🐢→🔴 killed after 2h: Error (exit 1)',
    );
    assert.equal('reply' in opened({...OPEN_INCIDENT, ...from(null)}), false);
  });
});

describe('notes: an approximate failure time', () => {
  const note =
    'Failure time approximate: the Job carries no usable time for its failure, so its next usable timestamp (completion, start, schedule or creation) stands in.';
  const approx = {...OPENING_RUN, approximateTime: true as const};
  const notesOf = (incident: FailingIncident) => opened(incident).post.notes.map(plainOf);
  it('the opening run', () =>
    assert.deepEqual(notesOf({...OPEN_INCIDENT, openedBy: approx}), [note]));
  it('the latest run', () =>
    assert.deepEqual(notesOf({...OPEN_INCIDENT, latestFailure: approx}), [note]));
  it('neither', () => assert.deepEqual(notesOf(OPEN_INCIDENT), []));
});

describe('the log excerpt', () => {
  const logOf = (log: FailingIncident['log']) => opened({...OPEN_INCIDENT, log}).post.log;
  it('no container or Pod known: question marks; cut: said', () =>
    assert.deepEqual(
      logOf({pod: '', container: '', text: 'l1\nl2', cut: true, unavailable: null}),
      {
        title: 'Last lines of the log of container ? (pod ?)',
        text: 'l1\nl2',
        notes: ['Older lines were left out to fit the message.'],
      },
    ));
  it('names cut at 200', () =>
    assert.equal(
      logOf({pod: 'p', container: 'c'.repeat(201), text: 'l', cut: false, unavailable: null})
        ?.title,
      `Last lines of the log of container ${'c'.repeat(199)}… (pod p)`,
    ));
  it('unavailable: why, with the error cut at 200', () => {
    assert.deepEqual(
      logOf({
        pod: 'p',
        container: 'c',
        text: null,
        cut: false,
        unavailable: {reason: 'forbidden', detail: null},
      }),
      {
        title: 'Last lines of the log of container c (pod p)',
        text: null,
        notes: [
          'No log excerpt: the watcher may not read pod logs (pods/log, see infra/k8s/rbac-logs.yaml).',
        ],
      },
    );
    assert.deepEqual(
      logOf({
        pod: 'p',
        container: 'c',
        text: null,
        cut: false,
        unavailable: {reason: 'error', detail: 'd'.repeat(201)},
      })?.notes,
      [`No log excerpt: reading it failed (${'d'.repeat(199)}…).`],
    );
  });
  it('none asked for: none', () => assert.equal('log' in opened(OPEN_INCIDENT).post, false));
});

describe('each way a streak ends', () => {
  const AT = '2024-05-01T12:05:30Z';
  const closed = (ending: Ending | null, more: Partial<FailingIncident> = {}) => {
    const m = build('closed', {...CLOSED_INCIDENT, ending, ...more});
    assert.ok(m.kind === 'closed');
    return {
      title: title(m.update),
      lead: m.update.lead === null ? null : plainOf(m.update.lead),
      reply: plainOf(m.reply.summary),
      buttons: m.update.actions.map(a => a.id),
    };
  };
  const story = 'Failed May 1, 10:00 UTC: Error (exit 1), 3 failed runs';
  it('a later run succeeded', () =>
    assert.deepEqual(
      closed({
        type: 'succeeded',
        at: AT,
        run: {...RUN, job: 'backup-9', manual: true, at: AT},
      }),
      {
        title: '✅ batch/backup recovered after 2h 5m · prod-eu',
        lead: `${story}; backup-9 (manual run) succeeded May 1, 12:05 UTC.`,
        reply: '✅ Recovered after 2h 5m: backup-9 (manual run) succeeded (3 failed runs)',
        buttons: ['console'],
      },
    ));
  it('a later run succeeded, its Job gone', () =>
    assert.deepEqual(closed({type: 'succeeded-job-gone', at: AT}), {
      title: '✅ batch/backup recovered after 2h 5m · prod-eu',
      lead: `${story}; a later run succeeded (its Job is already deleted) May 1, 12:05 UTC.`,
      reply:
        '✅ Recovered after 2h 5m: a later run succeeded (its Job is already deleted) (3 failed runs)',
      buttons: ['console'],
    }));
  it('the CronJob was deleted', () =>
    assert.deepEqual(closed({type: 'cronjob-deleted', at: AT}), {
      title: '✅ batch/backup closed after 2h 5m: the CronJob was deleted · prod-eu',
      lead: `${story}; the CronJob was deleted May 1, 12:05 UTC.`,
      reply: '✅ Closed after 2h 5m: the CronJob was deleted (3 failed runs)',
      buttons: ['console'],
    }));
  it('nothing known of how', () =>
    assert.deepEqual(closed({type: 'readable-again', at: AT}), {
      title: '✅ batch/backup recovered after 2h 5m · prod-eu',
      lead: `${story}.`,
      reply: '✅ Recovered after 2h 5m (3 failed runs)',
      buttons: ['console'],
    }));
  it('one failed run, an unreadable closing time', () =>
    assert.deepEqual(closed({type: 'readable-again', at: AT}, {failedRuns: 1, closedAt: 'x'}), {
      title: '✅ batch/backup recovered · prod-eu',
      lead: 'Failed May 1, 10:00 UTC: Error (exit 1).',
      reply: '✅ Recovered',
      buttons: ['console'],
    }));

  const recovered = (ending: Ending | null) => {
    const m = build('recovered', {
      ...CLOSED_INCIDENT,
      failedRuns: 1,
      closedAt: '2024-05-01T10:12:05Z',
      ending,
    });
    assert.ok(m.kind === 'recovered');
    return plainOf(m.post.summary);
  };
  it('failed and recovered before anything was sent, however it ended', () => {
    const head =
      '🟡 batch/backup failed May 1, 10:00 UTC (Error (exit 1)) and recovered after 12m 5s';
    assert.equal(
      recovered({type: 'succeeded-job-gone', at: AT}),
      `${head}: a later run succeeded (its Job is already deleted) · prod-eu`,
    );
    assert.equal(recovered({type: 'readable-again', at: AT}), `${head} · prod-eu`);
  });
});
