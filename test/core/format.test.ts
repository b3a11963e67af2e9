import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {formatDuration} from '../../functions/core/messages/words-en.js';
import {consoleLinksOf} from '../../functions/core/messages/console-links.js';
import type {
  Ending,
  FailingIncident,
  PendingNotification,
  RunRef,
} from '../../functions/core/incident.js';
import {buildMessages} from '../../functions/core/messages/build.js';
import type {MessageContext} from '../../functions/core/messages/model.js';
import {renderConsole} from '../../functions/core/messages/render-console.js';
import {
  FIELD_TEXT_MAX_CHARS,
  BUTTON_TEXT_MAX_CHARS,
  HEADER_TEXT_MAX_CHARS,
  SECTION_TEXT_MAX_CHARS,
  escapeAndCap,
  renderSlackMessages,
  type SlackBlock,
  type SlackMessage,
} from '../../functions/core/messages/render-slack.js';
import {
  context,
  notification,
  OPEN_INCIDENT,
  OPENING_RUN,
} from '../support/notification-fixtures.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('formatDuration', () => {
  const cases: Array<[number, string, string]> = [
    [0, '0s', 'zero'],
    [999, '0s', 'under a second'],
    [1 * S, '1s', 'one second'],
    [45 * S, '45s', 'seconds only'],
    [59 * S + 999, '59s', 'truncated, never rounded up'],
    [1 * M, '1m', 'a zero second unit is left out'],
    [12 * M + 5 * S, '12m 5s', 'minutes and seconds'],
    [59 * M + 59 * S, '59m 59s', 'just under an hour'],
    [2 * H, '2h', 'whole hours'],
    [2 * H + 30 * S, '2h', 'only the two largest units: seconds are dropped'],
    [2 * H + 5 * M, '2h 5m', 'hours and minutes'],
    [2 * H + 5 * M + 59 * S, '2h 5m', 'seconds below the second unit are dropped'],
    [23 * H + 59 * M + 59 * S, '23h 59m', 'just under a day'],
    [1 * D, '1d', 'one day'],
    [3 * D + 4 * H, '3d 4h', 'days and hours'],
    [3 * D + 59 * M, '3d', 'minutes below the second unit are dropped'],
    [400 * D + 1 * H, '400d 1h', 'days do not roll into larger units'],
    [-5 * S, '0s', 'negative (clock skew) shows as zero'],
    [Number.NaN, '0s', 'NaN shows as zero'],
    [Number.POSITIVE_INFINITY, '0s', 'infinity shows as zero'],
  ];
  for (const [ms, expected, why] of cases) {
    it(`${ms} ms → ${expected} (${why})`, () => {
      assert.equal(formatDuration(ms), expected);
    });
  }
});

describe('escapeAndCap', () => {
  it('escapes the three control characters', () => {
    assert.equal(escapeAndCap('a < b && c > d', 100), 'a &lt; b &amp;&amp; c &gt; d');
  });
  it('never cuts an entity or a surrogate pair, and marks the cut', () => {
    assert.equal(escapeAndCap('ab&cd', 5), 'ab…');
    assert.equal(escapeAndCap('ab&cd', 8), 'ab&amp;…');
    assert.equal(escapeAndCap('😀😀😀', 4), '😀…');
  });
  it('leaves short text alone', () => {
    assert.equal(escapeAndCap('short', 5), 'short');
  });
});

const CONTEXT: MessageContext = context();

/** Every Slack message a notification turns into. */
function formatNotification(notification: PendingNotification, context: MessageContext) {
  return renderSlackMessages(buildMessages(notification, context));
}

/** Fixed by `run`, at its completion time. */
function fixedBy(run: RunRef): Ending {
  return {type: 'succeeded', at: run.at ?? '', run};
}

