/**
 * The rules between detections, and only those: where one kind's story hands over to another's.
 * No slice reads another slice's state except through a rule here; `decideSubject` applies
 * the handover, the missed detection asks about the Forbid anchor, delivery asks which thread
 * an opening continues.
 *
 * - A Job that ran too long (or slower than usual) and then failed is one story: that incident
 *   closes without a message of its own and the failing streak it opens continues in its
 *   thread. When the failure only counts towards a streak already open, both keep their own
 *   messages.
 * - One Job running long is told once: running-too-long and slower-than-usual never both open
 *   for the same Job. The one already open keeps the story; when both would open in the same
 *   pass, running-too-long does (its limit is the one someone set, and it tells the runs the
 *   Job blocks).
 * - Under `concurrencyPolicy: Forbid` due times are skipped while a Job runs, and the
 *   controller catches up (or not) once it ends: those are the running-too-long incident's
 *   story, so the missed detection says nothing while a Job runs and counts again from the end
 *   of the latest run, or of the latest Job that ran too long.
 * - While the cluster's own `cluster-unreadable` incident is open, no missed,
 *   running-too-long or slower-than-usual incident of its CronJobs opens: due times and run lengths during an
 *   outage of the watcher's view say nothing the watcher can know (the controller may have been
 *   down too, and catches up). They are judged again on the next pass, from a read made once
 *   the cluster's own incident is closed; failures and closings go on as usual.
 */
import type {CronJobView, Evaluation, SubjectView, Transition} from '../detector.js';
import type {
  Incident,
  RunningTooLongIncident,
  SlowerThanUsualIncident,
  SubjectRecord,
} from '../incident.js';

/** Every rule between detections that `decideSubject` applies, in order. */
export function relate(
  evaluations: Evaluation[],
  record: SubjectRecord,
  view: SubjectView,
): Evaluation[] {
  const held = view.type === 'cronjob' ? holdWhileUnreadable(view, evaluations) : evaluations;
  return handOver(oneVoicePerRun(held, record));
}

/**
 * Drops the opening of a long-run incident for a Job another long-run kind already tells
 * (open in the record, or opening in this decision ahead of it in `LONG_RUN_ORDER`).
 */
export function oneVoicePerRun(evaluations: Evaluation[], record: SubjectRecord): Evaluation[] {
  const told = new Map<string, Incident['kind']>();
  for (const open of [record.open['running-too-long'], record.open['slower-than-usual']]) {
    if (open !== undefined) told.set(open.jobUid, open.kind);
  }
  const opening = (t: Transition) =>
    t.type === 'open' &&
    (t.incident.kind === 'running-too-long' || t.incident.kind === 'slower-than-usual')
      ? t.incident
      : null;
  for (const kind of LONG_RUN_ORDER) {
    for (const e of evaluations) {
      for (const t of e.transitions) {
        const incident = opening(t);
        if (incident?.kind === kind && !told.has(incident.jobUid)) told.set(incident.jobUid, kind);
      }
    }
  }
  let dropped = false;
  const kept = evaluations.map(e => ({
    ...e,
    transitions: e.transitions.filter(t => {
      const incident = opening(t);
      const keep = incident === null || told.get(incident.jobUid) === incident.kind;
      dropped ||= !keep;
      return keep;
    }),
  }));
  if (!dropped) return evaluations;
  // An evaluation left with nothing to do must not make the decision write the record.
  return kept.filter(
    e =>
      e.transitions.length > 0 ||
      e.watermark !== undefined ||
      e.readFailures !== undefined ||
      (e.runs?.length ?? 0) > 0,
  );
}

// Which long-run kind tells a Job both would open for in the same decision.
const LONG_RUN_ORDER: ReadonlyArray<Incident['kind']> = ['running-too-long', 'slower-than-usual'];

