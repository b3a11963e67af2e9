/**
 * What a Slack click asks for (core/actions/click.ts), as a table over `block_actions`
 * payloads shaped as Slack documents them: who, which workspace, which incident, which choice,
 * when, and where to answer; and every payload that is not one of our controls, refused with
 * its reason. Written for issue 27 (the core tests did not reach click.ts: only the HTTP tests
 * did). Expected values are written out by hand.
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
const REF_DECODED = {
  cluster: {id: 'kubeconfig/prod', name: 'prod', project: null, location: null},
  key: 'batch/backup',
  kind: 'failing',
  id: 'uid/job-1',
};

type Payload = Record<string, unknown>;

function button(actionId = 'cronjob-watcher:acknowledge', extra: Payload = {}): Payload {
  return {type: 'button', action_id: actionId, block_id: 'b1', value: REF, ...extra};
}

function menu(value: string, extra: Payload = {}): Payload {
  return {
    type: 'static_select',
    action_id: 'cronjob-watcher:snooze',
    block_id: 'b1',
    selected_option: {text: {type: 'plain_text', text: value}, value},
    ...extra,
  };
}

/** The message the control sits on: our actions block, maybe another block first. */
function message(blocks: unknown[] = [actionsBlock('b1')]): Payload {
  return {type: 'message', ts: '1.0', blocks};
}

function actionsBlock(blockId: string, value = REF, actionId = 'cronjob-watcher:acknowledge') {
  return {
    type: 'actions',
    block_id: blockId,
    elements: [
      {type: 'button', action_id: actionId, value},
      {type: 'static_select', action_id: 'cronjob-watcher:snooze'},
    ],
  };
}

function payload(action: Payload, extra: Payload = {}): Payload {
  return {
    type: 'block_actions',
    team: {id: 'T0EXAMPLE1'},
    user: {id: 'U0ALICE001'},
    actions: [action],
    message: message(),
    response_url: 'https://hooks.slack.com/actions/T/1/x',
    ...extra,
  };
}

describe('a click we act on', () => {
  it('Acknowledge: who, where, which incident, now when Slack gave no time', () => {
    const read = readClick(payload(button()), NOW);
    assert.deepEqual(read, {
      ok: true,
      click: {
        teamId: 'T0EXAMPLE1',
        userId: 'U0ALICE001',
        ref: REF_DECODED,
        choice: {type: 'acknowledge'},
        at: NOW,
        responseUrl: 'https://hooks.slack.com/actions/T/1/x',
      },
    });
  });

  it('Unacknowledge', () => {
    const read = readClick(payload(button('cronjob-watcher:unacknowledge')), NOW);
    assert.deepEqual(read.ok ? read.click.choice : null, {type: 'unacknowledge'});
  });

  const times: Array<[string, unknown, Date]> = [
    [
      'Slack’s action_ts within 5 minutes',
      '1772416740.500000',
      new Date('2026-03-02T01:59:00.500Z'),
    ],
    ['exactly 5 minutes early', '1772416500', new Date('2026-03-02T01:55:00.000Z')],
    ['exactly 5 minutes late', '1772417100', new Date('2026-03-02T02:05:00.000Z')],
    ['more than 5 minutes off: now', '1772416499', NOW],
    ['not a Slack time: now', '17724167x0', NOW],
    ['too few digits: now', '17724167', NOW],
    ['not a string: now', 1772416740, NOW],
  ];
  for (const [name, actionTs, expected] of times) {
    it(`when: ${name}`, () => {
      const read = readClick(
        payload(button('cronjob-watcher:acknowledge', {action_ts: actionTs})),
        NOW,
      );
      assert.deepEqual(read.ok ? read.click.at : null, expected);
    });
  }

  const snoozes: Array<[string, unknown]> = [
    ['1h', {type: 'snooze', until: new Date('2026-03-02T03:00:00.000Z')}],
    ['4h', {type: 'snooze', until: new Date('2026-03-02T06:00:00.000Z')}],
    ['1d', {type: 'snooze', until: new Date('2026-03-03T02:00:00.000Z')}],
    ['recovery', {type: 'snooze', until: 'recovery'}],
    ['end', {type: 'unsnooze'}],
  ];
  for (const [value, choice] of snoozes) {
    it(`the snooze menu's "${value}", the incident named by the button beside it`, () => {
      const read = readClick(payload(menu(value)), NOW);
      assert.ok(read.ok, JSON.stringify(read));
      assert.deepEqual(read.click.choice, choice);
      assert.deepEqual(read.click.ref, REF_DECODED);
    });
  }

  it("the menu's incident is the button of its own block, not another block's", () => {
    const other = JSON.stringify({...JSON.parse(REF), i: 'uid/other'});
    const blocks = [
      {type: 'section', block_id: 's'},
      actionsBlock('b0', other),
      actionsBlock('b1', REF, 'cronjob-watcher:unacknowledge'),
    ];
    const read = readClick(payload(menu('1h'), {message: message(blocks)}), NOW);
    assert.deepEqual(read.ok ? read.click.ref.id : null, 'uid/job-1');
  });

  it('no response_url, or an empty one: nowhere to answer', () => {
    const none = readClick(payload(button(), {response_url: undefined}), NOW);
    assert.equal(none.ok ? none.click.responseUrl : 'x', null);
    const empty = readClick(payload(button(), {response_url: ''}), NOW);
    assert.equal(empty.ok ? empty.click.responseUrl : 'x', null);
  });

  it('the first of our actions counts; others’ actions before it are passed over', () => {
    const theirs = {type: 'button', action_id: 'other-app:approve', value: 'x'};
    const read = readClick(payload(button(), {actions: [theirs, 'junk', button()]}), NOW);
    assert.deepEqual(read.ok ? read.click.choice : null, {type: 'acknowledge'});
  });
});

