/** The messages about a cluster the watcher cannot read. */
import type {NotificationKind, PendingNotification} from '../../incident.js';
import type {ClusterRef} from '../../model.js';
import {
  FAILURE_MESSAGE_MAX_CHARS,
  type Message,
  type MessageContext,
  type NotificationMessages,
} from '../../messages/model.js';
import {
  durationTextOf,
  incidentDurationMs,
  isoSeconds,
  marked,
  message,
  text,
  time,
  value,
} from '../../messages/pieces.js';
import type {WordsOf} from '../../messages/words.js';
import type {ClusterUnreadableIncident} from './incident.js';
import type {ClusterUnreadableWords} from './words.js';

type Words = WordsOf<ClusterUnreadableWords>;

/** Every message a notification about an unreadable cluster may need. */
export function clusterUnreadableMessages(
  notification: PendingNotification,
  incident: ClusterUnreadableIncident,
  context: MessageContext,
  words: Words,
): NotificationMessages {
  return messagesOf(notification.kind, incident, context.cluster, words);
}

function messagesOf(
  kind: NotificationKind,
  incident: ClusterUnreadableIncident,
  cluster: ClusterRef,
  words: Words,
): NotificationMessages {
  const labels = {...words.labels, ...words.own.labels};
  const error = incident.latestError;
  const why = words.own.why(error.code, error.message);
  const facts: Pick<Message, 'fields' | 'reason'> = {
    fields: [
      {label: labels.cluster, value: value(cluster.id)},
      {label: labels.unreadableSince, value: time(incident.openedAt, words)},
      {label: labels.failedReads, value: [text(words.count(incident.failedReads))]},
    ],
    reason: {label: labels.why, value: value(why, FAILURE_MESSAGE_MAX_CHARS)},
  };
  if (kind === 'opened') {
    const post = message('unreadable', {
      title: marked('unreadable', words.own.openedTitle(cluster.name)),
      summary: marked(
        'unreadable',
        words.own.openedSummary({
          cluster: cluster.name,
          since: isoSeconds(incident.openedAt, words),
          failedReads: words.own.failedReads(incident.failedReads),
          why,
        }),
      ),
      ...facts,
      notes: [[text(words.own.whileUnreadable)]],
    });
    return {kind, post};
  }
  const line = marked(
    'resolved',
    words.own.closingLine(
      durationTextOf(incident, words),
      words.own.failedReads(incident.failedReads),
    ),
  );
  const durationMs = incidentDurationMs(incident);
  const closed = message('resolved', {
    title: words.own.closedTitle(line, cluster.name),
    summary: words.own.closedSummary({
      line,
      cluster: cluster.name,
      since: isoSeconds(incident.openedAt, words),
    }),
    ...facts,
    durationMs,
  });
  if (kind === 'recovered') return {kind, post: closed};
  return {
    kind,
    update: closed,
    reply: message('resolved', {lead: [text(line)], summary: line, durationMs}),
    standalone: closed,
  };
}
