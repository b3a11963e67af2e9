/**
 * How long a record keeps what it holds (`RETENTION_DAYS`), the same in every store:
 *
 * - an open incident and a message still owed are kept as long as they last (the record
 *   needs attention and never expires);
 * - a closed incident — its reason, messages and log excerpt — is kept in the record's
 *   history until it has been closed for the retention period, then dropped on the next write;
 * - a record that needs no attention expires (is deleted whole) at the earliest of: the
 *   retention period after its last write, and the moment its oldest closed incident passes
 *   the retention period. A CronJob that keeps running rewrites its record, and each write
 *   drops what passed; a record nobody writes any more is deleted by then, so nothing it
 *   holds outlives the period either way, and no write moves that moment past it.
 *
 * Pure: stores pass their clock in. The Firestore store writes `expiresAt` as the document's
 * `expireAt` (its TTL policy deletes it); the file store drops a record when it has passed.
 */
import {needsAttention, type Incident, type SubjectRecord} from './incident.js';

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * When a closed incident's retention starts: its closing time (its opening time on records
 * that lack one). NaN when neither is a time: such an entry is not known to be recent.
 */
function closedMs(incident: Incident): number {
  return Date.parse(incident.closedAt ?? incident.openedAt);
}

/** The record without the closed incidents that have been closed for `retentionMs` at `now`. */
export function withinRetention(
  record: SubjectRecord,
  now: Date,
  retentionMs: number,
): SubjectRecord {
  const cutoff = now.getTime() - retentionMs;
  const history = record.history.filter(incident => closedMs(incident) > cutoff);
  return history.length === record.history.length ? record : {...record, history};
}

/**
 * When a record written at `writtenAt` is to be deleted if it is not written again; null
 * while it needs attention (an open incident, a message owed, a cluster not readable).
 */
export function expiresAt(
  record: SubjectRecord,
  writtenAt: Date,
  retentionMs: number,
): Date | null {
  if (needsAttention(record)) return null;
  let startMs = writtenAt.getTime();
  for (const incident of record.history) {
    const closed = closedMs(incident);
    // An entry with no usable time keeps no record past one retention from its write.
    if (Number.isFinite(closed)) startMs = Math.min(startMs, closed);
  }
  return new Date(startMs + retentionMs);
}
