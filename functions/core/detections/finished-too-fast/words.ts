/**
 * The words of the messages about a run that finished too fast, one section per language. A
 * missing entry in either does not compile.
 */
import type {Language} from '../../messages/languages.js';

/** The words of the messages about a run that finished too fast. */
export interface FinishedTooFastWords {
  labels: {took: string; usual: string; floor: string; fastRuns: string};
  openedTitle(cronJob: string): string;
  /** "finished in 8s, usually 4m 12s — did it do its work?" */
  openedLine(p: {job: string; took: string; usual: string | null; floor: string}): string;
  openedSummary(p: {
    cronJob: string;
    cluster: string;
    took: string;
    usual: string | null;
    floor: string;
  }): string;
  /** The floor and where it comes from. */
  floor(duration: string, from: 'learned' | 'annotation'): string;
  closedTitle(cronJob: string): string;
  closingLine(p: {
    job: string | null;
    took: string | null;
    outcome: 'usual' | 'deleted' | 'unknown';
  }): string;
  recoveredTitle(cronJob: string): string;
}

const en: FinishedTooFastWords = {
  labels: {
    took: 'Took',
    usual: 'Usually takes',
    floor: 'Too fast under',
    fastRuns: 'Runs too fast',
  },
  openedTitle: cronJob => `Finished too fast: ${cronJob}`,
  openedLine: p =>
    `Job ${p.job} finished in ${p.took}, ${p.usual === null ? `under ${p.floor}` : `usually ${p.usual}`} — did it do its work?`,
  openedSummary: p =>
    `CronJob ${p.cronJob} on ${p.cluster}: finished in ${p.took}, ${p.usual === null ? `under ${p.floor}` : `usually ${p.usual}`}`,
  floor: (duration, from) =>
    `${duration} (${from === 'annotation' ? 'cronjob-watcher/min-duration' : '0.3 × the usual time'})`,
  closedTitle: cronJob => `Usual length again: ${cronJob}`,
  closingLine: p => {
    switch (p.outcome) {
      case 'usual':
        return `Job ${p.job ?? '?'} took ${p.took ?? 'a usual time'}: a usual length again`;
      case 'deleted':
        return 'Closed: the CronJob was deleted';
      case 'unknown':
        return 'Closed';
    }
  },
  recoveredTitle: cronJob => `Finished too fast, then a usual run: ${cronJob}`,
};

const ja: FinishedTooFastWords = {
  labels: {
    took: '所要時間',
    usual: '通常の所要時間',
    floor: '短すぎる基準',
    fastRuns: '短すぎた実行',
  },
  openedTitle: cronJob => `実行時間が短すぎます: ${cronJob}`,
  openedLine: p =>
    `Job ${p.job} が${p.took}で終了しました（${p.usual === null ? `基準 ${p.floor} 未満` : `通常は${p.usual}`}）。処理は行われましたか？`,
  openedSummary: p =>
    `${p.cluster} の CronJob ${p.cronJob}: ${p.took}で終了（${p.usual === null ? `基準 ${p.floor} 未満` : `通常は${p.usual}`}）`,
  floor: (duration, from) =>
    `${duration}（${from === 'annotation' ? 'cronjob-watcher/min-duration' : '通常の所要時間 × 0.3'}）`,
  closedTitle: cronJob => `通常の所要時間に戻りました: ${cronJob}`,
  closingLine: p => {
    switch (p.outcome) {
      case 'usual':
        return `Job ${p.job ?? '?'} の所要時間は${p.took ?? '通常どおり'}でした: 通常の長さに戻りました`;
      case 'deleted':
        return 'クローズ: CronJob が削除されました';
      case 'unknown':
        return 'クローズ';
    }
  },
  recoveredTitle: cronJob => `短すぎる実行の後、通常の実行: ${cronJob}`,
};

/** The words of its messages, by language. */
export const FINISHED_TOO_FAST_WORDS: Record<Language, FinishedTooFastWords> = {en, ja};
