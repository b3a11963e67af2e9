/**
 * Delivery of what records owe the channel (the outbox loop). Each notification is claimed
 * in a store transaction before it is sent and removed in another after.
 *
 * What happens when the notification fails after the state was saved: the claim is released
 * with the error, the notification stays in the record's outbox, and a later pass delivers it
 * — nothing is lost. A concurrent pass sees a live claim and leaves the message alone —
 * nothing is sent twice. Once Slack accepted a message it is never released for another try:
 * if recording the delivery fails, the claim is kept and the error reported; only a claim
 * that expires unrecorded (the process died in between) is attempted again, and that attempt
 * (like one after a timeout) first looks for the message in the channel (slack-notifier.ts).
 * A notification the channel's pace cannot fit in this pass is deferred: released unattempted,
 * counted in `notificationsDeferred`, sent by the next pass.
 */
import {describeError, NotifyError} from './core/errors.js';
import {needsAttention, type DeliveredMessage, type SubjectRecord} from './core/incident.js';
import {claimNext, claimedBy, markDelivered, markFailed, releaseClaim} from './core/outbox.js';
import type {ClusterRef} from './core/model.js';
import {codeOf, type PassState} from './pass-state.js';
import type {Notifier, StoreUsage} from './ports.js';

// A claim must outlive one delivery attempt (bounded by the pass deadline) so no other pass
// takes the message over while it is being sent; a minute on top covers clock skew between
// function instances.
const CLAIM_MARGIN_MS = 60_000;
// Recording a delivery is retried a few times within the pass: giving up means the message
// may be sent again after its claim expires.
const RECORD_DELIVERY_ATTEMPTS = 3;

/** Records a delivered notification; undefined when the store would not take it. */
async function recordDelivery(
  state: PassState,
  cluster: ClusterRef,
  key: string,
  notificationId: string,
  delivered: DeliveredMessage | null,
  usage: StoreUsage,
): Promise<SubjectRecord | null | undefined> {
  const {deps: d} = state;
  for (let attempt = 1; ; attempt++) {
    try {
      return await d.store.update(
        cluster.id,
        key,
        current => markDelivered(current, notificationId, delivered, d.now()),
        usage,
        state.storeDeadline(),
      );
    } catch (error) {
      if (attempt < RECORD_DELIVERY_ATTEMPTS && !state.outOfTime()) continue;
      state.error(
        {
          scope: 'store',
          cluster: cluster.name,
          cronJob: key,
          code: codeOf(error),
          message: `${cluster.name}: ${key}: ${notificationId} was delivered but could not be recorded; its claim is kept so no other pass sends it: ${describeError(error)}`,
        },
        error,
      );
      return undefined;
    }
  }
}

/** Delivers the outbox of one record, oldest first; returns the record as it now stands. */
async function deliverRecord(
  state: PassState,
  cluster: ClusterRef,
  key: string,
  initial: SubjectRecord,
  usage: StoreUsage,
): Promise<SubjectRecord | null> {
  const {summary, deps: d} = state;
  let record: SubjectRecord | null = initial;
  while (record !== null && record.outbox.length > 0) {
    if (d.dryRun) {
      for (const n of record.outbox) {
        d.logger.log('INFO', `would send ${n.kind} for ${cluster.name} ${key}`, {
          notification: n.id,
        });
        d.preview?.(n, {
          cluster,
          subject: record.subject,
          thread: record.threads.find(t => t.incidentId === n.incident.id) ?? null,
        });
      }
      return record;
    }
    if (state.outOfTime()) {
      state.budgetExhausted(
        cluster.name,
        key,
        `${cluster.name}: ${key}: ${record.outbox.length} notification(s) left for the next pass: the pass ran out of time`,
      );
      return record;
    }
    const claimedAt = d.now();
    const until = new Date(Math.max(state.deadlineMs, claimedAt.getTime()) + CLAIM_MARGIN_MS);
    const claimedRecord: SubjectRecord | null = await d.store.update(
      cluster.id,
      key,
      current => claimNext(current, state.passId, claimedAt, until),
      usage,
      state.storeDeadline(),
    );
    const notification = claimedBy(claimedRecord, state.passId);
    if (claimedRecord === null || notification === null) {
      // Another pass holds it (or already delivered it): it is that pass's to send.
      return claimedRecord;
    }
    const incident = notification.incident;
    // A streak that continues a running-too-long incident tells its opening in that thread.
    const continues = incident.kind === 'failing' ? incident.continues : undefined;
    const thread =
      claimedRecord.threads.find(t => t.incidentId === incident.id) ??
      (continues === undefined
        ? null
        : (claimedRecord.threads.find(t => t.incidentId === continues) ?? null));
    let delivered: Awaited<ReturnType<Notifier['deliver']>>;
    try {
      delivered = await d.notifier.deliver(
        notification,
        {cluster, subject: claimedRecord.subject, thread},
        state.wallDeadline(),
      );
    } catch (error) {
      if (error instanceof NotifyError && error.deferred) {
        // Not attempted: the channel's pace leaves no room in this pass. Not a failure.
        summary.notificationsDeferred++;
        d.logger.log('INFO', `deferred ${notification.kind} for ${cluster.name} ${key}`, {
          notification: notification.id,
          reason: error.message,
        });
        try {
          return await d.store.update(
            cluster.id,
            key,
            current =>
              releaseClaim(current, notification.id, state.passId, d.now(), error.outcomeUnknown),
            usage,
            state.wallDeadline(),
          );
        } catch (releaseError) {
          // Deferred at the very end of the pass: the claim is left to expire, then sent.
          d.logger.log('WARNING', `could not release the claim on ${notification.id}`, {
            cluster: cluster.name,
            cronJob: key,
            error: describeError(releaseError),
          });
          return claimedRecord;
        }
      }
      const message = describeError(error);
      state.error(
        {
          scope: 'notify',
          cluster: cluster.name,
          cronJob: key,
          code: codeOf(error),
          // The notifier's message says whether and when it is retried: said once.
          message: `${cluster.name}: ${key}: ${notification.kind} not delivered: ${message}`,
        },
        error,
      );
      return d.store.update(
        cluster.id,
        key,
        current =>
          markFailed(
            current,
            notification.id,
            state.passId,
            message,
            d.now(),
            error instanceof NotifyError && error.outcomeUnknown,
          ),
        usage,
        state.storeDeadline(),
      );
    }
    summary.notificationsSent++;
    d.logger.log('INFO', `sent ${notification.kind} for ${cluster.name} ${key}`, {
      notification: notification.id,
    });
    const recorded = await recordDelivery(state, cluster, key, notification.id, delivered, usage);
    if (recorded === undefined) return claimedRecord;
    record = recorded;
  }
  return record;
}

/**
 * Delivers what the records of this cluster owe the channel, oldest first per record, and
 * keeps `attention` (the pass's view of records needing attention) up to date.
 */
export async function deliverCluster(
  state: PassState,
  cluster: ClusterRef,
  attention: Map<string, SubjectRecord>,
  usage: StoreUsage,
): Promise<void> {
  for (const [key, initial] of attention) {
    const record = await deliverRecord(state, cluster, key, initial, usage);
    if (record !== null && needsAttention(record)) attention.set(key, record);
    else attention.delete(key);
  }
}
