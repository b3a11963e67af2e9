/**
 * The messages built for one notification of an incident in the fixtures' context
 * (notification-fixtures.ts), read as a person in the channel reads them: the plain words of a
 * title, a field, the opening post, the closing's three parts, a reminder, a recovery.
 */
import assert from 'node:assert/strict';
import type {Incident} from '../../functions/core/incident.js';
import {buildMessages} from '../../functions/core/messages/build.js';
import type {Field, Message, NotificationMessages} from '../../functions/core/messages/model.js';
import {plainOf} from '../../functions/core/messages/pieces.js';
import {context, notification} from './notification-fixtures.js';

function build(
  kind: 'opened' | 'closed' | 'recovered' | 'reminder',
  incident: Incident,
  createdAt = '2024-05-01T12:06:00Z',
): NotificationMessages {
  return buildMessages({...notification(kind, incident), createdAt}, context());
}

export const title = (m: Message) => (m.title === null ? '' : plainOf(m.title));

export const field = (f: Field) => `${f.label}: ${plainOf(f.value)}`;

export function post(incident: Incident, createdAt?: string): Message {
  const m = build('opened', incident, createdAt);
  assert.ok(m.kind === 'opened');
  return m.post;
}

export function closing(incident: Incident) {
  const m = build('closed', incident);
  assert.ok(m.kind === 'closed');
  return {
    title: title(m.update),
    lead: m.update.lead === null ? null : plainOf(m.update.lead),
    reply: plainOf(m.reply.summary),
  };
}

export function reminder(incident: Incident, createdAt?: string): string {
  const m = build('reminder', incident, createdAt);
  assert.ok(m.kind === 'reminder');
  return plainOf(m.reply.summary);
}

export function recovered(incident: Incident): string {
  const m = build('recovered', incident);
  assert.ok(m.kind === 'recovered');
  return plainOf(m.post.summary);
}
