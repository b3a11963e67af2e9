/** Shared incident and notification fixtures for the formatting and notifier tests. */
import type {Incident, PendingNotification, RunRef} from '../../functions/core/incident.js';
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

export const OPEN_INCIDENT: Incident = {
  id: 'cj-uid/uid-1',
  openedAt: '2024-05-01T10:00:00Z',
  openedBy: OPENING_RUN,
  latestFailure: OPENING_RUN,
  failedRuns: 1,
  closedAt: null,
  closedBy: null,
};

export const CLOSED_INCIDENT: Incident = {
  ...OPEN_INCIDENT,
  failedRuns: 3,
  closedAt: '2024-05-01T12:05:30Z',
  closedBy: FIXING_RUN,
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
    namespace: 'batch',
    name: 'backup',
    schedule: '0 * * * *',
    thread,
  };
}
