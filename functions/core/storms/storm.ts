/**
 * Storms: when one pass owes a channel many openings at once (a node pool that cannot pull
 * images, a shared database down), one parent message says so and each incident's own message
 * goes in its thread. Pure decisions over records; delivery (functions/storm-delivery.ts) runs
 * them in store transactions.
 *
 * - **Who is in a storm.** Openings owed to one channel in this pass that were never attempted
 *   (no claim, no attempt, not in doubt), are not held by a maintenance window, and start a
 *   message of their own (not a reply in a thread they continue), STORM_THRESHOLD or more of
 *   them (`groupStorms`). Each joins by a
 *   change to its own record (`joinStorm`): an opening another pass claimed meanwhile stays out.
 * - **The storm record** (subject `storm`, key `~storm/<id>`) lists the members and owes the
 *   parent message as a `StormSend`, claimed before it is sent and recorded after, like every
 *   notification (outbox.ts): the parent is posted once. It is written after the members joined,
 *   from what they say (`stormRecordOf`); a pass that died in between leaves members pointing at
 *   a storm with no record, and the next pass writes it from them the same way.
 * - **Members wait for their parent**: an opening that joined a storm goes in the parent's
 *   thread once the parent is posted; its later messages follow it there (the delivered
 *   message keeps the thread).
 * - **The parent is kept current** (`observeStorm`): a member whose incident is no longer open
 *   counts as recovered; when the count the parent shows is behind, it owes a `progress`
 *   update, the last one "all recovered after …".
 * - **Acknowledge and snooze on the parent** act on every open member (storms/actions.ts).
 */
import {continuedThreadOf} from '../detections/relations.js';
import {
  isHeld,
  openIncidents,
  RECORD_SCHEMA_VERSION,
  type Destination,
  type Incident,
  type PendingNotification,
  type StormMember,
  type StormSend,
  type StormState,
  type SubjectRecord,
} from '../incident.js';
import {podCausesOf, shortCauseOf} from '../messages/pieces.js';
import {without} from '../actions/decide-action.js';
import {rosterSends} from './roster.js';

/**
 * Openings to one channel in one pass that make a storm. Five at once is already more than a
 * person reads as separate news, and rarely a coincidence.
 */
export const DEFAULT_STORM_THRESHOLD = 5;
/** Distinct mentions a parent carries: each member's team is paged once, not once per member. */
export const STORM_MENTIONS_MAX = 5;

/** A storm to form: its id, its channel (null: the configured one) and its members' keys. */
export interface StormGroup {
  id: string;
  channel: string | null;
  keys: string[];
}

/**
 * The opening a record owes that may join a storm, if any: its first message, an opening never
 * attempted, not already in a storm, that starts a message of its own.
 */
export function stormCandidateOf(record: SubjectRecord, now: Date): PendingNotification | null {
  if (record.subject.type !== 'cronjob') return null;
  const first = record.outbox[0];
  if (first === undefined || first.kind !== 'opened' || first.storm !== undefined) return null;
  // Held by a maintenance window: announced on its own once the window ends, if still open.
  if (isHeld(first, now)) return null;
  // Attempted before: it may be in the channel already, as a message of its own.
  if (first.claim !== null || first.attempts > 0 || first.firstAttemptAt !== undefined) return null;
  if (first.lastOutcome !== undefined) return null;
  const continues = continuedThreadOf(first.incident);
  // It continues another incident's message: it stays in that thread.
  if (continues !== undefined && record.threads.some(t => t.incidentId === continues)) return null;
  return first;
}

/** The channel an incident's messages go to; null: the configured one. */
function channelOf(incident: Incident): string | null {
  return incident.destination?.channel ?? null;
}

/**
 * Who is in a storm this pass: per channel, the candidates (`stormCandidateOf`) of `records`
 * when there are `threshold` or more of them, in the order given. The id is made of the
 * pass's time and the channel, so two channels' storms never share one.
 */
