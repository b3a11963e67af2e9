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
 *   document stopped working at ~5,000–7,000 CronJobs per cluster (issue 14). A write that
 *   would take a shard past `indexShardBytes` (default 512 KiB, half the limit) first
 *   re-shards the whole index in the same transaction, so no shard ever approaches 1 MiB.
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
 *   (`infra/` does). `expireAt` = time of the last write + `retentionDays` when the record
 *   needs no attention, null while an incident is open or a message is owed (those are
 *   never deleted). A record is rewritten whenever a new run is accounted for, so only
 *   records of CronJobs deleted, suspended or not run for `retentionDays` expire. Losing such
 *   a record is harmless: the next pass that sees the CronJob re-baselines it like a new one
 *   (it opens an incident only if the latest finished run failed). Index entries of expired
 *   records are pruned whenever the cluster document is written anyway (entries that need no
 *   attention and were last touched more than `retentionDays` ago), so the index does not
 *   grow forever with CronJobs long gone; pruning an entry whose record still exists is also
 *   harmless (the record is found and updated on the next change).
 *
 * Failing fast: with the SDK defaults a Firestore outage (connection refused) keeps a call
 * retrying for minutes (measured against a stopped emulator with @google-cloud/firestore
 * 8.7.1: a document read fails after ~42 s, a transaction after more than 2 minutes, a plain
 * write retries up to the 600 s `total_timeout_millis` of the service config). `createFirestore`
 * therefore sets per-RPC deadlines (`clientConfig`) and the stream retry mode
 * (`gaxServerStreamingRetries`) so that reads fail after the SDK's own 5 stream attempts
 * (~8 s of backoff), and `update` does not retry an unreachable backend at the transaction
 * level (it retries contention only). Measured: with the emulator stopped, `update` and
 * `loadCluster` throw `StoreError` `UNAVAILABLE` after 5–11 s (the SDK's jittered backoff;
 * see the fault test, which allows 30 s). A backend that accepts connections but never
 * answers is bounded by the per-RPC deadline instead: up to 5 stream attempts × 10 s.
 * After an outage the same client recovers by itself (gRPC reconnects), no rebuild needed.
 *
 * Contention: a transaction that loses a race is retried by the SDK up to
 * 5 times (SDK default `DEFAULT_MAX_TRANSACTION_ATTEMPTS`, with exponential backoff);
 * `change` may therefore run several times and must be pure (the port says so).
 *
 * No secrets are stored: records hold cluster names, CronJob names, run details and Slack
 * message coordinates (channel + ts), never tokens.
 */
import {
  Firestore,
  Timestamp,
  type DocumentReference,
  type Settings,
  type Transaction,
} from '@google-cloud/firestore';
import {ConfigError, StoreError, describeError} from '../core/errors.js';
import {DEFAULT_RETENTION_DAYS} from '../config.js';
import {isObject} from '../core/json.js';
import {keyOfSubject, needsAttention, type RunMark, type SubjectRecord} from '../core/incident.js';
import {upgradeRecord} from '../core/record-upgrade.js';
import {withinDeadline} from './deadline.js';
import type {
  BaselineEntry,
  ClusterState,
  IncidentStore,
  RecordChange,
  RecordChangeResult,
  RecordSummary,
  StoreUsage,
} from '../ports.js';

/**
 * The per-CronJob record subcollection. Its ID is specific to this app because the TTL policy
 * (field `expireAt`) and `deploy.sh --delete-data` act on every collection with this ID in
 * the database: a generic name such as `cronJobs` could catch another app's data.
 */
export const RECORDS_COLLECTION = 'cronjobWatcherRecords';

/** Options of {@link FirestoreIncidentStore}. */
export interface FirestoreIncidentStoreOptions {
  /** Prefix of the top-level collection (`<prefix>Clusters`). Default `cronjobWatcher`. */
  collectionPrefix?: string;
  /** Days a record that needs no attention is kept after its last write. Default 90. */
  retentionDays?: number;
  /** Clock for `expireAt` and index pruning; tests pass a fixed one. */
  now?: () => Date;
  /**
   * Most estimated bytes of entries in one index shard before the index is split further.
   * Default 512 KiB; tests pass a small value to get many shards from few CronJobs.
   */
  indexShardBytes?: number;
}

/** An index entry in the cluster document. */
interface IndexEntry {
  cronJobUid: string;
  watermark: RunMark | null;
  attention: boolean;
  /** UTC day (`YYYY-MM-DD`) of the last record write that touched this entry; for pruning. */
  touchedOn: string;
}

