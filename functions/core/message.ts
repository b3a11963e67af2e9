/**
 * The neutral message model: what a notification says, before any renderer decides how it
 * looks. `buildMessages` turns a notification into every message it may need; the words come
 * from a catalogue (catalogue.ts), Slack Block Kit (render-slack.ts) and the console
 * (render-console.ts) render the result. Pure: no I/O, no clock, no SDK types.
 *
 * Choices made here, once:
 * - Values from the cluster or the configuration are cut to a readable length here, so every
 *   renderer shows the same text. A cut is measured as Slack counts it after escaping (`&` is
 *   `&amp;`, five characters), the strictest renderer, so one cut fits every renderer; a cut
 *   text ends with `…`.
 * - Times are ISO-8601 UTC to the second; a renderer may add a live "3 minutes ago".
 * - How an incident ended is read from `ending` in one place, `endOf`.
 */
import {CATALOGUES, type Catalogue} from './catalogue.js';
import {
  MISSED_RUNS_CAP,
  type ClusterUnreadableIncident,
  type Destination,
  type FailingIncident,
  type Incident,
  type MissedIncident,
  type NotificationKind,
  type PendingNotification,
  type RunningTooLongIncident,
  type RunRef,
  type Subject,
} from './incident.js';
import type {ClusterRef} from './model.js';
import {consoleLinksOf} from './console-links.js';

/** A piece of text with a meaning a renderer may show in its own way. */
export type Segment =
  /** Words and values shown as they are. */
  | {type: 'text'; text: string}
  /** A name or an expression, shown literally (Slack: inline code). */
  | {type: 'code'; text: string}
  /** A point in time: `iso` is `2024-05-01T14:03:07Z`; a renderer may add how long ago. */
  | {type: 'time'; iso: string; epochMs: number; slackFormat?: string}
  /** A link with a label. */
  | {type: 'link'; url: string; label: string};

/** Text made of segments, read in order. */
export type Text = Segment[];

/** A labelled value: `Cluster: prod-eu`. */
export interface Field {
  label: string;
  value: Text;
}

/** A link with a label. */
export type Link = Extract<Segment, {type: 'link'}>;

/** What the message announces; a renderer may colour it. */
export type Tone = 'failing' | 'unreadable' | 'missed' | 'stuck' | 'resolved' | 'recovered';

/** One message, as every renderer sees it. Renderers show the parts in this order. */
export interface Message {
  tone: Tone;
  /** The headline, marked and cut to TITLE_MAX_CHARS; null for a thread reply. */
  title: string | null;
  /** A paragraph before everything else (a thread reply's one line). */
  lead: Text | null;
  fields: Field[];
  /** Why it failed: `Reason: BackoffLimitExceeded`. */
  reason: Field | null;
  /** More of why, e.g. what the Pods say. */
  details: Field[];
  /** The failure message, shown quoted; already cut. */
  quote: string | null;
  links: Link[];
  /** Small print after everything else. */
  notes: Text[];
  /** One line for notifications and clients that show no layout; already cut. */
  summary: string;
  /** How long the incident lasted, when the message is about a closed one and it is known. */
  durationMs: number | null;
  /**
   * Slack mention markup (`<!subteam^S0123>`), validated where it was configured and sent
   * unescaped; only opening messages have one.
   */
  mention?: string | null;
  /** A failed container's last log lines, shown as a block of code, or why there are none. */
  log?: LogBlock | null;
}

/** The log excerpt part of a message. */
export interface LogBlock {
  title: string;
  /** The lines as read (masked), or null when they could not be read. */
  text: string | null;
  /** Small print: lines left out, or why there is no excerpt. */
  notes: string[];
}

