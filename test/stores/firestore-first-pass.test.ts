/**
 * A first pass over a cluster that opens many incidents, on the Firestore emulator (issue 14):
 * every opening is stored and announced in that one pass, in a few transactions rather than
 * three per incident (`IncidentStore.updateMany`), and the next pass is quiet. A small
 * `indexShardBytes` gives the index several shards with a few hundred CronJobs, as 20,000 do
 * with the default. Passes at once over the same first sight send each message once.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import type {Firestore} from '@google-cloud/firestore';
import {
  createFirestore,
  FirestoreIncidentStore,
} from '../../functions/adapters/firestore-incident-store.js';
import {parseConfig} from '../../functions/config.js';
import type {PendingNotification} from '../../functions/core/incident.js';
import {runPass, type PassSummary} from '../../functions/pass.js';
import {createIncidentStore} from '../../functions/wiring.js';
import type {Notifier, StoreUsage} from '../../functions/ports.js';
import {PASS_NOW, useFleetCluster} from './pass-fixture.js';

const EMULATOR = process.env.FIRESTORE_EMULATOR_HOST;
if (!EMULATOR) {
  throw new Error('FIRESTORE_EMULATOR_HOST is not set: run through build/test/run-tests.js');
}
const CRONJOBS = 300;
const FAILING = 150;
// ~150 bytes an entry: 16 KiB shards hold ~100 entries, so 300 CronJobs need several shards.
const SHARD_BYTES = 16 * 1024;
const usage = (): StoreUsage => ({reads: 0, writes: 0});

/** A Firestore client on the emulator whose transactions are counted. */
function countedFirestore(project: string): {db: Firestore; transactions: () => number} {
  const db = createFirestore({GOOGLE_CLOUD_PROJECT: project, FIRESTORE_EMULATOR_HOST: EMULATOR});
  let transactions = 0;
  const run = db.runTransaction.bind(db);
  db.runTransaction = ((...args: Parameters<Firestore['runTransaction']>) => {
    transactions++;
    return run(...args);
  }) as Firestore['runTransaction'];
  return {db, transactions: () => transactions};
}

/** A notifier that remembers every notification it was given, by id. */
function recordingNotifier(): Notifier & {sent: Map<string, number>} {
  const sent = new Map<string, number>();
  return {
    sent,
    async deliver(notification: PendingNotification) {
      sent.set(notification.id, (sent.get(notification.id) ?? 0) + 1);
      return notification.kind === 'opened'
        ? {incidentId: notification.incident.id, channel: 'C0ALERTS01', ts: `${sent.size}.000100`}
        : null;
    },
    async postDigest() {
      throw new Error('no digest is configured in these passes');
    },
    async deliverStorm() {
      throw new Error('this test makes no storm (STORM_THRESHOLD is off)');
    },
  };
}

