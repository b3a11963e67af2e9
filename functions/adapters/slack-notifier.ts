/**
 * Delivers notifications to Slack with `@slack/web-api`. Messages are built and rendered by
 * the pure `core/messages/build.ts` and `core/messages/render-slack.ts`; this adapter only
 * sends, within the pass's deadline, and turns Slack's failures into `NotifyError`s that say
 * what to do.
 *
 * Retries. `WebClient`'s default policy (`tenRetriesInAboutThirtyMinutes`) can wait ~30
 * minutes and, on a 429, sleeps `Retry-After` with the whole request queue paused — far
 * longer than one pass. So the client is built with no retries of its own
 * (`retryConfig: {retries: 0}`), `rejectRateLimitedCalls: true` (a 429 is thrown at once
 * with its `retryAfter`), and a per-request `timeout`; this adapter retries itself, and only
 * while the next attempt still fits before the deadline:
 * - 429: waits `Retry-After` seconds when that, plus MIN_ATTEMPT_MS for the call, ends
 *   before the deadline; otherwise gives up at once (retryable).
 * - 5xx, timeouts, connection errors, Slack's `internal_error`/`fatal_error`/`ratelimited`:
 *   up to MAX_ATTEMPTS attempts, waiting RETRY_BASE_DELAY_MS × 2^n between them (1 s, 2 s,
 *   4 s), each wait also bounded by the deadline.
 * - Anything else (`not_in_channel`, `invalid_auth`, …) is not retried: it needs a person.
 * Worst case inside one call: 4 attempts × REQUEST_TIMEOUT_MS + 7 s of waits, cut short by
 * the deadline, which every attempt is also raced against.
 *
 * Pace. Slack takes about one message per second per channel, with short bursts. Posts are
 * paced per channel by a token bucket (POST_BURST at once, then one per POST_INTERVAL_MS);
 * a post that would have to wait past the deadline is not attempted but deferred (a
 * `NotifyError` with `deferred`), and the next pass sends it. A 429 still waits `Retry-After`
 * as above, and holds back the channel's bucket for as long.
 *
 * Sending once. A post whose earlier attempt may have reached Slack — the notification is
 * marked `lastOutcome: 'unknown'` (a pass died holding it, or a request timed out), or an
 * attempt of this call timed out or lost its connection — is first looked for in the
 * channel: `conversations.history` (`conversations.replies` for a thread reply) with
 * `include_all_metadata`, from the first attempt's time minus LOOKUP_MARGIN_MS, matching
 * `metadata.event_payload.notification_id`. When found, its `ts` is adopted (for an opening,
 * it becomes the thread) and nothing is posted. This needs `channels:history` (and
 * `groups:history` for private channels): `historyLookup: false` (SLACK_HISTORY_LOOKUP=false)
 * turns it off, and a `missing_scope` answer turns it off for the process with one warning —
 * then a lost answer may mean a second message, as before. A lookup that fails otherwise
 * leaves the message unsent and still in doubt: better late than twice.
 *
 * Storms (core/storms/). A storm member's opening (or `recovered` message) is posted in its
 * parent's thread (`NotificationContext.storm`); the delivered message keeps that thread
 * (`threadTs`), so its closing reply goes there too and its own message is what is updated.
 * `deliverStorm` posts the parent once, like any post (paced, looked for when in doubt, by the
 * storm's notification id), and rewrites it with `chat.update` as the storm moves on.
 *
 * Secrets. The token is only in the `WebClient` (its Authorization header). `WebClient`
 * attaches the original axios error — with the request config and that header — to request
 * errors unless `attachOriginalToWebAPIRequestError: false`, which `createSlackClient` sets.
 * Errors thrown here never carry the `WebClient` error itself: their `cause` is a fresh,
 * plain error with the method, Slack's error code and HTTP status, and every message is
 * scrubbed of the token in case a server echoed it.
 */
