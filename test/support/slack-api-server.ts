/**
 * A local Slack Web API server for tests: the real `@slack/web-api` `WebClient` talks to it
 * with `slackApiUrl: server.apiUrl`. It speaks Slack's protocol for the methods the watcher
 * uses — POST `/api/<method>`, form-encoded or JSON bodies (form fields such as `blocks` and
 * `metadata` carry JSON text), `Authorization: Bearer <token>` (or a `token` form field),
 * answers `{ok: true, …}` or `{ok: false, error}` with HTTP 200, and 429 + `Retry-After` when
 * rate limited — and keeps channels and messages, so `chat.update` of an unknown `ts` fails
 * like Slack's does.
 *
 * Every call is recorded (method, channel, thread_ts, ts, text, blocks, metadata, outcome)
 * for assertions. The token is kept only to compare with what a request presents; it is
 * never recorded. Faults are injected per call: HTTP 429/5xx, a hung request, an `ok: false`
 * error, and the two lost-answer windows: a post Slack takes and then never answers
 * (`accept-then-hang`) or answers with a cut connection (`accept-then-drop`).
 *
 * `conversations.history` and `conversations.replies` answer like Slack's: newest first,
 * `oldest`/`latest` (exclusive unless `inclusive`), `limit` + `cursor` pages, metadata only
 * with `include_all_metadata`, channel IDs only, and `missing_scope` when the app is set up
 * without the history scopes (`historyScope: false`).
 *
 * With `clock`, `ts` values follow it (seconds since the epoch, like Slack's) instead of a
 * counter, and with `rateLimit` the server enforces Slack's pace on `chat.postMessage` per
 * channel (a token bucket on that clock): a post over it gets 429 + `Retry-After`.
 */
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

/** A channel the fake workspace has. */
export interface FakeChannel {
  id: string;
  name: string;
  /** Whether the app is a member (posting otherwise gives `not_in_channel`). Default true. */
  member?: boolean;
  archived?: boolean;
}

/** A message as the fake workspace stores it. */
export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts: string | null;
  text: string | null;
  blocks: unknown[] | null;
  metadata: unknown;
  edited: boolean;
}

/** One request, as received. The token is never recorded. */
export interface RecordedCall {
  method: string;
  /** `form` or `json`: how the body was encoded. */
  encoding: 'form' | 'json' | 'none';
  channel: string | null;
  thread_ts: string | null;
  /** The `ts` argument (chat.update), or the `ts` answered for a delivered message. */
  ts: string | null;
  text: string | null;
  blocks: unknown[] | null;
  metadata: unknown;
  reply_broadcast: boolean | null;
  /**
   * What the server did: `ok`, `error:<code>`, `http:<status>`, `hung`, or `accepted-unanswered`
   * (the message was taken, the answer never reached the client).
   */
  outcome: string;
}

/** Slack `ok: false` errors the tests inject. */
export type SlackErrorCode =
  | 'channel_not_found'
  | 'not_in_channel'
  | 'is_archived'
  | 'invalid_auth'
  | 'not_authed'
  | 'token_revoked'
  | 'token_expired'
  | 'account_inactive'
  | 'missing_scope'
  | 'ratelimited'
  | 'message_not_found'
  | 'cant_update_message'
  | 'edit_window_closed'
  | 'internal_error'
  | 'fatal_error'
  | 'service_unavailable'
  | 'request_timeout'
  | 'invalid_blocks'
  | 'invalid_blocks_format'
  | 'msg_too_long'
  | 'no_text'
  | 'invalid_arguments'
  | 'invalid_metadata_format'
  | 'invalid_metadata_schema'
  | 'too_many_attachments'
  | 'no_such_subteam'
  /** A code Slack may add one day, unknown to the watcher. */
  | 'some_future_error';