/** Every message one notification may need; which of them is sent is the adapter's call. */
export type NotificationMessages =
  | {kind: 'opened'; post: Message}
  | {
      kind: 'closed';
      /** Replaces the opening message, so the channel shows the incident resolved. */
      update: Message;
      /** Posted in the opening message's thread. */
      reply: Message;
      /** Posted on its own when the opening message was never delivered (no thread). */
      standalone: Message;
      /**
       * Closed quietly (muted): only the reply is sent, and nothing at all when there is no
       * thread to reply in.
       */
      quiet?: boolean;
    }
  | {kind: 'recovered'; post: Message};

/**
 * What building a message needs besides the notification. `NotificationContext` (ports.ts)
 * fits it; it is restated here because the core imports nothing outside it.
 */
export interface MessageContext {
  cluster: ClusterRef;
  subject: Subject;
}

/** The longest title: Slack's header limit, kept by every renderer so titles read the same. */
export const TITLE_MAX_CHARS = 150;
/**
 * Our own cap on the failure message: a Job condition or a container's termination message
 * can be kilobytes (a stack trace); the channel needs the gist, the logs link has the rest.
 * Well under Slack's 3,000-character section so the reason line and quoting fit too.
 */
export const FAILURE_MESSAGE_MAX_CHARS = 1500;
/** What the Pods say is secondary to the failure message: half its room. */
const DETAIL_MAX_CHARS = FAILURE_MESSAGE_MAX_CHARS / 2;
/** Cap on any single short value (names, reasons): cluster names come from configuration. */
export const VALUE_MAX_CHARS = 200;
/** Cap on the summary: Slack advises keeping `text` short; it only feeds notifications. */
export const SUMMARY_MAX_CHARS = 1000;

