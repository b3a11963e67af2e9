/**
 * Renders a neutral message (model.ts) as a Slack message: Block Kit blocks plus the
 * plain-text `text` fallback. Pure; the Slack adapter only sends what this returns.
 *
 * - Everything from a message is escaped (`&`, `<`, `>`) in mrkdwn and in the fallback text
 *   (Slack parses both); header blocks are `plain_text`, which Slack shows literally, so they
 *   are not escaped.
 * - Times are Slack date tokens, which each reader's client shows in their own zone, with the
 *   time in words (UTC) as the fallback. A header block is plain text and cannot hold one, so
 *   a title with a time is a bold section instead.
 * - Buttons are one `actions` block, each with its own `action_id`: links (`link-<id>`) and the
 *   interactive controls (`cronjob-watcher:<id>`, answered by the `slackActions` endpoint).
 * - Slack's limits are enforced here, whatever the message holds: header 150, section text
 *   3,000, field 2,000 characters, 10 fields per section, 50 blocks, button text 75, 25
 *   elements per actions block.
 */
import type {
  Action,
  Field,
  LogBlock,
  Message,
  NotificationMessages,
  RecentRunsLine,
  Segment,
  Text,
} from './model.js';
import {actionIdOf, BUTTON_VALUE_MAX_CHARS} from '../actions/ids.js';
import {cutToWidth, plainOf} from './pieces.js';

/** A Block Kit `mrkdwn` text object. */
export interface MrkdwnText {
  type: 'mrkdwn';
  text: string;
}

/** The Block Kit blocks this module produces. */
export type SlackBlock =
  | {type: 'header'; text: {type: 'plain_text'; text: string; emoji: true}}
  | {type: 'section'; text: MrkdwnText}
  | {type: 'section'; fields: MrkdwnText[]}
  | {type: 'context'; elements: MrkdwnText[]}
  | {type: 'actions'; block_id: string; elements: SlackElement[]};

/** A button of an `actions` block: a link button opens its `url`, the others send `value`. */
export interface SlackButton {
  type: 'button';
  action_id: string;
  text: {type: 'plain_text'; text: string; emoji: true};
  url?: string;
  value?: string;
}

/** A menu of an `actions` block: a click sends the chosen option's `value`. */
export interface SlackSelect {
  type: 'static_select';
  action_id: string;
  placeholder: {type: 'plain_text'; text: string; emoji: true};
  options: Array<{text: {type: 'plain_text'; text: string; emoji: true}; value: string}>;
}

/** What an `actions` block holds. */
export type SlackElement = SlackButton | SlackSelect;

/** A Slack message: blocks for the channel, `text` for notifications and old clients. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** Every message of one notification, rendered (see `NotificationMessages`). */
export type SlackMessages =
  | {kind: 'opened'; post: SlackMessage; reply?: SlackMessage}
  | {
      kind: 'closed';
      update: SlackMessage;
      reply: SlackMessage;
      standalone: SlackMessage;
      /** Only the reply is sent, and nothing without a thread (NotificationMessages). */
      quiet?: boolean;
    }
  | {kind: 'recovered'; post: SlackMessage}
  | {kind: 'reminder'; reply: SlackMessage}
  | {kind: 'acted'; update: SlackMessage; reply: SlackMessage | null};

/** Slack's limit on a section block's text. */
export const SECTION_TEXT_MAX_CHARS = 3000;
/** Slack's limit on each section field's text. */
export const FIELD_TEXT_MAX_CHARS = 2000;
/** Slack's limit on a header block's text. */
export const HEADER_TEXT_MAX_CHARS = 150;
/** Slack's limit on the fields of one section. */
const SECTION_FIELDS_MAX = 10;
/** Slack's limit on the blocks of one message. */
const MESSAGE_BLOCKS_MAX = 50;
/** Slack's limit on a button's text. */
export const BUTTON_TEXT_MAX_CHARS = 75;
/** Slack's limit on a button's URL. */
const BUTTON_URL_MAX_CHARS = 3000;
/** Slack's limit on the elements of one actions block. */
const ACTIONS_MAX = 25;
/** Slack's limits on a menu: its options, and each option's value. */
const MENU_OPTIONS_MAX = 100;
const OPTION_VALUE_MAX_CHARS = 150;
/** The actions block's id: the row later interactive buttons join. */
export const ACTIONS_BLOCK_ID = 'actions';

