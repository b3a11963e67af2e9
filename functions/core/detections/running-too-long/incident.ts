import type {IncidentBase} from '../../incident-base.js';

/** A Job of a CronJob running past its limit (id `running-too-long:<jobUid>`). */
export interface RunningTooLongIncident extends IncidentBase {
  kind: 'running-too-long';
  job: string;
  jobUid: string;
  manual: boolean;
  /** When the run started (its due time, else its start); also `openedAt` + `limitMs`. */
  startedAt: string;
  limitMs: number;
  /** Where the limit comes from: the `max-duration` annotation, or one schedule period. */
  limitFrom: 'annotation' | 'schedule';
  /** What its Pods do instead of running (`ImagePullBackOff`, `Unschedulable`); null if unknown. */
  podDetail: string | null;
  /** Due times skipped because it still runs (`concurrencyPolicy: Forbid`). */
  blockedRuns: number;
  /**
   * The Job is held with `spec.suspend: true` (by hand, Kueue…) and, under `Forbid`, blocks
   * every later run; absent when it runs (and on records before version 4).
   */
  suspended?: true;
}
