/**
 * The messages about a Job of a CronJob running past its limit: the opening card (stuck how
 * long and why in the headline; the Job, since when, the limit), the opening shrunk to its
 * story once the Job ended, the one-line thread reply, and one line when nothing was sent yet.
 */
import {MISSED_RUNS_CAP, type TransitionNotification} from '../../incident.js';
import {
  DETAIL_MAX_CHARS,
  type Field,
  type Message,
  type MessageContext,
  type NotificationMessages,
  type Text,
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
  podCausesOf,
  podDetailsOf,
  runOf,
  shellWord,
  shortCauseOf,
  text,
  time,
  type CronJobContext,
} from '../../messages/pieces.js';
import type {WordsOf} from '../../messages/words.js';
import type {RunningTooLongIncident} from './incident.js';
import type {RunningTooLongWords} from './words.js';

type Words = WordsOf<RunningTooLongWords>;

/** Every message a notification about a Job running too long may need. */
export function runningTooLongMessages(
  notification: TransitionNotification,
  incident: RunningTooLongIncident,
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
      const line = words.own.reminderLine(incident.job, ranFor);
      return {kind: 'reminder', reply: oneLine('stuck', marked('stuck', [text(line)]))};
    }
  }
}

/** What its Pods said instead of running, short: `ImagePullBackOff`; null when nothing. */
function stuckCauseOf(incident: RunningTooLongIncident): string | null {
  const first = podCausesOf(incident.podDetail)[0];
  return first === undefined ? null : shortCauseOf(first);
}

function openedMessage(
  incident: RunningTooLongIncident,
  context: CronJobContext,
  createdAt: string,
  words: Words,
): Message {
  const w = words.own;
  const name = cronJobName(context);
  const started = parseTime(incident.startedAt);
  const now = parseTime(createdAt);
  const runningFor =
    started === null || now === null ? words.unknownDuration : words.duration(now - started);
  const cause = stuckCauseOf(incident);
  const blocked = {
    job: incident.job,
    blocked: incident.blockedRuns,
    capped: incident.blockedRuns >= MISSED_RUNS_CAP,
  };
  const title = headline(
    'stuck',
    [
      text(
        incident.suspended === true
          ? w.suspendedLine(name, blocked)
          : cause === null
            ? w.runningLine(name, runningFor, words.duration(incident.limitMs))
            : w.stuckLine(name, runningFor, cause),
      ),
    ],
    context.cluster.name,
  );
  const fields: Field[] = [
    {label: words.labels.job, value: runOf(incident, words)},
    {label: w.labels.started, value: time(incident.startedAt, words)},
    {
      label: w.labels.limit,
      value: [text(w.limit(words.duration(incident.limitMs), incident.limitFrom))],
    },
  ];
  if (incident.blockedRuns > 0) {
    fields.push({label: w.labels.blockedRuns, value: [text(w.blockedRunsValue(blocked))]});
  }
  const namespace = context.subject.namespace;
  return message('stuck', {
    title,
    summary: title,
    fields,
    details: podDetailsOf(podCausesOf(incident.podDetail), DETAIL_MAX_CHARS, words),
    commands: [
      kubectl(namespace, 'describe', shellWord(`job/${incident.job}`)),
      logsCommand(namespace, incident.job),
    ],
    actions: consoleActionsOf(context, {job: incident.job, at: incident.startedAt}, words),
  });
}

function outcomeOf(incident: RunningTooLongIncident, words: Words): Text {
  const ending = incident.ending;
  return words.own.outcomeLine({
    job: runOf(incident, words),
    ran: watchedRunTookOf(incident.startedAt, incident.ending, words),
    outcome: watchedRunOutcomeOf(incident.ending),
    reason: ending?.type === 'finished' ? ending.run.reason : null,
  });
}

function sinceOf(incident: RunningTooLongIncident, words: Words): Text {
  return words.own.sinceLine(time(incident.startedAt, words), stuckCauseOf(incident));
}

/** The opening once the Job ended: the headline says so, one line tells the story. */
function resolvedMessage(
  incident: RunningTooLongIncident,
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
