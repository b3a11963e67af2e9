/**
 * Survivors of the messages group's last slice run (test/mutation/README.md): an opening whose
 * notification time cannot be read says for how long its Job has run is unknown, for a Job
 * running too long and for one slower than usual. Expected headlines written out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {RunningTooLongIncident} from '../../functions/core/detections/running-too-long/incident.js';
import type {SlowerThanUsualIncident} from '../../functions/core/detections/slower-than-usual/incident.js';
import type {Incident} from '../../functions/core/incident.js';
import {buildMessages} from '../../functions/core/messages/build.js';
import {plainOf} from '../../functions/core/messages/pieces.js';
import {context, notification} from '../support/notification-fixtures.js';

const BASE = {
  job: 'backup-1',
  jobUid: 'ju',
  manual: false,
  startedAt: '2024-05-01T10:00:00Z',
  openedAt: '2024-05-01T11:00:00Z',
  closedAt: null,
  ending: null,
};
const STUCK: RunningTooLongIncident = {
  ...BASE,
  kind: 'running-too-long',
  id: 'running-too-long:ju',
  limitMs: 3_600_000,
  limitFrom: 'schedule',
  podDetail: null,
  blockedRuns: 0,
};
const SLOW: SlowerThanUsualIncident = {
  ...BASE,
  kind: 'slower-than-usual',
  id: 'slower-than-usual:ju',
  usualMs: 600_000,
  limitMs: 1_800_000,
};

function headlineAt(incident: Incident, createdAt: string): string {
  const m = buildMessages({...notification('opened', incident), createdAt}, context());
  assert.ok(m.kind === 'opened' && m.post.title !== null);
  return plainOf(m.post.title);
}

describe('an opening whose notification time cannot be read', () => {
  it('running too long: for how long is unknown', () =>
    assert.equal(
      headlineAt(STUCK, 'x'),
      '🐢 batch/backup running unknown, over its 1h limit · prod-eu',
    ));
  it('slower than usual: for how long is unknown', () =>
    assert.equal(headlineAt(SLOW, 'x'), '🐢 batch/backup running unknown, usually 10m · prod-eu'));
});
