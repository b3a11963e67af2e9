import type {IncidentBase} from '../../incident-base.js';

/**
 * A successful run of a CronJob far shorter than usual: it may not have done its work (id
 * `finished-too-fast:<jobUid of the first such run>`).
 */
export interface FinishedTooFastIncident extends IncidentBase {
  kind: 'finished-too-fast';
  job: string;
  jobUid: string;
  manual: boolean;
  /** How long that run took. */
  durationMs: number;
  /** The median of the successful runs before it; null when the floor is the annotation's. */
  usualMs: number | null;
  /** Shorter than this is too fast: 0.3 × the median, or `cronjob-watcher/min-duration`. */
  floorMs: number;
  floorFrom: 'learned' | 'annotation';
  /** Successful runs too fast in a row so far (1 when it opens). */
  fastRuns: number;
  /** How long the run of usual length that closed it took. */
  closedByMs?: number;
}