import {LogLevel, WebClient, type KnownBlock} from '@slack/web-api';
import {ConfigError, describeError, NotifyError} from '../core/errors.js';
import {buildMessages} from '../core/messages/build.js';
import {
  renderSlack,
  renderSlackMessages,
  type SlackMessage,
} from '../core/messages/render-slack.js';
import type {
  DeliveredMessage,
  PendingNotification,
  StormSend,
  StormState,
} from '../core/incident.js';
import {buildStormMessages} from '../core/storms/messages.js';
import type {ClusterRef} from '../core/model.js';
import type {DigestPost, NotificationContext, Notifier, StormParent} from '../ports.js';
import {classifySlackError, type Failure} from './slack-errors.js';

/**
 * One Slack request's own limit. Slack answers chat.postMessage in well under a second;
 * 10 s leaves room for a slow network and still lets a pass retry within its budget.
 */
export const REQUEST_TIMEOUT_MS = 10_000;
/** Attempts per Slack call for transient failures (the first one included). */
export const MAX_ATTEMPTS = 4;
/** First backoff between attempts after a 5xx or a timeout; doubles each time. */
export const RETRY_BASE_DELAY_MS = 1_000;
/**
 * Time an attempt needs to be worth starting: a wait that would leave less than this before
 * the deadline is not waited. Half a second covers a Slack round trip.
 */
export const MIN_ATTEMPT_MS = 500;

/**
 * Posts a channel takes at once before pacing starts. Slack allows short bursts over its
 * 1 message/second/channel; three keeps a pass's first messages prompt and well inside it.
 */
export const POST_BURST = 3;
/** One post per second per channel after the burst: Slack's documented rate. */
export const POST_INTERVAL_MS = 1_000;
/**
 * Added to each paced interval. Slack judges the pace when a post arrives, by its own clock, a
 * few ms after we decided to send it: posts spaced exactly one interval apart sit on the
 * boundary, where a millisecond of jitter is a 429. Against the test server's strict bucket
 * (an integer-ms clock), 3 of 12 passes that sent 40 posts back to back (batched delivery, no
 * store call between posts) got a 429; with 1% more spacing, none of 12.
 */
export const PACE_MARGIN_MS = 10;
/**
 * How far before the first attempt a history lookup starts: `ts` values are Slack's clock,
 * the first attempt's time ours; a minute covers any sane skew between the two.
 */
export const LOOKUP_MARGIN_MS = 60_000;
/** Messages per history page (Slack allows up to 999; 200 is its recommendation). */
export const LOOKUP_PAGE_SIZE = 200;
/**
 * Pages read per lookup. The window starts at the first attempt, so it only holds what the
 * channel received since; past 2,000 messages the message is taken as not posted.
 */
export const MAX_LOOKUP_PAGES = 10;

/** `metadata.event_type` of every message we post: lets an audit find (and dedupe) them. */
export const METADATA_EVENT_TYPE = 'cronjob_watcher_notification';

/** Options of `createSlackClient`. */
export interface SlackClientOptions {
  token: string;
  /** Slack API base URL (`SLACK_API_URL`), for proxies and tests; default Slack's own. */
  apiUrl?: string | null;
  /** Per-request timeout; default REQUEST_TIMEOUT_MS. */
  timeoutMs?: number;
  /** WebClient's own log level; default ERROR (failures are reported through NotifyError). */
  logLevel?: LogLevel;
}

/**
 * Builds the one `WebClient` of a function instance (call it in the entry module), with
 * retries and secrets handled as this file's header says.
 */
export function createSlackClient(options: SlackClientOptions): WebClient {
  if (options.token.trim() === '') {
    throw new ConfigError('SLACK_BOT_TOKEN is empty: set it to the bot token (xoxb-…).');
  }
  const timeout = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  if (!Number.isFinite(timeout) || timeout <= 0) {
    throw new ConfigError(`Slack request timeout must be a positive number of ms; got ${timeout}`);
  }
  return new WebClient(options.token, {
    ...(options.apiUrl ? {slackApiUrl: options.apiUrl} : {}),
    retryConfig: {retries: 0},
    rejectRateLimitedCalls: true,
    timeout,
    attachOriginalToWebAPIRequestError: false,
    logLevel: options.logLevel ?? LogLevel.ERROR,
  });
}

