/**
 * Given the record as stored and what the cluster shows for its subject, what changes?
 * Runs the subject's detectors and applies their transitions to the record: the outbox
 * (one notification per transition, merged into one `recovered` message when an incident
 * closes before its opening was sent), the history and the detectors' own state.
 * Pure: no I/O, no clock (`now` is passed in), deterministic ids, so two passes that decide
 * concurrently reach the same record and the store's transaction keeps only one.
 */
import type {
  Detector,
  DetectorContext,
  Evaluation,
  Known,
  SubjectView,
  Transition,
} from './detector.js';
import {endSnoozes, snoozeEnded} from './actions/decide-action.js';
import {snoozeLasts} from './actions/quiet.js';
import {relate} from './detections/relations.js';
import {
  CLUSTER_DETECTORS,
  CRONJOB_DETECTORS,
  type DetectionSettings,
} from './detections/registry.js';
import {maintenanceWindowAt, type MaintenanceWindow} from './maintenance.js';
import {remindersOwed, remindersPassed} from './reminders.js';
import {
  blankRecord,
  isClaimed,
  isHeld,
  type Destination,
  openIncidents,
  type Incident,
  type PendingNotification,
  type RunMark,
  type Subject,
  type SubjectRecord,
} from './incident.js';
import type {Policy} from './policy.js';
import {recentRunOf, runsToRecord, withRecentRuns, type RecentRun} from './run-history.js';
import {laterMark} from './verdict.js';

// Enough closed incidents to answer "has this happened before?" in the record itself;
// older ones live on only in Slack.
export const HISTORY_LIMIT = 10;

/**
 * One state change, for the summary and the logs. `muted`: closed by `ignore`, quietly;
 * `reminded`: a reminder about it is owed (reminders.ts).
 */
export interface Change {
  kind: 'opened' | 'failed-again' | 'closed' | 'recovered' | 'muted' | 'reminded';
  incidentKind: Incident['kind'];
  incidentId: string;
  job: string | null;
}

/** The new record and what changed; null when nothing did (then nothing is written). */
export interface Decision {
  record: SubjectRecord;
  changes: Change[];
}

/** A new pending notification of one transition. */
export function notification(
  kind: PendingNotification['kind'],
  incident: Incident,
  now: Date,
): PendingNotification {
  return {
    id: `${incident.id}/${kind}`,
    kind,
    incident,
    createdAt: now.toISOString(),
    attempts: 0,
    lastError: null,
    claim: null,
  };
}

function subjectOf(view: SubjectView): Subject {
  if (view.type === 'cluster') return {type: 'cluster'};
  const {namespace, name, uid, schedule} = view.cronJob;
  return {type: 'cronjob', namespace, name, uid, schedule};
}

/**
 * The incident with its destination: a new one gets the policy's (it is stored with it, so
 * its messages go where its opening went); a changed one keeps the one it opened with.
 */
function withDestination(
  record: SubjectRecord,
  t: Transition,
  destination: Destination | undefined,
): Incident {
  if (t.incident.destination !== undefined) return t.incident;
  const kept = t.type === 'open' ? destination : record.open[t.incident.kind]?.destination;
  return kept === undefined ? t.incident : {...t.incident, destination: kept};
}

