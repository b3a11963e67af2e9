/** The messages about a run of a CronJob going on far longer than usual. */
import type {PendingNotification} from '../../incident.js';
import type {Field, MessageContext, NotificationMessages} from '../../messages/model.js';
import {
  closingMessages,
  code,
  cronJobName,
  emptyRun,
  linksOf,
  marked,
  message,
  text,
  time,
  value,
} from '../../messages/pieces.js';
import type {WordsOf} from '../../messages/words.js';
import type {SlowerThanUsualIncident} from './incident.js';
import type {SlowerThanUsualWords} from './words.js';

type Words = WordsOf<SlowerThanUsualWords>;

/** Every message a notification about a run slower than usual may need. */
export function slowerThanUsualMessages(
  notification: PendingNotification,
  incident: SlowerThanUsualIncident,
  context: MessageContext,
  words: Words,
): NotificationMessages {
  const subject = context.subject;
  if (subject.type !== 'cronjob') {
    throw new Error(`${incident.kind} incident ${incident.id} needs a CronJob subject`);
  }
  const cronJob = {cluster: context.cluster, subject};
  const w = words.own;
  const labels = {...words.labels, ...w.labels};
  const name = cronJobName(cronJob);
  const usual = words.duration(incident.usualMs);
  const runningFor = words.duration(
    Date.parse(notification.createdAt) - Date.parse(incident.startedAt),
  );
  const fields: Field[] = [
    {label: labels.cluster, value: value(context.cluster.name)},
    {label: labels.cronJob, value: [code(name)]},
    {label: labels.job, value: words.runValue(code(incident.job), incident.manual)},
    {label: labels.startedAt, value: time(incident.startedAt, words)},
    {label: labels.usual, value: [text(usual)]},
    {label: labels.schedule, value: [code(subject.schedule)]},
  ];
  const opening = message('stuck', {
    title: marked('stuck', w.openedTitle(name)),
    lead: [text(w.openedLine({job: incident.job, runningFor, usual}))],
    summary: marked(
      'stuck',
      w.openedSummary({cronJob: name, cluster: context.cluster.name, runningFor, usual}),
    ),
    fields,
    links: linksOf(cronJob, {...emptyRun, job: incident.job, at: incident.startedAt}, words),
  });
  if (notification.kind === 'opened') return {kind: 'opened', post: opening};
  const ending = incident.ending;
  const ran =
    ending === null ? null : words.duration(Date.parse(ending.at) - Date.parse(incident.startedAt));
  const failed = ending?.type === 'finished' && !ending.succeeded;
  const line = marked(
    failed ? 'failing' : 'resolved',
    w.closingLine({
      job: incident.job,
      ran,
      usual,
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
