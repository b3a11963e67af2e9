/**
 * What acknowledging and snoozing say (core/actions/messages.ts with words.ts), in English and
 * Japanese: the opening message's state lines, the thread reply of each action (a snooze's end
 * with what grew meanwhile, by kind, one and many), the answers only the clicker sees, and the
 * controls (Block Kit: a button, and a static select whose options carry our values). Written
 * for issue 27. Every sentence is written out by hand from what each action means; people show
 * as `@ID` and times as their plain form (`Mar 2, 09:30 UTC`, `3月2日 09:30 UTC`).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  actionReply,
  ephemeralAnswer,
  stateLines,
  withControls,
  withControlsFor,
  type EphemeralAnswer,
} from '../../functions/core/actions/messages.js';
import type {ActionEvent, Incident, IncidentKind} from '../../functions/core/incident.js';
import {COMMON_WORDS} from '../../functions/core/messages/catalogue.js';
import type {Language} from '../../functions/core/messages/languages.js';
import type {Message, MessageContext, Text} from '../../functions/core/messages/model.js';
import {oneLine, plainOf} from '../../functions/core/messages/pieces.js';
import {FAILING, KINDS} from '../support/action-incidents.js';

const ALICE = 'U0ALICE001';
const BOB = 'U0BOB00002';
const AT = '2026-03-02T09:30:00.000Z';
const UNTIL = '2026-03-02T13:30:00.000Z';

function plain(lines: Text[]): string[] {
  return lines.map(plainOf);
}

/** The people a text names, in order, as Slack user segments (rendered `<@ID>`). */
function users(line: Text): string[] {
  return line.flatMap(s => (s.type === 'user' ? [s.id] : []));
}

describe('state lines of the opening message', () => {
  const cases: Array<{
    name: string;
    state: Parameters<typeof stateLines>[0];
    en: string[];
    ja: string[];
  }> = [
    {name: 'nobody', state: {}, en: [], ja: []},
    {
      name: 'acknowledged',
      state: {acknowledged: {by: ALICE, at: AT}},
      en: ['Acknowledged by @U0ALICE001 · Mar 2, 09:30 UTC'],
      ja: ['対応中: @U0ALICE001 · 3月2日 09:30 UTC'],
    },
    {
      name: 'snoozed until a time',
      state: {snoozed: {by: BOB, at: AT, until: UNTIL}},
      en: ['Snoozed until Mar 2, 13:30 UTC by @U0BOB00002'],
      ja: ['スヌーズ中: 3月2日 13:30 UTC まで（@U0BOB00002）'],
    },
    {
      name: 'snoozed until it recovers',
      state: {snoozed: {by: BOB, at: AT, until: 'recovery'}},
      en: ['Snoozed until it recovers, by @U0BOB00002'],
      ja: ['スヌーズ中: 復旧するまで（@U0BOB00002）'],
    },
    {
      name: 'both: the acknowledgement first',
      state: {acknowledged: {by: ALICE, at: AT}, snoozed: {by: BOB, at: AT, until: 'recovery'}},
      en: [
        'Acknowledged by @U0ALICE001 · Mar 2, 09:30 UTC',
        'Snoozed until it recovers, by @U0BOB00002',
      ],
      ja: ['対応中: @U0ALICE001 · 3月2日 09:30 UTC', 'スヌーズ中: 復旧するまで（@U0BOB00002）'],
    },
  ];
  for (const c of cases) {
    for (const language of ['en', 'ja'] as const) {
      it(`${c.name} (${language})`, () => {
        const lines = stateLines(c.state, COMMON_WORDS[language], language);
        assert.deepEqual(plain(lines), c[language]);
      });
    }
  }

  it('the person is a Slack user segment and the time a date segment', () => {
    const [ack, snooze] = stateLines(
      {acknowledged: {by: ALICE, at: AT}, snoozed: {by: BOB, at: AT, until: UNTIL}},
      COMMON_WORDS.en,
      'en',
    );
    assert.deepEqual(users(ack ?? []), [ALICE]);
    assert.deepEqual(users(snooze ?? []), [BOB]);
    const times = [...(ack ?? []), ...(snooze ?? [])].flatMap(s =>
      s.type === 'time' ? [s.epochMs] : [],
    );
    assert.deepEqual(times, [Date.parse(AT), Date.parse(UNTIL)]);
  });
});

