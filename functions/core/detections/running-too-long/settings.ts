/** The annotation of the running-too-long detection: how long a run may take. */
import {parseDurationMs, type SettingsSpec} from '../../annotations.js';

/** What a CronJob's annotations tell the running-too-long detection. */
export type RunningTooLongSettings = {
  /** `max-duration`: how long a run may take; null: one schedule period. */
  maxDurationMs: number | null;
};

/** Its annotation and default. */
export const RUNNING_TOO_LONG_SETTINGS: SettingsSpec<RunningTooLongSettings> = {
  annotations: [{name: 'max-duration', field: 'maxDurationMs', parse: parseDurationMs}],
  defaults: {maxDurationMs: null},
};
