/**
 * The words of the messages about a failing CronJob, one section per language. A missing
 * entry in either does not compile (`Record<Language, FailingWords>`, each `FailingWords`).
 */
import type {LogUnavailable, RunRef} from '../../incident-base.js';
import type {Language} from '../../messages/languages.js';
import type {Text} from '../../messages/model.js';
import {text} from '../../messages/pieces.js';
import {plural} from '../../messages/words-en.js';
import type {FailingEnd} from './incident.js';

/** The words of the messages about a failing CronJob. */
export interface FailingWords {
  labels: {
    failedRun: string;
    failedAt: string;
    failedRuns: string;
    latestFailure: string;
    recoveredBy: string;
    recoveredAt: string;
    failingFor: string;
    reason: string;
    latestReason: string;
  };
  /** `job backup-28578000` or `manual run backup-manual-x7k2p`. */
  run(job: string, manual: boolean): string;
  /** `<run> at <time>`. */
  latestFailureValue(run: Text, at: Text): Text;
  /** `3 failed runs`. */
  failedRuns(count: number): string;
  openedTitle(cronJob: string): string;
  openedSummary(p: {cronJob: string; cluster: string; reason: string; run: string}): string;
  /** `Resolved after 2h 5m` (or `Closed …` when nothing fixed it); no duration when unknown. */
  endedPhrase(end: FailingEnd, duration: string | null): string;
  /** `Resolved after 2h 5m`, however it ended. */
  resolvedPhrase(duration: string | null): string;
  /** `<phrase>: <cronJob>`. */
  resolvedTitle(phrase: string, cronJob: string): string;
  resolvedSummary(p: {
    phrase: string;
    cronJob: string;
    cluster: string;
    failedRuns: string;
    end: FailingEnd;
  }): string;
  /** The thread reply: `Resolved after 2h 5m, 3 failed runs, fixed by job X`. */
  closingLine(p: {phrase: string; failedRuns: string; end: FailingEnd}): string;
  recoveredTitle(cronJob: string): string;
  recoveredSummary(p: {
    cronJob: string;
    cluster: string;
    failedAt: string;
    reason: string;
    recoveredAt: string;
    end: FailingEnd;
    duration: string | null;
  }): string;
  /** The `Recovered by` value; `fixedBy` is the fixing run's value when a run fixed it. */
  recoveredBy(end: FailingEnd, fixedBy: Text): Text;
  /** After a run's name when its Job was deleted before it could be read. */
  goneMark: string;
  /** Why a failure has no detail: its Job was deleted, and the likely cause. */
  goneNote(cause: 'failed-jobs-history-limit' | 'ttl-after-finished' | 'unknown'): string;
  /** A note when a failure's time is approximate (the Job had no usable time for it). */
  approximateTime: string;
  /** `Recovered at <time>`. */
  recoveredAt(at: Text): Text;
  /** The log excerpt of a failed run (`cronjob-watcher/log-lines`). */
  log: {
    /** What the excerpt is: the container and its Pod. */
    title(container: string, pod: string): string;
    /** Said when older lines were left out to fit. */
    cut: string;
    /** Why there is no excerpt; `detail` is the error as the cluster said it, or null. */
    unavailable(reason: LogUnavailable['reason'], detail: string | null): string;
  };
}

// English.

function runEn(job: string, manual: boolean): string {
  return `${manual ? 'manual run' : 'job'} ${job}`;
}

const GONE_MARK_EN = ' (Job already deleted)';

/** The run that fixed it, marked when its Job was deleted before a pass could read it. */
function fixerEn(end: {run: RunRef}): string {
  return runEn(end.run.job, end.run.manual) + (end.run.gone === undefined ? '' : GONE_MARK_EN);
}

/** How it ended, after "…, ": null when unknown. */
function endedByEn(end: FailingEnd): string | null {
  switch (end.type) {
    case 'fixed':
      return `fixed by ${fixerEn(end)}`;
    case 'fixed-job-gone':
      return 'fixed by a later run (its Job was already deleted)';
    case 'deleted':
      return 'the CronJob was deleted';
    case 'unknown':
      return null;
  }
}

/** How it ended, after "recovered at <time>". */
function recoveredHowEn(end: FailingEnd): string {
  switch (end.type) {
    case 'fixed':
      return ` by ${fixerEn(end)}`;
    case 'fixed-job-gone':
      return ' (by a run whose Job was already deleted)';
    case 'deleted':
      return ' (the CronJob was deleted)';
    case 'unknown':
      return '';
  }
}