export function groupStorms(
  records: Iterable<readonly [string, SubjectRecord]>,
  threshold: number,
  now: Date,
): StormGroup[] {
  const byChannel = new Map<string | null, string[]>();
  for (const [key, record] of records) {
    const candidate = stormCandidateOf(record, now);
    if (candidate === null) continue;
    const channel = channelOf(candidate.incident);
    byChannel.set(channel, [...(byChannel.get(channel) ?? []), key]);
  }
  const groups: StormGroup[] = [];
  for (const [channel, keys] of byChannel) {
    if (keys.length < threshold) continue;
    groups.push({id: `${now.toISOString()}#${channel ?? ''}`, channel, keys});
  }
  return groups;
}

/** Puts the record's opening in storm `stormId`; null when it is no longer a candidate. */
export function joinStorm(
  record: SubjectRecord | null,
  stormId: string,
  now: Date,
): SubjectRecord | null {
  if (record === null) return null;
  const candidate = stormCandidateOf(record, now);
  if (candidate === null) return null;
  return {
    ...record,
    outbox: record.outbox.map(n => (n === candidate ? {...n, storm: stormId} : n)),
    updatedAt: now.toISOString(),
  };
}

/** What a storm parent counts an incident under besides its kind; null: nothing more. */
export function stormReasonOf(incident: Incident): string | null {
  const cause = (detail: string | null | undefined) => {
    const first = podCausesOf(detail)[0];
    return first === undefined ? null : shortCauseOf(first);
  };
  switch (incident.kind) {
    case 'failing':
      return cause(incident.latestFailure.detail) ?? incident.latestFailure.reason;
    case 'running-too-long':
      return cause(incident.podDetail);
    case 'missed':
    case 'slower-than-usual':
    case 'finished-too-fast':
      return null;
    case 'cluster-unreadable':
      return incident.latestError.code;
  }
}

/** The member a record's notification in storm `stormId` makes, if it has one. */
export function memberOf(key: string, record: SubjectRecord, stormId: string): StormMember | null {
  if (record.subject.type !== 'cronjob') return null;
  const n = record.outbox.find(m => m.storm === stormId);
  if (n === undefined) return null;
  return {
    key,
    incidentId: n.incident.id,
    kind: n.incident.kind,
    namespace: record.subject.namespace,
    name: record.subject.name,
    reason: stormReasonOf(n.incident),
    recoveredAt: null,
  };
}

/** The ids of storms the records' owed messages belong to. */
export function stormIdsOf(records: Iterable<SubjectRecord>): Set<string> {
  const ids = new Set<string>();
  for (const record of records) {
    for (const n of record.outbox) if (n.storm !== undefined) ids.add(n.storm);
  }
  return ids;
}

/**
 * The parent's destination: its members' channel; the language most of them use (the first
 * one's on a tie); their distinct mentions, at most STORM_MENTIONS_MAX; the runbook when they
 * all share one.
 */
export function stormDestinationOf(channel: string | null, incidents: Incident[]): Destination {
  const languages = new Map<string, number>();
  for (const i of incidents) {
    const language = i.destination?.language ?? 'en';
    languages.set(language, (languages.get(language) ?? 0) + 1);
  }
  let language: Destination['language'] = null;
  let most = 0;
  for (const [l, count] of languages) {
    if (count > most) [language, most] = [l as NonNullable<Destination['language']>, count];
  }
  const mentions = [
    ...new Set(incidents.flatMap(i => (i.destination?.mention ? [i.destination.mention] : []))),
  ].slice(0, STORM_MENTIONS_MAX);
  const runbooks = new Set(incidents.map(i => i.destination?.runbook ?? null));
  const [runbook] = runbooks.size === 1 ? [...runbooks] : [null];
  return {
    channel,
    language,
    mention: mentions.length === 0 ? null : mentions.join(' '),
    runbook: runbook ?? null,
  };
}

function stormSend(stormId: string, kind: StormSend['kind'], now: Date): StormSend {
  return {
    id: `${stormId}/${kind}`,
    kind,
    createdAt: now.toISOString(),
    attempts: 0,
    lastError: null,
    claim: null,
  };
}

