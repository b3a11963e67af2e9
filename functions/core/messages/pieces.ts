/**
 * The pieces every detection's messages are made of. Choices made here, once:
 * - Values from the cluster or the configuration are cut to a readable length here, so every
 *   renderer shows the same text. A cut is measured as Slack counts it after escaping (`&` is
 *   `&amp;`, five characters), the strictest renderer, so one cut fits every renderer; a cut
 *   text ends with `…`.
 * - Times are segments: Slack shows them live in the reader's zone, elsewhere they read
 *   `Mar 2, 01:06 UTC`. Never an ISO timestamp, never an elapsed time frozen at sending.
 * - A headline says what, the cause and where (`🔴 backups/db-backup failed: OOMKilled
 *   (exit 137) · prod-eu`), and the push text says the same.
 */
import type {Ending, IncidentBase, RunRef, Subject} from '../incident-base.js';
import type {ClusterRef} from '../model.js';
import {compileSchedule} from '../schedule.js';
import {consoleLinksOf} from './console-links.js';
import {
  COMMAND_MAX_CHARS,
  SUMMARY_MAX_CHARS,
  TITLE_MAX_CHARS,
  VALUE_MAX_CHARS,
  type Action,
  type Field,
  type Message,
  type MessageContext,
  type Segment,
  type Text,
  type Tone,
} from './model.js';
import type {Cadence, CommonWords} from './words.js';

