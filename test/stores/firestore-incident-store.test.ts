/**
 * `FirestoreIncidentStore` against the Cloud Firestore emulator (started by `run-tests.ts`,
 * reached through FIRESTORE_EMULATOR_HOST), through the real `@google-cloud/firestore`
 * client. Each test gets its own project ID, so tests never see each other's data.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {Firestore, Timestamp} from '@google-cloud/firestore';
import {
  createFirestore,
  decodeDocumentId,
  encodeDocumentId,
  FirestoreIncidentStore,
  RECORDS_COLLECTION,
} from '../../functions/adapters/firestore-incident-store.js';
import {ConfigError, StoreError} from '../../functions/core/errors.js';
import type {StoreUsage} from '../../functions/ports.js';
import type {SubjectRecord as CronJobRecord} from '../../functions/core/incident.js';
import {RECORD_SCHEMA_VERSION} from '../../functions/core/incident.js';
import {startFirestoreEmulator} from '../support/firestore-emulator.js';
import {describeIncidentStoreContract, makeRecord, uidOf} from './incident-store-contract.js';

const EMULATOR = process.env.FIRESTORE_EMULATOR_HOST;
if (!EMULATOR) {
  throw new Error('FIRESTORE_EMULATOR_HOST is not set: run through build/test/run-tests.js');
}
const CLUSTER = 'projects/acme-prod/locations/europe-west1/clusters/prod-eu';
const DAY_MS = 24 * 60 * 60 * 1000;
const usage = (): StoreUsage => ({reads: 0, writes: 0});

function newFirestore(extra: Record<string, string> = {}): Firestore {
  return createFirestore({
    GOOGLE_CLOUD_PROJECT: `store-${randomUUID().slice(0, 12)}`,
    FIRESTORE_EMULATOR_HOST: EMULATOR,
    ...extra,
  });
}

describeIncidentStoreContract(
  'FirestoreIncidentStore (emulator)',
  async options => {
    const db = newFirestore();
    return {
      store: new FirestoreIncidentStore(db, options),
      close: () => db.terminate(),
      // What the TTL policy on `expireAt` does (the emulator has none).
      expire: async () => {
        const expired = await db
          .collectionGroup(RECORDS_COLLECTION)
          .where('expireAt', '<=', Timestamp.fromDate(options.now()))
          .get();
        await Promise.all(expired.docs.map(d => d.ref.delete()));
      },
    };
  },
  // The cost contract: 1 read for the cluster document + 1 per record needing attention;
  // an update reads the record and the cluster document and writes both when new.
  {loadReads: attention => 1 + attention, updateReads: 2, lookReads: 1, createWrites: 2},
);

describe('FirestoreIncidentStore layout', () => {
  it('encodes ids reversibly and never produces a / or a reserved id', () => {
    for (const id of [CLUSTER, 'kubeconfig/kind-dev', 'ns/a.b', '.', '..', '__x__', 'a%2Fb']) {
      const encoded = encodeDocumentId(id);
      assert.ok(!encoded.includes('/'), encoded);
      assert.ok(encoded !== '.' && encoded !== '..' && !/^__.*__$/.test(encoded), encoded);
      assert.equal(decodeDocumentId(encoded), id);
    }
    assert.notEqual(encodeDocumentId('a/b'), encodeDocumentId('a%2Fb'));
  });

  it('stores one cluster document with the index and one record document with expireAt', async () => {
    const db = newFirestore();
    const now = new Date('2026-03-02T12:00:00.000Z');
    const store = new FirestoreIncidentStore(db, {
      collectionPrefix: 'cw',
      retentionDays: 30,
      now: () => now,
    });
    try {
      const healthy = makeRecord(CLUSTER, 'reports', 'rollup');
      const failing = makeRecord(CLUSTER, 'backups', 'db-backup', {open: true});
      await store.update(CLUSTER, 'reports/rollup', () => healthy, usage());
      await store.update(CLUSTER, 'backups/db-backup', () => failing, usage());

      const clusterDoc = await db.doc(`cwClusters/${encodeDocumentId(CLUSTER)}`).get();
      assert.equal(
        clusterDoc.id,
        'projects%2Facme-prod%2Flocations%2Feurope-west1%2Fclusters%2Fprod-eu',
      );
      assert.deepEqual(clusterDoc.get('cronJobs'), {
        'reports/rollup': {
          cronJobUid: uidOf(healthy),
          watermark: healthy.watermark,
          attention: false,
          touchedOn: '2026-03-02',
        },
        'backups/db-backup': {
          cronJobUid: uidOf(failing),
          watermark: failing.watermark,
          attention: true,
          touchedOn: '2026-03-02',
        },
      });
      const records = await db.collectionGroup('cronjobWatcherRecords').get();
      assert.equal(records.size, 2);
      const byName = new Map(records.docs.map(d => [d.get('subject.name') as string, d]));
      const rollup = byName.get('rollup');
      assert.equal(rollup?.id, 'reports%2Frollup');
      assert.equal(rollup?.get('clusterId'), CLUSTER);
      assert.equal(rollup?.get('subject.uid'), uidOf(healthy));
      assert.equal(rollup?.get('schemaVersion'), RECORD_SCHEMA_VERSION);
      assert.equal(rollup?.get('updatedAt'), healthy.updatedAt, 'times stay ISO strings');
      const expireAt = rollup?.get('expireAt') as unknown;
      assert.ok(expireAt instanceof Timestamp, 'expireAt must be a Timestamp for TTL');
      assert.equal(expireAt.toMillis(), now.getTime() + 30 * DAY_MS);
      assert.equal(byName.get('db-backup')?.get('expireAt'), null, 'open incidents never expire');
    } finally {
      await db.terminate();
    }
  });

  it('writes only the record when the index entry does not change', async () => {
    const db = newFirestore();
    const store = new FirestoreIncidentStore(db);
    try {
      const owed = makeRecord(CLUSTER, 'backups', 'db-backup', {owed: true});
      await store.update(CLUSTER, 'backups/db-backup', () => owed, usage());
      const u = usage();
      await store.update(
        CLUSTER,
        'backups/db-backup',
        c => c && {...c, outbox: c.outbox.map(n => ({...n, attempts: n.attempts + 1}))},
        u,
      );
      assert.deepEqual(u, {reads: 2, writes: 1});
    } finally {
      await db.terminate();
    }
  });

  it('prunes index entries of records the TTL has deleted when it writes the index anyway', async () => {
    const db = newFirestore();
    let now = new Date('2026-01-01T00:00:00.000Z');
    const store = new FirestoreIncidentStore(db, {retentionDays: 90, now: () => now});
    try {
      const gone = makeRecord(CLUSTER, 'old', 'deleted-job');
      const stillOpen = makeRecord(CLUSTER, 'old', 'still-failing', {open: true});
      await store.update(CLUSTER, 'old/deleted-job', () => gone, usage());
      await store.update(CLUSTER, 'old/still-failing', () => stillOpen, usage());
      now = new Date(now.getTime() + 91 * DAY_MS);
      const fresh = makeRecord(CLUSTER, 'new', 'job');
      await store.update(CLUSTER, 'new/job', () => fresh, usage());
      const state = await store.loadCluster(CLUSTER, usage());
      assert.deepEqual([...state.known.keys()].sort(), ['new/job', 'old/still-failing']);
    } finally {
      await db.terminate();
    }
  });

  it('reports a malformed cluster document as a CORRUPT StoreError', async () => {
    const db = newFirestore();
    const store = new FirestoreIncidentStore(db);
    try {
      await db.doc(`cronjobWatcherClusters/${encodeDocumentId(CLUSTER)}`).set({cronJobs: 'x'});
      await assert.rejects(store.loadCluster(CLUSTER, usage()), {
        name: 'StoreError',
        code: 'CORRUPT',
      });
    } finally {
      await db.terminate();
    }
  });
});

describe('createFirestore', () => {
  const cases: {env: Record<string, string>; message: RegExp}[] = [
    {env: {FIRESTORE_DATABASE: 'Bad_DB'}, message: /FIRESTORE_DATABASE="Bad_DB"/},
    {env: {FIRESTORE_DATABASE: 'ab'}, message: /FIRESTORE_DATABASE="ab"/},
    {env: {GOOGLE_CLOUD_PROJECT: 'has space'}, message: /GOOGLE_CLOUD_PROJECT="has space"/},
    {
      env: {FIRESTORE_EMULATOR_HOST: '127.0.0.1:8080'},
      message: /GOOGLE_CLOUD_PROJECT must be set when FIRESTORE_EMULATOR_HOST/,
    },
    {
      env: {GOOGLE_CLOUD_PROJECT: 'p-1', FIRESTORE_EMULATOR_HOST: 'http://127.0.0.1:8080'},
      message: /FIRESTORE_EMULATOR_HOST="http:\/\/127.0.0.1:8080" is not host:port/,
    },
  ];
  for (const {env, message} of cases) {
    it(`rejects ${JSON.stringify(env)}`, () => {
      assert.throws(
        () => createFirestore(env),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  it('uses the named database from FIRESTORE_DATABASE, apart from (default)', async () => {
    const project = `store-${randomUUID().slice(0, 12)}`;
    const named = createFirestore({
      GOOGLE_CLOUD_PROJECT: project,
      FIRESTORE_DATABASE: 'cronjob-watcher',
      FIRESTORE_EMULATOR_HOST: EMULATOR,
    });
    const fallback = createFirestore({
      GOOGLE_CLOUD_PROJECT: project,
      FIRESTORE_EMULATOR_HOST: EMULATOR,
    });
    try {
      assert.equal(named.databaseId, 'cronjob-watcher');
      assert.equal(fallback.databaseId, '(default)');
      const record = makeRecord(CLUSTER, 'backups', 'db-backup', {open: true});
      await new FirestoreIncidentStore(named).update(
        CLUSTER,
        'backups/db-backup',
        () => record,
        usage(),
      );
      const inNamed = await new FirestoreIncidentStore(named).loadCluster(CLUSTER, usage());
      const inDefault = await new FirestoreIncidentStore(fallback).loadCluster(CLUSTER, usage());
      assert.equal(inNamed.known.size, 1);
      assert.equal(inDefault.known.size, 0);
    } finally {
      await named.terminate();
      await fallback.terminate();
    }
  });
});

// The SDK reads FIRESTORE_EMULATOR_HOST from process.env in its constructor and lets it win
// over every setting, so a client for the private emulator is built with it swapped in.
function firestoreAt(host: string, project: string): Firestore {
  const shared = process.env.FIRESTORE_EMULATOR_HOST;
  process.env.FIRESTORE_EMULATOR_HOST = host;
  try {
    return createFirestore({GOOGLE_CLOUD_PROJECT: project, FIRESTORE_EMULATOR_HOST: host});
  } finally {
    process.env.FIRESTORE_EMULATOR_HOST = shared;
  }
}

// With the SDK defaults this call would keep retrying for minutes (see the adapter's file
// comment); createFirestore's deadlines make it fail in ~8–10 s. 30 s leaves room for a
// loaded machine while still proving there is no hang.
const OUTAGE_FAIL_WITHIN_MS = 30_000;

// Passes it may take a warm client to redial a restarted Firestore (see below).
const RECOVERY_PASSES = 4;

describe('FirestoreIncidentStore when Firestore goes away', () => {
  it('fails fast with StoreError UNAVAILABLE (~10 s, bound 30 s) and works again after a restart', async () => {
    const emulator = await startFirestoreEmulator();
    const port = Number(emulator.host.split(':')[1]);
    const db = firestoreAt(emulator.host, `fault-${randomUUID().slice(0, 8)}`);
    const store = new FirestoreIncidentStore(db);
    let restarted: Awaited<ReturnType<typeof startFirestoreEmulator>> | null = null;
    try {
      const before = makeRecord(CLUSTER, 'backups', 'db-backup', {open: true});
      await store.update(CLUSTER, 'backups/db-backup', () => before, usage());
      await emulator.stop();

      let changeCalls = 0;
      const u = usage();
      const started = performance.now();
      await assert.rejects(
        store.update(
          CLUSTER,
          'backups/db-backup',
          c => {
            changeCalls++;
            return c;
          },
          u,
        ),
        (error: unknown) => {
          assert.ok(error instanceof StoreError, String(error));
          assert.equal(error.code, 'UNAVAILABLE');
          assert.match(error.message, /update the record backups\/db-backup .* pass will retry/);
          return true;
        },
      );
      const updateMs = performance.now() - started;
      assert.ok(updateMs < OUTAGE_FAIL_WITHIN_MS, `update took ${Math.round(updateMs)} ms`);
      assert.equal(changeCalls, 0, 'no change is decided on state that could not be read');
      assert.equal(u.writes, 0);
      assert.ok(u.reads >= 1, 'the attempted reads are counted');

      const loadStarted = performance.now();
      await assert.rejects(store.loadCluster(CLUSTER, usage()), {
        name: 'StoreError',
        code: 'UNAVAILABLE',
      });
      const loadMs = performance.now() - loadStarted;
      assert.ok(loadMs < OUTAGE_FAIL_WITHIN_MS, `loadCluster took ${Math.round(loadMs)} ms`);
      console.log(
        `outage: update failed in ${Math.round(updateMs)} ms, load in ${Math.round(loadMs)} ms`,
      );

      // The emulator keeps data in memory only, so it comes back empty: what must hold is
      // that the same client (no rebuild, as in a warm function instance) recovers and that
      // nothing half-written shows up.
      restarted = await startFirestoreEmulator(port);
      const after = makeRecord(CLUSTER, 'backups', 'db-backup', {owed: true});
      // gRPC reconnects with exponential backoff, so right after the restart the warm client
      // may still be waiting to redial: each attempt here stands for a later pass, as in
      // production, where the next pass comes minutes later. Bounded: a client that never
      // recovers fails the test.
      let u2 = usage();
      let result: CronJobRecord | null = null;
      for (let pass = 1; ; pass++) {
        u2 = usage();
        try {
          result = await store.update(CLUSTER, 'backups/db-backup', () => after, u2);
          break;
        } catch (error) {
          if (pass >= RECOVERY_PASSES || !(error instanceof StoreError)) throw error;
        }
      }
      assert.deepEqual(result, after);
      assert.deepEqual(u2, {reads: 2, writes: 2});
      const state = await store.loadCluster(CLUSTER, usage());
      assert.deepEqual(state.attention, [after]);
      assert.deepEqual([...state.known.keys()], ['backups/db-backup']);
    } finally {
      await db.terminate();
      await restarted?.stop();
      await emulator.stop();
    }
  });
});
