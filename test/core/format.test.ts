import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {consoleLinksOf} from '../../functions/core/messages/console-links.js';
import type {
  Ending,
  FailingIncident,
  PendingNotification,
  RunRef,
} from '../../functions/core/incident.js';
import {buildMessages} from '../../functions/core/messages/build.js';
import type {MessageContext} from '../../functions/core/messages/model.js';
import {renderConsole, stripControls} from '../../functions/core/messages/render-console.js';
import {describeSchedule, logsCommand, rerunCommand} from '../../functions/core/messages/pieces.js';
import {en, formatDuration} from '../../functions/core/messages/words-en.js';
import {
  FIELD_TEXT_MAX_CHARS,
  BUTTON_TEXT_MAX_CHARS,
  HEADER_TEXT_MAX_CHARS,
  SECTION_TEXT_MAX_CHARS,
  escapeAndCap,
  renderSlackMessages,
  type SlackBlock,
  type SlackElement,
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
/** An open incident's Acknowledge button and Snooze menu, as Slack is sent them. */
function controls(value: object): SlackElement[] {
  const option = (text: string, value: string) => ({
    text: {type: 'plain_text' as const, text, emoji: true as const},
    value,
  });
  return [
    {
      type: 'button',
      action_id: 'cronjob-watcher:acknowledge',
      text: {type: 'plain_text', text: 'Acknowledge', emoji: true},
      value: JSON.stringify(value),
    },
    {
      type: 'static_select',
      action_id: 'cronjob-watcher:snooze',
      placeholder: {type: 'plain_text', text: 'Snooze', emoji: true},
      options: [
        option('1 hour', '1h'),
        option('4 hours', '4h'),
        option('1 day', '1d'),
        option('Until it recovers', 'recovery'),
      ],
    },
  ];
}
const GKE_CONTROLS = controls({
  v: 1,
  c: {
    id: 'projects/acme-prod/locations/europe-west1/clusters/prod-eu',
    name: 'prod-eu',
    project: 'acme-prod',
    location: 'europe-west1',
  },
  k: 'batch/backup',
  n: 'failing',
  i: 'cj-uid/uid-1',
});
const BUTTONS: SlackBlock = {
  type: 'actions',
  block_id: 'actions',
  elements: [
    ...GKE_CONTROLS,
    {
      type: 'button',
      action_id: 'link-logs',
      text: {type: 'plain_text', text: 'Logs', emoji: true},
      url: LOGS_URL,
    },
    {
      type: 'button',
      action_id: 'link-console',
      text: {type: 'plain_text', text: 'Cloud Console', emoji: true},
      url: CRONJOB_URL,
    },
  ],
};

function mrkdwn(text: string) {
  return {type: 'mrkdwn' as const, text};
}

/** Slack's date token for an ISO time, as the English words ask for it. */
function token(iso: string, plain: string): string {
  return `<!date^${Date.parse(iso) / 1000}^{date_short_pretty} at {time}|${plain}>`;
}

const COMMANDS =
  '```\nkubectl -n batch logs job/backup-28578000\n' +
  'kubectl -n batch create job --from=cronjob/backup backup-manual-$(date +%s)\n```';

describe('opening message', () => {
  it('says what, why and where in the header and the push text; the run; commands; buttons', () => {
    const formatted = formatNotification(notification('opened', OPEN_INCIDENT), CONTEXT);
    assert.equal(formatted.kind, 'opened');
    assert.deepEqual(formatted.post, {
      text: '🔴 batch/backup failed: Error (exit 1) · prod-eu',
      blocks: [
        {
          type: 'header',
          text: {
            type: 'plain_text',
            text: '🔴 batch/backup failed: Error (exit 1) · prod-eu',
            emoji: true,
          },
        },
        {
          type: 'section',
          fields: [
            mrkdwn('*Job*\n`backup-28578000`'),
            mrkdwn(`*Failed*\n${token('2024-05-01T10:00:00Z', 'May 1, 10:00 UTC')}`),
          ],
        },
        // The Job gave up: the Pods' cause leads, the reason follows; the controller's own
        // sentence for it is not quoted.
        {type: 'section', text: mrkdwn('*Reason:* BackoffLimitExceeded')},
        {type: 'section', text: mrkdwn(COMMANDS)},
        BUTTONS,
      ],
    } satisfies SlackMessage);
  });

  it('shows when it last succeeded and runs next, when the incident knows', () => {
    const incident: FailingIncident = {
      ...OPEN_INCIDENT,
      cronJobAtOpen: {lastSuccessAt: '2024-04-30T09:00:00Z', timeZone: 'Asia/Tokyo'},
    };
    const formatted = formatNotification(notification('opened', incident), {
      ...CONTEXT,
      subject: {...CONTEXT.subject, schedule: '30 9 * * *'},
    } as MessageContext);
    if (formatted.kind !== 'opened') throw new Error('expected an opened format');
    const fields = formatted.post.blocks[1];
    assert.ok(fields !== undefined && 'fields' in fields);
    // 09:30 in Tokyo is 00:30 UTC; the notification was made 2024-05-01T12:06Z.
    assert.deepEqual(fields.fields.slice(2), [
      mrkdwn(`*Last success*\n${token('2024-04-30T09:00:00Z', 'Apr 30, 09:00 UTC')}`),
      mrkdwn(`*Next run*\n${token('2024-05-02T00:30:00Z', 'May 2, 00:30 UTC')}`),
    ]);
  });

  it('says "manual run" when the failed Job was started by hand', () => {
    const manual = {...OPENING_RUN, manual: true};
    const formatted = formatNotification(
      notification('opened', {...OPEN_INCIDENT, openedBy: manual, latestFailure: manual}),
      CONTEXT,
    );
    if (formatted.kind !== 'opened') throw new Error('expected an opened format');
    const fields = formatted.post.blocks[1];
    assert.ok(fields !== undefined && 'fields' in fields);
    assert.deepEqual(fields.fields[0], mrkdwn('*Job*\n`backup-28578000` (manual run)'));
  });

  it('has no Console buttons when the project or location is unknown (kubeconfig clusters), only the controls', () => {
    const local: MessageContext = {
      ...CONTEXT,
      cluster: {id: 'kubeconfig/kind-dev', name: 'kind-dev', project: null, location: null},
    };
    const formatted = formatNotification(notification('opened', OPEN_INCIDENT), local);
    if (formatted.kind !== 'opened') throw new Error('expected an opened format');
    assert.deepEqual(
      formatted.post.blocks.map(b => b.type),
      ['header', 'section', 'section', 'section', 'actions'],
    );
    // Only the controls: no link to a console that does not exist.
    assert.deepEqual(formatted.post.blocks.at(-1), {
      type: 'actions',
      block_id: 'actions',
      elements: controls({
        v: 1,
        c: {id: 'kubeconfig/kind-dev', name: 'kind-dev', project: null, location: null},
        k: 'batch/backup',
        n: 'failing',
        i: 'cj-uid/uid-1',
      }),
    });
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
  const story =
    `Failed ${token('2024-05-01T10:00:00Z', 'May 1, 10:00 UTC')}: Error (exit 1), 3 failed runs; ` +
    `\`backup-28578125\` succeeded ${token('2024-05-01T12:05:30Z', 'May 1, 12:05 UTC')}.`;

  it('shrinks the opening to a header, one line of its story and the Console button', () => {
    assert.deepEqual(formatted.update, {
      text: '✅ batch/backup recovered after 2h 5m · prod-eu',
      blocks: [
        {
          type: 'header',
          text: {
            type: 'plain_text',
            text: '✅ batch/backup recovered after 2h 5m · prod-eu',
            emoji: true,
          },
        },
        {type: 'section', text: mrkdwn(story)},
        {
          type: 'actions',
          block_id: 'actions',
          elements: [
            {
              type: 'button',
              action_id: 'link-console',
              text: {type: 'plain_text', text: 'Cloud Console', emoji: true},
              url: CRONJOB_URL,
            },
          ],
        },
      ],
    } satisfies SlackMessage);
    assert.deepEqual(formatted.standalone, formatted.update);
  });

  it('replies in the thread in one line: how long, which run, how many failed', () => {
    assert.deepEqual(formatted.reply, {
      text: '✅ Recovered after 2h 5m: backup-28578125 succeeded (3 failed runs)',
      blocks: [
        {
          type: 'section',
          text: mrkdwn('✅ Recovered after 2h 5m: `backup-28578125` succeeded (3 failed runs)'),
        },
      ],
    } satisfies SlackMessage);
  });

  it('says "manual run" when a manual Job fixed it, and no count for one failed run', () => {
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
      '✅ Recovered after 2h 5m: backup-manual-x7k2p (manual run) succeeded',
    );
  });

  it('says "Recovered" without a duration when a timestamp is unreadable', () => {
    const odd = formatNotification(
      notification('closed', {...CLOSED_INCIDENT, closedAt: 'not a time'}),
      CONTEXT,
    );
    if (odd.kind !== 'closed') throw new Error('expected a closed format');
    assert.equal(odd.reply.text, '✅ Recovered: backup-28578125 succeeded (3 failed runs)');
  });
});

describe('recovered message', () => {
  it('is one line: what failed, when and why, how it recovered, where', () => {
    const incident: FailingIncident = {
      ...CLOSED_INCIDENT,
      latestFailure: OPENING_RUN,
      failedRuns: 1,
      closedAt: '2024-05-01T10:12:05Z',
      ending: fixedBy({...FIXING_RUN, at: '2024-05-01T10:12:05Z'}),
    };
    const formatted = formatNotification(notification('recovered', incident), CONTEXT);
    if (formatted.kind !== 'recovered') throw new Error('expected a recovered format');
    const line =
      `🟡 batch/backup failed ${token('2024-05-01T10:00:00Z', 'May 1, 10:00 UTC')} ` +
      '(Error (exit 1)) and recovered after 12m 5s: `backup-28578125` succeeded · prod-eu';
    assert.deepEqual(formatted.post, {
      text: line.replace(/`/g, ''),
      blocks: [{type: 'section', text: mrkdwn(line)}],
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
      for (const b of block.elements) {
        if (b.type === 'button') out.push([b.text.text, BUTTON_TEXT_MAX_CHARS]);
        else {
          out.push([b.placeholder.text, BUTTON_TEXT_MAX_CHARS]);
          for (const o of b.options) out.push([o.text.text, BUTTON_TEXT_MAX_CHARS]);
        }
      }
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
        formatted.kind === 'closed' || formatted.kind === 'acted'
          ? [
              formatted.update,
              ...(formatted.reply === null ? [] : [formatted.reply]),
              ...('standalone' in formatted ? [formatted.standalone] : []),
            ]
          : formatted.kind === 'reminder'
            ? [formatted.reply]
            : [formatted.post];
      for (const message of messages) {
        for (const [text, limit] of textsWithLimits(message)) {
          assert.ok(text.length <= limit, `${text.length} > ${limit}: ${text.slice(0, 80)}`);
        }
        // Header blocks are plain text, which Slack shows literally: only mrkdwn is escaped.
        const all = JSON.stringify({
          text: message.text,
          blocks: message.blocks.filter(b => b.type !== 'header'),
        });
        assert.ok(!all.includes('<!channel>'), 'a value cannot mention the channel');
        assert.ok(!all.includes('<script>'), 'a value cannot inject markup');
        assert.ok(!all.includes('<eu>'));
      }
      if (formatted.kind === 'opened') {
        // A reason of its own leads the header (plain text); the Pods and the message follow.
        const header = formatted.post.blocks[0];
        assert.ok(header?.type === 'header');
        assert.ok(header.text.text.startsWith('🔴 batch/backup failed: Weird<Reason>&Co · prod'));
        const why = formatted.post.blocks.find(
          b => b.type === 'section' && 'text' in b && b.text.text.startsWith('*Container'),
        );
        assert.ok(why !== undefined && 'text' in why);
        assert.ok(why.text.text.startsWith('*Container &lt;x&gt;:* OOMKilled &amp;'));
        assert.ok(why.text.text.includes('\n>&lt;!channel&gt; &amp; &lt;script&gt;'));
        assert.ok(why.text.text.endsWith('…'), 'a long message is cut, visibly');
      }
    });
  }
});

describe('renderConsole', () => {
  it('renders a message as readable lines, no JSON, no markup, times in UTC words', () => {
    const built = buildMessages(notification('opened', OPEN_INCIDENT), CONTEXT);
    if (built.kind !== 'opened') throw new Error('expected an opened format');
    const title = '🔴 batch/backup failed: Error (exit 1) · prod-eu';
    assert.equal(
      renderConsole(built.post),
      [
        title,
        // The mark takes two columns, as many as its UTF-16 length.
        '─'.repeat(title.length),
        'Job: backup-28578000',
        'Failed: May 1, 10:00 UTC',
        'Reason: BackoffLimitExceeded',
        '  $ kubectl -n batch logs job/backup-28578000',
        '  $ kubectl -n batch create job --from=cronjob/backup backup-manual-$(date +%s)',
        `Logs: ${LOGS_URL}`,
        `Cloud Console: ${CRONJOB_URL}`,
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
      '✅ Recovered after 2h 5m: a&b succeeded (3 failed runs)',
    );
  });

  it('underlines a full-width title to its width in columns', () => {
    const built = buildMessages(
      notification('opened', {
        ...OPEN_INCIDENT,
        destination: {channel: null, language: 'ja', mention: null, runbook: null},
      }),
      CONTEXT,
    );
    if (built.kind !== 'opened') throw new Error('expected an opened format');
    const [title = '', rule = ''] = renderConsole(built.post).split('\n');
    assert.equal(title, '🔴 batch/backup が失敗しました: Error (exit 1) · prod-eu');
    // 🔴 and the six kana/kanji take two columns each: 7 more than the string's length.
    assert.equal(rule.length, Math.min(title.length + 7, 60));
  });
});

describe('the console strips terminal control sequences from what the cluster said', () => {
  const cases: Array<[string, string, string]> = [
    ['\u001b]0;owned\u0007title', 'title', 'OSC window title, BEL-terminated'],
    ['\u001b]52;c;cHduZWQ=\u001b\\after', 'after', 'OSC 52 clipboard, ST-terminated'],
    ['\u001b[31mred\u001b[0m', 'red', 'CSI colours'],
    ['\u009b2Jclear', 'clear', 'C1 CSI'],
    ['\u009d0;t\u009cok', 'ok', 'C1 OSC'],
    ['a\u0000b\u0008c\u007fd\rE', 'abcdE', 'C0 controls, DEL, a lone carriage return'],
    ['tab\tand\nnewline', 'tab\tand\nnewline', 'tab and newline stay'],
    ['日本語 & <x>', '日本語 & <x>', 'ordinary text untouched'],
  ];
  for (const [input, expected, why] of cases) {
    it(why, () => assert.equal(stripControls(input), expected));
  }

  it('in every part of a message: title, details, quote, log', () => {
    const run: RunRef = {
      ...OPENING_RUN,
      reason: 'Bad\u001b[2JReason',
      detail: 'container m\u001b]0;x\u0007: Error (exit 1)',
      message: 'msg \u001b]52;c;eA==\u0007 end',
    };
    const built = buildMessages(
      notification('opened', {
        ...OPEN_INCIDENT,
        openedBy: run,
        latestFailure: run,
        log: {
          pod: 'p',
          container: 'c',
          text: 'l1\u001b[1A\u001b[2K\nl2',
          cut: false,
          unavailable: null,
        },
      }),
      CONTEXT,
    );
    if (built.kind !== 'opened') throw new Error('expected an opened format');
    const out = renderConsole(built.post);
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(out), JSON.stringify(out));
    assert.ok(out.includes('  | msg  end'));
    assert.ok(out.includes('    l1\n    l2'));
  });
});

describe('schedules in words', () => {
  const cases: Array<[string, string | null]> = [
    ['45 * * * *', 'due every hour'],
    ['*/15 * * * *', 'due every 15 minutes'],
    ['0/5 * * * *', 'due every 5 minutes'],
    ['* * * * *', 'due every minute'],
    ['30 2 * * *', 'due every day at 02:30'],
    ['@daily', 'due every day at 00:00'],
    ['0 9 * * 1', 'due every Monday at 09:00'],
    ['0 9 * * 1-5', null],
    ['0 9 1 * *', null],
    ['0 */2 * * *', null],
  ];
  for (const [schedule, expected] of cases) {
    it(`${schedule} → ${expected ?? 'as written'}`, () => {
      const cadence = describeSchedule(schedule);
      assert.equal(cadence === null ? null : en.cadence(cadence, null), expected);
    });
  }
});

describe('copyable commands', () => {
  it('quote a name the shell would read otherwise', () => {
    assert.equal(logsCommand('ns', 'job-1'), 'kubectl -n ns logs job/job-1');
    assert.equal(logsCommand('ns', 'a;rm -rf'), "kubectl -n ns logs 'job/a;rm -rf'");
    assert.equal(logsCommand("it's", 'x'), "kubectl -n 'it'\\''s' logs job/x");
  });
  it('name a manual run within 63 characters', () => {
    const command = rerunCommand('ns', 'x'.repeat(52));
    const name = command.split(`--from=cronjob/${'x'.repeat(52)} `)[1] ?? '';
    assert.equal(name, `${'x'.repeat(45)}-manual-$(date +%s)`);
    // Ten digits of seconds replace `$(date +%s)`.
    assert.ok(name.replace('$(date +%s)', '1'.repeat(10)).length <= 63);
  });
});
