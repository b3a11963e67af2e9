import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {Ending, FailingIncident} from '../../functions/core/incident.js';
import {endOf, type FailingEnd} from '../../functions/core/detections/failing/incident.js';
import {buildMessages} from '../../functions/core/messages/build.js';
import type {Message} from '../../functions/core/messages/model.js';
import {renderConsole} from '../../functions/core/messages/render-console.js';
import {renderSlack} from '../../functions/core/messages/render-slack.js';
import {
  CLOSED_INCIDENT,
  FIXING_RUN,
  OPEN_INCIDENT,
  OPENING_RUN,
  context,
  messageOf,
  notification,
} from '../support/notification-fixtures.js';

const AT = '2024-05-01T12:05:30Z';

describe('endOf: the one reading of how a failing incident ended', () => {
  const cases: Array<[Ending | null, FailingEnd]> = [
    [
      {type: 'succeeded', at: AT, run: FIXING_RUN},
      {type: 'fixed', run: FIXING_RUN},
    ],
    [{type: 'succeeded-job-gone', at: AT}, {type: 'fixed-job-gone'}],
    [{type: 'cronjob-deleted', at: AT}, {type: 'deleted'}],
    [{type: 'readable-again', at: AT}, {type: 'unknown'}],
    [null, {type: 'unknown'}],
  ];
  for (const [ending, expected] of cases) {
    it(`${ending?.type ?? 'no ending'} → ${expected.type}`, () => {
      assert.deepEqual(endOf({...CLOSED_INCIDENT, ending}), expected);
    });
  }
});

describe('buildMessages', () => {
  it('carries the duration of a closed incident, and none while it is open', () => {
    const twoHoursFiveMinutes = (2 * 60 + 5) * 60_000 + 30_000;
    assert.equal(messageOf('opened', OPEN_INCIDENT, 'post').durationMs, null);
    for (const which of ['update', 'reply', 'standalone'] as const) {
      assert.equal(messageOf('closed', CLOSED_INCIDENT, which).durationMs, twoHoursFiveMinutes);
    }
  });

  it('refuses a failing incident whose subject is the cluster', () => {
    assert.throws(
      () =>
        buildMessages(notification('opened', OPEN_INCIDENT), {
          ...context(),
          subject: {type: 'cluster'},
        }),
      /needs a CronJob subject/,
    );
  });

  it('shows a failure message literally on the console, markup characters included', () => {
    const run = {...OPENING_RUN, message: 'no *.csv in `in/` & <none>'};
    const incident: FailingIncident = {...OPEN_INCIDENT, openedBy: run, latestFailure: run};
    const post = messageOf('opened', incident, 'post');
    assert.ok(renderConsole(post).includes('\n  | no *.csv in `in/` & <none>\n'));
    const slack = JSON.stringify(renderSlack(post).blocks);
    assert.ok(slack.includes('>no *.csv in `in/` &amp; &lt;none&gt;'));
  });
});

describe('renderSlack keeps Slack limits whatever the message holds', () => {
  const many: Message = {
    tone: 'failing',
    title: [{type: 'text', text: 't'.repeat(200)}],
    lead: null,
    fields: Array.from({length: 12}, (_, i) => ({
      label: `L${i}`,
      value: [{type: 'text', text: 'v'.repeat(2500)}],
    })),
    reason: null,
    details: [],
    quote: 'q'.repeat(4000),
    commands: [],
    actions: [],
    notes: [],
    summary: [{type: 'text', text: 'summary'}],
    durationMs: null,
  };
  const rendered = renderSlack(many);

  it('at most 10 fields a section, each at most 2,000 characters', () => {
    const sections = rendered.blocks.filter(b => b.type === 'section' && 'fields' in b);
    assert.deepEqual(
      sections.map(b => ('fields' in b ? b.fields.length : 0)),
      [10, 2],
    );
    for (const b of sections) {
      if ('fields' in b) for (const f of b.fields) assert.equal(f.text.length, 2000);
    }
  });

  it('a header of at most 150 characters, a section of at most 3,000', () => {
    const header = rendered.blocks[0];
    assert.ok(header?.type === 'header');
    assert.equal(header.text.text.length, 150);
    const quote = rendered.blocks.at(-1);
    assert.ok(quote?.type === 'section' && 'text' in quote);
    assert.equal(quote.text.text.length, 3000);
    assert.ok(quote.text.text.endsWith('…'));
  });

  it('at most 50 blocks', () => {
    const fields = Array.from({length: 600}, () => ({label: 'x', value: []}));
    assert.equal(renderSlack({...many, fields}).blocks.length, 50);
  });
});
