/**
 * Given the record as stored and the finished runs the cluster shows, what changes?
 * Pure: no I/O, no clock (`now` is passed in), deterministic ids, so two passes that decide
 * concurrently reach the same record and the store's transaction keeps only one.
 */
import {
  CRONJOB_DELETED_REASON,
  SUCCEEDED_JOB_GONE_REASON,
  type CronJobRecord,
  type Incident,
  type PendingNotification,
  type RunMark,
  type RunRef,
} from './incident.js';
import type {CronJobInfo} from './model.js';
import {compareMarks, type OrderedRun} from './verdict.js';

// Enough closed incidents to answer "has this happened before?" in the record itself;
// older ones live on only in Slack.
export const HISTORY_LIMIT = 10;

/** What one CronJob shows this pass. */
export interface Observation {
  clusterId: string;
  cronJob: CronJobInfo;
  /** Finished runs, oldest first (see `finishedRunsOf`). */
  runs: OrderedRun[];
  /** Pod detail per Job UID, for failed runs that may open or extend an incident. */
  details?: ReadonlyMap<string, string>;
}

/** One state change, for the summary and the logs. */
export interface Change {
  kind: 'baselined' | 'opened' | 'failed-again' | 'closed' | 'recovered';
  incidentId: string | null;
  job: string | null;
}

/** The new record and what changed; null when nothing did (then nothing is written). */
export interface Decision {
  record: CronJobRecord;
  changes: Change[];
}

// Controllers' clocks are NTP-synced; ten minutes ahead is not skew, it is a broken clock.
export const MAX_CLOCK_SKEW_MS = 10 * 60_000;

function laterMark(a: RunMark | null, b: RunMark | null): RunMark | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareMarks(a, b) >= 0 ? a : b;
}

/** True when this Job already opened, extended or closed one of the record's incidents. */
function counted(record: CronJobRecord, jobUid: string): boolean {
  const incidents = record.open === null ? record.history : [...record.history, record.open];
  return incidents.some(
    i =>
      i.openedBy.jobUid === jobUid ||
      i.latestFailure.jobUid === jobUid ||
      i.closedBy?.jobUid === jobUid,
  );
}

/**
 * A success the CronJob's status reports but whose Job is already gone (a short
 * `ttlSecondsAfterFinished` deletes it before any pass sees it): without this the incident
 * would stay open until a success is seen in time.
 */
function successWithoutJob(
  record: CronJobRecord,
  cronJob: CronJobInfo,
  now: Date,
): {ref: RunRef; mark: RunMark} | null {
  const at = cronJob.lastSuccessfulTime?.getTime();
  const incident = record.open;
  if (at === undefined || incident === null) return null;
  if (at <= Date.parse(incident.openedAt) || at > now.getTime() + MAX_CLOCK_SKEW_MS) return null;
  if (record.watermark !== null && at <= record.watermark.atMs) return null;
  const iso = new Date(at).toISOString();
  return {
    ref: {
      job: '',
      jobUid: '',
      manual: false,
      at: iso,
      reason: SUCCEEDED_JOB_GONE_REASON,
      message: 'a later run succeeded; its Job was already deleted',
      detail: null,
    },
    mark: {atMs: at, job: ''},
  };
}

function markOf(run: OrderedRun): RunMark {
  return {atMs: run.atMs, job: run.verdict.job};
}

function isNew(run: OrderedRun, watermark: RunMark | null): boolean {
  return watermark === null || compareMarks(markOf(run), watermark) > 0;
}

/** The runs not yet accounted for: those after the watermark (all of them without one). */
export function runsAfter(runs: OrderedRun[], watermark: RunMark | null): OrderedRun[] {
  return runs.filter(run => isNew(run, watermark));
}

function refOf(run: OrderedRun, details: ReadonlyMap<string, string> | undefined): RunRef {
  const v = run.verdict;
  return {
    job: v.job,
    jobUid: v.jobUid,
    manual: v.manual,
    at: (v.finishedAt ?? new Date(run.atMs)).toISOString(),
    reason: v.reason,
    message: v.message,
    detail: details?.get(v.jobUid) ?? null,
  };
}

