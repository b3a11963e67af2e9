/**
 * Both catalogues: complete, and the messages of every kind in both languages with the
 * per-CronJob parts (mention, runbook, log excerpt, muted), rendered for Slack and the console.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {CATALOGUES} from '../../functions/core/messages/catalogue.js';
import {LANGUAGES, type Language} from '../../functions/core/messages/languages.js';
import {formatDurationJa} from '../../functions/core/messages/words-ja.js';
import type {
  ClusterUnreadableIncident,
  Destination,
  FailingIncident,
  Incident,
  MissedIncident,
  RunningTooLongIncident,
} from '../../functions/core/incident.js';
import {buildMessages} from '../../functions/core/messages/build.js';
import {renderConsole} from '../../functions/core/messages/render-console.js';
import {
  FIELD_TEXT_MAX_CHARS,
  HEADER_TEXT_MAX_CHARS,
  renderSlackMessages,
  SECTION_TEXT_MAX_CHARS,
  type SlackMessage,
} from '../../functions/core/messages/render-slack.js';
import {
  CLOSED_INCIDENT,
  context,
  notification,
  OPEN_INCIDENT,
} from '../support/notification-fixtures.js';

/** Every key path of an object, functions as leaves: a catalogue's shape. */
function shapeOf(value: unknown, prefix = ''): string[] {
  // A null entry (`slackDateFormat`) stands for text the language does without.
  if (value === null) return [`${prefix}:string`];
  if (typeof value !== 'object') return [`${prefix}:${typeof value}`];
  return Object.entries(value).flatMap(([k, v]) => shapeOf(v, prefix ? `${prefix}.${k}` : k));
}

describe('catalogues', () => {
  it('one per language', () => {
    assert.deepEqual(Object.keys(CATALOGUES).sort(), [...LANGUAGES].sort());
  });
  for (const language of LANGUAGES) {
    it(`${language} has every key English has, of the same type, and no other`, () => {
      assert.deepEqual(shapeOf(CATALOGUES[language]).sort(), shapeOf(CATALOGUES.en).sort());
    });
  }
  it('a missing key is caught (the check itself can fail)', () => {
    const {mutedLine: _dropped, ...partial} = CATALOGUES.ja;
    assert.notDeepEqual(shapeOf(partial).sort(), shapeOf(CATALOGUES.en).sort());
  });
});

describe('Japanese durations', () => {
  const S = 1000;
  const M = 60 * S;
  const H = 60 * M;
  const D = 24 * H;
  const cases: Array<[number, string]> = [
    [0, '0秒'],
    [45 * S, '45秒'],
    [12 * M + 5 * S, '12分5秒'],
    [2 * H, '2時間'],
    [2 * H + 5 * M + 59 * S, '2時間5分'],
    [3 * D + 4 * H + 30 * M, '3日4時間'],
    [-1, '0秒'],
  ];
  for (const [ms, expected] of cases) {
    it(`${ms} ms → ${expected}`, () => assert.equal(formatDurationJa(ms), expected));
  }
});

const DESTINATION: Destination = {
  channel: 'C0TEAM0001',
  language: 'en',
  mention: '<!subteam^S0123ABCD>',
  runbook: 'https://wiki.example.com/rb?a=1&b=2',
};
const LOG = {
  pod: 'backup-28578000-x7k2p',
  container: 'main',
  text: 'pg_dump: error <x> & more\npassword=[masked]',
  cut: true,
  unavailable: null,
};

function slackOf(incident: Incident, kind: 'opened' | 'closed' | 'recovered') {
  return renderSlackMessages(buildMessages(notification(kind, incident), context()));
}
function all(m: ReturnType<typeof slackOf>): SlackMessage[] {
  if (m.kind === 'reminder') return [m.reply];
  return m.kind === 'closed'
    ? [m.update, m.reply, m.standalone]
    : m.kind === 'acted'
      ? [m.update, ...(m.reply === null ? [] : [m.reply])]
      : [m.post];
}
function textOf(m: SlackMessage): string {
  return `${m.text}\n${JSON.stringify(m.blocks)}`;
}

// What each language says, written out here rather than taken from the catalogues.
const EXPECTED: Record<
  Language,
  {
    opened: string;
    reply: RegExp;
    recovered: string;
    runbook: string;
    log: string;
    note: string;
    closedAt: string;
  }