/** Escapes Slack's three control characters. */
export function escapeMrkdwn(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes `value` and cuts it so the escaped text is at most `max` characters, never in the
 * middle of an entity or a surrogate pair; a cut text ends with `…`.
 */
export function escapeAndCap(value: string, max: number): string {
  return escapeMrkdwn(cutToWidth(value, max));
}

/** Cuts already-rendered text to one of Slack's limits. */
function cap(value: string, max: number): string {
  return cutToWidth(value, max, char => char.length);
}

function mrkdwnOfSegment(segment: Segment): string {
  switch (segment.type) {
    case 'text':
      return escapeMrkdwn(segment.text);
    case 'code':
      // Backticks cannot be escaped inside inline code; Kubernetes names never contain them,
      // anything else that does loses them rather than breaking the formatting.
      return `\`${escapeMrkdwn(segment.text.replace(/`/g, "'"))}\``;
    case 'time':
      // Each reader's client shows the date in their own zone; the words are the fallback.
      return `<!date^${Math.floor(segment.epochMs / 1000)}^${segment.slackFormat}|${escapeMrkdwn(segment.plain)}>`;
    case 'link':
      // Encoded URLs hold no `|` or `>`, so they are safe inside `<url|label>`.
      return `<${segment.url}|${escapeMrkdwn(segment.label)}>`;
    case 'user':
      // Slack user IDs are letters and digits; anything else is shown, not parsed.
      return /^[UW][A-Z0-9]+$/.test(segment.id) ? `<@${segment.id}>` : escapeMrkdwn(segment.id);
  }
}

function mrkdwnOf(text: Text): string {
  return text.map(mrkdwnOfSegment).join('');
}

function mrkdwn(text: string): MrkdwnText {
  return {type: 'mrkdwn', text};
}

function section(text: string): SlackBlock {
  return {type: 'section', text: mrkdwn(cap(text, SECTION_TEXT_MAX_CHARS))};
}

function field(f: Field): MrkdwnText {
  return mrkdwn(cap(`*${escapeMrkdwn(f.label)}*\n${mrkdwnOf(f.value)}`, FIELD_TEXT_MAX_CHARS));
}

/** `*Reason:* value`. */
function labelled(f: Field): string {
  return `*${escapeMrkdwn(f.label)}:* ${mrkdwnOf(f.value)}`;
}

/** A message as Block Kit blocks plus the fallback text. */
export function renderSlack(message: Message): SlackMessage {
  const blocks: SlackBlock[] = [];
  if (message.title !== null) blocks.push(titleBlock(message.title));
  // The mention is the configured markup itself (validated in policy.ts): escaping it would
  // print it instead of notifying.
  if (message.mention) blocks.push(section(message.mention));
  if (message.lead !== null) blocks.push(section(mrkdwnOf(message.lead)));
  for (let i = 0; i < message.fields.length; i += SECTION_FIELDS_MAX) {
    blocks.push({
      type: 'section',
      fields: message.fields.slice(i, i + SECTION_FIELDS_MAX).map(field),
    });
  }
  if (message.recentRuns) blocks.push(recentRunsBlock(message.recentRuns));
  const why = [
    ...(message.reason === null ? [] : [labelled(message.reason)]),
    ...message.details.map(labelled),
  ];
  if (message.quote !== null) {
    why.push(
      escapeMrkdwn(message.quote)
        .split('\n')
        .map(line => `>${line}`)
        .join('\n'),
    );
  }
  if (why.length > 0) blocks.push(section(why.join('\n')));
  for (const s of message.sections ?? []) {
    const lines = s.lines.map(mrkdwnOf);
    if (s.more !== null) lines.push(`_${escapeMrkdwn(s.more)}_`);
    blocks.push(section([`*${escapeMrkdwn(s.title)}*`, ...lines].join('\n')));
  }
  if (message.log) blocks.push(...logBlocks(message.log));
  if (message.commands.length > 0) {
    blocks.push(codeBlock(null, message.commands.join('\n')));
  }
  const actions = actionsBlock(message.actions);
  if (message.notes.length > 0) {
    blocks.push({type: 'context', elements: message.notes.map(note => mrkdwn(mrkdwnOf(note)))});
  }
  // The buttons stay last and are never cut off by the block limit.
  const kept = blocks.slice(0, MESSAGE_BLOCKS_MAX - (actions === null ? 0 : 1));
  // A phone's notification shows the push text's markup as it is: names go in plain.
  const text = mrkdwnOf(
    message.summary.map(s => (s.type === 'code' ? {type: 'text', text: s.text} : s)),
  );
  return {
    text: message.mention ? `${message.mention} ${text}` : text,
    blocks: actions === null ? kept : [...kept, actions],
  };
}