/**
 * The storm record with every member that joined it (`members`: by record key, the records as
 * they now stand), written or extended; null when it already lists them all. A new record owes
 * the parent message.
 */
export function stormRecordOf(
  current: SubjectRecord | null,
  stormId: string,
  clusterId: string,
  clusterName: string,
  members: ReadonlyArray<readonly [string, SubjectRecord]>,
  now: Date,
): SubjectRecord | null {
  const known = new Set(current?.storm?.members.map(m => m.incidentId) ?? []);
  const joined: StormMember[] = [];
  const incidents: Incident[] = [];
  for (const [key, record] of members) {
    const member = memberOf(key, record, stormId);
    const n = record.outbox.find(m => m.storm === stormId);
    if (member === null || n === undefined || known.has(member.incidentId)) continue;
    known.add(member.incidentId);
    joined.push(member);
    incidents.push(n.incident);
  }
  if (joined.length === 0) return null;
  const at = now.toISOString();
  const openedAt = incidents
    .map(i => i.openedAt)
    .reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
  const before = current?.storm;
  const storm: StormState =
    before === undefined
      ? {
          id: stormId,
          clusterName,
          destination: stormDestinationOf(channelOf(incidents[0] as Incident), incidents),
          openedAt,
          members: joined,
          parent: null,
          shown: null,
          finishedAt: null,
          send: stormSend(stormId, 'opened', now),
          formedAt: at,
        }
      : {
          ...before,
          openedAt: Date.parse(openedAt) < Date.parse(before.openedAt) ? openedAt : before.openedAt,
          members: [...before.members, ...joined],
          finishedAt: null,
        };
  return {
    schemaVersion: RECORD_SCHEMA_VERSION,
    clusterId,
    subject: {type: 'storm', id: stormId},
    watermark: null,
    open: {},
    outbox: [],
    threads: [],
    history: [],
    readFailures: null,
    runs: [],
    updatedAt: at,
    storm: owing(storm, now),
  };
}

/** How many of its members recovered. */
export function recoveredCount(storm: StormState): number {
  return storm.members.filter(m => m.recoveredAt !== null).length;
}

/** The storm owing a `progress` update when its parent shows less than it now knows. */
function owing(storm: StormState, now: Date): StormState {
  if (storm.parent === null || storm.send !== null) return storm;
  if (storm.shown === recoveredCount(storm)) return storm;
  return {...storm, send: stormSend(storm.id, 'progress', now)};
}

/**
 * The storm with what its members' records say now (`records`: every record of the cluster
 * that needs attention, by key — a member's record absent from it has nothing open): members
 * whose incident is no longer open count as recovered, at their closing time when the record
 * still holds it, else now. Null when nothing changed.
 */
export function observeStorm(
  current: SubjectRecord | null,
  records: ReadonlyMap<string, SubjectRecord>,
  now: Date,
): SubjectRecord | null {
  const storm = current?.storm;
  if (current === null || storm === undefined || storm.finishedAt !== null) return null;
  let changed = false;
  const members = storm.members.map(m => {
    if (m.recoveredAt !== null) return m;
    const record = records.get(m.key);
    if (record !== undefined && openIncidents(record).some(i => i.id === m.incidentId)) return m;
    changed = true;
    return {...m, recoveredAt: closedAtOf(record, m.incidentId) ?? now.toISOString()};
  });
  if (!changed) return null;
  const all = members.every(m => m.recoveredAt !== null);
  const finishedAt = all
    ? members
        .map(m => m.recoveredAt as string)
        .reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a))
    : null;
  return {
    ...current,
    storm: owing({...storm, members, finishedAt}, now),
    updatedAt: now.toISOString(),
  };
}

/** When the record says the incident closed, if it still says. */
function closedAtOf(record: SubjectRecord | undefined, incidentId: string): string | null {
  if (record === undefined) return null;
  const closed =
    record.outbox.find(n => n.incident.id === incidentId && n.incident.closedAt !== null)
      ?.incident ?? record.history.find(i => i.id === incidentId);
  return closed?.closedAt ?? null;
}

