/**
 * Reads every record shape a released version wrote, and returns it in today's shape. Both
 * stores call it on everything they read, so an upgrade happens in place on the next write
 * and a record is never trusted by a cast.
 *
 * Versions:
 * - 1 (release 0.1.0, no `schemaVersion` field): one `open` slot, incidents shaped around
 *   runs (`closedBy: RunRef` with the reasons `CronJobDeleted` / `SucceededJobGone` /
 *   `readable again` standing for endings that were not runs), the cluster's record faked as
 *   a CronJob with an empty namespace and name and incidents marked `subject: 'cluster'`.
 * - 2: kinded incidents, typed subjects and endings (incident.ts).
 * - 3: optional `destination` on incidents, `log` on failing incidents, the `muted` ending.
 *   A version-2 record is a version-3 record without them (the configured defaults apply).
 * - 4: optional `suspended` on running-too-long incidents (a Job held by `spec.suspend`); a
 *   version-3 record is a version-4 record without it.
 * - 5: `runs`, the CronJob's recent runs (run-history.ts). Older records have none yet: the
 *   history starts with the runs after their watermark.
 * - 6: optional `acknowledged` and `snoozed` on incidents, and `acted` notifications (with
 *   their `action`) in the outbox; a version-5 record is a version-6 record without them.
 * - 7 (storms; after the Slack actions' 6): storm records (subject `storm`, field
 *   `storm`), optional `storm` on notifications, `threadTs` and `storm` on delivered messages.
 *   A version-6 record is a version-7 record without them.
 * - 8: optional `maintenance` and `reminders` on incidents, `heldUntil` on notifications and
 *   the `reminder` notification kind; an older record is a version-8 record without them.
 * - 9: actions on a storm's parent: optional `acknowledged`, `snoozed` and `queued` on storms,
 *   the `acted` storm message (with `action` and `count`), optional `storm` on actions and
 *   snoozes; the `roster` (with `page`) and `reminder` storm messages, `formedAt` and
 *   `reminders` on storms. An older record is a version-9 record without them.
 */
import {
  RECORD_SCHEMA_VERSION,
  type Acknowledgement,
  type ActionEvent,
  type IncidentKind,
  type ClusterUnreadableIncident,
  type Ending,
  type FailingIncident,
  type Incident,
  type OpenIncidents,
  type PendingNotification,
  type RunRef,
  type Snooze,
  type StormSend,
  type StormState,
  type Subject,
  type SubjectRecord,
} from './incident.js';
import {INCIDENT_KINDS} from './detections/registry.js';
import {LANGUAGES} from './messages/languages.js';
import type {RecentRun} from './run-history.js';
import {isObject} from './json.js';

/** The record, or why it cannot be read. */
export type UpgradeResult = {ok: true; record: SubjectRecord} | {ok: false; problem: string};

class Unreadable extends Error {}

function fail(problem: string): never {
  throw new Unreadable(problem);
}

function str(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  return typeof v === 'string' ? v : fail(`${key} is not a string`);
}

function strOrNull(o: Record<string, unknown>, key: string): string | null {
  const v = o[key];
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : fail(`${key} is not a string or null`);
}

function num(o: Record<string, unknown>, key: string): number {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : fail(`${key} is not a number`);
}

function obj(v: unknown, what: string): Record<string, unknown> {
  return isObject(v) ? v : fail(`${what} is not an object`);
}

function arr(o: Record<string, unknown>, key: string): unknown[] {
  const v = o[key] ?? [];
  return Array.isArray(v) ? v : fail(`${key} is not a list`);
}

function runRef(v: unknown, what: string): RunRef {
  const o = obj(v, what);
  return {
    job: str(o, 'job'),
    jobUid: str(o, 'jobUid'),
    manual: o['manual'] === true,
    at: strOrNull(o, 'at'),
    reason: strOrNull(o, 'reason'),
    message: strOrNull(o, 'message'),
    detail: strOrNull(o, 'detail'),
    ...(o['approximateTime'] === true ? {approximateTime: true as const} : {}),
  };
}

