/**
 * What acknowledging and snoozing add to messages: the state lines and the controls of an
 * open incident's opening message, and the messages of an `acted` notification (the opening
 * message as it now stands, and one thread reply). Called by `buildMessages`.
 */
import {keyOfSubject, type ActionEvent, type Incident, type IncidentBase} from '../incident.js';
import type {Language} from '../messages/languages.js';
import type {Action, Message, MessageContext, Text} from '../messages/model.js';
import {oneLine, time} from '../messages/pieces.js';
import type {CommonWords} from '../messages/words.js';
import {encodeIncidentRef, SNOOZE_CHOICES, SNOOZE_END_VALUE, type SnoozeChoice} from './ids.js';
import {ACTION_WORDS} from './words.js';

function person(id: string): Text {
  return [{type: 'user', id}];
}

/** Who acknowledged or snoozed an incident (or a storm's members). */
export type ActedState = Pick<IncidentBase, 'acknowledged' | 'snoozed'>;

/** What the incident's state says, for the opening message's notes: who acknowledged, snoozed. */
export function stateLines(incident: ActedState, words: CommonWords, language: Language): Text[] {
  const w = ACTION_WORDS[language];
  const lines: Text[] = [];
  const ack = incident.acknowledged;
  if (ack !== undefined) lines.push(w.acknowledgedBy(person(ack.by), time(ack.at, words)));
  const snooze = incident.snoozed;
  if (snooze !== undefined) {
    lines.push(
      snooze.until === 'recovery'
        ? w.snoozedUntilRecovery(person(snooze.by))
        : w.snoozedUntil(person(snooze.by), time(snooze.until, words)),
    );
  }
  return lines;
}

/**
 * The opening message of an open incident with its state lines first among the notes and the
 * controls first in its row: Acknowledge (Unacknowledge once someone did) and the snooze menu
 * (with "End snooze" while snoozed). A closed incident's messages get none of this. When the
 * incident reference does not fit Slack's button value, no control is offered: a button that
 * cannot say which incident it is about would be worse than none.
 */
export function withControls(
  post: Message,
  incident: Incident,
  context: MessageContext,
  words: CommonWords,
  language: Language,
): Message {
  if (incident.closedAt !== null) return post;
  const value = encodeIncidentRef({
    cluster: context.cluster,
    key: keyOfSubject(context.subject),
    kind: incident.kind,
    id: incident.id,
  });
  return withControlsFor(post, incident, value, words, language);
}

/**
 * `post` with the state lines first among its notes and, when `value` names what they act
 * on, the controls first in its row: Acknowledge (Unacknowledge once someone did) and the
 * snooze menu (with "End snooze" while snoozed). Storm parents get them too (core/storms/).
 */
export function withControlsFor(
  post: Message,
  state: ActedState,
  value: string | null,
  words: CommonWords,
  language: Language,
): Message {
  const w = ACTION_WORDS[language];
  const notes = [...stateLines(state, words, language), ...post.notes];
  if (value === null) return {...post, notes};
  const acknowledged = state.acknowledged !== undefined;
  const choices = Object.keys(SNOOZE_CHOICES) as SnoozeChoice[];
  const controls: Action[] = [
    acknowledged
      ? {type: 'button', id: 'unacknowledge', label: w.unacknowledge, value}
      : {type: 'button', id: 'acknowledge', label: w.acknowledge, value},
    {
      type: 'menu',
      id: 'snooze',
      label: w.snooze,
      options: [
        ...choices.map(c => ({label: w.snoozeChoices[c], value: c})),
        ...(state.snoozed === undefined ? [] : [{label: w.endSnooze, value: SNOOZE_END_VALUE}]),
      ],
    },
  ];
  return {...post, notes, actions: [...controls, ...post.actions]};
}

/** The thread reply of an action. */
export function actionReply(
  event: ActionEvent,
  incident: Incident,
  tone: Message['tone'],
  words: CommonWords,
  language: Language,
): Message {
  const w = ACTION_WORDS[language];
  const who = person(event.by);
  let line: Text;
  switch (event.type) {
    case 'acknowledged':
      line = w.acknowledgedReply(who);
      break;
    case 'unacknowledged':
      line = w.unacknowledgedReply(who);
      break;
    case 'snoozed':
      line =
        event.until === 'recovery'
          ? w.snoozedUntilRecoveryReply(who)
          : w.snoozedReply(who, time(event.until, words));
      break;
    case 'unsnoozed':
      line = w.unsnoozedReply(who);
      break;
    case 'snooze-ended':
      line = w.snoozeEndedReply(
        who,
        event.meanwhile === 0 ? null : w.counted(incident.kind, event.meanwhile),
      );
      break;
  }
  return oneLine(tone, line);
}

/** What only the person who clicked is told, when a click changes nothing. */
export type EphemeralAnswer = keyof ActionWordsEphemeral;
type ActionWordsEphemeral = (typeof ACTION_WORDS)[Language]['ephemeral'];

/**
 * An answer for the person who clicked alone: why nothing changed, with the incident's state
 * lines when it already is so (who acknowledged it, until when it is snoozed).
 */
export function ephemeralAnswer(
  answer: EphemeralAnswer,
  incident: ActedState | null,
  words: CommonWords,
  language: Language,
): Message {
  const lines: Text[] = [[{type: 'text', text: ACTION_WORDS[language].ephemeral[answer]}]];
  if (answer === 'unchanged' && incident !== null) {
    lines.push(...stateLines(incident, words, language));
  }
  return oneLine(
    'resolved',
    lines.flatMap((line, i) => (i === 0 ? line : [{type: 'text', text: '\n'}, ...line])),
  );
}