/** Claims the storm's owed message for `passId` until `until` (see `claimNext`, outbox.ts). */
export function claimStormSend(
  record: SubjectRecord | null,
  passId: string,
  now: Date,
  until: Date,
  othersEnded = false,
): SubjectRecord | null {
  const send = record?.storm?.send;
  if (record === null || record.storm === undefined || send == null) return null;
  const live = send.claim !== null && Date.parse(send.claim.until) > now.getTime();
  if (live && !(othersEnded && send.claim?.by !== passId)) return null;
  const abandoned = send.claim !== null;
  const claimed: StormSend = {
    ...send,
    claim: {by: passId, until: until.toISOString()},
    firstAttemptAt: send.firstAttemptAt ?? now.toISOString(),
    ...(abandoned || send.lastOutcome === 'unknown' ? {lastOutcome: 'unknown' as const} : {}),
  };
  return {...record, storm: {...record.storm, send: claimed}};
}

/** The storm message `passId` holds a live claim on, if any. */
export function stormSendClaimedBy(record: SubjectRecord | null, passId: string): StormSend | null {
  const send = record?.storm?.send ?? null;
  return send !== null && send.claim?.by === passId ? send : null;
}

/**
 * Records a sent storm message: the parent where it was posted (`parent`, for `opened`), and
 * what it showed (`shown`: the recovered count it was rendered with). Owes another update when
 * the storm moved on meanwhile.
 */
export function markStormSent(
  record: SubjectRecord | null,
  sendId: string,
  parent: {channel: string; ts: string} | null,
  shown: number,
  now: Date,
): SubjectRecord | null {
  const storm = record?.storm;
  if (record === null || storm === undefined || storm.send?.id !== sendId) return null;
  const sent: StormState = {...storm, parent: parent ?? storm.parent, shown, send: null};
  // The parent is up: when its list is cut, the thread starts with every member listed.
  const next = storm.send.kind === 'opened' ? rosterSends(sent, now).reduce(queueSend, sent) : sent;
  return {...record, storm: owing(nextQueued(next), now), updatedAt: now.toISOString()};
}

/**
 * Releases a claim on the storm's message for a later pass, with the error when it failed;
 * an attempt whose outcome is unknown leaves it marked so (see `markFailed`, outbox.ts).
 */
export function releaseStormSend(
  record: SubjectRecord | null,
  sendId: string,
  passId: string,
  now: Date,
  error: string | null,
  outcomeUnknown = false,
): SubjectRecord | null {
  const storm = record?.storm;
  const send = storm?.send;
  if (record === null || storm === undefined || send == null) return null;
  if (send.id !== sendId || send.claim?.by !== passId) return null;
  const released: StormSend = {
    ...send,
    claim: null,
    ...(error === null ? {} : {attempts: send.attempts + 1, lastError: error}),
    ...(outcomeUnknown || send.lastOutcome === 'unknown' ? {lastOutcome: 'unknown' as const} : {}),
  };
  return {...record, storm: {...storm, send: released}, updatedAt: now.toISOString()};
}

/**
 * The storm owing `send` after what it already owes. A `progress` update nobody started yet
 * gives way to an `acted` message, which rewrites the parent as the storm then stands anyway.
 */
export function queueSend(storm: StormState, send: StormSend): StormState {
  const current = storm.send;
  const replaces =
    current !== null && send.kind === 'acted' && current.kind === 'progress' && unstarted(current);
  if (current === null || replaces) return {...storm, send};
  return {...storm, queued: [...(storm.queued ?? []), send]};
}

function unstarted(send: StormSend): boolean {
  return (
    send.claim === null &&
    send.attempts === 0 &&
    send.firstAttemptAt === undefined &&
    send.lastOutcome === undefined
  );
}

/** The storm with its first queued message owed next; as it is when one is owed already. */
export function nextQueued(storm: StormState): StormState {
  const [head, ...rest] = storm.queued ?? [];
  if (storm.send !== null || head === undefined) return storm;
  const next = {...storm, send: head};
  return rest.length === 0 ? without(next, 'queued') : {...next, queued: rest};
}
