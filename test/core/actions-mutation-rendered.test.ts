/**
 * The answers only the clicker sees, as Slack gets them (core/actions/messages.ts through
 * render-slack.ts): one mrkdwn section whose text is also the notification text, each state
 * line on its own line, people as `<@ID>` and times as Slack date tokens
 * (`<!date^seconds^format|fallback>`, Slack's "Formatting text for app surfaces"). And the
 * `incidents` table when a cluster has no name: its column stays, blank. Written for issue 27;
 * expected texts are written out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {ephemeralAnswer} from '../../functions/core/actions/messages.js';
import {incidentsTable} from '../../functions/core/actions/incident-list.js';
import {COMMON_WORDS} from '../../functions/core/messages/catalogue.js';
import {renderSlack} from '../../functions/core/messages/render-slack.js';

/** 2026-03-02T09:30:00Z in seconds since 1970. */
const AT_SECONDS = 1_772_443_800;
const AT = '2026-03-02T09:30:00.000Z';

function section(text: string) {
  return {text, blocks: [{type: 'section', text: {type: 'mrkdwn', text}}]};
}

describe('the clicker’s answer in Slack', () => {
  it('already so (en): the sentence, then who acknowledged it, on the next line', () => {
    const answer = ephemeralAnswer(
      'unchanged',
      {acknowledged: {by: 'U0ALICE001', at: AT}},
      COMMON_WORDS.en,
      'en',
    );
    assert.equal(new Date(AT_SECONDS * 1000).toISOString(), AT);
    assert.deepEqual(
      renderSlack(answer),
      section(
        'Nothing changed: it already is so.\n' +
          `Acknowledged by <@U0ALICE001> · <!date^${AT_SECONDS}^{date_short_pretty} at {time}|Mar 2, 09:30 UTC>`,
      ),
    );
  });

  it('already so (ja): snoozed until it recovers', () => {
    const answer = ephemeralAnswer(
      'unchanged',
      {snoozed: {by: 'U0BOB00002', at: AT, until: 'recovery'}},
      COMMON_WORDS.ja,
      'ja',
    );
    assert.deepEqual(
      renderSlack(answer),
      section(
        '変更はありません（すでにその状態です）。\nスヌーズ中: 復旧するまで（<@U0BOB00002>）',
      ),
    );
  });

  it('closed (en) and not allowed (ja): the sentence alone', () => {
    assert.deepEqual(
      renderSlack(ephemeralAnswer('closed', null, COMMON_WORDS.en, 'en')),
      section('This incident is closed: there is nothing to acknowledge or snooze.'),
    );
    assert.deepEqual(
      renderSlack(ephemeralAnswer('notAllowed', null, COMMON_WORDS.ja, 'ja')),
      section(
        'インシデントの対応やスヌーズができるのは、許可されたユーザーグループのメンバーだけです。',
      ),
    );
  });
});

describe('the incidents table', () => {
  it('a cluster without a name: its column stays, blank', () => {
    const table = incidentsTable([
      {
        cluster: '',
        cronJob: 'a/b',
        kind: 'x',
        id: 'i',
        openedAt: '2026-03-02T09:30:00.000Z',
        ageMs: 0,
        acknowledged: null,
        snoozed: null,
        channel: null,
      },
    ]);
    assert.equal(
      table,
      'CLUSTER  CRONJOB  KIND  OPENED                AGE  STATE  CHANNEL\n' +
        '         a/b      x     2026-03-02T09:30:00Z  0m   -      (default)\n',
    );
  });
});