> = {
  en: {
    opened: '🔴 batch/backup failed: Error (exit 1) · prod-eu',
    reply:
      /✅ Recovered after 2h 5m: backup-manual-x7k2p \(manual run\) succeeded \(3 failed runs\)/,
    recovered: 'and recovered after 2h 5m',
    runbook: 'Runbook',
    log: '*Last lines of the log of container main (pod backup-28578000-x7k2p)*',
    note: 'Older lines were left out to fit the message.',
    closedAt: '<!date^1714565130^{date_short_pretty} at {time}|May 1, 12:05 UTC>',
  },
  ja: {
    opened: '🔴 batch/backup が失敗しました: Error (exit 1) · prod-eu',
    reply: /✅ 2時間5分で復旧しました（失敗3回、Job backup-manual-x7k2p（手動実行）の成功で復旧）/,
    recovered: '2時間5分後に復旧しました',
    runbook: '手順書',
    log: '*コンテナ main のログ末尾（Pod backup-28578000-x7k2p）*',
    note: 'メッセージに収まるよう、古い行は省略しています。',
    closedAt: '<!date^1714565130^{date_short_pretty} {time}|5月1日 12:05 UTC>',
  },
};

/** The runbook button, as Slack receives it. */
function runbookButton(label: string): string {
  return JSON.stringify({
    type: 'button',
    action_id: 'link-runbook',
    text: {type: 'plain_text', text: label, emoji: true},
    url: 'https://wiki.example.com/rb?a=1&b=2',
  });
}

for (const language of LANGUAGES) {
  describe(`messages in ${language}, with the per-CronJob parts`, () => {
    const destination = {...DESTINATION, language};
    const open: FailingIncident = {...OPEN_INCIDENT, destination, log: LOG};
    const closed: FailingIncident = {...CLOSED_INCIDENT, destination, log: LOG};
    const want = EXPECTED[language];

    it('the opening: title, the mention unescaped first, the log as a code block', () => {
      const m = slackOf(open, 'opened');
      assert.ok(m.kind === 'opened');
      assert.deepEqual(m.post.blocks[0], {
        type: 'header',
        text: {type: 'plain_text', text: want.opened, emoji: true},
      });
      assert.deepEqual(m.post.blocks[1], {
        type: 'section',
        text: {type: 'mrkdwn', text: '<!subteam^S0123ABCD>'},
      });
      assert.equal(m.post.text, `<!subteam^S0123ABCD> ${want.opened}`);
      const text = textOf(m.post);
      assert.ok(
        text.includes(
          `${want.log}\\n\`\`\`\\npg_dump: error &lt;x&gt; &amp; more\\npassword=[masked]\\n\`\`\``,
        ),
      );
      assert.ok(text.includes(want.note));
    });

    it('the closing: a one-line reply in this language, live times, and no message but the opening mentions', () => {
      const m = slackOf(closed, 'closed');
      assert.ok(m.kind === 'closed');
      assert.match(textOf(m.reply), want.reply);
      assert.equal(m.reply.blocks.length, 1);
      for (const message of [m.update, m.reply, m.standalone]) {
        assert.ok(!textOf(message).includes('subteam'));
      }
      // Times as Slack dates, in each reader's zone and language.
      assert.ok(textOf(m.update).includes(want.closedAt));
    });

    it('the runbook button on every card; one-line messages stay one line', () => {
      const cluster: ClusterUnreadableIncident = {
        kind: 'cluster-unreadable',
        id: 'cluster:x@1',
        openedAt: '2024-05-01T10:00:00Z',
        closedAt: '2024-05-01T10:30:00Z',
        ending: {type: 'readable-again', at: '2024-05-01T10:30:00Z'},
        firstError: {at: '2024-05-01T10:00:00Z', code: 'FORBIDDEN', message: 'no'},
        latestError: {at: '2024-05-01T10:15:00Z', code: 'FORBIDDEN', message: 'no'},
        failedReads: 3,
        destination,
      };
      const closedFailing = slackOf(closed, 'closed');
      const closedCluster = slackOf(cluster, 'closed');
      assert.ok(closedFailing.kind === 'closed' && closedCluster.kind === 'closed');
      const cards = [
        ...all(slackOf(open, 'opened')),
        closedFailing.update,
        closedFailing.standalone,
        ...all(slackOf(cluster, 'opened')),
        closedCluster.update,
        closedCluster.standalone,
      ];
      for (const message of cards) {
        const actions = message.blocks.at(-1);
        assert.equal(actions?.type, 'actions');
        assert.ok(JSON.stringify(actions).endsWith(`${runbookButton(want.runbook)}]}`));
      }
      const recovered = all(slackOf(closed, 'recovered'));
      for (const line of [closedFailing.reply, closedCluster.reply, ...recovered]) {
        assert.deepEqual(
          line.blocks.map(b => b.type),
          ['section'],
        );
      }
      assert.ok(textOf(recovered[0]!).includes(want.recovered));
    });

    it('muted: one quiet reply in this language, nothing else', () => {
      const muted: FailingIncident = {
        ...open,
        closedAt: '2024-05-01T11:00:00Z',
        ending: {type: 'muted', at: '2024-05-01T11:00:00Z'},
      };
      const m = slackOf(muted, 'closed');
      assert.ok(m.kind === 'closed' && m.quiet === true);
      assert.match(m.reply.text, language === 'ja' ? /^ミュート: / : /^Muted: /);
    });

    it('the console shows the same parts, plainly', () => {
      const built = buildMessages(notification('opened', open), context());
      assert.ok(built.kind === 'opened');
      const lines = renderConsole(built.post).split('\n');
      assert.equal(lines[0], '<!subteam^S0123ABCD>');
      assert.equal(lines[1], want.opened);
      assert.ok(lines.includes('    pg_dump: error <x> & more'));
      assert.ok(lines.includes(want.note));
      assert.ok(lines.includes(`${want.runbook}: https://wiki.example.com/rb?a=1&b=2`));
    });

    it("within Slack's limits, whatever the log holds", () => {
      const huge: FailingIncident = {
        ...open,
        log: {...LOG, text: Array.from({length: 50}, () => '&'.repeat(400)).join('\n')},
      };
      for (const message of all(slackOf(huge, 'opened'))) {
        for (const block of message.blocks) {
          if (block.type === 'header') assert.ok(block.text.text.length <= HEADER_TEXT_MAX_CHARS);
          if (block.type === 'section' && 'text' in block) {
            assert.ok(block.text.text.length <= SECTION_TEXT_MAX_CHARS);
          }
          if (block.type === 'section' && 'fields' in block) {
            for (const f of block.fields) assert.ok(f.text.length <= FIELD_TEXT_MAX_CHARS);
          }
        }
        const code = message.blocks.find(
          b => b.type === 'section' && 'text' in b && b.text.text.includes('```'),
        );
        assert.ok(code !== undefined && 'text' in code && code.text.text.endsWith('\n```'));
      }
    });
  });
}

