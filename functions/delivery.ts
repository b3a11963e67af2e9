/**
 * Delivery of what records owe the channel (the outbox loop). Each notification is claimed
 * in a store transaction before it is sent, the claim is made durable (`IncidentStore.flush`)
 * before the send starts, and the notification is removed in another transaction after.
 *
 * What happens when the notification fails after the state was saved: the claim is released
 * with the error, the notification stays in the record's outbox, and a later pass delivers it
 * — nothing is lost. A concurrent pass sees a live claim and leaves the message alone —
 * nothing is sent twice. Once Slack accepted a message it is never released for another try:
 * if recording the delivery fails, the claim is kept and the error reported; only a claim
 * that expires unrecorded (the process died in between) is attempted again, and that attempt
 * (like one after a timeout) first looks for the message in the channel (slack-notifier.ts).
 * A notification the channel's pace cannot fit in this pass is deferred: released unattempted,
 * counted in `notificationsDeferred`, sent by the next pass. An interrupted pass (Ctrl-C,
 * SIGTERM) starts no new send and stops waiting for the one in flight: its claim is released
 * marked `unknown`, so the next pass looks for it in the channel before sending it.
 *
 * Many records at once (a first pass over a large cluster announces hundreds of openings):
 * consecutive records that owe one notification each are claimed together, in one
 * `updateMany` call, then sent one by one in order, and recorded together after at most
 * `RECORDS_PER_BATCH` messages or `RECORD_WINDOW_MS`, whichever comes first. Each message is
 * still claimed before it is sent and recorded after; what a batch could not claim or record
 * is done record by record as above. A dry run claims nothing: it goes record by record.
 *
 * Storms (storm-delivery.ts) go first: openings many enough to one channel join a storm whose
 * parent message is sent before them; they then go in its thread, or wait while it is unsent.
 */
import {inRuns} from './core/concurrency.js';
import {continuedThreadOf} from './core/detections/relations.js';
import {describeError, NotifyError, StoreError} from './core/errors.js';
import {
  needsAttention,
  type DeliveredMessage,
  type PendingNotification,
  type SubjectRecord,
} from './core/incident.js';
import {
  claimNext,
  claimedBy,
  markDelivered,
  markFailed,
  nextDeliverable,
  releaseClaim,
} from './core/outbox.js';
import type {ClusterRef} from './core/model.js';
import {
  codeOf,
  INTERRUPTED,
  logBatchFallback,
  stormParentKey,
  type PassState,
} from './pass-state.js';
import {prepareStorms, type ClaimWindow} from './storm-delivery.js';
import type {Notifier, RecordChangeResult, StoreUsage} from './ports.js';

// A claim must outlive one delivery attempt (bounded by the pass deadline) so no other pass
// takes the message over while it is being sent; a minute on top covers clock skew between
// function instances.
const CLAIM_MARGIN_MS = 60_000;
// Recording a delivery is retried a few times within the pass: giving up means the message
// may be sent again after its claim expires.
const RECORD_DELIVERY_ATTEMPTS = 3;
// Records claimed, and messages recorded, in one `updateMany` call.
const RECORDS_PER_BATCH = 100;
// Fewer records go one by one, as always: a batch saves little there, and a transaction over
// several records makes concurrent passes over one cluster contend more.
const MIN_RECORDS_PER_BATCH = 10;
// A sent message waits at most this long to be recorded: about what one Slack post takes, so
// a pass that dies leaves hardly more sent-but-unrecorded messages behind than when each is
// recorded alone (and those are looked for in the channel before they are sent again).
const RECORD_WINDOW_MS = 2_000;

/**
 * The change that claims a record's next notification for this pass, until the pass deadline
 * plus CLAIM_MARGIN_MS. Where the pass holds the cluster alone, another pass's claim was
 * abandoned (its pass ended, maybe killed mid-send) and is taken over at once.
 */
function claimChange(
  state: PassState,
  cluster: ClusterRef,
): (current: SubjectRecord | null) => SubjectRecord | null {
  const {at, until, othersEnded} = claimWindow(state, cluster);
  return current => claimNext(current, state.passId, at, until, othersEnded);
}

function claimWindow(state: PassState, cluster: ClusterRef): ClaimWindow {
  const at = state.deps.now();
  const until = new Date(Math.max(state.deadlineMs, at.getTime()) + CLAIM_MARGIN_MS);
  return {at, until, othersEnded: state.heldAlone.has(cluster.id)};
}

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
      deliveryNotRecorded(state, cluster, key, notificationId, error);
      return undefined;
    }
  }
}

function deliveryNotRecorded(
  state: PassState,
  cluster: ClusterRef,
  key: string,
  notificationId: string,
  error: unknown,
): void {
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
}

