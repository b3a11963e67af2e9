/**
 * The words of the messages about runs that did not start, one section per language. A missing
 * entry in either does not compile.
 */
import type {Language} from '../../messages/languages.js';
import {plural} from '../../messages/words-en.js';

/** The words of the messages about runs that did not start. */
export interface MissedWords {
  labels: {
    dueAt: string;
    missedRuns: string;
    lastStarted: string;
  };
  /** `3 missed runs`, or `more than 100 missed runs` when capped. */
  missedRuns(count: number, capped: boolean): string;
  neverStarted: string;
  openedTitle(cronJob: string): string;
  /** `Did not start at 09:00 JST, due `0 9 * * *` in Asia/Tokyo; last started 1d 2h ago`. */
  openedLine(p: {
    due: string;
    schedule: string;
    timeZone: string;
    lastStarted: string | null;
  }): string;
  openedSummary(p: {cronJob: string; cluster: string; due: string; count: string}): string;
  closedTitle(cronJob: string, duration: string | null): string;
  /** The reply: how long no run started, and why it closed. */
  closingLine(p: {
    suspended: boolean;
    deleted: boolean;
    duration: string | null;
    count: string;
  }): string;
  recoveredTitle(cronJob: string): string;
}

const en: MissedWords = {
  labels: {
    dueAt: 'Due at',
    missedRuns: 'Missed runs',
    lastStarted: 'Last started',
  },
  missedRuns: (count, capped) =>
    capped ? 'more than 100 missed runs' : plural(count, 'missed run', 'missed runs'),
  neverStarted: 'never',
  openedTitle: cronJob => `CronJob did not start: ${cronJob}`,
  openedLine: p =>
    `Did not start at ${p.due}, due ${p.schedule} in ${p.timeZone}` +
    (p.lastStarted === null ? '; it never started' : `; last started ${p.lastStarted} ago`),
  openedSummary: p => `CronJob ${p.cronJob} on ${p.cluster} did not start at ${p.due} (${p.count})`,
  closedTitle: (cronJob, duration) =>
    `Running again${duration === null ? '' : ` after ${duration}`}: ${cronJob}`,
  closingLine: p =>
    p.suspended
      ? `Closed: the CronJob was suspended (${p.count})`
      : p.deleted
        ? `Closed: the CronJob was deleted (${p.count})`
        : `A run started again${p.duration === null ? '' : ` after ${p.duration} without one`}, ${p.count}`,
  recoveredTitle: cronJob => `Started late: ${cronJob}`,
};

const ja: MissedWords = {
  labels: {
    dueAt: '予定時刻',
    missedRuns: '未起動の回数',
    lastStarted: '最後の起動',
  },
  missedRuns: (count, capped) => (capped ? '未起動100回超' : `未起動${count}回`),
  neverStarted: 'なし',
  openedTitle: cronJob => `CronJob が起動しませんでした: ${cronJob}`,
  openedLine: p =>
    `予定時刻 ${p.due} に起動しませんでした（スケジュール ${p.schedule}、${p.timeZone}）` +
    (p.lastStarted === null ? '。一度も起動していません' : `。最後の起動は${p.lastStarted}前`),
  openedSummary: p =>
    `${p.cluster} の CronJob ${p.cronJob} が ${p.due} に起動しませんでした（${p.count}）`,
  closedTitle: (cronJob, duration) =>
    `${duration === null ? '' : `${duration}ぶりに`}起動を再開: ${cronJob}`,
  closingLine: p =>
    p.suspended
      ? `クローズ: CronJob が一時停止（suspend）されました（${p.count}）`
      : p.deleted
        ? `クローズ: CronJob が削除されました（${p.count}）`
        : `起動を再開しました${p.duration === null ? '' : `（${p.duration}起動なし）`}、${p.count}`,
  recoveredTitle: cronJob => `遅れて起動: ${cronJob}`,
};

/** The words of its messages, by language. */
export const MISSED_WORDS: Record<Language, MissedWords> = {en, ja};
