/**
 * The words of the messages about a run slower than usual, one section per language. A missing
 * entry in either does not compile.
 */
import type {Language} from '../../messages/languages.js';
import type {Text} from '../../messages/model.js';
import {text, type WatchedRunOutcome} from '../../messages/pieces.js';

/** The words of the messages about a run slower than usual. */
export interface SlowerThanUsualWords {
  labels: {
    started: string;
    usual: string;
    slowAfter: string;
  };
  /** The headline: `etl/load running 47m, usually 12m`. */
  runningLine(cronJob: string, runningFor: string, usual: string): string;
  /** The closed headline's words: `etl/load finished after 52m (usually 12m)`. */
  endedLine(cronJob: string, outcome: WatchedRunOutcome, ran: string | null, usual: string): string;
  /** What became of the run: `load-29540220 succeeded after 52m`. */
  outcomeLine(p: {
    job: Text;
    ran: string | null;
    usual: string;
    outcome: WatchedRunOutcome;
    reason: string | null;
  }): Text;
  /** Since when it ran: `Running since today at 2:00 AM, usually 12m`. */
  sinceLine(startedAt: Text, usual: string): Text;
  /** Between the since line and the outcome in the closed opening's one line. */
  storyJoin: string;
  /** Ran slow and finished before anything was sent (cluster arrives last). */
  recoveredLine(cronJob: string, since: Text, outcome: Text): Text;
  /** A reminder in the thread: `Still running: backup-2954 has run for 5h (usually 20m)`. */
  reminderLine(job: string, ranFor: string, usual: string): string;
}

function afterEn(ran: string | null): string {
  return ran === null ? '' : ` after ${ran}`;
}

const en: SlowerThanUsualWords = {
  reminderLine: (job, ranFor, usual) =>
    `Still running: ${job} has run for ${ranFor} (usually ${usual})`,
  labels: {
    started: 'Started',
    usual: 'Usually takes',
    slowAfter: 'Slow after',
  },
  runningLine: (cronJob, runningFor, usual) => `${cronJob} running ${runningFor}, usually ${usual}`,
  endedLine: (cronJob, outcome, ran, usual) =>
    outcome === 'deleted'
      ? `${cronJob} closed: the CronJob was deleted`
      : `${cronJob} finished${afterEn(ran)} (usually ${usual})`,
  outcomeLine: p => {
    switch (p.outcome) {
      case 'succeeded':
        return [...p.job, text(` succeeded${afterEn(p.ran)}`)];
      case 'failed':
        return [...p.job, text(` failed${afterEn(p.ran)}: ${p.reason ?? 'unknown reason'}`)];
      case 'gone':
        return [...p.job, text(` was deleted${afterEn(p.ran)}`)];
      case 'deleted':
        return [text('the CronJob was deleted')];
      case 'unknown':
        return [...p.job, text(' no longer runs')];
    }
  },
  sinceLine: (startedAt, usual) => [
    text('Running since '),
    ...startedAt,
    text(`, usually ${usual}`),
  ],
  storyJoin: '; ',
  recoveredLine: (cronJob, since, outcome) => [
    text(`${cronJob} ran slower than usual (`),
    ...since,
    text('), then '),
    ...outcome,
  ],
};

function afterJa(ran: string | null): string {
  return ran === null ? '' : `${ran}で`;
}

const ja: SlowerThanUsualWords = {
  reminderLine: (job, ranFor, usual) =>
    `まだ終わっていません: ${job} は${ranFor}実行中です（通常は${usual}）`,
  labels: {
    started: '開始時刻',
    usual: '通常の所要時間',
    slowAfter: '遅延とみなす時間',
  },
  runningLine: (cronJob, runningFor, usual) =>
    `${cronJob} が${runningFor}実行中です（通常は${usual}）`,
  endedLine: (cronJob, outcome, ran, usual) =>
    outcome === 'deleted'
      ? `${cronJob} をクローズしました（CronJob が削除されました）`
      : `${cronJob} の実行が${afterJa(ran)}終わりました（通常は${usual}）`,
  outcomeLine: p => {
    switch (p.outcome) {
      case 'succeeded':
        return [text('Job '), ...p.job, text(` が${afterJa(p.ran)}成功しました`)];
      case 'failed':
        return [
          text('Job '),
          ...p.job,
          text(` が${afterJa(p.ran)}失敗しました: ${p.reason ?? '理由不明'}`),
        ];
      case 'gone':
        return [text('Job '), ...p.job, text(' が実行中に削除されました')];
      case 'deleted':
        return [text('CronJob が削除されました')];
      case 'unknown':
        return [text('Job '), ...p.job, text(' は実行中ではなくなりました')];
    }
  },
  sinceLine: (startedAt, usual) => [...startedAt, text(` から実行中でした（通常は${usual}）`)],
  storyJoin: '。',
  recoveredLine: (cronJob, since, outcome) => [
    text(`${cronJob} の実行がいつもより長くかかりました（`),
    ...since,
    text('）。'),
    ...outcome,
  ],
};

/** The words of its messages, by language. */
export const SLOWER_THAN_USUAL_WORDS: Record<Language, SlowerThanUsualWords> = {en, ja};
