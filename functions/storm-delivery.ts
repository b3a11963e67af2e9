/**
 * Storms, executed (the rules are in core/storms/storm.ts): before a cluster's records deliver
 * what they owe, openings many enough to one channel join a storm, the storm's record is
 * written from its members, kept current with what they say, and its parent message is sent.
 * Members then go in the parent's thread (delivery.ts reads `PassState.stormParents`); a member
 * whose parent is not posted yet waits for a later pass.
 *
 * The parent is sent once, as every notification is (delivery.ts): claimed in a transaction,
 * the claim made durable, sent, then recorded. What happens when sending fails after the state
 * was saved: the claim is released with the error, the storm still owes it, and a later pass
 * sends it — its members wait until then. An attempt in doubt (a pass died holding the claim,
 * a request timed out, the pass was interrupted mid-send) is looked for in the channel by its
 * id before it is sent again (slack-notifier.ts). A parent the channel's pace cannot fit is
 * deferred, unattempted, to the next pass. Updates of the parent rewrite it whole: sending one
 * twice shows the same message.
 */
import {describeError, NotifyError} from './core/errors.js';
import {
  needsAttention,
  STORM_KEY_PREFIX,
  type StormState,
  type SubjectRecord,
} from './core/incident.js';
import type {ClusterRef} from './core/model.js';
import {
  claimStormSend,
  groupStorms,
  joinStorm,
  markStormSent,
  observeStorm,
  recoveredCount,
  releaseStormSend,
  stormIdsOf,
  stormRecordOf,
  stormSendClaimedBy,
} from './core/storms/storm.js';
import {endStormSnooze} from './core/storms/actions.js';
import {stormReminderDue} from './core/storms/reminders.js';
import {DEFAULT_REMINDERS_MS} from './core/reminders.js';
import {
  codeOf,
  INTERRUPTED,
  logBatchFallback,
  stormParentKey,
  type PassState,
} from './pass-state.js';
import type {StoreUsage} from './ports.js';

/** How a claim is taken: from when, until when, and whether other passes' claims are abandoned. */
export interface ClaimWindow {
  at: Date;
  until: Date;
  othersEnded: boolean;
}

/**
 * Messages one storm may send in one pass, the parent's, the roster's pages and replies queued
 * behind them: a bound against a loop, far above what a pass's budget fits anyway.
 */
const SENDS_PER_STORM = 1000;

/**
 * Forms this pass's storms, writes and updates storm records, sends what they owe, and leaves
 * the posted parents in `state.stormParents`. `attention` is kept up to date. A dry run forms
 * nothing and sends nothing: its previews show each opening as a message of its own.
 * `whole`: `attention` holds every record of the cluster that needs attention, so storms may
 * be formed and their members' state observed; false (a click's few records) only sends what
 * storms already owe.
 */
export async function prepareStorms(
  state: PassState,
  cluster: ClusterRef,
  attention: Map<string, SubjectRecord>,
  usage: StoreUsage,
  claim: () => ClaimWindow,
  whole = true,
): Promise<void> {
  const {deps: d} = state;
  if (d.dryRun) return;
  const threshold = d.stormThreshold ?? null;
  if (whole && threshold !== null && !state.outOfTime()) {
    for (const group of groupStorms(attention, threshold, d.now())) {
      const joined = await d.store.updateMany(
        cluster.id,
        group.keys.map(key => ({key, change: current => joinStorm(current, group.id, d.now())})),
        usage,
        state.storeDeadline(),
      );
      logBatchFallback(state, cluster.name, 'storm members', joined);
      for (const [i, key] of group.keys.entries()) {
        const result = joined[i];
        if (result?.ok) settle(attention, key, result.record);
      }
      d.logger.log('INFO', `storm of ${group.keys.length} openings in ${cluster.name}`, {
        storm: group.id,
        channel: group.channel,
      });
    }
  }
  // Members first, then their record: a pass that died in between left members whose storm
  // has no record (or misses them), written here from what they say.
  for (const id of whole ? stormIdsOf(attention.values()) : []) {
    const key = `${STORM_KEY_PREFIX}${id}`;
    const members = [...attention].filter(([, r]) => r.outbox.some(n => n.storm === id));
    const listed = new Set(attention.get(key)?.storm?.members.map(m => m.incidentId));
    if (members.every(([, r]) => r.outbox.some(n => n.storm === id && listed.has(n.incident.id))))
      continue;
    const record = await d.store.update(
      cluster.id,
      key,
      current => stormRecordOf(current, id, cluster.id, cluster.name, members, d.now()),
      usage,
      state.storeDeadline(),
    );
    settle(attention, key, record);
  }
  for (const [key, record] of [...attention]) {
    if (record.storm === undefined) continue;
    // What the members say, a snooze that ran out, a reminder that is due: one write.
    const review = (current: SubjectRecord | null) => {
      const observed = observeStorm(current, attention, d.now());
      const ended = endStormSnooze(observed ?? current, d.now()) ?? observed;
      const offsets = d.reminders ?? DEFAULT_REMINDERS_MS;
      return stormReminderDue(ended ?? current, attention, offsets, d.now()) ?? ended;
    };
    if (whole && review(record) !== null) {
      const observed = await d.store.update(cluster.id, key, review, usage, state.storeDeadline());
      if (observed !== null) settle(attention, key, observed);
    }
    let current = attention.get(key) ?? record;
    for (let i = 0; i < SENDS_PER_STORM && current.storm?.send != null; i++) {
      const owed = current.storm.send.id;
      const after = await sendStorm(state, cluster, key, usage, claim);
      if (after === null) break;
      settle(attention, key, after);
      current = after;
      // Not sent (another pass holds it, it failed, or it was deferred): the rest waits too.
      if (current.storm?.send?.id === owed) break;
    }
    const parent = current.storm?.parent ?? null;
    const id = current.storm?.id;
    if (parent !== null && id !== undefined) {
      state.stormParents.set(stormParentKey(cluster.id, id), {id, ...parent});
    }
  }
}