/** Applies one transition to a record being built; returns the summary's view of it. */
function apply(
  record: SubjectRecord,
  t: Transition,
  now: Date,
  changes: Change[],
  destination?: Destination,
  window: MaintenanceWindow | null = null,
): void {
  const incident = withDestination(record, t, destination);
  const base = {incidentKind: incident.kind, incidentId: incident.id, job: t.job};
  switch (t.type) {
    case 'open': {
      if (window === null) {
        record.open = {...record.open, [incident.kind]: incident};
        record.outbox.push(notification('opened', incident, now));
        changes.push({kind: 'opened', ...base});
        return;
      }
      // Opened inside a maintenance window: recorded now, announced when the window ends.
      const end = window.end.toISOString();
      const held = {...incident, maintenance: {start: window.start.toISOString(), end}};
      record.open = {...record.open, [incident.kind]: held};
      record.outbox.push({...notification('opened', held, now), heldUntil: end});
      changes.push({kind: 'opened', ...base});
      return;
    }
    case 'update':
      record.open = {...record.open, [incident.kind]: incident};
      // An opening message not yet sent goes out with the latest count and reason.
      record.outbox = record.outbox.map(n =>
        n.kind === 'opened' && n.incident.id === incident.id && !isClaimed(n, now)
          ? {...n, incident}
          : n,
      );
      if (t.reported) changes.push({kind: 'failed-again', ...base});
      return;
    case 'close': {
      const open = {...record.open};
      delete open[incident.kind];
      record.open = open;
      record.history = [...record.history, incident].slice(-HISTORY_LIMIT);
      if (t.silent === true) {
        // Another incident tells the rest in this one's thread; an opening that never went
        // out is not needed any more (that incident then posts on its own).
        record.outbox = record.outbox.filter(
          n => !(n.kind === 'opened' && n.incident.id === incident.id && !isClaimed(n, now)),
        );
        changes.push({kind: 'closed', ...base});
        return;
      }
      const pendingOpening = record.outbox.find(
        n => n.kind === 'opened' && n.incident.id === incident.id,
      );
      if (incident.ending?.type === 'muted') {
        // Quietly: an opening nobody saw is never sent; a delivered one gets a short reply.
        if (pendingOpening !== undefined && !isClaimed(pendingOpening, now)) {
          record.outbox = record.outbox.filter(n => n !== pendingOpening);
        } else {
          record.outbox.push(notification('closed', incident, now));
        }
        changes.push({kind: 'muted', ...base});
        return;
      }
      if (pendingOpening !== undefined && isHeld(pendingOpening, now)) {
        // Opened and over within a maintenance window: nobody is told about it.
        record.outbox = record.outbox.filter(n => n !== pendingOpening);
        changes.push({kind: 'closed', ...base});
        return;
      }
      if (pendingOpening !== undefined && !isClaimed(pendingOpening, now)) {
        // Nothing reached the channel yet: one message that says both beats two stale ones.
        // A storm member's says so in the storm's thread (core/storms/storm.ts).
        const storm = pendingOpening.storm === undefined ? {} : {storm: pendingOpening.storm};
        record.outbox = record.outbox.map(n =>
          n === pendingOpening ? {...notification('recovered', incident, now), ...storm} : n,
        );
        // Opened and closed within this decision: report it once, as what it was.
        const openedHere = changes.findIndex(
          c => c.kind === 'opened' && c.incidentId === incident.id,
        );
        if (openedHere >= 0) changes.splice(openedHere, 1);
        changes.push({kind: 'recovered', ...base});
        return;
      }
      record.outbox.push(notification('closed', incident, now));
      changes.push({kind: 'closed', ...base});
      return;
    }
  }
}

function applyEvaluation(
  record: SubjectRecord,
  evaluation: Evaluation,
  now: Date,
  changes: Change[],
  destination: Destination | undefined,
  window: MaintenanceWindow | null,
): void {
  for (const t of evaluation.transitions) apply(record, t, now, changes, destination, window);
  if (evaluation.watermark !== undefined) record.watermark = evaluation.watermark;
  if (evaluation.readFailures !== undefined) record.readFailures = evaluation.readFailures;
}

/**
 * The decision for one subject: every detector of its type, in order, on the record as it
 * stands. `known.watermark` is the index entry: a subject with an entry but no record yet
 * starts from it, and a record older than its entry (it was re-baselined) from the later one.
 * On first sight (no record, no entry) the decision is always returned, so the plan can tell
 * a starting point from an incident.
 */
