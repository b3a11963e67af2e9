/**
 * `buildMessages` turns a notification into every message it may need (opened → `post`;
 * closed → `update` of the opening message, thread `reply`, `standalone`; recovered → `post`)
 * as neutral `Message`s, in the words of the language its incident was opened with (English
 * when it has none). The incident's own detection fills them (found in the registry); what
 * every kind shares is added here: the runbook link, the opening's mention, the short reply
 * of a muted incident, the CronJob's recent runs on every card.
 */
import {detectionOf} from '../detections/registry.js';
import type {Destination, Incident, PendingNotification} from '../incident.js';
import {COMMON_WORDS} from './catalogue.js';
import type {Language} from './languages.js';
import type {
  Action,
  Message,
  MessageContext,
  NotificationMessages,
  RecentRunsLine,
} from './model.js';
import {incidentDurationMs, oneLine, text} from './pieces.js';
import {recentRunsPart} from './recent-runs.js';
import type {CommonWords} from './words.js';

/** Every message a notification may need. */
export function buildMessages(
  notification: PendingNotification,
  context: MessageContext,
): NotificationMessages {
  const destination = notification.incident.destination;
  const language: Language = destination?.language ?? 'en';
  const words = COMMON_WORDS[language];
  const built =
    notification.kind === 'closed' && notification.incident.ending?.type === 'muted'
      ? mutedMessages(notification.incident, words)
      : withRecentRuns(
          messagesOfKind(notification, context, language),
          recentRunsPart(context.recentRuns ?? [], words),
        );
  return destination === undefined ? built : addressed(built, destination, words);
}

/**
 * The recent runs under every card's fields (openings, closed openings, standalone closings):
 * what the run before looked like is the first question about any of them. One-line messages
 * stay one line.
 */
function withRecentRuns(
  built: NotificationMessages,
  recentRuns: RecentRunsLine | null,
): NotificationMessages {
  if (recentRuns === null) return built;
  const card = (m: Message): Message => (m.title === null ? m : {...m, recentRuns});
  switch (built.kind) {
    case 'opened':
      return {...built, post: card(built.post)};
    case 'recovered':
      return {kind: built.kind, post: card(built.post)};
    case 'closed':
      return {...built, update: card(built.update), standalone: card(built.standalone)};
  }
}

function messagesOfKind(
  notification: PendingNotification,
  context: MessageContext,
  language: Language,
): NotificationMessages {
  const incident = notification.incident;
  const detection = detectionOf(incident.kind);
  const words = {...COMMON_WORDS[language], own: detection.words[language]};
  return detection.messages(notification, incident, context, words);
}

/** The short thread reply of an incident closed by `cronjob-watcher/ignore`. */
function mutedMessages(incident: Incident, words: CommonWords): NotificationMessages {
  const reply = oneLine('resolved', [text(words.mutedLine)], incidentDurationMs(incident));
  return {kind: 'closed', update: reply, reply, standalone: reply, quiet: true};
}

/**
 * The destination's parts of every message: the runbook button on every card (one-line
 * messages stay one line), the opening's mention.
 */
function addressed(
  built: NotificationMessages,
  destination: Destination,
  words: CommonWords,
): NotificationMessages {
  const runbook: Action[] =
    destination.runbook === null
      ? []
      : [{type: 'link', id: 'runbook', url: destination.runbook, label: words.actions.runbook}];
  const linked = (m: Message): Message =>
    m.title === null ? m : {...m, actions: [...m.actions, ...runbook]};
  switch (built.kind) {
    case 'opened':
      return {
        ...built,
        post: {
          ...linked(built.post),
          ...(destination.mention === null ? {} : {mention: destination.mention}),
        },
      };
    case 'recovered':
      return {kind: built.kind, post: linked(built.post)};
    case 'closed':
      return {
        ...built,
        update: linked(built.update),
        reply: linked(built.reply),
        standalone: linked(built.standalone),
      };
  }
}
