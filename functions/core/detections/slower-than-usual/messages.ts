/**
 * The messages about a run going on far longer than the CronJob's runs usually take: the
 * opening card (how long so far and how long usually, in the headline; the Job, since when, the
 * usual time, from when on it counts as slow), the opening shrunk to its story once the run
 * ended, the one-line thread reply, and one line when nothing was sent yet.
 */
import type {TransitionNotification} from '../../incident.js';
import type {
  Field,
  Message,
  MessageContext,
  NotificationMessages,
  Text,
} from '../../messages/model.js';
import {
  consoleActionsOf,
  cronJobContextOf,
  cronJobName,
  headline,
  incidentDurationMs,
  kubectl,
  logsCommand,
  marked,
  message,
  oneLine,
  parseTime,
  watchedRunOutcomeOf,
  watchedRunToneOf,
  watchedRunTookOf,
  runOf,
  shellWord,
  text,
  time,
  type CronJobContext,
} from '../../messages/pieces.js';
import type {WordsOf} from '../../messages/words.js';
import type {SlowerThanUsualWords} from './words.js';
import type {SlowerThanUsualIncident} from './incident.js';

type Words = WordsOf<SlowerThanUsualWords>;

/** Every message a notification about a run slower than usual may need. */
export function slowerThanUsualMessages(
  notification: TransitionNotification,
  incident: SlowerThanUsualIncident,
  context: MessageContext,
  words: Words,
): NotificationMessages {
  const c = cronJobContextOf(incident, context);
  switch (notification.kind) {
    case 'opened':
      return {kind: 'opened', post: openedMessage(incident, c, notification.createdAt, words)};
    case 'closed': {
      const resolved = resolvedMessage(incident, c, words);
      const reply = oneLine(
        'resolved',
        marked(watchedRunToneOf(incident.ending), outcomeOf(incident, words)),
        incidentDurationMs(incident),
      );
      return {kind: 'closed', update: resolved, reply, standalone: resolved};
    }
    case 'recovered': {
      const line = headline(
        'recovered',
        words.own.recoveredLine(
          cronJobName(c),
          sinceOf(incident, words),
          outcomeOf(incident, words),
        ),
        c.cluster.name,
      );
      return {kind: 'recovered', post: oneLine('recovered', line, incidentDurationMs(incident))};
    }
    case 'reminder': {
      const started = parseTime(incident.startedAt);
      const at = parseTime(notification.createdAt);
      const ranFor =
        started === null || at === null
          ? words.unknownDuration
          : words.duration(Math.max(0, at - started));
      const line = words.own.reminderLine(incident.job, ranFor, words.duration(incident.usualMs));
      return {kind: 'reminder', reply: oneLine('warning', marked('warning', [text(line)]))};
    }
  }
}

function openedMessage(
  incident: SlowerThanUsualIncident,
  context: CronJobContext,
  createdAt: string,
  words: Words,
): Message {
  const w = words.own;
  const started = parseTime(incident.startedAt);
  const now = parseTime(createdAt);
  const runningFor =
    started === null || now === null ? words.unknownDuration : words.duration(now - started);
  const usual = words.duration(incident.usualMs);
  const title = headline(
    'stuck',
    [text(w.runningLine(cronJobName(context), runningFor, usual))],
    context.cluster.name,
  );
  const fields: Field[] = [
    {label: words.labels.job, value: runOf(incident, words)},
    {label: w.labels.started, value: time(incident.startedAt, words)},
    {label: w.labels.usual, value: [text(usual)]},
    {label: w.labels.slowAfter, value: [text(words.duration(incident.limitMs))]},
  ];
  const namespace = context.subject.namespace;
  return message('stuck', {
    title,
    summary: title,
    fields,
    commands: [
      kubectl(namespace, 'describe', shellWord(`job/${incident.job}`)),
      logsCommand(namespace, incident.job),
    ],
    actions: consoleActionsOf(context, {job: incident.job, at: incident.startedAt}, words),
  });
}

function outcomeOf(incident: SlowerThanUsualIncident, words: Words): Text {
  const ending = incident.ending;
  return words.own.outcomeLine({
    job: runOf(incident, words),
    ran: watchedRunTookOf(incident.startedAt, incident.ending, words),
    usual: words.duration(incident.usualMs),
    outcome: watchedRunOutcomeOf(incident.ending),
    reason: ending?.type === 'finished' ? ending.run.reason : null,
  });
}

function sinceOf(incident: SlowerThanUsualIncident, words: Words): Text {
  return words.own.sinceLine(time(incident.startedAt, words), words.duration(incident.usualMs));
}

/** The opening once the run ended: the headline says so, one line tells the story. */
function resolvedMessage(
  incident: SlowerThanUsualIncident,
  context: CronJobContext,
  words: Words,
): Message {
  const title = headline(
    'resolved',
    [
      text(
        words.own.endedLine(
          cronJobName(context),
          watchedRunOutcomeOf(incident.ending),
          watchedRunTookOf(incident.startedAt, incident.ending, words),
          words.duration(incident.usualMs),
        ),
      ),
    ],
    context.cluster.name,
  );
  return message('resolved', {
    title,
    summary: title,
    lead: [...sinceOf(incident, words), text(words.own.storyJoin), ...outcomeOf(incident, words)],
    actions: consoleActionsOf(context, {job: incident.job, at: incident.startedAt}, words),
    durationMs: incidentDurationMs(incident),
  });
}
