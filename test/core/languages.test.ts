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
  return m.kind === 'closed' ? [m.update, m.reply, m.standalone] : [m.post];
}
function textOf(m: SlackMessage): string {
  return `${m.text}\n${JSON.stringify(m.blocks)}`;
}

// What each language says, written out here rather than taken from the catalogues.
const EXPECTED: Record<
  Language,
  {opened: string; reply: RegExp; recovered: string; runbook: string; log: string; note: string}
> = {
  en: {
    opened: '🔴 CronJob failing: batch/backup',
    reply: /✅ Resolved after 2h 5m, 3 failed runs, fixed by manual run backup-manual-x7k2p/,
    recovered: '🟡 Failed and recovered: batch/backup',
    runbook: '|Runbook>',
    log: '*Last lines of the log of container main (pod backup-28578000-x7k2p)*',
    note: 'Older lines were left out to fit the message.',
  },
  ja: {
    opened: '🔴 CronJob 失敗: batch/backup',
    reply: /✅ 2時間5分で復旧、失敗3回、手動実行 backup-manual-x7k2p で復旧/,
    recovered: '🟡 失敗後に復旧: batch/backup',
    runbook: '|Runbook>',
    log: '*コンテナ main のログ末尾（Pod backup-28578000-x7k2p）*',
    note: 'メッセージに収まるよう、古い行は省略しています。',
  },
};

for (const language of LANGUAGES) {
  describe(`messages in ${language}, with the per-CronJob parts`, () => {
    const destination = {...DESTINATION, language};
    const open: FailingIncident = {...OPEN_INCIDENT, destination, log: LOG};
    const closed: FailingIncident = {...CLOSED_INCIDENT, destination, log: LOG};
    const want = EXPECTED[language];

    it('the opening: title, the mention unescaped first, the log as a code block', () => {
      const m = slackOf(open, 'opened');
      assert.ok(m.kind === 'opened');
      assert.equal(m.post.blocks[0]?.type, 'header');
      assert.deepEqual(m.post.blocks[0], {
        type: 'header',
        text: {type: 'plain_text', text: want.opened, emoji: true},
      });
      assert.deepEqual(m.post.blocks[1], {
        type: 'section',
        text: {type: 'mrkdwn', text: '<!subteam^S0123ABCD>'},
      });
      assert.ok(m.post.text.startsWith('<!subteam^S0123ABCD> '));
      const text = textOf(m.post);
      assert.ok(
        text.includes(
          `${want.log}\\n\`\`\`\\npg_dump: error &lt;x&gt; &amp; more\\npassword=[masked]\\n\`\`\``,
        ),
      );
      assert.ok(text.includes(want.note));
    });

    it('the closing: the reply says how long in this language, and no message but the opening mentions', () => {
      const m = slackOf(closed, 'closed');
      assert.ok(m.kind === 'closed');
      assert.match(textOf(m.reply), want.reply);
      for (const message of [m.update, m.reply, m.standalone]) {
        assert.ok(!textOf(message).includes('subteam'));
      }
      if (language === 'ja') {
        // Times as Slack dates: each reader sees their own zone.
        assert.match(
          textOf(m.reply),
          /<!date\^1714565130\^\{date_num\} \{time_secs\}（\{ago\}）\|2024-05-01T12:05:30Z>/,
        );
      } else {
        assert.match(textOf(m.reply), /2024-05-01T12:05:30Z \(<!date\^1714565130\^\{ago\}\|UTC>\)/);
      }
    });

    it('the runbook link in every message of every kind', () => {
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
      const messages = [
        ...all(slackOf(open, 'opened')),
        ...all(slackOf(closed, 'closed')),
        ...all(slackOf(closed, 'recovered')),
        ...all(slackOf(cluster, 'opened')),
        ...all(slackOf(cluster, 'closed')),
      ];
      assert.equal(messages.length, 9);
      for (const message of messages) {
        assert.ok(textOf(message).includes(`<https://wiki.example.com/rb?a=1&b=2${want.runbook}`));
      }
      assert.equal(all(slackOf(closed, 'recovered'))[0]?.blocks[0]?.type, 'header');
      assert.ok(textOf(all(slackOf(closed, 'recovered'))[0]!).includes(want.recovered));
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
      assert.ok(lines.some(l => l.endsWith(': https://wiki.example.com/rb?a=1&b=2')));
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
      assert.ok(!textOf(m.post).includes('```'));
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
    assert.ok(textOf(m.post).includes('CronJob failing'));
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
  said: Record<Language, {opened: string; reply: RegExp; recovered: string}>;
}> = [
  {
    incident: MISSED,
    said: {
      en: {
        opened: '⏰ CronJob did not start: batch/backup',
        reply: /A run started again after 2h 5m without one, 2 missed runs/,
        recovered: 'Started late: batch/backup',
      },
      ja: {
        opened: '⏰ CronJob が起動しませんでした: batch/backup',
        reply: /起動を再開しました（2時間5分起動なし）、未起動2回/,
        recovered: '遅れて起動: batch/backup',
      },
    },
  },
  {
    incident: STUCK,
    said: {
      en: {
        opened: '🐢 Job running too long: batch/backup',
        reply: /Job load-28578000 succeeded after running 3h 5m/,
        recovered: 'Ran too long, then finished: batch/backup',
      },
      ja: {
        opened: '🐢 Job の実行時間超過: batch/backup',
        reply: /Job load-28578000 が成功しました（実行時間 3時間5分）/,
        recovered: '実行時間超過の後に終了: batch/backup',
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
        assert.deepEqual(m.post.blocks[0], {
          type: 'header',
          text: {type: 'plain_text', text: want.opened, emoji: true},
        });
        assert.ok(m.post.text.startsWith('<!subteam^S0123ABCD> '));
        assert.ok(textOf(m.post).includes('<https://wiki.example.com/rb?a=1&b=2|Runbook>'));
      });

      it('the closing reply in this language; every closing message links the runbook, none mentions', () => {
        const m = slackOf(addressed, 'closed');
        assert.ok(m.kind === 'closed');
        assert.match(textOf(m.reply), want.reply);
        for (const message of [m.update, m.reply, m.standalone]) {
          assert.ok(textOf(message).includes('|Runbook>'));
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