// Release 0.1.0's stand-ins for endings that were not runs.
const V1_CRONJOB_DELETED = 'CronJobDeleted';
const V1_SUCCEEDED_JOB_GONE = 'SucceededJobGone';

function v1Ending(
  closedBy: RunRef | null,
  closedAt: string | null,
  cluster: boolean,
): Ending | null {
  if (closedBy === null) return null;
  const at = closedAt ?? closedBy.at ?? '';
  if (cluster) return {type: 'readable-again', at};
  if (closedBy.reason === V1_CRONJOB_DELETED) return {type: 'cronjob-deleted', at};
  if (closedBy.reason === V1_SUCCEEDED_JOB_GONE) return {type: 'succeeded-job-gone', at};
  return {type: 'succeeded', at, run: closedBy};
}

function v1Incident(
  v: unknown,
  clusterRecord: boolean,
): FailingIncident | ClusterUnreadableIncident {
  const o = obj(v, 'incident');
  const cluster = clusterRecord || o['subject'] === 'cluster';
  const openedBy = runRef(o['openedBy'], 'openedBy');
  const latest = runRef(o['latestFailure'], 'latestFailure');
  const closedAt = strOrNull(o, 'closedAt');
  const closedBy = o['closedBy'] == null ? null : runRef(o['closedBy'], 'closedBy');
  const base = {id: str(o, 'id'), openedAt: str(o, 'openedAt'), closedAt};
  const ending = v1Ending(closedBy, closedAt, cluster);
  if (cluster) {
    const errorOf = (run: RunRef, fallbackAt: string) => ({
      at: run.at ?? fallbackAt,
      code: run.reason ?? 'UNKNOWN',
      message: run.message ?? '',
    });
    const incident: ClusterUnreadableIncident = {
      ...base,
      kind: 'cluster-unreadable',
      firstError: errorOf(openedBy, base.openedAt),
      latestError: errorOf(latest, base.openedAt),
      failedReads: num(o, 'failedRuns'),
      ending,
    };
    return incident;
  }
  const incident: FailingIncident = {
    ...base,
    kind: 'failing',
    openedBy,
    latestFailure: latest,
    failedRuns: num(o, 'failedRuns'),
    ending,
  };
  return incident;
}

function notifications(
  o: Record<string, unknown>,
  incidentOf: (v: unknown) => Incident,
): PendingNotification[] {
  return arr(o, 'outbox').map(v => {
    const n = obj(v, 'notification');
    const kind = n['kind'];
    if (
      kind !== 'opened' &&
      kind !== 'closed' &&
      kind !== 'recovered' &&
      kind !== 'acted' &&
      kind !== 'reminder'
    ) {
      fail(`notification kind ${String(kind)} is unknown`);
    }
    const claim = n['claim'] == null ? null : obj(n['claim'], 'claim');
    return {
      id: str(n, 'id'),
      kind,
      incident: incidentOf(n['incident']),
      ...(kind === 'acted' ? {action: actionEvent(n['action'])} : {}),
      createdAt: str(n, 'createdAt'),
      attempts: num(n, 'attempts'),
      lastError: strOrNull(n, 'lastError'),
      claim: claim === null ? null : {by: str(claim, 'by'), until: str(claim, 'until')},
      ...(typeof n['firstAttemptAt'] === 'string' ? {firstAttemptAt: n['firstAttemptAt']} : {}),
      ...(n['lastOutcome'] === 'unknown' ? {lastOutcome: 'unknown' as const} : {}),
      ...(typeof n['heldUntil'] === 'string' ? {heldUntil: n['heldUntil']} : {}),
      ...(typeof n['storm'] === 'string' ? {storm: n['storm']} : {}),
    };
  });
}

