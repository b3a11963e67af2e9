/**
 * The daily digest's part of a pass (issue 22 §3): when `DIGEST_AT` has come and the day's
 * digests are not all done, each cluster's records of the last week are gathered after its
 * own work; once every cluster was, each channel's digest is claimed in the ledger (create-if-
 * absent), sent, and recorded, as core/digest/ledger.ts says; the day is then marked done, so
 * later passes that day cost one read. A pass that could not gather every cluster sends none:
 * a digest that leaves out a cluster would say less than it seems to.
 *
 * What happens when sending fails after the claim: the claim is released with the error and a
 * later pass sends it; one that died holding it leaves it to expire, and the pass that takes it
 * over looks for it in the channel first — nothing is lost, nothing is sent twice.
 */
import {digestContents, FLAP_WINDOW_MS, type DigestSource} from './core/digest/content.js';
import {
  claimedDigest,
  digestDoneIdOf,
  digestIdOf,
  doneDigest,
  markDigestFailed,
  markDigestSent,
  takeOverDigest,
  type DigestRecord,
} from './core/digest/ledger.js';
import {digestMessage} from './core/digest/messages.js';
import {digestDateDue} from './core/digest/schedule.js';
import type {DigestContent} from './core/digest/content.js';
import {describeError, NotifyError} from './core/errors.js';
import type {ClusterRef} from './core/model.js';
import {codeOf, type PassState} from './pass-state.js';
import type {StoreUsage} from './ports.js';

// As for an outbox claim (delivery.ts): it outlives the pass, and a minute covers clock skew.
const CLAIM_MARGIN_MS = 60_000;

/** The digest this pass works on: its date and what the clusters' records gave. */
export interface DigestWork {
  date: string;
  sources: DigestSource[];
}

/** The day whose digests this pass owes, if any (one read, once the time has come). */
export async function digestWorkOf(state: PassState): Promise<DigestWork | null> {
  const {deps: d} = state;
  if (d.digestAt === undefined || d.digestAt === null || d.dryRun) return null;
  const date = digestDateDue(d.digestAt, d.now());
  if (date === null) return null;
  try {
    const done = await d.store.readDigest(digestDoneIdOf(date), state.storeDeadline());
    return done === null ? {date, sources: []} : null;
  } catch (error) {
    state.error(
      {
        scope: 'store',
        cluster: null,
        cronJob: null,
        code: codeOf(error),
        message: `the daily digest of ${date} waits for a later pass: ${describeError(error)}`,
      },
      error,
    );
    return null;
  }
}

/** Adds a cluster's records of the last week (a store error leaves the digest for later). */
export async function gatherForDigest(
  state: PassState,
  work: DigestWork,
  ref: ClusterRef,
  usage: StoreUsage,
): Promise<void> {
  const since = new Date(state.deps.now().getTime() - FLAP_WINDOW_MS);
  const records = await state.deps.store.recentRecords(ref.id, since, usage, state.storeDeadline());
  for (const record of records) work.sources.push({cluster: ref.name, record});
}

/** Sends every channel's digest this pass can, then marks the day done if all are. */
export async function sendDigests(state: PassState, work: DigestWork): Promise<void> {
  const {deps: d} = state;
  const contents = digestContents(work.sources, work.date, d.now(), d.language ?? 'en');
  let allSent = true;
  for (const content of contents) {
    if (state.outOfTime() || !(await sendDigest(state, content))) allSent = false;
  }
  if (!allSent) return;
  try {
    await d.store.createDigest(doneDigest(work.date, d.now()), state.storeDeadline());
  } catch (error) {
    // The next pass finds every channel sent and tries again: nothing is sent twice.
    d.logger.log('WARNING', `could not mark the digests of ${work.date} done`, {
      error: describeError(error),
    });
  }
}

/** One channel's digest, exactly once; true when it is sent (by this pass or another). */
async function sendDigest(state: PassState, content: DigestContent): Promise<boolean> {
  const {deps: d} = state;
  const id = digestIdOf(content.date, content.channel);
  const where = content.channel ?? 'the default channel';
  try {
    const now = d.now();
    const until = new Date(Math.max(state.deadlineMs, now.getTime()) + CLAIM_MARGIN_MS);
    const fresh = claimedDigest(id, content.channel, content.date, state.passId, now, until);
    const found = await d.store.createDigest(fresh, state.storeDeadline());
    let claimed: DigestRecord | null = fresh;
    if (found !== null) {
      if (found.state === 'sent') return true;
      claimed = await d.store.updateDigest(
        id,
        current => takeOverDigest(current, state.passId, d.now(), until),
        state.storeDeadline(),
      );
      // Sent meanwhile, or another live pass holds it: that pass's to send.
      if (claimed === null || claimed.state === 'sent') return claimed?.state === 'sent';
      if (claimed.claim?.by !== state.passId) return false;
    }
    let ts: string;
    try {
      const posted = await d.notifier.postDigest(
        {
          id,
          channel: content.channel,
          message: digestMessage(content),
          inDoubt: claimed.lastOutcome === 'unknown',
          sinceMs: Date.parse(claimed.firstAttemptAt),
        },
        state.wallDeadline(),
      );
      ts = posted.ts;
    } catch (error) {
      const unknown = error instanceof NotifyError && error.outcomeUnknown;
      await d.store.updateDigest(
        id,
        current => markDigestFailed(current, state.passId, describeError(error), unknown),
        state.storeDeadline(),
      );
      throw error;
    }
    state.summary.digestsSent++;
    d.logger.log('INFO', `sent the daily digest of ${content.date} to ${where}`, {digest: id});
    await d.store.updateDigest(
      id,
      current => markDigestSent(current, state.passId, ts, d.now()),
      state.storeDeadline(),
    );
    return true;
  } catch (error) {
    state.error(
      {
        scope: error instanceof NotifyError ? 'notify' : 'store',
        cluster: null,
        cronJob: null,
        code: codeOf(error),
        message: `the daily digest of ${content.date} for ${where} is left for a later pass: ${describeError(error)}`,
      },
      error,
    );
    return false;
  }
}
