/**
 * The messages about a cluster the watcher cannot read. The opening leads with what it means
 * (no CronJob alerts from that cluster) and the fix; the error as the watcher got it follows in
 * a code block. Once readable again: the opening shrinks to its story, a one-line reply.
 */
import type {TransitionNotification} from '../../incident.js';
import type {ReadError} from '../../incident-base.js';
import {
  FAILURE_MESSAGE_MAX_CHARS,
  type Field,
  type MessageContext,
  type NotificationMessages,
} from '../../messages/model.js';
import {
  ageAt,
  cutToWidth,
  durationTextOf,
  incidentDurationMs,
  marked,
  message,
  oneLine,
  text,
  time,
} from '../../messages/pieces.js';
import type {WordsOf} from '../../messages/words.js';
import type {ClusterUnreadableIncident} from './incident.js';
import type {ClusterUnreadableWords, ReadProblem} from './words.js';

type Words = WordsOf<ClusterUnreadableWords>;

/** The problem an error code stands for (codes: errors.ts `ClusterErrorCode`). */
function problemOf(error: ReadError): ReadProblem {
  switch (error.code) {
    case 'FORBIDDEN': {
      // `cannot list cronjobs.batch at the cluster scope (403 Forbidden)`: the verb and the
      // resource, without its API group.
      const m = /cannot (\w+) ([a-z0-9-]+)(?:\.[a-z0-9.-]+)?/.exec(error.message);
      return {type: 'forbidden', verb: m?.[1] ?? null, resource: m?.[2] ?? null};
    }
    case 'UNAUTHORIZED':
      return {type: 'unauthorized'};
    case 'NOT_FOUND':
      return {type: 'not-found'};
    case 'UNREACHABLE':
      return {type: 'unreachable'};
    case 'TIMEOUT':
      return {type: 'timeout'};
    case 'TLS':
      return {type: 'tls'};
    case 'CONFIG':
      return {type: 'config'};
    default:
      return {type: 'server'};
  }
}

/** The HTTP status the error names (`(403 Forbidden)`), if any. */
function statusOf(error: ReadError): string | null {
  return /\((\d{3})\b/.exec(error.message)?.[1] ?? null;
}

/** Every message a notification about an unreadable cluster may need. */
export function clusterUnreadableMessages(
  notification: TransitionNotification,
  incident: ClusterUnreadableIncident,
  context: MessageContext,
  words: Words,
): NotificationMessages {
  const w = words.own;
  const cluster = cutToWidth(context.cluster.name, 200);
  const error = incident.latestError;
  const problem = w.problem(problemOf(error), statusOf(error));
  const reads = w.failedReads(incident.failedReads);
  const durationMs = incidentDurationMs(incident);
  if (notification.kind === 'opened') {
    const fix = w.fix(problemOf(error));
    const title = marked('unreadable', [text(`${w.blind(cluster)}: ${w.cannotRead}`)]);
    const fields: Field[] = [{label: w.labels.since, value: time(incident.openedAt, words)}];
    if (incident.failedReads > 1) {
      fields.push({label: w.labels.failedReads, value: [text(words.count(incident.failedReads))]});
    }
    const post = message('unreadable', {
      title,
      summary: marked('unreadable', [text(`${w.blind(cluster)}: ${problem}`)]),
      lead: [text(fix === null ? problem : `${problem} → ${fix}`)],
      fields,
      log: {
        title: w.errorTitle,
        text: cutToWidth(`${error.code}: ${error.message}`, FAILURE_MESSAGE_MAX_CHARS),
        notes: [],
      },
    });
    return {kind: 'opened', post};
  }
  if (notification.kind === 'reminder') {
    const line = w.reminderLine(ageAt(incident, notification.createdAt, words), reads, problem);
    return {kind: 'reminder', reply: oneLine('unreadable', marked('unreadable', [text(line)]))};
  }
  const duration = durationTextOf(incident, words);
  const title = marked('resolved', [text(w.endedLine(cluster, duration))]);
  const resolved = message('resolved', {
    title,
    summary: title,
    lead: w.storyLine(time(incident.openedAt, words), problem, reads),
    durationMs,
  });
  if (notification.kind === 'recovered') return {kind: 'recovered', post: resolved};
  return {
    kind: 'closed',
    update: resolved,
    reply: oneLine(
      'resolved',
      marked('resolved', [text(w.closingLine(duration, reads))]),
      durationMs,
    ),
    standalone: resolved,
  };
}
