/**
 * The messages about a failing CronJob: the opening card (what failed and why in the headline;
 * the run, when it last succeeded and runs next; the log excerpt; commands and buttons), the
 * opening shrunk to its story once resolved, the one-line thread reply, and one line saying
 * both when nothing was sent yet.
 */
import type {TransitionNotification} from '../../incident.js';
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
  ageAt,
  consoleActionsOf,
  cronJobContextOf,
  cronJobName,
  cutToWidth,
  durationTextOf,
  headline,
  incidentDurationMs,
  logsCommand,
  marked,
  message,
  nextRunAfter,
  oneLine,
  parseTime,
  podCausesOf,
  podDetailsOf,
  rerunCommand,
  runOf,
  shortCauseOf,
  text,
  time,
  value,
  type CronJobContext,
  type PodCause,
} from '../../messages/pieces.js';
import type {WordsOf} from '../../messages/words.js';
import {endOf, type FailingEnd, type FailingIncident} from './incident.js';
import type {FailingWords} from './words.js';

type Words = WordsOf<FailingWords>;

/**
 * Reasons that say the Job gave up, not why its Pods failed: the Pods' own cause (OOMKilled,
 * exit 1) leads instead when one is known.
 */
const GIVE_UP_REASONS = new Set([
  'BackoffLimitExceeded',
  'PodFailurePolicy',
  'MaxFailedIndexesExceeded',
  'FailedIndexes',
]);

/** The Job controller's own messages for its reasons: they restate the reason, so not quoted. */
const CONTROLLER_MESSAGES = new Set([
  'Job has reached the specified backoff limit',
  'Job was active longer than specified deadline',
  'Job has failed indexes',
  'Job has exceeded the specified maximal number of failed indexes',
]);

/** Every message a notification about a failing streak may need. */
export function failingMessages(
  notification: TransitionNotification,
  incident: FailingIncident,
  context: MessageContext,
  words: Words,
): NotificationMessages {
  const c = cronJobContextOf(incident, context);
  switch (notification.kind) {
    case 'opened': {
      const post = openedMessage(incident, c, notification.createdAt, words);
      const reply = handedOverReply(incident, words);
      return reply === null ? {kind: 'opened', post} : {kind: 'opened', post, reply};
    }
    case 'closed': {
      const resolved = resolvedMessage(incident, c, words);
      return {
        kind: 'closed',
        update: resolved,
        reply: closingReply(incident, words),
        standalone: resolved,
      };
    }
    case 'recovered':
      return {kind: 'recovered', post: recoveredMessage(incident, c, words)};
    case 'reminder': {
      const line = words.own.reminderLine({
        age: ageAt(incident, notification.createdAt, words),
        failedRuns: incident.failedRuns,
        cause: causeOf(incident.latestFailure, words).cause,
      });
      return {kind: 'reminder', reply: oneLine('failing', marked('failing', [text(line)]))};
    }
  }
}

/** Why a run failed, for a headline, and which of its Pods' causes that is. */
function causeOf(run: RunRef, words: Words): {cause: string; shown: PodCause | null} {
  const causes = podCausesOf(run.detail);
  const first = causes[0];
  if (first !== undefined && (run.reason === null || GIVE_UP_REASONS.has(run.reason))) {
    return {cause: shortCauseOf(first), shown: first};
  }
  return {cause: cutToWidth(run.reason ?? words.unknownReason, VALUE_MAX_CHARS), shown: null};
}

/** What the card adds to the headline's cause: the reason it hides, other Pods, the message. */
function whyItFailed(
  incident: FailingIncident,
  words: Words,
): Pick<Message, 'reason' | 'details' | 'quote'> {
  const run = incident.latestFailure;
  const {shown} = causeOf(run, words);
  // The headline's cause is not repeated, unless it was shortened there.
  const causes = podCausesOf(run.detail).filter(
    (c, i) => !(i === 0 && shown !== null && shortCauseOf(c) === c.what),
  );
  const details: Field[] = podDetailsOf(causes, DETAIL_MAX_CHARS, words);
  if (run.gone !== undefined) {
    details.push({label: words.labels.job, value: [text(words.own.goneNote(run.gone.cause))]});
  }
  const quote = run.message?.trim() ?? '';
  const label =
    run.jobUid === incident.openedBy.jobUid
      ? words.own.labels.reason
      : words.own.labels.latestReason;
  return {
    // The reason is worth a line only when the headline shows the Pods' cause instead.
    reason: shown === null || run.reason === null ? null : {label, value: value(run.reason)},
    details,
    quote:
      quote === '' || CONTROLLER_MESSAGES.has(quote)
        ? null
        : cutToWidth(quote, FAILURE_MESSAGE_MAX_CHARS),
  };
}

function runValue(run: RunRef, words: Words): Text {
  const shown = runOf(run, words);
  return run.gone === undefined ? shown : [...shown, text(words.own.goneMark)];
}

