/**
 * The annotations of the finished-too-fast detection: `duration-anomalies: "off"` (shared with
 * slower-than-usual: one switch for both) and `min-duration`, a fixed floor instead of the learnt
 * one, for a job whose usual length is known and whose history is too short or too varied.
 */
import {parseDurationMs, parseOnOff, type SettingsSpec} from '../../annotations.js';

/** What a CronJob's annotations tell the finished-too-fast detection. */
export type FinishedTooFastSettings = {
  /** `duration-anomalies`: false when `"off"`. */
  durationAnomalies: boolean;
  /** `min-duration`: a successful run shorter than this is too fast; null: learnt. */
  minDurationMs: number | null;
};

/** Its annotations and defaults. */
export const FINISHED_TOO_FAST_SETTINGS: SettingsSpec<FinishedTooFastSettings> = {
  annotations: [
    {name: 'duration-anomalies', field: 'durationAnomalies', parse: parseOnOff},
    {name: 'min-duration', field: 'minDurationMs', parse: parseDurationMs},
  ],
  defaults: {durationAnomalies: true, minDurationMs: null},
};