const MARKS: Record<Tone, string> = {
  failing: '🔴',
  unreadable: '🟠',
  missed: '⏰',
  stuck: '🐢',
  warning: '⚠️',
  resolved: '✅',
  recovered: '🟡',
  digest: '📋',
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

export function parseTime(iso: string | null | undefined): number | null {
  if (iso === null || iso === undefined) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
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

/** A time as a segment; an unreadable one as "unknown time" (never the raw text). */
export function time(iso: string | null | undefined, words: CommonWords): Text {
  const ms = parseTime(iso);
  if (ms === null) return [text(words.unknownTime)];
  return [
    {type: 'time', epochMs: ms, plain: words.plainTime(ms), slackFormat: words.slackTimeFormat},
  ];
}

/** The plain words of a text: what a renderer without layout shows. */
export function plainOf(value: Text): string {
  return value
    .map(s =>
      s.type === 'time'
        ? s.plain
        : s.type === 'link'
          ? s.label
          : s.type === 'user'
            ? `@${s.id}`
            : s.text,
    )
    .join('');
}

/**
 * Cuts the words of a text (not its times or links) so its plain form is at most `max`
 * characters; the cut part ends with `…` and what follows it is dropped.
 */
export function cutText(value: Text, max: number): Text {
  const out: Text = [];
  let room = max;
  for (const segment of value) {
    const width = plainOf([segment]).length;
    if (width <= room) {
      out.push(segment);
      room -= width;
      continue;
    }
    if ((segment.type === 'text' || segment.type === 'code') && room > 1) {
      out.push({...segment, text: cutToWidth(segment.text, room, c => c.length)});
    } else if (room > 0) {
      out.push(text('…'));
    }
    break;
  }
  return out;
}

/** `🔴 ` before a text. */
export function marked(tone: Tone, line: Text): Text {
  return [text(`${MARKS[tone]} `), ...line];
}

/** A headline: the mark, what and why, then where (` · cluster`). */
export function headline(tone: Tone, line: Text, cluster: string): Text {
  return [...marked(tone, line), text(` · ${cutToWidth(cluster, VALUE_MAX_CHARS)}`)];
}

export function message(tone: Tone, parts: Partial<Message> & {summary: Text}): Message {
  return {
    tone,
    title:
      parts.title === undefined || parts.title === null
        ? null
        : cutText(parts.title, TITLE_MAX_CHARS),
    lead: parts.lead ?? null,
    fields: parts.fields ?? [],
    reason: parts.reason ?? null,
    details: parts.details ?? [],
    quote: parts.quote ?? null,
    commands: (parts.commands ?? []).map(c => cutToWidth(c, COMMAND_MAX_CHARS, ch => ch.length)),
    actions: parts.actions ?? [],
    notes: parts.notes ?? [],
    summary: cutText(parts.summary, SUMMARY_MAX_CHARS),
    durationMs: parts.durationMs ?? null,
    ...(parts.mention ? {mention: parts.mention} : {}),
    ...(parts.log ? {log: parts.log} : {}),
    ...(parts.sections ? {sections: parts.sections} : {}),
  };
}

/** A one-line message: a thread reply, or an FYI that needs no card. */
export function oneLine(tone: Tone, line: Text, durationMs: number | null = null): Message {
  return message(tone, {lead: line, summary: line, durationMs});
}

/** A message context whose subject is a CronJob. */
export type CronJobContext = {
  cluster: ClusterRef;
  subject: Extract<Subject, {type: 'cronjob'}>;
};

/**
 * The context of the messages of a CronJob kind's incident. Such an incident about the cluster
 * itself is a bug upstream, not something to word.
 */
export function cronJobContextOf(
  incident: Pick<IncidentBase, 'id'> & {kind: string},
  context: MessageContext,
): CronJobContext {
  const subject = context.subject;
  if (subject.type !== 'cronjob') {
    throw new Error(
      `${incident.kind} incident ${incident.id} needs a CronJob subject, got a cluster`,
    );
  }
  return {cluster: context.cluster, subject};
}

/** `namespace/name`. */
export function cronJobName(context: CronJobContext): string {
  return `${context.subject.namespace}/${context.subject.name}`;
}

/**
 * The buttons into the Cloud Console for a CronJob: the logs of a run (when one is named) and
 * the CronJob's page; none for a cluster whose project is unknown (kubeconfig clusters).
 */
export function consoleActionsOf(
  context: CronJobContext,
  run: {job: string; at: string | null} | null,
  words: CommonWords,
): Action[] {
  const links = consoleLinksOf(context, run?.job ?? '', run?.at ?? null);
  if (links === null) return [];
  return [
    ...(run === null || run.job === ''
      ? []
      : [{type: 'link' as const, id: 'logs' as const, url: links.logs, label: words.actions.logs}]),
    {type: 'link', id: 'console', url: links.cronJob, label: words.actions.console},
  ];
}

// Kubernetes object names are DNS labels or subdomains; anything else is quoted so a name from
// the cluster cannot turn a copied command into another one.
const SAFE_WORD = /^[A-Za-z0-9-][A-Za-z0-9._/=:-]*$/;

export function shellWord(word: string): string {
  return SAFE_WORD.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** `kubectl -n ns <args>`, every cluster-given word quoted when it needs to be. */
export function kubectl(namespace: string, ...args: string[]): string {
  return ['kubectl', '-n', shellWord(namespace), ...args].join(' ');
}

/** `kubectl -n ns logs job/x`: the newest Pod's log of a run. */
export function logsCommand(namespace: string, job: string): string {
  return kubectl(namespace, 'logs', shellWord(`job/${job}`));
}

// A Job name is at most 63 characters; `-manual-` and ten digits of seconds take 18.
const MANUAL_BASE_MAX_CHARS = 63 - 18;

/**
 * `kubectl -n ns create job --from=cronjob/x x-manual-$(date +%s)`: run it again by hand,
 * under a fresh name each time the command is pasted.
 */
export function rerunCommand(namespace: string, cronJob: string): string {
  const base = cronJob.slice(0, MANUAL_BASE_MAX_CHARS).replace(/[.-]+$/, '');
  return kubectl(
    namespace,
    'create job',
    shellWord(`--from=cronjob/${cronJob}`),
    `${shellWord(`${base}-manual`)}-$(date +%s)`,
  );
}

/** `MM HH` of a cron minute and hour, zero-padded. */
function clock(hour: string, minute: string): string {
  return `${hour.padStart(2, '0')}:${minute.padStart(2, '0')}`;
}

const NUMBER = /^\d{1,2}$/;

/**
 * How often a schedule is due, when that fits in a few words; null for anything else (the
 * schedule is then shown as it is written).
 */
export function describeSchedule(schedule: string): Cadence | null {
  const macro: Record<string, Cadence> = {
    '@hourly': {type: 'hourly', minute: 0},
    '@daily': {type: 'daily', time: '00:00'},
    '@midnight': {type: 'daily', time: '00:00'},
    '@weekly': {type: 'weekly', day: 0, time: '00:00'},
  };
  const trimmed = schedule.trim();
  if (macro[trimmed] !== undefined) return macro[trimmed];
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5) return null;
  const [minute = '', hour = '', dom = '', month = '', dow = ''] = fields;
  const anyDay = (dom === '*' || dom === '?') && month === '*';
  if (!anyDay) return null;
  const everyDow = dow === '*' || dow === '?';
  const step = /^(?:\*|0)\/(\d{1,2})$/.exec(minute);
  if (step !== null && hour === '*' && everyDow) return {type: 'minutes', step: Number(step[1])};
  if (minute === '*' && hour === '*' && everyDow) return {type: 'minutes', step: 1};
  if (NUMBER.test(minute) && hour === '*' && everyDow) {
    return {type: 'hourly', minute: Number(minute)};
  }
  if (!NUMBER.test(minute) || !NUMBER.test(hour)) return null;
  if (everyDow) return {type: 'daily', time: clock(hour, minute)};
  if (/^[0-7]$/.test(dow)) return {type: 'weekly', day: Number(dow) % 7, time: clock(hour, minute)};
  return null;
}

/** `due every hour`-style words for a schedule, else the schedule itself as code. */
export function cadenceOf(schedule: string, timeZone: string | null, words: CommonWords): Text {
  const zone = timeZone === null || timeZone === 'UTC' || timeZone === 'Etc/UTC' ? null : timeZone;
  const cadence = describeSchedule(schedule);
  return cadence === null
    ? words.schedule([code(schedule)], zone)
    : [text(words.cadence(cadence, zone))];
}

/** The first due time after `after`; null when unknown (bad schedule or time). */
export function nextRunAfter(
  schedule: string,
  timeZone: string | null,
  after: string,
): string | null {
  const at = parseTime(after);
  if (at === null) return null;
  const compiled = compileSchedule(schedule, timeZone);
  if (!compiled.ok) return null;
  return compiled.schedule.nextAfter(new Date(at))?.toISOString() ?? null;
}

/** What one container or Pod says, from a Pods explanation (explain.ts). */
export interface PodCause {
  who: 'container' | 'pod' | null;
  name: string;
  /** `OOMKilled (exit 137)`, `ImagePullBackOff (Back-off pulling image "x")`. */
  what: string;
}

/**
 * The causes in a Pods explanation (`container main: OOMKilled (exit 137); pod x: Evicted`),
 * so each renders in the message's language; an unrecognised one is kept whole.
 */
export function podCausesOf(detail: string | null | undefined): PodCause[] {
  const trimmed = detail?.trim() ?? '';
  if (trimmed === '') return [];
  return trimmed.split('; ').map(part => {
    const m = /^(container|pod) (\S+?): (.+)$/s.exec(part);
    return m === null
      ? {who: null, name: '', what: part}
      : {who: m[1] as 'container' | 'pod', name: m[2] ?? '', what: m[3] ?? ''};
  });
}

/** The short cause for a headline: `OOMKilled (exit 137)`, `ImagePullBackOff`. */
export function shortCauseOf(cause: PodCause): string {
  // A waiting reason's message (the image name, the scheduler's account) is for the card.
  const short = /^[A-Za-z]+$/.test(cause.what.split(' (')[0] ?? '')
    ? /\(exit \d+\)$/.test(cause.what)
      ? cause.what
      : (cause.what.split(' (')[0] ?? cause.what)
    : cause.what;
  return cutToWidth(short, 80, c => c.length);
}

/** Each cause as a labelled detail: `Container main: OOMKilled (exit 137)`. */
export function podDetailsOf(causes: PodCause[], max: number, words: CommonWords): Field[] {
  return causes.map(c => ({
    label:
      c.who === 'container'
        ? words.labels.container(cutToWidth(c.name, VALUE_MAX_CHARS))
        : c.who === 'pod'
          ? words.labels.pod(cutToWidth(c.name, VALUE_MAX_CHARS))
          : '',
    value: value(c.what, max),
  }));
}

/** A run as a value, its name as code. */
export function runOf(run: Pick<RunRef, 'job' | 'manual'>, words: CommonWords): Text {
  return words.runValue(code(run.job), run.manual);
}

/**
 * How long the incident had been open at `at` (a reminder's creation), in words; the unknown
 * duration's words when its times are unreadable.
 */
export function ageAt(incident: IncidentBase, at: string, words: CommonWords): string {
  const opened = parseTime(incident.openedAt);
  const now = parseTime(at);
  return opened === null || now === null
    ? words.unknownDuration
    : words.duration(Math.max(0, now - opened));
}

/** How long the incident lasted, in words; null when its times are unreadable. */
export function durationTextOf(incident: IncidentBase, words: CommonWords): string | null {
  const ms = incidentDurationMs(incident);
  return ms === null ? null : words.duration(ms);
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

/** How a run that was watched while it ran (too long, slower than usual) ended. */
export type WatchedRunOutcome = 'succeeded' | 'failed' | 'gone' | 'deleted' | 'unknown';

/** The outcome of a watched run, from its incident's ending (null: still open). */
export function watchedRunOutcomeOf(ending: Ending | null): WatchedRunOutcome {
  switch (ending?.type) {
    case 'finished':
      return ending.succeeded ? 'succeeded' : 'failed';
    case 'job-gone':
      return 'gone';
    case 'cronjob-deleted':
      return 'deleted';
    default:
      return 'unknown';
  }
}

/** A watched run's closing tone: it failed, or it is over one way or another. */
export function watchedRunToneOf(ending: Ending | null): 'failing' | 'resolved' {
  return watchedRunOutcomeOf(ending) === 'failed' ? 'failing' : 'resolved';
}

/** How long a watched run took, from its start to its incident's ending; null when not known. */
export function watchedRunTookOf(
  startedAt: string,
  ending: Ending | null,
  words: CommonWords,
): string | null {
  const started = parseTime(startedAt);
  const ended = parseTime(ending?.at);
  return started === null || ended === null ? null : words.duration(ended - started);
}