function resolvedPhraseEn(duration: string | null): string {
  return duration === null ? 'Resolved' : `Resolved after ${duration}`;
}

const en: FailingWords = {
  labels: {
    failedRun: 'Failed run',
    failedAt: 'Failed at',
    failedRuns: 'Failed runs',
    latestFailure: 'Latest failure',
    recoveredBy: 'Recovered by',
    recoveredAt: 'Recovered at',
    failingFor: 'Failing for',
    reason: 'Reason',
    latestReason: 'Latest reason',
  },
  run: runEn,
  latestFailureValue: (runValue, at) => [...runValue, text(' at '), ...at],
  failedRuns: count => plural(count, 'failed run', 'failed runs'),
  approximateTime:
    'Failure time approximate: the Job carries no usable time for its failure, so its next usable timestamp (completion, start, schedule or creation) stands in.',
  openedTitle: cronJob => `CronJob failing: ${cronJob}`,
  openedSummary: p => `CronJob ${p.cronJob} failed on ${p.cluster}: ${p.reason} (${p.run})`,
  endedPhrase: (end, duration) => {
    const verb = end.type === 'deleted' ? 'Closed' : 'Resolved';
    return duration === null ? verb : `${verb} after ${duration}`;
  },
  resolvedPhrase: resolvedPhraseEn,
  resolvedTitle: (phrase, cronJob) => `${phrase}: ${cronJob}`,
  resolvedSummary: p => {
    const ended = endedByEn(p.end);
    return (
      `${p.phrase}: CronJob ${p.cronJob} on ${p.cluster} ` +
      `(${p.failedRuns}${ended === null ? '' : `, ${ended}`})`
    );
  },
  closingLine: p => {
    const ended = endedByEn(p.end);
    return [p.phrase, p.failedRuns, ...(ended === null ? [] : [ended])].join(', ');
  },
  recoveredTitle: cronJob => `Failed and recovered: ${cronJob}`,
  recoveredSummary: p => {
    const how = recoveredHowEn(p.end);
    return (
      `CronJob ${p.cronJob} on ${p.cluster} failed at ${p.failedAt} (${p.reason}) and ` +
      `recovered at ${p.recoveredAt}${how}${p.duration === null ? '' : `, after ${p.duration}`}`
    );
  },
  recoveredBy: (end, fixedBy) => {
    switch (end.type) {
      case 'fixed':
        return fixedBy;
      case 'fixed-job-gone':
        return [text('a later run (its Job was already deleted)')];
      case 'deleted':
        return [text('nothing: the CronJob was deleted')];
      case 'unknown':
        return [text('unknown run')];
    }
  },
  goneMark: GONE_MARK_EN,
  goneNote: cause =>
    'deleted before the watcher could read it' +
    (cause === 'failed-jobs-history-limit'
      ? ' (failedJobsHistoryLimit: 0 keeps no failed Job)'
      : cause === 'ttl-after-finished'
        ? " (ttlSecondsAfterFinished is shorter than the watcher's interval)"
        : ''),
  recoveredAt: at => [text('Recovered at '), ...at],
  log: {
    title: (container, pod) => `Last lines of the log of container ${container} (pod ${pod})`,
    cut: 'Older lines were left out to fit the message.',
    unavailable: (reason, detail) => {
      const why = {
        forbidden: 'the watcher may not read pod logs (pods/log, see infra/k8s/rbac-logs.yaml)',
        gone: 'the Pod is already deleted',
        timeout: 'the API server did not answer in time',
        'no-pod': 'no Pod of the Job shows a failed container',
        empty: 'the container logged nothing',
        error: 'reading it failed',
      }[reason];
      return `No log excerpt: ${why}${detail === null ? '' : ` (${detail})`}.`;
    },
  },
};

// Japanese.

function runJa(job: string, manual: boolean): string {
  return manual ? `手動実行 ${job}` : `Job ${job}`;
}

const GONE_MARK_JA = '（Job は削除済み）';

/** The run that fixed it, marked when its Job was deleted before a pass could read it. */
function fixerJa(end: {run: RunRef}): string {
  return runJa(end.run.job, end.run.manual) + (end.run.gone === undefined ? '' : GONE_MARK_JA);
}

/** How it ended, after "、": null when unknown. */
function endedByJa(end: FailingEnd): string | null {
  switch (end.type) {
    case 'fixed':
      return `${fixerJa(end)} で復旧`;
    case 'fixed-job-gone':
      return '後続の実行で復旧（その Job は削除済み）';
    case 'deleted':
      return 'CronJob が削除されたためクローズ';
    case 'unknown':
      return null;
  }
}

