/**
 * The log excerpt of a failed run (`cronjob-watcher/log-lines`): which container's log to
 * read, how much, and what of it may be kept. Pure; the pass reads the log through the
 * cluster reader, masks it (mask-secrets.ts) and hands the masked text here.
 */
import type {LogExcerpt, LogUnavailable} from './incident.js';
import type {PodInfo} from './model.js';

/**
 * `limitBytes` of the log request: 50 lines of a chatty program fit in well under 64 KiB, and
 * a container that logs megabytes per line still costs the API server and the pass no more.
 */
export const LOG_LIMIT_BYTES = 64 * 1024;
/**
 * What is stored and sent: a Slack section holds 3,000 characters, and the code fence, the
 * label and escaping (`&` is five characters once escaped) need part of it.
 */
export const LOG_EXCERPT_MAX_CHARS = 2400;
// A single line longer than this is a JSON blob or a dump; its start says enough.
const LOG_LINE_MAX_CHARS = 400;

/** How long text is once Slack escaped it (`&` is `&amp;`): the strictest renderer. */
function slackWidth(text: string): number {
  let width = 0;
  for (const char of text) width += char === '&' ? 5 : char === '<' || char === '>' ? 4 : 1;
  return width;
}

/** The container whose log explains a failure. */
export interface LogTarget {
  pod: string;
  container: string;
}

function failedContainer(pod: PodInfo): string | null {
  const failed = pod.terminations.find(
    t => !(t.exitCode === 0 && (t.reason === null || t.reason === 'Completed')),
  );
  return failed?.container ?? null;
}

/**
 * The last attempt's Pod (newest first) and, in it, the container that failed; null when no
 * Pod of the Job shows a failed container (the Pods are gone, or they never started).
 */
export function logTargetOf(pods: readonly PodInfo[]): LogTarget | null {
  const newestFirst = [...pods].sort(
    (a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0),
  );
  for (const pod of newestFirst) {
    const container = failedContainer(pod);
    if (container !== null) return {pod: pod.name, container};
  }
  return null;
}

/**
 * The excerpt kept from a log read with `tailLines`, already masked (the pass masks the whole
 * read, so a secret spread over lines is seen whole): its last `lines` lines, each cut to a
 * readable length, older lines dropped until it fits LOG_EXCERPT_MAX_CHARS. `readBytes` is
 * the size of the read before masking.
 */
export function excerptOf(
  target: LogTarget,
  raw: string,
  lines: number,
  readBytes: number,
): LogExcerpt {
  const all = raw.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  // A log that filled `limitBytes` lost its newest lines at the end; the last one is partial.
  const hitLimit = readBytes >= LOG_LIMIT_BYTES;
  let kept = all
    .slice(-lines)
    .map(l =>
      [...l].length > LOG_LINE_MAX_CHARS
        ? `${[...l].slice(0, LOG_LINE_MAX_CHARS - 1).join('')}…`
        : l,
    );
  let cut = hitLimit;
  while (kept.length > 1 && slackWidth(kept.join('\n')) > LOG_EXCERPT_MAX_CHARS) {
    kept = kept.slice(1);
    cut = true;
  }
  const text = kept.join('\n');
  return {
    pod: target.pod,
    container: target.container,
    text: text.trim() === '' ? null : text,
    cut,
    unavailable: text.trim() === '' ? {reason: 'empty', detail: null} : null,
  };
}

/** An excerpt that could not be read, saying why. */
export function unavailableExcerpt(target: LogTarget | null, why: LogUnavailable): LogExcerpt {
  return {
    pod: target?.pod ?? '',
    container: target?.container ?? '',
    text: null,
    cut: false,
    unavailable: why,
  };
}