export function decideSubject(
  stored: SubjectRecord | null,
  view: SubjectView,
  policy: Policy,
  now: Date,
  knownWatermark: RunMark | null | undefined,
): Decision | null {
  // The cluster's own record has no starting point to record: it exists only once a read fails.
  const firstSight = view.type === 'cronjob' && stored === null && knownWatermark === undefined;
  const start = stored ?? blankRecord(view.clusterId, subjectOf(view), now);
  const record: SubjectRecord = {
    ...start,
    subject: subjectOf(view),
    watermark: laterMark(start.watermark, knownWatermark ?? null),
    outbox: [...start.outbox],
    history: [...start.history],
  };
  // Every finished run goes into the history once, so the watermark passes them all: the
  // next pass finds nothing new to write (a quiet pass writes nothing).
  const finished =
    view.type === 'cronjob' ? runsToRecord(view.runs, record.watermark, now, record.runs) : [];
  const context: DetectorContext<DetectionSettings> = {now, policy, firstSight};
  const changes: Change[] = [];
  const ignored = view.type === 'cronjob' && policy.ignore === true;
  // Muting first: the detectors then see no open incident of an ignored subject.
  const muted = ignored && muteOpen(record, now, changes);
  // Every detector judges the record as it was: each reads only its own kind's state.
  const evaluations: Evaluation[] = [];
  const run = <V extends SubjectView>(
    detectors: ReadonlyArray<Detector<V, DetectionSettings>>,
    v: V,
  ) => {
    for (const detector of detectors) {
      if (policy.disabled?.includes(detector.kind) === true) continue;
      const evaluation = detector.evaluate(v, record, context);
      if (evaluation === null) continue;
      // An ignored subject's detectors still keep their own state (the watermark), so that
      // lifting `ignore` does not alert on what happened meanwhile; their transitions go.
      evaluations.push(ignored ? {...evaluation, transitions: []} : evaluation);
    }
  };
  if (view.type === 'cluster') run(CLUSTER_DETECTORS, view);
  else run(CRONJOB_DETECTORS, view);
  const related = relate(evaluations, record, view);
  const learnt = related.flatMap(e => e.runs ?? []);
  const owed = ignored ? [] : remindersOwed(record, policy.reminders, now);
  const snoozeRanOut = snoozeEnded(record, now);
  if (
    related.length === 0 &&
    !firstSight &&
    !muted &&
    finished.length === 0 &&
    owed.length === 0 &&
    !snoozeRanOut
  ) {
    return null;
  }
  const window = maintenanceWindowAt(policy.maintenance, now);
  for (const evaluation of related) {
    applyEvaluation(record, evaluation, now, changes, policy.destination, window);
  }
  recordRuns(record, finished, learnt);
  startReminders(record, changes, policy.reminders, now);
  if (!ignored) remind(record, policy.reminders, now, changes);
  record.updatedAt = now.toISOString();
  // A snooze that ran out while its incident is still open is said once (with what this pass
  // saw too), then cleared; one whose incident closed now ends with the closing message.
  return {record: (snoozeRanOut ? endSnoozes(record, now) : null) ?? record, changes};
}

/**
 * A new incident's reminders count from when it opened: those whose time had already passed
 * when it was first seen (an old failure found late) are not sent.
 */
function startReminders(
  record: SubjectRecord,
  changes: readonly Change[],
  offsets: readonly number[] | undefined,
  now: Date,
): void {
  for (const change of changes) {
    const incident = record.open[change.incidentKind];
    if (change.kind !== 'opened' || incident?.id !== change.incidentId) continue;
    const passed = remindersPassed(incident, offsets, now);
    if (passed === 0) continue;
    const started = {...incident, reminders: {sent: passed, lastAt: now.toISOString()}};
    record.open = {...record.open, [incident.kind]: started};
  }
}

/**
 * Queues the reminders owed now (remindersOwed), recording on each incident the reminder times
 * they use up, in the same write: each is sent once, whatever the passes. An incident whose
 * snooze ran out at this pass gets the snooze-ended reply (endSnoozes) instead: its reminder
 * times are used up all the same, so the thread gets one reply, not two in a row.
 */