function resolvedPhraseJa(duration: string | null): string {
  return duration === null ? '復旧' : `${duration}で復旧`;
}

const LOG_UNAVAILABLE_JA: Record<LogUnavailable['reason'], string> = {
  forbidden: 'Pod のログを読む権限がありません（pods/log。infra/k8s/rbac-logs.yaml を参照）',
  gone: 'Pod が既に削除されています',
  timeout: 'API サーバーが時間内に応答しませんでした',
  'no-pod': '失敗したコンテナを持つ Pod が見つかりません',
  empty: 'コンテナのログが空です',
  error: 'ログを読み取れませんでした',
};

const ja: FailingWords = {
  labels: {
    failedRun: '失敗した実行',
    failedAt: '失敗時刻',
    failedRuns: '失敗回数',
    latestFailure: '直近の失敗',
    recoveredBy: '復旧させた実行',
    recoveredAt: '復旧時刻',
    failingFor: '失敗していた期間',
    reason: '理由',
    latestReason: '直近の理由',
  },
  run: runJa,
  latestFailureValue: (runValue, at) => [...runValue, text('（'), ...at, text('）')],
  failedRuns: count => `失敗${count}回`,
  openedTitle: cronJob => `CronJob 失敗: ${cronJob}`,
  openedSummary: p =>
    `${p.cluster} の CronJob ${p.cronJob} が失敗しました: ${p.reason}（${p.run}）`,
  endedPhrase: (end, duration) => {
    const verb = end.type === 'deleted' ? 'クローズ' : '復旧';
    return duration === null ? verb : `${duration}で${verb}`;
  },
  resolvedPhrase: resolvedPhraseJa,
  resolvedTitle: (phrase, cronJob) => `${phrase}: ${cronJob}`,
  resolvedSummary: p => {
    const ended = endedByJa(p.end);
    return (
      `${p.phrase}: ${p.cluster} の CronJob ${p.cronJob}` +
      `（${p.failedRuns}${ended === null ? '' : `、${ended}`}）`
    );
  },
  closingLine: p => {
    const ended = endedByJa(p.end);
    return [p.phrase, p.failedRuns, ...(ended === null ? [] : [ended])].join('、');
  },
  recoveredTitle: cronJob => `失敗後に復旧: ${cronJob}`,
  recoveredSummary: p => {
    const after = p.duration === null ? '' : `（${p.duration}後）`;
    const failed = `${p.cluster} の CronJob ${p.cronJob} が ${p.failedAt} に失敗し（${p.reason}）、`;
    switch (p.end.type) {
      case 'fixed':
        return `${failed}${p.recoveredAt} に ${fixerJa(p.end)} で復旧しました${after}`;
      case 'fixed-job-gone':
        return `${failed}${p.recoveredAt} に後続の実行で復旧しました（その Job は削除済み）${after}`;
      case 'deleted':
        return `${failed}${p.recoveredAt} に CronJob が削除されたためクローズしました${after}`;
      case 'unknown':
        return `${failed}${p.recoveredAt} に復旧しました${after}`;
    }
  },
  recoveredBy: (end, fixedBy) => {
    switch (end.type) {
      case 'fixed':
        return fixedBy;
      case 'fixed-job-gone':
        return [text('後続の実行（その Job は削除済み）')];
      case 'deleted':
        return [text('なし（CronJob が削除されました）')];
      case 'unknown':
        return [text('不明')];
    }
  },
  goneMark: GONE_MARK_JA,
  goneNote: cause =>
    'watcher が読み取る前に削除されました' +
    (cause === 'failed-jobs-history-limit'
      ? '（failedJobsHistoryLimit: 0 のため失敗した Job が残りません）'
      : cause === 'ttl-after-finished'
        ? '（ttlSecondsAfterFinished が watcher の実行間隔より短いため）'
        : ''),
  approximateTime:
    '失敗時刻は概算です: Job に失敗時刻として使える値がないため、次に使える時刻（完了・開始・スケジュール・作成のいずれか）で代用しています。',
  recoveredAt: at => [text('復旧時刻: '), ...at],
  log: {
    title: (container, pod) => `コンテナ ${container} のログ末尾（Pod ${pod}）`,
    cut: 'メッセージに収まるよう、古い行は省略しています。',
    unavailable: (reason, detail) =>
      `ログ抜粋なし: ${LOG_UNAVAILABLE_JA[reason]}${detail === null ? '' : `（${detail}）`}`,
  },
};

/** The words of the failing messages, by language. */
export const FAILING_WORDS: Record<Language, FailingWords> = {en, ja};