/** Options of `SlackNotifier`. */
export interface SlackNotifierOptions {
  /** Channel ID (`C0123…`) or name (`#alerts`). */
  channel: string;
  /** Backoff base for transient failures; default RETRY_BASE_DELAY_MS. */
  retryBaseDelayMs?: number;
  /** Attempts per call; default MAX_ATTEMPTS. */
  maxAttempts?: number;
  /** Waits between attempts; tests pass one that records instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds since the epoch; default Date.now. */
  now?: () => number;
  /**
   * Look for a message in the channel before sending it again when an earlier attempt's
   * outcome is unknown (`SLACK_HISTORY_LOOKUP`); default true.
   */
  historyLookup?: boolean;
  /** Posts per channel at once; default POST_BURST. */
  postBurst?: number;
  /** Interval between paced posts per channel; default POST_INTERVAL_MS. */
  postIntervalMs?: number;
  /** Where one-time warnings go (a missing scope); default console.warn. */
  warn?: (message: string) => void;
}

/** The pace of one channel: a token bucket with reservations (tokens may go below zero). */
interface Bucket {
  tokens: number;
  atMs: number;
  /** Slack's own Retry-After: no post before this. */
  blockedUntilMs: number;
}

/** What a post needs to be sent once: its notification id and whether an attempt is in doubt. */
interface SendOnce {
  notificationId: string;
  /** The lookup window's start, in ms since the epoch. */
  sinceMs: number;
  inDoubt: boolean;
}

/** Sends notifications to one Slack channel. */
export class SlackNotifier implements Notifier {
  readonly #client: WebClient;
  readonly #channel: string;
  readonly #retryBaseDelayMs: number;
  readonly #maxAttempts: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;
  readonly #postBurst: number;
  readonly #postIntervalMs: number;
  readonly #warn: (message: string) => void;
  #historyLookup: boolean;
  readonly #buckets = new Map<string, Bucket>();
  /** Channel IDs learned from Slack's answers, by the name they were posted to. */
  readonly #channelIds = new Map<string, string>();
  readonly #warned = new Set<string>();

  constructor(client: WebClient, options: SlackNotifierOptions) {
    if (options.channel.trim() === '') {
      throw new ConfigError('SLACK_CHANNEL is empty: set a channel ID (C0123…) or #name.');
    }
    this.#client = client;
    this.#channel = options.channel.trim();
    this.#retryBaseDelayMs = options.retryBaseDelayMs ?? RETRY_BASE_DELAY_MS;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? MAX_ATTEMPTS);
    this.#sleep = options.sleep ?? (ms => new Promise(resolve => setTimeout(resolve, ms)));
    this.#now = options.now ?? Date.now;
    this.#historyLookup = options.historyLookup ?? true;
    this.#postBurst = Math.max(1, options.postBurst ?? POST_BURST);
    this.#postIntervalMs = Math.max(0, options.postIntervalMs ?? POST_INTERVAL_MS);
    this.#warn = options.warn ?? (message => console.warn(message));
  }

