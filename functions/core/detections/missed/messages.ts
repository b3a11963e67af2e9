/** The messages about due times of a CronJob for which no run started. */
import {MISSED_RUNS_CAP} from '../../incident-base.js';
import type {PendingNotification} from '../../incident.js';
import type {Field, MessageContext, NotificationMessages} from '../../messages/model.js';
import {
  closingMessages,
  code,
  cronJobName,
  durationTextOf,
  isoSeconds,
  linksOfCronJob,
  marked,
  message,
  parseTime,
  text,
  time,
  value,
  type CronJobContext,
} from '../../messages/pieces.js';
import type {WordsOf} from '../../messages/words.js';
import type {MissedIncident} from './incident.js';
import type {MissedWords} from './words.js';

type Words = WordsOf<MissedWords>;

/** Every message a notification about missed runs may need. */
export function missedMessages(
  notification: PendingNotification,
  incident: MissedIncident,
  context: MessageContext,
  words: Words,
): NotificationMessages {
  const subject = context.subject;
  if (subject.type !== 'cronjob') {
    throw new Error(`${incident.kind} incident ${incident.id} needs a CronJob subject`);
  }
  return cronJobMessages(notification, incident, {cluster: context.cluster, subject}, words);
}

/** A wall-clock time in the CronJob's own zone: `09:00 JST`, for "did not start at". */
function localTime(iso: string, timeZone: string, words: Words): string {
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

function cronJobMessages(
  notification: PendingNotification,
  incident: MissedIncident,
  context: CronJobContext,
  words: Words,
): NotificationMessages {
  const labels = {...words.labels, ...words.own.labels};
  const w = words.own;
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
