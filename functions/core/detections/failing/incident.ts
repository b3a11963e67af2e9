import type {IncidentBase, LogExcerpt, RunRef} from '../../incident-base.js';

/** A streak of failed runs of one CronJob (id `<cronJobUid>/<uid of the Job that opened it>`). */
export interface FailingIncident extends IncidentBase {
  kind: 'failing';
  openedBy: RunRef;
  latestFailure: RunRef;
  failedRuns: number;
  /**
   * The id of the running-too-long incident whose Job failed and opened this streak: its
   * opening message goes in that incident's thread, never as a second top-level message.
   */
  continues?: string;
  /**
   * What the running-too-long incident it continues knew (see `continues`), so its messages
   * keep that story: when the Job started and what its Pods said while it hung.
   */
  continuedFrom?: {startedAt: string; podDetail: string | null};
  /**
   * The CronJob as it was when the streak opened, for the opening's "last success" and "next
   * run"; absent on records written before it was kept.
   */
  cronJobAtOpen?: {lastSuccessAt: string | null; timeZone: string | null};
  /** The opening run's log excerpt, when `cronjob-watcher/log-lines` asked for one. */
  log?: LogExcerpt;
}
/**
 * How a failing streak ended, as its messages tell it: a run fixed it, a run whose Job is
 * already gone fixed it, its CronJob was deleted, or it is not known.
 */
export type FailingEnd =
  {type: 'fixed'; run: RunRef} | {type: 'fixed-job-gone'} | {type: 'deleted'} | {type: 'unknown'};

/** The one reading of a failing incident's `ending`. */
export function endOf(incident: FailingIncident): FailingEnd {
  switch (incident.ending?.type) {
    case 'succeeded':
      return {type: 'fixed', run: incident.ending.run};
    case 'succeeded-job-gone':
      return {type: 'fixed-job-gone'};
    case 'cronjob-deleted':
      return {type: 'deleted'};
    // Endings of other kinds say nothing about a failing streak.
    // Muted incidents close with their own short reply (mutedMessages), never these words.
    case 'readable-again':
    case 'started':
    case 'suspended':
    case 'finished':
    case 'job-gone':
    case 'muted':
    case undefined:
      return {type: 'unknown'};
  }
}