const ACTION_TYPES: ReadonlyArray<ActionEvent['type']> = [
  'acknowledged',
  'unacknowledged',
  'snoozed',
  'unsnoozed',
  'snooze-ended',
];

function actionEvent(v: unknown): ActionEvent {
  const o = obj(v, 'action');
  if (!ACTION_TYPES.includes(o['type'] as ActionEvent['type'])) {
    fail(`action type ${String(o['type'])} is unknown`);
  }
  str(o, 'by');
  str(o, 'at');
  if (o['type'] === 'snoozed' || o['type'] === 'snooze-ended') str(o, 'until');
  if (o['type'] === 'snooze-ended') num(o, 'meanwhile');
  if (o['storm'] !== undefined) str(o, 'storm');
  // Written by this code and checked above: trusted as this release's own shape.
  return o as unknown as ActionEvent;
}

const RUN_OUTCOMES: ReadonlyArray<RecentRun['outcome']> = ['succeeded', 'failed', 'missed'];

function recentRun(v: unknown): RecentRun {
  const o = obj(v, 'run');
  const outcome =
    RUN_OUTCOMES.find(x => x === o['outcome']) ??
    fail(`run outcome ${String(o['outcome'])} is unknown`);
  const duration = o['durationMs'];
  if (duration !== null && (typeof duration !== 'number' || !Number.isFinite(duration))) {
    fail('durationMs is not a number or null');
  }
  return {
    job: str(o, 'job'),
    outcome,
    scheduledAt: strOrNull(o, 'scheduledAt'),
    startedAt: strOrNull(o, 'startedAt'),
    durationMs: duration,
    ...(o['manual'] === true ? {manual: true as const} : {}),
  };
}

function common(o: Record<string, unknown>, incidentOf: (v: unknown) => Incident) {
  const watermark = o['watermark'] == null ? null : obj(o['watermark'], 'watermark');
  const readFailures = o['readFailures'] == null ? null : obj(o['readFailures'], 'readFailures');
  return {
    clusterId: str(o, 'clusterId'),
    watermark:
      watermark === null ? null : {atMs: num(watermark, 'atMs'), job: str(watermark, 'job')},
    outbox: notifications(o, incidentOf),
    threads: arr(o, 'threads').map(v => {
      const t = obj(v, 'thread');
      return {
        incidentId: str(t, 'incidentId'),
        channel: str(t, 'channel'),
        ts: str(t, 'ts'),
        ...(typeof t['threadTs'] === 'string' ? {threadTs: t['threadTs']} : {}),
        ...(typeof t['storm'] === 'string' ? {storm: t['storm']} : {}),
      };
    }),
    history: arr(o, 'history').map(incidentOf),
    runs: arr(o, 'runs').map(recentRun),
    readFailures:
      readFailures === null
        ? null
        : {
            count: num(readFailures, 'count'),
            since: str(readFailures, 'since'),
            lastError: str(readFailures, 'lastError'),
          },
    updatedAt: str(o, 'updatedAt'),
  };
}

function fromV1(o: Record<string, unknown>): SubjectRecord {
  const namespace = str(o, 'namespace');
  const name = str(o, 'name');
  const clusterRecord = namespace === '' && name === '';
  const subject: Subject = clusterRecord
    ? {type: 'cluster'}
    : {type: 'cronjob', namespace, name, uid: str(o, 'cronJobUid'), schedule: str(o, 'schedule')};
  const incidentOf = (v: unknown) => v1Incident(v, clusterRecord);
  const open: OpenIncidents = {};
  if (o['open'] != null) {
    const incident = incidentOf(o['open']);
    Object.assign(open, {[incident.kind]: incident});
  }
  return {schemaVersion: RECORD_SCHEMA_VERSION, subject, open, ...common(o, incidentOf)};
}

