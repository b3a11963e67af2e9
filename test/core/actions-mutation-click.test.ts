/**
 * Reading a click (core/actions/click.ts) from payloads shaped against the rules: a user ID is
 * text, an element's `action_id` is text (anything else is not one of our controls, and is
 * passed over without failing), Slack's `action_ts` is seconds since 1970 in digits with an
 * optional fraction and nothing around them, a button's `value` is text, and the menu's
 * incident is the button in the clicked menu's own `actions` block (any such block when Slack
 * gave no `block_id`). Written for issue 27, beside click-mutation.test.ts; expected values are
 * written out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {readClick} from '../../functions/core/actions/click.js';

const NOW = new Date('2026-03-02T02:00:00.000Z');
const REF = JSON.stringify({
  v: 1,
  c: {id: 'kubeconfig/prod', name: 'prod', project: null, location: null},
  k: 'batch/backup',
  n: 'failing',
  i: 'uid/job-1',
});
const OTHER = JSON.stringify({...JSON.parse(REF), i: 'uid/other'});
const ACK = 'cronjob-watcher:acknowledge';

type Payload = Record<string, unknown>;

const button = (extra: Payload = {}): Payload => ({
  type: 'button',
  action_id: ACK,
  block_id: 'b1',
  value: REF,
  ...extra,
});

const menu = (extra: Payload = {}): Payload => ({
  type: 'static_select',
  action_id: 'cronjob-watcher:snooze',
  block_id: 'b1',
  selected_option: {text: {type: 'plain_text', text: '1 hour'}, value: '1h'},
  ...extra,
});

const actionsBlock = (blockId: string | undefined, elements: unknown[]) => ({
  type: 'actions',
  ...(blockId === undefined ? {} : {block_id: blockId}),
  elements,
});

function payload(action: Payload, extra: Payload = {}): Payload {
  return {
    type: 'block_actions',
    team: {id: 'T0EXAMPLE1'},
    user: {id: 'U0ALICE001'},
    actions: [action],
    message: {
      type: 'message',
      ts: '1.0',
      blocks: [actionsBlock('b1', [{action_id: ACK, value: REF}])],
    },
    response_url: 'https://hooks.slack.com/actions/T/1/x',
    ...extra,
  };
}

/** The incident id a payload's click names, or the problem. */
function incidentOf(p: Payload): string {
  const read = readClick(p, NOW);
  return read.ok ? read.click.ref.id : read.problem;
}

describe('who clicked', () => {
  it('a user ID that is not text: malformed', () => {
    assert.deepEqual(readClick(payload(button(), {user: {id: 42}}), NOW), {
      ok: false,
      problem: 'malformed',
    });
    assert.deepEqual(readClick(payload(button(), {user: {}}), NOW), {
      ok: false,
      problem: 'malformed',
    });
  });
});

describe('which action is ours', () => {
  it('an element whose action_id is not text is passed over, not read', () => {
    const odd = {type: 'button', action_id: 42, value: OTHER};
    const read = readClick(payload(button(), {actions: [odd, {value: OTHER}, button()]}), NOW);
    assert.equal(read.ok ? read.click.ref.id : read.problem, 'uid/job-1');
  });
});

describe('when: Slack’s action_ts, or now', () => {
  const rows: Array<[string, string, Date]> = [
    ['digits and a fraction', '1772416740.500000', new Date('2026-03-02T01:59:00.500Z')],
    ['a leading space', ' 1772416740.500000', NOW],
    ['a trailing space', '1772416740.500000 ', NOW],
    ['a trailing newline', '1772416740\n', NOW],
    ['an exponent after the digits', '1772416740e0', NOW],
    ['a sign', '+1772416740', NOW],
  ];
  for (const [name, ts, expected] of rows) {
    it(`${name}: ${expected === NOW ? 'now' : 'Slack’s'}`, () => {
      const read = readClick(payload(button({action_ts: ts})), NOW);
      assert.deepEqual(read.ok ? read.click.at : read.problem, expected);
    });
  }

  it('a snooze counts from Slack’s time when it is trusted, else from now', () => {
    const slack = readClick(payload(menu({action_ts: '1772416740.5'})), NOW);
    assert.deepEqual(slack.ok ? slack.click.choice : slack.problem, {
      type: 'snooze',
      until: new Date('2026-03-02T02:59:00.500Z'),
    });
    const spaced = readClick(payload(menu({action_ts: ' 1772416740.5'})), NOW);
    assert.deepEqual(spaced.ok ? spaced.click.choice : spaced.problem, {
      type: 'snooze',
      until: new Date('2026-03-02T03:00:00.000Z'),
    });
  });
});

describe('which incident', () => {
  it('a button value that is not text, even one that reads as our reference: unknown', () => {
    assert.equal(incidentOf(payload(button({value: [REF]}))), 'unknown-incident');
    assert.equal(incidentOf(payload(button({value: {toString: () => REF}}))), 'unknown-incident');
  });

  it('a menu without a block_id: the button of any actions block of ours', () => {
    const p = payload(menu({block_id: undefined}), {
      message: {blocks: [actionsBlock('b7', [{action_id: ACK, value: REF}])]},
    });
    assert.equal(incidentOf(p), 'uid/job-1');
  });

  it('only actions blocks are read: a button-like element elsewhere is not the incident', () => {
    const blocks = [
      {type: 'context', block_id: 'b1', elements: [{type: 'button', action_id: ACK, value: OTHER}]},
      actionsBlock('b1', [{action_id: ACK, value: REF}]),
    ];
    assert.equal(incidentOf(payload(menu(), {message: {blocks}})), 'uid/job-1');
    assert.equal(
      incidentOf(payload(menu({block_id: undefined}), {message: {blocks}})),
      'uid/job-1',
    );
  });

  it('odd blocks and elements are passed over', () => {
    const blocks = [
      null,
      'divider',
      {type: 'actions', block_id: 'b1'},
      actionsBlock('b1', [
        null,
        {type: 'datepicker'},
        {type: 'button', action_id: 7, value: OTHER},
        {type: 'static_select', action_id: 'cronjob-watcher:snooze', value: OTHER},
        {type: 'button', action_id: 'cronjob-watcher:unacknowledge', value: REF},
      ]),
    ];
    assert.equal(incidentOf(payload(menu(), {message: {blocks}})), 'uid/job-1');
  });
});
