import type {IncidentBase} from '../../incident-base.js';

/** A run of a CronJob going on far longer than its runs usually take (id `slower-than-usual:<jobUid>`). */
export interface SlowerThanUsualIncident extends IncidentBase {
  kind: 'slower-than-usual';
  job: string;
  jobUid: string;
  manual: boolean;
  /** When the run started (its Job's start, else its due time); `openedAt` is this + `limitMs`. */
  startedAt: string;
  /** The median duration of the successful runs in the history when it opened. */
  usualMs: number;
  /** How long it had to run to open this: max(3 × median, 1.5 × p95, median + 5 min). */
  limitMs: number;
}