describe('a log that could not be read', () => {
  it('says why in the language of the incident', () => {
    for (const [language, expected] of [
      ['en', 'No log excerpt: the Pod is already deleted.'],
      ['ja', 'ログ抜粋なし: Pod が既に削除されています'],
    ] as const) {
      const incident: FailingIncident = {
        ...OPEN_INCIDENT,
        destination: {...DESTINATION, language},
        log: {
          pod: 'p',
          container: 'main',
          text: null,
          cut: false,
          unavailable: {reason: 'gone', detail: null},
        },
      };
      const m = slackOf(incident, 'opened');
      assert.ok(m.kind === 'opened');
      assert.ok(textOf(m.post).includes(expected));
      // The only code block is the commands'.
      assert.equal(textOf(m.post).split('```').length, 3);
    }
  });
});

describe('records without a destination', () => {
  it('are written in English with no mention or runbook, as before', () => {
    const m = slackOf(OPEN_INCIDENT, 'opened');
    assert.ok(m.kind === 'opened');
    assert.equal(m.post.blocks[0]?.type, 'header');
    assert.equal(m.post.blocks[1]?.type, 'section');
    assert.ok(!textOf(m.post).includes('Runbook'));
    assert.ok(textOf(m.post).includes('batch/backup failed: Error (exit 1)'));
  });
});

