/**
 * The outbox: notifications are committed with the transition that caused them, then
 * delivered. Pure record changes for each step; the orchestrator runs them in store
 * transactions.
 *
 * What happens when the notification fails after the state was saved: the notification stays
 * in the record's outbox with its error and attempt count, and a later pass delivers it —
 * nothing is lost. Before sending, a pass claims the notification in a transaction; a
 * concurrent pass sees the live claim and leaves it alone — nothing is sent twice. Two windows
 * remain where Slack may hold the message while the record says it is owed: a pass that died
 * between Slack's answer and recording it (its claim expires), and a request that timed out
 * after Slack posted it. Both mark the notification `lastOutcome: 'unknown'`, and the notifier
 * looks for its id in the channel before sending it again (slack-notifier.ts).
 */
import {
  isClaimed,
  isHeld,
  type DeliveredMessage,
  type PendingNotification,
  type SubjectRecord,
} from './incident.js';

/**
 * The index of the record's next notification to send, -1 when none may go now. Notifications
 * of one incident go strictly in order (a closing reply needs the opening message first); one
 * held for a maintenance window waits, and so does everything of its incident behind it,
 * while other incidents' notifications go on.
 */
export function nextDeliverable(outbox: readonly PendingNotification[], now: Date): number {
  const waiting = new Set<string>();
  for (const [i, n] of outbox.entries()) {
    if (waiting.has(n.incident.id)) continue;
    if (!isHeld(n, now)) return i;
    waiting.add(n.incident.id);
  }
  return -1;
}

/**
 * Claims the record's next notification (`nextDeliverable`) for `passId` until `until`. When
 * it is claimed by another live pass, nothing is claimed. `othersEnded`: this pass holds the
 * records alone, so any other claim is abandoned whatever its expiry. Null: nothing to write.
 */
export function claimNext(
  record: SubjectRecord | null,
  passId: string,
  now: Date,
  until: Date,
  othersEnded = false,
): SubjectRecord | null {
  if (record === null) return null;
  const index = nextDeliverable(record.outbox, now);
  const first = record.outbox[index];
  if (first === undefined) return null;
  if (isClaimed(first, now) && !(othersEnded && first.claim?.by !== passId)) return null;
  // A claim left unreleased: that pass died, maybe after Slack took the message.
  const abandoned = first.claim !== null;
  const claimed: PendingNotification = {
    ...first,
    claim: {by: passId, until: until.toISOString()},
    firstAttemptAt: first.firstAttemptAt ?? now.toISOString(),
    ...(abandoned || first.lastOutcome === 'unknown' ? {lastOutcome: 'unknown' as const} : {}),
  };
  const outbox = [...record.outbox];
  outbox[index] = claimed;
  return {...record, outbox};
}

/**
 * The notification `passId` holds a claim on, if any: only one `claimNext` could have given it
 * (none behind an earlier notification of its incident).
 */
export function claimedBy(
  record: SubjectRecord | null,
  passId: string,
): PendingNotification | null {
  const earlier = new Set<string>();
  for (const n of record?.outbox ?? []) {
    if (n.claim?.by === passId && !earlier.has(n.incident.id)) return n;
    earlier.add(n.incident.id);
  }
  return null;
}

/** Removes a delivered notification; remembers an opening message so the closing one threads. */
export function markDelivered(
  record: SubjectRecord | null,
  notificationId: string,
  delivered: DeliveredMessage | null,
  now: Date,
): SubjectRecord | null {
  if (record === null) return null;
  const sent = record.outbox.find(n => n.id === notificationId);
  if (sent === undefined) return null;
  const incidentId = sent.incident.id;
  let threads = record.threads;
  if (sent.kind === 'opened' && delivered !== null) {
    // A continued thread is this incident's now; the incident it continues is closed.
    const continued = sent.incident.kind === 'failing' ? sent.incident.continues : undefined;
    threads = [
      ...threads.filter(t => t.incidentId !== incidentId && t.incidentId !== continued),
      delivered,
    ];
  } else if (sent.kind === 'closed' || sent.kind === 'recovered') {
    // The incident is over and announced: its thread is no longer needed.
    threads = threads.filter(t => t.incidentId !== incidentId);
  }
  return {
    ...record,
    outbox: record.outbox.filter(n => n.id !== notificationId),
    threads,
    updatedAt: now.toISOString(),
  };
}

/**
 * Releases a claim after a failed delivery, recording why, for the next pass to retry. An
 * attempt whose outcome is unknown (Slack may have posted it) leaves the notification marked
 * so; once in doubt it stays so until delivered, since a later failure does not say what the
 * earlier attempt did.
 */
export function markFailed(
  record: SubjectRecord | null,
  notificationId: string,
  passId: string,
  error: string,
  now: Date,
  outcomeUnknown = false,
): SubjectRecord | null {
  return released(record, notificationId, passId, now, n => ({
    ...n,
    attempts: n.attempts + 1,
    lastError: error,
    ...(outcomeUnknown || n.lastOutcome === 'unknown' ? {lastOutcome: 'unknown' as const} : {}),
  }));
}

/** Releases a claim on a notification that was not attempted (deferred to a later pass). */
export function releaseClaim(
  record: SubjectRecord | null,
  notificationId: string,
  passId: string,
  now: Date,
  outcomeUnknown = false,
): SubjectRecord | null {
  return released(record, notificationId, passId, now, n =>
    outcomeUnknown ? {...n, lastOutcome: 'unknown' as const} : n,
  );
}

function released(
  record: SubjectRecord | null,
  notificationId: string,
  passId: string,
  now: Date,
  change: (n: PendingNotification) => PendingNotification,
): SubjectRecord | null {
  if (record === null) return null;
  const index = record.outbox.findIndex(n => n.id === notificationId && n.claim?.by === passId);
  const held = record.outbox[index];
  if (held === undefined) return null;
  const outbox = [...record.outbox];
  outbox[index] = {...change(held), claim: null};
  return {...record, outbox, updatedAt: now.toISOString()};
}
