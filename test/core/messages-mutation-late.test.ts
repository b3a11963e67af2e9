/**
 * Survivors of the messages group's first mutation run (test/mutation/README.md) that the other
 * messages-mutation tests did not reach: an opening that continues another incident's thread
 * keeps its thread reply next to the recent runs; the card an unreadable cluster recovers with
 * gets the runbook; a schedule with no next due time has no next run. Expectations written out
 * by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {ClusterUnreadableIncident} from '../../functions/core/detections/cluster-unreadable/incident.js';
import {buildMessages} from '../../functions/core/messages/build.js';
import {nextRunAfter, plainOf} from '../../functions/core/messages/pieces.js';
import type {RecentRun} from '../../functions/core/run-history.js';
import {context, notification, OPEN_INCIDENT} from '../support/notification-fixtures.js';

const RUNS: RecentRun[] = [
  {job: 'a', outcome: 'failed', scheduledAt: null, startedAt: null, durationMs: 60_000},
];

describe('an opening that continues a thread, with recent runs', () => {
  it('keeps its thread reply', () => {
    const m = buildMessages(
      notification('opened', {
        ...OPEN_INCIDENT,
        continues: 'running-too-long:x',
        continuedFrom: {startedAt: '2024-05-01T08:00:00Z', podDetail: null},
      }),
      {...context(), recentRuns: RUNS},
    );
    assert.ok(m.kind === 'opened');
    assert.deepEqual(m.post.recentRuns, {label: 'Recent runs', strip: '❌', usual: null});
    assert.equal(
      m.reply === undefined ? null : plainOf(m.reply.summary),
      '🐢→🔴 killed after 2h: Error (exit 1)',
    );
  });
});

describe('an unreadable cluster that recovered before anything was sent', () => {
  it('its card carries the runbook', () => {
    const error = {at: '2024-05-01T10:00:00Z', code: 'TIMEOUT', message: 'no answer'};
    const incident: ClusterUnreadableIncident = {
      kind: 'cluster-unreadable',
      id: 'cluster-unreadable:c',
      firstError: error,
      latestError: error,
      failedReads: 2,
      openedAt: '2024-05-01T10:00:00Z',
      closedAt: '2024-05-01T10:12:00Z',
      ending: {type: 'readable-again', at: '2024-05-01T10:12:00Z'},
      destination: {channel: null, language: 'en', mention: null, runbook: 'https://rb'},
    };
    const m = buildMessages(notification('recovered', incident), {
      ...context(),
      subject: {type: 'cluster'},
    });
    assert.ok(m.kind === 'recovered');
    assert.deepEqual(m.post.actions, [
      {type: 'link', id: 'runbook', url: 'https://rb', label: 'Runbook'},
    ]);
  });
});

describe('the next due time of a schedule that never comes', () => {
  it('February 30th: none', () =>
    assert.equal(nextRunAfter('0 0 30 2 *', null, '2024-05-01T10:00:00Z'), null));
});
