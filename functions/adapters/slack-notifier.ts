/**
 * Delivers notifications to Slack with `@slack/web-api`. Messages are built and rendered by
 * the pure `core/message.ts` and `core/render-slack.ts`; this adapter only sends, within the
 * pass's deadline, and turns Slack's failures into `NotifyError`s that say what to do.
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
 * Secrets. The token is only in the `WebClient` (its Authorization header). `WebClient`
 * attaches the original axios error — with the request config and that header — to request
 * errors unless `attachOriginalToWebAPIRequestError: false`, which `createSlackClient` sets.
 * Errors thrown here never carry the `WebClient` error itself: their `cause` is a fresh,
 * plain error with the method, Slack's error code and HTTP status, and every message is
 * scrubbed of the token in case a server echoed it.
 */
import {ErrorCode, LogLevel, WebClient, type KnownBlock} from '@slack/web-api';
import {ConfigError, NotifyError} from '../core/errors.js';
import {buildMessages} from '../core/message.js';
import {renderSlackMessages, type SlackMessage} from '../core/render-slack.js';
import type {DeliveredMessage, PendingNotification} from '../core/incident.js';
import type {NotificationContext, Notifier} from '../ports.js';

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
}

/** What one failed Slack call amounts to. */
interface Failure {
  retryable: boolean;
  /** Seconds Slack asked us to wait (429), if it said. */
  retryAfterSeconds: number | null;
  error: NotifyError;
}

const AUTH_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
]);
const TRANSIENT_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);
const MESSAGE_ERRORS = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'no_text',
  'invalid_arguments',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'too_many_attachments',
]);