/** The cluster document: index shard 0 and how many shards there are. */
interface ClusterDoc {
  clusterId: string;
  cronJobs: Record<string, IndexEntry>;
  /** Absent in documents written before the index was sharded: one shard. */
  indexShards: number;
  updatedAt: string;
}

/** The subcollection of index shards 1 … S-1 (see the file comment). */
export const INDEX_COLLECTION = 'cronjobWatcherIndex';
// Half of Firestore's 1 MiB document limit: a shard is split long before it nears the limit.
const DEFAULT_INDEX_SHARD_BYTES = 512 * 1024;
// Far beyond any cluster (a million CronJobs at 512 KiB a shard needs 512); stops a runaway.
const MAX_INDEX_SHARDS = 4096;
// Field names, map overhead and the document name, on top of what `entryBytes` counts.
const SHARD_OVERHEAD_BYTES = 1024;

const DEFAULT_COLLECTION_PREFIX = 'cronjobWatcher';
// Records per `updateMany` transaction: 100 records of a few KB and one index shard (at most
// 512 KiB) stay far below Firestore's 10 MiB per commit, and 1,000 first-pass openings take 10
// transactions where `update` takes 1,000.
const RECORDS_PER_TRANSACTION = 100;
const DAY_MS = 24 * 60 * 60 * 1000;
// Firestore's BatchGetDocuments has no documented size limit in the server SDK, but a pass
// with hundreds of open incidents should not depend on one huge response stream.
const GET_ALL_CHUNK = 300;

/** gRPC status codes (google.rpc.Code) the SDK puts in `error.code`. */
const GRPC_CODE_NAMES: Record<number, string> = {
  1: 'CANCELLED',
  2: 'UNKNOWN',
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE',
  5: 'NOT_FOUND',
  6: 'ALREADY_EXISTS',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION',
  10: 'ABORTED',
  11: 'OUT_OF_RANGE',
  12: 'UNIMPLEMENTED',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  16: 'UNAUTHENTICATED',
};

/** The backend could not be reached at all: retrying the transaction would only wait longer. */
const OUTAGE_CODES = new Set([4, 14]);

// Whole transactions tried again when Firestore dropped one midway (below).
const LOST_TRANSACTION_ATTEMPTS = 3;

/**
 * Firestore (the emulator under contention, a transaction that expired) can answer
 * INVALID_ARGUMENT "Transaction is invalid or closed": nothing of it was committed, and the
 * SDK does not retry it as it retries ABORTED. The whole transaction can run again.
 */
function lostTransaction(error: unknown): boolean {
  return (
    codeOf(error) === 3 &&
    /transaction is invalid or closed/i.test(error instanceof Error ? error.message : '')
  );
}

/** Thrown inside a transaction to stop the SDK from retrying; carries what really happened. */
class StopTransaction extends Error {
  constructor(
    readonly kind: 'change' | 'outage',
    readonly reason: unknown,
  ) {
    super(`transaction stopped (${kind})`);
  }
}

/** A read inside a transaction: contention is retried by the SDK, an unreachable backend not. */
async function readInTransaction<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    // The read already went through the SDK's stream retries.
    if (OUTAGE_CODES.has(codeOf(error) ?? -1)) throw new StopTransaction('outage', error);
    throw error;
  }
}

/** Percent-encodes an id for use as a Firestore document id (reversible, see file comment). */
export function encodeDocumentId(id: string): string {
  return encodeURIComponent(id).replace(/\./g, '%2E').replace(/_/g, '%5F');
}

/** Reverses {@link encodeDocumentId}. */
export function decodeDocumentId(encoded: string): string {
  return decodeURIComponent(encoded);
}

