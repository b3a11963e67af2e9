/**
 * Exactly one digest per channel and day, whatever the number of concurrent passes: the same
 * rule as the outbox (outbox.ts), on one entry per (channel, date). A pass creates the entry
 * — its intent to send, with its claim — only if it does not exist (the store's create-if-
 * absent), makes it durable, then sends, then records the message. A pass that finds the entry
 * leaves it alone while it is sent or claimed; one whose claim expired unrecorded (its pass
 * died, maybe after Slack took the message) or whose send failed is taken over, and a takeover
 * of an attempt in doubt looks for the message in the channel before sending. Pure.
 */

/** What the store keeps about one channel's digest of one day. */
export interface DigestRecord {
  /** `<date>/<channel>`: see `digestIdOf`. */
  id: string;
  /** Null: the configured `SLACK_CHANNEL`. */
  channel: string | null;
  date: string;
  state: 'sending' | 'sent';
  claim: {by: string; until: string} | null;
  firstAttemptAt: string;
  attempts: number;
  lastError: string | null;
  /** An attempt may have reached Slack without us learning it: look before sending. */
  lastOutcome?: 'unknown';
  /** The message, once sent. */
  ts?: string;
  sentAt?: string;
}

/** The id of a channel's digest of a day; `*` stands for the configured channel. */
export function digestIdOf(date: string, channel: string | null): string {
  return `${date}/${channel ?? '*'}`;
}

/**
 * The id of the entry that says every channel's digest of the day is done. `!` is in no channel
 * name or ID, so a channel named `done` keeps an entry of its own.
 */
export function digestDoneIdOf(date: string): string {
  return `${date}/!done`;
}

/** A new entry: this pass's claim on sending it. */
export function claimedDigest(
  id: string,
  channel: string | null,
  date: string,
  passId: string,
  now: Date,
  until: Date,
): DigestRecord {
  return {
    id,
    channel,
    date,
    state: 'sending',
    claim: {by: passId, until: until.toISOString()},
    firstAttemptAt: now.toISOString(),
    attempts: 0,
    lastError: null,
  };
}

/**
 * Takes over an entry left unsent (a failed attempt, or a claim that expired unrecorded); null
 * when it is sent or another pass holds a live claim on it.
 */
export function takeOverDigest(
  current: DigestRecord | null,
  passId: string,
  now: Date,
  until: Date,
): DigestRecord | null {
  if (current === null || current.state === 'sent') return null;
  const claim = current.claim;
  if (claim !== null && claim.by !== passId && Date.parse(claim.until) > now.getTime()) return null;
  // A claim never released: that pass died, maybe after Slack took the message.
  const abandoned = claim !== null;
  return {
    ...current,
    claim: {by: passId, until: until.toISOString()},
    ...(abandoned || current.lastOutcome === 'unknown' ? {lastOutcome: 'unknown' as const} : {}),
  };
}

/** Records the message sent under this pass's claim. */
export function markDigestSent(
  current: DigestRecord | null,
  passId: string,
  ts: string,
  now: Date,
): DigestRecord | null {
  if (current === null || current.claim?.by !== passId) return null;
  const {lastOutcome: _l, ...rest} = current;
  return {...rest, state: 'sent', claim: null, ts, sentAt: now.toISOString()};
}

/** Releases this pass's claim after a failed attempt, for a later pass to retry. */
export function markDigestFailed(
  current: DigestRecord | null,
  passId: string,
  error: string,
  outcomeUnknown: boolean,
): DigestRecord | null {
  if (current === null || current.claim?.by !== passId) return null;
  return {
    ...current,
    claim: null,
    attempts: current.attempts + 1,
    lastError: error,
    ...(outcomeUnknown || current.lastOutcome === 'unknown'
      ? {lastOutcome: 'unknown' as const}
      : {}),
  };
}

/** The entry that says the day is done: written once every channel's digest was sent. */
export function doneDigest(date: string, now: Date): DigestRecord {
  return {
    id: digestDoneIdOf(date),
    channel: null,
    date,
    state: 'sent',
    claim: null,
    firstAttemptAt: now.toISOString(),
    attempts: 0,
    lastError: null,
    sentAt: now.toISOString(),
  };
}
