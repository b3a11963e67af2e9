import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {ConsoleNotifier} from '../../functions/adapters/console-notifier.js';
import {renderConsole} from '../../functions/core/messages/render-console.js';
import {
  CLOSED_INCIDENT,
  OPEN_INCIDENT,
  context,
  messageOf,
  notification,
} from '../support/notification-fixtures.js';

function sink() {
  const chunks: string[] = [];
  return {out: {write: (text: string) => chunks.push(text)}, text: () => chunks.join('')};
}

const DEADLINE = new Date('2030-01-01T00:00:00Z');

describe('ConsoleNotifier', () => {
  it('prints the opening message readably and hands back a message to thread under', async () => {
    const {out, text} = sink();
    const notifier = new ConsoleNotifier({out});
    const delivered = await notifier.deliver(
      notification('opened', OPEN_INCIDENT),
      context(),
      DEADLINE,
    );
    assert.deepEqual(delivered, {incidentId: OPEN_INCIDENT.id, channel: 'console', ts: '1'});
    assert.equal(
      text(),
      `\n── Slack message 1 ──\n${renderConsole(messageOf('opened', OPEN_INCIDENT, 'post'))}\n`,
    );
    assert.ok(!text().includes('"type"'), 'no JSON');
    assert.ok(text().includes('Reason: BackoffLimitExceeded'));
  });

  it('prints a closing message as an update plus a reply in the thread', async () => {
    const {out, text} = sink();
    const notifier = new ConsoleNotifier({out});
    const thread = await notifier.deliver(
      notification('opened', OPEN_INCIDENT),
      context(),
      DEADLINE,
    );
    const before = text().length;
    const result = await notifier.deliver(
      notification('closed', CLOSED_INCIDENT),
      context(thread),
      DEADLINE,
    );
    assert.equal(result, null);
    assert.equal(
      text().slice(before),
      '\n── Slack message 1 updated ──\nnow titled: ✅ batch/backup recovered after 2h 5m · prod-eu\n' +
        '\n── Slack reply 2 in the thread of message 1 ──\n' +
        `${renderConsole(messageOf('closed', CLOSED_INCIDENT, 'reply'))}\n`,
    );
  });

  it('prints a standalone closing message when there is no thread, and recovered ones', async () => {
    const {out, text} = sink();
    const notifier = new ConsoleNotifier({out});
    await notifier.deliver(notification('closed', CLOSED_INCIDENT), context(null), DEADLINE);
    await notifier.deliver(notification('recovered', CLOSED_INCIDENT), context(), DEADLINE);
    assert.equal(
      text(),
      `\n── Slack message 1 ──\n${renderConsole(messageOf('closed', CLOSED_INCIDENT, 'standalone'))}\n` +
        `\n── Slack message 2 ──\n${renderConsole(messageOf('recovered', CLOSED_INCIDENT, 'post'))}\n`,
    );
  });
});
