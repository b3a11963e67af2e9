/**
 * The real `WebClient` against the local Slack API server: what is sent for each kind of
 * notification, and what happens on every Slack fault. No test sleeps: waits between
 * attempts go through an injected `sleep` that records them, and timeouts are short.
 */
import {after, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {inspect} from 'node:util';
import {NotifyError} from '../../functions/core/errors.js';
import {buildMessages} from '../../functions/core/messages/build.js';
import {renderSlack} from '../../functions/core/messages/render-slack.js';
import {
  METADATA_EVENT_TYPE,
  SlackNotifier,
  createSlackClient,
} from '../../functions/adapters/slack-notifier.js';
import {
  startSlackApiServer,
  type FakeChannel,
  type SlackApiServer,
  type SlackErrorCode,
} from '../support/slack-api-server.js';
import {
  CLOSED_INCIDENT,
  OPEN_INCIDENT,
  TOKEN,
  context,
  messageOf,
  notification,
} from '../support/notification-fixtures.js';

const CHANNELS: FakeChannel[] = [
  {id: 'C0ALERTS01', name: 'alerts'},
  {id: 'C0OUTSIDE1', name: 'outside', member: false},
  {id: 'C0OLDSTUFF', name: 'old-stuff', archived: true},
];

const servers: SlackApiServer[] = [];
after(async () => {
  await Promise.all(servers.map(s => s.close()));
});

interface Setup {
  server: SlackApiServer;
  notifier: SlackNotifier;
  sleeps: number[];
}

async function setup(
  options: {channel?: string; token?: string; timeoutMs?: number; maxAttempts?: number} = {},
): Promise<Setup> {
  const server = await startSlackApiServer({token: TOKEN, channels: CHANNELS});
  servers.push(server);
  const client = createSlackClient({
    token: options.token ?? TOKEN,
    apiUrl: server.apiUrl,
    timeoutMs: options.timeoutMs,
  });
  const sleeps: number[] = [];
  const notifier = new SlackNotifier(client, {
    channel: options.channel ?? '#alerts',
    sleep: async ms => {
      sleeps.push(ms);
    },
    // A #name cannot be looked up: the notifier says so once; not what these tests are about.
    warn: () => undefined,
    maxAttempts: options.maxAttempts,
  });
  return {server, notifier, sleeps};
}

function inAMinute(): Date {
  return new Date(Date.now() + 60_000);
}

async function rejection(promise: Promise<unknown>): Promise<NotifyError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof NotifyError, `expected a NotifyError, got ${inspect(error)}`);
    return error;
  }
  assert.fail('expected the delivery to fail');
}

function metadataOf(kind: string) {
  return {
    event_type: METADATA_EVENT_TYPE,
    event_payload: {notification_id: `${OPEN_INCIDENT.id}/${kind}`},
  };
}

