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

/** English. */
export const en: CommonWords = {
  duration: formatDuration,
  count: n => String(n),
  slackDateFormat: null,
  unknownTime: 'unknown time',
  unknownReason: 'unknown reason',
  unknownDuration: 'unknown',
  labels: {
    cluster: 'Cluster',
    cronJob: 'CronJob',
    schedule: 'Schedule',
    pods: 'Pods',
    job: 'Job',
  },
  links: {cronJob: 'CronJob in Cloud Console', logsOf: job => `Logs of ${job}`, runbook: 'Runbook'},
  runValue: (job, manual) => (manual ? [job, words(' (manual run)')] : [job]),
  mutedLine:
    'Muted: cronjob-watcher/ignore is set on this CronJob, so this incident is closed without a fix.',
};
