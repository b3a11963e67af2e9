/**
 * The `slackActions` handler served by functions-framework on 127.0.0.1, with the real
 * `@slack/web-api` client talking to the local Slack server, a real store (the file store, or
 * Firestore through the emulator), and clicks signed the way Slack documents: HMAC-SHA256 over
 * `v0:{timestamp}:{raw body}` with the signing secret, sent as a form field `payload`.
 */
import {createHmac, randomUUID} from 'node:crypto';
import type {Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import * as functions from '@google-cloud/functions-framework';
import {getTestServer} from '@google-cloud/functions-framework/testing';
import {limitRequestBodies} from '../../functions/body-limit.js';
import {createSlackClient, SlackNotifier} from '../../functions/adapters/slack-notifier.js';
import {WebSlackWorkspace} from '../../functions/adapters/slack-workspace.js';
import type {FailingIncident, SubjectRecord} from '../../functions/core/incident.js';
import {blankRecord} from '../../functions/core/incident.js';
import type {ClusterRef} from '../../functions/core/model.js';
import type {Logger} from '../../functions/logger.js';
import type {IncidentStore} from '../../functions/ports.js';
import {createSlackActionsHandler} from '../../functions/slack-actions.js';
import {deliverCluster} from '../../functions/delivery.js';
import {silentLogger} from '../../functions/logger.js';
import {PassState} from '../../functions/pass-state.js';
import {startSlackApiServer, type SlackApiServer} from '../support/slack-api-server.js';

export const TOKEN = 'xoxb-actions-test';
export const SECRET = '8f742231b10e8888abcd99000000a5a5';
export const TEAM = 'T0EXAMPLE1';
export const CHANNEL = 'C0ALERTS01';
export const OPENING_TS = '1772414400.000100';
export const CLUSTER: ClusterRef = {
  id: 'projects/acme-prod/locations/europe-west1/clusters/prod-eu',
  name: 'prod-eu',
  project: 'acme-prod',
  location: 'europe-west1',
};
export const KEY = 'batch/backup';
const RUN = {
  job: 'backup-29540220',
  jobUid: 'job-uid-1',
  manual: false,
  at: '2026-03-02T01:06:00Z',
  reason: 'BackoffLimitExceeded',
  message: 'Job has reached the specified backoff limit',
  detail: null,
};
export const INCIDENT: FailingIncident = {
  kind: 'failing',
  id: 'cj-uid/job-uid-1',
  openedAt: '2026-03-02T01:06:00Z',
  openedBy: RUN,
  latestFailure: RUN,
  failedRuns: 1,
  closedAt: null,
  ending: null,
};

/** The button value that names INCIDENT, written out as the message carries it. */
export const REF_VALUE = JSON.stringify({
  v: 1,
  c: CLUSTER,
  k: KEY,
  n: 'failing',
  i: INCIDENT.id,
});

/** A record with INCIDENT open and its opening message delivered. */
export function openRecord(): SubjectRecord {
  return {
    ...blankRecord(
      CLUSTER.id,
      {type: 'cronjob', namespace: 'batch', name: 'backup', uid: 'cj-uid', schedule: '0 * * * *'},
      new Date('2026-03-02T01:10:00Z'),
    ),
    open: {failing: INCIDENT},
    threads: [{incidentId: INCIDENT.id, channel: CHANNEL, ts: OPENING_TS}],
  };
}

/** Log lines, kept for assertions (and never holding the secret). */
export class MemoryLogger implements Logger {
  readonly lines: string[] = [];
  log(severity: string, message: string, fields: object = {}): void {
    this.lines.push(`${severity} ${message} ${JSON.stringify(fields)}`);
  }
}

export interface Harness {
  url: string;
  slack: SlackApiServer;
  logger: MemoryLogger;
  close(): Promise<void>;
}

/** Serves a handler over `store`; `usergroups` limits who may act. */
export async function startHarness(
  store: IncidentStore,
  options: {
    usergroups?: string[];
    now?: () => Date;
    slack?: SlackApiServer;
    /** The notifier's pace per channel (default Slack's, one post a second). */
    postIntervalMs?: number;
    /** The clock request timestamps are judged by (ms); default the real one. */
    wallNowMs?: () => number;
    /** The answer budget; default the function's (ANSWER_BUDGET_MS). */
    budgetMs?: number;
    /** The bot token the handler's client presents; default TOKEN. */
    token?: string;
  } = {},
): Promise<Harness> {
  limitRequestBodies();
  const slack =
    options.slack ??
    (await startSlackApiServer({
      token: TOKEN,
      channels: [{id: CHANNEL, name: 'alerts'}],
      usergroups: {S0ONCALL01: ['U0ALICE001']},
    }));
  slack.seed([{channel: CHANNEL, ts: OPENING_TS}]);
  const client = createSlackClient({token: options.token ?? TOKEN, apiUrl: slack.apiUrl});
  const logger = new MemoryLogger();
  const handler = createSlackActionsHandler(
    {
      signingSecret: SECRET,
      usergroups: options.usergroups ?? null,
      language: 'en',
      ...(options.budgetMs === undefined ? {} : {budgetMs: options.budgetMs}),
    },
    {
      store,
      notifier: new SlackNotifier(client, {
        channel: CHANNEL,
        ...(options.postIntervalMs === undefined ? {} : {postIntervalMs: options.postIntervalMs}),
      }),
      workspace: new WebSlackWorkspace(client, {allowedOrigin: new URL(slack.apiUrl).origin}),
      logger,
      now: options.now ?? (() => new Date()),
    },
    options.wallNowMs,
  );
  const target = `slackActions-${randomUUID()}`;
  functions.http(target, handler);
  const server: Server = getTestServer(target);
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    slack,
    logger,
    async close() {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
      if (options.slack === undefined) await slack.close();
    },
  };
}

