/** Shared incident and notification fixtures for the formatting and notifier tests. */
import type {
  FailingIncident,
  Incident,
  PendingNotification,
  RunRef,
} from '../../functions/core/incident.js';
import {buildMessages} from '../../functions/core/messages/build.js';
import type {Message} from '../../functions/core/messages/model.js';
import type {NotificationContext} from '../../functions/ports.js';

/** Distinctive, so a leak anywhere is found by a plain substring search. */
export const TOKEN = 'xoxb-TEST-SECRET-0123456789-never-log-me';

export const OPENING_RUN: RunRef = {
  job: 'backup-28578000',
  jobUid: 'uid-1',
  manual: false,
  at: '2024-05-01T10:00:00Z',
  reason: 'BackoffLimitExceeded',
  message: 'Job has reached the specified backoff limit',
  detail: 'container backup: Error (exit 1)',
};

export const FIXING_RUN: RunRef = {
  job: 'backup-manual-x7k2p',
  jobUid: 'uid-4',
  manual: true,
  at: '2024-05-01T12:05:30Z',
  reason: null,
  message: null,
  detail: null,
};

export const OPEN_INCIDENT: FailingIncident = {
  kind: 'failing',
  id: 'cj-uid/uid-1',
  openedAt: '2024-05-01T10:00:00Z',
  openedBy: OPENING_RUN,
  latestFailure: OPENING_RUN,
  failedRuns: 1,
  closedAt: null,
  ending: null,
};

export const CLOSED_INCIDENT: FailingIncident = {
  ...OPEN_INCIDENT,
  failedRuns: 3,
  closedAt: '2024-05-01T12:05:30Z',
  ending: {type: 'succeeded', at: '2024-05-01T12:05:30Z', run: FIXING_RUN},
};

export function notification(
  kind: PendingNotification['kind'],
  incident: Incident,
): PendingNotification {
  return {
    id: `${incident.id}/${kind}`,
    kind,
    incident,
    createdAt: '2024-05-01T12:06:00Z',
    attempts: 0,
    lastError: null,
    claim: null,
  };
}

export function context(thread: NotificationContext['thread'] = null): NotificationContext {
  return {
    cluster: {
      id: 'projects/acme-prod/locations/europe-west1/clusters/prod-eu',
      name: 'prod-eu',
      project: 'acme-prod',
      location: 'europe-west1',
    },
    subject: {
      type: 'cronjob',
      namespace: 'batch',
      name: 'backup',
      uid: 'cj-uid',
      schedule: '0 * * * *',
    },
    thread,
  };
}

/**
 * One of the messages built for a notification of `incident` in the fixtures' context: `post`
 * for opened and recovered ones, `update`, `reply` or `standalone` for closed ones.
 */
export function messageOf(
  kind: PendingNotification['kind'],
  incident: Incident,
  which: 'post' | 'update' | 'reply' | 'standalone',
): Message {
  const built = buildMessages(notification(kind, incident), context());
  const message =
    built.kind === 'closed'
      ? which === 'post'
        ? undefined
        : built[which]
      : built.kind === 'reminder'
        ? which === 'reply'
          ? built.reply
          : undefined
        : built.kind !== 'acted' && which === 'post'
          ? built.post
          : undefined;
  if (message === undefined) throw new Error(`a ${kind} notification has no ${which} message`);
  return message;
}
