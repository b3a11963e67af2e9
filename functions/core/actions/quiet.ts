/**
 * Whether an open incident is quieted: acknowledged by someone, or snoozed until a time that
 * has not come (or until it recovers). Reminders and digests read this, never the fields.
 */
import type {
  Acknowledgement,
  Incident,
  IncidentBase,
  IncidentKind,
  IncidentOf,
  Snooze,
} from '../incident.js';

/** Why an incident is quiet now. */
export type Quiet =
  | ({type: 'snoozed'} & Pick<Snooze, 'by' | 'until' | 'at'>)
  | ({type: 'acknowledged'} & Acknowledgement);

/** True while the snooze lasts at `now`. */
export function snoozeLasts(snooze: Snooze, now: Date): boolean {
  return snooze.until === 'recovery' || Date.parse(snooze.until) > now.getTime();
}

/** The open incident's snooze while it lasts at `now`; null when none does (or it is closed). */
export function lastingSnooze(
  incident: Pick<IncidentBase, 'snoozed' | 'closedAt'>,
  now: Date,
): Snooze | null {
  const snooze = incident.snoozed;
  if (incident.closedAt !== null || snooze === undefined) return null;
  return snoozeLasts(snooze, now) ? snooze : null;
}

/**
 * Why the incident is quiet at `now` (a live snooze first: it says until when), or null when
 * it is not: nobody acknowledged it and no snooze lasts. A closed incident is never quiet.
 */
export function quietedBy(
  incident: Pick<IncidentBase, 'acknowledged' | 'snoozed' | 'closedAt'>,
  now: Date,
): Quiet | null {
  if (incident.closedAt !== null) return null;
  const snooze = lastingSnooze(incident, now);
  if (snooze !== null) {
    return {type: 'snoozed', by: snooze.by, until: snooze.until, at: snooze.at};
  }
  const ack = incident.acknowledged;
  return ack === undefined ? null : {type: 'acknowledged', by: ack.by, at: ack.at};
}

/** True when someone acknowledged the open incident or a snooze of it lasts at `now`. */
export function isAcknowledgedOrSnoozed(
  incident: Pick<IncidentBase, 'acknowledged' | 'snoozed' | 'closedAt'>,
  now: Date,
): boolean {
  return quietedBy(incident, now) !== null;
}

/**
 * What each kind counts while it is open, so a snooze's end can say what happened meanwhile.
 * A new kind does not compile until it says what it counts.
 */
const COUNTS: {[K in IncidentKind]: (incident: IncidentOf<K>) => number} = {
  failing: i => i.failedRuns,
  missed: i => i.missedRuns,
  'running-too-long': i => i.blockedRuns,
  'cluster-unreadable': i => i.failedReads,
  'finished-too-fast': i => i.fastRuns,
  // One run that goes on: nothing to count while it does.
  'slower-than-usual': () => 0,
};

/** The incident's count: failed runs, missed runs, runs it blocked, failed reads. */
export function countOf(incident: Incident): number {
  return (COUNTS[incident.kind] as (i: Incident) => number)(incident);
}
