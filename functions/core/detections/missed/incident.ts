import type {IncidentBase} from '../../incident-base.js';

/** Due times of a CronJob for which no run started (id `missed:<cronJobUid>@<first due>`). */
export interface MissedIncident extends IncidentBase {
  kind: 'missed';
  /** The schedule and zone the due times come from, as they were when it opened. */
  schedule: string;
  timeZone: string;
  /** The first due time no run started for (also `openedAt`). */
  firstDueAt: string;
  /** The newest due time missed so far. */
  latestDueAt: string;
  /** Due times missed so far, at most `MISSED_RUNS_CAP` (then "more than 100"). */
  missedRuns: number;
  /** `status.lastScheduleTime` when it opened; null when the CronJob never ran. */
  lastStartedAt: string | null;
}