  async deliver(
    notification: PendingNotification,
    context: NotificationContext,
    deadline: Date,
  ): Promise<DeliveredMessage | null> {
    const formatted = renderSlackMessages(buildMessages(notification, context));
    const metadata = {
      event_type: METADATA_EVENT_TYPE,
      event_payload: {notification_id: notification.id},
    };
    const deadlineMs = deadline.getTime();
    const once: SendOnce = {
      notificationId: notification.id,
      sinceMs: Date.parse(notification.firstAttemptAt ?? notification.createdAt) - LOOKUP_MARGIN_MS,
      inDoubt: notification.lastOutcome === 'unknown',
    };
    // Where the incident's messages go was resolved when it opened (annotation, route, else
    // SLACK_CHANNEL) and stored with it; replies go to the thread's channel whatever it says.
    const channel = notification.incident.destination?.channel ?? this.#channel;
    switch (formatted.kind) {
      case 'opened': {
        const thread = context.thread;
        if (thread !== null) {
          // It continues another incident's thread (a Job that ran too long, then failed):
          // that message now shows this one, and the thread says what happened in one line.
          const updated = await this.#update(thread, formatted.post, metadata, deadlineMs);
          if (updated !== 'gone') {
            const reply = formatted.reply ?? formatted.post;
            await this.#post(reply, metadata, thread, deadlineMs, once, channel);
            return {...thread, incidentId: notification.incident.id};
          }
        }
        // A storm member's opening goes in the storm parent's thread, and stays there.
        const storm = stormThreadOf(context);
        const posted = await this.#post(formatted.post, metadata, storm, deadlineMs, once, channel);
        return {
          incidentId: notification.incident.id,
          channel: posted.channel,
          ts: posted.ts,
          ...(storm === null ? {} : {threadTs: storm.ts, storm: storm.incidentId}),
        };
      }
      case 'recovered': {
        const storm = stormThreadOf(context);
        await this.#post(formatted.post, metadata, storm, deadlineMs, once, channel);
        return null;
      }
      case 'reminder':
        // Never top-level: without the opening's thread there is nothing to remind of.
        if (context.thread !== null) {
          await this.#post(formatted.reply, metadata, context.thread, deadlineMs, once, channel);
        }
        return null;
      case 'closed': {
        const thread = context.thread;
        if (thread === null) {
          // A quiet closing (muted) has nothing to say where nobody saw the opening.
          if (formatted.quiet !== true) {
            await this.#post(formatted.standalone, metadata, null, deadlineMs, once, channel);
          }
          return null;
        }
        if (formatted.quiet === true) {
          await this.#post(formatted.reply, metadata, thread, deadlineMs, once, channel);
          return null;
        }
        // The update first: it is idempotent, so if the reply then fails, the next pass
        // redoes both and the channel still shows one resolved message and one reply.
        const updated = await this.#update(thread, formatted.update, metadata, deadlineMs);
        if (updated === 'gone') {
          // Someone deleted the opening message: a reply would hang off nothing. The
          // standalone message goes where the opening went.
          await this.#post(formatted.standalone, metadata, null, deadlineMs, once, thread.channel);
        } else {
          await this.#post(formatted.reply, metadata, thread, deadlineMs, once, channel);
        }
        return null;
      }
      case 'acted': {
        // Acted on from the opening message, so it was delivered; without it (deleted, or
        // never sent) there is nothing to change or reply under.
        const thread = context.thread;
        if (thread === null) return null;
        // The update first, as for a closing: it is idempotent, so a failed reply redoes both.
        const updated = await this.#update(thread, formatted.update, metadata, deadlineMs);
        if (updated === 'gone' || formatted.reply === null) return null;
        await this.#post(formatted.reply, metadata, thread, deadlineMs, once, channel);
        return null;
      }
    }
  }

  async postDigest(digest: DigestPost, deadline: Date): Promise<{channel: string; ts: string}> {
    const metadata = {
      event_type: METADATA_EVENT_TYPE,
      event_payload: {notification_id: digest.id},
    };
    const once: SendOnce = {
      notificationId: digest.id,
      sinceMs: digest.sinceMs - LOOKUP_MARGIN_MS,
      inDoubt: digest.inDoubt,
    };
    const channel = digest.channel ?? this.#channel;
    const message = renderSlack(digest.message);
    return this.#post(message, metadata, null, deadline.getTime(), once, channel);
  }

