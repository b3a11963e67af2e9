/**
 * Acknowledge and snooze on a storm's parent (issue 22 §1), the pure rules as tables: what a
 * click on the parent records on the storm and asks of each open member, what changes
 * nothing, how the messages the storm owes queue up, how the parent's snooze ends, what the
 * parent and its one reply say, and how a version-9 storm record is read back. Every expected
 * value is written out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {decodeIncidentRef} from '../../functions/core/actions/ids.js';
import {decideAction, endSnoozes} from '../../functions/core/actions/decide-action.js';
import type {
  FailingIncident,
  StormMember,
  StormSend,
  StormState,
  SubjectRecord,
} from '../../functions/core/incident.js';
import {RECORD_SCHEMA_VERSION} from '../../functions/core/incident.js';
import {buildMessages} from '../../functions/core/messages/build.js';
import {renderConsole} from '../../functions/core/messages/render-console.js';
import {renderSlack} from '../../functions/core/messages/render-slack.js';
import type {ClusterRef} from '../../functions/core/model.js';
import {upgradeRecord} from '../../functions/core/record-upgrade.js';
import {decideStormAction, endStormSnooze} from '../../functions/core/storms/actions.js';
import {buildStormMessage, buildStormMessages} from '../../functions/core/storms/messages.js';
import {markStormSent, queueSend} from '../../functions/core/storms/storm.js';

const CLUSTER: ClusterRef = {id: 'kubeconfig/prod', name: 'prod', project: null, location: null};
const ID = '2026-03-02T01:30:00.000Z#';
const NOW = new Date('2026-03-02T02:00:00.000Z');
const CLICK = new Date('2026-03-02T01:59:58.000Z');

function member(name: string, recoveredAt: string | null = null): StormMember {
  return {
    key: `batch/${name}`,
    incidentId: `uid-${name}/${name}-1`,
    kind: 'failing',
    namespace: 'batch',
    name,
    reason: 'OOMKilled',
    recoveredAt,
  };
}

function send(kind: StormSend['kind'], overrides: Partial<StormSend> = {}): StormSend {
  return {
    id: `${ID}/${kind}`,
    kind,
    createdAt: '2026-03-02T01:45:00.000Z',
    attempts: 0,
    lastError: null,
    claim: null,
    ...overrides,
  };
}

function storm(overrides: Partial<StormState> = {}): StormState {
  return {
    id: ID,
    clusterName: 'prod',
    destination: {channel: null, language: 'en', mention: null, runbook: null},
    openedAt: '2026-03-02T01:06:00.000Z',
    members: [member('a'), member('b', '2026-03-02T01:50:00.000Z'), member('c')],
    parent: {channel: 'C0ALERTS01', ts: '1772415000.000100'},
    shown: 1,
    finishedAt: null,
    send: null,
    ...overrides,
  };
}

function stormRecord(state: StormState = storm()): SubjectRecord {
  return {
    schemaVersion: RECORD_SCHEMA_VERSION,
    clusterId: CLUSTER.id,
    subject: {type: 'storm', id: ID},
    watermark: null,
    open: {},
    outbox: [],
    threads: [],
    history: [],
    readFailures: null,
    runs: [],
    updatedAt: '2026-03-02T01:45:00.000Z',
    storm: state,
  };
}

const request = (choice: Parameters<typeof decideStormAction>[1]['choice'], by = 'U0ALICE001') => ({
  stormId: ID,
  choice,
  by,
  at: CLICK,
});

describe('a click on the parent', () => {
  it('acknowledge: the storm records who, owes one acted message, and asks each open member', () => {
    const outcome = decideStormAction(stormRecord(), request({type: 'acknowledge'}), NOW);
    assert.equal(outcome.type, 'recorded');
    if (outcome.type !== 'recorded') return;
    const event = {
      type: 'acknowledged',
      by: 'U0ALICE001',
      at: '2026-03-02T01:59:58.000Z',
      storm: ID,
    };
    assert.deepEqual(outcome.record.storm?.acknowledged, {
      by: 'U0ALICE001',
      at: '2026-03-02T01:59:58.000Z',
    });
    assert.deepEqual(outcome.record.storm?.send, {
      id: `${ID}/acknowledged:U0ALICE001@2026-03-02T01:59:58.000Z`,
      kind: 'acted',
      createdAt: '2026-03-02T02:00:00.000Z',
      attempts: 0,
      lastError: null,
      claim: null,
      action: event,
      count: 2,
    });
    // b recovered: only a and c are acted on.
    assert.deepEqual(
      outcome.requests.map(r => [r.key, r.request.incidentId, r.request.kind, r.request.storm]),
      [
        ['batch/a', 'uid-a/a-1', 'failing', ID],
        ['batch/c', 'uid-c/c-1', 'failing', ID],
      ],
    );
    assert.equal(outcome.record.updatedAt, '2026-03-02T02:00:00.000Z');
  });

  const unchanged: Array<[string, StormState, Parameters<typeof request>[0]]> = [
    [
      'acknowledge, already acknowledged',
      storm({acknowledged: {by: 'U0BOB00002', at: '2026-03-02T01:55:00.000Z'}}),
      {type: 'acknowledge'},
    ],
    ['unacknowledge, not acknowledged', storm(), {type: 'unacknowledge'}],
    ['end snooze, not snoozed', storm(), {type: 'unsnooze'}],
    [
      'end snooze, the snooze already ran out',
      storm({
        snoozed: {
          by: 'U0BOB00002',
          at: '2026-03-02T01:00:00.000Z',
          until: '2026-03-02T02:00:00.000Z',
        },
      }),
      {type: 'unsnooze'},
    ],
    [
      'the same snooze again while it lasts',
      storm({
        snoozed: {
          by: 'U0BOB00002',
          at: '2026-03-02T01:50:00.000Z',
          until: '2026-03-02T02:50:00.000Z',
        },
      }),
      {type: 'snooze', until: new Date('2026-03-02T02:50:00.000Z')},
    ],
    [
      'a snooze that ends by now',
      storm(),
      {type: 'snooze', until: new Date('2026-03-02T02:00:00.000Z')},
    ],
  ];
  for (const [name, state, choice] of unchanged) {
    it(`changes nothing: ${name}`, () => {
      assert.equal(decideStormAction(stormRecord(state), request(choice), NOW).type, 'unchanged');
    });
  }

  const closed: Array<[string, SubjectRecord | null]> = [
    ['no record', null],
    ['another storm', stormRecord(storm({id: 'other'}))],
    [
      'every member recovered',
      stormRecord(storm({members: [member('b', '2026-03-02T01:50:00.000Z')]})),
    ],
    ['finished', stormRecord(storm({finishedAt: '2026-03-02T01:58:00.000Z'}))],
  ];
  for (const [name, record] of closed) {
    it(`is told it is over: ${name}`, () => {
      assert.deepEqual(decideStormAction(record, request({type: 'acknowledge'}), NOW), {
        type: 'closed',
      });
    });
  }

  it('snooze until it recovers, then end it: each asks every open member the same', () => {
    const snoozed = decideStormAction(
      stormRecord(),
      request({type: 'snooze', until: 'recovery'}),
      NOW,
    );
    assert.equal(snoozed.type, 'recorded');
    if (snoozed.type !== 'recorded') return;
    assert.deepEqual(snoozed.record.storm?.snoozed, {
      by: 'U0ALICE001',
      until: 'recovery',
      at: '2026-03-02T01:59:58.000Z',
    });
    assert.deepEqual(
      snoozed.requests.map(r => r.request.choice),
      [
        {type: 'snooze', until: 'recovery'},
        {type: 'snooze', until: 'recovery'},
      ],
    );
    // The acted message is owed; ending the snooze queues a second one behind it.
    const ended = decideStormAction(snoozed.record, request({type: 'unsnooze'}), NOW);
    assert.equal(ended.type, 'recorded');
    if (ended.type !== 'recorded') return;
    assert.equal(ended.record.storm?.snoozed, undefined);
    assert.equal(ended.record.storm?.send?.id, `${ID}/snoozed:U0ALICE001@2026-03-02T01:59:58.000Z`);
    assert.deepEqual(
      ended.record.storm?.queued?.map(s => s.id),
      [`${ID}/unsnoozed:U0ALICE001@2026-03-02T01:59:58.000Z`],
    );
  });
});

describe('what a storm owes, in order', () => {
  const acted = send('acted', {id: `${ID}/acknowledged:U@t`});
  const cases: Array<[string, StormSend | null, StormSend | null, string[]]> = [
    ['nothing owed: it is owed now', null, acted, []],
    [
      'a progress update nobody started: replaced (acted rewrites the parent)',
      send('progress'),
      acted,
      [],
    ],
    [
      'a progress update being sent: it goes first',
      send('progress', {claim: {by: 'pass-1', until: '2026-03-02T02:05:00.000Z'}}),
      send('progress'),
      [acted.id],
    ],
    [
      'a progress update that failed once: it goes first',
      send('progress', {attempts: 1, lastError: 'ratelimited'}),
      send('progress'),
      [acted.id],
    ],
    ['the parent not posted yet: it goes first', send('opened'), send('opened'), [acted.id]],
  ];
  for (const [name, owed, now, queued] of cases) {
    it(name, () => {
      const next = queueSend(storm({send: owed}), acted);
      assert.equal(next.send?.id, now?.id);
      assert.equal(next.send?.kind, now?.kind);
      assert.deepEqual(next.queued?.map(s => s.id) ?? [], queued);
    });
  }

  it('once the first is sent the queued one is owed, and then a progress update if behind', () => {
    const second = send('acted', {id: `${ID}/unsnoozed:U@t`});
    const record = stormRecord(
      storm({send: send('acted', {id: `${ID}/snoozed:U@t`}), queued: [second], shown: 0}),
    );
    const afterFirst = markStormSent(record, `${ID}/snoozed:U@t`, null, 1, NOW);
    assert.equal(afterFirst?.storm?.send?.id, second.id);
    assert.equal(afterFirst?.storm?.queued, undefined);
    assert.equal(afterFirst?.storm?.shown, 1);
    // Shown 1 recovered, 1 recovered: nothing more is owed.
    const afterSecond = markStormSent(afterFirst, second.id, null, 1, NOW);
    assert.equal(afterSecond?.storm?.send, null);
  });
});

describe("the parent's snooze ends", () => {
  const snoozed = (until: string) =>
    storm({snoozed: {by: 'U0BOB00002', at: '2026-03-02T01:00:00.000Z', until}});
  it('not before its time', () => {
    assert.equal(endStormSnooze(stormRecord(snoozed('2026-03-02T02:00:00.001Z')), NOW), null);
  });
  it('never for "until it recovers" (each member ends with its own recovery)', () => {
    assert.equal(endStormSnooze(stormRecord(snoozed('recovery')), NOW), null);
  });
  it('not when there is no snooze', () => {
    assert.equal(endStormSnooze(stormRecord(), NOW), null);
  });
  it('at its time: one acted message, counting the members still open', () => {
    const ended = endStormSnooze(stormRecord(snoozed('2026-03-02T02:00:00.000Z')), NOW);
    assert.equal(ended?.storm?.snoozed, undefined);
    assert.deepEqual(ended?.storm?.send?.action, {
      type: 'snooze-ended',
      by: 'U0BOB00002',
      at: '2026-03-02T02:00:00.000Z',
      until: '2026-03-02T02:00:00.000Z',
      meanwhile: 0,
      storm: ID,
    });
    assert.equal(ended?.storm?.send?.count, 2);
  });
  it('after everyone recovered: dropped without a word', () => {
    const done = storm({
      snoozed: {
        by: 'U0BOB00002',
        at: '2026-03-02T01:00:00.000Z',
        until: '2026-03-02T01:30:00.000Z',
      },
      finishedAt: '2026-03-02T01:58:00.000Z',
    });
    const ended = endStormSnooze(stormRecord(done), NOW);
    assert.equal(ended?.storm?.snoozed, undefined);
    assert.equal(ended?.storm?.send, null);
  });
});

describe('each member, acted on through the storm', () => {
  const incident: FailingIncident = {
    kind: 'failing',
    id: 'uid-a/a-1',
    openedAt: '2026-03-02T01:06:00.000Z',
    closedAt: null,
    ending: null,
    openedBy: {
      job: 'a-1',
      jobUid: 'uid-a-1',
      manual: false,
      at: '2026-03-02T01:06:00.000Z',
      reason: 'BackoffLimitExceeded',
      message: null,
      detail: null,
    },
    latestFailure: {
      job: 'a-1',
      jobUid: 'uid-a-1',
      manual: false,
      at: '2026-03-02T01:06:00.000Z',
      reason: 'BackoffLimitExceeded',
      message: null,
      detail: null,
    },
    failedRuns: 1,
  };
  const memberRecord: SubjectRecord = {
    schemaVersion: RECORD_SCHEMA_VERSION,
    clusterId: CLUSTER.id,
    subject: {type: 'cronjob', namespace: 'batch', name: 'a', uid: 'uid-a', schedule: '0 * * * *'},
    watermark: null,
    open: {failing: incident},
    outbox: [],
    threads: [
      {incidentId: incident.id, channel: 'C0ALERTS01', ts: '1.2', threadTs: '1.1', storm: ID},
    ],
    history: [],
    readFailures: null,
    runs: [],
    updatedAt: '2026-03-02T01:45:00.000Z',
  };
  const context = {
    cluster: CLUSTER,
    subject: memberRecord.subject,
    thread: memberRecord.threads[0] ?? null,
  };

  it('its message is updated, with no reply of its own', () => {
    const outcome = decideAction(
      memberRecord,
      {
        kind: 'failing',
        incidentId: incident.id,
        choice: {type: 'acknowledge'},
        by: 'U0ALICE001',
        at: CLICK,
        storm: ID,
      },
      NOW,
    );
    assert.equal(outcome.type, 'recorded');
    if (outcome.type !== 'recorded') return;
    const acted = outcome.record.outbox[0];
    assert.equal(acted?.action?.storm, ID);
    const messages = buildMessages(acted!, context);
    assert.equal(messages.kind, 'acted');
    if (messages.kind !== 'acted') return;
    assert.equal(messages.reply, null);
    assert.match(renderConsole(messages.update), /Acknowledged by @U0ALICE001/);
  });

  it('a snooze from the storm ends without a reply of its own', () => {
    const snoozed = decideAction(
      memberRecord,
      {
        kind: 'failing',
        incidentId: incident.id,
        choice: {type: 'snooze', until: new Date('2026-03-02T03:00:00.000Z')},
        by: 'U0ALICE001',
        at: CLICK,
        storm: ID,
      },
      NOW,
    );
    assert.equal(snoozed.type, 'recorded');
    if (snoozed.type !== 'recorded') return;
    assert.equal(snoozed.record.open.failing?.snoozed?.storm, ID);
    const ended = endSnoozes({...snoozed.record, outbox: []}, new Date('2026-03-02T03:00:00.000Z'));
    const event = ended?.outbox[0]?.action;
    assert.equal(event?.type, 'snooze-ended');
    assert.equal(event?.storm, ID);
    const messages = buildMessages(ended!.outbox[0]!, context);
    assert.equal(messages.kind === 'acted' ? messages.reply : 'not acted', null);
  });

  it('a snooze of its own still ends with its own reply', () => {
    const snoozed = decideAction(
      memberRecord,
      {
        kind: 'failing',
        incidentId: incident.id,
        choice: {type: 'snooze', until: new Date('2026-03-02T03:00:00.000Z')},
        by: 'U0ALICE001',
        at: CLICK,
      },
      NOW,
    );
    assert.equal(snoozed.type, 'recorded');
    if (snoozed.type !== 'recorded') return;
    const ended = endSnoozes({...snoozed.record, outbox: []}, new Date('2026-03-02T03:00:00.000Z'));
    const messages = buildMessages(ended!.outbox[0]!, context);
    assert.notEqual(messages.kind === 'acted' ? messages.reply : null, null);
  });
});

describe('the parent and its reply', () => {
  const controlsOf = (state: StormState) => {
    const blocks = renderSlack(buildStormMessage(state, CLUSTER)).blocks as Array<{
      type: string;
      elements?: Array<{action_id: string; value?: string}>;
    }>;
    return blocks.find(b => b.type === 'actions')?.elements ?? [];
  };

  it('carries Acknowledge and Snooze naming the storm, so a click is known as one on it', () => {
    const controls = controlsOf(storm());
    assert.deepEqual(
      controls.map(c => c.action_id),
      ['cronjob-watcher:acknowledge', 'cronjob-watcher:snooze'],
    );
    assert.deepEqual(decodeIncidentRef(controls[0]?.value ?? ''), {
      cluster: CLUSTER,
      key: `~storm/${ID}`,
      kind: 'storm',
      id: ID,
    });
  });

  it('says who acknowledged and offers to undo it; "End snooze" while snoozed', () => {
    const state = storm({
      acknowledged: {by: 'U0ALICE001', at: '2026-03-02T01:59:58.000Z'},
      snoozed: {by: 'U0BOB00002', at: '2026-03-02T01:59:00.000Z', until: 'recovery'},
    });
    const text = renderConsole(buildStormMessage(state, CLUSTER));
    assert.match(text, /Acknowledged by @U0ALICE001/);
    assert.match(text, /Snoozed until it recovers, by @U0BOB00002/);
    const slack = JSON.stringify(renderSlack(buildStormMessage(state, CLUSTER)).blocks);
    assert.ok(slack.includes('cronjob-watcher:unacknowledge'));
    assert.ok(slack.includes('"value":"end"'));
  });

  it('has no controls once every member recovered, nor without a cluster to name', () => {
    assert.deepEqual(controlsOf(storm({finishedAt: '2026-03-02T01:58:00.000Z'})), []);
    const blocks = renderSlack(buildStormMessage(storm(), null)).blocks as Array<{type: string}>;
    assert.ok(!blocks.some(b => b.type === 'actions'));
  });

  const replies: Array<[string, StormSend['action'], number, 'en' | 'ja', string]> = [
    [
      'acknowledged',
      {type: 'acknowledged', by: 'U1', at: 't'},
      2,
      'en',
      '<@U1> acknowledged the 2 open CronJobs of this storm.',
    ],
    [
      'acknowledged, one',
      {type: 'acknowledged', by: 'U1', at: 't'},
      1,
      'en',
      '<@U1> acknowledged the open CronJob of this storm.',
    ],
    [
      'unacknowledged',
      {type: 'unacknowledged', by: 'U1', at: 't'},
      2,
      'en',
      '<@U1> took back the acknowledgement of the 2 open CronJobs of this storm.',
    ],
    [
      'until recovery',
      {type: 'snoozed', by: 'U1', at: 't', until: 'recovery'},
      3,
      'en',
      '<@U1> snoozed the 3 open CronJobs of this storm, each until it recovers.',
    ],
    [
      'unsnoozed',
      {type: 'unsnoozed', by: 'U1', at: 't'},
      2,
      'en',
      '<@U1> ended the snooze of the 2 open CronJobs of this storm.',
    ],
    [
      'ended',
      {type: 'snooze-ended', by: 'U1', at: 't', until: 't', meanwhile: 0},
      1,
      'en',
      'The snooze by <@U1> has ended; 1 CronJob of this storm still open.',
    ],
    [
      'acknowledged (ja)',
      {type: 'acknowledged', by: 'U1', at: 't'},
      2,
      'ja',
      '<@U1> さんがこの障害の未復旧の CronJob 2 件すべての対応を始めました。',
    ],
    [
      'ended (ja)',
      {type: 'snooze-ended', by: 'U1', at: 't', until: 't', meanwhile: 0},
      4,
      'ja',
      '<@U1> さんのスヌーズが終わりました。この障害の CronJob 4 件がまだ復旧していません。',
    ],
  ];
  for (const [name, action, count, language, expected] of replies) {
    it(`the one reply: ${name}`, () => {
      const state = storm({destination: {channel: null, language, mention: null, runbook: null}});
      const messages = buildStormMessages(send('acted', {action, count}), state, CLUSTER);
      assert.equal(messages.kind, 'acted');
      if (messages.kind !== 'acted') return;
      assert.equal(renderSlack(messages.reply).text, expected);
      assert.deepEqual(messages.update, buildStormMessage(state, CLUSTER));
    });
  }
});

describe('a version-9 storm record, read back', () => {
  const state = storm({
    acknowledged: {by: 'U0ALICE001', at: '2026-03-02T01:59:58.000Z'},
    snoozed: {by: 'U0ALICE001', at: '2026-03-02T01:59:58.000Z', until: '2026-03-02T02:59:58.000Z'},
    send: send('acted', {
      id: `${ID}/acknowledged:U0ALICE001@2026-03-02T01:59:58.000Z`,
      action: {type: 'acknowledged', by: 'U0ALICE001', at: '2026-03-02T01:59:58.000Z', storm: ID},
      count: 2,
    }),
    queued: [
      send('acted', {
        id: `${ID}/snoozed:U0ALICE001@2026-03-02T01:59:58.000Z`,
        action: {
          type: 'snoozed',
          by: 'U0ALICE001',
          at: '2026-03-02T01:59:58.000Z',
          until: '2026-03-02T02:59:58.000Z',
          storm: ID,
        },
        count: 2,
      }),
    ],
  });
  it('as written', () => {
    const result = upgradeRecord(JSON.parse(JSON.stringify(stormRecord(state))));
    assert.ok(result.ok, result.ok ? '' : result.problem);
    assert.deepEqual(result.record.storm, state);
  });
  it('a version-8 storm record: none of it', () => {
    const result = upgradeRecord({...stormRecord(storm()), schemaVersion: 8});
    assert.ok(result.ok);
    assert.deepEqual(result.record.storm, storm());
  });
  it('an acted message without its action is refused', () => {
    const broken = {...state, send: {...state.send, action: undefined}, queued: undefined};
    const result = upgradeRecord(JSON.parse(JSON.stringify(stormRecord(broken as StormState))));
    assert.equal(result.ok, false);
  });
});
