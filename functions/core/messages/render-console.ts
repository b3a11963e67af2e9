/**
 * Renders a neutral message (model.ts) as readable plain text for the console notifier:
 * the title underlined, `Label: value` lines, the reason and the quoted failure message,
 * links as `label: url`, notes — no JSON, no markup. Pure.
 */
import type {Field, Message, Segment, Text} from './model.js';

/** The longest title underline: a rule as wide as a terminal line, at most. */
const UNDERLINE_MAX_CHARS = 60;

function plainOfSegment(segment: Segment): string {
  switch (segment.type) {
    case 'text':
    case 'code':
      return segment.text;
    case 'time':
      return segment.iso;
    case 'link':
      return `${segment.label}: ${segment.url}`;
  }
}

function plainOf(text: Text): string {
  return text.map(plainOfSegment).join('');
}

function labelled(f: Field): string {
  return `${f.label}: ${plainOf(f.value)}`;
}

/** The line that names a message: its title, else its summary. */
export function consoleTitleOf(message: Message): string {
  return message.title ?? message.summary;
}

/** A message as readable lines. */
export function renderConsole(message: Message): string {
  const lines: string[] = [];
  if (message.mention) lines.push(message.mention);
  if (message.title !== null) {
    lines.push(message.title, '─'.repeat(Math.min(message.title.length, UNDERLINE_MAX_CHARS)));
  }
  if (message.lead !== null) lines.push(plainOf(message.lead));
  // A field is one line: a value's own line breaks become spaces.
  for (const f of message.fields) lines.push(labelled(f).replace(/\n/g, ' '));
  if (message.reason !== null) lines.push(labelled(message.reason));
  for (const detail of message.details) lines.push(labelled(detail));
  if (message.quote !== null) {
    lines.push(...message.quote.split('\n').map(line => `  | ${line}`));
  }
  if (message.log) {
    if (message.log.text !== null) {
      lines.push(`${message.log.title}:`, ...message.log.text.split('\n').map(l => `    ${l}`));
    }
    lines.push(...message.log.notes);
  }
  for (const link of message.links) lines.push(plainOfSegment(link));
  for (const note of message.notes) lines.push(plainOf(note));
  if (lines.length === 0) lines.push(message.summary);
  return lines.join('\n');
}