function remind(
  record: SubjectRecord,
  offsets: readonly number[] | undefined,
  now: Date,
  changes: Change[],
): void {
  for (const {incident, count} of remindersOwed(record, offsets, now)) {
    const updated = {...incident, reminders: {sent: count, lastAt: now.toISOString()}};
    record.open = {...record.open, [incident.kind]: updated};
    if (incident.snoozed !== undefined && !snoozeLasts(incident.snoozed, now)) continue;
    record.outbox.push({
      ...notification('reminder', updated, now),
      id: `${incident.id}/reminder-${count}`,
    });
    changes.push({
      kind: 'reminded',
      incidentKind: incident.kind,
      incidentId: incident.id,
      job: null,
    });
  }
}

/** Puts new runs in the record's history and moves its watermark past the finished ones. */
function recordRuns(
  record: SubjectRecord,
  finished: ReturnType<typeof runsToRecord>,
  learnt: RecentRun[],
): void {
  if (finished.length === 0 && learnt.length === 0) return;
  record.runs = withRecentRuns(record.runs, [...finished.map(recentRunOf), ...learnt]);
  const newest = finished.at(-1);
  if (newest !== undefined) {
    record.watermark = laterMark(record.watermark, {atMs: newest.atMs, job: newest.verdict.job});
  }
}

/** Closes every open incident of an ignored subject as `muted`; true when one was open. */
function muteOpen(record: SubjectRecord, now: Date, changes: Change[]): boolean {
  const open = openIncidents(record);
  const at = now.toISOString();
  for (const incident of open) {
    const muted = {...incident, closedAt: at, ending: {type: 'muted', at} as const};
    apply(record, {type: 'close', incident: muted, job: null}, now, changes);
  }
  return open.length > 0;
}

/** Whether any detector of the subject's type could change its record this pass. */
export function subjectMayChange(
  view: SubjectView,
  known: Known,
  policy: Policy,
  now: Date,
): boolean {
  if (view.type === 'cronjob' && policy.ignore === true && known.record !== undefined) {
    if (openIncidents(known.record).length > 0) return true;
  }
  // A reminder is the clock's doing: due only at its times, so quiet passes write nothing.
  if (
    known.record !== undefined &&
    policy.ignore !== true &&
    remindersOwed(known.record, policy.reminders, now).length > 0
  ) {
    return true;
  }
  if (known.record !== undefined && snoozeEnded(known.record, now)) return true;
  const context: DetectorContext<DetectionSettings> = {
    now,
    policy,
    firstSight:
      view.type === 'cronjob' && known.record === undefined && known.watermark === undefined,
  };
  const enabled = (kind: Incident['kind']) => policy.disabled?.includes(kind) !== true;
  if (view.type === 'cronjob') {
    const watermark = laterMark(known.record?.watermark ?? null, known.watermark ?? null);
    if (runsToRecord(view.runs, watermark, now, known.record?.runs).length > 0) return true;
  }
  if (view.type === 'cluster') {
    return CLUSTER_DETECTORS.some(d => enabled(d.kind) && d.mayChange(view, known, context));
  }
  return CRONJOB_DETECTORS.some(d => enabled(d.kind) && d.mayChange(view, known, context));
}

/**
 * The CronJob of open incidents is gone from a cluster that was read in full: nothing will
 * ever run to close them, so they close now, saying why. Only for a complete, successful read
 * (the plan's job): absence from a failed or partial read is not evidence.
 */
export function decideDeleted(current: SubjectRecord | null, now: Date): Decision | null {
  if (current === null || current.subject.type !== 'cronjob') return null;
  const open = openIncidents(current);
  if (open.length === 0) return null;
  const record: SubjectRecord = {
    ...current,
    outbox: [...current.outbox],
    history: [...current.history],
  };
  const at = now.toISOString();
  const changes: Change[] = [];
  for (const incident of open) {
    const closed = {...incident, closedAt: at, ending: {type: 'cronjob-deleted', at} as const};
    apply(record, {type: 'close', incident: closed, job: null}, now, changes);
  }
  record.updatedAt = at;
  return {record, changes};
}