  async deliverStorm(
    send: StormSend,
    storm: StormState,
    context: {cluster: ClusterRef},
    deadline: Date,
  ): Promise<StormParent | null> {
    const messages = buildStormMessages(send, storm, context.cluster);
    const metadata = {event_type: METADATA_EVENT_TYPE, event_payload: {notification_id: send.id}};
    const deadlineMs = deadline.getTime();
    const once: SendOnce = {
      notificationId: send.id,
      sinceMs: Date.parse(send.firstAttemptAt ?? send.createdAt) - LOOKUP_MARGIN_MS,
      inDoubt: send.lastOutcome === 'unknown',
    };
    const channel = storm.destination.channel ?? this.#channel;
    if (messages.kind === 'opened') {
      return this.#post(renderSlack(messages.post), metadata, null, deadlineMs, once, channel);
    }
    if (storm.parent === null) return null;
    const parent = {incidentId: storm.id, ...storm.parent};
    if (messages.kind === 'reply') {
      if (messages.reply !== null) {
        await this.#post(renderSlack(messages.reply), metadata, parent, deadlineMs, once, channel);
      }
      return null;
    }
    // A parent someone deleted has nothing to update; its members' threads went with it.
    const updated = await this.#update(parent, renderSlack(messages.update), metadata, deadlineMs);
    if (messages.kind === 'acted' && updated !== 'gone') {
      // The update first, as for an incident's action: it is idempotent, so a failed reply
      // redoes both and the thread still has one reply.
      await this.#post(renderSlack(messages.reply), metadata, parent, deadlineMs, once, channel);
    }
    return null;
  }

