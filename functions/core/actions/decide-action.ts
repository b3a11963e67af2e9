/**
 * What a click (or `cronjob-watcher ack` / `snooze`) does to a record: a pure function of the
 * record × the action × who × when. A recorded action changes the open incident and puts one
 * `acted` notification in the outbox, which the usual delivery turns into an update of the
 * opening message and one thread reply. Clicking what is already so changes nothing, so the
 * same click twice (or two people at once) has one effect; an action on an incident that is
 * no longer open changes nothing either.
 */
import {
  isClaimed,
  type ActionEvent,
  type Incident,
  type IncidentKind,
  type PendingNotification,
  type Snooze,
  type SubjectRecord,
} from '../incident.js';
import {countOf, snoozeLasts} from './quiet.js';

/** What someone asked for. `until`: a time, or `recovery` (until the incident closes). */
export type ActionChoice =
  | {type: 'acknowledge'}
  | {type: 'unacknowledge'}
  | {type: 'snooze'; until: Date | 'recovery'}
  | {type: 'unsnooze'};

/** One action on one incident. `by`: a Slack user ID (or the CLI operator's name). */
export interface ActionRequest {
  kind: IncidentKind;
  /** The incident the control belongs to: a later streak of the same kind is another one. */
  incidentId: string;
  choice: ActionChoice;
  by: string;
  at: Date;
  /**
   * Done on this storm's parent message, for every member: the member's message shows it,
   * and the storm's one reply says it (core/storms/actions.ts).
   */
  storm?: string;
}

/** What an action came to. */
export type ActionOutcome =
  /** Recorded: `record` is the record to write. */
  | {type: 'recorded'; record: SubjectRecord; incident: Incident; event: ActionEvent}
  /** Already so (acknowledged by someone, snoozed until then…): nothing to write. */
  | {type: 'unchanged'; incident: Incident}
  /** The incident is closed (or was never known here): nothing to write. */
  | {type: 'closed'; incident: Incident | null};

/** The outcome of `request` on the stored record (null: none). */
export function decideAction(
  record: SubjectRecord | null,
  request: ActionRequest,
  now: Date,
): ActionOutcome {
  const open = record?.open[request.kind];
  if (record === null || open === undefined || open.id !== request.incidentId) {
    const closed = record?.history.find(i => i.id === request.incidentId) ?? null;
    return {type: 'closed', incident: closed};
  }
  const storm = request.storm;
  const acted = applyChoice(open, request, now, {
    countAt: countOf(open),
    ...(storm === undefined ? {} : {storm}),
  });
  if (acted === null) return {type: 'unchanged', incident: open};
  const {state: incident, event} = acted;
  return {type: 'recorded', record: withActed(record, incident, event, now), incident, event};
}

/** Who acknowledged and snoozed something: an incident, or a storm's parent. */
type Acted = Pick<Incident, 'acknowledged' | 'snoozed'>;

/**
 * What `request`'s choice makes of `state` (an open incident, or a storm: who acknowledged and
 * snoozed it), and the event that says so; null when it already is so (acknowledged by someone,
 * snoozed until then, nothing to undo) or the snooze would end before it starts. `snooze`: what
 * else the new snooze records (the incident's count, the storm it came from). The event names
 * the request's storm, if any.
 */
export function applyChoice<S extends Acted>(
  state: S,
  request: Pick<ActionRequest, 'choice' | 'by' | 'at' | 'storm'>,
  now: Date,
  snooze: Pick<Snooze, 'countAt' | 'storm'> = {},
): {state: S; event: ActionEvent} | null {
  const at = request.at.toISOString();
  const {by, choice} = request;
  const storm = request.storm === undefined ? {} : {storm: request.storm};
  switch (choice.type) {
    case 'acknowledge':
      if (state.acknowledged !== undefined) return null;
      return {
        state: {...state, acknowledged: {by, at}},
        event: {type: 'acknowledged', by, at, ...storm},
      };
    case 'unacknowledge':
      if (state.acknowledged === undefined) return null;
      return {
        state: without(state, 'acknowledged'),
        event: {type: 'unacknowledged', by, at, ...storm},
      };
    case 'snooze': {
      const until = choice.until === 'recovery' ? 'recovery' : choice.until.toISOString();
      const current = state.snoozed;
      if (current !== undefined && current.until === until && snoozeLasts(current, now)) {
        return null;
      }
      // A snooze that ends before it starts would be noise: nothing to do.
      if (until !== 'recovery' && Date.parse(until) <= now.getTime()) return null;
      return {
        state: {...state, snoozed: {by, until, at, ...snooze}},
        event: {type: 'snoozed', by, at, until, ...storm},
      };
    }
    case 'unsnooze':
      if (state.snoozed === undefined || !snoozeLasts(state.snoozed, now)) return null;
      return {state: without(state, 'snoozed'), event: {type: 'unsnoozed', by, at, ...storm}};
  }
}

/** True when a snooze of one of the record's open incidents has run out by `now`. */
export function snoozeEnded(record: Pick<SubjectRecord, 'open'>, now: Date): boolean {
  return Object.values(record.open).some(
    i => i?.snoozed !== undefined && !snoozeLasts(i.snoozed, now),
  );
}

/**
 * Ends the snoozes that ran out by `now` on a record whose incidents are still open: each is
 * cleared and one reply says so, with how much the incident's count grew meanwhile. Null when
 * none ran out.
 */
export function endSnoozes(record: SubjectRecord, now: Date): SubjectRecord | null {
  let next: SubjectRecord | null = null;
  for (const open of Object.values(record.open)) {
    const snooze = open?.snoozed;
    if (open === undefined || snooze === undefined || snoozeLasts(snooze, now)) continue;
    const count = countOf(open);
    const incident = without(open, 'snoozed');
    const event: ActionEvent = {
      type: 'snooze-ended',
      by: snooze.by,
      at: snooze.until,
      until: snooze.until,
      meanwhile: Math.max(0, count - (snooze.countAt ?? count)),
      // The storm's own snooze ended at the same time: its reply says it once for all.
      ...(snooze.storm === undefined ? {} : {storm: snooze.storm}),
    };
    next = withActed(next ?? record, incident, event, now);
  }
  return next;
}

/** `value` without one of its optional fields (absent, not undefined: stores keep it so). */
export function without<T extends object, K extends keyof T>(value: T, field: K): T {
  const copy = {...value};
  delete copy[field];
  return copy;
}

/**
 * The record with the incident changed and the change owed to the channel. An opening not yet
 * sent goes out showing the change and needs no reply of its own: nobody saw it before.
 */
function withActed(
  record: SubjectRecord,
  incident: Incident,
  event: ActionEvent,
  now: Date,
): SubjectRecord {
  let pendingOpening = false;
  const outbox = record.outbox.map(n => {
    if (n.kind !== 'opened' || n.incident.id !== incident.id || isClaimed(n, now)) return n;
    pendingOpening = true;
    return {...n, incident};
  });
  if (!pendingOpening) outbox.push(actedNotification(incident, event, now));
  return {
    ...record,
    open: {...record.open, [incident.kind]: incident},
    outbox,
    updatedAt: now.toISOString(),
  };
}

function actedNotification(incident: Incident, event: ActionEvent, now: Date): PendingNotification {
  return {
    id: `${incident.id}/${event.type}:${event.by}@${event.at}`,
    kind: 'acted',
    incident,
    action: event,
    createdAt: now.toISOString(),
    attempts: 0,
    lastError: null,
    claim: null,
  };
}
