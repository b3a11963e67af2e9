/**
 * What a failed Slack call amounts to: retried or not, possibly done by Slack or not, and a
 * `NotifyError` that says what to do. Slack's own answers (`ok: false`, `error: <code>`) are a
 * table, `SLACK_ERROR_OUTCOMES`; transport failures (429, HTTP status, no connection) are
 * judged from the `WebClient` error. Every message is scrubbed of the token, and the error's
 * `cause` is a fresh, plain error: the `WebClient` error itself may hold the request.
 */
import {ErrorCode} from '@slack/web-api';
import {NotifyError} from '../core/errors.js';

/** What one failed Slack call amounts to. */
export interface Failure {
  retryable: boolean;
  /** Slack may have done it: the request left and no answer came back. */
  outcomeUnknown: boolean;
  /** Seconds Slack asked us to wait (429), if it said. */
  retryAfterSeconds: number | null;
  /** False: retryable by a later pass, but not worth another attempt within this call. */
  retryNow?: boolean;
  error: NotifyError;
}

/** What an outcome's message may name. */
export interface SlackErrorContext {
  method: string;
  /** The channel as a person writes it (`#alerts`, `C0123…`). */
  where: string;
  slackError: string;
  /** The scopes Slack said are missing (`missing_scope`), if it said. */
  needed: string | null;
}

/** What one Slack error code means: its `NotifyError` code, whether retried, what it says. */
export interface SlackErrorOutcome {
  code: string;
  retryable: boolean;
  says(context: SlackErrorContext): string;
}

const AUTH: SlackErrorOutcome = {
  code: 'SLACK_AUTH',
  retryable: false,
  says: c =>
    `Slack rejected the bot token (${c.slackError}): SLACK_BOT_TOKEN is wrong, revoked or was rotated; set the app's current Bot User OAuth Token`,
};
const UNAVAILABLE: SlackErrorOutcome = {
  code: 'SLACK_UNAVAILABLE',
  retryable: true,
  says: c => `Slack could not take ${c.method} right now (${c.slackError}); a later pass retries`,
};
const BAD_MESSAGE: SlackErrorOutcome = {
  code: 'SLACK_BAD_MESSAGE',
  retryable: false,
  says: c =>
    `Slack refused the message (${c.slackError}): a formatting bug in cronjob-watcher; please report it`,
};
const CANT_UPDATE: SlackErrorOutcome = {
  code: 'SLACK_CANT_UPDATE',
  retryable: false,
  says: c => `Slack does not let this app edit that message (${c.slackError})`,
};

/**
 * Slack's error codes (`ok: false`) and what each means here. Only the transient ones are
 * retried; everything else needs a person (or is a bug), so retrying would only repeat it.
 */
export const SLACK_ERROR_OUTCOMES: ReadonlyMap<string, SlackErrorOutcome> = new Map([
  [
    'not_in_channel',
    {
      code: 'SLACK_NOT_IN_CHANNEL',
      retryable: false,
      says: (c: SlackErrorContext) =>
        `The Slack app is not a member of ${c.where}: invite it (type /invite @<app name> in ${c.where}); the message stays pending until then`,
    },
  ],
  [
    'channel_not_found',
    {
      code: 'SLACK_CHANNEL_NOT_FOUND',
      retryable: false,
      says: (c: SlackErrorContext) =>
        `Slack has no channel ${c.where} that this app can see: check SLACK_CHANNEL, ROUTES or the CronJob's cronjob-watcher/slack-channel annotation (a channel ID like C0123456789, or #name of a public channel; private channels need the app invited)`,
    },
  ],
  [
    'is_archived',
    {
      code: 'SLACK_CHANNEL_ARCHIVED',
      retryable: false,
      says: (c: SlackErrorContext) =>
        `Slack channel ${c.where} is archived: unarchive it or set SLACK_CHANNEL to another channel (or ROUTES, or the CronJob's cronjob-watcher/slack-channel annotation)`,
    },
  ],
  ['invalid_auth', AUTH],
  ['not_authed', AUTH],
  ['token_revoked', AUTH],
  ['token_expired', AUTH],
  ['account_inactive', AUTH],
  [
    'missing_scope',
    {
      code: 'SLACK_MISSING_SCOPE',
      retryable: false,
      says: (c: SlackErrorContext) =>
        `The Slack app lacks the ${c.needed ?? 'chat:write'} scope: add it under OAuth & Permissions and reinstall the app`,
    },
  ],
  [
    'message_not_found',
    {
      code: 'SLACK_MESSAGE_NOT_FOUND',
      retryable: false,
      says: (c: SlackErrorContext) => `Slack has no such message to update in ${c.where}`,
    },
  ],
  ['cant_update_message', CANT_UPDATE],
  ['edit_window_closed', CANT_UPDATE],
  ['ratelimited', UNAVAILABLE],
  ['internal_error', UNAVAILABLE],
  ['fatal_error', UNAVAILABLE],
  ['service_unavailable', UNAVAILABLE],
  ['request_timeout', UNAVAILABLE],
  ['invalid_blocks', BAD_MESSAGE],
  ['invalid_blocks_format', BAD_MESSAGE],
  ['msg_too_long', BAD_MESSAGE],
  ['no_text', BAD_MESSAGE],
  ['invalid_arguments', BAD_MESSAGE],
  ['invalid_metadata_format', BAD_MESSAGE],
  ['invalid_metadata_schema', BAD_MESSAGE],
  ['too_many_attachments', BAD_MESSAGE],
]);

