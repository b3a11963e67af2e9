/**
 * The Japanese common words (see words.ts): written as an on-call SRE in Japan writes an
 * alert, not translated word for word. Kubernetes terms (CronJob, Job, Pod) stay as they are
 * in Japanese documentation; durations read `2時間5分`, `45秒`, `3日4時間`; times are Slack
 * dates, so every reader sees them in their own zone.
 */
import {formatDurationIn} from '../duration.js';
import type {Segment} from './model.js';
import type {CommonWords} from './words.js';

/** `45秒`, `12分5秒`, `2時間5分`, `3日4時間`, truncated like the English one (duration.ts). */
export function formatDurationJa(ms: number): string {
  return formatDurationIn(ms, {day: '日', hour: '時間', minute: '分', second: '秒', separator: ''});
}

function words(text: string): Segment {
  return {type: 'text', text};
}

/** Japanese. */
export const ja: CommonWords = {
  duration: formatDurationJa,
  count: n => `${n}回`,
  // Date and time in the reader's zone, then how long ago; Slack localises both.
  slackDateFormat: '{date_num} {time_secs}（{ago}）',
  unknownTime: '時刻不明',
  unknownReason: '理由不明',
  unknownDuration: '不明',
  labels: {
    cluster: 'クラスタ',
    cronJob: 'CronJob',
    schedule: 'スケジュール',
    pods: 'Pod の状態',
    job: 'Job',
  },
  links: {
    cronJob: 'Cloud Console で CronJob を開く',
    logsOf: job => `${job} のログ`,
    runbook: 'Runbook',
  },
  runValue: (job, manual) => (manual ? [job, words('（手動実行）')] : [job]),
  mutedLine:
    'ミュート: この CronJob に cronjob-watcher/ignore が設定されたため、復旧を待たずにクローズしました。',
};
