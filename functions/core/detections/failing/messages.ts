/**
 * The messages about a failing CronJob: the opening (what failed, why, the Pods, the log
 * excerpt), the opening rewritten as resolved, the thread reply, and one message saying both
 * when nothing was sent yet.
 */
import type {NotificationKind, PendingNotification} from '../../incident.js';
import type {RunRef} from '../../incident-base.js';
import {
  DETAIL_MAX_CHARS,
  FAILURE_MESSAGE_MAX_CHARS,
  VALUE_MAX_CHARS,
  type Field,
  type LogBlock,
  type Message,
  type MessageContext,
  type NotificationMessages,
  type Text,
} from '../../messages/model.js';
import {
  code,
  cronJobName,
  cutToWidth,
  durationTextOf,
  incidentDurationMs,
  isoSeconds,
  linksOf,
  marked,
  message,
  text,
  time,
  value,
  type CronJobContext,
} from '../../messages/pieces.js';
import type {WordsOf} from '../../messages/words.js';
import {endOf, type FailingIncident} from './incident.js';
import type {FailingWords} from './words.js';

type Words = WordsOf<FailingWords>;

/** Every message a notification about a failing streak may need. */
export function failingMessages(
  notification: PendingNotification,
  incident: FailingIncident,
  context: MessageContext,
  words: Words,
): NotificationMessages {
  const subject = context.subject;
  if (subject.type !== 'cronjob') {
    throw new Error(`failing incident ${incident.id} needs a CronJob subject, got a cluster`);
  }
  return messagesOf(notification.kind, incident, {cluster: context.cluster, subject}, words);
}

function messagesOf(
  kind: NotificationKind,
  incident: FailingIncident,
  context: CronJobContext,
  words: Words,
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

function runValue(run: RunRef, words: Words): Text {
  const shown = words.runValue(code(run.job), run.manual);
  return run.gone === undefined ? shown : [...shown, text(words.own.goneMark)];
}

/** Reason (or "unknown reason"), what the Pods say, and the failure message of the latest failure. */
function whyItFailed(
  incident: FailingIncident,
  words: Words,
): Pick<Message, 'reason' | 'details' | 'quote'> {
  const run = incident.latestFailure;
  const labels = {...words.labels, ...words.own.labels};
  const detail = run.detail?.trim() ?? '';
  const quote = run.message?.trim() ?? '';
  const details: Field[] =
    detail === '' ? [] : [{label: labels.pods, value: value(detail, DETAIL_MAX_CHARS)}];
  if (run.gone !== undefined) {
    details.push({label: labels.job, value: [text(words.own.goneNote(run.gone.cause))]});
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

function openingFields(incident: FailingIncident, context: CronJobContext, words: Words): Field[] {
  const labels = {...words.labels, ...words.own.labels};
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
      value: words.own.latestFailureValue(runValue(latest, words), time(latest.at, words)),
    });
  }
  return fields;
}

function openedMessage(incident: FailingIncident, context: CronJobContext, words: Words): Message {
  const run = incident.openedBy;
  return message('failing', {
    title: marked('failing', words.own.openedTitle(cronJobName(context))),
    summary: marked(
      'failing',
      words.own.openedSummary({
        cronJob: cronJobName(context),
        cluster: context.cluster.name,
        reason: run.reason ?? words.unknownReason,
        run: words.own.run(run.job, run.manual),
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
function approximateNotes(incident: FailingIncident, words: Words): Text[] {
  const approximate =
    incident.openedBy.approximateTime === true || incident.latestFailure.approximateTime === true;
  return approximate ? [[text(words.own.approximateTime)]] : [];
}

/** The opening run's log excerpt, when one was asked for. */
function logBlockOf(incident: FailingIncident, words: Words): LogBlock | null {
  const log = incident.log;
  if (log === undefined) return null;
  const title = words.own.log.title(
    cutToWidth(log.container || '?', VALUE_MAX_CHARS),
    cutToWidth(log.pod || '?', VALUE_MAX_CHARS),
  );
  const notes: string[] = [];
  if (log.cut) notes.push(words.own.log.cut);
  if (log.unavailable !== null) {
    const detail = log.unavailable.detail;
    notes.push(
      words.own.log.unavailable(
        log.unavailable.reason,
        detail === null ? null : cutToWidth(detail, VALUE_MAX_CHARS),
      ),
    );
  }
  return {title, text: log.text, notes};
}

/** The opening message as it reads once the incident closed: resolved at the top. */
function resolvedOpeningMessage(
  incident: FailingIncident,
  context: CronJobContext,
  words: Words,
): Message {
  const end = endOf(incident);
  const phrase = words.own.endedPhrase(end, durationTextOf(incident, words));
  const opening = openedMessage(incident, context, words);
  return message('resolved', {
    ...opening,
    title: marked('resolved', words.own.resolvedTitle(phrase, cronJobName(context))),
    summary: marked(
      'resolved',
      words.own.resolvedSummary({
        phrase,
        cronJob: cronJobName(context),
        cluster: context.cluster.name,
        failedRuns: words.own.failedRuns(incident.failedRuns),
        end,
      }),
    ),
    durationMs: incidentDurationMs(incident),
  });
}

/** The reply in the opening message's thread: one line, and when it recovered. */
function closingReply(incident: FailingIncident, words: Words): Message {
  const end = endOf(incident);
  const line = marked(
    'resolved',
    words.own.closingLine({
      phrase: words.own.endedPhrase(end, durationTextOf(incident, words)),
      failedRuns: words.own.failedRuns(incident.failedRuns),
      end,
    }),
  );
  return message('resolved', {
    lead: [text(line)],
    notes: [words.own.recoveredAt(time(incident.closedAt, words))],
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
  words: Words,
): Message {
  const labels = {...words.labels, ...words.own.labels};
  const opened = incident.openedBy;
  const end = endOf(incident);
  const duration = durationTextOf(incident, words);
  const fixedBy = end.type === 'fixed' ? runValue(end.run, words) : [];
  return message(tone, {
    title: marked(
      tone,
      tone === 'recovered'
        ? words.own.recoveredTitle(cronJobName(context))
        : words.own.resolvedTitle(words.own.resolvedPhrase(duration), cronJobName(context)),
    ),
    summary: marked(
      tone,
      words.own.recoveredSummary({
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
      {label: labels.recoveredBy, value: words.own.recoveredBy(end, fixedBy)},
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
