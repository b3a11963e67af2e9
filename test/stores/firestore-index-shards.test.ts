/**
 * The sharded cluster index of `FirestoreIncidentStore` (issue 14) on the Firestore emulator:
 * whole passes over a cluster whose index needs several shards (a small `indexShardBytes`
 * stands in for thousands of CronJobs), and the in-place upgrade of an index written as one
 * document by an earlier release.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import type {Firestore} from '@google-cloud/firestore';
import {
  createFirestore,
  encodeDocumentId,
  FirestoreIncidentStore,
  INDEX_COLLECTION,
} from '../../functions/adapters/firestore-incident-store.js';
import {runPass} from '../../functions/pass.js';
import {PASS_NOW, useFleetCluster} from './pass-fixture.js';
import type {StoreUsage} from '../../functions/ports.js';

const EMULATOR = process.env.FIRESTORE_EMULATOR_HOST;
if (!EMULATOR) {
  throw new Error('FIRESTORE_EMULATOR_HOST is not set: run through build/test/run-tests.js');
}
const CRONJOBS = 120;
const FAILING = 4;
// ~150 bytes an entry: 4 KiB shards hold ~25 entries, so 120 CronJobs need several shards.
const SHARD_BYTES = 4096;
const usage = (): StoreUsage => ({reads: 0, writes: 0});

describe('FirestoreIncidentStore sharded index', () => {
  const cluster = useFleetCluster({
    context: 'shards',
    cronJobs: CRONJOBS,
    failing: FAILING,
    namespaces: 7,
  });

  async function shardCount(db: Firestore, store: FirestoreIncidentStore, clusterId: string) {
    const header = await store.clusterRef(clusterId).get();
    const shards = await store.clusterRef(clusterId).collection(INDEX_COLLECTION).get();
    return {declared: header.get('indexShards') as number, documents: 1 + shards.size};
  }

  it('a quiet pass reads shards + open incidents (≤ open + shards + 1) and writes nothing', async () => {
    const db = createFirestore({
      GOOGLE_CLOUD_PROJECT: `shards-${randomUUID().slice(0, 8)}`,
      FIRESTORE_EMULATOR_HOST: EMULATOR,
    });
    const store = new FirestoreIncidentStore(db, {
      now: () => PASS_NOW,
      indexShardBytes: SHARD_BYTES,
    });
    try {
      const first = await runPass(cluster.deps(store));
      assert.equal(first.opened, FAILING);
      assert.equal(first.notificationsSent, FAILING, 'every opened incident is announced');
      assert.deepEqual(first.errors, []);

      const {clusterId} = cluster;
      const {declared, documents} = await shardCount(db, store, clusterId);
      assert.ok(declared >= 4, `several shards expected, got ${declared}`);
      assert.equal(documents, declared, 'every declared shard exists');
      const state = await store.loadCluster(clusterId, usage());
      assert.equal(state.known.size, CRONJOBS, 'no entry lost across shards');

      const quiet = await runPass(cluster.deps(store));
      assert.equal(quiet.opened + quiet.closed + quiet.notificationsSent, 0);
      assert.equal(quiet.stillOpen, FAILING);
      assert.deepEqual(quiet.store, {reads: declared + FAILING, writes: 0});
      assert.ok(quiet.store.reads <= FAILING + declared + 1);
    } finally {
      await db.terminate();
    }
  });

  it('keeps every shard under its size while a cluster grows one CronJob at a time', async () => {
    const db = createFirestore({
      GOOGLE_CLOUD_PROJECT: `grow-${randomUUID().slice(0, 8)}`,
      FIRESTORE_EMULATOR_HOST: EMULATOR,
    });
    const store = new FirestoreIncidentStore(db, {
      now: () => PASS_NOW,
      indexShardBytes: SHARD_BYTES,
    });
    const clusterId = 'kubeconfig/grow';
    try {
      for (let i = 0; i < 60; i++) {
        await store.baseline(
          clusterId,
          [{key: `ns/cronjob-${i}`, cronJobUid: `uid-${i}`, watermark: {atMs: i, job: `j-${i}`}}],
          usage(),
        );
      }
      const docs = [
        await store.clusterRef(clusterId).get(),
        ...(await store.clusterRef(clusterId).collection(INDEX_COLLECTION).get()).docs,
      ];
      assert.ok(docs.length >= 2);
      for (const doc of docs) {
        const bytes = Buffer.byteLength(JSON.stringify(doc.get('cronJobs')));
        assert.ok(bytes <= SHARD_BYTES, `shard ${doc.id} holds ${bytes} bytes`);
      }
      const state = await store.loadCluster(clusterId, usage());
      assert.equal(state.known.size, 60);
      assert.deepEqual(state.known.get('ns/cronjob-42'), {
        cronJobUid: 'uid-42',
        watermark: {atMs: 42, job: 'j-42'},
      });
    } finally {
      await db.terminate();
    }
  });

  it('upgrades a single-document index of an earlier release in place when it must grow', async () => {
    const db = createFirestore({
      GOOGLE_CLOUD_PROJECT: `legacy-${randomUUID().slice(0, 8)}`,
      FIRESTORE_EMULATOR_HOST: EMULATOR,
    });
    const store = new FirestoreIncidentStore(db, {
      now: () => PASS_NOW,
      indexShardBytes: SHARD_BYTES,
    });
    const clusterId = 'kubeconfig/legacy';
    const legacy: Record<string, unknown> = {};
    for (let i = 0; i < 40; i++) {
      legacy[`old/cronjob-${i}`] = {
        cronJobUid: `uid-${i}`,
        watermark: null,
        attention: false,
        touchedOn: '2026-03-01',
      };
    }
    try {
      // As the previous release wrote it: every entry in the cluster document, no indexShards.
      await db
        .doc(`cronjobWatcherClusters/${encodeDocumentId(clusterId)}`)
        .set({clusterId, cronJobs: legacy, updatedAt: '2026-03-01T00:00:00.000Z'});
      const read = usage();
      const before = await store.loadCluster(clusterId, read);
      assert.equal(before.known.size, 40);
      assert.deepEqual(read, {reads: 1, writes: 0}, 'read as one shard');

      await store.baseline(
        clusterId,
        [{key: 'new/cronjob', cronJobUid: 'uid-new', watermark: null}],
        usage(),
      );
      const {declared, documents} = await shardCount(db, store, clusterId);
      assert.ok(declared >= 2, `upgraded to shards, got ${declared}`);
      assert.equal(documents, declared);
      const afterUpgrade = await store.loadCluster(clusterId, usage());
      assert.equal(afterUpgrade.known.size, 41);
      assert.equal(afterUpgrade.known.get('old/cronjob-7')?.cronJobUid, 'uid-7');
    } finally {
      await db.terminate();
    }
  });
});
