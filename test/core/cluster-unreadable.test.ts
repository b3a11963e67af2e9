import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {ClusterReadOutcome} from '../../functions/core/cluster-read.js';
import {decideSubject, subjectMayChange, type Decision} from '../../functions/core/decide.js';
import type {ClusterUnreadableIncident, SubjectRecord} from '../../functions/core/incident.js';
import {at} from './builders.js';
import type {PendingNotification} from '../../functions/core/incident.js';
import {buildMessages} from '../../functions/core/messages/build.js';
import type {MessageContext} from '../../functions/core/messages/model.js';
import {renderSlackMessages} from '../../functions/core/messages/render-slack.js';

function formatNotification(notification: PendingNotification, context: MessageContext) {
  return renderSlackMessages(buildMessages(notification, context));
}

const DOWN: ClusterReadOutcome = {
  ok: false,
  code: 'FORBIDDEN',
  message: 'cannot list cronjobs.batch',
};
const UP: ClusterReadOutcome = {ok: true};
const CLUSTER = 'projects/p/locations/l/clusters/c';
type CronJobRecord = SubjectRecord;

function decideClusterHealth(
  record: SubjectRecord | null,
  clusterId: string,
  read: ClusterReadOutcome,
  now: Date,
  clusterDownAfter: number,
): Decision | null {
  return decideSubject(
    record,
    {type: 'cluster', clusterId, read},
    {clusterDownAfter, missedGraceMs: null, maxDurationMs: null},
    now,
    undefined,
  );
}

function unreadable(record: SubjectRecord | null): ClusterUnreadableIncident | undefined {
  return record?.open['cluster-unreadable'];
}

/** Runs outcomes through passes a minute apart; returns the record and the changes per pass. */
function passes(outcomes: ClusterReadOutcome[], downAfter = 3, deliver = true) {
  let record: CronJobRecord | null = null;
  const changes: string[][] = [];
  outcomes.forEach((outcome, i) => {
    const decision = decideClusterHealth(record, CLUSTER, outcome, at(i), downAfter);
    changes.push(decision?.changes.map(c => c.kind) ?? ['-']);
    if (decision !== null) record = deliver ? {...decision.record, outbox: []} : decision.record;
  });
  return {record: record as CronJobRecord | null, changes};
}

describe('cluster health', () => {
  it('a healthy cluster never writes', () => {
    assert.deepEqual(passes([UP, UP]).changes, [['-'], ['-']]);
    assert.equal(
      subjectMayChange(
        {type: 'cluster', clusterId: CLUSTER, read: UP},
        {watermark: undefined, record: undefined},
        {clusterDownAfter: 3, missedGraceMs: null, maxDurationMs: null},
        at(0),
      ),
      false,
    );
  });
  it('opens after N consecutive failures, once, dated from the first failure', () => {
    const {record, changes} = passes([DOWN, DOWN, DOWN, DOWN]);
    assert.deepEqual(changes, [[], [], ['opened'], []]);
    assert.equal(unreadable(record)?.openedAt, at(0).toISOString());
    assert.equal(unreadable(record)?.id, `cluster:${CLUSTER}@${at(0).toISOString()}`);
    assert.equal(unreadable(record)?.failedReads, 4);
    assert.deepEqual(record?.subject, {type: 'cluster'});
  });
  it('a failure streak shorter than N resets on a good read and opens nothing', () => {
    assert.deepEqual(passes([DOWN, DOWN, UP, DOWN, DOWN]).changes, [[], [], [], [], []]);
  });
  it('closes on the first good read', () => {
    const {record, changes} = passes([DOWN, DOWN, DOWN, UP, UP]);
    assert.deepEqual(changes, [[], [], ['opened'], ['closed'], ['-']]);
    assert.equal(record?.history.at(-1)?.closedAt, at(3).toISOString());
    assert.deepEqual(record?.history.at(-1)?.ending, {
      type: 'readable-again',
      at: at(3).toISOString(),
    });
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
      // The consequence and the problem in the push text; the fix leads the card.
      assert.equal(opened.post.text, '🟠 No CronJob alerts from c: cannot list cronjobs');
      assert.ok(
        JSON.stringify(opened.post.blocks).includes(
          'cannot list cronjobs → apply infra/k8s/rbac.yaml',
        ),
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
        closed.reply.text === '✅ Readable again after 2h 5m (3 failed reads)',
    );
  });
});
