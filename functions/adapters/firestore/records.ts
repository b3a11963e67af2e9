/** Record documents: their ids, their stored form, and reading them back in today's shape. */
import {StoreError} from '../../core/errors.js';
import {isObject} from '../../core/json.js';
import {keyOfSubject, type SubjectRecord} from '../../core/incident.js';
import {upgradeRecord} from '../../core/record-upgrade.js';

/**
 * The per-CronJob record subcollection. Its ID is specific to this app because the TTL policy
 * (field `expireAt`) and `deploy.sh --delete-data` act on every collection with this ID in
 * the database: a generic name such as `cronJobs` could catch another app's data.
 */
export const RECORDS_COLLECTION = 'cronjobWatcherRecords';

/**
 * Percent-encodes an id for use as a Firestore document id. Reversible, so an operator reading
 * the console can tell which cluster or CronJob a document is (see firestore-incident-store.ts).
 */
export function encodeDocumentId(id: string): string {
  return encodeURIComponent(id).replace(/\./g, '%2E').replace(/_/g, '%5F');
}

/** Reverses {@link encodeDocumentId}. */
export function decodeDocumentId(encoded: string): string {
  return decodeURIComponent(encoded);
}

/**
 * The stored form of a record: the record as it is, minus `undefined` (Firestore refuses it;
 * an optional field left undefined means absent), plus the store's own `expireAt`.
 */
export function toStored(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toStored);
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toStored(v);
    return out;
  }
  return value;
}

/** A stored record in today's shape, whatever release wrote it (see record-upgrade.ts). */
export function readRecordDoc(data: unknown, path: string): SubjectRecord {
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

/** Refuses a change that returned the record of another CronJob or cluster. */
export function checkRecordKey(record: SubjectRecord, clusterId: string, key: string): void {
  const recordKey = keyOfSubject(record.subject);
  if (record.clusterId !== clusterId || recordKey !== key) {
    throw new StoreError(
      'INVALID_RECORD',
      `A change for ${key} of cluster ${clusterId} returned the record of ${recordKey} of cluster ${record.clusterId}; nothing was written.`,
    );
  }
}