/** `*Recent runs:* ✅ ✅ ❌ · usually 12m` as small print. */
function recentRunsBlock(line: RecentRunsLine): SlackBlock {
  const usual = line.usual === null ? '' : `  ·  ${escapeMrkdwn(line.usual)}`;
  return {
    type: 'context',
    elements: [mrkdwn(`*${escapeMrkdwn(line.label)}:* ${escapeMrkdwn(line.strip)}${usual}`)],
  };
}

/** A title: a header block, or a bold section when it holds a time (see above). */
function titleBlock(title: Text): SlackBlock {
  if (title.some(s => s.type === 'time' || s.type === 'link')) {
    // Bold markers around text that holds `*` would end early: those become look-alikes.
    const bold = title.map(s =>
      s.type === 'text' || s.type === 'code' ? {...s, text: s.text.replace(/\*/g, '∗')} : s,
    );
    return section(`*${mrkdwnOf(bold)}*`);
  }
  return {
    type: 'header',
    text: {type: 'plain_text', text: cap(plainOf(title), HEADER_TEXT_MAX_CHARS), emoji: true},
  };
}

/** The buttons as one actions block; null when there are none Slack would accept. */
function actionsBlock(actions: Action[]): SlackBlock | null {
  const elements = actions
    .filter(
      a =>
        (a.type !== 'link' || a.url.length <= BUTTON_URL_MAX_CHARS) &&
        (a.type !== 'button' || a.value.length <= BUTTON_VALUE_MAX_CHARS),
    )
    .slice(0, ACTIONS_MAX)
    .map(elementOf);
  return elements.length === 0 ? null : {type: 'actions', block_id: ACTIONS_BLOCK_ID, elements};
}

function plainText(value: string): {type: 'plain_text'; text: string; emoji: true} {
  return {type: 'plain_text', text: cap(value, BUTTON_TEXT_MAX_CHARS), emoji: true};
}

function elementOf(action: Action): SlackElement {
  switch (action.type) {
    case 'link':
      return {
        type: 'button',
        action_id: `link-${action.id}`,
        text: plainText(action.label),
        url: action.url,
      };
    case 'button':
      return {
        type: 'button',
        action_id: actionIdOf(action.id),
        text: plainText(action.label),
        value: action.value,
      };
    case 'menu':
      return {
        type: 'static_select',
        action_id: actionIdOf(action.id),
        placeholder: plainText(action.label),
        options: action.options.slice(0, MENU_OPTIONS_MAX).map(o => ({
          text: plainText(o.label),
          value: o.value.slice(0, OPTION_VALUE_MAX_CHARS),
        })),
      };
  }
}

/**
 * Text as a code block under an optional title, cut from the top (the newest lines matter) to
 * fit one section.
 */
function codeBlock(title: string | null, body: string): SlackBlock {
  const head = `${title === null ? '' : `*${escapeMrkdwn(title)}*\n`}\`\`\`\n`;
  const tail = '\n```';
  // A fence inside the text would end the block early.
  let lines = escapeMrkdwn(body.replace(/```/g, "'''")).split('\n');
  const room = SECTION_TEXT_MAX_CHARS - head.length - tail.length;
  while (lines.length > 1 && lines.join('\n').length > room) lines = lines.slice(1);
  const kept = lines.join('\n');
  return section(`${head}${kept.length > room ? kept.slice(-room) : kept}${tail}`);
}

/**
 * A log excerpt as a code block under its title, cut from the top (the newest lines matter)
 * to fit one section, and its notes as small print.
 */
function logBlocks(log: LogBlock): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  if (log.text !== null) blocks.push(codeBlock(log.title, log.text));
  if (log.notes.length > 0) {
    blocks.push({type: 'context', elements: log.notes.map(n => mrkdwn(escapeMrkdwn(n)))});
  }
  return blocks;
}

/** Every message of one notification as Slack messages. */
export function renderSlackMessages(messages: NotificationMessages): SlackMessages {
  switch (messages.kind) {
    case 'closed':
      return {
        kind: messages.kind,
        update: renderSlack(messages.update),
        reply: renderSlack(messages.reply),
        standalone: renderSlack(messages.standalone),
        ...(messages.quiet === true ? {quiet: true} : {}),
      };
    case 'opened':
      return {
        kind: messages.kind,
        post: renderSlack(messages.post),
        ...(messages.reply === undefined ? {} : {reply: renderSlack(messages.reply)}),
      };
    case 'recovered':
      return {kind: messages.kind, post: renderSlack(messages.post)};
    case 'reminder':
      return {kind: messages.kind, reply: renderSlack(messages.reply)};
    case 'acted':
      return {
        kind: messages.kind,
        update: renderSlack(messages.update),
        reply: messages.reply === null ? null : renderSlack(messages.reply),
      };
  }
}