/** Sends notifications to one Slack channel. */
export class SlackNotifier implements Notifier {
  readonly #client: WebClient;
  readonly #channel: string;
  readonly #retryBaseDelayMs: number;
  readonly #maxAttempts: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;

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
    // Where the incident's messages go was resolved when it opened (annotation, route, else
    // SLACK_CHANNEL) and stored with it; replies go to the thread's channel whatever it says.
    const channel = notification.incident.destination?.channel ?? this.#channel;
    switch (formatted.kind) {
      case 'opened': {
        const posted = await this.#post(formatted.post, metadata, null, deadlineMs, channel);
        return {incidentId: notification.incident.id, channel: posted.channel, ts: posted.ts};
      }
      case 'recovered':
        await this.#post(formatted.post, metadata, null, deadlineMs, channel);
        return null;
      case 'closed': {
        const thread = context.thread;
        if (thread === null) {
          // A quiet closing (muted) has nothing to say where nobody saw the opening.
          if (formatted.quiet !== true) {
            await this.#post(formatted.standalone, metadata, null, deadlineMs, channel);
          }
          return null;
        }
        if (formatted.quiet === true) {
          await this.#post(formatted.reply, metadata, thread, deadlineMs, channel);
          return null;
        }
        // The update first: it is idempotent, so if the reply then fails, the next pass
        // redoes both and the channel still shows one resolved message and one reply.
        const updated = await this.#update(thread, formatted.update, metadata, deadlineMs);
        if (updated === 'gone') {
          // Someone deleted the opening message: a reply would hang off nothing. The
          // standalone message goes where the opening went.
          await this.#post(formatted.standalone, metadata, null, deadlineMs, thread.channel);
        } else {
          await this.#post(formatted.reply, metadata, thread, deadlineMs, channel);
        }
        return null;
      }
    }
  }

  async #post(
    message: SlackMessage,
    metadata: object,
    thread: DeliveredMessage | null,
    deadlineMs: number,
    channel: string,
  ): Promise<{channel: string; ts: string}> {
    const result = await this.#call(
      'chat.postMessage',
      thread?.channel ?? channel,
      () =>
        this.#client.chat.postMessage({
          channel: thread?.channel ?? channel,
          text: message.text,
          blocks: message.blocks as KnownBlock[],
          metadata: metadata as {event_type: string; event_payload: Record<string, string>},
          unfurl_links: false,
          unfurl_media: false,
          ...(thread === null ? {} : {thread_ts: thread.ts, reply_broadcast: false}),
        }),
      deadlineMs,
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
    return {channel: postedIn, ts};
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

  /** One Slack call, retried as the file header says, never past the deadline. */
  async #call<T extends {ok?: boolean}>(
    method: string,
    channel: string,
    send: () => Promise<T>,
    deadlineMs: number,
  ): Promise<T> {
    let last: Failure | null = null;
    for (let attempt = 1; ; attempt++) {
      const remaining = deadlineMs - this.#now();
      // An attempt with almost no time left would be abandoned mid-flight, possibly after
      // Slack posted the message: better not to start it.
      if (remaining < MIN_ATTEMPT_MS) {
        throw (
          last?.error ??
          new NotifyError(
            'SLACK_DEADLINE',
            `${method} not attempted: the pass's time budget ran out; a later pass sends it`,
            true,
          )
        );
      }
      try {
        return await withDeadline(send(), remaining, method);
      } catch (error) {
        last = this.#classify(method, channel, error);
      }
      if (!last.retryable) throw last.error;
      const wait =
        last.retryAfterSeconds !== null
          ? last.retryAfterSeconds * 1000
          : this.#retryBaseDelayMs * 2 ** (attempt - 1);
      const tooMany = attempt >= this.#maxAttempts;
      if (tooMany || this.#now() + wait + MIN_ATTEMPT_MS > deadlineMs) throw last.error;
      if (wait > 0) await this.#sleep(wait);
    }
  }

  #classify(method: string, channel: string, error: unknown): Failure {
    const token = this.#client.token ?? '';
    const scrub = (text: string) => (token === '' ? text : text.split(token).join('[redacted]'));
    const e = (error ?? {}) as {
      code?: unknown;
      message?: unknown;
      data?: {error?: unknown; needed?: unknown};
      statusCode?: unknown;
      retryAfter?: unknown;
    };
    const slackCode = typeof e.data?.error === 'string' ? e.data.error : null;
    const status = typeof e.statusCode === 'number' ? e.statusCode : null;
    const original = scrub(typeof e.message === 'string' ? e.message : String(error));
    // A fresh error with only what helps: the WebClient's own error may hold the request.
    const cause = Object.assign(new Error(`${method}: ${original}`), {
      slackError: slackCode,
      httpStatus: status,
    });
    const make = (code: string, message: string, retryable: boolean, retryAfter?: number) => ({
      retryable,
      retryAfterSeconds: retryAfter ?? null,
      error: new NotifyError(code, scrub(message), retryable, {cause}),
    });
    const where =
      channel.startsWith('#') || /^[CGD][A-Z0-9]+$/.test(channel) ? channel : `#${channel}`;

    if (error instanceof NotifyError)
      return {retryable: error.retryable, retryAfterSeconds: null, error};
    if (e.code === ErrorCode.RateLimitedError) {
      const seconds = typeof e.retryAfter === 'number' ? e.retryAfter : null;
      return make(
        'SLACK_RATE_LIMITED',
        `Slack rate-limited ${method} (retry after ${seconds ?? '?'} s); a later pass sends it`,
        true,
        seconds ?? undefined,
      );
    }
    if (e.code === ErrorCode.HTTPError) {
      const transient = status === null || status >= 500 || status === 408;
      return make(
        'SLACK_HTTP_ERROR',
        `Slack answered ${method} with HTTP ${status ?? '?'}${transient ? '; a later pass retries' : ''}`,
        transient,
      );
    }
    if (e.code === ErrorCode.RequestError) {
      const timedOut = /timeout/i.test(original);
      return make(
        timedOut ? 'SLACK_TIMEOUT' : 'SLACK_UNREACHABLE',
        timedOut
          ? `Slack did not answer ${method} in time; a later pass retries`
          : `Slack could not be reached for ${method} (${original}); a later pass retries`,
        true,
      );
    }
    if (e.code === ErrorCode.PlatformError && slackCode !== null) {
      if (slackCode === 'not_in_channel') {
        return make(
          'SLACK_NOT_IN_CHANNEL',
          `The Slack app is not a member of ${where}: invite it (type /invite @<app name> in ${where}); the message stays pending until then`,
          false,
        );
      }
      if (slackCode === 'channel_not_found') {
        return make(
          'SLACK_CHANNEL_NOT_FOUND',
          `Slack has no channel ${where} that this app can see: check SLACK_CHANNEL, ROUTES or the CronJob's cronjob-watcher/slack-channel annotation (a channel ID like C0123456789, or #name of a public channel; private channels need the app invited)`,
          false,
        );
      }
      if (slackCode === 'is_archived') {
        return make(
          'SLACK_CHANNEL_ARCHIVED',
          `Slack channel ${where} is archived: unarchive it or set SLACK_CHANNEL to another channel (or ROUTES, or the CronJob's cronjob-watcher/slack-channel annotation)`,
          false,
        );
      }
      if (AUTH_ERRORS.has(slackCode)) {
        return make(
          'SLACK_AUTH',
          `Slack rejected the bot token (${slackCode}): SLACK_BOT_TOKEN is wrong, revoked or was rotated; set the app's current Bot User OAuth Token`,
          false,
        );
      }
      if (slackCode === 'missing_scope') {
        const needed = typeof e.data?.needed === 'string' ? e.data.needed : 'chat:write';
        return make(
          'SLACK_MISSING_SCOPE',
          `The Slack app lacks the ${needed} scope: add it under OAuth & Permissions and reinstall the app`,
          false,
        );
      }
      if (slackCode === 'message_not_found') {
        return make(
          'SLACK_MESSAGE_NOT_FOUND',
          `Slack has no such message to update in ${where}`,
          false,
        );
      }
      if (slackCode === 'cant_update_message' || slackCode === 'edit_window_closed') {
        return make(
          'SLACK_CANT_UPDATE',
          `Slack does not let this app edit that message (${slackCode})`,
          false,
        );
      }
      if (TRANSIENT_ERRORS.has(slackCode)) {
        return make(
          'SLACK_UNAVAILABLE',
          `Slack could not take ${method} right now (${slackCode}); a later pass retries`,
          true,
        );
      }
      if (MESSAGE_ERRORS.has(slackCode)) {
        return make(
          'SLACK_BAD_MESSAGE',
          `Slack refused the message (${slackCode}): a formatting bug in cronjob-watcher; please report it`,
          false,
        );
      }
      return make('SLACK_ERROR', `Slack refused ${method}: ${slackCode}`, false);
    }
    return make('SLACK_ERROR', `${method} failed: ${original}`, true);
  }
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