/** What sending one claimed notification came to. */
type SendOutcome =
  {sent: true; delivered: DeliveredMessage | null} | {sent: false; record: SubjectRecord | null};

/**
 * Sends the notification `claimedRecord` holds for this pass. When it is deferred or fails, the
 * claim is released (with the error) and the outcome carries the record as it then stands.
 */
async function sendClaimed(
  state: PassState,
  cluster: ClusterRef,
  key: string,
  claimedRecord: SubjectRecord,
  notification: PendingNotification,
  usage: StoreUsage,
): Promise<SendOutcome> {
  const {summary, deps: d} = state;
  const incident = notification.incident;
  // An incident that continues another's story tells its opening in that one's thread.
  const continues = continuedThreadOf(incident);
  const thread =
    claimedRecord.threads.find(t => t.incidentId === incident.id) ??
    (continues === undefined
      ? null
      : (claimedRecord.threads.find(t => t.incidentId === continues) ?? null));
  // A storm member goes in its parent's thread (only posted parents' members get here).
  const storm =
    notification.storm === undefined
      ? undefined
      : state.stormParents.get(stormParentKey(cluster.id, notification.storm));
  let delivered: Awaited<ReturnType<Notifier['deliver']>>;
  try {
    const answer = await state.unlessInterrupted(
      d.notifier.deliver(
        notification,
        {
          cluster,
          subject: claimedRecord.subject,
          thread,
          recentRuns: claimedRecord.runs,
          ...(storm === undefined ? {} : {storm}),
        },
        state.wallDeadline(),
      ),
    );
    if (answer === INTERRUPTED) {
      return {sent: false, record: await leftInDoubt(state, cluster, key, notification, usage)};
    }
    delivered = answer;
  } catch (error) {
    if (error instanceof NotifyError && error.deferred) {
      // Not attempted: the channel's pace leaves no room in this pass. Not a failure.
      summary.notificationsDeferred++;
      d.logger.log('INFO', `deferred ${notification.kind} for ${cluster.name} ${key}`, {
        notification: notification.id,
        reason: error.message,
      });
      try {
        const record = await d.store.update(
          cluster.id,
          key,
          current =>
            releaseClaim(current, notification.id, state.passId, d.now(), error.outcomeUnknown),
          usage,
          state.wallDeadline(),
        );
        return {sent: false, record};
      } catch (releaseError) {
        // Deferred at the very end of the pass: the claim is left to expire, then sent.
        d.logger.log('WARNING', `could not release the claim on ${notification.id}`, {
          cluster: cluster.name,
          cronJob: key,
          error: describeError(releaseError),
        });
        return {sent: false, record: claimedRecord};
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
    const record = await d.store.update(
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
    return {sent: false, record};
  }
  summary.notificationsSent++;
  d.logger.log('INFO', `sent ${notification.kind} for ${cluster.name} ${key}`, {
    notification: notification.id,
  });
  return {sent: true, delivered};
}

/**
 * Releases the claim on a notification whose send was under way when the pass was interrupted:
 * Slack may have it, so it is marked `unknown` (looked for before it is sent again).
 */
async function leftInDoubt(
  state: PassState,
  cluster: ClusterRef,
  key: string,
  notification: PendingNotification,
  usage: StoreUsage,
): Promise<SubjectRecord | null> {
  const {deps: d} = state;
  const record = await d.store.update(
    cluster.id,
    key,
    current => releaseClaim(current, notification.id, state.passId, d.now(), true),
    usage,
    state.storeDeadline(),
  );
  state.budgetExhausted(
    cluster.name,
    key,
    `${cluster.name}: ${key}: ${notification.kind} may or may not have reached Slack: ${state.stopReason()} while sending it; the next pass looks for it in the channel before sending it`,
  );
  return record;
}

/** Delivers the outbox of one record, oldest first; returns the record as it now stands. */
async function deliverRecord(
  state: PassState,
  cluster: ClusterRef,
  key: string,
  initial: SubjectRecord,
  usage: StoreUsage,
): Promise<SubjectRecord | null> {
  const {deps: d} = state;
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
          recentRuns: record.runs,
        });
      }
      return record;
    }
    // What is left waits for a maintenance window to end: nothing to claim, nothing to read.
    if (nextDeliverable(record.outbox, d.now()) < 0) return record;
    if (state.outOfTime()) {
      state.budgetExhausted(
        cluster.name,
        key,
        `${cluster.name}: ${key}: ${record.outbox.length} notification(s) left for the next pass: ${state.stopReason()}`,
      );
      return record;
    }
    const claimedRecord: SubjectRecord | null = await d.store.update(
      cluster.id,
      key,
      claimChange(state, cluster),
      usage,
      state.storeDeadline(),
    );
    const notification = claimedBy(claimedRecord, state.passId);
    if (claimedRecord === null || notification === null) {
      // Another pass holds it (or already delivered it): it is that pass's to send.
      return claimedRecord;
    }
    // The claim (and the delivery recorded before it) must outlive this process, or a pass
    // killed during the send would leave no trace of the message it may have posted.
    await d.store.flush(cluster.id, usage, state.storeDeadline());
    const outcome = await sendClaimed(state, cluster, key, claimedRecord, notification, usage);
    if (!outcome.sent) return outcome.record;
    const recorded = await recordDelivery(
      state,
      cluster,
      key,
      notification.id,
      outcome.delivered,
      usage,
    );
    if (recorded === undefined) return claimedRecord;
    record = recorded;
  }
  return record;
}