// The silent-failure kinds, in both languages: what each message says, written out here.
const MISSED: MissedIncident = {
  kind: 'missed',
  id: 'missed:cj@2024-05-01T00:00:00Z',
  openedAt: '2024-05-01T00:00:00Z',
  closedAt: '2024-05-01T02:05:00Z',
  ending: {type: 'started', at: '2024-05-01T02:00:00Z'},
  schedule: '0 9 * * *',
  timeZone: 'Asia/Tokyo',
  firstDueAt: '2024-05-01T00:00:00Z',
  latestDueAt: '2024-05-01T01:00:00Z',
  missedRuns: 2,
  lastStartedAt: '2024-04-30T00:00:05Z',
};
const STUCK: RunningTooLongIncident = {
  kind: 'running-too-long',
  id: 'running-too-long:job-uid',
  openedAt: '2024-05-01T01:00:00Z',
  closedAt: '2024-05-01T03:05:00Z',
  ending: {
    type: 'finished',
    at: '2024-05-01T03:05:00Z',
    run: {
      job: 'load-28578000',
      jobUid: 'job-uid',
      at: '2024-05-01T03:05:00Z',
      manual: false,
      reason: null,
      message: null,
      detail: null,
    },
    succeeded: true,
  },
  job: 'load-28578000',
  jobUid: 'job-uid',
  manual: false,
  startedAt: '2024-05-01T00:00:00Z',
  limitMs: 3_600_000,
  limitFrom: 'annotation',
  podDetail: 'ImagePullBackOff',
  blockedRuns: 0,
};
const SILENT: Array<{
  incident: Incident;
  said: Record<
    Language,
    {opened: SlackMessage['blocks'][number]; reply: RegExp; recovered: string}
  >;
}> = [
  {
    incident: MISSED,
    said: {
      en: {
        // A title with a time is a bold section: a header cannot hold a live date.
        opened: {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*⏰ batch/backup did not start <!date^1714521600^{date_short_pretty} at {time}|May 1, 00:00 UTC> (due every day at 09:00 Asia/Tokyo) · prod-eu*',
          },
        },
        reply: /Runs resumed after 2h 5m \(2 missed runs\)/,
        recovered: 'batch/backup started late: due',
      },
      ja: {
        opened: {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*⏰ batch/backup が <!date^1714521600^{date_short_pretty} {time}|5月1日 00:00 UTC> に起動しませんでした（毎日 09:00 Asia/Tokyo） · prod-eu*',
          },
        },
        reply: /2時間5分ぶりに起動を再開しました（未起動2回）/,
        recovered: 'batch/backup の起動が遅れました',
      },
    },
  },
  {
    incident: STUCK,
    said: {
      en: {
        opened: {
          type: 'header',
          text: {
            type: 'plain_text',
            text: '🐢 batch/backup stuck 12h 6m: ImagePullBackOff · prod-eu',
            emoji: true,
          },
        },
        reply: /load-28578000 succeeded after 3h 5m/,
        recovered: 'batch/backup ran too long',
      },
      ja: {
        opened: {
          type: 'header',
          text: {
            type: 'plain_text',
            text: '🐢 batch/backup が12時間6分停止しています: ImagePullBackOff · prod-eu',
            emoji: true,
          },
        },
        reply: /Job load-28578000 が3時間5分後に成功しました/,
        recovered: 'batch/backup の実行が上限を超えました',
      },
    },
  },
];

for (const {incident, said} of SILENT) {
  for (const language of LANGUAGES) {
    describe(`${incident.kind} in ${language}`, () => {
      const addressed = {...incident, destination: {...DESTINATION, language}} as Incident;
      const want = said[language];

      it('the opening: its title, the mention first, the runbook', () => {
        const m = slackOf(addressed, 'opened');
        assert.ok(m.kind === 'opened');
        assert.deepEqual(m.post.blocks[0], want.opened);
        assert.ok(m.post.text.startsWith('<!subteam^S0123ABCD> '));
        assert.ok(textOf(m.post).includes(runbookButton(language === 'ja' ? '手順書' : 'Runbook')));
      });

      it('the closing reply in this language; the closed cards keep the runbook, none mentions', () => {
        const m = slackOf(addressed, 'closed');
        assert.ok(m.kind === 'closed');
        assert.match(textOf(m.reply), want.reply);
        for (const message of [m.update, m.standalone]) {
          assert.ok(textOf(message).includes('"action_id":"link-runbook"'));
        }
        for (const message of [m.update, m.reply, m.standalone]) {
          assert.ok(!textOf(message).includes('subteam'));
        }
        const recovered = slackOf(addressed, 'recovered');
        assert.ok(recovered.kind === 'recovered');
        assert.ok(textOf(recovered.post).includes(want.recovered));
      });

      it('muted: one quiet reply', () => {
        const muted = {
          ...addressed,
          ending: {type: 'muted', at: '2024-05-01T11:00:00Z'},
        } as Incident;
        const m = slackOf(muted, 'closed');
        assert.ok(m.kind === 'closed' && m.quiet === true);
        assert.match(m.reply.text, language === 'ja' ? /^ミュート: / : /^Muted: /);
      });
    });
  }
}

describe('a failure whose Job is gone, in Japanese', () => {
  it('marks the run and says why it has no detail', () => {
    const gone: FailingIncident = {
      ...OPEN_INCIDENT,
      destination: {...DESTINATION, language: 'ja'},
      openedBy: {...OPEN_INCIDENT.openedBy, gone: {cause: 'failed-jobs-history-limit'}},
      latestFailure: {...OPEN_INCIDENT.latestFailure, gone: {cause: 'failed-jobs-history-limit'}},
    };
    const text = textOf(all(slackOf(gone, 'opened'))[0]!);
    assert.ok(text.includes('（Job は削除済み）'));
    assert.ok(text.includes('failedJobsHistoryLimit: 0 のため失敗した Job が残りません'));
  });
});
