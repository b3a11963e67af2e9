/**
 * The annotation of the duration detections (slower-than-usual and finished-too-fast both read
 * it): `duration-anomalies: "off"` turns both off for one CronJob whose run times vary by design.
 */
import {parseOnOff, type SettingsSpec} from '../../annotations.js';

/** What a CronJob's annotations tell the slower-than-usual detection. */
export type SlowerThanUsualSettings = {
  /** `duration-anomalies`: false when `"off"`. */
  durationAnomalies: boolean;
};

/** Its annotation and default. */
export const SLOWER_THAN_USUAL_SETTINGS: SettingsSpec<SlowerThanUsualSettings> = {
  annotations: [{name: 'duration-anomalies', field: 'durationAnomalies', parse: parseOnOff}],
  defaults: {durationAnomalies: true},
};
