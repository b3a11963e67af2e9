/**
 * The words of the messages about a Job running too long, one section per language. A missing
 * entry in either does not compile.
 */
import type {Language} from '../../messages/languages.js';
import {plural} from '../../messages/words-en.js';

/** The words of the messages about a Job running too long. */
export interface RunningTooLongWords {
  labels: {
    startedAt: string;
    limit: string;
    blockedRuns: string;
  };
  openedTitle(cronJob: string): string;
  openedLine(p: {job: string; runningFor: string}): string;
  openedSummary(p: {cronJob: string; cluster: string; job: string; runningFor: string}): string;
  /** The limit and where it comes from. */
  limit(duration: string, from: 'annotation' | 'schedule'): string;
  closedTitle(cronJob: string, ran: string | null): string;
  closingLine(p: {
    job: string;
    ran: string | null;
    outcome: 'succeeded' | 'failed' | 'gone' | 'deleted' | 'unknown';
    reason: string | null;
  }): string;
  recoveredTitle(cronJob: string): string;
  /** A Job held by `spec.suspend` under `Forbid`: it runs nothing and blocks every run. */
  suspendedTitle(cronJob: string): string;
  suspendedLine(p: {job: string; blocked: number; capped: boolean}): string;
  suspendedSummary(p: {
    cronJob: string;
    cluster: string;
    job: string;
    blocked: number;
    capped: boolean;
  }): string;
}

function blockedEn(p: {blocked: number; capped: boolean}): string {
  return p.capped ? 'more than 100 runs' : plural(p.blocked, 'run', 'runs');
}

function blockedJa(p: {blocked: number; capped: boolean}): string {
  return p.capped ? '100回を超える実行' : `${p.blocked}回の実行`;
}

const en: RunningTooLongWords = {
  labels: {
    startedAt: 'Started at',
    limit: 'Limit',
    blockedRuns: 'Runs it blocked',
  },
  openedTitle: cronJob => `Job running too long: ${cronJob}`,
  openedLine: p => `Job ${p.job} has been running for ${p.runningFor}`,
  openedSummary: p =>
    `CronJob ${p.cronJob} on ${p.cluster}: job ${p.job} has been running for ${p.runningFor}`,
  limit: (duration, from) =>
    `${duration} (${from === 'annotation' ? 'cronjob-watcher/max-duration' : 'one schedule period'})`,
  closedTitle: (cronJob, ran) => `Finished${ran === null ? '' : ` after ${ran}`}: ${cronJob}`,
  closingLine: p => {
    const after = p.ran === null ? '' : ` after running ${p.ran}`;
    switch (p.outcome) {
      case 'succeeded':
        return `Job ${p.job} succeeded${after}`;
      case 'failed':
        return `Job ${p.job} failed${after}: ${p.reason ?? 'unknown reason'}`;
      case 'gone':
        return `Job ${p.job} was deleted${after}`;
      case 'deleted':
        return `Closed: the CronJob was deleted`;
      case 'unknown':
        return `Job ${p.job} no longer runs`;
    }
  },
  recoveredTitle: cronJob => `Ran too long, then finished: ${cronJob}`,
  suspendedTitle: cronJob => `Suspended Job blocks its CronJob: ${cronJob}`,
  suspendedLine: p => `Job ${p.job} is suspended and has blocked ${blockedEn(p)}`,
  suspendedSummary: p =>
    `CronJob ${p.cronJob} on ${p.cluster}: job ${p.job} is suspended and has blocked ${blockedEn(p)}`,
};

const ja: RunningTooLongWords = {
  labels: {
    startedAt: '開始時刻',
    limit: '上限',
    blockedRuns: 'ブロックした実行',
  },
  openedTitle: cronJob => `Job の実行時間超過: ${cronJob}`,
  openedLine: p => `Job ${p.job} が${p.runningFor}実行中です`,
  openedSummary: p =>
    `${p.cluster} の CronJob ${p.cronJob}: Job ${p.job} が${p.runningFor}実行中です`,
  limit: (duration, from) =>
    `${duration}（${from === 'annotation' ? 'cronjob-watcher/max-duration' : 'スケジュール1周期'}）`,
  closedTitle: (cronJob, ran) => `${ran === null ? '' : `${ran}で`}終了: ${cronJob}`,
  closingLine: p => {
    const after = p.ran === null ? '' : `（実行時間 ${p.ran}）`;
    switch (p.outcome) {
      case 'succeeded':
        return `Job ${p.job} が成功しました${after}`;
      case 'failed':
        return `Job ${p.job} が失敗しました${after}: ${p.reason ?? '理由不明'}`;
      case 'gone':
        return `Job ${p.job} が削除されました${after}`;
      case 'deleted':
        return 'クローズ: CronJob が削除されました';
      case 'unknown':
        return `Job ${p.job} は実行中ではなくなりました`;
    }
  },
  recoveredTitle: cronJob => `実行時間超過の後に終了: ${cronJob}`,
  suspendedTitle: cronJob => `一時停止中の Job が CronJob を止めています: ${cronJob}`,
  suspendedLine: p => `Job ${p.job} は一時停止（suspend）中で、${blockedJa(p)}をブロックしています`,
  suspendedSummary: p =>
    `${p.cluster} の CronJob ${p.cronJob}: Job ${p.job} は一時停止（suspend）中で、${blockedJa(p)}をブロックしています`,
};

/** The words of its messages, by language. */
export const RUNNING_TOO_LONG_WORDS: Record<Language, RunningTooLongWords> = {en, ja};