describe('the thread reply of an action', () => {
  const cases: Array<{event: ActionEvent; en: string; ja: string}> = [
    {
      event: {type: 'acknowledged', by: ALICE, at: AT},
      en: '@U0ALICE001 acknowledged this.',
      ja: '@U0ALICE001 さんが対応を始めました。',
    },
    {
      event: {type: 'unacknowledged', by: ALICE, at: AT},
      en: '@U0ALICE001 took back the acknowledgement.',
      ja: '@U0ALICE001 さんが対応を取り消しました。',
    },
    {
      event: {type: 'snoozed', by: BOB, at: AT, until: UNTIL},
      en: '@U0BOB00002 snoozed this until Mar 2, 13:30 UTC.',
      ja: '@U0BOB00002 さんが 3月2日 13:30 UTC までスヌーズしました。',
    },
    {
      event: {type: 'snoozed', by: BOB, at: AT, until: 'recovery'},
      en: '@U0BOB00002 snoozed this until it recovers.',
      ja: '@U0BOB00002 さんが復旧するまでスヌーズしました。',
    },
    {
      event: {type: 'unsnoozed', by: BOB, at: AT},
      en: '@U0BOB00002 ended the snooze.',
      ja: '@U0BOB00002 さんがスヌーズを終了しました。',
    },
    {
      event: {type: 'snooze-ended', by: BOB, at: UNTIL, until: UNTIL, meanwhile: 0},
      en: 'The snooze by @U0BOB00002 has ended; this is still open, nothing new meanwhile.',
      ja: '@U0BOB00002 さんのスヌーズが終わりました。まだ続いています（その間に新しいことはありません）。',
    },
  ];
  for (const c of cases) {
    for (const language of ['en', 'ja'] as const) {
      it(`${c.event.type}${'until' in c.event ? ` ${c.event.until}` : ''} (${language})`, () => {
        const reply = actionReply(c.event, FAILING, 'failing', COMMON_WORDS[language], language);
        assert.equal(plainOf(reply.lead ?? []), c[language]);
        assert.deepEqual(users(reply.lead ?? []), [c.event.by]);
        // A one-line message in the incident's tone, the line as its summary too.
        assert.deepEqual(reply, oneLine('failing', reply.lead ?? []));
      });
    }
  }

  // What grew while it was snoozed, by kind: one, then many (English counts its nouns).
  const meanwhile: Record<IncidentKind, {en: [string, string]; ja: [string, string]}> = {
    failing: {
      en: ['1 more failed run', '4 more failed runs'],
      ja: ['失敗がさらに 1 回', '失敗がさらに 4 回'],
    },
    missed: {
      en: ['1 more missed run', '4 more missed runs'],
      ja: ['実行されなかった予定がさらに 1 回', '実行されなかった予定がさらに 4 回'],
    },
    'running-too-long': {
      en: ['1 more run blocked', '4 more runs blocked'],
      ja: ['止められた実行がさらに 1 回', '止められた実行がさらに 4 回'],
    },
    'cluster-unreadable': {
      en: ['1 more failed read', '4 more failed reads'],
      ja: ['読み取りの失敗がさらに 1 回', '読み取りの失敗がさらに 4 回'],
    },
    'finished-too-fast': {
      en: ['1 more run too fast', '4 more runs too fast'],
      ja: ['早すぎる実行がさらに 1 回', '早すぎる実行がさらに 4 回'],
    },
    'slower-than-usual': {en: ['1 more', '4 more'], ja: ['さらに 1 回', 'さらに 4 回']},
  };
  for (const {kind, incident} of KINDS) {
    for (const [i, n] of [1, 4].entries()) {
      it(`a snooze's end on ${kind} with ${n} meanwhile`, () => {
        const event: ActionEvent = {
          type: 'snooze-ended',
          by: BOB,
          at: UNTIL,
          until: UNTIL,
          meanwhile: n,
        };
        const en = actionReply(event, incident, 'failing', COMMON_WORDS.en, 'en');
        const ja = actionReply(event, incident, 'failing', COMMON_WORDS.ja, 'ja');
        assert.equal(
          plainOf(en.lead ?? []),
          `The snooze by @U0BOB00002 has ended; this is still open: ${meanwhile[kind].en[i]} meanwhile.`,
        );
        assert.equal(
          plainOf(ja.lead ?? []),
          `@U0BOB00002 さんのスヌーズが終わりました。まだ続いています（その間に${meanwhile[kind].ja[i]}）。`,
        );
      });
    }
  }
});

