/**
 * `IncidentStore.updateMany` on Firestore: many record changes in a few transactions, each all
 * or nothing, instead of one transaction per record.
 */
import type {DocumentReference, Firestore} from '@google-cloud/firestore';
import {StoreError} from '../../core/errors.js';
import type {SubjectRecord} from '../../core/incident.js';
import type {RecordChange, RecordChangeResult, StoreUsage} from '../../ports.js';
import {withinDeadline} from '../deadline.js';
import {indexEntryOf, sameEntry, shardOf, type ClusterIndex} from './index-shards.js';
import {checkRecordKey, readRecordDoc, toStored} from './records.js';
import {readInTransaction, StopTransaction, storeError, transact} from './transactions.js';

// Records per transaction: 100 records of a few KB and one index shard (at most 512 KiB) stay
// far below Firestore's 10 MiB per commit.
const RECORDS_PER_TRANSACTION = 100;

/** What the batch needs of the store. */
export interface RecordWriter {
  db: Firestore;
  index: ClusterIndex;
  now(): Date;
  recordRef(clusterId: string, key: string): DocumentReference;
  toRecordDoc(record: SubjectRecord, now: Date): Record<string, unknown>;
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
export async function updateMany(
  store: RecordWriter,
  clusterId: string,
  changes: RecordChange[],
  usage: StoreUsage,
  deadline?: Date,
): Promise<RecordChangeResult[]> {
  const results: RecordChangeResult[] = [];
  const shards = store.index.shardCounts.get(clusterId) ?? 1;
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
            updateGroup(
              store,
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
async function updateGroup(
  store: RecordWriter,
  clusterId: string,
  changes: RecordChange[],
  usage: StoreUsage,
): Promise<Array<SubjectRecord | null>> {
  let plannedWrites = 0;
  const result = await transact(store.db, async tx => {
    plannedWrites = 0;
    const refs = changes.map(change => store.recordRef(clusterId, change.key));
    usage.reads += refs.length;
    const snapshots = await readInTransaction(() => tx.getAll(...refs));
    const current = snapshots.map((snapshot, i) =>
      snapshot.exists ? readRecordDoc(snapshot.data(), (refs[i] as DocumentReference).path) : null,
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
    const now = store.now();
    const indexed = next.flatMap((record, i) => {
      const before = current[i] ?? null;
      if (record === null) return [];
      const entry = indexEntryOf(record, now);
      return before === null || !sameEntry(indexEntryOf(before, now), entry)
        ? [{key: (changes[i] as RecordChange).key, entry}]
        : [];
    });
    if (indexed.length > 0) {
      plannedWrites += await store.index.writeEntries(tx, clusterId, indexed, usage, now);
    }
    next.forEach((record, i) => {
      if (record === null) return;
      tx.set(refs[i] as DocumentReference, store.toRecordDoc(record, now));
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
