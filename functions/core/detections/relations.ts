/**
 * The rules between detections, and only those: where one kind's story hands over to another's.
 * No slice reads another slice's state except through a rule here; `decideSubject` applies
 * the handover, the missed detection asks about the Forbid anchor, delivery asks which thread
 * an opening continues.
 *
 * - A Job that ran too long and then failed is one story: the running-too-long incident
 *   closes without a message of its own and the failing streak it opens continues in its
 *   thread. When the failure only counts towards a streak already open, both keep their own
 *   messages.
 * - Under `concurrencyPolicy: Forbid` due times are skipped while a Job runs, and the
 *   controller catches up (or not) once it ends: those are the running-too-long incident's
 *   story, so the missed detection says nothing while a Job runs and counts again from the end
 *   of the latest run, or of the latest Job that ran too long.
 * - While the cluster's own `cluster-unreadable` incident is open, no missed or
 *   running-too-long incident of its CronJobs opens: due times and run lengths during an
 *   outage of the watcher's view say nothing the watcher can know (the controller may have been
 *   down too, and catches up). They are judged again on the next pass, from a read made once
 *   the cluster's own incident is closed; failures and closings go on as usual.
 */
import type {CronJobView, Evaluation, Transition} from '../detector.js';
import type {Incident, RunningTooLongIncident, SubjectRecord} from '../incident.js';

/** Marks the handover from a Job that ran too long to the failing streak its failure opens. */
export function handOver(evaluations: Evaluation[]): Evaluation[] {
  // By Job name: a Job deleted while it ran comes back as a failure known only by the name
  // the controller gave it (see `goneRun`).
  const failedLong = new Map<string, RunningTooLongIncident>();
  for (const e of evaluations) {
    for (const t of e.transitions) {
      const ending = t.incident.ending;
      if (t.type !== 'close' || t.incident.kind !== 'running-too-long') continue;
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
      const continuedFrom = {startedAt: long.startedAt, podDetail: long.podDetail};
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
