/**
 * The words of the messages about a Job running too long, one section per language. A missing
 * entry in either does not compile.
 */
import type {Language} from '../../messages/languages.js';
import type {Text} from '../../messages/model.js';
import {text, type WatchedRunOutcome} from '../../messages/pieces.js';
import {plural} from '../../messages/words-en.js';

/** The words of the messages about a Job running too long. */
export interface RunningTooLongWords {
  labels: {
    started: string;
    limit: string;
    blockedRuns: string;
  };
  /** The headline when its Pods say why: `ops/cache-warmup stuck 1h 20m: ImagePullBackOff`. */
  stuckLine(cronJob: string, runningFor: string, cause: string): string;
  /**
   * The headline of a Job held by `spec.suspend` under `Forbid`, which runs nothing and blocks
   * every run: `ops/backup blocked: Job backup-1100 is suspended and has blocked 3 runs`, or,
   * before its first blocked due time (a `max-duration` shorter than the schedule's period),
   * that no run can start until it is resumed or deleted.
   */
  suspendedLine(cronJob: string, p: {job: string; blocked: number; capped: boolean}): string;
  /** The headline otherwise: `ops/cache-warmup running 1h 20m, over its 1h limit`. */
  runningLine(cronJob: string, runningFor: string, limit: string): string;
  /** The runs blocked field: `3`, or `more than 100` when the count stopped at the cap. */
  blockedRunsValue(p: {blocked: number; capped: boolean}): string;
  /** The limit and where it comes from. */
  limit(duration: string, from: 'annotation' | 'schedule'): string;
  /** The closed headline's words: `ops/cache-warmup finished after 2h 10m`. */
  endedLine(cronJob: string, outcome: WatchedRunOutcome, ran: string | null): string;
  /** What became of the Job: `cache-warmup-29540220 succeeded after 2h 10m`. */
  outcomeLine(p: {
    job: Text;
    ran: string | null;
    outcome: WatchedRunOutcome;
    reason: string | null;
  }): Text;
  /** Since when it ran, and what its Pods said: `Stuck since today at 2:00 AM: ImagePullBackOff`. */
  sinceLine(startedAt: Text, stuck: string | null): Text;
  /** Between the since line and the outcome in the closed opening's one line. */
  storyJoin: string;
  /** Ran too long and finished before anything was sent (cluster arrives last). */
  recoveredLine(cronJob: string, since: Text, outcome: Text): Text;
  /** A reminder in the thread: `Still running: backup-28999 has run for 1d 2h`. */
  reminderLine(job: string, ranFor: string): string;
}

function blockedEn(p: {blocked: number; capped: boolean}): string {
  return p.capped ? 'more than 100 runs' : plural(p.blocked, 'run', 'runs');
}

function blockedJa(p: {blocked: number; capped: boolean}): string {
  return p.capped ? '100回を超える実行' : `${p.blocked}回の実行`;
}

function afterEn(ran: string | null): string {
  return ran === null ? '' : ` after ${ran}`;
}

const en: RunningTooLongWords = {
  reminderLine: (job, ranFor) => `Still running: ${job} has run for ${ranFor}`,
  labels: {
    started: 'Started',
    limit: 'Limit',
    blockedRuns: 'Runs blocked',
  },
  stuckLine: (cronJob, runningFor, cause) => `${cronJob} stuck ${runningFor}: ${cause}`,
  suspendedLine: (cronJob, p) =>
    p.blocked === 0
      ? `${cronJob} blocked: Job ${p.job} is suspended, so no run can start until it is resumed or deleted`
      : `${cronJob} blocked: Job ${p.job} is suspended and has blocked ${blockedEn(p)}`,
  runningLine: (cronJob, runningFor, limit) =>
    `${cronJob} running ${runningFor}, over its ${limit} limit`,
  blockedRunsValue: p => (p.capped ? 'more than 100' : String(p.blocked)),
  limit: (duration, from) =>
    `${duration} (${from === 'annotation' ? 'cronjob-watcher/max-duration' : 'one schedule period'})`,
  endedLine: (cronJob, outcome, ran) =>
    outcome === 'deleted'
      ? `${cronJob} closed: the CronJob was deleted`
      : `${cronJob} finished${afterEn(ran)}`,
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
  sinceLine: (startedAt, stuck) => [
    text(stuck === null ? 'Running since ' : 'Stuck since '),
    ...startedAt,
    text(stuck === null ? '' : `: ${stuck}`),
  ],
  storyJoin: '; ',
  recoveredLine: (cronJob, since, outcome) => [
    text(`${cronJob} ran too long (`),
    ...since,
    text('), then '),
    ...outcome,
  ],
};

function afterJa(ran: string | null): string {
  return ran === null ? '' : `${ran}後に`;
}

const ja: RunningTooLongWords = {
  reminderLine: (job, ranFor) => `まだ終わっていません: ${job} は${ranFor}実行中です`,
  labels: {
    started: '開始時刻',
    limit: '上限',
    blockedRuns: 'ブロックされた実行',
  },
  stuckLine: (cronJob, runningFor, cause) => `${cronJob} が${runningFor}停止しています: ${cause}`,
  suspendedLine: (cronJob, p) =>
    p.blocked === 0
      ? `${cronJob} が止まっています: Job ${p.job} は一時停止（suspend）中で、再開か削除されるまで次の実行は始まりません`
      : `${cronJob} が止まっています: Job ${p.job} は一時停止（suspend）中で、${blockedJa(p)}をブロックしています`,
  runningLine: (cronJob, runningFor, limit) =>
    `${cronJob} が${runningFor}実行中です（上限 ${limit}）`,
  blockedRunsValue: p => (p.capped ? '100回超' : `${p.blocked}回`),
  limit: (duration, from) =>
    `${duration}（${from === 'annotation' ? 'cronjob-watcher/max-duration' : 'スケジュール1周期'}）`,
  endedLine: (cronJob, outcome, ran) =>
    outcome === 'deleted'
      ? `${cronJob} をクローズしました（CronJob が削除されました）`
      : `${cronJob} の長時間実行が${ran === null ? '' : `${ran}で`}終わりました`,
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
        return [text('Job '), ...p.job, text(` が${afterJa(p.ran)}削除されました`)];
      case 'deleted':
        return [text('CronJob が削除されました')];
      case 'unknown':
        return [text('Job '), ...p.job, text(' は実行中ではなくなりました')];
    }
  },
  sinceLine: (startedAt, stuck) => [
    ...startedAt,
    text(stuck === null ? ' から実行中でした' : ` から停止していました（${stuck}）`),
  ],
  storyJoin: '。',
  recoveredLine: (cronJob, since, outcome) => [
    text(`${cronJob} の実行が上限を超えました（`),
    ...since,
    text('）。'),
    ...outcome,
  ],
};

/** The words of its messages, by language. */
export const RUNNING_TOO_LONG_WORDS: Record<Language, RunningTooLongWords> = {en, ja};
