/**
 * Every Slack error code the watcher knows, answered by the local Slack API server to the real
 * `WebClient`: the `NotifyError` code, whether it is retried, and the exact words a person
 * reads. The expectations are written out here, not taken from the table under test.
 */
import {after, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {NotifyError} from '../../functions/core/errors.js';
import {SLACK_ERROR_OUTCOMES} from '../../functions/adapters/slack-errors.js';
import {SlackNotifier, createSlackClient} from '../../functions/adapters/slack-notifier.js';
import {
  startSlackApiServer,
  type SlackApiServer,
  type SlackErrorCode,
} from '../support/slack-api-server.js';
import {OPEN_INCIDENT, TOKEN, context, notification} from '../support/notification-fixtures.js';

const servers: SlackApiServer[] = [];
after(async () => {
  await Promise.all(servers.map(s => s.close()));
});

const AUTH = (code: string) =>
  `Slack rejected the bot token (${code}): SLACK_BOT_TOKEN is wrong, revoked or was rotated; set the app's current Bot User OAuth Token`;
const UNAVAILABLE = (code: string) =>
  `Slack could not take chat.postMessage right now (${code}); a later pass retries`;
const BAD_MESSAGE = (code: string) =>
  `Slack refused the message (${code}): a formatting bug in cronjob-watcher; please report it`;
const CANT_UPDATE = (code: string) => `Slack does not let this app edit that message (${code})`;

/** Slack's answer → the NotifyError code, retried or not, and the message. */
const TABLE: Array<[SlackErrorCode, string, boolean, string]> = [
  [
    'not_in_channel',
    'SLACK_NOT_IN_CHANNEL',
    false,
    'The Slack app is not a member of #alerts: invite it (type /invite @<app name> in #alerts); the message stays pending until then',
  ],
  [
    'channel_not_found',
    'SLACK_CHANNEL_NOT_FOUND',
    false,
    "Slack has no channel #alerts that this app can see: check SLACK_CHANNEL, ROUTES or the CronJob's cronjob-watcher/slack-channel annotation (a channel ID like C0123456789, or #name of a public channel; private channels need the app invited)",
  ],
  [
    'is_archived',
    'SLACK_CHANNEL_ARCHIVED',
    false,
    "Slack channel #alerts is archived: unarchive it or set SLACK_CHANNEL to another channel (or ROUTES, or the CronJob's cronjob-watcher/slack-channel annotation)",
  ],
  ['invalid_auth', 'SLACK_AUTH', false, AUTH('invalid_auth')],
  ['not_authed', 'SLACK_AUTH', false, AUTH('not_authed')],
  ['token_revoked', 'SLACK_AUTH', false, AUTH('token_revoked')],
  ['token_expired', 'SLACK_AUTH', false, AUTH('token_expired')],
  ['account_inactive', 'SLACK_AUTH', false, AUTH('account_inactive')],
  [
    'missing_scope',
    'SLACK_MISSING_SCOPE',
    false,
    'The Slack app lacks the chat:write scope: add it under OAuth & Permissions and reinstall the app',
  ],
  [
    'message_not_found',
    'SLACK_MESSAGE_NOT_FOUND',
    false,
    'Slack has no such message to update in #alerts',
  ],
  ['cant_update_message', 'SLACK_CANT_UPDATE', false, CANT_UPDATE('cant_update_message')],
  ['edit_window_closed', 'SLACK_CANT_UPDATE', false, CANT_UPDATE('edit_window_closed')],
  ['ratelimited', 'SLACK_UNAVAILABLE', true, UNAVAILABLE('ratelimited')],
  ['internal_error', 'SLACK_UNAVAILABLE', true, UNAVAILABLE('internal_error')],
  ['fatal_error', 'SLACK_UNAVAILABLE', true, UNAVAILABLE('fatal_error')],
  ['service_unavailable', 'SLACK_UNAVAILABLE', true, UNAVAILABLE('service_unavailable')],
  ['request_timeout', 'SLACK_UNAVAILABLE', true, UNAVAILABLE('request_timeout')],
  ['invalid_blocks', 'SLACK_BAD_MESSAGE', false, BAD_MESSAGE('invalid_blocks')],
  ['invalid_blocks_format', 'SLACK_BAD_MESSAGE', false, BAD_MESSAGE('invalid_blocks_format')],
  ['msg_too_long', 'SLACK_BAD_MESSAGE', false, BAD_MESSAGE('msg_too_long')],
  ['no_text', 'SLACK_BAD_MESSAGE', false, BAD_MESSAGE('no_text')],
  ['invalid_arguments', 'SLACK_BAD_MESSAGE', false, BAD_MESSAGE('invalid_arguments')],
  ['invalid_metadata_format', 'SLACK_BAD_MESSAGE', false, BAD_MESSAGE('invalid_metadata_format')],
  ['invalid_metadata_schema', 'SLACK_BAD_MESSAGE', false, BAD_MESSAGE('invalid_metadata_schema')],
  ['too_many_attachments', 'SLACK_BAD_MESSAGE', false, BAD_MESSAGE('too_many_attachments')],
  ['some_future_error', 'SLACK_ERROR', false, 'Slack refused chat.postMessage: some_future_error'],
];

describe('Slack error codes → what the watcher does and says', () => {
  it('every code the watcher knows has a row here', () => {
    const rows = new Set<string>(TABLE.map(([slackError]) => slackError));
    for (const known of SLACK_ERROR_OUTCOMES.keys()) assert.ok(rows.has(known), known);
    assert.equal(SLACK_ERROR_OUTCOMES.has('some_future_error'), false);
  });

  for (const [slackError, code, retryable, message] of TABLE) {
    it(`${slackError} → ${code}${retryable ? ', retried' : ''}`, async () => {
      const server = await startSlackApiServer({
        token: TOKEN,
        channels: [{id: 'C0ALERTS01', name: 'alerts'}],
      });
      servers.push(server);
      const sleeps: number[] = [];
      const notifier = new SlackNotifier(createSlackClient({token: TOKEN, apiUrl: server.apiUrl}), {
        channel: '#alerts',
        sleep: async ms => {
          sleeps.push(ms);
        },
        warn: () => undefined,
      });
      server.inject({kind: 'error', error: slackError}, {times: 100});
      const failed = await notifier
        .deliver(notification('opened', OPEN_INCIDENT), context(), new Date(Date.now() + 60_000))
        .then(
          () => assert.fail('expected the delivery to fail'),
          (error: unknown) => error,
        );
      assert.ok(failed instanceof NotifyError);
      assert.equal(failed.code, code);
      assert.equal(failed.retryable, retryable);
      assert.equal(failed.outcomeUnknown, false, 'Slack answered: it did not post');
      assert.equal(failed.message, message);
      assert.equal(server.calls.length, retryable ? 4 : 1);
      assert.deepEqual(sleeps, retryable ? [1000, 2000, 4000] : []);
    });
  }
});