const LATEST_RUN: RunRef = {
  job: 'backup-28578120',
  jobUid: 'uid-3',
  manual: false,
  at: '2024-05-01T12:00:41Z',
  reason: 'DeadlineExceeded',
  message: 'Job was active longer than specified deadline',
  detail: null,
};
const FIXING_RUN: RunRef = {
  job: 'backup-28578125',
  jobUid: 'uid-4',
  manual: false,
  at: '2024-05-01T12:05:30Z',
  reason: null,
  message: null,
  detail: null,
};

const CLOSED_INCIDENT: FailingIncident = {
  ...OPEN_INCIDENT,
  latestFailure: LATEST_RUN,
  failedRuns: 3,
  closedAt: '2024-05-01T12:05:30Z',
  ending: fixedBy(FIXING_RUN),
};

const CRONJOB_URL =
  'https://console.cloud.google.com/kubernetes/cronjob/europe-west1/prod-eu/batch/backup/details?project=acme-prod';
const LOGS_URL =
  'https://console.cloud.google.com/logs/query;query=resource.type%3D%22k8s_container%22%0A' +
  'resource.labels.cluster_name%3D%22prod-eu%22%0Aresource.labels.namespace_name%3D%22batch%22%0A' +
  '(labels.%22k8s-pod%2Fjob-name%22%3D%22backup-28578000%22%20OR%20' +
  'labels.%22k8s-pod%2Fbatch_kubernetes_io%2Fjob-name%22%3D%22backup-28578000%22)' +
  ';timeRange=2024-04-30T10%3A00%3A00Z%2F2024-05-01T10%3A10%3A00Z?project=acme-prod';
const LINKS_BLOCK: SlackBlock = {
  type: 'context',
  elements: [
    {
      type: 'mrkdwn',
      text: `<${CRONJOB_URL}|CronJob in Cloud Console> · <${LOGS_URL}|Logs of backup-28578000>`,
    },
  ],
};

function mrkdwn(text: string) {
  return {type: 'mrkdwn' as const, text};
}

describe('opening message', () => {
  it('names cluster, CronJob, failed Job, time, schedule, count, reason and links', () => {
    const formatted = formatNotification(notification('opened', OPEN_INCIDENT), CONTEXT);
    assert.equal(formatted.kind, 'opened');
    assert.deepEqual(formatted.post, {
      text: '🔴 CronJob batch/backup failed on prod-eu: BackoffLimitExceeded (job backup-28578000)',
      blocks: [
        {
          type: 'header',
          text: {type: 'plain_text', text: '🔴 CronJob failing: batch/backup', emoji: true},
        },
        {
          type: 'section',
          fields: [
            mrkdwn('*Cluster*\nprod-eu'),
            mrkdwn('*CronJob*\n`batch/backup`'),
            mrkdwn('*Failed run*\n`backup-28578000`'),
            mrkdwn('*Failed at*\n2024-05-01T10:00:00Z (<!date^1714557600^{ago}|UTC>)'),
            mrkdwn('*Schedule*\n`0 * * * *`'),
            mrkdwn('*Failed runs*\n1'),
          ],
        },
        {
          type: 'section',
          text: mrkdwn(
            '*Reason:* BackoffLimitExceeded\n*Pods:* container backup: Error (exit 1)\n>Job has reached the specified backoff limit',
          ),
        },
        LINKS_BLOCK,
      ],
    } satisfies SlackMessage);
  });

  it('says "manual run" when the failed Job was started by hand', () => {
    const manual = {...OPENING_RUN, manual: true};
    const formatted = formatNotification(
      notification('opened', {...OPEN_INCIDENT, openedBy: manual, latestFailure: manual}),
      CONTEXT,
    );
    assert.equal(formatted.kind, 'opened');
    if (formatted.kind !== 'opened') return;
    assert.match(formatted.post.text, /\(manual run backup-28578000\)$/);
    const fields = formatted.post.blocks[1];
    assert.ok(fields !== undefined && 'fields' in fields);
    assert.deepEqual(fields.fields[2], mrkdwn('*Failed run*\n`backup-28578000` (manual run)'));
  });

  it('has no links when the project or location is unknown (kubeconfig clusters)', () => {
    const local: MessageContext = {
      ...CONTEXT,
      cluster: {id: 'kubeconfig/kind-dev', name: 'kind-dev', project: null, location: null},
    };
    const formatted = formatNotification(notification('opened', OPEN_INCIDENT), local);
    assert.equal(formatted.kind, 'opened');
    if (formatted.kind !== 'opened') return;
    assert.deepEqual(
      formatted.post.blocks.map(b => b.type),
      ['header', 'section', 'section'],
    );
    assert.equal(consoleLinksOf(local, 'x', null), null);
  });

  it('omits the time range from the logs link when the failure time is unknown', () => {
    const links = consoleLinksOf(CONTEXT, 'backup-1', null);
    assert.ok(links !== null);
    assert.ok(!links.logs.includes('timeRange'));
    assert.ok(links.logs.endsWith('?project=acme-prod'));
  });
});

