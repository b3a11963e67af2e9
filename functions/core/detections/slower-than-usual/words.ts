/**
 * The words of the messages about a run slower than usual, one section per language. A missing
 * entry in either does not compile.
 */
import type {Language} from '../../messages/languages.js';

/** The words of the messages about a run slower than usual. */
export interface SlowerThanUsualWords {
  labels: {startedAt: string; usual: string};
  openedTitle(cronJob: string): string;
  /** "running 47m, usually 12m". */
  openedLine(p: {job: string; runningFor: string; usual: string}): string;
  openedSummary(p: {cronJob: string; cluster: string; runningFor: string; usual: string}): string;
  closedTitle(cronJob: string, ran: string | null): string;
  closingLine(p: {
    job: string;
    ran: string | null;
    usual: string;
    outcome: 'succeeded' | 'failed' | 'gone' | 'deleted' | 'unknown';
    reason: string | null;
  }): string;
  recoveredTitle(cronJob: string): string;
}

const en: SlowerThanUsualWords = {
  labels: {startedAt: 'Started at', usual: 'Usually takes'},
  openedTitle: cronJob => `Running longer than usual: ${cronJob}`,
  openedLine: p => `Job ${p.job}: running ${p.runningFor}, usually ${p.usual}`,
  openedSummary: p =>
    `CronJob ${p.cronJob} on ${p.cluster}: running ${p.runningFor}, usually ${p.usual}`,
  closedTitle: (cronJob, ran) => `Finished${ran === null ? '' : ` after ${ran}`}: ${cronJob}`,
  closingLine: p => {
    const took = p.ran === null ? '' : ` in ${p.ran} (usually ${p.usual})`;
    switch (p.outcome) {
      case 'succeeded':
        return `Job ${p.job} succeeded${took}`;
      case 'failed':
        return `Job ${p.job} failed${took}: ${p.reason ?? 'unknown reason'}`;
      case 'gone':
        return `Job ${p.job} was deleted while it ran`;
      case 'deleted':
        return 'Closed: the CronJob was deleted';
      case 'unknown':
        return `Job ${p.job} no longer runs`;
    }
  },
  recoveredTitle: cronJob => `Slower than usual, then finished: ${cronJob}`,
};

const ja: SlowerThanUsualWords = {
  labels: {startedAt: '開始時刻', usual: '通常の所要時間'},
  openedTitle: cronJob => `いつもより長く実行中: ${cronJob}`,
  openedLine: p => `Job ${p.job}: ${p.runningFor}実行中（通常は${p.usual}）`,
  openedSummary: p =>
    `${p.cluster} の CronJob ${p.cronJob}: ${p.runningFor}実行中（通常は${p.usual}）`,
  closedTitle: (cronJob, ran) => `${ran === null ? '' : `${ran}で`}終了: ${cronJob}`,
  closingLine: p => {
    const took = p.ran === null ? '' : `（所要時間 ${p.ran}、通常は${p.usual}）`;
    switch (p.outcome) {
      case 'succeeded':
        return `Job ${p.job} が成功しました${took}`;
      case 'failed':
        return `Job ${p.job} が失敗しました${took}: ${p.reason ?? '理由不明'}`;
      case 'gone':
        return `Job ${p.job} は実行中に削除されました`;
      case 'deleted':
        return 'クローズ: CronJob が削除されました';
      case 'unknown':
        return `Job ${p.job} は実行中ではなくなりました`;
    }
  },
  recoveredTitle: cronJob => `いつもより長く実行した後に終了: ${cronJob}`,
};

/** The words of its messages, by language. */
export const SLOWER_THAN_USUAL_WORDS: Record<Language, SlowerThanUsualWords> = {en, ja};
