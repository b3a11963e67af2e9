/**
 * Renders a neutral message (model.ts) as readable plain text for the console notifier and
 * the CLI's previews: the title underlined, `Label: value` lines, the reason and the quoted
 * failure message, the log and commands indented, buttons as `label: url`, notes — no JSON, no
 * markup. Times read `Mar 2, 01:06 UTC`. Pure.
 *
 * Text from the cluster (names, reasons, messages, log lines) reaches a terminal here, so
 * every line is stripped of terminal control sequences first: an escape sequence in a log
 * could otherwise retitle the window, write the clipboard (OSC 52) or hide what follows.
 */
import type {Field, Message, Segment, Text} from './model.js';
import {plainOf} from './pieces.js';

/** The longest title underline: a rule as wide as a terminal line, at most. */
const UNDERLINE_MAX_COLUMNS = 60;

// ESC-introduced sequences: CSI (`ESC [ … final`), OSC/DCS/SOS/PM/APC strings (up to BEL or
// ST), and two-character escapes; their 8-bit C1 forms; then every other C0/C1 control but
// tab and newline, and DEL.
const ESCAPE_SEQUENCES =
  // eslint-disable-next-line no-control-regex
  /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]?|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[ -/]*[0-~]?/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Text with every terminal control sequence and control character but tab and newline removed. */
export function stripControls(value: string): string {
  return value.replace(/\r\n/g, '\n').replace(ESCAPE_SEQUENCES, '').replace(CONTROLS, '');
}

/** How many terminal columns a character takes: East Asian wide and emoji take two. */
function columnsOf(char: string): number {
  const cp = char.codePointAt(0) ?? 0;
  if (cp >= 0x1f000) return 2;
  return (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x2600 && cp <= 0x27bf)
    ? 2
    : 1;
}

/** How many terminal columns a line takes. */
export function columnsOfLine(line: string): number {
  let columns = 0;
  for (const char of line) columns += columnsOf(char);
  return columns;
}

function plainOfSegment(segment: Segment): string {
  return segment.type === 'link' ? `${segment.label}: ${segment.url}` : plainOf([segment]);
}

function plainOfText(value: Text): string {
  return value.map(plainOfSegment).join('');
}

function labelled(f: Field): string {
  const value = plainOfText(f.value);
  return f.label === '' ? value : `${f.label}: ${value}`;
}

/** The line that names a message: its title, else its summary. */
export function consoleTitleOf(message: Message): string {
  return stripControls(plainOf(message.title ?? message.summary));
}

/** A message as readable lines. */
export function renderConsole(message: Message): string {
  const lines: string[] = [];
  if (message.mention) lines.push(message.mention);
  if (message.title !== null) {
    const title = stripControls(plainOf(message.title));
    lines.push(title, '─'.repeat(Math.min(columnsOfLine(title), UNDERLINE_MAX_COLUMNS)));
  }
  if (message.lead !== null) lines.push(plainOfText(message.lead));
  // A field is one line: a value's own line breaks become spaces.
  for (const f of message.fields) lines.push(labelled(f).replace(/\n/g, ' '));
  if (message.recentRuns) {
    const r = message.recentRuns;
    lines.push(`${r.label}: ${r.strip}${r.usual === null ? '' : ` · ${r.usual}`}`);
  }
  if (message.reason !== null) lines.push(labelled(message.reason));
  for (const detail of message.details) lines.push(labelled(detail));
  for (const s of message.sections ?? []) {
    lines.push('', `${s.title}:`, ...s.lines.map(l => `  ${plainOfText(l)}`));
    if (s.more !== null) lines.push(`  ${s.more}`);
  }
  if (message.quote !== null) {
    lines.push(...message.quote.split('\n').map(line => `  | ${line}`));
  }
  if (message.log) {
    if (message.log.text !== null) {
      lines.push(`${message.log.title}:`, ...message.log.text.split('\n').map(l => `    ${l}`));
    }
    lines.push(...message.log.notes);
  }
  for (const command of message.commands) lines.push(`  $ ${command}`);
  // The console takes no clicks: what the controls would change shows in the notes.
  for (const action of message.actions) {
    if (action.type === 'link') lines.push(`${action.label}: ${action.url}`);
  }
  for (const note of message.notes) lines.push(plainOfText(note));
  if (lines.length === 0) lines.push(plainOf(message.summary));
  return stripControls(lines.join('\n'));
}
