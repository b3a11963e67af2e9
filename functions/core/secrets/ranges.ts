/** Where a secret is, and how masks replace it. */

/** A half-open range `[start, end)` of UTF-16 code units in the text it was found in. */
export interface SecretRange {
  start: number;
  end: number;
}

/** What replaces a secret. Plain text: Slack mrkdwn reads `****` as emphasis marks. */
export const MASK = '[masked]';

/** The ranges sorted, with overlapping and touching ones joined. */
export function mergeRanges(ranges: readonly SecretRange[]): SecretRange[] {
  const sorted = ranges.filter(r => r.end > r.start).sort((a, b) => a.start - b.start);
  const merged: SecretRange[] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({...range});
  }
  return merged;
}

/** `text` with each range (merged first) replaced by MASK. */
export function applyMasks(text: string, ranges: readonly SecretRange[]): string {
  let out = '';
  let at = 0;
  for (const range of mergeRanges(ranges)) {
    out += text.slice(at, range.start) + MASK;
    at = range.end;
  }
  return out + text.slice(at);
}
