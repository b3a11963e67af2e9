/**
 * The messages about a successful run far shorter than the CronJob's runs usually take: the
 * opening warning (how long it took and how long usually, in the headline; the Job, when it
 * finished, the floor it fell under), the opening shrunk to its story once a run of usual
 * length came, the one-line thread reply, and one line when nothing was sent yet.
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
  ageAt,
  consoleActionsOf,
  cronJobContextOf,
  cronJobName,
  headline,
  incidentDurationMs,
  logsCommand,
  marked,
  message,
  oneLine,
  runOf,
  text,
  time,
  type CronJobContext,
} from '../../messages/pieces.js';
import type {WordsOf} from '../../messages/words.js';
import type {FinishedTooFastIncident} from './incident.js';
import type {FastRunEnd, FinishedTooFastWords, Took} from './words.js';

type Words = WordsOf<FinishedTooFastWords>;

/** Every message a notification about a run that finished too fast may need. */
export function finishedTooFastMessages(
  notification: TransitionNotification,
  incident: FinishedTooFastIncident,
  context: MessageContext,
  words: Words,
): NotificationMessages {
  const c = cronJobContextOf(incident, context);
  switch (notification.kind) {
    case 'opened':
      return {kind: 'opened', post: openedMessage(incident, c, words)};
    case 'closed': {
      const resolved = resolvedMessage(incident, c, words);
      const reply = oneLine(
        'resolved',
        marked('resolved', endOf(incident, words)),
        incidentDurationMs(incident),
      );
      return {kind: 'closed', update: resolved, reply, standalone: resolved};
    }
    case 'recovered': {
      const line = headline(
        'recovered',
        words.own.recoveredLine(cronJobName(c), tookOf(incident, words), endOf(incident, words)),
        c.cluster.name,
      );
      return {kind: 'recovered', post: oneLine('recovered', line, incidentDurationMs(incident))};
    }
    case 'reminder': {
      const age = ageAt(incident, notification.createdAt, words);
      const line = words.own.reminderLine(age, incident.fastRuns);
      return {kind: 'reminder', reply: oneLine('warning', marked('warning', [text(line)]))};
    }
  }
}

function tookOf(incident: FinishedTooFastIncident, words: Words): Took {
  return {
    took: words.duration(incident.durationMs),
    usual: incident.usualMs === null ? null : words.duration(incident.usualMs),
    floor: words.duration(incident.floorMs),
  };
}

function openedMessage(
  incident: FinishedTooFastIncident,
  context: CronJobContext,
  words: Words,
): Message {
  const w = words.own;
  const title = headline(
    'warning',
    [text(w.fastLine(cronJobName(context), tookOf(incident, words)))],
    context.cluster.name,
  );
  const fields: Field[] = [
    {label: words.labels.job, value: runOf(incident, words)},
    {label: w.labels.finished, value: time(incident.openedAt, words)},
    {
      label: w.labels.floor,
      value: [text(w.floor(words.duration(incident.floorMs), incident.floorFrom))],
    },
  ];
  if (incident.fastRuns > 1) {
    fields.push({label: w.labels.fastRuns, value: [text(words.count(incident.fastRuns))]});
  }
  return message('warning', {
    title,
    summary: title,
    lead: [text(w.question)],
    fields,
    commands: [logsCommand(context.subject.namespace, incident.job)],
    actions: consoleActionsOf(context, {job: incident.job, at: incident.openedAt}, words),
  });
}

function endKind(incident: FinishedTooFastIncident): FastRunEnd {
  switch (incident.ending?.type) {
    case 'succeeded':
      return 'usual';
    case 'cronjob-deleted':
      return 'deleted';
    default:
      return 'unknown';
  }
}

/** What closed it: `load-29540400 took 4m 5s, a usual length again`. */
function endOf(incident: FinishedTooFastIncident, words: Words): Text {
  const ending = incident.ending;
  return words.own.endLine({
    job: ending?.type === 'succeeded' ? runOf(ending.run, words) : null,
    took: incident.closedByMs === undefined ? null : words.duration(incident.closedByMs),
    end: endKind(incident),
  });
}

/** The opening once a run of usual length came: the headline says so, one line the story. */
function resolvedMessage(
  incident: FinishedTooFastIncident,
  context: CronJobContext,
  words: Words,
): Message {
  const w = words.own;
  const title = headline(
    'resolved',
    [text(w.closedLine(cronJobName(context), endKind(incident)))],
    context.cluster.name,
  );
  return message('resolved', {
    title,
    summary: title,
    lead: [
      ...w.storyLine(runOf(incident, words), tookOf(incident, words), incident.fastRuns),
      text(w.storyJoin),
      ...endOf(incident, words),
    ],
    actions: consoleActionsOf(context, {job: incident.job, at: incident.openedAt}, words),
    durationMs: incidentDurationMs(incident),
  });
}