describe('delivery through the real WebClient', () => {
  it('opened: one chat.postMessage, answered with the channel ID and ts to thread under', async () => {
    const {server, notifier} = await setup();
    const delivered = await notifier.deliver(
      notification('opened', OPEN_INCIDENT),
      context(),
      inAMinute(),
    );
    assert.deepEqual(delivered, {
      incidentId: OPEN_INCIDENT.id,
      channel: 'C0ALERTS01',
      ts: '1700000000.000100',
    });
    const expected = renderSlack(messageOf('opened', OPEN_INCIDENT, 'post'));
    assert.deepEqual(server.calls, [
      {
        method: 'chat.postMessage',
        encoding: 'form',
        channel: '#alerts',
        thread_ts: null,
        ts: '1700000000.000100',
        text: expected.text,
        blocks: expected.blocks,
        metadata: metadataOf('opened'),
        reply_broadcast: null,
        outcome: 'ok',
      },
    ]);
  });

  it('closed: updates the opening message, then replies in its thread', async () => {
    const {server, notifier} = await setup();
    const thread = await notifier.deliver(
      notification('opened', OPEN_INCIDENT),
      context(),
      inAMinute(),
    );
    assert.ok(thread !== null);
    const result = await notifier.deliver(
      notification('closed', CLOSED_INCIDENT),
      context(thread),
      inAMinute(),
    );
    assert.equal(result, null);
    const update = renderSlack(messageOf('closed', CLOSED_INCIDENT, 'update'));
    const reply = renderSlack(messageOf('closed', CLOSED_INCIDENT, 'reply'));
    assert.deepEqual(server.calls.slice(1), [
      {
        method: 'chat.update',
        encoding: 'form',
        channel: 'C0ALERTS01',
        thread_ts: null,
        ts: thread.ts,
        text: update.text,
        blocks: update.blocks,
        metadata: metadataOf('closed'),
        reply_broadcast: null,
        outcome: 'ok',
      },
      {
        method: 'chat.postMessage',
        encoding: 'form',
        channel: 'C0ALERTS01',
        thread_ts: thread.ts,
        ts: '1700000001.000100',
        text: reply.text,
        blocks: reply.blocks,
        metadata: metadataOf('closed'),
        reply_broadcast: false,
        outcome: 'ok',
      },
    ]);
    assert.equal(
      reply.text,
      '✅ Recovered after 2h 5m: backup-manual-x7k2p (manual run) succeeded (3 failed runs)',
    );
    const opening = server.message('C0ALERTS01', thread.ts);
    assert.equal(opening?.edited, true);
    assert.equal(opening?.text, update.text);
  });

  it('closed twice (the reply failed the first time): the update is repeated, one reply', async () => {
    const {server, notifier} = await setup();
    const thread = await notifier.deliver(
      notification('opened', OPEN_INCIDENT),
      context(),
      inAMinute(),
    );
    assert.ok(thread !== null);
    server.inject({kind: 'error', error: 'channel_not_found'}, {methods: ['chat.postMessage']});
    await rejection(
      notifier.deliver(notification('closed', CLOSED_INCIDENT), context(thread), inAMinute()),
    );
    await notifier.deliver(notification('closed', CLOSED_INCIDENT), context(thread), inAMinute());
    assert.deepEqual(
      server.accepted().map(c => c.method),
      ['chat.postMessage', 'chat.update', 'chat.update', 'chat.postMessage'],
    );
  });

  it('closed without a thread (opening never delivered): one standalone message', async () => {
    const {server, notifier} = await setup();
    await notifier.deliver(notification('closed', CLOSED_INCIDENT), context(null), inAMinute());
    const expected = renderSlack(messageOf('closed', CLOSED_INCIDENT, 'standalone'));
    assert.equal(server.calls.length, 1);
    assert.equal(server.calls[0]?.method, 'chat.postMessage');
    assert.equal(server.calls[0]?.thread_ts, null);
    assert.equal(server.calls[0]?.text, expected.text);
    assert.deepEqual(server.calls[0]?.blocks, expected.blocks);
  });

  it('closed after the opening message was deleted: a standalone message, not a dangling reply', async () => {
    const {server, notifier} = await setup();
    const gone = {incidentId: OPEN_INCIDENT.id, channel: 'C0ALERTS01', ts: '1600000000.000001'};
    await notifier.deliver(notification('closed', CLOSED_INCIDENT), context(gone), inAMinute());
    assert.deepEqual(
      server.calls.map(c => [c.method, c.outcome, c.thread_ts]),
      [
        ['chat.update', 'error:message_not_found', null],
        ['chat.postMessage', 'ok', null],
      ],
    );
  });

  it('recovered: one message that says both', async () => {
    const {server, notifier} = await setup();
    const result = await notifier.deliver(
      notification('recovered', CLOSED_INCIDENT),
      context(),
      inAMinute(),
    );
    assert.equal(result, null);
    const expected = renderSlack(messageOf('recovered', CLOSED_INCIDENT, 'post'));
    assert.equal(server.calls.length, 1);
    assert.equal(server.calls[0]?.text, expected.text);
    assert.match(
      expected.text,
      /^🟡 batch\/backup failed .* and recovered after 2h 5m: .* · prod-eu$/,
    );
    assert.deepEqual(server.calls[0]?.metadata, metadataOf('recovered'));
  });

  it('an opening that continues a thread: its opening shows it, one line in the thread', async () => {
    const {server, notifier} = await setup();
    const stuckId = 'running-too-long:uid-1';
    // Any delivered opening stands for the 🐢 one: only its channel and ts matter here.
    const first = await notifier.deliver(
      notification('opened', OPEN_INCIDENT),
      context(),
      inAMinute(),
    );
    assert.ok(first !== null);
    const thread = {...first, incidentId: stuckId};
    server.calls.length = 0;
    const failing = {
      ...OPEN_INCIDENT,
      continues: stuckId,
      continuedFrom: {startedAt: '2024-05-01T08:00:00Z', podDetail: null},
    };
    const built = buildMessages(notification('opened', failing), context(thread));
    assert.ok(built.kind === 'opened' && built.reply !== undefined);
    await notifier.deliver(notification('opened', failing), context(thread), inAMinute());
    assert.deepEqual(
      server.calls.map(c => [c.method, c.thread_ts, c.text]),
      [
        ['chat.update', null, renderSlack(built.post).text],
        ['chat.postMessage', thread.ts, '🐢→🔴 killed after 2h: Error (exit 1)'],
      ],
    );
  });

  it('posts to a channel given by ID as well', async () => {
    const {server, notifier} = await setup({channel: 'C0ALERTS01'});
    const delivered = await notifier.deliver(
      notification('opened', OPEN_INCIDENT),
      context(),
      inAMinute(),
    );
    assert.equal(delivered?.channel, 'C0ALERTS01');
    assert.equal(server.calls[0]?.channel, 'C0ALERTS01');
  });
});