describe('closing messages', () => {
  const formatted = formatNotification(notification('closed', CLOSED_INCIDENT), CONTEXT);
  if (formatted.kind !== 'closed') throw new Error('expected a closed format');

  it('updates the opening message with "Resolved after" at the top and the rest kept', () => {
    assert.deepEqual(formatted.update, {
      text: '✅ Resolved after 2h 5m: CronJob batch/backup on prod-eu (3 failed runs, fixed by job backup-28578125)',
      blocks: [
        {
          type: 'header',
          text: {type: 'plain_text', text: '✅ Resolved after 2h 5m: batch/backup', emoji: true},
        },
        {
          type: 'section',
          fields: [
            mrkdwn('*Cluster*\nprod-eu'),
            mrkdwn('*CronJob*\n`batch/backup`'),
            mrkdwn('*Failed run*\n`backup-28578000`'),
            mrkdwn('*Failed at*\n2024-05-01T10:00:00Z (<!date^1714557600^{ago}|UTC>)'),
            mrkdwn('*Schedule*\n`0 * * * *`'),
            mrkdwn('*Failed runs*\n3'),
            mrkdwn(
              '*Latest failure*\n`backup-28578120` at 2024-05-01T12:00:41Z (<!date^1714564841^{ago}|UTC>)',
            ),
          ],
        },
        {
          type: 'section',
          text: mrkdwn(
            '*Latest reason:* DeadlineExceeded\n>Job was active longer than specified deadline',
          ),
        },
        LINKS_BLOCK,
      ],
    } satisfies SlackMessage);
  });

  it('replies in the thread with duration, failed runs and the fixing Job', () => {
    assert.deepEqual(formatted.reply, {
      text: '✅ Resolved after 2h 5m, 3 failed runs, fixed by job backup-28578125',
      blocks: [
        {
          type: 'section',
          text: mrkdwn('✅ Resolved after 2h 5m, 3 failed runs, fixed by job backup-28578125'),
        },
        {
          type: 'context',
          elements: [mrkdwn('Recovered at 2024-05-01T12:05:30Z (<!date^1714565130^{ago}|UTC>)')],
        },
      ],
    } satisfies SlackMessage);
  });

  it('says "manual run" when a manual Job fixed it, and "1 failed run" in the singular', () => {
    const manual = formatNotification(
      notification('closed', {
        ...CLOSED_INCIDENT,
        latestFailure: OPENING_RUN,
        failedRuns: 1,
        ending: fixedBy({...FIXING_RUN, job: 'backup-manual-x7k2p', manual: true}),
      }),
      CONTEXT,
    );
    if (manual.kind !== 'closed') throw new Error('expected a closed format');
    assert.equal(
      manual.reply.text,
      '✅ Resolved after 2h 5m, 1 failed run, fixed by manual run backup-manual-x7k2p',
    );
  });

  it('has a standalone version that says what failed and that it is resolved', () => {
    assert.equal(
      formatted.standalone.text,
      '✅ CronJob batch/backup on prod-eu failed at 2024-05-01T10:00:00Z (BackoffLimitExceeded) ' +
        'and recovered at 2024-05-01T12:05:30Z by job backup-28578125, after 2h 5m',
    );
    const header = formatted.standalone.blocks[0];
    assert.deepEqual(header, {
      type: 'header',
      text: {type: 'plain_text', text: '✅ Resolved after 2h 5m: batch/backup', emoji: true},
    });
  });

  it('says "Resolved" without a duration when a timestamp is unreadable', () => {
    const odd = formatNotification(
      notification('closed', {...CLOSED_INCIDENT, closedAt: 'not a time'}),
      CONTEXT,
    );
    if (odd.kind !== 'closed') throw new Error('expected a closed format');
    assert.equal(odd.reply.text, '✅ Resolved, 3 failed runs, fixed by job backup-28578125');
  });
});

