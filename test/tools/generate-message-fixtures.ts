/**
 * Writes test/fixtures/messages-v2: for every row of the message table (test/support/
 * message-cases.ts) the notification, its context, and what today's code makes of it — every
 * Slack message (`text`, `blocks`) and its console rendering. Run on purpose, after a change to
 * the messages, then read every changed file before committing it:
 *
 *   npx tsc -p tsconfig.json && node build/test/tools/generate-message-fixtures.js
 *
 * Not a test: `npm test` only compares (test/core/messages-golden.test.ts).
 */
import {mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {GOLDEN_MESSAGES_DIR, renderedMessages, renderedStorm} from '../support/golden-messages.js';
import {messageCases, stormCases} from '../support/message-cases.js';
import {digestCases} from '../support/digest-cases.js';
import {digestMessage} from '../../functions/core/digest/messages.js';
import {renderConsole} from '../../functions/core/messages/render-console.js';
import {renderSlack} from '../../functions/core/messages/render-slack.js';

const DIR = GOLDEN_MESSAGES_DIR;

mkdirSync(DIR, {recursive: true});
for (const file of readdirSync(DIR)) if (file.endsWith('.json')) rmSync(path.join(DIR, file));
for (const row of messageCases()) {
  const golden = {
    notification: row.notification,
    context: row.context,
    expected: renderedMessages(row.notification, row.context),
  };
  writeFileSync(path.join(DIR, `${row.name}.json`), `${JSON.stringify(golden, null, 2)}\n`);
}
for (const row of stormCases()) {
  const golden = {
    storm: row.storm,
    cluster: row.cluster,
    ...(row.send === undefined ? {} : {send: row.send}),
    expected: renderedStorm(row.storm, row.cluster, row.send),
  };
  writeFileSync(path.join(DIR, `${row.name}.json`), `${JSON.stringify(golden, null, 2)}\n`);
}
console.log(`wrote ${messageCases().length + stormCases().length} files to ${DIR}`);

// The daily digests: not notifications, so in their own folder, with their content.
const DIGESTS = path.join(DIR, 'digests');
mkdirSync(DIGESTS, {recursive: true});
for (const file of readdirSync(DIGESTS))
  if (file.endsWith('.json')) rmSync(path.join(DIGESTS, file));
for (const {name, content} of digestCases()) {
  const message = digestMessage(content);
  const golden = {
    content,
    expected: {slack: renderSlack(message), console: renderConsole(message)},
  };
  writeFileSync(path.join(DIGESTS, `${name}.json`), `${JSON.stringify(golden, null, 2)}\n`);
}
console.log(`wrote ${digestCases().length} files to ${DIGESTS}`);
