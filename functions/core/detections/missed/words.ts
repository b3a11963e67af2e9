/**
 * The words of the messages about runs that did not start, one section per language. A missing
 * entry in either does not compile.
 */
import type {Language} from '../../messages/languages.js';
import type {Text} from '../../messages/model.js';
import {text} from '../../messages/pieces.js';
import {plural} from '../../messages/words-en.js';

/** How a missed incident closed. */
export type MissedEnd = 'started' | 'suspended' | 'deleted' | 'unknown';

/** The words of the messages about runs that did not start. */
export interface MissedWords {
  labels: {
    lastStarted: string;
    missedRuns: string;
  };
  /** The missed runs field: `3`, or `more than 100` when capped. */
  missedRunsValue(count: number, capped: boolean): string;
  /** `1 missed run`, `more than 100 missed runs`. */
  missedRuns(count: number, capped: boolean): string;
  neverStarted: string;
  /** The headline's words: `data/warehouse-load did not start today at 1:45 AM (due every hour)`. */
  didNotStartLine(cronJob: string, due: Text, cadence: Text): Text;
  /** The closed headline's words: `data/warehouse-load runs again after 1h`. */
  endedLine(cronJob: string, end: MissedEnd, duration: string | null): string;
  /** The thread reply: `Runs resumed after 1h (1 missed run)`. */
  closingLine(end: MissedEnd, duration: string | null, count: string): string;
  /** The closed opening's one line: `Did not start today at 1:45 AM; the run due today at 2:45 AM started (1 missed run)`. */
  storyLine(p: {due: Text; end: MissedEnd; resumedDue: Text | null; count: string}): Text;
  /** Missed, then started before anything was sent (cluster arrives last). */
  recoveredLine(p: {cronJob: string; due: Text; duration: string | null; count: string}): Text;
  /** A reminder in the thread: `Still not running after 1d: 24 missed runs so far; latest due …`. */
  reminderLine(p: {age: string; count: string; latestDue: Text}): Text;
}

function afterEn(duration: string | null): string {
  return duration === null ? '' : ` after ${duration}`;
}

const en: MissedWords = {
  reminderLine: p => [
    text(`Still not running after ${p.age}: ${p.count} so far; the latest was due `),
    ...p.latestDue,
  ],
  labels: {
    lastStarted: 'Last started',
    missedRuns: 'Missed runs',
  },
  missedRunsValue: (count, capped) => (capped ? 'more than 100' : String(count)),
  missedRuns: (count, capped) =>
    capped ? 'more than 100 missed runs' : plural(count, 'missed run', 'missed runs'),
  neverStarted: 'never',
  didNotStartLine: (cronJob, due, cadence) => [
    text(`${cronJob} did not start `),
    ...due,
    text(' ('),
    ...cadence,
    text(')'),
  ],
  endedLine: (cronJob, end, duration) => {
    switch (end) {
      case 'suspended':
        return `${cronJob} closed: the CronJob was suspended`;
      case 'deleted':
        return `${cronJob} closed: the CronJob was deleted`;
      case 'started':
      case 'unknown':
        return `${cronJob} runs again${afterEn(duration)}`;
    }
  },
  closingLine: (end, duration, count) => {
    switch (end) {
      case 'suspended':
        return `Closed: the CronJob was suspended (${count})`;
      case 'deleted':
        return `Closed: the CronJob was deleted (${count})`;
      case 'started':
      case 'unknown':
        return `Runs resumed${afterEn(duration)} (${count})`;
    }
  },
  storyLine: p => [
    text('Did not start '),
    ...p.due,
    ...(p.end === 'started' && p.resumedDue !== null
      ? [text('; the run due '), ...p.resumedDue, text(` started (${p.count})`)]
      : p.end === 'suspended'
        ? [text(`; then suspended (${p.count})`)]
        : p.end === 'deleted'
          ? [text(`; then deleted (${p.count})`)]
          : [text(` (${p.count})`)]),
  ],
  recoveredLine: p => [
    text(`${p.cronJob} started late: due `),
    ...p.due,
    text(`, a run started${afterEn(p.duration)} (${p.count})`),
  ],
};

const ja: MissedWords = {
  reminderLine: p => [
    text(`発生から${p.age}経ちましたが、まだ起動していません: これまでに${p.count}、直近の予定は `),
    ...p.latestDue,
  ],
  labels: {
    lastStarted: '最後の起動',
    missedRuns: '未起動の回数',
  },
  missedRunsValue: (count, capped) => (capped ? '100回超' : `${count}回`),
  missedRuns: (count, capped) => (capped ? '未起動100回超' : `未起動${count}回`),
  neverStarted: 'なし',
  didNotStartLine: (cronJob, due, cadence) => [
    text(`${cronJob} が `),
    ...due,
    text(' に起動しませんでした（'),
    ...cadence,
    text('）'),
  ],
  endedLine: (cronJob, end, duration) => {
    switch (end) {
      case 'suspended':
        return `${cronJob} をクローズしました（CronJob が一時停止されました）`;
      case 'deleted':
        return `${cronJob} をクローズしました（CronJob が削除されました）`;
      case 'started':
      case 'unknown':
        return `${cronJob} が${duration === null ? '' : `${duration}ぶりに`}起動しました`;
    }
  },
  closingLine: (end, duration, count) => {
    switch (end) {
      case 'suspended':
        return `クローズしました: CronJob が一時停止（suspend）されました（${count}）`;
      case 'deleted':
        return `クローズしました: CronJob が削除されました（${count}）`;
      case 'started':
      case 'unknown':
        return `${duration === null ? '' : `${duration}ぶりに`}起動を再開しました（${count}）`;
    }
  },
  storyLine: p => [
    ...p.due,
    ...(p.end === 'started' && p.resumedDue !== null
      ? [
          text(' に起動しませんでした。'),
          ...p.resumedDue,
          text(` の実行が起動しました（${p.count}）。`),
        ]
      : p.end === 'suspended'
        ? [text(` に起動しませんでした。その後 CronJob が一時停止されました（${p.count}）。`)]
        : p.end === 'deleted'
          ? [text(` に起動しませんでした。その後 CronJob が削除されました（${p.count}）。`)]
          : // Nothing more is known: the count closes the one sentence, before its full stop.
            [text(` に起動しませんでした（${p.count}）。`)]),
  ],
  recoveredLine: p => [
    text(`${p.cronJob} の起動が遅れました: 予定 `),
    ...p.due,
    text(`、${p.duration === null ? '' : `${p.duration}後に`}起動しました（${p.count}）`),
  ],
};

/** The words of its messages, by language. */
export const MISSED_WORDS: Record<Language, MissedWords> = {en, ja};