/** A fault for the next matching calls. */
export type Fault =
  | {kind: 'rate-limit'; retryAfterSeconds: number | null}
  | {kind: 'http'; status: 500 | 502 | 503 | 504}
  | {kind: 'hang'}
  | {kind: 'error'; error: SlackErrorCode}
  /** The post is stored (Slack did it), then the request hangs until released or closed. */
  | {kind: 'accept-then-hang'}
  /** The post is stored, then the connection is cut before any answer. */
  | {kind: 'accept-then-drop'};

interface QueuedFault {
  fault: Fault;
  remaining: number;
  methods: string[] | null;
}

/** A running fake Slack API. */
export interface SlackApiServer {
  /** Base URL for `WebClient`'s `slackApiUrl`, e.g. `http://127.0.0.1:PORT/api/`. */
  apiUrl: string;
  /** A click's `response_url` on this server; what is posted to it lands in `responses`. */
  responseUrl(id: string): string;
  /** Posts to `response_url`s, in order. */
  responses: ResponseUrlPost[];
  calls: RecordedCall[];
  /** Calls that Slack accepted (outcome `ok`, or taken with the answer lost). */
  accepted(): RecordedCall[];
  /** Stored messages of a channel, oldest first (thread replies included). */
  messagesOf(channel: string): StoredMessage[];
  /** The stored message, or undefined. */
  message(channel: string, ts: string): StoredMessage | undefined;
  /**
   * Stores messages as if posted earlier (e.g. by a previous release, for upgrade tests);
   * later posts get `ts` values after the newest seeded one. Not recorded as calls.
   */
  seed(messages: Array<{channel: string; ts: string; thread_ts?: string | null}>): void;
  /** Applies `fault` to the next `times` calls (of `methods`, when given). */
  inject(fault: Fault, options?: {times?: number; methods?: string[]}): void;
  /** Resolves once `count` requests are hanging (to act while one is held). */
  whenHanging(count?: number): Promise<void>;
  /** Lets hung requests through (answered normally, if the client still listens). */
  releaseHung(): void;
  close(): Promise<void>;
}

/** One post to a click's `response_url`. */
export interface ResponseUrlPost {
  id: string;
  body: {response_type?: string; replace_original?: boolean; text?: string};
}

const RESPONSE_PATH = '/actions/';

/** Slack's own limits on what it accepts, so a too-long block fails here as it would there. */
const MAX_BLOCKS = 50;
const MAX_SECTION_TEXT_CHARS = 3000;
const MAX_HEADER_TEXT_CHARS = 150;
const MAX_FIELD_TEXT_CHARS = 2000;
const MAX_FIELDS = 10;
/** `ts` values start here and increase by one second per message, like real ones do. */
const FIRST_TS_SECONDS = 1_700_000_000;

/** Slack's pace on posts per channel, as the server enforces it. */
export interface RateLimit {
  /** Posts a channel takes at once. */
  burst: number;
  /** One more post per this interval. */
  intervalMs: number;
}

