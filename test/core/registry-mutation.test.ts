/**
 * The registry's derived lists, written out by hand from the README's detections table: which
 * kinds a CronJob can have (the `DETECTIONS` setting names exactly these), which one is the
 * cluster's own, and a clear error for a kind no detection knows (a record from a newer
 * release could name one).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  CLUSTER_DETECTORS,
  CRONJOB_DETECTORS,
  CRONJOB_KINDS,
  INCIDENT_KINDS,
  detectionOf,
} from '../../functions/core/detections/registry.js';
import type {IncidentKind} from '../../functions/core/incident.js';

describe('the detection registry', () => {
  it('a CronJob can have five kinds of incident, in the order they are evaluated', () => {
    assert.deepEqual(CRONJOB_KINDS, [
      'failing',
      'running-too-long',
      'missed',
      'slower-than-usual',
      'finished-too-fast',
    ]);
    assert.equal(CRONJOB_DETECTORS.length, 5);
  });
  it('the cluster has one: unreadable', () => {
    assert.equal(CLUSTER_DETECTORS.length, 1);
    assert.deepEqual([...INCIDENT_KINDS].sort(), [
      'cluster-unreadable',
      'failing',
      'finished-too-fast',
      'missed',
      'running-too-long',
      'slower-than-usual',
    ]);
  });
  it('each kind has its own detection', () => {
    for (const kind of INCIDENT_KINDS) assert.equal(detectionOf(kind).kind, kind);
    assert.equal(detectionOf('finished-too-fast').subject, 'cronjob');
    assert.equal(detectionOf('cluster-unreadable').subject, 'cluster');
  });
  it('a kind no detection knows is an error that names it', () => {
    assert.throws(() => detectionOf('queue-backlog' as IncidentKind), {
      message: 'no detection of kind queue-backlog',
    });
  });
});
