/**
 * `IncidentStore` on Cloud Firestore (`@google-cloud/firestore`).
 *
 * Layout — chosen so a quiet pass costs one read per index shard plus one per record that
 * needs attention, and writes nothing:
 *
 *   <prefix>Clusters/<enc(clusterId)>                       the cluster document, index shard 0:
 *       {clusterId, cronJobs: {<namespace/name>: IndexEntry}, indexShards?: S, updatedAt}
 *   <prefix>Clusters/<enc(clusterId)>/cronjobWatcherIndex/<j>    index shards 1 … S-1:
 *       {clusterId, shard: j, cronJobs: {<namespace/name>: IndexEntry}}
 *   <prefix>Clusters/<enc(clusterId)>/cronjobWatcherRecords/<enc(key)>   one per CronJob:
 *       the `SubjectRecord` fields as they are (times stay ISO-8601 strings: exact, and the
 *       same in every store) plus `expireAt` (a Firestore Timestamp, for the TTL policy).
 *
 * - The index is what makes `known` cheap: every CronJob's UID and watermark come with a few
 *   reads. An entry is rewritten only when its content changes (UID, watermark, attention, or
 *   the day it was last touched — see pruning), so a record write usually costs one more write
 *   and a quiet pass none.
 * - The index is split into S shards by a hash of the key (`shardOf`), S growing by doubling:
 *   a Firestore document holds at most 1 MiB and an entry takes ~150–250 bytes, so one
 *   document would stop working at a few thousand CronJobs per cluster. A write that would
 *   take a shard past `indexShardBytes` (default 512 KiB, half the limit) first re-shards the
 *   whole index in the same transaction, so no shard ever approaches 1 MiB.
 *   Shard 0 lives in the cluster document itself, so a small cluster still costs one read,
 *   and an index written by an earlier release (everything in the cluster document, no
 *   `indexShards`) is exactly a one-shard index: it is upgraded in place the first time it
 *   has to grow. S never shrinks. A re-shard and a first baseline rewrite the whole index in
 *   one commit (Firestore allows 10 MiB: ~50,000 CronJobs per cluster). `loadCluster` reads
 *   the shards outside a transaction: a re-shard in between can hide some entries for one
 *   pass, which only makes that pass look at those CronJobs' records in a transaction.
 * - Ids are encoded because cluster ids (`projects/p/locations/l/clusters/c`) and record keys
 *   (`namespace/name`) contain `/`, which Firestore reads as a path separator. The encoding
 *   is percent-encoding (`encodeURIComponent`, plus `.` and `_` so no id can be `.`, `..` or
 *   `__x__`, which Firestore reserves): reversible with `decodeURIComponent`, so an operator
 *   reading the console sees which cluster/CronJob a document is without a lookup table.
 *   The original values are stored in the documents too.
 * - TTL: create a Firestore TTL policy on collection group `cronjobWatcherRecords`, field `expireAt`
 *   (`infra/` does). Every write drops the closed incidents past `retentionDays` and sets
 *   `expireAt` as core/retention.ts says: null while an incident is open or a message is owed
 *   (those are never deleted), else the earlier of the last write and the oldest closed
 *   incident's closing, plus `retentionDays`. Losing a record is harmless: the next pass that
 *   sees the CronJob finds its watermark in the index, or re-baselines it like a new one (it
 *   opens an incident only if the latest finished run failed). Index entries of expired
 *   records are pruned whenever the cluster document is written anyway (entries that need no
 *   attention and were last touched more than `retentionDays` ago), so the index does not
 *   grow forever with CronJobs long gone; pruning an entry whose record still exists is also
 *   harmless (the record is found and updated on the next change).
 *
 * Failing fast: `update` does not retry an unreachable backend at the transaction level (it
 * retries contention only), and the client `createFirestore` builds bounds every RPC
 * (firestore/client.ts), so an outage is a `StoreError` `UNAVAILABLE` within seconds rather
 * than minutes. After an outage the same client recovers by itself (gRPC reconnects).
 *
 * Contention: a transaction that loses a race is retried by the SDK up to
 * 5 times (SDK default `DEFAULT_MAX_TRANSACTION_ATTEMPTS`, with exponential backoff);
 * `change` may therefore run several times and must be pure (the port says so).
 *
 * The store's jobs are split by file under `firestore/`: the client, record documents, the
 * sharded index, transactions and their errors, and `updateMany`'s batches.
 *
 * No secrets are stored: records hold cluster names, CronJob names, run details and Slack
 * message coordinates (channel + ts), never tokens.
 */