function openingFields(
  incident: FailingIncident,
  createdAt: string,
  words: Words,
  schedule: string,
): Field[] {
  const latest = incident.latestFailure;
  const fields: Field[] = [
    {label: words.labels.job, value: runValue(latest, words)},
    {label: words.own.labels.failed, value: time(latest.at ?? incident.openedAt, words)},
  ];
  if (incident.failedRuns > 1) {
    fields.push({
      label: words.own.labels.failedRuns,
      value: words.own.failedRunsValue(incident.failedRuns, time(incident.openedAt, words)),
    });
  }
  const known = incident.cronJobAtOpen;
  if (known !== undefined) {
    fields.push({
      label: words.labels.lastSuccess,
      value: known.lastSuccessAt === null ? [text(words.never)] : time(known.lastSuccessAt, words),
    });
    const next = nextRunAfter(schedule, known.timeZone, createdAt);
    if (next !== null) fields.push({label: words.labels.nextRun, value: time(next, words)});
  }
  return fields;
}

function openedMessage(
  incident: FailingIncident,
  context: CronJobContext,
  createdAt: string,
  words: Words,
): Message {
  const latest = incident.latestFailure;
  const name = cronJobName(context);
  const title = headline(
    'failing',
    [text(words.own.failedLine(name, causeOf(latest, words).cause))],
    context.cluster.name,
  );
  const {namespace, name: cronJob} = context.subject;
  return message('failing', {
    title,
    summary: title,
    lead: storyOfLongRun(incident, words),
    fields: openingFields(incident, createdAt, words, context.subject.schedule),
    ...whyItFailed(incident, words),
    log: logBlockOf(incident, words),
    commands: [
      ...(latest.gone === undefined ? [logsCommand(namespace, latest.job)] : []),
      rerunCommand(namespace, cronJob),
    ],
    actions: consoleActionsOf(context, latest, words),
    notes: approximateNotes(incident, words),
  });
}

/** How long the Job it continues ran before it failed; null when not known. */
function ranForOf(incident: FailingIncident, words: Words): string | null {
  const started = parseTime(incident.continuedFrom?.startedAt);
  const ended = parseTime(incident.openedBy.at ?? incident.openedAt);
  return started === null || ended === null ? null : words.duration(ended - started);
}

/** The story so far when a Job ran too long and then failed: it stays on the opening. */
function storyOfLongRun(incident: FailingIncident, words: Words): Text | null {
  const from = incident.continuedFrom;
  if (from === undefined) return null;
  const stuck = podCausesOf(from.podDetail)[0];
  return marked(
    'stuck',
    words.own.ranTooLongLine({
      startedAt: time(from.startedAt, words),
      stuck: stuck === undefined ? null : shortCauseOf(stuck),
      ranFor: ranForOf(incident, words),
    }),
  );
}

/** The one line posted in the thread of the Job that ran too long, when this continues it. */
function handedOverReply(incident: FailingIncident, words: Words): Message | null {
  if (incident.continues === undefined) return null;
  const cause = causeOf(incident.openedBy, words).cause;
  return oneLine('failing', [
    text(`🐢→🔴 ${words.own.handedOverLine(ranForOf(incident, words), cause)}`),
  ]);
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

function fixedByOf(end: FailingEnd, words: Words): Text {
  return end.type === 'fixed' ? runValue(end.run, words) : [];
}

/**
 * The opening once the streak closed (and the message sent instead when the opening never
 * went out): the headline says it is over, one line tells the whole story, the buttons stay.
 */
function resolvedMessage(
  incident: FailingIncident,
  context: CronJobContext,
  words: Words,
): Message {
  const end = endOf(incident);
  const title = headline(
    'resolved',
    [text(words.own.endedLine(cronJobName(context), end, durationTextOf(incident, words)))],
    context.cluster.name,
  );
  return message('resolved', {
    title,
    summary: title,
    lead: words.own.storyLine({
      failedAt: time(incident.openedAt, words),
      cause: causeOf(incident.openedBy, words).cause,
      failedRuns: incident.failedRuns,
      end,
      fixedBy: fixedByOf(end, words),
      endedAt: time(incident.closedAt, words),
    }),
    actions: consoleActionsOf(context, null, words),
    durationMs: incidentDurationMs(incident),
  });
}

/** The reply in the opening's thread: one line. */
function closingReply(incident: FailingIncident, words: Words): Message {
  const end = endOf(incident);
  const line = words.own.closingLine({
    duration: durationTextOf(incident, words),
    failedRuns: incident.failedRuns,
    end,
    fixedBy: fixedByOf(end, words),
  });
  return oneLine('resolved', marked('resolved', line), incidentDurationMs(incident));
}

/** Failed and recovered before anything was sent: an FYI, one line. */
function recoveredMessage(
  incident: FailingIncident,
  context: CronJobContext,
  words: Words,
): Message {
  const end = endOf(incident);
  const line = headline(
    'recovered',
    words.own.recoveredLine({
      cronJob: cronJobName(context),
      failedAt: time(incident.openedAt, words),
      cause: causeOf(incident.openedBy, words).cause,
      duration: durationTextOf(incident, words),
      end,
      fixedBy: fixedByOf(end, words),
    }),
    context.cluster.name,
  );
  return oneLine('recovered', line, incidentDurationMs(incident));
}
