/**
 * The messages about due times of a CronJob for which no run started: the opening card (which
 * due time, how often it is due, when it last started and runs next), the opening shrunk to its
 * story once runs resumed, the one-line thread reply, and one line when nothing was sent yet.
 */
import {MISSED_RUNS_CAP} from '../../incident-base.js';
import type {TransitionNotification} from '../../incident.js';
import type {Field, Message, MessageContext, NotificationMessages} from '../../messages/model.js';
import {
  ageAt,
  cadenceOf,
  consoleActionsOf,
  cronJobContextOf,
  cronJobName,
  durationTextOf,
  headline,
  incidentDurationMs,
  kubectl,
  marked,
  message,
  nextRunAfter,
  oneLine,
  rerunCommand,
  shellWord,
  text,
  time,
  type CronJobContext,
} from '../../messages/pieces.js';
import type {WordsOf} from '../../messages/words.js';
import type {MissedIncident} from './incident.js';
import type {MissedEnd, MissedWords} from './words.js';

type Words = WordsOf<MissedWords>;

/** Every message a notification about missed runs may need. */
export function missedMessages(
  notification: TransitionNotification,
  incident: MissedIncident,
  context: MessageContext,
  words: Words,
): NotificationMessages {
  const c = cronJobContextOf(incident, context);
  const w = words.own;
  const capped = incident.missedRuns >= MISSED_RUNS_CAP;
  const count = w.missedRuns(incident.missedRuns, capped);
  const due = time(incident.firstDueAt, words);
  switch (notification.kind) {
    case 'opened':
      return {kind: 'opened', post: openedMessage(incident, c, notification.createdAt, words)};
    case 'closed': {
      const end = endOf(incident);
      const duration = durationTextOf(incident, words);
      const title = headline(
        'resolved',
        [text(w.endedLine(cronJobName(c), end, duration))],
        c.cluster.name,
      );
      const resolved = message('resolved', {
        title,
        summary: title,
        lead: w.storyLine({
          due,
          end,
          resumedDue: incident.ending?.type === 'started' ? time(incident.ending.at, words) : null,
          count,
        }),
        actions: consoleActionsOf(c, null, words),
        durationMs: incidentDurationMs(incident),
      });
      const reply = oneLine(
        'resolved',
        marked('resolved', [text(w.closingLine(end, duration, count))]),
        incidentDurationMs(incident),
      );
      return {kind: 'closed', update: resolved, reply, standalone: resolved};
    }
    case 'recovered': {
      const line = headline(
        'recovered',
        w.recoveredLine({
          cronJob: cronJobName(c),
          due,
          duration: durationTextOf(incident, words),
          count,
        }),
        c.cluster.name,
      );
      return {kind: 'recovered', post: oneLine('recovered', line, incidentDurationMs(incident))};
    }
    case 'reminder': {
      const line = w.reminderLine({
        age: ageAt(incident, notification.createdAt, words),
        count,
        latestDue: time(incident.latestDueAt, words),
      });
      return {kind: 'reminder', reply: oneLine('missed', marked('missed', line))};
    }
  }
}

function endOf(incident: MissedIncident): MissedEnd {
  switch (incident.ending?.type) {
    case 'started':
      return 'started';
    case 'suspended':
      return 'suspended';
    case 'cronjob-deleted':
      return 'deleted';
    default:
      return 'unknown';
  }
}

function openedMessage(
  incident: MissedIncident,
  context: CronJobContext,
  createdAt: string,
  words: Words,
): Message {
  const w = words.own;
  const title = headline(
    'missed',
    w.didNotStartLine(
      cronJobName(context),
      time(incident.firstDueAt, words),
      cadenceOf(incident.schedule, incident.timeZone, words),
    ),
    context.cluster.name,
  );
  const fields: Field[] = [
    {
      label: w.labels.lastStarted,
      value:
        incident.lastStartedAt === null
          ? [text(w.neverStarted)]
          : time(incident.lastStartedAt, words),
    },
  ];
  const next = nextRunAfter(incident.schedule, incident.timeZone, createdAt);
  if (next !== null) fields.push({label: words.labels.nextRun, value: time(next, words)});
  if (incident.missedRuns > 1) {
    fields.push({
      label: w.labels.missedRuns,
      value: [text(w.missedRunsValue(incident.missedRuns, incident.missedRuns >= MISSED_RUNS_CAP))],
    });
  }
  const {namespace, name} = context.subject;
  return message('missed', {
    title,
    summary: title,
    fields,
    commands: [
      // The CronJob controller says why it skipped a start in the CronJob's events.
      kubectl(namespace, 'get events', shellWord(`--field-selector=involvedObject.name=${name}`)),
      rerunCommand(namespace, name),
    ],
    actions: consoleActionsOf(context, null, words),
  });
}
