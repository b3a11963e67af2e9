/** The messages about a successful run of a CronJob far shorter than usual. */
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
  value,
} from '../../messages/pieces.js';
import type {WordsOf} from '../../messages/words.js';
import type {FinishedTooFastIncident} from './incident.js';
import type {FinishedTooFastWords} from './words.js';

type Words = WordsOf<FinishedTooFastWords>;

/** Every message a notification about a run that finished too fast may need. */
export function finishedTooFastMessages(
  notification: PendingNotification,
  incident: FinishedTooFastIncident,
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
  const took = words.duration(incident.durationMs);
  const usual = incident.usualMs === null ? null : words.duration(incident.usualMs);
  const floor = words.duration(incident.floorMs);
  const fields: Field[] = [
    {label: labels.cluster, value: value(context.cluster.name)},
    {label: labels.cronJob, value: [code(name)]},
    {label: labels.job, value: words.runValue(code(incident.job), incident.manual)},
    {label: labels.took, value: [text(took)]},
    ...(usual === null ? [] : [{label: labels.usual, value: [text(usual)]}]),
    {label: labels.floor, value: [text(w.floor(floor, incident.floorFrom))]},
    {label: labels.schedule, value: [code(subject.schedule)]},
  ];
  if (incident.fastRuns > 1) {
    fields.push({label: labels.fastRuns, value: [text(words.count(incident.fastRuns))]});
  }
  const opening = message('warning', {
    title: marked('warning', w.openedTitle(name)),
    lead: [text(w.openedLine({job: incident.job, took, usual, floor}))],
    summary: marked(
      'warning',
      w.openedSummary({cronJob: name, cluster: context.cluster.name, took, usual, floor}),
    ),
    fields,
    links: linksOf(cronJob, {...emptyRun, job: incident.job, at: incident.openedAt}, words),
  });
  if (notification.kind === 'opened') return {kind: 'opened', post: opening};
  const ending = incident.ending;
  const line = marked(
    'resolved',
    ending?.type === 'succeeded'
      ? w.closingLine({
          job: ending.run.job,
          took: incident.closedByMs === undefined ? null : words.duration(incident.closedByMs),
          outcome: 'usual',
        })
      : w.closingLine({
          job: null,
          took: null,
          outcome: ending?.type === 'cronjob-deleted' ? 'deleted' : 'unknown',
        }),
  );
  return closingMessages(notification.kind, incident, opening, {
    name,
    line,
    closedTitle: w.closedTitle(name),
    recoveredTitle: w.recoveredTitle(name),
  });
}