function v2Incident(v: unknown): Incident {
  const o = obj(v, 'incident');
  if (!INCIDENT_KINDS.includes(o['kind'] as IncidentKind)) {
    fail(`incident kind ${String(o['kind'])} is unknown`);
  }
  str(o, 'id');
  str(o, 'openedAt');
  if (o['destination'] !== undefined) {
    const d = obj(o['destination'], 'destination');
    for (const key of ['channel', 'mention', 'runbook']) strOrNull(d, key);
    const language = strOrNull(d, 'language');
    if (language !== null && !LANGUAGES.some(l => l === language)) {
      fail(`destination.language ${language} is not one this release writes in`);
    }
  }
  if (o['log'] !== undefined) {
    const log = obj(o['log'], 'log');
    str(log, 'pod');
    str(log, 'container');
    strOrNull(log, 'text');
    if (log['unavailable'] != null) str(obj(log['unavailable'], 'log.unavailable'), 'reason');
  }
  if (o['acknowledged'] !== undefined) {
    const ack = obj(o['acknowledged'], 'acknowledged');
    str(ack, 'by');
    str(ack, 'at');
  }
  if (o['snoozed'] !== undefined) {
    const snooze = obj(o['snoozed'], 'snoozed');
    str(snooze, 'by');
    str(snooze, 'at');
    str(snooze, 'until');
    if (snooze['storm'] !== undefined) str(snooze, 'storm');
  }
  // Written by this code, read back as written: the kind and the fields above are checked,
  // the rest is trusted as this release's own shape.
  return o as unknown as Incident;
}

function stormSend(v: unknown): StormSend {
  const n = obj(v, 'storm.send');
  const kind = n['kind'];
  const kinds = ['opened', 'progress', 'acted', 'roster', 'reminder'];
  if (typeof kind !== 'string' || !kinds.includes(kind)) {
    fail(`storm send kind ${String(kind)} is unknown`);
  }
  if (kind === 'acted') actionEvent(n['action']);
  if (kind === 'acted' || kind === 'reminder') num(n, 'count');
  const claim = n['claim'] == null ? null : obj(n['claim'], 'storm.send.claim');
  return {
    id: str(n, 'id'),
    kind: kind as StormSend['kind'],
    createdAt: str(n, 'createdAt'),
    attempts: num(n, 'attempts'),
    lastError: strOrNull(n, 'lastError'),
    claim: claim === null ? null : {by: str(claim, 'by'), until: str(claim, 'until')},
    ...(typeof n['firstAttemptAt'] === 'string' ? {firstAttemptAt: n['firstAttemptAt']} : {}),
    ...(n['lastOutcome'] === 'unknown' ? {lastOutcome: 'unknown' as const} : {}),
    ...(kind === 'acted' ? {action: n['action'] as ActionEvent, count: n['count'] as number} : {}),
    ...(kind === 'roster' ? {page: num(n, 'page')} : {}),
    ...(kind === 'reminder' ? {count: num(n, 'count')} : {}),
  };
}

function stormState(v: unknown): StormState {
  const o = obj(v, 'storm');
  const d = obj(o['destination'], 'storm.destination');
  const language = strOrNull(d, 'language');
  if (language !== null && !LANGUAGES.some(l => l === language)) {
    fail(`storm.destination.language ${language} is not one this release writes in`);
  }
  const parent = o['parent'] == null ? null : obj(o['parent'], 'storm.parent');
  return {
    id: str(o, 'id'),
    clusterName: str(o, 'clusterName'),
    destination: {
      channel: strOrNull(d, 'channel'),
      language: language as StormState['destination']['language'],
      mention: strOrNull(d, 'mention'),
      runbook: strOrNull(d, 'runbook'),
    },
    openedAt: str(o, 'openedAt'),
    members: arr(o, 'members').map(m => {
      const member = obj(m, 'storm member');
      if (!INCIDENT_KINDS.includes(member['kind'] as IncidentKind)) {
        fail(`storm member kind ${String(member['kind'])} is unknown`);
      }
      return {
        key: str(member, 'key'),
        incidentId: str(member, 'incidentId'),
        kind: member['kind'] as IncidentKind,
        namespace: str(member, 'namespace'),
        name: str(member, 'name'),
        reason: strOrNull(member, 'reason'),
        recoveredAt: strOrNull(member, 'recoveredAt'),
      };
    }),
    parent: parent === null ? null : {channel: str(parent, 'channel'), ts: str(parent, 'ts')},
    shown: o['shown'] == null ? null : num(o, 'shown'),
    finishedAt: strOrNull(o, 'finishedAt'),
    send: o['send'] == null ? null : stormSend(o['send']),
    ...(o['queued'] == null ? {} : {queued: arr(o, 'queued').map(stormSend)}),
    ...(o['acknowledged'] == null ? {} : {acknowledged: acknowledgementOf(o['acknowledged'])}),
    ...(o['snoozed'] == null ? {} : {snoozed: snoozeOf(o['snoozed'])}),
    ...(o['formedAt'] == null ? {} : {formedAt: str(o, 'formedAt')}),
    ...(o['reminders'] == null ? {} : {reminders: stormReminders(o['reminders'])}),
  };
}

