/**
 * Terminal escape sequences in logs. A colour code glued to a secret (`\x1b[31mAKIA…`) hides
 * it from every word-boundary rule, so detection runs on the text without them.
 */

// CSI (`ESC [ … final`), OSC (`ESC ] … BEL` or `ESC ] … ESC \`) and the two-byte escapes. None
// spans a newline, so the lines of the plain text are the lines of the original.
// eslint-disable-next-line no-control-regex -- escape sequences are what this matches
const ANSI_SEQUENCE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|[@-Z\\-_])/g;

/** The text without terminal escape sequences; the same string when it has none. */
export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(ANSI_SEQUENCE, '') : text;
}
