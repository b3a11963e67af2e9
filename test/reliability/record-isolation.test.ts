/**
 * A store failure that concerns one record (here: a record document someone damaged by hand)
 * stays with that CronJob: the pass reports it, judges and announces every other CronJob, and
 * does not mark itself incomplete (which would make the function answer 503 on every pass).
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {encodeDocumentId} from '../../functions/adapters/firestore-incident-store.js';
import type {KubeApiServer} from '../support/kube-api-server.js';
import type {SlackApiServer} from '../support/slack-api-server.js';
import type {CronJobSpec} from '../support/scenario.js';
import {CLUSTER_ID, FAIL_1, OK_0, pass, show, startServers, stopServers, world} from './helpers.js';

let kube: KubeApiServer;
let kubeconfig: string;
let slack: SlackApiServer;
before(async () => ({kube, kubeconfig, slack} = await startServers()));
after(() => stopServers(kube, slack));

describe('a damaged record', () => {
  it('is reported for its CronJob only; the others are judged and announced; the pass is complete', async () => {
    const damaged: CronJobSpec = {namespace: 'aaa', name: 'damaged'};
    const healthy: CronJobSpec = {namespace: 'zzz', name: 'db-backup'};
    show(kube, damaged, [OK_0]);
    show(kube, healthy, [OK_0]);
    const w = await world(kubeconfig, slack);
    try {
      const first = await pass(w, '2026-03-02T00:30:00Z');
      assert.deepEqual(first.errors, []);
      // Someone edits the damaged CronJob's record by hand and breaks it.
      await w
        .firestore!.collection('cronjobWatcherClusters')
        .doc(encodeDocumentId(CLUSTER_ID))
        .collection('cronjobWatcherRecords')
        .doc(encodeDocumentId('aaa/damaged'))
        .set({note: 'edited by hand'});

      show(kube, damaged, [OK_0, FAIL_1]);
      show(kube, healthy, [OK_0, FAIL_1]);
      const second = await pass(w, '2026-03-02T01:30:00Z');
      assert.equal(second.complete, true, 'one bad record does not make the pass incomplete');
      assert.deepEqual(
        second.errors.map(e => [e.scope, e.cronJob, e.code]),
        [['record', 'aaa/damaged', 'CORRUPT']],
      );
      assert.deepEqual(
        second.transitions.map(t => [t.namespace, t.name, t.kind]),
        [['zzz', 'db-backup', 'opened']],
      );
      assert.equal(slack.accepted().length, 1);
    } finally {
      await w.close();
    }
  });
});
