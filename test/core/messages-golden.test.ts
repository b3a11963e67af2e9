/**
 * The messages are the ones release 0.1.0 sent, byte for byte: every notification in
 * test/fixtures/messages-v1 (written by that release's `format.ts`, see its README) is built
 * with the message model and rendered for Slack and for the console, and compared with what
 * the old code produced.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {PendingNotification} from '../../functions/core/incident.js';
import {buildMessages} from '../../functions/core/messages/build.js';
import type {Message, MessageContext} from '../../functions/core/messages/model.js';
import {renderConsole} from '../../functions/core/messages/render-console.js';
import {renderSlack, type SlackMessage} from '../../functions/core/messages/render-slack.js';

/** What the old code produced for one message. */
interface Rendered {
  slack: SlackMessage;
  console: string;
}

interface GoldenCase {
  notification: PendingNotification;
  context: MessageContext;
  expected:
    | {kind: 'opened' | 'recovered'; post: Rendered}
    | {kind: 'closed'; update: Rendered; reply: Rendered; standalone: Rendered};
}

// Compiled to build/test/core: the fixtures are three levels up, in the source tree.
const DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'test',
  'fixtures',
  'messages-v1',
);
const FILES = readdirSync(DIR).filter(name => name.endsWith('.json'));

function rendered(message: Message): Rendered {
  return {slack: renderSlack(message), console: renderConsole(message)};
}

describe('messages are those release 0.1.0 sent', () => {
  it('has the whole table', () => {
    // Opened, closed and recovered, failing and cluster: a lost file would go unnoticed.
    assert.equal(FILES.length, 38);
  });

  for (const file of FILES) {
    it(file.replace(/\.json$/, ''), () => {
      const golden = JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as GoldenCase;
      const built = buildMessages(golden.notification, golden.context);
      const actual =
        built.kind === 'closed'
          ? {
              kind: built.kind,
              update: rendered(built.update),
              reply: rendered(built.reply),
              standalone: rendered(built.standalone),
            }
          : {kind: built.kind, post: rendered(built.post)};
      assert.deepEqual(actual, golden.expected);
    });
  }
});
