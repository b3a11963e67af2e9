/**
 * Reminders of a storm: one reply in the parent's thread at each reminder time
 * (`REMINDERS`, counted from when the first member opened, as an incident's are) that says how
 * many of its CronJobs are still open, instead of one reminder per member in the same thread
 * (core/reminders.ts leaves members of a storm to this). Pure; storm-delivery.ts runs it on
 * the storm record in the pass that reads every member.
 *
 * - Never while the storm is acknowledged or snoozed from its parent, never once it is over.
 * - When every open member is acknowledged or snoozed on its own, the reminder time is used
 *   up without a word.
 * - Reminder times that had already passed when the storm formed (an old outage seen late)
 *   are used up: the members' openings were just announced.
 */
import {isAcknowledgedOrSnoozed, snoozeLasts} from '../actions/quiet.js';
import type {StormSend, SubjectRecord} from '../incident.js';
import {remindersDueBy} from '../reminders.js';
import {queueSend} from './storm.js';

/**
 * The storm record with the reminder owed at `now` (and its time used up) given its members'
 * records (`records`, by key: every record of the cluster that needs attention; a member absent
 * from it has nothing open); null when none is owed.
 */
export function stormReminderDue(
  record: SubjectRecord | null,
  records: ReadonlyMap<string, SubjectRecord>,
  offsets: readonly number[],
  now: Date,
): SubjectRecord | null {
  const storm = record?.storm;
  if (record === null || storm === undefined) return null;
  if (storm.finishedAt !== null || storm.parent === null) return null;
  if (storm.acknowledged !== undefined) return null;
  if (storm.snoozed !== undefined && snoozeLasts(storm.snoozed, now)) return null;
  const openedMs = Date.parse(storm.openedAt);
  const due = remindersDueBy(offsets, openedMs, now.getTime());
  const passedAtFormation =
    storm.formedAt === undefined
      ? 0
      : remindersDueBy(offsets, openedMs, Date.parse(storm.formedAt));
  const used = Math.max(storm.reminders?.sent ?? 0, passedAtFormation);
  if (due <= used) return null;
  const open = storm.members.filter(m => m.recoveredAt === null);
  const unquiet = open.filter(m => {
    const incident = records.get(m.key)?.open[m.kind];
    return incident?.id === m.incidentId && !isAcknowledgedOrSnoozed(incident, now);
  });
  const reminders = {sent: due, lastAt: now.toISOString()};
  if (unquiet.length === 0) {
    return {...record, storm: {...storm, reminders}, updatedAt: now.toISOString()};
  }
  const send: StormSend = {
    id: `${storm.id}/reminder-${due}`,
    kind: 'reminder',
    createdAt: now.toISOString(),
    attempts: 0,
    lastError: null,
    claim: null,
    count: open.length,
  };
  return {
    ...record,
    storm: queueSend({...storm, reminders}, send),
    updatedAt: now.toISOString(),
  };
}