/** Marks the handover from a Job that ran long to the failing streak its failure opens. */
export function handOver(evaluations: Evaluation[]): Evaluation[] {
  // By Job name: a Job deleted while it ran comes back as a failure known only by the name
  // the controller gave it (see `goneRun`).
  const failedLong = new Map<string, RunningTooLongIncident | SlowerThanUsualIncident>();
  for (const e of evaluations) {
    for (const t of e.transitions) {
      const ending = t.incident.ending;
      if (t.type !== 'close') continue;
      if (t.incident.kind !== 'running-too-long' && t.incident.kind !== 'slower-than-usual')
        continue;
      if ((ending?.type === 'finished' && !ending.succeeded) || ending?.type === 'job-gone') {
        failedLong.set(t.incident.job, t.incident);
      }
    }
  }
  if (failedLong.size === 0) return evaluations;
  const continued = new Set<string>();
  const opened = evaluations.map(e => ({
    ...e,
    transitions: e.transitions.map((t): Transition => {
      if (t.type !== 'open' || t.incident.kind !== 'failing') return t;
      const long = failedLong.get(t.incident.openedBy.job);
      if (long === undefined) return t;
      continued.add(long.id);
      // What the Job did while it ran too long stays part of the failure's story.
      const podDetail = long.kind === 'running-too-long' ? long.podDetail : null;
      const continuedFrom = {startedAt: long.startedAt, podDetail};
      return {...t, incident: {...t.incident, continues: long.id, continuedFrom}};
    }),
  }));
  return opened.map(e => ({
    ...e,
    transitions: e.transitions.map((t): Transition =>
      t.type === 'close' && continued.has(t.incident.id) ? {...t, silent: true} : t,
    ),
  }));
}

/** Kinds whose openings wait while the cluster's own incident is open. */
const HELD_WHILE_UNREADABLE: ReadonlySet<Incident['kind']> = new Set([
  'missed',
  'running-too-long',
  'slower-than-usual',
]);

/**
 * Drops the openings that must wait for a read made while the cluster's own incident is
 * closed (see the file comment); every other transition stands.
 */
export function holdWhileUnreadable(view: CronJobView, evaluations: Evaluation[]): Evaluation[] {
  if (view.clusterWasUnreadable !== true) return evaluations;
  return evaluations.flatMap(e => {
    const transitions = e.transitions.filter(
      t => !(t.type === 'open' && HELD_WHILE_UNREADABLE.has(t.incident.kind)),
    );
    // An evaluation left with nothing to apply changes nothing: no write for it.
    const empty =
      transitions.length === 0 && e.watermark === undefined && e.readFailures === undefined;
    return empty ? [] : [{...e, transitions}];
  });
}

/** The incident whose thread this one's opening continues, if any (see `handOver`). */
export function continuedThreadOf(incident: Incident): string | undefined {
  return incident.kind === 'failing' ? incident.continues : undefined;
}

/** True when a Forbid CronJob's due times are held back by a Job still running. */
export function forbidHoldsDueTimes(view: CronJobView): boolean {
  const cronJob = view.cronJob;
  return (
    cronJob.concurrencyPolicy === 'Forbid' &&
    (cronJob.activeJobNames.length > 0 || view.running.length > 0)
  );
}

/**
 * Where a Forbid CronJob's missed due times start counting: the end of its latest run, or of
 * the latest Job that ran too long (now, while one is open); null when none is known.
 */
export function forbidAnchorMs(view: CronJobView, record: SubjectRecord, now: Date): number | null {
  const ends = view.runs.map(r => r.verdict.finishedAt?.getTime() ?? r.atMs);
  if (record.open['running-too-long'] !== undefined) ends.push(now.getTime());
  for (const past of record.history) {
    if (past.kind === 'running-too-long' && past.closedAt !== null)
      ends.push(Date.parse(past.closedAt));
  }
  const finite = ends.filter(Number.isFinite);
  return finite.length === 0 ? null : Math.max(...finite);
}
