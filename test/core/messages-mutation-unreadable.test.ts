/**
 * The messages about a cluster the watcher cannot read, branch by branch, where mutation
 * testing (test/mutation/README.md) found them unpinned: the problem each error code stands
 * for, the verb and resource of a 403 and the status an error names, the fix, the fields, the
 * error as the watcher got it (cut at 1,500), each message kind. Expected lines are the English
 * words of detections/cluster-unreadable/words.ts, written out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {ClusterUnreadableIncident} from '../../functions/core/detections/cluster-unreadable/incident.js';
import type {ReadError} from '../../functions/core/incident-base.js';
import {buildMessages} from '../../functions/core/messages/build.js';
import type {
  Field,
  Message,
  MessageContext,
  NotificationMessages,
} from '../../functions/core/messages/model.js';
import {plainOf} from '../../functions/core/messages/pieces.js';
import {notification} from '../support/notification-fixtures.js';

const CONTEXT: MessageContext = {
  cluster: {id: 'projects/p/locations/l/clusters/c', name: 'prod-eu', project: 'p', location: 'l'},
  subject: {type: 'cluster'},
};
const ERROR: ReadError = {
  at: '2024-05-01T10:00:00Z',
  code: 'FORBIDDEN',
  message: 'cannot list cronjobs.batch at the cluster scope (403 Forbidden)',
};
const DOWN: ClusterUnreadableIncident = {
  kind: 'cluster-unreadable',
  id: 'cluster-unreadable:c',
  firstError: ERROR,
  latestError: ERROR,
  failedReads: 3,
  openedAt: '2024-05-01T10:00:00Z',
  closedAt: null,
  ending: null,
};

function build(
  kind: 'opened' | 'closed' | 'recovered' | 'reminder',
  incident: ClusterUnreadableIncident,
  context: MessageContext = CONTEXT,
): NotificationMessages {
  return buildMessages(notification(kind, incident), context);
}
function post(incident: ClusterUnreadableIncident, context?: MessageContext): Message {
  const m = build('opened', incident, context);
  assert.ok(m.kind === 'opened');
  return m.post;
}
const plain = (t: Message['lead']) => (t === null ? null : plainOf(t));
const field = (f: Field) => `${f.label}: ${plainOf(f.value)}`;

describe('the problem and its fix, error code by error code', () => {
  const cases: Array<[string, string, string, string | null]> = [
    [
      'FORBIDDEN',
      'cannot list cronjobs.batch at the cluster scope (403 Forbidden)',
      '403: cannot list cronjobs',
      'apply infra/k8s/rbac.yaml',
    ],
    [
      'FORBIDDEN',
      'cannot watch jobs in ns x (403)',
      '403: cannot watch jobs',
      'apply infra/k8s/rbac.yaml',
    ],
    [
      'FORBIDDEN',
      'cannot get pods.v1.core (403 Forbidden)',
      '403: cannot get pods',
      'apply infra/k8s/rbac.yaml',
    ],
    ['FORBIDDEN', 'Forbidden', 'cannot read the cluster', 'apply infra/k8s/rbac.yaml'],
    [
      'UNAUTHORIZED',
      'Unauthorized (401)',
      '401: credentials rejected',
      "check the watcher's service account or kubeconfig credentials",
    ],
    [
      'NOT_FOUND',
      'the server could not find it (404)',
      '404: no CronJob API at this address',
      'check the server address',
    ],
    [
      'UNREACHABLE',
      'connect ECONNREFUSED 10.0.0.1:443',
      'API server unreachable',
      'check the endpoint and the network path (authorized networks, firewall)',
    ],
    [
      'TIMEOUT',
      'no answer in 30s (504 from proxy)',
      'API server did not answer in time',
      'check the endpoint and the network path (authorized networks, firewall)',
    ],
    [
      'TLS',
      'unable to verify the first certificate',
      "API server's certificate did not verify",
      'check the cluster CA (or use the DNS-based endpoint)',
    ],
    [
      'CONFIG',
      'no cluster named x',
      'cluster configuration is wrong',
      'fix the setting named below',
    ],
    ['SERVER', 'etcd timeout (500 Internal Server Error)', '500: API server error', null],
    ['SOMETHING_ELSE', 'odd (5000)', 'API server error', null],
    ['SERVER', 'odd (50)', 'API server error', null],
  ];
  for (const [code, message, problem, fix] of cases) {
    it(`${code}: ${message}`, () => {
      const error = {...ERROR, code, message};
      const m = post({...DOWN, latestError: error});
      assert.equal(plainOf(m.summary), `🟠 No CronJob alerts from prod-eu: ${problem}`);
      assert.equal(plain(m.lead), fix === null ? problem : `${problem} → ${fix}`);
    });
  }
});

describe('the opening', () => {
  it('headline, fields, the error as it came', () => {
    const m = post(DOWN);
    assert.equal(plain(m.title), '🟠 No CronJob alerts from prod-eu: the watcher cannot read it');
    assert.deepEqual(m.fields.map(field), [
      'Unreadable since: May 1, 10:00 UTC',
      'Failed reads: 3',
    ]);
    assert.deepEqual(m.log, {
      title: 'What the watcher got',
      text: 'FORBIDDEN: cannot list cronjobs.batch at the cluster scope (403 Forbidden)',
      notes: [],
    });
    assert.deepEqual(
      m.actions.map(a => a.id),
      ['acknowledge', 'snooze'],
    );
  });
  it('one failed read: no count', () =>
    assert.deepEqual(post({...DOWN, failedReads: 1}).fields.map(field), [
      'Unreadable since: May 1, 10:00 UTC',
    ]));
  it('the error is cut at 1,500, as Slack counts it', () => {
    // `SERVER: ` takes eight.
    const at = (n: number) =>
      post({...DOWN, latestError: {...ERROR, code: 'SERVER', message: 'x'.repeat(n)}}).log?.text;
    assert.equal(at(1492), `SERVER: ${'x'.repeat(1492)}`);
    assert.equal(at(1493), `SERVER: ${'x'.repeat(1491)}…`);
  });
  it('a long cluster name is cut at 200 (the push text shows it whole)', () => {
    const long = {...CONTEXT, cluster: {...CONTEXT.cluster, name: 'c'.repeat(201)}};
    assert.equal(
      plainOf(post(DOWN, long).summary),
      `🟠 No CronJob alerts from ${'c'.repeat(199)}…: 403: cannot list cronjobs`,
    );
  });
});

describe('reminders and endings', () => {
  it('reminder', () => {
    const m = build('reminder', DOWN);
    assert.ok(m.kind === 'reminder');
    assert.equal(
      plainOf(m.reply.summary),
      '🟠 Still unreadable after 2h 6m: 3 failed reads so far; latest: 403: cannot list cronjobs',
    );
  });
  const CLOSED = {
    ...DOWN,
    failedReads: 1,
    closedAt: '2024-05-01T10:12:00Z',
    ending: {type: 'readable-again' as const, at: '2024-05-01T10:12:00Z'},
  };
  it('closed: the headline, the story, the reply', () => {
    const m = build('closed', CLOSED);
    assert.ok(m.kind === 'closed');
    assert.equal(plain(m.update.title), '✅ prod-eu readable again after 12m');
    assert.equal(
      plain(m.update.lead),
      'Unreadable from May 1, 10:00 UTC: 403: cannot list cronjobs (1 failed read); CronJob alerts resume with the next pass.',
    );
    assert.equal(plainOf(m.reply.summary), '✅ Readable again after 12m (1 failed read)');
    assert.equal(m.reply.durationMs, 12 * 60_000);
    assert.deepEqual(m.standalone, m.update);
  });
  it('an unreadable closing time: no duration', () => {
    const m = build('closed', {...CLOSED, closedAt: 'x'});
    assert.ok(m.kind === 'closed');
    assert.equal(plain(m.update.title), '✅ prod-eu readable again');
    assert.equal(plainOf(m.reply.summary), '✅ Readable again (1 failed read)');
  });
  it('recovered before anything was sent: the closed card', () => {
    const m = build('recovered', CLOSED);
    assert.ok(m.kind === 'recovered');
    assert.equal(plain(m.post.title), '✅ prod-eu readable again after 12m');
    assert.equal(m.post.durationMs, 12 * 60_000);
  });
});
