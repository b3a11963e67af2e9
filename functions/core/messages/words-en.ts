/** The English common words (see words.ts). */
import {formatDurationIn} from '../duration.js';
import type {Segment} from './model.js';
import type {CommonWords} from './words.js';

/**
 * A duration with its two largest units: `45s`, `12m 5s`, `2h 5m`, `3d 4h` (see duration.ts
 * for truncation, zero units and odd inputs).
 */
export function formatDuration(ms: number): string {
  return formatDurationIn(ms, {day: 'd', hour: 'h', minute: 'm', second: 's', separator: ' '});
}

/** `1 failed run`, `3 failed runs`. */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function words(text: string): Segment {
  return {type: 'text', text};
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** `Mar 2, 01:06 UTC`. */
function plainTimeEn(ms: number): string {
  const d = new Date(ms);
  const hhmm = d.toISOString().slice(11, 16);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${hhmm} UTC`;
}

function inZone(zone: string | null): string {
  return zone === null ? '' : ` ${zone}`;
}

/** English. */
export const en: CommonWords = {
  duration: formatDuration,
  count: n => String(n),
  slackTimeFormat: '{date_short_pretty} at {time}',
  plainTime: plainTimeEn,
  unknownTime: 'unknown time',
  unknownReason: 'unknown reason',
  unknownDuration: 'unknown',
  never: 'never',
  labels: {
    job: 'Job',
    lastSuccess: 'Last success',
    nextRun: 'Next run',
    container: name => `Container ${name}`,
    pod: name => `Pod ${name}`,
  },
  cadence: (c, zone) => {
    switch (c.type) {
      case 'minutes':
        return c.step === 1 ? 'due every minute' : `due every ${c.step} minutes`;
      case 'hourly':
        return 'due every hour';
      case 'daily':
        return `due every day at ${c.time}${inZone(zone)}`;
      case 'weekly':
        return `due every ${DAYS[c.day] ?? '?'} at ${c.time}${inZone(zone)}`;
    }
  },
  schedule: (schedule, zone) => [
    words('schedule '),
    ...schedule,
    words(zone === null ? '' : ` in ${zone}`),
  ],
  actions: {logs: 'Logs', console: 'Cloud Console', runbook: 'Runbook'},
  runValue: (job, manual) => (manual ? [job, words(' (manual run)')] : [job]),
  mutedLine:
    'Muted: cronjob-watcher/ignore is set on this CronJob, so this incident is closed without a fix.',
  maintenanceNote: (start, end) => [
    words('Began during the maintenance window from '),
    ...start,
    words(' to '),
    ...end,
    words('; announced when the window ended.'),
  ],
  recentRuns: {label: 'Recent runs', usually: duration => `usually ${duration}`},
};
