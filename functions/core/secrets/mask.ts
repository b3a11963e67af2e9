/**
 * Masking of free text from a cluster (a log excerpt, a termination, condition or Event
 * message) before it is stored or sent. Pure and synchronous: layers 2 (generic rules) and 3
 * (entropy) run here; layer 1 (a vendor detector) runs outside the core and hands its ranges
 * in. Lines with nothing secret come out byte for byte as they went in.
 */
import {stripAnsi} from './ansi.js';
import {randomTokenRanges} from './entropy.js';
import {applyMasks, mergeRanges, type SecretRange} from './ranges.js';
import {lineSecretRanges, privateKeyRanges} from './rules.js';

export {MASK, type SecretRange} from './ranges.js';
export {stripAnsi} from './ansi.js';

/** Start offsets of the lines of `text` (split on `\n`). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Layers 2 and 3 on text without escape sequences: the ranges to mask, in that text. */
export function findSecretRanges(plain: string): SecretRange[] {
  const lines = plain.split('\n');
  const starts = lineStarts(plain);
  const ranges: SecretRange[] = [];
  lines.forEach((line, i) => {
    const at = starts[i]!;
    for (const r of [...lineSecretRanges(line), ...randomTokenRanges(line)]) {
      ranges.push({start: at + r.start, end: at + r.end});
    }
  });
  for (const [i, r] of privateKeyRanges(lines)) {
    const at = starts[i]!;
    ranges.push({start: at + r.start, end: at + r.end});
  }
  return ranges;
}

/**
 * What of a vendor range to mask, or null when the generic rules already masked what it
 * holds: a URL whose password they masked keeps its user and host visible, a private key
 * whose body they masked keeps its markers. A single-line range is cut to the value after
 * its last separator (a rule may report `KEY=value` whole) and widened to the whole token it
 * lies in (a rule that matched a prefix of a token must not leave its tail).
 */
function vendorRange(
  plain: string,
  range: SecretRange,
  own: readonly SecretRange[],
): SecretRange | null {
  const text = plain.slice(range.start, range.end);
  const overlapsOwn = own.some(r => r.start < range.end && r.end > range.start);
  if (overlapsOwn && (text.includes('://') || text.includes('\n'))) return null;
  let {start, end} = range;
  if (!text.includes('\n') && !text.includes('://')) {
    const separator = Math.max(...[...'=: "\''].map(c => text.lastIndexOf(c)));
    if (separator >= 0 && separator < text.length - 1) start += separator + 1;
  }
  while (start > 0 && /[A-Za-z0-9+/_-]/.test(plain[start - 1]!)) start--;
  while (end < plain.length && /[A-Za-z0-9+/_-]/.test(plain[end]!)) end++;
  while (end < plain.length && plain[end] === '=') end++;
  return {start, end};
}

/**
 * `text` with every secret replaced by MASK. `vendorRanges` are what a vendor detector found
 * in `stripAnsi(text)`. A line with a secret loses its escape sequences (Slack and the store
 * show none, and a colour code inside a secret would otherwise split the mask); every other
 * line is kept as it is, escape sequences included.
 */
export function maskSecretsSync(text: string, vendorRanges: readonly SecretRange[] = []): string {
  const plain = stripAnsi(text);
  const own = findSecretRanges(plain);
  const vendor = vendorRanges
    .map(r => vendorRange(plain, r, own))
    .filter((r): r is SecretRange => r !== null);
  const ranges = mergeRanges([...own, ...vendor]);
  if (ranges.length === 0) return text;

  const plainLines = plain.split('\n');
  const originalLines = text.split('\n');
  const starts = lineStarts(plain);
  let next = 0;
  return originalLines
    .map((original, i) => {
      const lineStart = starts[i]!;
      const lineEnd = lineStart + plainLines[i]!.length;
      const inLine: SecretRange[] = [];
      // Ranges are sorted; one may run across lines (a vendor's multi-line key).
      while (next < ranges.length && ranges[next]!.end <= lineStart) next++;
      for (let k = next; k < ranges.length && ranges[k]!.start < lineEnd; k++) {
        const r = ranges[k]!;
        const start = Math.max(r.start, lineStart) - lineStart;
        const end = Math.min(r.end, lineEnd) - lineStart;
        if (end > start) inLine.push({start, end});
      }
      return inLine.length === 0 ? original : applyMasks(plainLines[i]!, inLine);
    })
    .join('\n');
}
