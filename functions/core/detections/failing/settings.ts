/** The annotation of the failing detection: how many log lines to quote. */
import type {Check, SettingsSpec} from '../../annotations.js';

/** The fewest and most log lines `log-lines` may ask for (a Slack block holds ~50 short lines). */
export const LOG_LINES_MIN = 1;
export const LOG_LINES_MAX = 50;

/** What a CronJob's annotations tell the failing detection. */
export type FailingSettings = {
  /** `log-lines`: lines of the failed container's log in the opening message; null: none. */
  logLines: number | null;
};

function parseLogLines(raw: string): Check<number> {
  const v = raw.trim();
  const n = /^\d{1,4}$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < LOG_LINES_MIN || n > LOG_LINES_MAX) {
    return {ok: false, problem: `must be a whole number from ${LOG_LINES_MIN} to ${LOG_LINES_MAX}`};
  }
  return {ok: true, value: n};
}

/** Its annotation and default. */
export const FAILING_SETTINGS: SettingsSpec<FailingSettings> = {
  annotations: [{name: 'log-lines', field: 'logLines', parse: parseLogLines}],
  defaults: {logLines: null},
};
