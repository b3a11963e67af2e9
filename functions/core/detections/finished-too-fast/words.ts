/**
 * The words of the messages about a run that finished too fast, one section per language. A
 * missing entry in either does not compile.
 */
import type {Language} from '../../messages/languages.js';
import type {Text} from '../../messages/model.js';
import {text} from '../../messages/pieces.js';
import {plural} from '../../messages/words-en.js';

/** What closed the warning. */
export type FastRunEnd = 'usual' | 'deleted' | 'unknown';

/** How long the fast run took, the usual time (null under the annotation's floor), the floor. */
export interface Took {
  took: string;
  usual: string | null;
  floor: string;
}

/** The words of the messages about a run that finished too fast. */
export interface FinishedTooFastWords {
  labels: {finished: string; floor: string; fastRuns: string};
  /** The headline: `etl/load finished in 8s, usually 4m 12s`. */
  fastLine(cronJob: string, took: Took): string;
  /** The lead under it. */
  question: string;
  /** The floor and where it comes from. */
  floor(duration: string, from: 'learned' | 'annotation'): string;
  /** The closed headline's words: `etl/load runs its usual length again`. */
  closedLine(cronJob: string, end: FastRunEnd): string;
  /** What the fast run was: `load-29540220 finished in 8s, usually 4m 12s`. */
  storyLine(job: Text, took: Took, fastRuns: number): Text;
  /** Between the story and what closed it. */
  storyJoin: string;
  /** What closed it: `load-29540400 took 4m 5s`. */
  endLine(p: {job: Text | null; took: string | null; end: FastRunEnd}): Text;
  /** Too fast, then a usual run before anything was sent (cluster arrives last). */
  recoveredLine(cronJob: string, took: Took, end: Text): Text;
  /** A reminder in the thread: `Still finishing too fast after 1d: 3 runs in a row`. */
  reminderLine(age: string, fastRuns: number): string;
}

function tookEn(p: Took): string {
  return `${p.took}, ${p.usual === null ? `under ${p.floor}` : `usually ${p.usual}`}`;
}

const en: FinishedTooFastWords = {
  reminderLine: (age, fastRuns) =>
    `Still finishing too fast after ${age}: ${plural(fastRuns, 'run', 'runs')} in a row so far`,
  labels: {
    finished: 'Finished',
    floor: 'Too fast under',
    fastRuns: 'Runs too fast',
  },
  fastLine: (cronJob, took) => `${cronJob} finished in ${tookEn(took)}`,
  question: 'Did it do its work?',
  floor: (duration, from) =>
    `${duration} (${from === 'annotation' ? 'cronjob-watcher/min-duration' : '0.3 × the usual time'})`,
  closedLine: (cronJob, end) =>
    end === 'deleted'
      ? `${cronJob} closed: the CronJob was deleted`
      : `${cronJob} runs its usual length again`,
  storyLine: (job, took, fastRuns) => [
    ...job,
    text(
      ` finished in ${tookEn(took)}${fastRuns > 1 ? ` (${plural(fastRuns, 'run', 'runs')} too fast)` : ''}`,
    ),
  ],
  storyJoin: '; ',
  endLine: p => {
    switch (p.end) {
      case 'usual':
        return p.job === null
          ? [text('a run of usual length followed')]
          : [...p.job, text(p.took === null ? ' took its usual time' : ` took ${p.took}`)];
      case 'deleted':
        return [text('the CronJob was deleted')];
      case 'unknown':
        return [text('closed')];
    }
  },
  recoveredLine: (cronJob, took, end) => [
    text(`${cronJob} finished too fast (${tookEn(took)}), then `),
    ...end,
  ],
};

function usualJa(p: Took): string {
  return p.usual === null ? `基準 ${p.floor} 未満` : `通常は${p.usual}`;
}

const ja: FinishedTooFastWords = {
  reminderLine: (age, fastRuns) =>
    `発生から${age}経ちましたが、まだ短時間で終了しています: これまでに${fastRuns}回連続`,
  labels: {
    finished: '終了時刻',
    floor: '短すぎる基準',
    fastRuns: '短すぎた実行',
  },
  fastLine: (cronJob, took) => `${cronJob} が${took.took}で終了しました（${usualJa(took)}）`,
  question: '処理は正しく行われましたか？',
  floor: (duration, from) =>
    `${duration}（${from === 'annotation' ? 'cronjob-watcher/min-duration' : '通常の所要時間 × 0.3'}）`,
  closedLine: (cronJob, end) =>
    end === 'deleted'
      ? `${cronJob} をクローズしました（CronJob が削除されました）`
      : `${cronJob} の所要時間が通常に戻りました`,
  storyLine: (job, took, fastRuns) => [
    text('Job '),
    ...job,
    text(
      ` が${took.took}で終了しました（${usualJa(took)}${fastRuns > 1 ? `、短すぎた実行 ${fastRuns}回` : ''}）`,
    ),
  ],
  storyJoin: '。',
  endLine: p => {
    switch (p.end) {
      case 'usual':
        return p.job === null
          ? [text('通常の長さの実行がありました')]
          : [
              text('Job '),
              ...p.job,
              text(p.took === null ? ' は通常どおりの時間でした' : ` の所要時間は${p.took}でした`),
            ];
      case 'deleted':
        return [text('CronJob が削除されました')];
      case 'unknown':
        return [text('クローズしました')];
    }
  },
  recoveredLine: (cronJob, took, end) => [
    text(`${cronJob} が${took.took}で終了しました（${usualJa(took)}）。その後、`),
    ...end,
  ],
};

/** The words of its messages, by language. */
export const FINISHED_TOO_FAST_WORDS: Record<Language, FinishedTooFastWords> = {en, ja};