function stormReminders(v: unknown): {sent: number; lastAt: string} {
  const o = obj(v, 'storm.reminders');
  return {sent: num(o, 'sent'), lastAt: str(o, 'lastAt')};
}

function acknowledgementOf(v: unknown): Acknowledgement {
  const o = obj(v, 'storm.acknowledged');
  return {by: str(o, 'by'), at: str(o, 'at')};
}

function snoozeOf(v: unknown): Snooze {
  const o = obj(v, 'storm.snoozed');
  return {
    by: str(o, 'by'),
    at: str(o, 'at'),
    until: str(o, 'until'),
    ...(typeof o['countAt'] === 'number' ? {countAt: o['countAt']} : {}),
  };
}

function fromV2(o: Record<string, unknown>): SubjectRecord {
  const s = obj(o['subject'], 'subject');
  const subject: Subject =
    s['type'] === 'cluster'
      ? {type: 'cluster'}
      : s['type'] === 'storm'
        ? {type: 'storm', id: str(s, 'id')}
        : s['type'] === 'cronjob'
          ? {
              type: 'cronjob',
              namespace: str(s, 'namespace'),
              name: str(s, 'name'),
              uid: str(s, 'uid'),
              schedule: str(s, 'schedule'),
            }
          : fail(`subject type ${String(s['type'])} is unknown`);
  const openRaw = obj(o['open'] ?? {}, 'open');
  const open: OpenIncidents = {};
  for (const [kind, value] of Object.entries(openRaw)) {
    if (value == null) continue;
    const incident = v2Incident(value);
    if (incident.kind !== kind) fail(`open.${kind} holds a ${incident.kind} incident`);
    Object.assign(open, {[kind]: incident});
  }
  return {
    schemaVersion: RECORD_SCHEMA_VERSION,
    subject,
    open,
    ...common(o, v2Incident),
    ...(o['storm'] == null ? {} : {storm: stormState(o['storm'])}),
  };
}

/** Today's shape of a stored record of any released version; never throws. */
export function upgradeRecord(stored: unknown): UpgradeResult {
  try {
    const o = obj(stored, 'the record');
    const version = o['schemaVersion'] ?? 1;
    if (version === 1) return {ok: true, record: fromV1(o)};
    // Versions after 2 only added fields that may be absent: one reader takes them all.
    if (
      typeof version === 'number' &&
      Number.isInteger(version) &&
      version >= 2 &&
      version <= RECORD_SCHEMA_VERSION
    ) {
      return {ok: true, record: fromV2(o)};
    }
    return {
      ok: false,
      problem: `it has schema version ${String(version)}, newer than this release reads (${RECORD_SCHEMA_VERSION}): upgrade the watcher`,
    };
  } catch (error) {
    if (error instanceof Unreadable) return {ok: false, problem: error.message};
    throw error;
  }
}
