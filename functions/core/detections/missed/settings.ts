/** The annotation of the missed detection: how late a run may start. */
import {parseDurationMs, type SettingsSpec} from '../../annotations.js';

/** What a CronJob's annotations tell the missed detection. */
export type MissedSettings = {
  /** `missed-grace`: how late a run may start before it counts as missed; null: the default. */
  missedGraceMs: number | null;
};

/** Its annotation and default. */
export const MISSED_SETTINGS: SettingsSpec<MissedSettings> = {
  annotations: [{name: 'missed-grace', field: 'missedGraceMs', parse: parseDurationMs}],
  defaults: {missedGraceMs: null},
};