describe('rate limiting (429 + Retry-After)', () => {
  it('Retry-After: 0 is retried at once', async () => {
    const {server, notifier, sleeps} = await setup();
    server.inject({kind: 'rate-limit', retryAfterSeconds: 0}, {times: 2});
    await notifier.deliver(notification('opened', OPEN_INCIDENT), context(), inAMinute());
    assert.deepEqual(
      server.calls.map(c => c.outcome),
      ['http:429', 'http:429', 'ok'],
    );
    assert.deepEqual(sleeps, []);
  });

  it('Retry-After: 1 is honoured when it fits before the deadline', async () => {
    const {server, notifier, sleeps} = await setup();
    server.inject({kind: 'rate-limit', retryAfterSeconds: 1});
    await notifier.deliver(notification('opened', OPEN_INCIDENT), context(), inAMinute());
    assert.deepEqual(sleeps, [1000]);
    assert.deepEqual(
      server.calls.map(c => c.outcome),
      ['http:429', 'ok'],
    );
  });

  it('Retry-After past the deadline is not waited: retryable error at once', async () => {
    const {server, notifier, sleeps} = await setup();
    server.inject({kind: 'rate-limit', retryAfterSeconds: 1});
    // One second of Retry-After plus time for the call does not fit in 1.2 s.
    const error = await rejection(
      notifier.deliver(
        notification('opened', OPEN_INCIDENT),
        context(),
        new Date(Date.now() + 1200),
      ),
    );
    assert.equal(error.code, 'SLACK_RATE_LIMITED');
    assert.equal(error.retryable, true);
    assert.match(error.message, /rate-limited chat\.postMessage \(retry after 1 s\); a later pass/);
    assert.deepEqual(sleeps, []);
    assert.equal(server.calls.length, 1);
  });

  it('a 429 without Retry-After is retried with backoff', async () => {
    const {server, notifier, sleeps} = await setup();
    server.inject({kind: 'rate-limit', retryAfterSeconds: null});
    await notifier.deliver(notification('opened', OPEN_INCIDENT), context(), inAMinute());
    assert.deepEqual(sleeps, [1000]);
    assert.equal(server.accepted().length, 1);
  });
});