  async #post(
    message: SlackMessage,
    metadata: object,
    thread: DeliveredMessage | null,
    deadlineMs: number,
    once: SendOnce,
    channel: string,
  ): Promise<{channel: string; ts: string}> {
    const target = thread?.channel ?? channel;
    const result = await this.#call(
      'chat.postMessage',
      target,
      () =>
        this.#client.chat.postMessage({
          channel: target,
          text: message.text,
          blocks: message.blocks as KnownBlock[],
          metadata: metadata as {event_type: string; event_payload: Record<string, string>},
          unfurl_links: false,
          unfurl_media: false,
          ...(thread === null
            ? {}
            : {thread_ts: thread.threadTs ?? thread.ts, reply_broadcast: false}),
        }),
      deadlineMs,
      {
        inDoubt: once.inDoubt,
        lookup: () => this.#findPosted(target, thread, once, deadlineMs),
        pace: true,
      },
    );
    const postedIn = typeof result.channel === 'string' ? result.channel : null;
    const ts = typeof result.ts === 'string' ? result.ts : null;
    if (postedIn === null || ts === null) {
      throw new NotifyError(
        'SLACK_BAD_RESPONSE',
        'Slack accepted the message but its answer had no channel or ts; the closing message cannot thread under it',
        false,
      );
    }
    if (postedIn !== target) this.#channelIds.set(target, postedIn);
    return {channel: postedIn, ts};
  }

  #warnOnce(key: string, message: string): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.#warn(message);
  }

  /**
   * The message this notification already posted (to `channel`, or as a reply in `thread`),
   * if Slack has it; null when not found or when lookups are off. Throws (outcome unknown)
   * when the channel could not be read: the caller must not post blind.
   */
  async #findPosted(
    channel: string,
    thread: DeliveredMessage | null,
    once: SendOnce,
    deadlineMs: number,
  ): Promise<{channel: string; ts: string} | null> {
    if (!this.#historyLookup) return null;
    const channelId = /^[CGD][A-Z0-9]+$/.test(channel) ? channel : this.#channelIds.get(channel);
    if (channelId === undefined) {
      this.#warnOnce(
        `name:${channel}`,
        `Slack channel ${channel} is configured by name: an earlier attempt cannot be looked up until a message reveals its ID; set SLACK_CHANNEL to the channel ID (C0123…) so a lost answer never means a second message`,
      );
      return null;
    }
    const method = thread === null ? 'conversations.history' : 'conversations.replies';
    const oldest = (Math.max(0, once.sinceMs) / 1000).toFixed(6);
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LOOKUP_PAGES; page++) {
      const args = {
        channel: channelId,
        oldest,
        inclusive: true,
        include_all_metadata: true,
        limit: LOOKUP_PAGE_SIZE,
        ...(cursor === undefined ? {} : {cursor}),
      };
      let result: {
        messages?: Array<{ts?: string; metadata?: {event_type?: string; event_payload?: unknown}}>;
        response_metadata?: {next_cursor?: string};
        ok?: boolean;
      };
      try {
        result = await this.#call(
          method,
          channelId,
          () =>
            thread === null
              ? this.#client.conversations.history(args)
              : this.#client.conversations.replies({...args, ts: thread.threadTs ?? thread.ts}),
          deadlineMs,
        );
      } catch (error) {
        if (error instanceof NotifyError && error.code === 'SLACK_MISSING_SCOPE') {
          this.#historyLookup = false;
          this.#warnOnce(
            'missing_scope',
            `Slack history lookups are off: the app lacks channels:history/groups:history (${method} answered missing_scope). A message whose answer was lost may be sent twice; add the scopes and reinstall the app, or set SLACK_HISTORY_LOOKUP=false to silence this`,
          );
          return null;
        }
        const e = error instanceof NotifyError ? error : null;
        throw new NotifyError(
          e?.code ?? 'SLACK_ERROR',
          `could not check whether an earlier attempt reached Slack (${describeError(error)}); not sent, a later pass retries`,
          e?.retryable ?? true,
          {cause: e?.cause ?? null, outcomeUnknown: true},
        );
      }
      for (const m of result.messages ?? []) {
        const payload = m.metadata?.event_payload as {notification_id?: unknown} | undefined;
        if (
          m.metadata?.event_type === METADATA_EVENT_TYPE &&
          payload?.notification_id === once.notificationId &&
          typeof m.ts === 'string'
        ) {
          return {channel: channelId, ts: m.ts};
        }
      }
      cursor = result.response_metadata?.next_cursor || undefined;
      if (cursor === undefined) return null;
    }
    return null;
  }

  /**
   * Waits for the channel's next post slot; throws a deferred `NotifyError` when that slot
   * comes too late for this pass (nothing is waited then).
   */
  async #pace(channel: string, deadlineMs: number, inDoubt: boolean): Promise<void> {
    const key = this.#channelIds.get(channel) ?? channel;
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? {
      tokens: this.#postBurst,
      atMs: now,
      blockedUntilMs: 0,
    };
    this.#buckets.set(key, bucket);
    const intervalMs = this.#postIntervalMs === 0 ? 0 : this.#postIntervalMs + PACE_MARGIN_MS;
    const refill = intervalMs === 0 ? Infinity : Math.max(0, now - bucket.atMs) / intervalMs;
    bucket.tokens = Math.min(this.#postBurst, bucket.tokens + refill);
    bucket.atMs = now;
    // Reserve the slot first, so concurrent deliveries to one channel queue behind each other.
    bucket.tokens -= 1;
    const wait = Math.max(
      bucket.tokens >= 0 ? 0 : -bucket.tokens * intervalMs,
      bucket.blockedUntilMs - now,
    );
    if (wait <= 0) return;
    if (now + wait + MIN_ATTEMPT_MS > deadlineMs) {
      bucket.tokens += 1;
      throw new NotifyError(
        'SLACK_DEFERRED',
        `chat.postMessage deferred: ${channel} takes about one message per second and the next slot (in ${Math.ceil(wait / 1000)} s) is past this pass's deadline; the next pass sends it`,
        true,
        {deferred: true, outcomeUnknown: inDoubt},
      );
    }
    await this.#sleep(wait);
  }

  /** Holds back a channel's posts for as long as Slack asked (a 429's Retry-After). */
  #holdBack(channel: string, ms: number): void {
    const key = this.#channelIds.get(channel) ?? channel;
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? {tokens: 0, atMs: now, blockedUntilMs: 0};
    bucket.tokens = Math.min(bucket.tokens, 0);
    bucket.blockedUntilMs = Math.max(bucket.blockedUntilMs, now + ms);
    this.#buckets.set(key, bucket);
  }

  /** Rewrites the opening message; `gone` when it no longer exists. */
  async #update(
    thread: DeliveredMessage,
    message: SlackMessage,
    metadata: object,
    deadlineMs: number,
  ): Promise<'updated' | 'gone' | 'not-ours'> {
    try {
      await this.#call(
        'chat.update',
        thread.channel,
        () =>
          this.#client.chat.update({
            channel: thread.channel,
            ts: thread.ts,
            text: message.text,
            blocks: message.blocks as KnownBlock[],
            metadata: metadata as {event_type: string; event_payload: Record<string, string>},
          }),
        deadlineMs,
      );
      return 'updated';
    } catch (error) {
      if (error instanceof NotifyError && error.code === 'SLACK_MESSAGE_NOT_FOUND') return 'gone';
      // Posted by another app (the token changed apps): leave it, still reply in its thread.
      if (error instanceof NotifyError && error.code === 'SLACK_CANT_UPDATE') return 'not-ours';
      throw error;
    }
  }

  /**
   * One Slack call, retried as the file header says, never past the deadline. For a post:
   * `pace` waits for the channel's slot, and while an attempt is in doubt (`inDoubt`, or an
   * attempt of this call whose outcome is unknown) `lookup` runs before the next attempt and
   * its find is the answer.
   */
  async #call<T extends {ok?: boolean}>(
    method: string,
    channel: string,
    send: () => Promise<T>,
    deadlineMs: number,
    post?: {inDoubt: boolean; lookup: () => Promise<object | null>; pace: boolean},
  ): Promise<T> {
    let last: Failure | null = null;
    let inDoubt = post?.inDoubt ?? false;
    const fits = (waitMs: number) => this.#now() + waitMs + MIN_ATTEMPT_MS <= deadlineMs;
    for (let attempt = 1; ; attempt++) {
      // An attempt with almost no time left would be abandoned mid-flight, possibly after
      // Slack posted the message: better not to start it.
      if (deadlineMs - this.#now() < MIN_ATTEMPT_MS) {
        throw (
          last?.error ??
          new NotifyError(
            'SLACK_DEADLINE',
            `${method} not attempted: the pass's time budget ran out; a later pass sends it`,
            true,
            // Nothing was tried: left for the next pass, like a post the pace cannot fit.
            {outcomeUnknown: inDoubt, deferred: true},
          )
        );
      }
      if (post !== undefined && inDoubt) {
        const found = await post.lookup();
        if (found !== null) return {ok: true, ...found} as T;
        inDoubt = false;
      }
      // One slot per post: a retry is already spaced by its backoff (at least
      // RETRY_BASE_DELAY_MS, one interval) or by Slack's Retry-After.
      if (post?.pace === true && attempt === 1) await this.#pace(channel, deadlineMs, inDoubt);
      const remaining = deadlineMs - this.#now();
      try {
        return await withDeadline(send(), remaining, method);
      } catch (error) {
        last = classifySlackError(error, {method, channel, token: this.#client.token ?? ''});
        if (last.outcomeUnknown) inDoubt = true;
      }
      const retryAfterMs = last.retryAfterSeconds === null ? null : last.retryAfterSeconds * 1000;
      // Only a Retry-After this pass waits out holds the channel back: one past the deadline
      // is the next pass's to try again, as before (it may run minutes later).
      if (retryAfterMs !== null && post?.pace === true && fits(retryAfterMs)) {
        this.#holdBack(channel, retryAfterMs);
      }
      if (!last.retryable || last.retryNow === false) throw last.error;
      const wait =
        last.retryAfterSeconds !== null
          ? last.retryAfterSeconds * 1000
          : this.#retryBaseDelayMs * 2 ** (attempt - 1);
      const tooMany = attempt >= this.#maxAttempts;
      if (tooMany || !fits(wait)) throw last.error;
      if (wait > 0) await this.#sleep(wait);
    }
  }
}

/** The storm parent an opening goes under, as the thread it is posted in; null: none. */
function stormThreadOf(context: NotificationContext): DeliveredMessage | null {
  const storm = context.storm;
  return storm === undefined ? null : {incidentId: storm.id, channel: storm.channel, ts: storm.ts};
}

/** Rejects with a retryable timeout when `promise` has not settled within `ms`. */
async function withDeadline<T>(promise: Promise<T>, ms: number, method: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new NotifyError(
            'SLACK_TIMEOUT',
            `Slack did not answer ${method} before the pass's deadline; a later pass retries`,
            true,
            {outcomeUnknown: true},
          ),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