describe('recovered message', () => {
  it('says both: failed at, reason, recovered at, by which Job, after how long', () => {
    const incident: FailingIncident = {
      ...CLOSED_INCIDENT,
      latestFailure: OPENING_RUN,
      failedRuns: 1,
      closedAt: '2024-05-01T10:12:05Z',
      ending: fixedBy({...FIXING_RUN, at: '2024-05-01T10:12:05Z'}),
    };
    const formatted = formatNotification(notification('recovered', incident), CONTEXT);
    assert.equal(formatted.kind, 'recovered');
    if (formatted.kind !== 'recovered') return;
    assert.deepEqual(formatted.post, {
      text:
        '🟡 CronJob batch/backup on prod-eu failed at 2024-05-01T10:00:00Z (BackoffLimitExceeded) ' +
        'and recovered at 2024-05-01T10:12:05Z by job backup-28578125, after 12m 5s',
      blocks: [
        {
          type: 'header',
          text: {type: 'plain_text', text: '🟡 Failed and recovered: batch/backup', emoji: true},
        },
        {
          type: 'section',
          fields: [
            mrkdwn('*Cluster*\nprod-eu'),
            mrkdwn('*CronJob*\n`batch/backup`'),
            mrkdwn('*Failed run*\n`backup-28578000`'),
            mrkdwn('*Failed at*\n2024-05-01T10:00:00Z (<!date^1714557600^{ago}|UTC>)'),
            mrkdwn('*Recovered by*\n`backup-28578125`'),
            mrkdwn('*Recovered at*\n2024-05-01T10:12:05Z (<!date^1714558325^{ago}|UTC>)'),
            mrkdwn('*Failing for*\n12m 5s'),
            mrkdwn('*Failed runs*\n1'),
            mrkdwn('*Schedule*\n`0 * * * *`'),
          ],
        },
        {
          type: 'section',
          text: mrkdwn(
            '*Reason:* BackoffLimitExceeded\n*Pods:* container backup: Error (exit 1)\n>Job has reached the specified backoff limit',
          ),
        },
        LINKS_BLOCK,
      ],
    } satisfies SlackMessage);
  });
});

/** Every text in a message, with the limit Slack puts on it. */
function textsWithLimits(message: SlackMessage): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const block of message.blocks) {
    if (block.type === 'header') out.push([block.text.text, HEADER_TEXT_MAX_CHARS]);
    else if (block.type === 'context') {
      for (const e of block.elements) out.push([e.text, SECTION_TEXT_MAX_CHARS]);
    } else if ('fields' in block) {
      assert.ok(block.fields.length <= 10, 'a section holds at most 10 fields');
      for (const f of block.fields) out.push([f.text, FIELD_TEXT_MAX_CHARS]);
    } else if (block.type === 'actions') {
      assert.ok(block.elements.length <= 25, 'an actions block holds at most 25 elements');
      for (const b of block.elements) out.push([b.text.text, BUTTON_TEXT_MAX_CHARS]);
    } else out.push([block.text.text, SECTION_TEXT_MAX_CHARS]);
  }
  return out;
}