describe('server errors and timeouts', () => {
  it('5xx is retried with bounded backoff and then succeeds', async () => {
    const {server, notifier, sleeps} = await setup();
    server.inject({kind: 'http', status: 500}, {times: 2});
    await notifier.deliver(notification('opened', OPEN_INCIDENT), context(), inAMinute());
    assert.deepEqual(sleeps, [1000, 2000]);
    assert.deepEqual(
      server.calls.map(c => c.outcome),
      ['http:500', 'http:500', 'ok'],
    );
  });

  it('5xx that lasts gives up after 4 attempts with a retryable error', async () => {
    const {server, notifier, sleeps} = await setup({channel: 'C0ALERTS01'});
    server.inject({kind: 'http', status: 503}, {times: 100, methods: ['chat.postMessage']});
    const error = await rejection(
      notifier.deliver(notification('opened', OPEN_INCIDENT), context(), inAMinute()),
    );
    assert.equal(error.code, 'SLACK_HTTP_ERROR');
    assert.equal(error.retryable, true);
    // A 5xx may have posted it: unknown, so the next pass looks before it sends.
    assert.equal(error.outcomeUnknown, true);
    assert.match(error.message, /HTTP 503; a later pass retries/);
    assert.equal(server.calls.filter(c => c.method === 'chat.postMessage').length, 4);
    // Before each retry, the channel was searched for it (and it was not there).
    assert.equal(server.calls.filter(c => c.method === 'conversations.history').length, 3);
    assert.deepEqual(sleeps, [1000, 2000, 4000]);
  });

  it('backoff that would overrun the deadline is not waited', async () => {
    const {server, notifier, sleeps} = await setup();
    server.inject({kind: 'http', status: 502}, {times: 100});
    // 1 s of backoff + time for the call does not fit in 1.2 s.
    const error = await rejection(
      notifier.deliver(
        notification('opened', OPEN_INCIDENT),
        context(),
        new Date(Date.now() + 1200),
      ),
    );
    assert.equal(error.retryable, true);
    assert.equal(server.calls.length, 1);
    assert.deepEqual(sleeps, []);
  });

  it('a hung request times out (per-request timeout) with a retryable error', async () => {
    const {server, notifier} = await setup({timeoutMs: 150, maxAttempts: 2});
    server.inject({kind: 'hang'}, {times: 2});
    const error = await rejection(
      notifier.deliver(notification('opened', OPEN_INCIDENT), context(), inAMinute()),
    );
    assert.equal(error.code, 'SLACK_TIMEOUT');
    assert.equal(error.retryable, true);
    assert.match(error.message, /did not answer chat\.postMessage in time/);
    assert.equal(server.calls.length, 2);
  });

  it('a hung request is abandoned at the deadline, even with a long request timeout', async () => {
    // 800 ms: more than MIN_ATTEMPT_MS, the least time an attempt is started with.
    const {server, notifier} = await setup({timeoutMs: 60_000});
    server.inject({kind: 'hang'});
    const started = Date.now();
    const error = await rejection(
      notifier.deliver(notification('opened', OPEN_INCIDENT), context(), new Date(started + 800)),
    );
    assert.equal(error.code, 'SLACK_TIMEOUT');
    assert.equal(error.retryable, true);
    assert.match(error.message, /before the pass's deadline/);
    assert.ok(Date.now() - started < 10_000, 'gave up at the deadline, not the request timeout');
  });

  it('a deadline already past sends nothing', async () => {
    const {server, notifier} = await setup();
    const error = await rejection(
      notifier.deliver(notification('opened', OPEN_INCIDENT), context(), new Date(Date.now() - 1)),
    );
    assert.equal(error.code, 'SLACK_DEADLINE');
    assert.equal(error.retryable, true);
    assert.equal(server.calls.length, 0);
  });

  it('an unreachable Slack is a retryable error', async () => {
    const {server, notifier} = await setup({maxAttempts: 1});
    await server.close();
    const error = await rejection(
      notifier.deliver(notification('opened', OPEN_INCIDENT), context(), inAMinute()),
    );
    assert.equal(error.code, 'SLACK_UNREACHABLE');
    assert.equal(error.retryable, true);
  });
});

describe('Slack errors (ok: false)', () => {
  const cases: Array<[SlackErrorCode, string, boolean, RegExp]> = [
    [
      'not_in_channel',
      'SLACK_NOT_IN_CHANNEL',
      false,
      /not a member of #alerts: invite it \(type \/invite @<app name> in #alerts\)/,
    ],
    ['channel_not_found', 'SLACK_CHANNEL_NOT_FOUND', false, /check SLACK_CHANNEL/],
    ['is_archived', 'SLACK_CHANNEL_ARCHIVED', false, /#alerts is archived: unarchive it/],
    [
      'invalid_auth',
      'SLACK_AUTH',
      false,
      /rejected the bot token \(invalid_auth\): SLACK_BOT_TOKEN is wrong, revoked or was rotated/,
    ],
    ['token_revoked', 'SLACK_AUTH', false, /\(token_revoked\)/],
    ['ratelimited', 'SLACK_UNAVAILABLE', true, /\(ratelimited\); a later pass retries/],
    ['internal_error', 'SLACK_UNAVAILABLE', true, /\(internal_error\)/],
  ];
  for (const [slackError, code, retryable, wording] of cases) {
    it(`${slackError} → ${code}, retryable: ${retryable}`, async () => {
      const {server, notifier, sleeps} = await setup();
      server.inject({kind: 'error', error: slackError}, {times: 100});
      const error = await rejection(
        notifier.deliver(notification('opened', OPEN_INCIDENT), context(), inAMinute()),
      );
      assert.equal(error.code, code);
      assert.equal(error.retryable, retryable);
      assert.match(error.message, wording);
      // Errors that need a person are not retried; transient ones are, boundedly.
      assert.equal(server.calls.length, retryable ? 4 : 1);
      assert.equal(sleeps.length, retryable ? 3 : 0);
    });
  }

  it('the real workspace errors: not a member, archived, unknown channel, wrong token', async () => {
    const expectations: Array<[{channel?: string; token?: string}, string, RegExp]> = [
      [{channel: '#outside'}, 'SLACK_NOT_IN_CHANNEL', /invite it .* in #outside/],
      [{channel: 'C0OLDSTUFF'}, 'SLACK_CHANNEL_ARCHIVED', /C0OLDSTUFF is archived/],
      [{channel: '#nope'}, 'SLACK_CHANNEL_NOT_FOUND', /no channel #nope/],
      [{token: 'xoxb-some-other-token'}, 'SLACK_AUTH', /invalid_auth/],
    ];
    for (const [options, code, wording] of expectations) {
      const {notifier} = await setup(options);
      const error = await rejection(
        notifier.deliver(notification('opened', OPEN_INCIDENT), context(), inAMinute()),
      );
      assert.equal(error.code, code, JSON.stringify(options));
      assert.match(error.message, wording);
      assert.equal(error.retryable, false);
    }
  });
});

describe('the token never leaks', () => {
  const wrongToken = 'xoxb-WRONG-SECRET-9876543210-never-log-me';
  type Scenario = [string, (s: SlackApiServer) => void | Promise<void>, {token?: string}];
  const scenarios: Scenario[] = [
    ['invalid token', () => {}, {token: wrongToken}],
    ['invalid_auth', s => s.inject({kind: 'error', error: 'invalid_auth'}), {}],
    ['5xx', s => s.inject({kind: 'http', status: 500}, {times: 100}), {}],
    ['429', s => s.inject({kind: 'rate-limit', retryAfterSeconds: 3600}), {}],
    ['timeout', s => s.inject({kind: 'hang'}, {times: 100}), {}],
    ['not_in_channel', s => s.inject({kind: 'error', error: 'not_in_channel'}), {}],
    ['unreachable', s => s.close(), {}],
  ];
  for (const [name, arrange, options] of scenarios) {
    it(`${name}: not in the message, JSON, inspection, stack or cause`, async () => {
      const {server, notifier} = await setup({...options, timeoutMs: 100, maxAttempts: 2});
      await arrange(server);
      const error = await rejection(
        notifier.deliver(notification('opened', OPEN_INCIDENT), context(), inAMinute()),
      );
      const token = options.token ?? TOKEN;
      const views = [
        error.message,
        String(error.stack),
        JSON.stringify(error),
        JSON.stringify(error.cause),
        inspect(error, {depth: 20, showHidden: true}),
        JSON.stringify(Object.entries(error)),
      ];
      for (const view of views) {
        assert.ok(!view.includes(token), `token found in: ${view.slice(0, 200)}`);
        assert.ok(!view.includes('Bearer'), `authorization header found in: ${view.slice(0, 200)}`);
      }
      assert.ok(!JSON.stringify(server.calls).includes(token), 'the server never records it');
    });
  }
});

describe('createSlackClient', () => {
  it('points the real WebClient at SLACK_API_URL and authenticates with the token', async () => {
    const server = await startSlackApiServer({token: TOKEN});
    servers.push(server);
    const client = createSlackClient({token: TOKEN, apiUrl: server.apiUrl});
    const answer = await client.auth.test();
    assert.equal(answer.ok, true);
    assert.equal(answer.bot_id, 'B0WATCHER1');
    assert.equal(server.calls[0]?.method, 'auth.test');
  });

  it('rejects an empty token and a non-positive timeout, without echoing the token', () => {
    assert.throws(() => createSlackClient({token: '  '}), /SLACK_BOT_TOKEN is empty/);
    assert.throws(
      () => createSlackClient({token: TOKEN, timeoutMs: 0}),
      (error: Error) => /timeout/.test(error.message) && !error.message.includes(TOKEN),
    );
  });
});

describe('the local Slack API server', () => {
  it('also takes JSON bodies and rejects a missing token like Slack', async () => {
    const server = await startSlackApiServer({token: TOKEN});
    servers.push(server);
    const post = (headers: Record<string, string>) =>
      fetch(`${server.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: {'content-type': 'application/json; charset=utf-8', ...headers},
        body: JSON.stringify({channel: 'C0ALERTS01', text: 'hi', blocks: [{type: 'divider'}]}),
      }).then(r => r.json() as Promise<{ok: boolean; error?: string; ts?: string}>);
    assert.deepEqual(await post({}), {ok: false, error: 'not_authed'});
    const ok = await post({authorization: `Bearer ${TOKEN}`});
    assert.equal(ok.ok, true);
    assert.equal(server.calls[1]?.encoding, 'json');
    assert.deepEqual(server.calls[1]?.blocks, [{type: 'divider'}]);
  });

  it('refuses chat.update of a message that does not exist', async () => {
    const server = await startSlackApiServer({token: TOKEN});
    servers.push(server);
    const client = createSlackClient({token: TOKEN, apiUrl: server.apiUrl});
    await assert.rejects(
      client.chat.update({channel: 'C0ALERTS01', ts: '1.000001', text: 'x'}),
      /message_not_found/,
    );
  });
});

describe('attempts need time to finish', () => {
  it('no attempt starts with less than MIN_ATTEMPT_MS left: it could be cut after Slack posted it', async () => {
    const {server, notifier} = await setup();
    const error = await rejection(
      notifier.deliver(
        notification('opened', OPEN_INCIDENT),
        context(),
        new Date(Date.now() + 100),
      ),
    );
    assert.equal(error.code, 'SLACK_DEADLINE');
    assert.equal(server.calls.length, 0);
  });
});