const MARKS: Record<Tone, string> = {
  failing: '🔴',
  unreadable: '🟠',
  missed: '⏰',
  stuck: '🐢',
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

function parseTime(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/** `2024-05-01T14:03:07Z`, or the raw text when it is not a time. */
function isoSeconds(iso: string | null, words: Catalogue): string {
  const ms = parseTime(iso);
  if (ms === null) return iso ?? words.unknownTime;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Incident duration from the cluster's timestamps; null when either is missing. */
export function incidentDurationMs(incident: Incident): number | null {
  const opened = parseTime(incident.openedAt);
  const closed = parseTime(incident.closedAt);
  if (opened === null || closed === null) return null;
  return closed - opened;
}

function text(value: string): Segment {
  return {type: 'text', text: value};
}

function value(raw: string, max = VALUE_MAX_CHARS): Text {
  return [text(cutToWidth(raw, max))];
}

function code(raw: string): Segment {
  return {type: 'code', text: cutToWidth(raw, VALUE_MAX_CHARS)};
}

function time(iso: string | null, words: Catalogue): Text {
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

function marked(tone: Tone, line: string): string {
  return `${MARKS[tone]} ${line}`;
}

function message(tone: Tone, parts: Partial<Message> & {summary: string}): Message {
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

/**
 * How a failing streak ended, as its messages tell it: a run fixed it, a run whose Job is
 * already gone fixed it, its CronJob was deleted, or it is not known.
 */
export type FailingEnd =
  {type: 'fixed'; run: RunRef} | {type: 'fixed-job-gone'} | {type: 'deleted'} | {type: 'unknown'};

/** The one reading of a failing incident's `ending`. */
export function endOf(incident: FailingIncident): FailingEnd {
  switch (incident.ending?.type) {
    case 'succeeded':
      return {type: 'fixed', run: incident.ending.run};
    case 'succeeded-job-gone':
      return {type: 'fixed-job-gone'};
    case 'cronjob-deleted':
      return {type: 'deleted'};
    // Endings of other kinds say nothing about a failing streak.
    // Muted incidents close with their own short reply (mutedMessages), never these words.
    case 'readable-again':
    case 'started':
    case 'suspended':
    case 'finished':
    case 'job-gone':
    case 'muted':
    case undefined:
      return {type: 'unknown'};
  }
}

/**
 * Every message a notification may need, in the catalogue's words: the language the incident
 * was opened with (English when it has none), unless `words` says otherwise.
 */
export function buildMessages(
  notification: PendingNotification,
  context: MessageContext,
  words: Catalogue = CATALOGUES[notification.incident.destination?.language ?? 'en'],
): NotificationMessages {
  const destination = notification.incident.destination;
  const built =
    notification.kind === 'closed' && notification.incident.ending?.type === 'muted'
      ? mutedMessages(notification.incident, words)
      : messagesOfKind(notification, context, words);
  return destination === undefined ? built : addressed(built, destination, words);
}

/** The short thread reply of an incident closed by `cronjob-watcher/ignore`. */
function mutedMessages(incident: Incident, words: Catalogue): NotificationMessages {
  const reply = message('resolved', {
    lead: [text(words.mutedLine)],
    summary: words.mutedLine,
    durationMs: incidentDurationMs(incident),
  });
  return {kind: 'closed', update: reply, reply, standalone: reply, quiet: true};
}

/** The destination's parts of every message: the runbook link, the opening's mention. */
function addressed(
  built: NotificationMessages,
  destination: Destination,
  words: Catalogue,
): NotificationMessages {
  const runbook: Link[] =
    destination.runbook === null
      ? []
      : [{type: 'link', url: destination.runbook, label: words.links.runbook}];
  const linked = (m: Message): Message => ({...m, links: [...m.links, ...runbook]});
  switch (built.kind) {
    case 'opened':
      return {
        kind: built.kind,
        post: {
          ...linked(built.post),
          ...(destination.mention === null ? {} : {mention: destination.mention}),
        },
      };
    case 'recovered':
      return {kind: built.kind, post: linked(built.post)};
    case 'closed':
      return {
        ...built,
        update: linked(built.update),
        reply: linked(built.reply),
        standalone: linked(built.standalone),
      };
  }
}

function messagesOfKind(
  notification: PendingNotification,
  context: MessageContext,
  words: Catalogue,
): NotificationMessages {
  const incident = notification.incident;
  switch (incident.kind) {
    case 'failing': {
      const subject = context.subject;
      if (subject.type !== 'cronjob') {
        throw new Error(`failing incident ${incident.id} needs a CronJob subject, got a cluster`);
      }
      return failingMessages(
        notification.kind,
        incident,
        {cluster: context.cluster, subject},
        words,
      );
    }
    case 'cluster-unreadable':
      return clusterMessages(notification.kind, incident, context.cluster, words);
    case 'missed':
    case 'running-too-long': {
      const subject = context.subject;
      if (subject.type !== 'cronjob') {
        throw new Error(`${incident.kind} incident ${incident.id} needs a CronJob subject`);
      }
      const cronJobContext = {cluster: context.cluster, subject};
      return incident.kind === 'missed'
        ? missedMessages(notification, incident, cronJobContext, words)
        : stuckMessages(notification, incident, cronJobContext, words);
    }
  }
}

type CronJobContext = {
  cluster: ClusterRef;
  subject: Extract<Subject, {type: 'cronjob'}>;
};

function failingMessages(
  kind: NotificationKind,
  incident: FailingIncident,
  context: CronJobContext,
  words: Catalogue,
): NotificationMessages {
  switch (kind) {
    case 'opened':
      return {kind, post: openedMessage(incident, context, words)};
    case 'closed':
      return {
        kind,
        update: resolvedOpeningMessage(incident, context, words),
        reply: closingReply(incident, words),
        standalone: summaryMessage(incident, context, 'resolved', words),
      };
    case 'recovered':
      return {kind, post: summaryMessage(incident, context, 'recovered', words)};
  }
}

function cronJobName(context: CronJobContext): string {
  return `${context.subject.namespace}/${context.subject.name}`;
}

function runValue(run: RunRef, words: Catalogue): Text {
  const shown = words.failing.runValue(code(run.job), run.manual);
  return run.gone === undefined ? shown : [...shown, text(words.failing.goneMark)];
}

/** Reason (or "unknown reason"), what the Pods say, and the failure message of the latest failure. */
function whyItFailed(
  incident: FailingIncident,
  words: Catalogue,
): Pick<Message, 'reason' | 'details' | 'quote'> {
  const run = incident.latestFailure;
  const labels = words.labels;
  const detail = run.detail?.trim() ?? '';
  const quote = run.message?.trim() ?? '';
  const details: Field[] =
    detail === '' ? [] : [{label: labels.pods, value: value(detail, DETAIL_MAX_CHARS)}];
  if (run.gone !== undefined) {
    details.push({label: labels.job, value: [text(words.failing.goneNote(run.gone.cause))]});
  }
  return {
    reason: {
      label: run.jobUid === incident.openedBy.jobUid ? labels.reason : labels.latestReason,
      value: value(run.reason ?? words.unknownReason),
    },
    details,
    quote: quote === '' ? null : cutToWidth(quote, FAILURE_MESSAGE_MAX_CHARS),
  };
}

function linksOf(context: CronJobContext, run: RunRef, words: Catalogue): Link[] {
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

function openingFields(
  incident: FailingIncident,
  context: CronJobContext,
  words: Catalogue,
): Field[] {
  const labels = words.labels;
  const opened = incident.openedBy;
  const latest = incident.latestFailure;
  const fields: Field[] = [
    {label: labels.cluster, value: value(context.cluster.name)},
    {label: labels.cronJob, value: [code(cronJobName(context))]},
    {label: labels.failedRun, value: runValue(opened, words)},
    {label: labels.failedAt, value: time(incident.openedAt, words)},
    {label: labels.schedule, value: [code(context.subject.schedule)]},
    {label: labels.failedRuns, value: [text(words.count(incident.failedRuns))]},
  ];
  if (latest.jobUid !== opened.jobUid) {
    fields.push({
      label: labels.latestFailure,
      value: words.failing.latestFailureValue(runValue(latest, words), time(latest.at, words)),
    });
  }
  return fields;
}

function openedMessage(
  incident: FailingIncident,
  context: CronJobContext,
  words: Catalogue,
): Message {
  const run = incident.openedBy;
  return message('failing', {
    title: marked('failing', words.failing.openedTitle(cronJobName(context))),
    summary: marked(
      'failing',
      words.failing.openedSummary({
        cronJob: cronJobName(context),
        cluster: context.cluster.name,
        reason: run.reason ?? words.unknownReason,
        run: words.failing.run(run.job, run.manual),
      }),
    ),
    fields: openingFields(incident, context, words),
    ...whyItFailed(incident, words),
    links: linksOf(context, incident.openedBy, words),
    notes: approximateNotes(incident, words),
    log: logBlockOf(incident, words),
  });
}

/** Says so when a failure time shown is approximate; nothing otherwise. */
function approximateNotes(incident: FailingIncident, words: Catalogue): Text[] {
  const approximate =
    incident.openedBy.approximateTime === true || incident.latestFailure.approximateTime === true;
  return approximate ? [[text(words.failing.approximateTime)]] : [];
}

/** The opening run's log excerpt, when one was asked for. */
function logBlockOf(incident: FailingIncident, words: Catalogue): LogBlock | null {
  const log = incident.log;
  if (log === undefined) return null;
  const title = words.log.title(
    cutToWidth(log.container || '?', VALUE_MAX_CHARS),
    cutToWidth(log.pod || '?', VALUE_MAX_CHARS),
  );
  const notes: string[] = [];
  if (log.cut) notes.push(words.log.cut);
  if (log.unavailable !== null) {
    const detail = log.unavailable.detail;
    notes.push(
      words.log.unavailable(
        log.unavailable.reason,
        detail === null ? null : cutToWidth(detail, VALUE_MAX_CHARS),
      ),
    );
  }
  return {title, text: log.text, notes};
}

function durationTextOf(incident: Incident, words: Catalogue): string | null {
  const ms = incidentDurationMs(incident);
  return ms === null ? null : words.duration(ms);
}

/** The opening message as it reads once the incident closed: resolved at the top. */
function resolvedOpeningMessage(
  incident: FailingIncident,
  context: CronJobContext,
  words: Catalogue,
): Message {
  const end = endOf(incident);
  const phrase = words.failing.endedPhrase(end, durationTextOf(incident, words));
  const opening = openedMessage(incident, context, words);
  return message('resolved', {
    ...opening,
    title: marked('resolved', words.failing.resolvedTitle(phrase, cronJobName(context))),
    summary: marked(
      'resolved',
      words.failing.resolvedSummary({
        phrase,
        cronJob: cronJobName(context),
        cluster: context.cluster.name,
        failedRuns: words.failing.failedRuns(incident.failedRuns),
        end,
      }),
    ),
    durationMs: incidentDurationMs(incident),
  });
}

/** The reply in the opening message's thread: one line, and when it recovered. */
function closingReply(incident: FailingIncident, words: Catalogue): Message {
  const end = endOf(incident);
  const line = marked(
    'resolved',
    words.failing.closingLine({
      phrase: words.failing.endedPhrase(end, durationTextOf(incident, words)),
      failedRuns: words.failing.failedRuns(incident.failedRuns),
      end,
    }),
  );
  return message('resolved', {
    lead: [text(line)],
    notes: [words.recoveredAt(time(incident.closedAt, words))],
    summary: line,
    durationMs: incidentDurationMs(incident),
  });
}

/**
 * One message that says both what failed and that it is over: for an incident that opened
 * and closed before anything was sent (`recovered`), and for a closing message that cannot
 * thread because the opening one was never delivered (`resolved`).
 */
function summaryMessage(
  incident: FailingIncident,
  context: CronJobContext,
  tone: 'resolved' | 'recovered',
  words: Catalogue,
): Message {
  const labels = words.labels;
  const opened = incident.openedBy;
  const end = endOf(incident);
  const duration = durationTextOf(incident, words);
  const fixedBy = end.type === 'fixed' ? runValue(end.run, words) : [];
  return message(tone, {
    title: marked(
      tone,
      tone === 'recovered'
        ? words.failing.recoveredTitle(cronJobName(context))
        : words.failing.resolvedTitle(words.failing.resolvedPhrase(duration), cronJobName(context)),
    ),
    summary: marked(
      tone,
      words.failing.recoveredSummary({
        cronJob: cronJobName(context),
        cluster: context.cluster.name,
        failedAt: isoSeconds(incident.openedAt, words),
        reason: opened.reason ?? words.unknownReason,
        recoveredAt: isoSeconds(incident.closedAt, words),
        end,
        duration,
      }),
    ),
    fields: [
      {label: labels.cluster, value: value(context.cluster.name)},
      {label: labels.cronJob, value: [code(cronJobName(context))]},
      {label: labels.failedRun, value: runValue(opened, words)},
      {label: labels.failedAt, value: time(incident.openedAt, words)},
      {label: labels.recoveredBy, value: words.failing.recoveredBy(end, fixedBy)},
      {label: labels.recoveredAt, value: time(incident.closedAt, words)},
      {label: labels.failingFor, value: [text(duration ?? words.unknownDuration)]},
      {label: labels.failedRuns, value: [text(words.count(incident.failedRuns))]},
      {label: labels.schedule, value: [code(context.subject.schedule)]},
    ],
    ...whyItFailed(incident, words),
    links: linksOf(context, opened, words),
    notes: approximateNotes(incident, words),
    log: logBlockOf(incident, words),
    durationMs: incidentDurationMs(incident),
  });
}

function clusterMessages(
  kind: NotificationKind,
  incident: ClusterUnreadableIncident,
  cluster: ClusterRef,
  words: Catalogue,
): NotificationMessages {
  const labels = words.labels;
  const error = incident.latestError;
  const why = words.cluster.why(error.code, error.message);
  const facts: Pick<Message, 'fields' | 'reason'> = {
    fields: [
      {label: labels.cluster, value: value(cluster.id)},
      {label: labels.unreadableSince, value: time(incident.openedAt, words)},
      {label: labels.failedReads, value: [text(words.count(incident.failedReads))]},
    ],
    reason: {label: labels.why, value: value(why, FAILURE_MESSAGE_MAX_CHARS)},
  };
  if (kind === 'opened') {
    const post = message('unreadable', {
      title: marked('unreadable', words.cluster.openedTitle(cluster.name)),
      summary: marked(
        'unreadable',
        words.cluster.openedSummary({
          cluster: cluster.name,
          since: isoSeconds(incident.openedAt, words),
          failedReads: words.cluster.failedReads(incident.failedReads),
          why,
        }),
      ),
      ...facts,
      notes: [[text(words.cluster.whileUnreadable)]],
    });
    return {kind, post};
  }
  const line = marked(
    'resolved',
    words.cluster.closingLine(
      durationTextOf(incident, words),
      words.cluster.failedReads(incident.failedReads),
    ),
  );
  const durationMs = incidentDurationMs(incident);
  const closed = message('resolved', {
    title: words.cluster.closedTitle(line, cluster.name),
    summary: words.cluster.closedSummary({
      line,
      cluster: cluster.name,
      since: isoSeconds(incident.openedAt, words),
    }),
    ...facts,
    durationMs,
  });
  if (kind === 'recovered') return {kind, post: closed};
  return {
    kind,
    update: closed,
    reply: message('resolved', {lead: [text(line)], summary: line, durationMs}),
    standalone: closed,
  };
}

/** A wall-clock time in the CronJob's own zone: `09:00 JST`, for "did not start at". */
function localTime(iso: string, timeZone: string, words: Catalogue): string {
  const ms = parseTime(iso);
  if (ms === null) return iso;
  try {
    return new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(new Date(ms));
  } catch {
    return isoSeconds(iso, words);
  }
}

function missedMessages(
  notification: PendingNotification,
  incident: MissedIncident,
  context: CronJobContext,
  words: Catalogue,
): NotificationMessages {
  const labels = words.labels;
  const w = words.missed;
  const name = cronJobName(context);
  const count = w.missedRuns(incident.missedRuns, incident.missedRuns >= MISSED_RUNS_CAP);
  const fields: Field[] = [
    {label: labels.cluster, value: value(context.cluster.name)},
    {label: labels.cronJob, value: [code(name)]},
    {label: labels.dueAt, value: time(incident.firstDueAt, words)},
    {label: labels.schedule, value: [code(`${incident.schedule} (${incident.timeZone})`)]},
    {label: labels.missedRuns, value: [text(count)]},
    {
      label: labels.lastStarted,
      value:
        incident.lastStartedAt === null
          ? [text(w.neverStarted)]
          : time(incident.lastStartedAt, words),
    },
  ];
  const due = localTime(incident.firstDueAt, incident.timeZone, words);
  const lastStarted =
    incident.lastStartedAt === null
      ? null
      : words.duration(Date.parse(notification.createdAt) - Date.parse(incident.lastStartedAt));
  const opening = message('missed', {
    title: marked('missed', w.openedTitle(name)),
    lead: [
      text(
        w.openedLine({due, schedule: incident.schedule, timeZone: incident.timeZone, lastStarted}),
      ),
    ],
    summary: marked(
      'missed',
      w.openedSummary({cronJob: name, cluster: context.cluster.name, due, count}),
    ),
    fields,
    links: linksOfCronJob(context, words),
  });
  if (notification.kind === 'opened') return {kind: 'opened', post: opening};
  const duration = durationTextOf(incident, words);
  const line = marked(
    'resolved',
    w.closingLine({
      suspended: incident.ending?.type === 'suspended',
      deleted: incident.ending?.type === 'cronjob-deleted',
      duration,
      count,
    }),
  );
  return closingMessages(notification.kind, incident, opening, {
    name,
    line,
    closedTitle: w.closedTitle(name, duration),
    recoveredTitle: w.recoveredTitle(name),
  });
}

function stuckMessages(
  notification: PendingNotification,
  incident: RunningTooLongIncident,
  context: CronJobContext,
  words: Catalogue,
): NotificationMessages {
  const labels = words.labels;
  const w = words.stuck;
  const name = cronJobName(context);
  const runningFor = words.duration(
    Date.parse(notification.createdAt) - Date.parse(incident.startedAt),
  );
  const fields: Field[] = [
    {label: labels.cluster, value: value(context.cluster.name)},
    {label: labels.cronJob, value: [code(name)]},
    {label: labels.job, value: words.failing.runValue(code(incident.job), incident.manual)},
    {label: labels.startedAt, value: time(incident.startedAt, words)},
    {
      label: labels.limit,
      value: [text(w.limit(words.duration(incident.limitMs), incident.limitFrom))],
    },
    {label: labels.schedule, value: [code(context.subject.schedule)]},
  ];
  if (incident.blockedRuns > 0) {
    fields.push({label: labels.blockedRuns, value: [text(words.count(incident.blockedRuns))]});
  }
  const detail = incident.podDetail?.trim() ?? '';
  const opening = message('stuck', {
    title: marked('stuck', w.openedTitle(name)),
    lead: [text(w.openedLine({job: incident.job, runningFor}))],
    summary: marked(
      'stuck',
      w.openedSummary({
        cronJob: name,
        cluster: context.cluster.name,
        job: incident.job,
        runningFor,
      }),
    ),
    fields,
    details: detail === '' ? [] : [{label: labels.pods, value: value(detail, DETAIL_MAX_CHARS)}],
    links: linksOf(context, {...emptyRun, job: incident.job, at: incident.startedAt}, words),
  });
  if (notification.kind === 'opened') return {kind: 'opened', post: opening};
  const ending = incident.ending;
  const ran =
    ending === null ? null : words.duration(Date.parse(ending.at) - Date.parse(incident.startedAt));
  const line = marked(
    ending?.type === 'finished' && !ending.succeeded ? 'failing' : 'resolved',
    w.closingLine({
      job: incident.job,
      ran,
      outcome:
        ending?.type === 'finished'
          ? ending.succeeded
            ? 'succeeded'
            : 'failed'
          : ending?.type === 'job-gone'
            ? 'gone'
            : ending?.type === 'cronjob-deleted'
              ? 'deleted'
              : 'unknown',
      reason: ending?.type === 'finished' ? ending.run.reason : null,
    }),
  );
  return closingMessages(notification.kind, incident, opening, {
    name,
    line,
    closedTitle: w.closedTitle(name, ran),
    recoveredTitle: w.recoveredTitle(name),
  });
}

/**
 * The messages that close a missed or running-too-long incident: the opening rewritten as
 * closed (the update, and the standalone message when it never went out), the thread reply
 * line, or one message saying both when nothing was sent yet.
 */
function closingMessages(
  kind: 'closed' | 'recovered',
  incident: Incident,
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

const emptyRun: RunRef = {
  job: '',
  jobUid: '',
  manual: false,
  at: null,
  reason: null,
  message: null,
  detail: null,
};

function linksOfCronJob(context: CronJobContext, words: Catalogue): Link[] {
  const links = consoleLinksOf(context, '', null);
  return links === null ? [] : [{type: 'link', url: links.cronJob, label: words.links.cronJob}];
}