describe('what is refused, and why', () => {
  const rows: Array<[string, unknown, string]> = [
    ['not an object', 'payload', 'malformed'],
    ['null', null, 'malformed'],
    ['a view submission', {...payload(button()), type: 'view_submission'}, 'not-block-actions'],
    ['no team', {...payload(button()), team: undefined}, 'malformed'],
    ['no user', {...payload(button()), user: 'U1'}, 'malformed'],
    ['actions not a list', {...payload(button()), actions: {0: button()}}, 'malformed'],
    ['a team id that is not text', payload(button(), {team: {id: 7}}), 'malformed'],
    ['an empty user id', payload(button(), {user: {id: ''}}), 'malformed'],
    [
      'none of our controls',
      payload({type: 'button', action_id: 'other-app:x', value: REF}),
      'unknown-action',
    ],
    ['our prefix, an unknown control', payload(button('cronjob-watcher:delete')), 'unknown-action'],
    ['a menu without a choice', payload({...menu('1h'), selected_option: null}), 'malformed'],
    [
      'a menu choice that is not text',
      payload(menu('1h', {selected_option: {value: 3}})),
      'malformed',
    ],
    ['a snooze we do not offer', payload(menu('2w')), 'unknown-action'],
    [
      'a button value that is not ours',
      payload(button('cronjob-watcher:acknowledge', {value: '{"v":2}'})),
      'unknown-incident',
    ],
    [
      'a button without a value',
      payload(button('cronjob-watcher:acknowledge', {value: 5})),
      'unknown-incident',
    ],
    [
      'a menu whose block has no button of ours',
      payload(menu('1h'), {
        message: message([
          {
            type: 'actions',
            block_id: 'b1',
            elements: [{type: 'button', action_id: 'x:y', value: REF}],
          },
        ]),
      }),
      'unknown-incident',
    ],
    [
      'a menu in a message without blocks',
      payload(menu('1h'), {message: {type: 'message'}}),
      'unknown-incident',
    ],
    [
      'a menu whose block is another one',
      payload(menu('1h'), {message: message([actionsBlock('b9')])}),
      'unknown-incident',
    ],
  ];
  for (const [name, p, problem] of rows) {
    it(`${name}: ${problem}`, () => {
      assert.deepEqual(readClick(p, NOW), {ok: false, problem});
    });
  }
});
