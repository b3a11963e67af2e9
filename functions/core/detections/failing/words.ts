/**
 * The words of the messages about a failing CronJob, one section per language. A missing
 * entry in either does not compile (`Record<Language, FailingWords>`, each `FailingWords`).
 */
import type {LogUnavailable} from '../../incident-base.js';
import type {Language} from '../../messages/languages.js';
import type {Text} from '../../messages/model.js';
import {text} from '../../messages/pieces.js';
import {plural} from '../../messages/words-en.js';
import type {FailingEnd} from './incident.js';

/** The words of the messages about a failing CronJob. */
export interface FailingWords {
  labels: {
    failed: string;
    failedRuns: string;
    reason: string;
    latestReason: string;
  };
  /** The headline's words: `backups/db-backup failed: OOMKilled (exit 137)`. */
  failedLine(cronJob: string, cause: string): string;
  /** `3 (first today at 1:06 AM)`: the failed runs field, with when the streak began. */
  failedRunsValue(count: number, firstAt: Text): Text;
  /** The closed headline's words: `backups/db-backup recovered after 2h 5m`. */
  endedLine(cronJob: string, end: FailingEnd, duration: string | null): string;
  /**
   * The closed opening's one line, its whole story: `Failed today at 1:06 AM: OOMKilled
   * (exit 137), 2 failed runs; db-backup-29540340 succeeded today at 3:07 AM.`
   */
  storyLine(p: {
    failedAt: Text;
    cause: string;
    failedRuns: number;
    end: FailingEnd;
    fixedBy: Text;
    endedAt: Text;
  }): Text;
  /** The thread reply: `Recovered after 2h 5m: db-backup-29540340 succeeded (2 failed runs)`. */
  closingLine(p: {
    duration: string | null;
    failedRuns: number;
    end: FailingEnd;
    fixedBy: Text;
  }): Text;
  /** Failed and recovered before anything was sent, in one line (cluster arrives last). */
  recoveredLine(p: {
    cronJob: string;
    failedAt: Text;
    cause: string;
    duration: string | null;
    end: FailingEnd;
    fixedBy: Text;
  }): Text;
  /** A Job that ran too long, then failed: `Stuck since today at 2:00 AM: ImagePullBackOff; killed after 2h 10m`. */
  ranTooLongLine(p: {startedAt: Text; stuck: string | null; ranFor: string | null}): Text;
  /** The reply in that Job's thread: `killed after 2h 10m: DeadlineExceeded`. */
  handedOverLine(ranFor: string | null, cause: string): string;
  /** After a run's name when its Job was deleted before it could be read. */
  goneMark: string;
  /** A reminder in the thread: `Still failing after 1d: 5 failed runs so far; latest: OOMKilled`. */
  reminderLine(p: {age: string; failedRuns: number; cause: string}): string;
  /** Why a failure has no detail: its Job was deleted, and the likely cause. */
  goneNote(cause: 'failed-jobs-history-limit' | 'ttl-after-finished' | 'unknown'): string;
  /** A note when a failure's time is approximate (the Job had no usable time for it). */
  approximateTime: string;
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

/** What ended it, as a clause: `db-backup-29540340 succeeded`; null when unknown. */
function endClauseEn(end: FailingEnd, fixedBy: Text): Text | null {
  switch (end.type) {
    case 'fixed':
      return [...fixedBy, text(' succeeded')];
    case 'fixed-job-gone':
      return [text('a later run succeeded (its Job is already deleted)')];
    case 'deleted':
      return [text('the CronJob was deleted')];
    case 'unknown':
      return null;
  }
}

function afterEn(duration: string | null): string {
  return duration === null ? '' : ` after ${duration}`;
}

const en: FailingWords = {
  reminderLine: p =>
    `Still failing after ${p.age}: ${plural(p.failedRuns, 'failed run', 'failed runs')} so far; latest: ${p.cause}`,
  labels: {
    failed: 'Failed',
    failedRuns: 'Failed runs',
    reason: 'Reason',
    latestReason: 'Latest reason',
  },
  failedLine: (cronJob, cause) => `${cronJob} failed: ${cause}`,
  failedRunsValue: (count, firstAt) => [text(`${count} (first `), ...firstAt, text(')')],
  endedLine: (cronJob, end, duration) =>
    end.type === 'deleted'
      ? `${cronJob} closed${afterEn(duration)}: the CronJob was deleted`
      : `${cronJob} recovered${afterEn(duration)}`,
  storyLine: p => {
    const ended = endClauseEn(p.end, p.fixedBy);
    return [
      text('Failed '),
      ...p.failedAt,
      text(`: ${p.cause}`),
      text(p.failedRuns > 1 ? `, ${plural(p.failedRuns, 'failed run', 'failed runs')}` : ''),
      ...(ended === null
        ? [text('.')]
        : [text('; '), ...ended, text(' '), ...p.endedAt, text('.')]),
    ];
  },
  closingLine: p => {
    const ended = endClauseEn(p.end, p.fixedBy);
    const runs = p.failedRuns > 1 ? ` (${plural(p.failedRuns, 'failed run', 'failed runs')})` : '';
    const verb = p.end.type === 'deleted' ? 'Closed' : 'Recovered';
    return [
      text(`${verb}${afterEn(p.duration)}`),
      ...(ended === null ? [] : [text(': '), ...ended]),
      text(runs),
    ];
  },
  recoveredLine: p => {
    const ended = endClauseEn(p.end, p.fixedBy);
    return [
      text(`${p.cronJob} failed `),
      ...p.failedAt,
      text(` (${p.cause}) and recovered${afterEn(p.duration)}`),
      ...(ended === null ? [] : [text(': '), ...ended]),
    ];
  },
  ranTooLongLine: p => [
    text(p.stuck === null ? 'Running since ' : 'Stuck since '),
    ...p.startedAt,
    text(p.stuck === null ? '' : `: ${p.stuck}`),
    text(`; killed${afterEn(p.ranFor)}`),
  ],
  handedOverLine: (ranFor, cause) => `killed${afterEn(ranFor)}: ${cause}`,
  approximateTime:
    'Failure time approximate: the Job carries no usable time for its failure, so its next usable timestamp (completion, start, schedule or creation) stands in.',
  goneMark: ' (Job already deleted)',
  goneNote: cause =>
    'deleted before the watcher could read it' +
    (cause === 'failed-jobs-history-limit'
      ? ' (failedJobsHistoryLimit: 0 keeps no failed Job)'
      : cause === 'ttl-after-finished'
        ? " (ttlSecondsAfterFinished is shorter than the watcher's interval)"
        : ''),
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

/** What ended it: `Job X の成功で復旧`; null when unknown. */
function endClauseJa(end: FailingEnd, fixedBy: Text): Text | null {
  switch (end.type) {
    case 'fixed': {
      // `（手動実行）` closes the name already; a space would stand alone before `の`.
      const last = fixedBy.at(-1);
      const closed = last?.type === 'text' && last.text.endsWith('）');
      return [text('Job '), ...fixedBy, text(`${closed ? '' : ' '}の成功で復旧`)];
    }
    case 'fixed-job-gone':
      return [text('後続の実行（Job は削除済み）の成功で復旧')];
    case 'deleted':
      return [text('CronJob が削除されたためクローズ')];
    case 'unknown':
      return null;
  }
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
  reminderLine: p =>
    `発生から${p.age}経ちましたが、失敗が続いています: これまでに${p.failedRuns}回失敗、直近の原因は ${p.cause}`,
  labels: {
    failed: '失敗時刻',
    failedRuns: '失敗回数',
    reason: '理由',
    latestReason: '直近の理由',
  },
  failedLine: (cronJob, cause) => `${cronJob} が失敗しました: ${cause}`,
  failedRunsValue: (count, firstAt) => [text(`${count}回（最初の失敗: `), ...firstAt, text('）')],
  endedLine: (cronJob, end, duration) =>
    end.type === 'deleted'
      ? `${cronJob} をクローズしました（CronJob が削除されました）`
      : `${cronJob} が${duration === null ? '' : `${duration}で`}復旧しました`,
  storyLine: p => {
    const ended = endClauseJa(p.end, p.fixedBy);
    return [
      ...p.failedAt,
      text(` に失敗しました: ${p.cause}`),
      text(p.failedRuns > 1 ? `（失敗${p.failedRuns}回）` : ''),
      ...(ended === null
        ? [text('。')]
        : [
            text('。'),
            ...p.endedAt,
            text(p.end.type === 'fixed' ? ' に ' : ' に'),
            ...ended,
            text('しました。'),
          ]),
    ];
  },
  closingLine: p => {
    const ended = endClauseJa(p.end, p.fixedBy);
    const inside = [
      ...(p.failedRuns > 1 ? [text(`失敗${p.failedRuns}回`)] : []),
      ...(p.failedRuns > 1 && ended !== null ? [text('、')] : []),
      ...(ended ?? []),
    ];
    const head =
      p.end.type === 'deleted'
        ? 'クローズしました'
        : `${p.duration === null ? '' : `${p.duration}で`}復旧しました`;
    return [text(head), ...(inside.length === 0 ? [] : [text('（'), ...inside, text('）')])];
  },
  recoveredLine: p => {
    const ended = endClauseJa(p.end, p.fixedBy);
    return [
      text(`${p.cronJob} が `),
      ...p.failedAt,
      text(
        ` に失敗し（${p.cause}）、${p.duration === null ? '' : `${p.duration}後に`}復旧しました`,
      ),
      ...(ended === null ? [] : [text('（'), ...ended, text('）')]),
    ];
  },
  ranTooLongLine: p => [
    ...p.startedAt,
    text(p.stuck === null ? ' から実行中でした' : ` から停止していました（${p.stuck}）`),
    text(`。${p.ranFor === null ? '' : `${p.ranFor}後に`}強制終了されました`),
  ],
  handedOverLine: (ranFor, cause) =>
    `${ranFor === null ? '' : `${ranFor}後に`}強制終了されました: ${cause}`,
  goneMark: '（Job は削除済み）',
  goneNote: cause =>
    'watcher が読み取る前に削除されました' +
    (cause === 'failed-jobs-history-limit'
      ? '（failedJobsHistoryLimit: 0 のため失敗した Job が残りません）'
      : cause === 'ttl-after-finished'
        ? '（ttlSecondsAfterFinished が watcher の実行間隔より短いため）'
        : ''),
  approximateTime:
    '失敗時刻は概算です: Job に失敗時刻として使える値がないため、次に使える時刻（完了・開始・スケジュール・作成のいずれか）で代用しています。',
  log: {
    title: (container, pod) => `コンテナ ${container} のログ末尾（Pod ${pod}）`,
    cut: 'メッセージに収まるよう、古い行は省略しています。',
    unavailable: (reason, detail) =>
      `ログ抜粋なし: ${LOG_UNAVAILABLE_JA[reason]}${detail === null ? '' : `（${detail}）`}`,
  },
};

/** The words of the failing messages, by language. */
export const FAILING_WORDS: Record<Language, FailingWords> = {en, ja};
