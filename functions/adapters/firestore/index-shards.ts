/**
 * The cluster index of the Firestore store: shard 0 in the cluster document, shards 1 … S-1 in
 * `cronjobWatcherIndex` (see firestore-incident-store.ts for the layout), how a key finds its
 * shard, and writing entries within a transaction, re-sharding when a shard would grow too
 * large.
 */
import type {CollectionReference, DocumentReference, Transaction} from '@google-cloud/firestore';
import {StoreError} from '../../core/errors.js';
import {isObject} from '../../core/json.js';
import {needsAttention, type RunMark, type SubjectRecord} from '../../core/incident.js';
import type {StoreUsage} from '../../ports.js';
import {encodeDocumentId} from './records.js';
import {readInTransaction} from './transactions.js';

/** An index entry in the cluster document. */
export interface IndexEntry {
  cronJobUid: string;
  watermark: RunMark | null;
  attention: boolean;
  /** UTC day (`YYYY-MM-DD`) of the last record write that touched this entry; for pruning. */
  touchedOn: string;
}

/** The cluster document: index shard 0 and how many shards there are. */
export interface ClusterDoc {
  clusterId: string;
  cronJobs: Record<string, IndexEntry>;
  /** Absent in documents written before the index was sharded: one shard. */
  indexShards: number;
  updatedAt: string;
}

/** The subcollection of index shards 1 … S-1 (see firestore-incident-store.ts). */
export const INDEX_COLLECTION = 'cronjobWatcherIndex';
// Half of Firestore's 1 MiB document limit: a shard is split long before it nears the limit.
export const DEFAULT_INDEX_SHARD_BYTES = 512 * 1024;
// Far beyond any cluster (a million CronJobs at 512 KiB a shard needs 512); stops a runaway.
export const MAX_INDEX_SHARDS = 4096;
// Field names, map overhead and the document name, on top of what `entryBytes` counts.
const SHARD_OVERHEAD_BYTES = 1024;

/** The index of every cluster under one collection of cluster documents. */
export class ClusterIndex {
  /** Index shards per cluster as last read, to group `updateMany` changes by shard. */
  readonly shardCounts = new Map<string, number>();

  constructor(
    private readonly clusters: CollectionReference,
    /** Most estimated bytes of one shard's entries before the index is split further. */
    readonly indexShardBytes: number,
    private readonly retentionMs: number,
  ) {}

  /** The cluster document, index shard 0. */
  clusterRef(clusterId: string): DocumentReference {
    return this.clusters.doc(encodeDocumentId(clusterId));
  }

  /** Index shard `shard` (≥ 1) of a cluster; shard 0 is the cluster document. */
  shardRef(clusterId: string, shard: number): DocumentReference {
    return this.clusterRef(clusterId).collection(INDEX_COLLECTION).doc(String(shard));
  }

  /** Index shards 1 … S-1 of a cluster (shard 0 is the cluster document). */
  shardRefs(clusterId: string, shards: number): DocumentReference[] {
    return Array.from({length: shards - 1}, (_, i) => this.shardRef(clusterId, i + 1));
  }

  /**
   * Puts `entries` in the index within a transaction that has read nothing of the index yet:
   * reads the cluster document and the shards the entries fall in, writes the shards that
   * change (re-sharding when one would grow too large). Returns the writes.
   */
  async writeEntries(
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

  /** Every shard but `except` (already read), read in the transaction, by shard number. */
  async readOtherShards(
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
    for (const snapshot of await readInTransaction(() => tx.getAll(...refs))) {
      shards.set(Number(snapshot.ref.id), readShardDoc(snapshot.data(), clusterId));
    }
    return shards;
  }

  /** Writes one shard: the cluster document for shard 0, else its own document. */
  writeShard(
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
  reshard(
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
  pruned(entries: Record<string, IndexEntry>, now: Date): Record<string, IndexEntry> {
    const cutoff = dayOf(new Date(now.getTime() - this.retentionMs));
    const kept: Record<string, IndexEntry> = {};
    for (const [key, entry] of Object.entries(entries)) {
      if (!entry.attention && entry.touchedOn < cutoff) continue;
      kept[key] = entry;
    }
    return kept;
  }
}

/** The cluster document (index shard 0); an absent one is an empty one-shard index. */
export function readClusterDoc(data: unknown, clusterId: string): ClusterDoc {
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
export function readShardDoc(data: unknown, clusterId: string): Record<string, IndexEntry> {
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
export function shardBytes(entries: Record<string, IndexEntry>): number {
  return Buffer.byteLength(JSON.stringify(entries)) + SHARD_OVERHEAD_BYTES;
}

/** The index entry of a record written `now`. */
export function indexEntryOf(record: SubjectRecord, now: Date): IndexEntry {
  return {
    cronJobUid: record.subject.type === 'cronjob' ? record.subject.uid : '',
    watermark: record.watermark,
    attention: needsAttention(record),
    touchedOn: dayOf(now),
  };
}

export function sameEntry(a: IndexEntry, b: IndexEntry): boolean {
  return (
    a.cronJobUid === b.cronJobUid &&
    a.attention === b.attention &&
    a.touchedOn === b.touchedOn &&
    a.watermark?.atMs === b.watermark?.atMs &&
    a.watermark?.job === b.watermark?.job
  );
}

/** The UTC day (`YYYY-MM-DD`) of a time, as entries keep it. */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}