/** A click's payload, as Slack sends it for one of our controls. */
export function clickPayload(options: {
  user?: string;
  team?: string;
  actionId?: string;
  value?: string;
  selected?: string;
  actionTs?: string;
  responseId?: string;
  slack: SlackApiServer;
}): object {
  const actionId = options.actionId ?? 'cronjob-watcher:acknowledge';
  const menu = options.selected !== undefined;
  const value = options.value ?? REF_VALUE;
  return {
    type: 'block_actions',
    team: {id: options.team ?? TEAM, domain: 'example'},
    user: {id: options.user ?? 'U0ALICE001', username: 'alice', team_id: options.team ?? TEAM},
    api_app_id: 'A0WATCHER1',
    container: {type: 'message', message_ts: OPENING_TS, channel_id: CHANNEL, is_ephemeral: false},
    channel: {id: CHANNEL, name: 'alerts'},
    message: {
      type: 'message',
      ts: OPENING_TS,
      blocks: [
        {
          type: 'actions',
          block_id: 'actions',
          elements: [
            {type: 'button', action_id: 'cronjob-watcher:acknowledge', value},
            {type: 'static_select', action_id: 'cronjob-watcher:snooze'},
          ],
        },
      ],
    },
    response_url: options.slack.responseUrl(options.responseId ?? randomUUID()),
    actions: [
      {
        type: menu ? 'static_select' : 'button',
        action_id: actionId,
        block_id: 'actions',
        ...(menu
          ? {selected_option: {text: {type: 'plain_text', text: 'x'}, value: options.selected}}
          : {value}),
        action_ts: options.actionTs ?? (Date.now() / 1000).toFixed(6),
      },
    ],
  };
}

/** The form body Slack posts for a payload. */
export function formOf(payload: object): string {
  return new URLSearchParams({payload: JSON.stringify(payload)}).toString();
}

/** Slack's signature headers for `body` sent at `timestampS`. */
export function signed(
  body: string,
  timestampS = Math.floor(Date.now() / 1000),
  secret = SECRET,
): Record<string, string> {
  const signature = createHmac('sha256', secret).update(`v0:${timestampS}:${body}`).digest('hex');
  return {
    'x-slack-request-timestamp': String(timestampS),
    'x-slack-signature': `v0=${signature}`,
  };
}

/** POSTs a form body with headers; resolves to the status, body and how long it took. */
export async function post(
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<{status: number; text: string; ms: number}> {
  const started = performance.now();
  const answer = await fetch(url, {
    method: 'POST',
    headers: {'content-type': 'application/x-www-form-urlencoded', ...headers},
    body,
  });
  const text = await answer.text();
  return {status: answer.status, text, ms: performance.now() - started};
}

/** Signs and posts one click. */
export function click(h: Harness, options: Omit<Parameters<typeof clickPayload>[0], 'slack'> = {}) {
  const body = formOf(clickPayload({...options, slack: h.slack}));
  return post(h.url, body, signed(body));
}

/**
 * What the next scheduled pass does for the record: deliver what its outbox still owes, with
 * the same delivery the pass runs (delivery.ts).
 */
export async function nextPassDelivers(store: IncidentStore, slack: SlackApiServer): Promise<void> {
  const usage = {reads: 0, writes: 0};
  const record = await store.update(CLUSTER.id, KEY, () => null, usage);
  if (record === null) return;
  const state = new PassState(
    {
      source: {clusters: () => Promise.resolve({clusters: [], failures: []})},
      store,
      notifier: new SlackNotifier(createSlackClient({token: TOKEN, apiUrl: slack.apiUrl}), {
        channel: CHANNEL,
      }),
      logger: silentLogger,
      now: () => new Date(),
      namespaces: null,
      budgetMs: 30_000,
      concurrency: 1,
      dryRun: false,
      clusterDownAfter: 3,
    },
    'next-pass',
  );
  await deliverCluster(state, CLUSTER, new Map([[KEY, record]]), usage, false);
}