import {Timestamp, type DocumentReference, type Firestore} from '@google-cloud/firestore';
import {ConfigError} from '../core/errors.js';
import {DEFAULT_RETENTION_DAYS} from '../config.js';
import {needsAttention, type SubjectRecord} from '../core/incident.js';
import {DAY_MS, expiresAt, withinRetention} from '../core/retention.js';
import {withinDeadline} from './deadline.js';
import {updateMany} from './firestore/batching.js';
import {FirestoreDigests} from './firestore/digests.js';
import type {DigestRecord} from '../core/digest/ledger.js';
import {
  ClusterIndex,
  DEFAULT_INDEX_SHARD_BYTES,
  dayOf,
  indexEntryOf,
  readClusterDoc,
  readShardDoc,
  sameEntry,
  shardBytes,
  shardOf,
  type IndexEntry,
} from './firestore/index-shards.js';
import {
  checkRecordKey,
  encodeDocumentId,
  RECORDS_COLLECTION,
  readRecordDoc,
  toStored,
} from './firestore/records.js';
import {
  readInTransaction,
  StopTransaction,
  storeError,
  transact,
} from './firestore/transactions.js';
import type {
  BaselineEntry,
  ClusterState,
  IncidentStore,
  RecordChange,
  RecordChangeResult,
  RecordSummary,
  StoreUsage,
} from '../ports.js';

export {createFirestore, type FirestoreEnv} from './firestore/client.js';
export {INDEX_COLLECTION, shardOf} from './firestore/index-shards.js';
export {decodeDocumentId, encodeDocumentId, RECORDS_COLLECTION} from './firestore/records.js';

/** Options of {@link FirestoreIncidentStore}. */
export interface FirestoreIncidentStoreOptions {
  /** Prefix of the top-level collection (`<prefix>Clusters`). Default `cronjobWatcher`. */
  collectionPrefix?: string;
  /** `RETENTION_DAYS`: what a record keeps and when it expires (core/retention.ts). Default 90. */
  retentionDays?: number;
  /** Clock for `expireAt` and index pruning; tests pass a fixed one. */
  now?: () => Date;
  /**
   * Most estimated bytes of entries in one index shard before the index is split further.
   * Default 512 KiB; tests pass a small value to get many shards from few CronJobs.
   */
  indexShardBytes?: number;
}

const DEFAULT_COLLECTION_PREFIX = 'cronjobWatcher';
// Firestore's BatchGetDocuments has no documented size limit in the server SDK, but a pass
// with hundreds of open incidents should not depend on one huge response stream.
const GET_ALL_CHUNK = 300;

/** Incident records in Cloud Firestore. Build the `Firestore` once (see `createFirestore`). */
export class FirestoreIncidentStore implements IncidentStore {
  private readonly prefix: string;
  private readonly retentionMs: number;
  private readonly retentionDays: number;
  private readonly now: () => Date;
  readonly index: ClusterIndex;
  private readonly digests: FirestoreDigests;