/** A Slack error code the table does not know: refused, not retried. */
const UNKNOWN_SLACK_ERROR: SlackErrorOutcome = {
  code: 'SLACK_ERROR',
  retryable: false,
  says: c => `Slack refused ${c.method}: ${c.slackError}`,
};

// Nothing listens at that address, or the name does not resolve: a second later it is no
// different, so retrying within the call only makes a CLI user wait (4 attempts and 7 s of
// backoff per message). A later pass tries again.
const PERSISTENT_CONNECTION_ERROR = /\b(ECONNREFUSED|ENOTFOUND)\b/;
// Refused or unresolvable: the request never left. Anything else (a timeout, a reset
// connection) may have reached Slack.
const NEVER_SENT = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/;

/** The channel as a person writes it: an ID or `#name`. */
function whereOf(channel: string): string {
  return channel.startsWith('#') || /^[CGD][A-Z0-9]+$/.test(channel) ? channel : `#${channel}`;
}

/** What the failure of `method` (to `channel`) amounts to; `token` is scrubbed from messages. */
export function classifySlackError(
  error: unknown,
  call: {method: string; channel: string; token: string},
): Failure {
  if (error instanceof NotifyError) {
    return {
      retryable: error.retryable,
      outcomeUnknown: error.outcomeUnknown,
      retryAfterSeconds: null,
      error,
    };
  }
  const {method, token} = call;
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
  const cause = Object.assign(new Error(`${method}: ${original}`), {
    slackError: slackCode,
    httpStatus: status,
  });
  const make = (
    code: string,
    message: string,
    retryable: boolean,
    retryAfter?: number,
    outcomeUnknown = false,
  ): Failure => ({
    retryable,
    outcomeUnknown,
    retryAfterSeconds: retryAfter ?? null,
    error: new NotifyError(code, scrub(message), retryable, {cause, outcomeUnknown}),
  });

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
    // A 5xx may come from a proxy or a Slack server that failed after posting.
    return make(
      'SLACK_HTTP_ERROR',
      `Slack answered ${method} with HTTP ${status ?? '?'}${transient ? '; a later pass retries' : ''}`,
      transient,
      undefined,
      transient,
    );
  }
  if (e.code === ErrorCode.RequestError) {
    if (PERSISTENT_CONNECTION_ERROR.test(original)) {
      return {
        ...make(
          'SLACK_UNREACHABLE',
          `Slack could not be reached for ${method} (${original}); check SLACK_API_URL and the network; a later pass retries`,
          true,
        ),
        retryNow: false,
      };
    }
    const timedOut = /timeout/i.test(original);
    return make(
      timedOut ? 'SLACK_TIMEOUT' : 'SLACK_UNREACHABLE',
      timedOut
        ? `Slack did not answer ${method} in time; a later pass retries`
        : `Slack could not be reached for ${method} (${original}); a later pass retries`,
      true,
      undefined,
      !NEVER_SENT.test(original),
    );
  }
  if (e.code === ErrorCode.PlatformError && slackCode !== null) {
    const outcome = SLACK_ERROR_OUTCOMES.get(slackCode) ?? UNKNOWN_SLACK_ERROR;
    const needed = typeof e.data?.needed === 'string' ? e.data.needed : null;
    const says = outcome.says({
      method,
      where: whereOf(call.channel),
      slackError: slackCode,
      needed,
    });
    return make(outcome.code, says, outcome.retryable);
  }
  return make('SLACK_ERROR', `${method} failed: ${original}`, true);
}