/** Puts a storm record as it now stands in `attention`, or takes it out when it is done. */
function settle(
  attention: Map<string, SubjectRecord>,
  key: string,
  record: SubjectRecord | null,
): void {
  if (record === null) return;
  if (needsAttention(record)) attention.set(key, record);
  else attention.delete(key);
}

/** Claims, sends and records what the storm at `key` owes; every failure is reported. */
async function sendStorm(
  state: PassState,
  cluster: ClusterRef,
  key: string,
  usage: StoreUsage,
  claimWindow: () => ClaimWindow,
): Promise<SubjectRecord | null> {
  const {deps: d} = state;
  if (state.outOfTime()) {
    state.budgetExhausted(
      cluster.name,
      key,
      `${cluster.name}: the storm message ${key} is left for the next pass: ${state.stopReason()}`,
    );
    return null;
  }
  const window = claimWindow();
  const claimed = await d.store.update(
    cluster.id,
    key,
    current => claimStormSend(current, state.passId, window.at, window.until, window.othersEnded),
    usage,
    state.storeDeadline(),
  );
  const send = stormSendClaimedBy(claimed, state.passId);
  const storm: StormState | undefined = claimed?.storm;
  // Another pass holds it, or sent it already.
  if (claimed === null || send === null || storm === undefined) return claimed;
  // As for every notification: no send before the claim is durable.
  await d.store.flush(cluster.id, usage, state.storeDeadline());
  const release = (error: string | null, outcomeUnknown: boolean) =>
    d.store.update(
      cluster.id,
      key,
      current => releaseStormSend(current, send.id, state.passId, d.now(), error, outcomeUnknown),
      usage,
      state.storeDeadline(),
    );
  let parent: {channel: string; ts: string} | null;
  try {
    const answer = await state.unlessInterrupted(
      d.notifier.deliverStorm(send, storm, {cluster}, state.wallDeadline()),
    );
    if (answer === INTERRUPTED) {
      state.budgetExhausted(
        cluster.name,
        key,
        `${cluster.name}: the storm message ${send.id} may or may not have reached Slack: ${state.stopReason()} while sending it; the next pass looks for it in the channel before sending it`,
      );
      return await release(null, true);
    }
    parent = answer;
  } catch (error) {
    if (error instanceof NotifyError && error.deferred) {
      state.summary.notificationsDeferred++;
      d.logger.log('INFO', `deferred the storm message for ${cluster.name}`, {
        notification: send.id,
        reason: error.message,
      });
      return await release(null, error.outcomeUnknown);
    }
    const message = describeError(error);
    state.error(
      {
        scope: 'notify',
        cluster: cluster.name,
        cronJob: key,
        code: codeOf(error),
        message: `${cluster.name}: the storm message ${send.id} was not delivered: ${message}`,
      },
      error,
    );
    return await release(message, error instanceof NotifyError && error.outcomeUnknown);
  }
  state.summary.notificationsSent++;
  d.logger.log('INFO', `sent the storm message for ${cluster.name}`, {notification: send.id});
  try {
    const recorded = await d.store.update(
      cluster.id,
      key,
      current => markStormSent(current, send.id, parent, recoveredCount(storm), d.now()),
      usage,
      state.storeDeadline(),
    );
    return recorded;
  } catch (error) {
    // The claim is kept so no other pass sends it again before it expires; then the next
    // attempt looks for it in the channel first.
    state.error(
      {
        scope: 'store',
        cluster: cluster.name,
        cronJob: key,
        code: codeOf(error),
        message: `${cluster.name}: the storm message ${send.id} was delivered but could not be recorded: ${describeError(error)}`,
      },
      error,
    );
    return null;
  }
}
