/** The messages about a Job of a CronJob running past its limit. */
import {MISSED_RUNS_CAP, type PendingNotification} from '../../incident.js';
import {
  DETAIL_MAX_CHARS,
  type Field,
  type MessageContext,
  type NotificationMessages,
} from '../../messages/model.js';
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
  type CronJobContext,
} from '../../messages/pieces.js';
import type {WordsOf} from '../../messages/words.js';
import type {RunningTooLongIncident} from './incident.js';
import type {RunningTooLongWords} from './words.js';

type Words = WordsOf<RunningTooLongWords>;

/** Every message a notification about a Job running too long may need. */
export function runningTooLongMessages(
  notification: PendingNotification,
  incident: RunningTooLongIncident,
  context: MessageContext,
  words: Words,
): NotificationMessages {
  const subject = context.subject;
  if (subject.type !== 'cronjob') {
    throw new Error(`${incident.kind} incident ${incident.id} needs a CronJob subject`);
  }
  return cronJobMessages(notification, incident, {cluster: context.cluster, subject}, words);
}

function cronJobMessages(
  notification: PendingNotification,
  incident: RunningTooLongIncident,
  context: CronJobContext,
  words: Words,
): NotificationMessages {
  const labels = {...words.labels, ...words.own.labels};
  const w = words.own;
  const name = cronJobName(context);
  const runningFor = words.duration(
    Date.parse(notification.createdAt) - Date.parse(incident.startedAt),
  );
  const fields: Field[] = [
    {label: labels.cluster, value: value(context.cluster.name)},
    {label: labels.cronJob, value: [code(name)]},
    {label: labels.job, value: words.runValue(code(incident.job), incident.manual)},
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
  const about = {cronJob: name, cluster: context.cluster.name, job: incident.job};
  const blocked = {
    blocked: incident.blockedRuns,
    capped: incident.blockedRuns >= MISSED_RUNS_CAP,
  };
  const suspended = incident.suspended === true;
  const opening = message('stuck', {
    title: marked('stuck', suspended ? w.suspendedTitle(name) : w.openedTitle(name)),
    lead: [
      text(
        suspended
          ? w.suspendedLine({job: incident.job, ...blocked})
          : w.openedLine({job: incident.job, runningFor}),
      ),
    ],
    summary: marked(
      'stuck',
      suspended
        ? w.suspendedSummary({...about, ...blocked})
        : w.openedSummary({...about, runningFor}),
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
