/**
 * The Japanese common words (see words.ts): written as an on-call SRE in Japan writes an
 * alert, not translated word for word. Kubernetes terms (CronJob, Job, Pod) stay as they are
 * in Japanese documentation; durations read `2時間5分`, `45秒`, `3日4時間`; sentences end in
 * です/ました; times are Slack dates, so every reader sees them in their own zone.
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

const DAYS = ['日', '月', '火', '水', '木', '金', '土'];

/** `3月2日 01:06 UTC`. */
function plainTimeJa(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${d.toISOString().slice(11, 16)} UTC`;
}

function inZone(zone: string | null): string {
  return zone === null ? '' : ` ${zone}`;
}

/** Japanese. */
export const ja: CommonWords = {
  duration: formatDurationJa,
  count: n => `${n}回`,
  slackTimeFormat: '{date_short_pretty} {time}',
  plainTime: plainTimeJa,
  unknownTime: '時刻不明',
  unknownReason: '理由不明',
  unknownDuration: '不明',
  never: 'なし',
  labels: {
    job: 'Job',
    lastSuccess: '最後の成功',
    nextRun: '次回の実行',
    container: name => `コンテナ ${name}`,
    pod: name => `Pod ${name}`,
  },
  cadence: (c, zone) => {
    switch (c.type) {
      case 'minutes':
        return c.step === 1 ? '毎分' : `${c.step}分ごと`;
      case 'hourly':
        return '毎時';
      case 'daily':
        return `毎日 ${c.time}${inZone(zone)}`;
      case 'weekly':
        return `毎週${DAYS[c.day] ?? '?'}曜 ${c.time}${inZone(zone)}`;
    }
  },
  schedule: (schedule, zone) => [words('スケジュール '), ...schedule, words(inZone(zone))],
  actions: {logs: 'ログ', console: 'Cloud Console', runbook: '手順書'},
  runValue: (job, manual) => (manual ? [job, words('（手動実行）')] : [job]),
  mutedLine:
    'ミュート: この CronJob に cronjob-watcher/ignore が設定されたため、復旧を待たずにクローズしました。',
  maintenanceNote: (start, end) => [
    words('メンテナンス時間帯（'),
    ...start,
    words('〜'),
    ...end,
    words('）に発生したため、時間帯の終了を待って通知しました。'),
  ],
  recentRuns: {label: '最近の実行', usually: duration => `通常は${duration}`},
};
