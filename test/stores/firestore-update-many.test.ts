/**
 * `FirestoreIncidentStore.updateMany` on the Firestore emulator: many record changes in a few
 * transactions, each change meaning what it means to `update`, the index rewritten only where
 * an entry changes, and a group that fails leaving the others committed.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {
  createFirestore,
  FirestoreIncidentStore,
  INDEX_COLLECTION,
  shardOf,
} from '../../functions/adapters/firestore-incident-store.js';
import type {SubjectRecord} from '../../functions/core/incident.js';
import type {RecordChange, StoreUsage} from '../../functions/ports.js';
import {makeRecord} from './incident-store-contract.js';

const EMULATOR = process.env.FIRESTORE_EMULATOR_HOST;
if (!EMULATOR) {
  throw new Error('FIRESTORE_EMULATOR_HOST is not set: run through build/test/run-tests.js');
}
const CLUSTER = 'projects/acme-prod/locations/europe-west1/clusters/prod-eu';
const NOW = new Date('2026-03-02T06:00:00Z');
// ~150 bytes an entry: 8 KiB shards hold ~50 entries, so 200 CronJobs need several shards.
const SHARD_BYTES = 8 * 1024;
const usage = (): StoreUsage => ({reads: 0, writes: 0});

async function withStore(test: (store: FirestoreIncidentStore) => Promise<void>): Promise<void> {
  const db = createFirestore({
    GOOGLE_CLOUD_PROJECT: `many-${randomUUID().slice(0, 8)}`,
    FIRESTORE_EMULATOR_HOST: EMULATOR,
  });
  try {
    await test(new FirestoreIncidentStore(db, {now: () => NOW, indexShardBytes: SHARD_BYTES}));
  } finally {
    await db.terminate();
  }
}

/** A cluster whose index has several shards: 200 baselined CronJobs, loaded once. */
async function shardedCluster(store: FirestoreIncidentStore): Promise<number> {
  await store.baseline(
    CLUSTER,
    Array.from({length: 200}, (_, i) => ({
      key: `team/base-${i}`,
      cronJobUid: `uid-${i}`,
      watermark: null,
    })),
    usage(),
  );
  await store.loadCluster(CLUSTER, usage());
  const header = await store.clusterRef(CLUSTER).get();
  return header.get('indexShards') as number;
}

const KEYS = Array.from({length: 30}, (_, i) => `mail/digest-${i}`);
const opened = (key: string): SubjectRecord => {
  const [namespace = '', name = ''] = key.split('/');
  return makeRecord(CLUSTER, namespace, name, {open: true, owed: true});
};

describe('FirestoreIncidentStore.updateMany', () => {
  it('applies every change as update does, in order, one transaction per shard it touches', async () =>
    withStore(async store => {
      const shards = await shardedCluster(store);
      assert.ok(shards >= 4, `several shards expected, got ${shards}`);
      const u = usage();
      const results = await store.updateMany(
        CLUSTER,
        KEYS.map(key => ({key, change: () => opened(key)})),
        u,
      );
      assert.deepEqual(
        results,
        KEYS.map(key => ({ok: true, record: opened(key)})),
      );
      // Each record once; per shard touched, the cluster document and the shard (one and the
      // same for shard 0), and one write of the shard.
      const touched = new Set(KEYS.map(key => shardOf(key, shards)));
      assert.deepEqual(u, {
        reads: KEYS.length + 2 * touched.size - (touched.has(0) ? 1 : 0),
        writes: KEYS.length + touched.size,
      });

      const state = await store.loadCluster(CLUSTER, usage());
      assert.equal(state.known.size, 200 + KEYS.length);
      assert.deepEqual(
        state.attention.map(r => (r.subject.type === 'cronjob' ? r.subject.name : '')).sort(),
        KEYS.map(key => key.split('/')[1]).sort(),
      );
      for (const key of KEYS) {
        let seen: SubjectRecord | null = null;
        await store.update(CLUSTER, key, current => ((seen = current), null), usage());
        assert.deepEqual(seen, opened(key));
      }
    }));

  it('writes the records alone when no index entry changes (claiming, recording a message)', async () =>
    withStore(async store => {
      await shardedCluster(store);
      await store.updateMany(
        CLUSTER,
        KEYS.map(key => ({key, change: () => opened(key)})),
        usage(),
      );
      const before = await indexDocuments(store);
      const u = usage();
      const results = await store.updateMany(
        CLUSTER,
        KEYS.map(key => ({
          key,
          change: current =>
            current && {
              ...current,
              outbox: current.outbox.map(n => ({...n, attempts: n.attempts + 1})),
            },
        })),
        u,
      );
      assert.ok(results.every(r => r.ok && r.record?.outbox[0]?.attempts === 1));
      assert.deepEqual(u, {reads: KEYS.length, writes: KEYS.length});
      assert.deepEqual(await indexDocuments(store), before, 'the index is as it was');
    }));

  it('a change that throws fails its own transaction only; the others are committed', async () =>
    withStore(async store => {
      const shards = await shardedCluster(store);
      const bad = KEYS[7] as string;
      const refusal = new Error('refused');
      const changes: RecordChange[] = KEYS.map(key => ({
        key,
        change: () => {
          if (key === bad) throw refusal;
          return opened(key);
        },
      }));
      const results = await store.updateMany(CLUSTER, changes, usage());
      const failed = KEYS.filter((_, i) => !results[i]?.ok);
      // The group of the bad key: the keys in its shard.
      assert.deepEqual(
        failed,
        KEYS.filter(key => shardOf(key, shards) === shardOf(bad, shards)),
      );
      assert.ok(
        results.every(r => r.ok || r.error === refusal),
        'the change gets its own error',
      );
      const state = await store.loadCluster(CLUSTER, usage());
      assert.equal(state.attention.length, KEYS.length - failed.length);
      assert.ok(
        state.attention.every(
          r => !failed.includes(`mail/${r.subject.type === 'cronjob' ? r.subject.name : ''}`),
        ),
      );
    }));

  it('re-shards within the transaction when a group would grow a shard too large', async () =>
    withStore(async store => {
      const many = Array.from({length: 150}, (_, i) => `big/cronjob-${i}`);
      const results = await store.updateMany(
        CLUSTER,
        many.map(key => ({key, change: () => opened(key)})),
        usage(),
      );
      assert.ok(results.every(r => r.ok));
      const docs = await indexDocuments(store);
      assert.ok(docs.length >= 4, `shards: ${docs.length}`);
      for (const doc of docs) {
        assert.ok(doc.bytes <= SHARD_BYTES, `a shard of ${doc.bytes} bytes`);
      }
      const state = await store.loadCluster(CLUSTER, usage());
      assert.equal(state.known.size, many.length);
      assert.equal(state.attention.length, many.length);
    }));
});

/** Every index document (the cluster document and the shards) with its entries' size. */
async function indexDocuments(
  store: FirestoreIncidentStore,
): Promise<Array<{id: string; bytes: number; cronJobs: unknown}>> {
  const header = await store.clusterRef(CLUSTER).get();
  const shards = await store.clusterRef(CLUSTER).collection(INDEX_COLLECTION).get();
  return [header, ...shards.docs].map(doc => {
    const cronJobs = doc.get('cronJobs') as unknown;
    return {id: doc.id, bytes: Buffer.byteLength(JSON.stringify(cronJobs)), cronJobs};
  });
}
