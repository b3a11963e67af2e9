/**
 * Whether people in Slack have quieted an incident: acknowledged it (someone took it on) or
 * snoozed it (until a time, or until it recovers). Reminders never go to a quieted incident,
 * and the digest tells acknowledged ones apart. Pure.
 */
import type {IncidentBase} from './incident-base.js';

/** Acknowledged, or snoozed until recovery or until a time after `now`. */
export function isQuieted(
  incident: Pick<IncidentBase, 'acknowledged' | 'snoozed'>,
  now: Date,
): boolean {
  if (incident.acknowledged !== undefined) return true;
  const snoozed = incident.snoozed;
  if (snoozed === undefined) return false;
  if (snoozed.until === 'recovery') return true;
  const until = Date.parse(snoozed.until);
  // An unreadable time silences nothing: a reminder too many beats a problem forgotten.
  return Number.isFinite(until) && until > now.getTime();
}
