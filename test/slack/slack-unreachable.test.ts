/**
 * Slack that cannot be reached, through the real `@slack/web-api` client: a refused
 * connection (nothing listens: the next second is no different) fails at once, with no
 * backoff, so a CLI user is not kept waiting; a connection that drops (a blip) is still
 * retried with backoff. Waits are recorded, not slept.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type {AddressInfo} from 'node:net';
import {NotifyError} from '../../functions/core/errors.js';
import {
  MAX_ATTEMPTS,
  SlackNotifier,
  createSlackClient,
} from '../../functions/adapters/slack-notifier.js';
import {freePort} from '../support/free-port.js';
import {OPEN_INCIDENT, TOKEN, context, notification} from '../support/notification-fixtures.js';

function notifierAt(apiUrl: string): {notifier: SlackNotifier; sleeps: number[]} {
  const sleeps: number[] = [];
  const client = createSlackClient({token: TOKEN, apiUrl});
  const notifier = new SlackNotifier(client, {
    channel: '#alerts',
    sleep: async ms => {
      sleeps.push(ms);
    },
  });
  return {notifier, sleeps};
}

async function deliveryError(notifier: SlackNotifier): Promise<NotifyError> {
  const deadline = new Date(Date.now() + 60_000);
  try {
    await notifier.deliver(notification('opened', OPEN_INCIDENT), context(), deadline);
  } catch (error) {
    assert.ok(error instanceof NotifyError, String(error));
    return error;
  }
  throw new Error('delivered to a Slack that cannot be reached');
}

describe('Slack that cannot be reached', () => {
  it('connection refused: one attempt, no backoff, retryable by a later pass', async () => {
    const {notifier, sleeps} = notifierAt(`http://127.0.0.1:${await freePort()}/api/`);
    const error = await deliveryError(notifier);
    assert.equal(error.code, 'SLACK_UNREACHABLE');
    assert.equal(error.retryable, true);
    assert.match(error.message, /ECONNREFUSED/);
    assert.match(error.message, /SLACK_API_URL/);
    assert.deepEqual(sleeps, [], 'no wait before giving up');
  });

  it('connection dropped by the server: retried with backoff, as before', async () => {
    let connections = 0;
    const server = net.createServer(socket => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const {notifier, sleeps} = notifierAt(`http://127.0.0.1:${port}/api/`);
      const error = await deliveryError(notifier);
      assert.equal(error.retryable, true);
      assert.equal(sleeps.length, MAX_ATTEMPTS - 1, `waits: ${sleeps.join(', ')}`);
      assert.equal(connections, MAX_ATTEMPTS);
    } finally {
      await new Promise(resolve => server.close(resolve));
    }
  });
});
