import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  decideClusterHealth,
  healthMayChange,
  type ClusterReadOutcome,
} from '../../functions/core/cluster-health.js';
import type {CronJobRecord} from '../../functions/core/incident.js';
import {at} from './builders.js';
import type {PendingNotification} from '../../functions/core/incident.js';
import {buildMessages, type MessageContext} from '../../functions/core/message.js';
import {renderSlackMessages} from '../../functions/core/render-slack.js';

function formatNotification(notification: PendingNotification, context: MessageContext) {
  return renderSlackMessages(buildMessages(notification, context));
}

const DOWN: ClusterReadOutcome = {
  ok: false,
  code: 'FORBIDDEN',
  message: 'cannot list cronjobs.batch',
};
const UP: ClusterReadOutcome = {ok: true};

/** Runs outcomes through passes a minute apart; returns the record and the changes per pass. */
function passes(outcomes: ClusterReadOutcome[], downAfter = 3, deliver = true) {
  let record: CronJobRecord | null = null;
  const changes: string[][] = [];
  outcomes.forEach((outcome, i) => {
    const decision = decideClusterHealth(
      record,
      'projects/p/locations/l/clusters/c',
      outcome,
      at(i),
      downAfter,
    );
    changes.push(decision?.changes.map(c => c.kind) ?? ['-']);
    if (decision !== null) record = deliver ? {...decision.record, outbox: []} : decision.record;
  });
  return {record: record as CronJobRecord | null, changes};
}

describe('cluster health', () => {
  it('a healthy cluster never writes', () => {
    assert.deepEqual(passes([UP, UP]).changes, [['-'], ['-']]);
    assert.equal(healthMayChange(undefined, UP), false);
  });
  it('opens after N consecutive failures, once, dated from the first failure', () => {
    const {record, changes} = passes([DOWN, DOWN, DOWN, DOWN]);
    assert.deepEqual(changes, [[], [], ['opened'], []]);
    assert.equal(record?.open?.openedAt, at(0).toISOString());
    assert.equal(record?.open?.subject, 'cluster');
    assert.equal(record?.open?.failedRuns, 4);
  });
  it('a failure streak shorter than N resets on a good read and opens nothing', () => {
    assert.deepEqual(passes([DOWN, DOWN, UP, DOWN, DOWN]).changes, [[], [], [], [], []]);
  });
  it('closes on the first good read', () => {
    const {record, changes} = passes([DOWN, DOWN, DOWN, UP, UP]);
    assert.deepEqual(changes, [[], [], ['opened'], ['closed'], ['-']]);
    assert.equal(record?.history.at(-1)?.closedAt, at(3).toISOString());
  });
  it('opened and closed before the message went out: one message saying both', () => {
    const {record} = passes([DOWN, DOWN, DOWN, UP], 3, false);
    assert.deepEqual(
      record?.outbox.map(n => n.kind),
      ['recovered'],
    );
  });
  it('N = 1 opens on the first failure', () => {
    assert.deepEqual(passes([DOWN], 1).changes, [['opened']]);
  });
});

describe('cluster incident messages', () => {
  const context: MessageContext = {
    cluster: {id: 'projects/p/locations/l/clusters/c', name: 'c', project: 'p', location: 'l'},
    subject: {type: 'cluster'},
  };
  it('say which cluster, since when, why, and how long it lasted', () => {
    const {record} = passes([DOWN, DOWN, DOWN], 3, false);
    const opening = record?.outbox[0];
    assert.ok(opening);
    const opened = formatNotification(opening, context);
    assert.equal(opened.kind, 'opened');
    if (opened.kind === 'opened') {
      assert.match(
        opened.post.text,
        /cannot read cluster c since 2026-03-01T10:00:00Z \(3 failed reads\): FORBIDDEN: cannot list cronjobs\.batch/,
      );
    }
    const closedRecord = decideClusterHealth(
      {...(record as CronJobRecord), outbox: []},
      context.cluster.id,
      UP,
      at(125),
      3,
    );
    const closing = closedRecord?.record.outbox[0];
    assert.ok(closing);
    const closed = formatNotification(closing, context);
    assert.ok(
      closed.kind === 'closed' &&
        /Cluster readable again after 2h 5m, 3 failed reads/.test(closed.reply.text),
    );
  });
});