describe('FirestoreIncidentStore: a first pass that opens many incidents', () => {
  const cluster = useFleetCluster({
    context: 'first-pass',
    cronJobs: CRONJOBS,
    failing: FAILING,
    namespaces: 5,
  });

  it('stores and announces every opening in that pass, in a few transactions; the next pass is quiet', async () => {
    const {db, transactions} = countedFirestore(`first-${randomUUID().slice(0, 8)}`);
    const store = new FirestoreIncidentStore(db, {
      now: () => PASS_NOW,
      indexShardBytes: SHARD_BYTES,
    });
    const notifier = recordingNotifier();
    try {
      const first = await runPass({...cluster.deps(store), notifier});
      assert.deepEqual(first.errors, []);
      assert.equal(first.complete, true);
      assert.equal(first.opened, FAILING);
      assert.equal(first.notificationsSent, FAILING, 'every opening announced in the same pass');
      assert.equal(first.notificationsPending, 0);
      assert.equal(first.stillOpen, FAILING);
      assert.equal(notifier.sent.size, FAILING);
      assert.ok([...notifier.sent.values()].every(n => n === 1));

      const state = await store.loadCluster(cluster.clusterId, usage());
      assert.equal(state.known.size, CRONJOBS, 'every CronJob is in the index');
      assert.equal(state.attention.length, FAILING);
      assert.ok(state.attention.every(r => r.outbox.length === 0 && r.threads.length === 1));
      const header = await store.clusterRef(cluster.clusterId).get();
      const shards = header.get('indexShards') as number;
      assert.ok(shards >= 4, `several shards expected, got ${shards}`);

      // Each opening is written three times (opened, claimed, recorded) plus the index: what
      // batching saves is transactions, one per record change before (3 × 150 = 450).
      assert.ok(
        first.store.writes >= 3 * FAILING && first.store.writes <= 3 * FAILING + 6 * shards,
        `writes: ${first.store.writes}`,
      );
      assert.ok(first.store.reads <= 4 * FAILING + 6 * shards, `reads: ${first.store.reads}`);
      // Per 100 records at most one transaction per shard to open, claim and record them, plus
      // the baseline: one per record change would be 450.
      const batches = Math.ceil(FAILING / 100);
      assert.ok(
        transactions() <= 3 * batches * shards + 1,
        `transactions: ${transactions()}, shards: ${shards}`,
      );

      const quiet = await runPass({...cluster.deps(store), notifier});
      assert.deepEqual(quiet.errors, []);
      assert.equal(quiet.opened + quiet.closed + quiet.notificationsSent, 0);
      assert.equal(quiet.stillOpen, FAILING);
      assert.deepEqual(quiet.store, {reads: shards + FAILING, writes: 0});
      assert.equal(notifier.sent.size, FAILING);
    } finally {
      await db.terminate();
    }
  });

  it('the store the CLI and the function build batches the same way', async () => {
    const config = parseConfig(
      {
        STATE_BACKEND: 'firestore',
        GOOGLE_CLOUD_PROJECT: `wired-${randomUUID().slice(0, 8)}`,
        FIRESTORE_EMULATOR_HOST: EMULATOR,
      },
      [],
    );
    const store = createIncidentStore(config);
    assert.equal(typeof store.updateMany, 'function');
    const first = await runPass({...cluster.deps(store), notifier: recordingNotifier()});
    assert.deepEqual(first.errors, []);
    assert.equal(first.notificationsSent, FAILING);
    // One by one, each of the 450 record changes would also read the index: over 1,300 reads.
    assert.ok(first.store.reads < 4 * FAILING, `reads: ${first.store.reads}`);
  });

  it('passes at once over the same first sight send each message once', async () => {
    const project = `first-conc-${randomUUID().slice(0, 8)}`;
    const notifier = recordingNotifier();
    const clients = Array.from({length: 4}, () => countedFirestore(project).db);
    const stores = clients.map(
      db => new FirestoreIncidentStore(db, {now: () => PASS_NOW, indexShardBytes: SHARD_BYTES}),
    );
    try {
      const passes: PassSummary[] = await Promise.all(
        stores.map(store => runPass({...cluster.deps(store), notifier})),
      );
      const sum = (f: (s: PassSummary) => number) => passes.reduce((n, s) => n + f(s), 0);
      // Contention that outlasts the retries is reported and left to the next pass.
      const errors = passes.flatMap(s => s.errors);
      assert.ok(
        errors.every(e => e.scope === 'store' || e.scope === 'record'),
        JSON.stringify(errors),
      );
      assert.ok(sum(s => s.opened) <= FAILING, 'no transition decided twice');
      const settle = await runPass({
        ...cluster.deps(stores[0] as FirestoreIncidentStore),
        notifier,
      });
      assert.deepEqual(settle.errors, []);
      assert.equal(sum(s => s.opened) + settle.opened, FAILING);
      assert.equal(settle.notificationsPending, 0);
      assert.equal(notifier.sent.size, FAILING);
      assert.ok(
        [...notifier.sent.values()].every(n => n === 1),
        'each message sent once',
      );
    } finally {
      await Promise.all(clients.map(db => db.terminate()));
    }
  });
});