describe('the answer only the clicker sees', () => {
  const answers: Record<EphemeralAnswer, {en: string; ja: string}> = {
    notAllowed: {
      en: 'Only members of the user groups allowed to act on incidents can acknowledge or snooze them.',
      ja: 'インシデントの対応やスヌーズができるのは、許可されたユーザーグループのメンバーだけです。',
    },
    closed: {
      en: 'This incident is closed: there is nothing to acknowledge or snooze.',
      ja: 'このインシデントは終わっています。対応やスヌーズの必要はありません。',
    },
    unchanged: {
      en: 'Nothing changed: it already is so.',
      ja: '変更はありません（すでにその状態です）。',
    },
    notRecorded: {
      en: 'That could not be recorded (the incident store did not answer): nothing changed. Please try again in a minute.',
      ja: '記録できませんでした（インシデントの保存先が応答しません）。何も変わっていません。少し待ってからもう一度お試しください。',
    },
    notConfirmed: {
      en: 'That was not confirmed in time (the incident store is slow). If it was recorded, the message shows it within a few minutes; if it does not, nothing changed and you can try again.',
      ja: '時間内に確認できませんでした（インシデントの保存先の応答が遅れています）。記録されていれば数分以内にメッセージに表示されます。表示されなければ何も変わっていないので、もう一度お試しください。',
    },
  };
  const acked = {acknowledged: {by: ALICE, at: AT}, snoozed: {by: BOB, at: AT, until: UNTIL}};
  for (const [answer, text] of Object.entries(answers) as Array<
    [EphemeralAnswer, {en: string; ja: string}]
  >) {
    for (const language of ['en', 'ja'] as const) {
      it(`${answer} (${language}): the sentence`, () => {
        const alone = ephemeralAnswer(answer, null, COMMON_WORDS[language], language);
        assert.equal(plainOf(alone.lead ?? []), text[language]);
        assert.deepEqual(alone.summary, alone.lead);
        assert.equal(alone.tone, 'resolved');
        // Only "already so" shows the state; the other answers say nothing of it.
        if (answer !== 'unchanged') {
          assert.deepEqual(ephemeralAnswer(answer, acked, COMMON_WORDS[language], language), alone);
        }
      });
    }
  }

  it('unchanged: the sentence, then the state lines, one a line', () => {
    const en = ephemeralAnswer('unchanged', acked, COMMON_WORDS.en, 'en');
    assert.equal(
      plainOf(en.lead ?? []),
      'Nothing changed: it already is so.\n' +
        'Acknowledged by @U0ALICE001 · Mar 2, 09:30 UTC\n' +
        'Snoozed until Mar 2, 13:30 UTC by @U0BOB00002',
    );
    assert.deepEqual(en.summary, en.lead);
    const ja = ephemeralAnswer('unchanged', {snoozed: acked.snoozed}, COMMON_WORDS.ja, 'ja');
    assert.equal(
      plainOf(ja.lead ?? []),
      '変更はありません（すでにその状態です）。\nスヌーズ中: 3月2日 13:30 UTC まで（@U0BOB00002）',
    );
    // Nobody acknowledged or snoozed it (someone just took it back): the sentence alone.
    assert.equal(
      plainOf(ephemeralAnswer('unchanged', {}, COMMON_WORDS.en, 'en').lead ?? []),
      'Nothing changed: it already is so.',
    );
  });
});

const POST: Message = {
  ...oneLine('failing', [{type: 'text', text: 'backup failed'}]),
  notes: [[{type: 'text', text: 'Runbook below.'}]],
  actions: [
    {type: 'link', id: 'logs', url: 'https://console.cloud.google.com/logs', label: 'Logs'},
  ],
};
const VALUE = '{"v":1}';

