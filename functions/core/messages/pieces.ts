/**
 * The pieces every detection's messages are made of. Choices made here, once:
 * - Values from the cluster or the configuration are cut to a readable length here, so every
 *   renderer shows the same text. A cut is measured as Slack counts it after escaping (`&` is
 *   `&amp;`, five characters), the strictest renderer, so one cut fits every renderer; a cut
 *   text ends with `…`.
 * - Times are ISO-8601 UTC to the second; a renderer may add a live "3 minutes ago".
 */
import type {IncidentBase, RunRef, Subject} from '../incident-base.js';
import type {ClusterRef} from '../model.js';
import {consoleLinksOf} from './console-links.js';
import {
  SUMMARY_MAX_CHARS,
  TITLE_MAX_CHARS,
  VALUE_MAX_CHARS,
  type Link,
  type Message,
  type NotificationMessages,
  type Segment,
  type Text,
  type Tone,
} from './model.js';
import type {CommonWords} from './words.js';

const MARKS: Record<Tone, string> = {
  failing: '🔴',
  unreadable: '🟠',
  missed: '⏰',
  stuck: '🐢',
  warning: '⚠️',
  resolved: '✅',
  recovered: '🟡',
};

/** How wide a character is once Slack escaped it. */
function escapedWidth(char: string): number {
  return char === '&' ? 5 : char === '<' || char === '>' ? 4 : char.length;
}

/**
 * Cuts `value` so it is at most `max` wide (by `widthOf` each character; by default as Slack
 * counts it escaped), never inside a surrogate pair; a cut text ends with `…`.
 */
export function cutToWidth(
  value: string,
  max: number,
  widthOf: (char: string) => number = escapedWidth,
): string {
  let whole = 0;
  for (const char of value) whole += widthOf(char);
  if (whole <= max) return value;
  let out = '';
  let width = 0;
  for (const char of value) {
    const next = widthOf(char);
    if (width + next > max - 1) break;
    out += char;
    width += next;
  }
  return `${out}…`;
}

export function parseTime(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** `2024-05-01T14:03:07Z`, or the raw text when it is not a time. */
export function isoSeconds(iso: string | null, words: CommonWords): string {
  const ms = parseTime(iso);
  if (ms === null) return iso ?? words.unknownTime;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Incident duration from the cluster's timestamps; null when either is missing. */
export function incidentDurationMs(incident: IncidentBase): number | null {
  const opened = parseTime(incident.openedAt);
  const closed = parseTime(incident.closedAt);
  if (opened === null || closed === null) return null;
  return closed - opened;
}

export function text(value: string): Segment {
  return {type: 'text', text: value};
}

export function value(raw: string, max = VALUE_MAX_CHARS): Text {
  return [text(cutToWidth(raw, max))];
}

export function code(raw: string): Segment {
  return {type: 'code', text: cutToWidth(raw, VALUE_MAX_CHARS)};
}

export function time(iso: string | null, words: CommonWords): Text {
  const ms = parseTime(iso);
  return ms === null
    ? [text(isoSeconds(iso, words))]
    : [
        {
          type: 'time',
          iso: isoSeconds(iso, words),
          epochMs: ms,
          ...(words.slackDateFormat === null ? {} : {slackFormat: words.slackDateFormat}),
        },
      ];
}

export function marked(tone: Tone, line: string): string {
  return `${MARKS[tone]} ${line}`;
}

export function message(tone: Tone, parts: Partial<Message> & {summary: string}): Message {
  return {
    tone,
    title:
      parts.title === undefined || parts.title === null
        ? null
        : cutToWidth(parts.title, TITLE_MAX_CHARS, c => c.length),
    lead: parts.lead ?? null,
    fields: parts.fields ?? [],
    reason: parts.reason ?? null,
    details: parts.details ?? [],
    quote: parts.quote ?? null,
    links: parts.links ?? [],
    notes: parts.notes ?? [],
    summary: cutToWidth(parts.summary, SUMMARY_MAX_CHARS),
    durationMs: parts.durationMs ?? null,
    ...(parts.mention ? {mention: parts.mention} : {}),
    ...(parts.log ? {log: parts.log} : {}),
  };
}

/** A message context whose subject is a CronJob. */
export type CronJobContext = {
  cluster: ClusterRef;
  subject: Extract<Subject, {type: 'cronjob'}>;
};

/** `namespace/name`. */
export function cronJobName(context: CronJobContext): string {
  return `${context.subject.namespace}/${context.subject.name}`;
}

/** Links into the Cloud Console for a run of the CronJob: the workload and the run's logs. */
export function linksOf(context: CronJobContext, run: RunRef, words: CommonWords): Link[] {
  const links = consoleLinksOf(context, run.job, run.at);
  if (links === null) return [];
  return [
    {type: 'link', url: links.cronJob, label: words.links.cronJob},
    {
      type: 'link',
      url: links.logs,
      label: words.links.logsOf(cutToWidth(run.job, VALUE_MAX_CHARS)),
    },
  ];
}

/** The link to the CronJob's workload page, when the cluster's project is known. */
export function linksOfCronJob(context: CronJobContext, words: CommonWords): Link[] {
  const links = consoleLinksOf(context, '', null);
  return links === null ? [] : [{type: 'link', url: links.cronJob, label: words.links.cronJob}];
}

/** How long the incident lasted, in words; null when its times are unreadable. */
export function durationTextOf(incident: IncidentBase, words: CommonWords): string | null {
  const ms = incidentDurationMs(incident);
  return ms === null ? null : words.duration(ms);
}

/**
 * The messages that close a missed or running-too-long incident: the opening rewritten as
 * closed (the update, and the standalone message when it never went out), the thread reply
 * line, or one message saying both when nothing was sent yet.
 */
export function closingMessages(
  kind: 'closed' | 'recovered',
  incident: IncidentBase,
  opening: Message,
  p: {name: string; line: string; closedTitle: string; recoveredTitle: string},
): NotificationMessages {
  const durationMs = incidentDurationMs(incident);
  const closed = message('resolved', {
    ...opening,
    title: marked('resolved', p.closedTitle),
    lead: [text(p.line)],
    summary: `${p.line}: ${p.name}`,
    durationMs,
  });
  if (kind === 'recovered') {
    return {
      kind,
      post: {...closed, tone: 'recovered', title: marked('recovered', p.recoveredTitle)},
    };
  }
  return {
    kind,
    update: closed,
    reply: message('resolved', {lead: [text(p.line)], summary: p.line, durationMs}),
    standalone: closed,
  };
}

/** A run with nothing known but what the caller fills in (a running Job's links). */
export const emptyRun: RunRef = {
  job: '',
  jobUid: '',
  manual: false,
  at: null,
  reason: null,
  message: null,
  detail: null,
};