describe('hostile values', () => {
  const hostile: RunRef = {
    ...OPENING_RUN,
    reason: 'Weird<Reason>&Co',
    detail: `container <x>: ${'OOMKilled & '.repeat(500)}`,
    message: `<!channel> ${'& <script> '.repeat(2000)}\nsecond line`,
  };
  const incident: FailingIncident = {
    ...CLOSED_INCIDENT,
    openedBy: hostile,
    latestFailure: hostile,
  };
  const context: MessageContext = {
    ...CONTEXT,
    cluster: {...CONTEXT.cluster, name: `prod <eu> & ${'x'.repeat(300)}`},
  };

  for (const kind of ['opened', 'closed', 'recovered'] as const) {
    it(`${kind}: escapes &, <, > and keeps every block within Slack's limits`, () => {
      const formatted = formatNotification(notification(kind, incident), context);
      const messages =
        formatted.kind === 'closed'
          ? [formatted.update, formatted.reply, formatted.standalone]
          : [formatted.post];
      for (const message of messages) {
        for (const [text, limit] of textsWithLimits(message)) {
          assert.ok(text.length <= limit, `${text.length} > ${limit}: ${text.slice(0, 80)}`);
        }
        const all = JSON.stringify(message);
        assert.ok(!all.includes('<!channel>'), 'a value cannot mention the channel');
        assert.ok(!all.includes('<script>'), 'a value cannot inject markup');
        assert.ok(!all.includes('<eu>'));
      }
      if (formatted.kind !== 'closed') {
        const reason = formatted.post.blocks.find(
          b => b.type === 'section' && 'text' in b && b.text.text.startsWith('*Reason:*'),
        );
        assert.ok(reason !== undefined && 'text' in reason);
        assert.ok(
          reason.text.text.startsWith(
            '*Reason:* Weird&lt;Reason&gt;&amp;Co\n*Pods:* container &lt;x&gt;: OOMKilled &amp;',
          ),
        );
        assert.ok(reason.text.text.includes('\n>&lt;!channel&gt; &amp; &lt;script&gt;'));
        assert.ok(reason.text.text.endsWith('…'), 'a long message is cut, visibly');
      }
    });
  }
});

describe('renderConsole', () => {
  it('renders a message as readable lines, no JSON, no markup', () => {
    const built = buildMessages(notification('opened', OPEN_INCIDENT), CONTEXT);
    if (built.kind !== 'opened') throw new Error('expected an opened format');
    assert.equal(
      renderConsole(built.post),
      [
        '🔴 CronJob failing: batch/backup',
        '────────────────────────────────',
        'Cluster: prod-eu',
        'CronJob: batch/backup',
        'Failed run: backup-28578000',
        'Failed at: 2024-05-01T10:00:00Z',
        'Schedule: 0 * * * *',
        'Failed runs: 1',
        'Reason: BackoffLimitExceeded',
        'Pods: container backup: Error (exit 1)',
        '  | Job has reached the specified backoff limit',
        `CronJob in Cloud Console: ${CRONJOB_URL}`,
        `Logs of backup-28578000: ${LOGS_URL}`,
      ].join('\n'),
    );
  });

  it('unescapes values and renders a thread reply', () => {
    const built = buildMessages(
      notification('closed', {
        ...CLOSED_INCIDENT,
        ending: fixedBy({...FIXING_RUN, job: 'a&b'}),
      }),
      CONTEXT,
    );
    if (built.kind !== 'closed') throw new Error('expected a closed format');
    assert.equal(
      renderConsole(built.reply),
      '✅ Resolved after 2h 5m, 3 failed runs, fixed by job a&b\nRecovered at 2024-05-01T12:05:30Z',
    );
  });
});
