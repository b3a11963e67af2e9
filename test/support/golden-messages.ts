/** What the golden message files hold for one notification: each message, for Slack and the console. */
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {PendingNotification} from '../../functions/core/incident.js';
import {buildMessages} from '../../functions/core/messages/build.js';
import type {Message, MessageContext} from '../../functions/core/messages/model.js';
import {renderConsole} from '../../functions/core/messages/render-console.js';
import {renderSlack, type SlackMessage} from '../../functions/core/messages/render-slack.js';
import type {StormSend, StormState} from '../../functions/core/incident.js';
import type {ClusterRef} from '../../functions/core/model.js';
import {buildStormMessage, buildStormMessages} from '../../functions/core/storms/messages.js';

/** test/fixtures/messages-v2 in the source tree (this file is compiled to build/test/support). */
export const GOLDEN_MESSAGES_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'test',
  'fixtures',
  'messages-v2',
);

/** One message, rendered both ways. */
export interface Rendered {
  slack: SlackMessage;
  console: string;
}

/** Every message of one notification, rendered (names as in `NotificationMessages`). */
export type RenderedMessages =
  | {kind: 'opened'; post: Rendered; reply?: Rendered; quiet?: never}
  | {kind: 'recovered'; post: Rendered}
  | {kind: 'reminder'; reply: Rendered}
  | {kind: 'closed'; update: Rendered; reply: Rendered; standalone: Rendered; quiet?: true}
  | {kind: 'acted'; update: Rendered; reply: Rendered | null};

/**
 * A storm's parent message as it stands (no `send`), or what the message it owes is: the
 * parent rewritten, and for an action on it the thread's one reply; rendered both ways.
 */
export function renderedStorm(
  storm: StormState,
  cluster: ClusterRef,
  send?: StormSend,
): Rendered | {update?: Rendered; reply: Rendered} {
  if (send === undefined) return rendered(buildStormMessage(storm, cluster));
  const messages = buildStormMessages(send, storm, cluster);
  if (messages.kind === 'reply' && messages.reply !== null) {
    return {reply: rendered(messages.reply)};
  }
  if (messages.kind !== 'acted') throw new Error(`golden storm cases show acted messages only`);
  return {update: rendered(messages.update), reply: rendered(messages.reply)};
}

function rendered(message: Message): Rendered {
  return {slack: renderSlack(message), console: renderConsole(message)};
}

export function renderedMessages(
  notification: PendingNotification,
  context: MessageContext,
): RenderedMessages {
  const built = buildMessages(notification, context);
  switch (built.kind) {
    case 'closed':
      return {
        kind: built.kind,
        update: rendered(built.update),
        reply: rendered(built.reply),
        standalone: rendered(built.standalone),
        ...(built.quiet === true ? {quiet: true as const} : {}),
      };
    case 'opened':
      return {
        kind: built.kind,
        post: rendered(built.post),
        ...(built.reply === undefined ? {} : {reply: rendered(built.reply)}),
      };
    case 'recovered':
      return {kind: built.kind, post: rendered(built.post)};
    case 'reminder':
      return {kind: built.kind, reply: rendered(built.reply)};
    case 'acted':
      return {
        kind: built.kind,
        update: rendered(built.update),
        reply: built.reply === null ? null : rendered(built.reply),
      };
  }
}
