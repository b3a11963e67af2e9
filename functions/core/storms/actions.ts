/**
 * Acknowledge and snooze on a storm's parent message: one click acts on every member still
 * open, as if each member's own controls were clicked (decide-action.ts, with the storm named
 * so each member's message is updated without a reply of its own), and the storm's thread
 * gets one reply that says what was done to how many. Pure; slack-actions.ts runs it.
 *
 * - The storm record keeps the state its parent shows (`acknowledged`, `snoozed`) and owes
 *   the `acted` message (rewrite the parent, post the reply) like its other messages: claimed
 *   before it is sent, recorded after. Messages owed while another is owed wait in `queued`.
 * - Clicking what already is so on the parent, or on a storm whose members all recovered,
 *   changes nothing.
 * - A snooze from the parent ends for every member at once; the storm's one reply says so
 *   (`endStormSnooze`), each member's message just loses its "snoozed" line.
 */
import {
  applyChoice,
  without,
  type ActionChoice,
  type ActionRequest,
} from '../actions/decide-action.js';
import {snoozeLasts} from '../actions/quiet.js';
import {queueSend} from './storm.js';
import type {ActionEvent, StormMember, StormSend, StormState, SubjectRecord} from '../incident.js';

/** One action on a storm's parent. `by`: a Slack user ID (or the CLI operator's name). */
export interface StormActionRequest {
  stormId: string;
  choice: ActionChoice;
  by: string;
  at: Date;
}

/** What an action on a storm's parent came to. */
export type StormActionOutcome =
  /** Recorded: `record` is the storm record to write; `requests` act on each open member. */
  | {type: 'recorded'; record: SubjectRecord; requests: StormMemberRequest[]; event: ActionEvent}
  /** Already so: nothing to write. */
  | {type: 'unchanged'; storm: StormState}
  /** Every member recovered (or the storm is unknown here): nothing to write. */
  | {type: 'closed'};

/** The action to take on one member's record, at its key. */
export interface StormMemberRequest {
  key: string;
  request: ActionRequest;
}

/** The members the parent's controls act on: those not recovered. */
export function openMembers(storm: StormState): StormMember[] {
  return storm.members.filter(m => m.recoveredAt === null);
}

/** The outcome of `request` on the stored storm record (null: none). */
export function decideStormAction(
  record: SubjectRecord | null,
  request: StormActionRequest,
  now: Date,
): StormActionOutcome {
  const storm = record?.storm;
  if (record === null || storm === undefined || storm.id !== request.stormId) {
    return {type: 'closed'};
  }
  const open = openMembers(storm);
  if (storm.finishedAt !== null || open.length === 0) return {type: 'closed'};
  // The parent's own state changes as an incident's would; its snooze records nothing more.
  const acted = applyChoice(storm, {...request, storm: storm.id}, now);
  if (acted === null) return {type: 'unchanged', storm};
  const {state: next, event} = acted;
  const {by, choice} = request;
  const requests = open.map(m => ({
    key: m.key,
    request: {
      kind: m.kind,
      incidentId: m.incidentId,
      choice,
      by,
      at: request.at,
      storm: storm.id,
    },
  }));
  const owed = queueSend(next, actedSend(storm.id, event, open.length, now));
  return {
    type: 'recorded',
    record: {...record, storm: owed, updatedAt: now.toISOString()},
    requests,
    event,
  };
}

/**
 * Ends the parent's snooze once it ran out at `now` while members are still open: the parent
 * drops its "snoozed" line and its thread gets one reply. Null when there is nothing to end.
 */
export function endStormSnooze(record: SubjectRecord | null, now: Date): SubjectRecord | null {
  const storm = record?.storm;
  const snooze = storm?.snoozed;
  if (record === null || storm === undefined || snooze === undefined) return null;
  if (snoozeLasts(snooze, now) || snooze.until === 'recovery') return null;
  const rest = without(storm, 'snoozed');
  const open = openMembers(storm).length;
  // Everyone recovered meanwhile: the parent already says so, nothing more to tell.
  if (storm.finishedAt !== null || open === 0) {
    return {...record, storm: rest, updatedAt: now.toISOString()};
  }
  const event: ActionEvent = {
    type: 'snooze-ended',
    by: snooze.by,
    at: snooze.until,
    until: snooze.until,
    meanwhile: 0,
    storm: storm.id,
  };
  return {
    ...record,
    storm: queueSend(rest, actedSend(storm.id, event, open, now)),
    updatedAt: now.toISOString(),
  };
}

function actedSend(stormId: string, event: ActionEvent, count: number, now: Date): StormSend {
  return {
    id: `${stormId}/${event.type}:${event.by}@${event.at}`,
    kind: 'acted',
    createdAt: now.toISOString(),
    attempts: 0,
    lastError: null,
    claim: null,
    action: event,
    count,
  };
}