/** Incident records in Cloud Firestore. Build the `Firestore` once (see `createFirestore`). */
export class FirestoreIncidentStore implements IncidentStore {
  private readonly prefix: string;
  private readonly retentionMs: number;
  private readonly retentionDays: number;
  private readonly now: () => Date;
  private readonly indexShardBytes: number;
  /** Index shards per cluster as last read, to group `updateMany` changes by shard. */
  private readonly shardCounts = new Map<string, number>();

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
    this.indexShardBytes = options.indexShardBytes ?? DEFAULT_INDEX_SHARD_BYTES;
  }

  /** The cluster document (exported for tests and operators). */
  clusterRef(clusterId: string): DocumentReference {
    return this.db.collection(`${this.prefix}Clusters`).doc(encodeDocumentId(clusterId));
  }

  /** Index shard `shard` (≥ 1) of a cluster; shard 0 is the cluster document. */
  shardRef(clusterId: string, shard: number): DocumentReference {
    return this.clusterRef(clusterId).collection(INDEX_COLLECTION).doc(String(shard));
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
      this.shardCounts.set(clusterId, clusterDoc.indexShards);
      add(clusterDoc.cronJobs);
      const refs = this.shardRefs(clusterId, clusterDoc.indexShards);
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
      () => this.updateNow(clusterId, key, change, usage),
      deadline,
      `update the record ${key} of cluster ${clusterId}`,
    );
  }

  /** `runTransaction`, run again whole (at most 3 times) when Firestore dropped it midway. */
  private async transact<T>(body: (tx: Transaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.runTransaction(body);
      } catch (error) {
        if (attempt >= LOST_TRANSACTION_ATTEMPTS || !lostTransaction(error)) throw error;
      }
    }
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
      const result = await this.transact(async tx => {
        plannedWrites = 0;
        let recordSnap;
        let clusterSnap;
        try {
          usage.reads += 1;
          recordSnap = await tx.get(recordRef);
        } catch (error) {
          // Contention (ABORTED) is retried by the SDK; an unreachable backend is not:
          // the read already went through the SDK's stream retries.
          if (OUTAGE_CODES.has(codeOf(error) ?? -1)) throw new StopTransaction('outage', error);
          throw error;
        }
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
        try {
          usage.reads += 1;
          clusterSnap = await tx.get(clusterRef);
        } catch (error) {
          if (OUTAGE_CODES.has(codeOf(error) ?? -1)) throw new StopTransaction('outage', error);
          throw error;
        }
        const now = this.now();
        const clusterDoc = readClusterDoc(clusterSnap.data(), clusterId);
        const shard = shardOf(key, clusterDoc.indexShards);
        let shardEntries = clusterDoc.cronJobs;
        if (shard !== 0) {
          try {
            usage.reads += 1;
            shardEntries = readShardDoc(
              (await tx.get(this.shardRef(clusterId, shard))).data(),
              clusterId,
            );
          } catch (error) {
            if (OUTAGE_CODES.has(codeOf(error) ?? -1)) throw new StopTransaction('outage', error);
            throw error;
          }
        }
        const entry = indexEntryOf(next, now);
        const previous = shardEntries[key];
        let indexWrites = 0;
        if (previous === undefined || !sameEntry(previous, entry)) {
          const entries = this.pruned(shardEntries, now);
          entries[key] = entry;
          if (shardBytes(entries) <= this.indexShardBytes) {
            this.writeShard(tx, clusterId, clusterDoc, shard, entries, now);
            indexWrites = 1;
          } else {
            const all = await this.readOtherShards(tx, clusterId, clusterDoc, shard, usage);
            all.set(shard, entries);
            indexWrites = this.reshard(tx, clusterId, clusterDoc, all, now);
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
   * the index) and cut into groups of `RECORDS_PER_TRANSACTION`, one transaction each, one after
   * the other, so a transaction rewrites at most one shard, however large the index. Within a
   * group an index entry is rewritten only for a new record or one whose UID, watermark or need
   * for attention changed: claiming and recording a message touch the record alone (the day an
   * entry was last touched only matters to entries that need no attention, see pruning). Once a
   * group fails because Firestore cannot be reached, the groups after it are not tried.
   */
  async updateMany(
    clusterId: string,
    changes: RecordChange[],
    usage: StoreUsage,
    deadline?: Date,
  ): Promise<RecordChangeResult[]> {
    const results: RecordChangeResult[] = [];
    const shards = this.shardCounts.get(clusterId) ?? 1;
    const byShard = new Map<number, number[]>();
    changes.forEach((change, i) => {
      const shard = shardOf(change.key, shards);
      byShard.set(shard, [...(byShard.get(shard) ?? []), i]);
    });
    let outage: unknown = null;
    for (const indexes of byShard.values()) {
      for (let start = 0; start < indexes.length; start += RECORDS_PER_TRANSACTION) {
        const group = indexes.slice(start, start + RECORDS_PER_TRANSACTION);
        if (outage !== null) {
          for (const i of group) results[i] = {ok: false, error: outage};
          continue;
        }
        const what = `update ${group.length} record(s) of cluster ${clusterId}`;
        try {
          const records = await withinDeadline(
            () =>
              this.updateGroupNow(
                clusterId,
                group.map(i => changes[i] as RecordChange),
                usage,
              ),
            deadline,
            what,
          );
          group.forEach((i, j) => (results[i] = {ok: true, record: records[j] ?? null}));
        } catch (error) {
          const failed = error instanceof StopTransaction ? error.reason : error;
          const reported =
            error instanceof StopTransaction && error.kind === 'change'
              ? failed
              : storeError(failed, what);
          if (
            reported instanceof StoreError &&
            (reported.code === 'UNAVAILABLE' || reported.code === 'DEADLINE')
          ) {
            outage = reported;
          }
          for (const i of group) results[i] = {ok: false, error: reported};
        }
      }
    }
    return results;
  }

  /** One `updateMany` transaction (see there). */
  private async updateGroupNow(
    clusterId: string,
    changes: RecordChange[],
    usage: StoreUsage,
  ): Promise<Array<SubjectRecord | null>> {
    let plannedWrites = 0;
    const result = await this.transact(async tx => {
      plannedWrites = 0;
      const refs = changes.map(change => this.recordRef(clusterId, change.key));
      usage.reads += refs.length;
      const snapshots = await readInTransaction(() => tx.getAll(...refs));
      const current = snapshots.map((snapshot, i) =>
        snapshot.exists
          ? readRecordDoc(snapshot.data(), (refs[i] as DocumentReference).path)
          : null,
      );
      const next = changes.map((change, i) => {
        try {
          return change.change(current[i] ?? null);
        } catch (error) {
          throw new StopTransaction('change', error);
        }
      });
      next.forEach((record, i) => {
        if (record !== null) checkRecordKey(record, clusterId, (changes[i] as RecordChange).key);
      });
      const now = this.now();
      const indexed = next.flatMap((record, i) => {
        const before = current[i] ?? null;
        if (record === null) return [];
        const entry = indexEntryOf(record, now);
        return before === null || !sameEntry(indexEntryOf(before, now), entry)
          ? [{key: (changes[i] as RecordChange).key, entry}]
          : [];
      });
      if (indexed.length > 0) {
        plannedWrites += await this.writeIndexEntries(tx, clusterId, indexed, usage, now);
      }
      next.forEach((record, i) => {
        if (record === null) return;
        tx.set(refs[i] as DocumentReference, this.toRecordDoc(record, now));
        plannedWrites += 1;
      });
      // As a later read will return them: optional fields left undefined are absent.
      return next.map((record, i) =>
        record === null ? (current[i] ?? null) : (toStored(record) as SubjectRecord),
      );
    });
    usage.writes += plannedWrites;
    return result;
  }

  /**
   * Puts `entries` in the index within a transaction that has read nothing of the index yet:
   * reads the cluster document and the shards the entries fall in, writes the shards that
   * change (re-sharding when one would grow too large). Returns the writes.
   */
  private async writeIndexEntries(
    tx: Transaction,
    clusterId: string,
    entries: Array<{key: string; entry: IndexEntry}>,
    usage: StoreUsage,
    now: Date,
  ): Promise<number> {
    usage.reads += 1;
    const clusterSnap = await readInTransaction(() => tx.get(this.clusterRef(clusterId)));
    const clusterDoc = readClusterDoc(clusterSnap.data(), clusterId);
    this.shardCounts.set(clusterId, clusterDoc.indexShards);
    const shardOfKey = (key: string) => shardOf(key, clusterDoc.indexShards);
    const shards = new Map<number, Record<string, IndexEntry>>();
    const wanted = new Set(entries.map(({key}) => shardOfKey(key)));
    if (wanted.has(0)) shards.set(0, clusterDoc.cronJobs);
    const refs = [...wanted]
      .filter(shard => shard !== 0)
      .map(shard => this.shardRef(clusterId, shard));
    if (refs.length > 0) {
      usage.reads += refs.length;
      for (const snapshot of await readInTransaction(() => tx.getAll(...refs))) {
        shards.set(Number(snapshot.ref.id), readShardDoc(snapshot.data(), clusterId));
      }
    }
    const changed = new Set<number>();
    for (const {key, entry} of entries) {
      const shard = shardOfKey(key);
      let shardEntries = shards.get(shard) ?? {};
      const previous = shardEntries[key];
      if (previous !== undefined && sameEntry(previous, entry)) continue;
      if (!changed.has(shard)) {
        shardEntries = this.pruned(shardEntries, now);
        changed.add(shard);
      }
      shardEntries[key] = entry;
      shards.set(shard, shardEntries);
    }
    if ([...changed].every(shard => shardBytes(shards.get(shard) ?? {}) <= this.indexShardBytes)) {
      for (const shard of changed) {
        this.writeShard(tx, clusterId, clusterDoc, shard, shards.get(shard) ?? {}, now);
      }
      return changed.size;
    }
    const all = await this.readOtherShards(tx, clusterId, clusterDoc, -1, usage);
    for (const shard of changed) all.set(shard, shards.get(shard) ?? {});
    const written = this.reshard(tx, clusterId, clusterDoc, all, now);
    this.shardCounts.set(clusterId, written);
    return written;
  }

  /** Every change was committed by its own transaction: nothing is left to write. */
  async finishCluster(): Promise<void> {}

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
      await this.transact(async tx => {
        planned = 0;
        usage.reads += 1;
        let snapshot;
        try {
          snapshot = await tx.get(clusterRef);
        } catch (error) {
          if (OUTAGE_CODES.has(codeOf(error) ?? -1)) throw new StopTransaction('outage', error);
          throw error;
        }
        const clusterDoc = readClusterDoc(snapshot.data(), clusterId);
        const now = this.now();
        const shards = await this.readOtherShards(tx, clusterId, clusterDoc, 0, usage);
        shards.set(0, clusterDoc.cronJobs);
        const known = new Set<string>();
        for (const shardEntries of shards.values()) {
          for (const key of Object.keys(shardEntries)) known.add(key);
        }
        const fresh = entries.filter(entry => !known.has(entry.key));
        if (fresh.length === 0) return;
        const changed = new Set<number>();
        for (const [shard, shardEntries] of shards) {
          shards.set(shard, this.pruned(shardEntries, now));
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
          [...changed].every(shard => shardBytes(shards.get(shard) ?? {}) <= this.indexShardBytes)
        ) {
          for (const shard of changed) {
            this.writeShard(tx, clusterId, clusterDoc, shard, shards.get(shard) ?? {}, now);
          }
          planned = changed.size;
        } else {
          planned = this.reshard(tx, clusterId, clusterDoc, shards, now);
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

  private toRecordDoc(record: SubjectRecord, now: Date): Record<string, unknown> {
    const expireAt = needsAttention(record)
      ? null
      : Timestamp.fromMillis(now.getTime() + this.retentionMs);
    return {...(toStored(record) as Record<string, unknown>), expireAt};
  }

  private shardRefs(clusterId: string, shards: number): DocumentReference[] {
    return Array.from({length: shards - 1}, (_, i) => this.shardRef(clusterId, i + 1));
  }

  /** Every shard but `except` (already read), read in the transaction, by shard number. */
  private async readOtherShards(
    tx: Transaction,
    clusterId: string,
    clusterDoc: ClusterDoc,
    except: number,
    usage: StoreUsage,
  ): Promise<Map<number, Record<string, IndexEntry>>> {
    const shards = new Map<number, Record<string, IndexEntry>>();
    if (except !== 0) shards.set(0, clusterDoc.cronJobs);
    const refs = this.shardRefs(clusterId, clusterDoc.indexShards).filter(
      (_, i) => i + 1 !== except,
    );
    if (refs.length === 0) return shards;
    usage.reads += refs.length;
    let snapshots;
    try {
      snapshots = await tx.getAll(...refs);
    } catch (error) {
      if (OUTAGE_CODES.has(codeOf(error) ?? -1)) throw new StopTransaction('outage', error);
      throw error;
    }
    for (const snapshot of snapshots) {
      shards.set(Number(snapshot.ref.id), readShardDoc(snapshot.data(), clusterId));
    }
    return shards;
  }

  /** Writes one shard: the cluster document for shard 0, else its own document. */
  private writeShard(
    tx: Transaction,
    clusterId: string,
    clusterDoc: ClusterDoc,
    shard: number,
    entries: Record<string, IndexEntry>,
    now: Date,
  ): void {
    if (shard === 0) {
      tx.set(this.clusterRef(clusterId), {
        clusterId,
        cronJobs: entries,
        indexShards: clusterDoc.indexShards,
        updatedAt: now.toISOString(),
      });
    } else {
      tx.set(this.shardRef(clusterId, shard), {clusterId, shard, cronJobs: entries});
    }
  }

  /**
   * Spreads every entry over enough shards that each is at most half full, and writes them
   * all (the old shard documents are overwritten: S only grows). Returns the writes.
   */
  private reshard(
    tx: Transaction,
    clusterId: string,
    clusterDoc: ClusterDoc,
    shards: Map<number, Record<string, IndexEntry>>,
    now: Date,
  ): number {
    const all: Array<[string, IndexEntry]> = [];
    for (const entries of shards.values()) all.push(...Object.entries(entries));
    let count = Math.max(2, clusterDoc.indexShards * 2);
    let split = splitEntries(all, count);
    while (
      count < MAX_INDEX_SHARDS &&
      split.some(entries => shardBytes(entries) > this.indexShardBytes / 2)
    ) {
      count *= 2;
      split = splitEntries(all, count);
    }
    const resized: ClusterDoc = {...clusterDoc, indexShards: count};
    split.forEach((entries, shard) => this.writeShard(tx, clusterId, resized, shard, entries, now));
    return count;
  }

  /** Drops index entries whose records the TTL policy has (or is about to have) deleted. */
  private pruned(entries: Record<string, IndexEntry>, now: Date): Record<string, IndexEntry> {
    const cutoff = dayOf(new Date(now.getTime() - this.retentionMs));
    const kept: Record<string, IndexEntry> = {};
    for (const [key, entry] of Object.entries(entries)) {
      if (!entry.attention && entry.touchedOn < cutoff) continue;
      kept[key] = entry;
    }
    return kept;
  }
}

/** What `createFirestore` reads from the environment. */
export interface FirestoreEnv {
  GOOGLE_CLOUD_PROJECT?: string | undefined;
  FIRESTORE_DATABASE?: string | undefined;
  FIRESTORE_EMULATOR_HOST?: string | undefined;
}

// Firestore answers a read or commit of a few documents in well under a second; 10 s allows
// for a slow moment yet keeps a hung connection from eating a pass (the function's budget
// is minutes). Unary retries (commit, begin, rollback) stop after the same 10 s in total.
const RPC_TIMEOUT_MS = 10_000;
const RETRY_TOTAL_MS = 10_000;
// Starts at the SDK's own 100 ms; capped at 1 s so several retries fit in RETRY_TOTAL_MS.
const RETRY_INITIAL_DELAY_MS = 100;
const RETRY_MAX_DELAY_MS = 1_000;

/**
 * Overrides of the SDK's service config (`v1/firestore_client_config.json`), whose defaults
 * are 60 s per RPC and up to 600 s of retries. BatchGetDocuments gets no gax-level retries
 * because the SDK already retries every stream 5 times with its own backoff.
 */
function fastFailClientConfig(): Record<string, unknown> {
  const method = (codes: string) => ({
    timeout_millis: RPC_TIMEOUT_MS,
    retry_codes_name: codes,
    retry_params_name: 'bounded',
  });
  return {
    interfaces: {
      'google.firestore.v1.Firestore': {
        retry_codes: {
          none: [],
          transient: ['DEADLINE_EXCEEDED', 'INTERNAL', 'UNAVAILABLE'],
          commit: ['RESOURCE_EXHAUSTED', 'UNAVAILABLE'],
        },
        retry_params: {
          bounded: {
            initial_retry_delay_millis: RETRY_INITIAL_DELAY_MS,
            retry_delay_multiplier: 1.3,
            max_retry_delay_millis: RETRY_MAX_DELAY_MS,
            initial_rpc_timeout_millis: RPC_TIMEOUT_MS,
            rpc_timeout_multiplier: 1,
            max_rpc_timeout_millis: RPC_TIMEOUT_MS,
            total_timeout_millis: RETRY_TOTAL_MS,
          },
        },
        methods: {
          GetDocument: method('transient'),
          BatchGetDocuments: method('none'),
          BeginTransaction: method('transient'),
          Commit: method('commit'),
          Rollback: method('transient'),
          RunQuery: method('none'),
        },
      },
    },
  };
}

// Firestore database ids: `(default)`, or 4–63 characters of lowercase letters, digits and
// hyphens, starting with a letter and not ending with a hyphen.
const DATABASE_ID = /^(\(default\)|[a-z][a-z0-9-]{2,61}[a-z0-9])$/;
const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

/**
 * Builds the one `Firestore` client of a function instance (or CLI run) from the environment:
 *
 * - `GOOGLE_CLOUD_PROJECT`: the project; optional on Google Cloud (the SDK asks the metadata
 *   server), required with the emulator (which has no project of its own).
 * - `FIRESTORE_DATABASE`: a named database; default `(default)`.
 * - `FIRESTORE_EMULATOR_HOST` (`host:port`): the emulator. The SDK reads this variable from
 *   `process.env` itself, in its constructor, and it then wins over any `host`/`ssl` setting
 *   (plain-text gRPC, `Authorization: Bearer owner`). It is applied here explicitly as well,
 *   so an `env` other than `process.env` is honoured; note that a value in `process.env`
 *   still takes precedence over the one in `env`.
 *
 * Also sets the fail-fast RPC deadlines described in the file comment.
 * Throws `ConfigError` for a malformed value.
 */
export function createFirestore(env: FirestoreEnv = process.env): Firestore {
  const project = env.GOOGLE_CLOUD_PROJECT?.trim() || undefined;
  const database = env.FIRESTORE_DATABASE?.trim() || '(default)';
  const emulator = env.FIRESTORE_EMULATOR_HOST?.trim() || undefined;
  if (!DATABASE_ID.test(database)) {
    throw new ConfigError(
      `FIRESTORE_DATABASE="${database}" is not a Firestore database id: use "(default)" or 4–63 lowercase letters, digits and hyphens starting with a letter (e.g. "cronjob-watcher").`,
    );
  }
  // Loose on purpose: legacy domain-scoped ids (`example.com:proj`) are valid too.
  if (project !== undefined && !/^[A-Za-z0-9.:_-]+$/.test(project)) {
    throw new ConfigError(
      `GOOGLE_CLOUD_PROJECT="${project}" is not a project id: lowercase letters, digits and hyphens (e.g. "my-project-123").`,
    );
  }
  const settings: Settings = {
    databaseId: database,
    gaxServerStreamingRetries: true,
    clientConfig: fastFailClientConfig(),
  };
  if (project !== undefined) settings.projectId = project;
  if (emulator !== undefined) {
    if (!HOST_PORT.test(emulator)) {
      throw new ConfigError(
        `FIRESTORE_EMULATOR_HOST="${emulator}" is not host:port (e.g. "127.0.0.1:8080").`,
      );
    }
    if (project === undefined) {
      throw new ConfigError(
        'GOOGLE_CLOUD_PROJECT must be set when FIRESTORE_EMULATOR_HOST is (any id, e.g. "demo-cronjob-watcher"): the emulator cannot tell the SDK which project to use.',
      );
    }
    settings.host = emulator;
    settings.ssl = false;
  }
  return new Firestore(settings);
}

function readClusterDoc(data: unknown, clusterId: string): ClusterDoc {
  if (data === undefined) return {clusterId, cronJobs: {}, indexShards: 1, updatedAt: ''};
  const shards = isObject(data) ? (data['indexShards'] ?? 1) : 1;
  if (
    !isObject(data) ||
    !isObject(data['cronJobs']) ||
    typeof shards !== 'number' ||
    !Number.isInteger(shards) ||
    shards < 1 ||
    shards > MAX_INDEX_SHARDS
  ) {
    throw new StoreError(
      'CORRUPT',
      `The Firestore index document of cluster ${clusterId} has no cronJobs map or no valid indexShards; delete it to rebuild the index on the next pass.`,
    );
  }
  return {
    clusterId,
    cronJobs: readEntries(data['cronJobs']),
    indexShards: shards,
    updatedAt: String(data['updatedAt'] ?? ''),
  };
}

/** The entries of index shard 1 … S-1; a shard never written yet is empty. */
function readShardDoc(data: unknown, clusterId: string): Record<string, IndexEntry> {
  if (data === undefined) return {};
  if (!isObject(data) || !isObject(data['cronJobs'])) {
    throw new StoreError(
      'CORRUPT',
      `A Firestore index shard of cluster ${clusterId} has no cronJobs map; delete the cluster document and its ${INDEX_COLLECTION} to rebuild the index on the next pass.`,
    );
  }
  return readEntries(data['cronJobs']);
}

function readEntries(map: Record<string, unknown>): Record<string, IndexEntry> {
  const cronJobs: Record<string, IndexEntry> = {};
  for (const [key, value] of Object.entries(map)) {
    if (!isObject(value) || typeof value['cronJobUid'] !== 'string') continue;
    cronJobs[key] = {
      cronJobUid: value['cronJobUid'],
      watermark: (value['watermark'] as RunMark | null | undefined) ?? null,
      attention: value['attention'] === true,
      touchedOn: typeof value['touchedOn'] === 'string' ? value['touchedOn'] : '',
    };
  }
  return cronJobs;
}

/** The shard of a key among `shards` (FNV-1a: cheap, and spreads similar names evenly). */
export function shardOf(key: string, shards: number): number {
  if (shards <= 1) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193) >>> 0;
  }
  return hash % shards;
}

function splitEntries(
  all: Array<[string, IndexEntry]>,
  shards: number,
): Array<Record<string, IndexEntry>> {
  const split = Array.from({length: shards}, (): Record<string, IndexEntry> => ({}));
  for (const [key, entry] of all)
    (split[shardOf(key, shards)] as Record<string, IndexEntry>)[key] = entry;
  return split;
}

/**
 * An upper estimate of a shard's Firestore size: JSON spends about what Firestore does on
 * names and strings (UTF-8 plus one byte each), and more on numbers than its 8 bytes.
 */
function shardBytes(entries: Record<string, IndexEntry>): number {
  return Buffer.byteLength(JSON.stringify(entries)) + SHARD_OVERHEAD_BYTES;
}

/**
 * The stored form of a record: the record as it is, minus `undefined` (Firestore refuses it;
 * an optional field left undefined means absent), plus the store's own `expireAt`.
 */
function toStored(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toStored);
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toStored(v);
    return out;
  }
  return value;
}

/** A stored record in today's shape, whatever release wrote it (see record-upgrade.ts). */
function readRecordDoc(data: unknown, path: string): SubjectRecord {
  // The store's own field is not part of the record.
  const {expireAt: _expireAt, ...stored} = isObject(data) ? data : {};
  const upgraded = upgradeRecord(isObject(data) ? stored : data);
  if (!upgraded.ok) {
    throw new StoreError(
      'CORRUPT',
      `The Firestore incident record ${path} cannot be read: ${upgraded.problem}. Delete it to re-baseline that CronJob on the next pass.`,
    );
  }
  return upgraded.record;
}

function checkRecordKey(record: SubjectRecord, clusterId: string, key: string): void {
  const recordKey = keyOfSubject(record.subject);
  if (record.clusterId !== clusterId || recordKey !== key) {
    throw new StoreError(
      'INVALID_RECORD',
      `A change for ${key} of cluster ${clusterId} returned the record of ${recordKey} of cluster ${record.clusterId}; nothing was written.`,
    );
  }
}

function indexEntryOf(record: SubjectRecord, now: Date): IndexEntry {
  return {
    cronJobUid: record.subject.type === 'cronjob' ? record.subject.uid : '',
    watermark: record.watermark,
    attention: needsAttention(record),
    touchedOn: dayOf(now),
  };
}

function sameEntry(a: IndexEntry, b: IndexEntry): boolean {
  return (
    a.cronJobUid === b.cronJobUid &&
    a.attention === b.attention &&
    a.touchedOn === b.touchedOn &&
    a.watermark?.atMs === b.watermark?.atMs &&
    a.watermark?.job === b.watermark?.job
  );
}

function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function codeOf(error: unknown): number | undefined {
  if (isObject(error) || error instanceof Error) {
    const code = (error as {code?: unknown}).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

function storeError(error: unknown, what: string): StoreError {
  if (error instanceof StoreError) return error;
  const grpc = codeOf(error);
  const code = grpc === undefined ? 'INTERNAL' : (GRPC_CODE_NAMES[grpc] ?? 'UNKNOWN');
  const cause = describeError(error).split('\n')[0] ?? '';
  const hint =
    code === 'UNAVAILABLE' || code === 'DEADLINE'
      ? 'Firestore did not answer'
      : code === 'ABORTED'
        ? 'too many concurrent writers'
        : code === 'PERMISSION_DENIED' || code === 'UNAUTHENTICATED'
          ? 'the service account lacks roles/datastore.user'
          : code === 'NOT_FOUND'
            ? 'the Firestore database does not exist (check FIRESTORE_DATABASE)'
            : 'Firestore failed';
  return new StoreError(
    code,
    `Could not ${what} in Firestore (${hint}: ${cause}). A change is saved whole or not at all; the pass will retry.`,
    {cause: error},
  );
}