/** Starts the server on 127.0.0.1 on a free port. */
export async function startSlackApiServer(options: {
  token: string;
  channels?: FakeChannel[];
  /** Milliseconds since the epoch, for `ts` values and the rate limit; default a counter. */
  clock?: () => number;
  /** Enforce a pace on chat.postMessage per channel (needs `clock`). */
  rateLimit?: RateLimit;
  /** Whether the app has channels:history/groups:history; default true. */
  historyScope?: boolean;
  /** The workspace `auth.test` answers; default T0EXAMPLE1. */
  teamId?: string;
  /** User groups and their members, for `usergroups.users.list`. */
  usergroups?: Record<string, string[]>;
}): Promise<SlackApiServer> {
  const expectedToken = options.token;
  const channels: FakeChannel[] = options.channels ?? [{id: 'C0ALERTS01', name: 'alerts'}];
  const messages = new Map<string, StoredMessage>();
  const calls: RecordedCall[] = [];
  const faults: QueuedFault[] = [];
  const hung: Array<() => void> = [];
  const hangWaiters: Array<{count: number; resolve: () => void}> = [];
  let nextTs = 0;
  let lastClockTs = 0;
  const buckets = new Map<string, {tokens: number; atMs: number}>();
  const responses: ResponseUrlPost[] = [];

  const key = (channel: string, ts: string) => `${channel}/${ts}`;

  /** A fresh `ts`: from the clock when there is one (unique, increasing), else a counter. */
  function newTs(): string {
    if (options.clock === undefined) return `${FIRST_TS_SECONDS + nextTs++}.000100`;
    // Microseconds, like Slack's six decimals; bumped so two posts never share one.
    const micros = Math.max(Math.floor(options.clock() * 1000), lastClockTs + 1);
    lastClockTs = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  /** Seconds to wait before the channel takes another post; 0 when it takes this one. */
  function rateLimited(channel: string): number {
    const limit = options.rateLimit;
    if (limit === undefined || options.clock === undefined) return 0;
    const now = options.clock();
    const bucket = buckets.get(channel) ?? {tokens: limit.burst, atMs: now};
    bucket.tokens = Math.min(limit.burst, bucket.tokens + (now - bucket.atMs) / limit.intervalMs);
    bucket.atMs = now;
    buckets.set(channel, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * limit.intervalMs) / 1000));
  }

  function history(params: Record<string, unknown>, method: string): object {
    const channelArg = stringOrNull(params.channel) ?? '';
    const channel = channels.find(c => c.id === channelArg);
    if (channel === undefined) return {ok: false, error: 'channel_not_found'};
    if (channel.member === false) return {ok: false, error: 'not_in_channel'};
    const inclusive = truthy(params.inclusive);
    const oldest = Number(stringOrNull(params.oldest) ?? '0');
    const latest = Number(stringOrNull(params.latest) ?? 'Infinity');
    const threadTs = stringOrNull(params.ts);
    if (
      method === 'conversations.replies' &&
      (threadTs === null || !messages.has(key(channel.id, threadTs)))
    ) {
      return {ok: false, error: 'thread_not_found'};
    }
    const inWindow = (ts: string) => {
      const t = Number(ts);
      return (inclusive ? t >= oldest : t > oldest) && (inclusive ? t <= latest : t < latest);
    };
    const all = [...messages.values()]
      .filter(m => m.channel === channel.id)
      .filter(m =>
        method === 'conversations.history'
          ? m.thread_ts === null
          : m.ts === threadTs || m.thread_ts === threadTs,
      )
      .filter(m => inWindow(m.ts))
      .sort((a, b) => Number(b.ts) - Number(a.ts));
    // Replies read oldest first, the parent on top; history newest first.
    if (method === 'conversations.replies') all.reverse();
    const limit = Math.max(1, Math.min(999, Number(stringOrNull(params.limit) ?? '100') || 100));
    const offset = Number(
      Buffer.from(stringOrNull(params.cursor) ?? '', 'base64').toString() || '0',
    );
    const page = all.slice(offset, offset + limit);
    const more = offset + limit < all.length;
    const withMetadata = truthy(params.include_all_metadata);
    return {
      ok: true,
      messages: page.map(m => ({
        ...messageBody(m),
        ...(withMetadata && m.metadata !== null ? {metadata: m.metadata} : {}),
      })),
      has_more: more,
      response_metadata: {
        next_cursor: more ? Buffer.from(String(offset + limit)).toString('base64') : '',
      },
    };
  }

  function findChannel(value: string): FakeChannel | undefined {
    const name = value.startsWith('#') ? value.slice(1) : value;
    return channels.find(c => c.id === value || c.name === name);
  }

  function takeFault(method: string): Fault | null {
    const index = faults.findIndex(f => f.methods === null || f.methods.includes(method));
    const queued = faults[index];
    if (queued === undefined) return null;
    queued.remaining--;
    if (queued.remaining <= 0) faults.splice(index, 1);
    return queued.fault;
  }

  function notifyHangWaiters(): void {
    for (const waiter of [...hangWaiters]) {
      if (hung.length >= waiter.count) {
        hangWaiters.splice(hangWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(error => {
      res.writeHead(500, {'content-type': 'text/plain'});
      res.end(String(error));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = url.pathname.replace(/^\/api\//, '');
    const raw = await readBody(req);
    if (req.method === 'POST' && url.pathname.startsWith(RESPONSE_PATH)) {
      // A click's response_url: Slack takes up to 5 posts to it, JSON, and answers `ok`.
      responses.push({id: url.pathname.slice(RESPONSE_PATH.length), body: JSON.parse(raw)});
      res.writeHead(200, {'content-type': 'text/plain'});
      res.end('ok');
      return;
    }
    const {params, encoding} = parseBody(req.headers['content-type'], raw);
    const call: RecordedCall = {
      method,
      encoding,
      channel: stringOrNull(params.channel),
      thread_ts: stringOrNull(params.thread_ts),
      ts: stringOrNull(params.ts),
      text: stringOrNull(params.text),
      blocks: null,
      // Known from the start, so a test can tell which notification a held request carries.
      metadata: metadataOf(params.metadata),
      reply_broadcast: params.reply_broadcast === undefined ? null : truthy(params.reply_broadcast),
      outcome: 'ok',
    };
    calls.push(call);
    const reply = (status: number, body: object, headers: Record<string, string> = {}) => {
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(status, {'content-type': 'application/json; charset=utf-8', ...headers});
      res.end(JSON.stringify(body));
    };
    const fail = (error: string, extra: object = {}) => {
      call.outcome = `error:${error}`;
      reply(200, {ok: false, error, ...extra});
    };

    if (req.method !== 'POST' || !url.pathname.startsWith('/api/')) {
      call.outcome = 'http:404';
      reply(404, {ok: false, error: 'unknown_method'});
      return;
    }

    const fault = takeFault(method);
    if (fault !== null) {
      switch (fault.kind) {
        case 'rate-limit':
          call.outcome = 'http:429';
          reply(
            429,
            {ok: false, error: 'ratelimited'},
            fault.retryAfterSeconds === null
              ? {}
              : {'retry-after': String(fault.retryAfterSeconds)},
          );
          return;
        case 'http':
          call.outcome = `http:${fault.status}`;
          res.writeHead(fault.status, {'content-type': 'text/html'});
          res.end(`<html><body>${fault.status}</body></html>`);
          return;
        case 'hang':
          call.outcome = 'hung';
          await new Promise<void>(resolve => {
            hung.push(resolve);
            notifyHangWaiters();
          });
          // Released: answered normally below; Slack did the work even if the client left.
          call.outcome = 'ok';
          break;
        case 'error':
          fail(fault.error);
          return;
        case 'accept-then-hang':
        case 'accept-then-drop':
          // Handled once the post is stored, below.
          break;
      }
    }
    const lose =
      fault?.kind === 'accept-then-hang' || fault?.kind === 'accept-then-drop' ? fault : null;

    // Authentication, as Slack does it: header first, else a `token` field.
    const header = req.headers.authorization;
    const presented = header?.startsWith('Bearer ')
      ? header.slice('Bearer '.length)
      : stringOrNull(params.token);
    if (presented === null || presented === '') return fail('not_authed');
    if (presented !== expectedToken) return fail('invalid_auth');

    switch (method) {
      case 'conversations.history':
      case 'conversations.replies': {
        if (options.historyScope === false) {
          return fail('missing_scope', {
            needed: 'channels:history,groups:history,mpim:history,im:history',
            provided: 'chat:write',
          });
        }
        const answer = history(params, method) as {ok: boolean; error?: string};
        if (!answer.ok) return fail(answer.error ?? 'unknown');
        reply(200, answer);
        return;
      }
      case 'auth.test':
        call.outcome = 'ok';
        reply(200, {
          ok: true,
          url: 'https://example.slack.com/',
          team: 'Example',
          user: 'cronjob-watcher',
          team_id: options.teamId ?? 'T0EXAMPLE1',
          user_id: 'U0WATCHER1',
          bot_id: 'B0WATCHER1',
        });
        return;
      case 'usergroups.users.list': {
        const members = options.usergroups?.[stringOrNull(params.usergroup) ?? ''];
        if (members === undefined) return fail('no_such_subteam');
        reply(200, {ok: true, users: members});
        return;
      }
      case 'chat.postMessage':
      case 'chat.update': {
        const channelArg = call.channel;
        if (channelArg === null || channelArg === '') return fail('channel_not_found');
        // chat.update takes only channel IDs; chat.postMessage also takes names.
        const channel =
          method === 'chat.update'
            ? channels.find(c => c.id === channelArg)
            : findChannel(channelArg);
        if (channel === undefined) return fail('channel_not_found');
        if (channel.archived === true) return fail('is_archived');
        if (channel.member === false) return fail('not_in_channel');
        const parsed = parseJsonField(params.blocks);
        if (parsed === 'invalid') return fail('invalid_blocks_format');
        const blocks = parsed as unknown[] | null;
        if (blocks !== null && !Array.isArray(blocks)) return fail('invalid_blocks_format');
        call.blocks = blocks;
        const blocksProblem = blocks === null ? null : checkBlocks(blocks);
        if (blocksProblem !== null) return fail('invalid_blocks', {errors: [blocksProblem]});
        const metadata = parseJsonField(params.metadata);
        if (metadata === 'invalid') return fail('invalid_metadata_format');
        call.metadata = metadata;
        if ((call.text ?? '') === '' && blocks === null) return fail('no_text');

        if (method === 'chat.update') {
          const ts = call.ts;
          const stored = ts === null ? undefined : messages.get(key(channel.id, ts));
          if (ts === null || stored === undefined) return fail('message_not_found');
          stored.text = call.text;
          stored.blocks = blocks;
          if (metadata !== null) stored.metadata = metadata;
          stored.edited = true;
          reply(200, {
            ok: true,
            channel: channel.id,
            ts,
            text: call.text ?? '',
            message: messageBody(stored),
          });
          return;
        }
        const threadTs = call.thread_ts;
        if (threadTs !== null && !messages.has(key(channel.id, threadTs))) {
          return fail('thread_not_found');
        }
        const waitSeconds = rateLimited(channel.id);
        if (waitSeconds > 0) {
          call.outcome = 'http:429';
          reply(429, {ok: false, error: 'ratelimited'}, {'retry-after': String(waitSeconds)});
          return;
        }
        const ts = newTs();
        const stored: StoredMessage = {
          channel: channel.id,
          ts,
          thread_ts: threadTs,
          text: call.text,
          blocks,
          metadata,
          edited: false,
        };
        messages.set(key(channel.id, ts), stored);
        call.ts = ts;
        if (lose !== null) {
          call.outcome = 'accepted-unanswered';
          if (lose.kind === 'accept-then-drop') {
            res.socket?.destroy();
            return;
          }
          await new Promise<void>(resolve => {
            hung.push(resolve);
            notifyHangWaiters();
          });
          // Released: the client gave up long ago; nothing to answer.
          res.socket?.destroy();
          return;
        }
        reply(200, {ok: true, channel: channel.id, ts, message: messageBody(stored)});
        return;
      }
      default:
        fail('unknown_method');
        return;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const {port} = server.address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    responseUrl: id => `http://127.0.0.1:${port}${RESPONSE_PATH}${id}`,
    responses,
    calls,
    accepted: () => calls.filter(c => c.outcome === 'ok' || c.outcome === 'accepted-unanswered'),
    messagesOf: channel =>
      [...messages.values()]
        .filter(m => m.channel === channel)
        .sort((a, b) => Number(a.ts) - Number(b.ts)),
    message: (channel, ts) => messages.get(key(channel, ts)),
    seed(seeded) {
      for (const m of seeded) {
        messages.set(key(m.channel, m.ts), {
          channel: m.channel,
          ts: m.ts,
          thread_ts: m.thread_ts ?? null,
          text: null,
          blocks: null,
          metadata: null,
          edited: false,
        });
        nextTs = Math.max(nextTs, Math.floor(Number(m.ts)) - FIRST_TS_SECONDS + 1);
      }
    },
    inject(fault, {times = 1, methods} = {}) {
      faults.push({fault, remaining: times, methods: methods ?? null});
    },
    whenHanging(count = 1) {
      if (hung.length >= count) return Promise.resolve();
      return new Promise(resolve => hangWaiters.push({count, resolve}));
    },
    releaseHung() {
      for (const release of hung.splice(0)) release();
    },
    async close() {
      for (const release of hung.splice(0)) release();
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

function messageBody(stored: StoredMessage): object {
  return {
    type: 'message',
    user: 'U0WATCHER1',
    bot_id: 'B0WATCHER1',
    ts: stored.ts,
    text: stored.text ?? '',
    ...(stored.blocks === null ? {} : {blocks: stored.blocks}),
    ...(stored.thread_ts === null ? {} : {thread_ts: stored.thread_ts}),
    ...(stored.edited ? {edited: {user: 'U0WATCHER1', ts: stored.ts}} : {}),
  };
}

/** The first block that breaks one of Slack's limits, described; null when all are fine. */
function checkBlocks(blocks: unknown[]): string | null {
  if (blocks.length > MAX_BLOCKS) return `more than ${MAX_BLOCKS} blocks`;
  for (const [i, block] of blocks.entries()) {
    const b = block as {type?: unknown; text?: {text?: unknown}; fields?: unknown};
    const text = typeof b.text?.text === 'string' ? b.text.text : null;
    if (b.type === 'header' && (text === null || text.length > MAX_HEADER_TEXT_CHARS)) {
      return `must be less than ${MAX_HEADER_TEXT_CHARS + 1} characters [json-pointer:/blocks/${i}/text]`;
    }
    if (b.type === 'section') {
      if (text !== null && text.length > MAX_SECTION_TEXT_CHARS) {
        return `must be less than ${MAX_SECTION_TEXT_CHARS + 1} characters [json-pointer:/blocks/${i}/text]`;
      }
      if (Array.isArray(b.fields)) {
        if (b.fields.length > MAX_FIELDS) return `must be less than ${MAX_FIELDS + 1} items`;
        for (const f of b.fields as Array<{text?: unknown}>) {
          if (typeof f.text !== 'string' || f.text.length > MAX_FIELD_TEXT_CHARS) {
            return `must be less than ${MAX_FIELD_TEXT_CHARS + 1} characters [json-pointer:/blocks/${i}/fields]`;
          }
        }
      }
    }
  }
  return null;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(
  contentType: string | undefined,
  raw: string,
): {params: Record<string, unknown>; encoding: RecordedCall['encoding']} {
  if (raw === '') return {params: {}, encoding: 'none'};
  if (contentType?.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(raw);
    return {params: (parsed ?? {}) as Record<string, unknown>, encoding: 'json'};
  }
  return {params: Object.fromEntries(new URLSearchParams(raw)), encoding: 'form'};
}

/** A JSON field: an object as sent in a JSON body, or JSON text inside a form field. */
function parseJsonField(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return 'invalid';
  }
}

function metadataOf(value: unknown): unknown {
  const parsed = parseJsonField(value);
  return parsed === 'invalid' ? null : parsed;
}

function stringOrNull(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return String(value);
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === '1';
}