/**
 * Delivers what the records of this cluster owe the channel, oldest first per record, and
 * keeps `attention` (the pass's view of records needing attention) up to date. Records owing
 * one notification each go in batches (see the file comment); records are served in
 * `attention`'s order either way. `whole`: `attention` holds all of the cluster's records that
 * need attention (a pass); false when it holds a few (a click): storms are then neither
 * formed nor observed, only what they owe is sent.
 */
export async function deliverCluster(
  state: PassState,
  cluster: ClusterRef,
  attention: Map<string, SubjectRecord>,
  usage: StoreUsage,
  heldAlone: boolean,
  whole = true,
): Promise<void> {
  const {dryRun} = state.deps;
  if (heldAlone) state.heldAlone.add(cluster.id);
  await prepareStorms(state, cluster, attention, usage, () => claimWindow(state, cluster), whole);
  await inRuns(
    [...attention].filter(([, record]) => !waitsForStorm(state, cluster, record)),
    {
      batchable: ([, record]) =>
        !dryRun &&
        record.outbox.length === 1 &&
        nextDeliverable(record.outbox, state.deps.now()) === 0,
      min: MIN_RECORDS_PER_BATCH,
      max: RECORDS_PER_BATCH,
    },
    run => deliverBatch(state, cluster, run, attention, usage),
    ([key, record]) => deliverOne(state, cluster, key, record, attention, usage),
  );
}

/**
 * True for a storm record (storm-delivery.ts sends its messages) and for a record whose next
 * message goes under a storm parent not posted yet: it waits for a later pass.
 */
function waitsForStorm(state: PassState, cluster: ClusterRef, record: SubjectRecord): boolean {
  if (record.subject.type === 'storm') return true;
  const storm = record.outbox[0]?.storm;
  return (
    storm !== undefined &&
    !state.deps.dryRun &&
    !state.stormParents.has(stormParentKey(cluster.id, storm))
  );
}

/** Delivers one record's outbox alone and puts what became of it in `attention`. */
async function deliverOne(
  state: PassState,
  cluster: ClusterRef,
  key: string,
  initial: SubjectRecord,
  attention: Map<string, SubjectRecord>,
  usage: StoreUsage,
): Promise<void> {
  settle(attention, key, await deliverRecord(state, cluster, key, initial, usage));
}

function settle(
  attention: Map<string, SubjectRecord>,
  key: string,
  record: SubjectRecord | null,
): void {
  if (record !== null && needsAttention(record)) attention.set(key, record);
  else attention.delete(key);
}

/** A sent message waiting to be recorded. */
interface SentMessage {
  key: string;
  notificationId: string;
  delivered: DeliveredMessage | null;
  claimedRecord: SubjectRecord;
}

/**
 * Claims the one notification of each record together, sends them in order, and records them
 * together (see the file comment). What the batch could not claim goes record by record.
 */