describe('the controls of an opening message', () => {
  const menu = (language: Language, end: boolean) => ({
    type: 'menu' as const,
    id: 'snooze' as const,
    label: language === 'en' ? 'Snooze' : 'スヌーズ',
    options: [
      ...(language === 'en'
        ? [
            {label: '1 hour', value: '1h'},
            {label: '4 hours', value: '4h'},
            {label: '1 day', value: '1d'},
            {label: 'Until it recovers', value: 'recovery'},
          ]
        : [
            {label: '1 時間', value: '1h'},
            {label: '4 時間', value: '4h'},
            {label: '1 日', value: '1d'},
            {label: '復旧するまで', value: 'recovery'},
          ]),
      ...(end ? [{label: language === 'en' ? 'End snooze' : 'スヌーズを終了', value: 'end'}] : []),
    ],
  });

  it('nobody acted: Acknowledge and the menu first, before the post’s own buttons', () => {
    const out = withControlsFor(POST, {}, VALUE, COMMON_WORDS.en, 'en');
    assert.deepEqual(out, {
      ...POST,
      actions: [
        {type: 'button', id: 'acknowledge', label: 'Acknowledge', value: VALUE},
        menu('en', false),
        ...POST.actions,
      ],
    });
  });

  it('acknowledged and snoozed: Unacknowledge, End snooze, and the state lines first (ja)', () => {
    const state = {acknowledged: {by: ALICE, at: AT}, snoozed: {by: BOB, at: AT, until: UNTIL}};
    const out = withControlsFor(POST, state, VALUE, COMMON_WORDS.ja, 'ja');
    assert.deepEqual(out.actions, [
      {type: 'button', id: 'unacknowledge', label: '対応を取り消す', value: VALUE},
      menu('ja', true),
      ...POST.actions,
    ]);
    assert.deepEqual(plain(out.notes), [
      '対応中: @U0ALICE001 · 3月2日 09:30 UTC',
      'スヌーズ中: 3月2日 13:30 UTC まで（@U0BOB00002）',
      'Runbook below.',
    ]);
  });

  it('acknowledged, not snoozed (en); snoozed, not acknowledged (ja)', () => {
    const acked = withControlsFor(
      POST,
      {acknowledged: {by: ALICE, at: AT}},
      VALUE,
      COMMON_WORDS.en,
      'en',
    );
    assert.deepEqual(acked.actions.slice(0, 2), [
      {type: 'button', id: 'unacknowledge', label: 'Unacknowledge', value: VALUE},
      menu('en', false),
    ]);
    const snoozed = withControlsFor(
      POST,
      {snoozed: {by: BOB, at: AT, until: 'recovery'}},
      VALUE,
      COMMON_WORDS.ja,
      'ja',
    );
    assert.deepEqual(snoozed.actions.slice(0, 2), [
      {type: 'button', id: 'acknowledge', label: '対応する', value: VALUE},
      menu('ja', true),
    ]);
  });

  it('no value (it would not fit a button): the state lines but no control', () => {
    const out = withControlsFor(
      POST,
      {acknowledged: {by: ALICE, at: AT}},
      null,
      COMMON_WORDS.en,
      'en',
    );
    assert.deepEqual(out.actions, POST.actions);
    assert.deepEqual(plain(out.notes), [
      'Acknowledged by @U0ALICE001 · Mar 2, 09:30 UTC',
      'Runbook below.',
    ]);
  });

  const context: MessageContext = {
    cluster: {id: 'kubeconfig/prod', name: 'prod', project: null, location: null},
    subject: {
      type: 'cronjob',
      namespace: 'batch',
      name: 'backup',
      uid: 'cj-uid',
      schedule: '0 * * * *',
    },
  };

  it('an open incident: its buttons name its cluster, record, kind and id', () => {
    const out = withControls(POST, FAILING, context, COMMON_WORDS.en, 'en');
    const value = JSON.stringify({
      v: 1,
      c: {id: 'kubeconfig/prod', name: 'prod', project: null, location: null},
      k: 'batch/backup',
      n: 'failing',
      i: 'cj/failing',
    });
    assert.deepEqual(out.actions[0], {
      type: 'button',
      id: 'acknowledge',
      label: 'Acknowledge',
      value,
    });
  });

  it('a closed incident: the post as it was, no state line, no control', () => {
    const closed: Incident = {
      ...FAILING,
      closedAt: '2026-03-02T09:45:00.000Z',
      acknowledged: {by: ALICE, at: AT},
    };
    assert.deepEqual(withControls(POST, closed, context, COMMON_WORDS.en, 'en'), POST);
  });

  it('a reference too long for a button: no control, the state lines still', () => {
    const long = {...context, cluster: {...context.cluster, name: 'x'.repeat(2000)}};
    const out = withControls(
      POST,
      {...FAILING, acknowledged: {by: ALICE, at: AT}},
      long,
      COMMON_WORDS.en,
      'en',
    );
    assert.deepEqual(out.actions, POST.actions);
    assert.equal(out.notes.length, 2);
  });
});
