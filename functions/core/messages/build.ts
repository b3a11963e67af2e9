/**
 * `buildMessages` turns a notification into every message it may need (opened → `post`;
 * closed → `update` of the opening message, thread `reply`, `standalone`; recovered → `post`;
 * acted → `update` of the opening message, thread `reply`)
 * as neutral `Message`s, in the words of the language its incident was opened with (English
 * when it has none). The incident's own detection fills them (found in the registry); what
 * every kind shares is added here: the runbook link, the opening's mention, the short reply
 * of a muted incident, the CronJob's recent runs on every card, an open incident's acknowledge
 * and snooze controls (core/actions).
 */
import {detectionOf} from '../detections/registry.js';
import {actionReply, withControls} from '../actions/messages.js';
import type {
  Destination,
  Incident,
  PendingNotification,
  TransitionNotification,
} from '../incident.js';
import {COMMON_WORDS} from './catalogue.js';
import type {Language} from './languages.js';
import type {
  Action,
  Message,
  MessageContext,
  NotificationMessages,
  RecentRunsLine,
} from './model.js';
import {incidentDurationMs, oneLine, text, time} from './pieces.js';
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
  if (notification.kind === 'acted') {
    return actedMessages(notification, notification.kind, context, language, words);
  }
  const transition = {...notification, kind: notification.kind};
  const built =
    notification.kind === 'closed' && notification.incident.ending?.type === 'muted'
      ? mutedMessages(notification.incident, words)
      : withRecentRuns(
          messagesOfKind(transition, context, language),
          recentRunsPart(context.recentRuns ?? [], words),
        );
  const noted = heldNoted(built, notification.incident, words);
  const sent = destination === undefined ? noted : addressed(noted, destination, words);
  return sent.kind === 'opened'
    ? {...sent, post: withControls(sent.post, notification.incident, context, words, language)}
    : sent;
}

/** An opening held for a maintenance window says so, with the window's times. */
function heldNoted(
  built: NotificationMessages,
  incident: Incident,
  words: CommonWords,
): NotificationMessages {
  const window = incident.maintenance;
  if (window === undefined || (built.kind !== 'opened' && built.kind !== 'recovered')) {
    return built;
  }
  const note = words.maintenanceNote(time(window.start, words), time(window.end, words));
  return {...built, post: {...built.post, notes: [...built.post.notes, note]}};
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
    // A reminder is a one-line reply; an acted update is built from an opening, which has them
    // already.
    case 'reminder':
    case 'acted':
      return built;
  }
}

/**
 * Someone acknowledged or snoozed the incident (or a snooze ended): its opening message as it
 * now stands, to replace the one in the channel, and one thread reply that says what happened.
 */
function actedMessages(
  notification: PendingNotification,
  kind: 'acted',
  context: MessageContext,
  language: Language,
  words: CommonWords,
): NotificationMessages {
  const {incident, action} = notification;
  const opening = buildMessages({...notification, kind: 'opened'}, context);
  if (opening.kind !== 'opened' || action === undefined) {
    throw new Error(`${notification.id}: an ${kind} notification without its action`);
  }
  return {
    kind,
    update: opening.post,
    reply:
      action.storm === undefined
        ? actionReply(action, incident, opening.post.tone, words, language)
        : null,
  };
}

function messagesOfKind(
  notification: TransitionNotification,
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
    case 'reminder':
      return built;
    case 'closed':
      return {
        ...built,
        update: linked(built.update),
        reply: linked(built.reply),
        standalone: linked(built.standalone),
      };
    case 'acted':
      return built;
  }
}
