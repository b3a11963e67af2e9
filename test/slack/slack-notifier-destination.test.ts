/**
 * The Slack notifier and an incident's stored destination: where each message goes, the
 * language it is written in, and the quiet closing of a muted incident — with the real
 * `WebClient` against the local Slack API server.
 */
import {after, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {SlackNotifier, createSlackClient} from '../../functions/adapters/slack-notifier.js';
import type {Destination, FailingIncident} from '../../functions/core/incident.js';
import {startSlackApiServer, type SlackApiServer} from '../support/slack-api-server.js';
import {
  CLOSED_INCIDENT,
  OPEN_INCIDENT,
  TOKEN,
  context,
  notification,
} from '../support/notification-fixtures.js';

const servers: SlackApiServer[] = [];
after(async () => {
  await Promise.all(servers.map(s => s.close()));
});

async function setup(): Promise<{server: SlackApiServer; notifier: SlackNotifier}> {
  const server = await startSlackApiServer({
    token: TOKEN,
    channels: [
      {id: 'C0ALERTS01', name: 'alerts'},
      {id: 'C0TEAM0001', name: 'team'},
    ],
  });
  servers.push(server);
  const client = createSlackClient({token: TOKEN, apiUrl: server.apiUrl});
  return {server, notifier: new SlackNotifier(client, {channel: '#alerts'})};
}

const inAMinute = () => new Date(Date.now() + 60_000);

/** A notifier whose SLACK_CHANNEL already holds the opening of OPEN_INCIDENT. */
async function setupWithOpening() {
  const {server, notifier} = await setup();
  const opening = await notifier.deliver(
    notification('opened', OPEN_INCIDENT),
    context(),
    inAMinute(),
  );
  assert.ok(opening);
  return {server, notifier, opening};
}
const TEAM: Destination = {channel: '#team', language: 'ja', mention: null, runbook: null};

describe('SlackNotifier: the destination stored with the incident', () => {
  it("posts an opening to the incident's channel, in its language", async () => {
    const {server, notifier} = await setup();
    const incident: FailingIncident = {...OPEN_INCIDENT, destination: TEAM};
    const delivered = await notifier.deliver(
      notification('opened', incident),
      context(),
      inAMinute(),
    );
    const [call] = server.accepted();
    assert.equal(call?.channel, '#team');
    assert.equal(delivered?.channel, 'C0TEAM0001', 'the thread keeps the ID Slack answered');
    assert.match(call?.text ?? '', /失敗しました/);
  });

  it('without one, SLACK_CHANNEL', async () => {
    const {server, notifier} = await setup();
    await notifier.deliver(notification('opened', OPEN_INCIDENT), context(), inAMinute());
    assert.equal(server.accepted()[0]?.channel, '#alerts');
  });

  it('a closing goes to the thread, not to where the destination says now', async () => {
    const {server, notifier, opening} = await setupWithOpening();
    const moved: FailingIncident = {...CLOSED_INCIDENT, destination: TEAM};
    await notifier.deliver(notification('closed', moved), context(opening), inAMinute());
    const [, update, reply] = server.accepted();
    assert.equal(update?.method, 'chat.update');
    assert.equal(update?.channel, 'C0ALERTS01');
    assert.equal(reply?.channel, 'C0ALERTS01');
    assert.equal(reply?.thread_ts, opening.ts);
  });

  it('muted: one reply in the thread and no update; nothing at all without a thread', async () => {
    const {server, notifier, opening} = await setupWithOpening();
    const muted: FailingIncident = {
      ...OPEN_INCIDENT,
      closedAt: '2024-05-01T11:00:00Z',
      ending: {type: 'muted', at: '2024-05-01T11:00:00Z'},
    };
    await notifier.deliver(notification('closed', muted), context(opening), inAMinute());
    assert.deepEqual(
      server.accepted().map(c => [c.method, c.thread_ts]),
      [
        ['chat.postMessage', null],
        ['chat.postMessage', opening.ts],
      ],
    );
    assert.match(server.accepted()[1]?.text ?? '', /^Muted: /);
    await notifier.deliver(notification('closed', muted), context(null), inAMinute());
    assert.equal(server.calls.length, 2);
  });
});