async function deliverBatch(
  state: PassState,
  cluster: ClusterRef,
  records: Array<[string, SubjectRecord]>,
  attention: Map<string, SubjectRecord>,
  usage: StoreUsage,
): Promise<void> {
  const {deps: d} = state;
  if (state.outOfTime()) {
    // Each says what it leaves for the next pass.
    for (const [key, record] of records)
      await deliverOne(state, cluster, key, record, attention, usage);
    return;
  }
  const claim = claimChange(state, cluster);
  const claims = await d.store.updateMany(
    cluster.id,
    records.map(([key]) => ({key, change: claim})),
    usage,
    state.storeDeadline(),
  );
  logBatchFallback(state, cluster.name, 'claims', claims);
  const sent: SentMessage[] = [];
  let oldestSentMs = 0;
  try {
    // As in `deliverRecord`: no send before the claims are durable. A record the batch could
    // not claim goes alone below, where its own claim is flushed before its send.
    await d.store.flush(cluster.id, usage, state.storeDeadline());
    for (const [i, [key, initial]] of records.entries()) {
      const claim = claims[i];
      if (claim === undefined || !claim.ok) {
        await deliverOne(state, cluster, key, initial, attention, usage);
        continue;
      }
      const claimedRecord = claim.record;
      const notification = claimedBy(claimedRecord, state.passId);
      if (claimedRecord === null || notification === null) {
        // Another pass holds it (or already delivered it): it is that pass's to send.
        settle(attention, key, claimedRecord);
        continue;
      }
      if (state.outOfTime()) {
        await releaseUnsent(state, cluster, records.slice(i), claims.slice(i), attention, usage);
        break;
      }
      const outcome = await sendClaimed(state, cluster, key, claimedRecord, notification, usage);
      if (!outcome.sent) {
        settle(attention, key, outcome.record);
        continue;
      }
      if (sent.length === 0) oldestSentMs = Date.now();
      sent.push({
        key,
        notificationId: notification.id,
        delivered: outcome.delivered,
        claimedRecord,
      });
      if (sent.length >= RECORDS_PER_BATCH || Date.now() - oldestSentMs >= RECORD_WINDOW_MS) {
        await recordBatch(state, cluster, sent.splice(0), attention, usage);
        // So a pass killed later leaves only the last window's messages in doubt.
        await d.store.flush(cluster.id, usage, state.storeDeadline());
      }
    }
  } finally {
    // Also when a store call failed midway: what was sent is recorded before the error goes on.
    await recordBatch(state, cluster, sent, attention, usage);
  }
}

/**
 * Releases, in one store call, the claims of a batch the pass ran out of time to send: they are
 * left for the next pass (and said so), as if never claimed.
 */
async function releaseUnsent(
  state: PassState,
  cluster: ClusterRef,
  records: Array<[string, SubjectRecord]>,
  claims: RecordChangeResult[],
  attention: Map<string, SubjectRecord>,
  usage: StoreUsage,
): Promise<void> {
  const {deps: d} = state;
  const held = records.flatMap(([key], i) => {
    const claim = claims[i];
    const notification = claim?.ok ? claimedBy(claim.record, state.passId) : null;
    return notification === null ? [] : [{key, notificationId: notification.id}];
  });
  const released = await d.store.updateMany(
    cluster.id,
    held.map(({key, notificationId}) => ({
      key,
      change: current => releaseClaim(current, notificationId, state.passId, d.now()),
    })),
    usage,
    state.storeDeadline(),
  );
  const byKey = new Map(held.map(({key}, i) => [key, released[i]]));
  for (const [key, initial] of records) {
    const result = byKey.get(key);
    // A claim that could not be released expires before the next pass, which then sends it.
    const record = result?.ok ? result.record : initial;
    state.budgetExhausted(
      cluster.name,
      key,
      `${cluster.name}: ${key}: ${record?.outbox.length ?? 0} notification(s) left for the next pass: ${state.stopReason()}`,
    );
    settle(attention, key, record);
  }
}

/**
 * Records sent messages together; one the batch could not record is recorded alone, with the
 * retries of `recordDelivery`. A record that owes more (another pass added to it meanwhile)
 * goes on alone.
 */
async function recordBatch(
  state: PassState,
  cluster: ClusterRef,
  sent: SentMessage[],
  attention: Map<string, SubjectRecord>,
  usage: StoreUsage,
): Promise<void> {
  const {deps: d} = state;
  if (sent.length === 0) return;
  const results =
    sent.length === 1
      ? []
      : await d.store.updateMany(
          cluster.id,
          sent.map(message => ({
            key: message.key,
            change: current =>
              markDelivered(current, message.notificationId, message.delivered, d.now()),
          })),
          usage,
          state.storeDeadline(),
        );
  logBatchFallback(state, cluster.name, 'deliveries', results);
  for (const [i, message] of sent.entries()) {
    const result = results[i];
    let record: SubjectRecord | null | undefined;
    if (result?.ok) {
      record = result.record;
    } else if (result !== undefined && isOutage(result.error)) {
      // The store is unreachable: retrying each message would only wait longer.
      deliveryNotRecorded(state, cluster, message.key, message.notificationId, result.error);
    } else {
      record = await recordDelivery(
        state,
        cluster,
        message.key,
        message.notificationId,
        message.delivered,
        usage,
      );
    }
    if (record === undefined) {
      // Not recorded: the claim is kept so no other pass sends it (reported).
      settle(attention, message.key, message.claimedRecord);
      continue;
    }
    if (record !== null && record.outbox.length > 0) {
      record = await deliverRecord(state, cluster, message.key, record, usage);
    }
    settle(attention, message.key, record);
  }
}

function isOutage(error: unknown): boolean {
  return error instanceof StoreError && (error.code === 'UNAVAILABLE' || error.code === 'DEADLINE');
}