/**
 * Whether `decide` could change anything, judged from the cheap per-CronJob summary the store
 * keeps for every record: lets a pass skip the transaction (and its reads) for the common case.
 * Must never say false when `decide` would change the record.
 */
export function mayChange(
  known: {watermark: RunMark | null} | undefined,
  hasOpenIncident: boolean,
  runs: OrderedRun[],
  lastSuccessfulTime: Date | null = null,
): boolean {
  if (known === undefined) return true;
  const fresh = runsAfter(runs, known.watermark);
  if (hasOpenIncident) {
    const reportedSuccess = lastSuccessfulTime?.getTime() ?? -Infinity;
    return fresh.length > 0 || reportedSuccess > (known.watermark?.atMs ?? -Infinity);
  }
  return fresh.some(run => run.verdict.outcome === 'failed');
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

/** True while a pass holds a live claim on the notification (it may be sending it). */
export function isClaimed(n: PendingNotification, now: Date): boolean {
  return n.claim !== null && Date.parse(n.claim.until) > now.getTime();
}

/** A record with nothing in it yet, for the CronJob (or cluster) it names. */
export function blankRecord(
  identity: Pick<CronJobRecord, 'clusterId' | 'namespace' | 'name' | 'cronJobUid' | 'schedule'>,
  now: Date,
): CronJobRecord {
  return {
    ...identity,
    watermark: null,
    open: null,
    outbox: [],
    threads: [],
    history: [],
    updatedAt: now.toISOString(),
  };
}

function emptyRecord(observation: Observation, now: Date): CronJobRecord {
  const {cronJob} = observation;
  return blankRecord(
    {
      clusterId: observation.clusterId,
      namespace: cronJob.namespace,
      name: cronJob.name,
      cronJobUid: cronJob.uid,
      schedule: cronJob.schedule,
    },
    now,
  );
}

function open(record: CronJobRecord, run: OrderedRun, obs: Observation, now: Date): Change {
  const ref = refOf(run, obs.details);
  const incident: Incident = {
    id: `${obs.cronJob.uid}/${run.verdict.jobUid}`,
    openedAt: ref.at ?? now.toISOString(),
    openedBy: ref,
    latestFailure: ref,
    failedRuns: 1,
    closedAt: null,
    closedBy: null,
  };
  record.open = incident;
  record.outbox.push(notification('opened', incident, now));
  return {kind: 'opened', incidentId: incident.id, job: ref.job};
}

function failAgain(
  record: CronJobRecord,
  incident: Incident,
  run: OrderedRun,
  obs: Observation,
  now: Date,
): Change {
  const updated: Incident = {
    ...incident,
    latestFailure: refOf(run, obs.details),
    failedRuns: incident.failedRuns + 1,
  };
  record.open = updated;
  // An opening message not yet sent goes out with the latest count and reason.
  record.outbox = record.outbox.map(n =>
    n.kind === 'opened' && n.incident.id === updated.id && !isClaimed(n, now)
      ? {...n, incident: updated}
      : n,
  );
  return {kind: 'failed-again', incidentId: updated.id, job: run.verdict.job};
}

function close(
  record: CronJobRecord,
  incident: Incident,
  run: OrderedRun,
  obs: Observation,
  now: Date,
): Change {
  return closeWith(record, incident, refOf(run, obs.details), now);
}

/**
 * Closes the open incident as `ref` says. When its opening message never went out (and no
 * pass is sending it), the two become one `recovered` message.
 */
export function closeWith(
  record: CronJobRecord,
  incident: Incident,
  ref: RunRef,
  now: Date,
): Change {
  const closed: Incident = {...incident, closedAt: ref.at ?? now.toISOString(), closedBy: ref};
  record.open = null;
  record.history = [...record.history, closed].slice(-HISTORY_LIMIT);
  const pendingOpening = record.outbox.find(
    n => n.kind === 'opened' && n.incident.id === closed.id,
  );
  if (pendingOpening !== undefined && !isClaimed(pendingOpening, now)) {
    // Nothing reached the channel yet: one message that says both beats two stale ones.
    record.outbox = record.outbox.map(n =>
      n === pendingOpening ? notification('recovered', closed, now) : n,
    );
    return {kind: 'recovered', incidentId: closed.id, job: ref.job};
  }
  record.outbox.push(notification('closed', closed, now));
  return {kind: 'closed', incidentId: closed.id, job: ref.job};
}

/**
 * The heart of the watcher. Runs after the watermark are folded in outcome order:
 * a failure opens an incident (or counts towards the open one), a success closes the open
 * one. Runs at or before the watermark were accounted for already: history never re-alerts.
 * On first sight (no record, no baseline) only the latest finished run counts: a CronJob
 * whose latest run failed gets an incident; older failures are history.
 */
export function decide(
  stored: CronJobRecord | null,
  observation: Observation,
  now: Date,
  known?: {watermark: RunMark | null},
): Decision | null {
  // A time further ahead than any sane clock skew is a controller's clock gone wrong: such a
  // run waits until it is no longer in the future instead of hiding every run before it.
  const runs = observation.runs.filter(run => run.atMs <= now.getTime() + MAX_CLOCK_SKEW_MS);
  // A CronJob with a baseline but no record yet: its runs after the baseline are news. A
  // record older than its index entry (the entry was re-baselined) starts from the later one.
  const current =
    stored === null
      ? known === undefined
        ? null
        : {...emptyRecord(observation, now), watermark: known.watermark}
      : {...stored, watermark: laterMark(stored.watermark, known?.watermark ?? null)};
  if (current === null) {
    const record = emptyRecord(observation, now);
    const latest = runs.at(-1);
    const changes: Change[] = [
      {kind: 'baselined', incidentId: null, job: latest?.verdict.job ?? null},
    ];
    if (latest !== undefined) {
      record.watermark = markOf(latest);
      if (latest.verdict.outcome === 'failed') changes.push(open(record, latest, observation, now));
    }
    return {record, changes};
  }

  const record: CronJobRecord = {
    ...current,
    cronJobUid: observation.cronJob.uid,
    schedule: observation.cronJob.schedule,
    outbox: [...current.outbox],
    history: [...current.history],
  };
  const changes: Change[] = [];
  for (const run of runs) {
    if (!isNew(run, record.watermark)) continue;
    const incident = record.open;
    if (run.verdict.outcome === 'failed') {
      // Belt and braces on top of the watermark: a Job is counted once, whatever its times do.
      if (counted(record, run.verdict.jobUid)) continue;
      changes.push(
        incident === null
          ? open(record, run, observation, now)
          : failAgain(record, incident, run, observation, now),
      );
      record.watermark = markOf(run);
    } else if (incident !== null) {
      const closing = close(record, incident, run, observation, now);
      if (closing.kind === 'recovered') {
        // Opened and closed within this decision: report it once, as what it was.
        const opened = changes.findIndex(
          c => c.kind === 'opened' && c.incidentId === closing.incidentId,
        );
        if (opened >= 0) changes.splice(opened, 1);
      }
      changes.push(closing);
      record.watermark = markOf(run);
    }
    // A success with nothing open changes nothing, so it is not even written down: a pass
    // over healthy CronJobs writes nothing.
  }
  const goneSuccess = successWithoutJob(record, observation.cronJob, now);
  if (record.open !== null && goneSuccess !== null) {
    changes.push(closeWith(record, record.open, goneSuccess.ref, now));
    record.watermark = goneSuccess.mark;
  }
  if (changes.length === 0) return null;
  record.updatedAt = now.toISOString();
  return {record, changes};
}

/**
 * The CronJob of an open incident is gone from a cluster that was read in full: nothing will
 * ever run to close it, so it closes now, saying why. Only for a complete, successful read
 * (the caller's job): absence from a failed or partial read is not evidence.
 */
export function decideDeleted(current: CronJobRecord | null, now: Date): Decision | null {
  const incident = current?.open;
  if (current === null || incident === null || incident === undefined) return null;
  const record: CronJobRecord = {
    ...current,
    outbox: [...current.outbox],
    history: [...current.history],
  };
  const at = now.toISOString();
  const change = closeWith(
    record,
    incident,
    {
      job: '',
      jobUid: '',
      manual: false,
      at,
      reason: CRONJOB_DELETED_REASON,
      message: 'the CronJob no longer exists',
      detail: null,
    },
    now,
  );
  record.updatedAt = at;
  return {record, changes: [change]};
}