  constructor(
    private readonly db: Firestore,
    options: FirestoreIncidentStoreOptions = {},
  ) {
    this.prefix = options.collectionPrefix ?? DEFAULT_COLLECTION_PREFIX;
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(this.prefix)) {
      throw new ConfigError(
        `Firestore collection prefix "${this.prefix}" is not usable: use letters, digits, _ and -, starting with a letter (e.g. "cronjobWatcher").`,
      );
    }
    this.retentionDays = options.retentionDays ?? DEFAULT_RETENTION_DAYS;
    if (!Number.isFinite(this.retentionDays) || this.retentionDays <= 0) {
      throw new ConfigError(
        `Record retention must be a positive number of days, got ${String(options.retentionDays)} (e.g. 90).`,
      );
    }
    this.retentionMs = this.retentionDays * DAY_MS;
    this.now = options.now ?? (() => new Date());
    this.index = new ClusterIndex(
      this.db.collection(`${this.prefix}Clusters`),
      options.indexShardBytes ?? DEFAULT_INDEX_SHARD_BYTES,
      this.retentionMs,
    );
    this.digests = new FirestoreDigests(this.db, this.prefix);
  }

  async recentRecords(
    clusterId: string,
    since: Date,
    usage: StoreUsage,
    deadline?: Date,
  ): Promise<SubjectRecord[]> {
    const query = this.clusterRef(clusterId)
      .collection(RECORDS_COLLECTION)
      .where('updatedAt', '>=', since.toISOString());
    return withinDeadline(
      async () => {
        try {
          const snapshot = await query.get();
          // A query costs one read even when it finds nothing.
          usage.reads += Math.max(1, snapshot.size);
          return snapshot.docs.map(d => readRecordDoc(d.data(), d.ref.path));
        } catch (error) {
          throw storeError(error, `read the recent incidents of cluster ${clusterId}`);
        }
      },
      deadline,
      `read the recent incidents of cluster ${clusterId}`,
    );
  }

  createDigest(entry: DigestRecord, deadline?: Date): Promise<DigestRecord | null> {
    return this.digests.create(entry, deadline);
  }

  updateDigest(
    id: string,
    change: (current: DigestRecord | null) => DigestRecord | null,
    deadline?: Date,
  ): Promise<DigestRecord | null> {
    return this.digests.update(id, change, deadline);
  }

  readDigest(id: string, deadline?: Date): Promise<DigestRecord | null> {
    return this.digests.read(id, deadline);
  }

  /** The cluster document (exported for tests and operators). */
  clusterRef(clusterId: string): DocumentReference {
    return this.index.clusterRef(clusterId);
  }

  /** Index shard `shard` (≥ 1) of a cluster; shard 0 is the cluster document. */
  shardRef(clusterId: string, shard: number): DocumentReference {
    return this.index.shardRef(clusterId, shard);
  }

  /** The record document of `namespace/name` in a cluster. */
  recordRef(clusterId: string, key: string): DocumentReference {
    return this.clusterRef(clusterId).collection(RECORDS_COLLECTION).doc(encodeDocumentId(key));
  }

  async loadCluster(clusterId: string, usage: StoreUsage, deadline?: Date): Promise<ClusterState> {
    return withinDeadline(
      () => this.loadClusterNow(clusterId, usage),
      deadline,
      `read the incidents of cluster ${clusterId}`,
    );
  }

  private async loadClusterNow(clusterId: string, usage: StoreUsage): Promise<ClusterState> {
    const known = new Map<string, RecordSummary>();
    const attention: SubjectRecord[] = [];
    const attentionKeys: string[] = [];
    const add = (entries: Record<string, IndexEntry>) => {
      for (const [key, entry] of Object.entries(entries)) {
        known.set(key, {cronJobUid: entry.cronJobUid, watermark: entry.watermark});
        if (entry.attention) attentionKeys.push(key);
      }
    };
    try {
      usage.reads += 1;
      const snapshot = await this.clusterRef(clusterId).get();
      const clusterDoc = readClusterDoc(snapshot.data(), clusterId);
      this.index.shardCounts.set(clusterId, clusterDoc.indexShards);
      add(clusterDoc.cronJobs);
      const refs = this.index.shardRefs(clusterId, clusterDoc.indexShards);
      if (refs.length > 0) {
        usage.reads += refs.length;
        for (const shard of await this.db.getAll(...refs)) {
          add(readShardDoc(shard.data(), clusterId));
        }
      }
    } catch (error) {
      throw storeError(error, `read the incident index of cluster ${clusterId}`);
    }
    for (let start = 0; start < attentionKeys.length; start += GET_ALL_CHUNK) {
      const refs = attentionKeys
        .slice(start, start + GET_ALL_CHUNK)
        .map(key => this.recordRef(clusterId, key));
      try {
        usage.reads += refs.length;
        const snapshots = await this.db.getAll(...refs);
        for (const snapshot of snapshots) {
          // A record deleted by hand (TTL never deletes these) is simply unknown next time.
          if (!snapshot.exists) continue;
          const record = readRecordDoc(snapshot.data(), snapshot.ref.path);
          if (needsAttention(record)) attention.push(record);
        }
      } catch (error) {
        throw storeError(error, `read the open incidents of cluster ${clusterId}`);
      }
    }
    return {known, attention};
  }

  async update(
    clusterId: string,
    key: string,
    change: (current: SubjectRecord | null) => SubjectRecord | null,
    usage: StoreUsage,
    deadline?: Date,
  ): Promise<SubjectRecord | null> {
    return withinDeadline(
      () => this.updateNow(clusterId, key, this.retaining(change), usage),
      deadline,
      `update the record ${key} of cluster ${clusterId}`,
    );
  }

  private async updateNow(
    clusterId: string,
    key: string,
    change: (current: SubjectRecord | null) => SubjectRecord | null,
    usage: StoreUsage,
  ): Promise<SubjectRecord | null> {
    const recordRef = this.recordRef(clusterId, key);
    const clusterRef = this.clusterRef(clusterId);
    let plannedWrites = 0;
    try {
      const result = await transact(this.db, async tx => {
        plannedWrites = 0;
        usage.reads += 1;
        const recordSnap = await readInTransaction(() => tx.get(recordRef));
        const current = recordSnap.exists ? readRecordDoc(recordSnap.data(), recordRef.path) : null;
        let next: SubjectRecord | null;
        try {
          next = change(current);
        } catch (error) {
          throw new StopTransaction('change', error);
        }
        if (next === null) return current;
        checkRecordKey(next, clusterId, key);
        // The index is read (and so locked) only when this record changes: passes that
        // only look at a record do not queue behind every other record of the cluster.
        usage.reads += 1;
        const clusterSnap = await readInTransaction(() => tx.get(clusterRef));
        const now = this.now();
        const clusterDoc = readClusterDoc(clusterSnap.data(), clusterId);
        const shard = shardOf(key, clusterDoc.indexShards);
        let shardEntries = clusterDoc.cronJobs;
        if (shard !== 0) {
          usage.reads += 1;
          const shardSnap = await readInTransaction(() => tx.get(this.shardRef(clusterId, shard)));
          shardEntries = readShardDoc(shardSnap.data(), clusterId);
        }
        const entry = indexEntryOf(next, now);
        const previous = shardEntries[key];
        let indexWrites = 0;
        if (previous === undefined || !sameEntry(previous, entry)) {
          const entries = this.index.pruned(shardEntries, now);
          entries[key] = entry;
          if (shardBytes(entries) <= this.index.indexShardBytes) {
            this.index.writeShard(tx, clusterId, clusterDoc, shard, entries, now);
            indexWrites = 1;
          } else {
            const all = await this.index.readOtherShards(tx, clusterId, clusterDoc, shard, usage);
            all.set(shard, entries);
            indexWrites = this.index.reshard(tx, clusterId, clusterDoc, all, now);
          }
        }
        tx.set(recordRef, this.toRecordDoc(next, now));
        plannedWrites = 1 + indexWrites;
        // As a later read will return it: optional fields left undefined are absent.
        return toStored(next) as SubjectRecord;
      });
      usage.writes += plannedWrites;
      return result;
    } catch (error) {
      if (error instanceof StopTransaction) {
        // `change` threw: nothing was written; the caller gets its own error back.
        if (error.kind === 'change') throw error.reason;
        throw storeError(error.reason, `update the record ${key} of cluster ${clusterId}`);
      }
      throw storeError(error, `update the record ${key} of cluster ${clusterId}`);
    }
  }

  /**
   * See `IncidentStore.updateMany`. Changes are grouped by index shard (as `loadCluster` last saw
   * the index) and cut into groups, one transaction each, one after the other, so a transaction
   * rewrites at most one shard, however large the index (firestore/batching.ts).
   */
  async updateMany(
    clusterId: string,
    changes: RecordChange[],
    usage: StoreUsage,
    deadline?: Date,
  ): Promise<RecordChangeResult[]> {
    const writer = {
      db: this.db,
      index: this.index,
      now: this.now,
      recordRef: (cluster: string, key: string) => this.recordRef(cluster, key),
      toRecordDoc: (record: SubjectRecord, now: Date) => this.toRecordDoc(record, now),
    };
    const retaining = changes.map(c => ({...c, change: this.retaining(c.change)}));
    return updateMany(writer, clusterId, retaining, usage, deadline);
  }

  /** `change`, with what passed the retention dropped from the record it writes. */
  private retaining(
    change: (current: SubjectRecord | null) => SubjectRecord | null,
  ): (current: SubjectRecord | null) => SubjectRecord | null {
    return current => {
      const next = change(current);
      return next === null ? null : withinRetention(next, this.now(), this.retentionMs);
    };
  }

  /** Every change was committed by its own transaction: nothing is left to write. */
  async finishCluster(): Promise<void> {}

  // Every transaction is committed (durable) when `update` resolves.
  async flush(): Promise<void> {}

  async baseline(
    clusterId: string,
    entries: BaselineEntry[],
    usage: StoreUsage,
    deadline?: Date,
  ): Promise<void> {
    if (entries.length === 0) return;
    await withinDeadline(
      () => this.baselineNow(clusterId, entries, usage),
      deadline,
      `record the starting point of ${entries.length} CronJob(s) of cluster ${clusterId}`,
    );
  }

  private async baselineNow(
    clusterId: string,
    entries: BaselineEntry[],
    usage: StoreUsage,
  ): Promise<void> {
    const clusterRef = this.clusterRef(clusterId);
    let planned = 0;
    try {
      await transact(this.db, async tx => {
        planned = 0;
        usage.reads += 1;
        const snapshot = await readInTransaction(() => tx.get(clusterRef));
        const clusterDoc = readClusterDoc(snapshot.data(), clusterId);
        const now = this.now();
        const shards = await this.index.readOtherShards(tx, clusterId, clusterDoc, 0, usage);
        shards.set(0, clusterDoc.cronJobs);
        const known = new Set<string>();
        for (const shardEntries of shards.values()) {
          for (const key of Object.keys(shardEntries)) known.add(key);
        }
        const fresh = entries.filter(entry => !known.has(entry.key));
        if (fresh.length === 0) return;
        const changed = new Set<number>();
        for (const [shard, shardEntries] of shards) {
          shards.set(shard, this.index.pruned(shardEntries, now));
        }
        for (const entry of fresh) {
          const shard = shardOf(entry.key, clusterDoc.indexShards);
          const shardEntries = shards.get(shard) ?? {};
          shardEntries[entry.key] = {
            cronJobUid: entry.cronJobUid,
            watermark: entry.watermark,
            attention: false,
            touchedOn: dayOf(now),
          };
          shards.set(shard, shardEntries);
          changed.add(shard);
        }
        if (
          [...changed].every(
            shard => shardBytes(shards.get(shard) ?? {}) <= this.index.indexShardBytes,
          )
        ) {
          for (const shard of changed) {
            this.index.writeShard(tx, clusterId, clusterDoc, shard, shards.get(shard) ?? {}, now);
          }
          planned = changed.size;
        } else {
          planned = this.index.reshard(tx, clusterId, clusterDoc, shards, now);
        }
      });
      usage.writes += planned;
    } catch (error) {
      const cause = error instanceof StopTransaction ? error.reason : error;
      throw storeError(
        cause,
        `record the starting point of ${entries.length} CronJob(s) of cluster ${clusterId}`,
      );
    }
  }

  /** The document of a record written `now`: the record plus its `expireAt` (core/retention.ts). */
  private toRecordDoc(record: SubjectRecord, now: Date): Record<string, unknown> {
    const expiry = expiresAt(record, now, this.retentionMs);
    const expireAt = expiry === null ? null : Timestamp.fromDate(expiry);
    return {...(toStored(record) as Record<string, unknown>), expireAt};
  }
}
