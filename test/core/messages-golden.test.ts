/**
 * Today's messages are the reviewed ones: every notification in test/fixtures/messages-v2
 * (written on purpose by test/tools/generate-message-fixtures.ts from the table in
 * test/support/message-cases.ts, then read) is built and rendered for Slack and the console
 * and compared with the file, byte for byte.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import type {PendingNotification, StormSend, StormState} from '../../functions/core/incident.js';
import type {ClusterRef} from '../../functions/core/model.js';
import type {MessageContext} from '../../functions/core/messages/model.js';
import {
  GOLDEN_MESSAGES_DIR,
  renderedMessages,
  renderedStorm,
  type RenderedMessages,
} from '../support/golden-messages.js';
import {messageCases, stormCases} from '../support/message-cases.js';

interface GoldenCase {
  notification: PendingNotification;
  context: MessageContext;
  expected: RenderedMessages;
}

/** A storm parent's file (issue 22 §1). */
interface GoldenStorm {
  storm: StormState;
  cluster: ClusterRef;
  send?: StormSend;
  expected: ReturnType<typeof renderedStorm>;
}

const DIR = GOLDEN_MESSAGES_DIR;
const FILES = readdirSync(DIR).filter(name => name.endsWith('.json'));

describe('messages are the reviewed ones (test/fixtures/messages-v2)', () => {
  it('has a file for every row of the table, and no other', () => {
    // A row added without regenerating, or a file left behind, would go unnoticed.
    assert.deepEqual(
      FILES.map(f => f.replace(/\.json$/, '')).sort(),
      [...messageCases(), ...stormCases()].map(c => c.name).sort(),
    );
  });

  for (const file of FILES) {
    it(file.replace(/\.json$/, ''), () => {
      const golden = JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as
        GoldenCase | GoldenStorm;
      if ('storm' in golden) {
        assert.deepEqual(renderedStorm(golden.storm, golden.cluster, golden.send), golden.expected);
        return;
      }
      assert.deepEqual(renderedMessages(golden.notification, golden.context), golden.expected);
    });
  }
});
