/**
 * The Japanese catalogue (see catalogue.ts): written as an on-call SRE in Japan writes an
 * alert, not translated word for word. Kubernetes terms (CronJob, Job, Pod) stay as they are
 * in Japanese documentation; durations read `2時間5分`, `45秒`, `3日4時間`; times are Slack
 * dates, so every reader sees them in their own zone.
 */
import type {Catalogue} from './catalogue.js';
import {formatDurationIn} from './duration.js';
import type {RunRef} from './incident.js';
import type {FailingEnd, Segment} from './message.js';

/** `45秒`, `12分5秒`, `2時間5分`, `3日4時間`, truncated like the English one (duration.ts). */
export function formatDurationJa(ms: number): string {
  return formatDurationIn(ms, {day: '日', hour: '時間', minute: '分', second: '秒', separator: ''});
}

function words(text: string): Segment {
  return {type: 'text', text};
}

function run(job: string, manual: boolean): string {
  return manual ? `手動実行 ${job}` : `Job ${job}`;
}

const GONE_MARK = '（Job は削除済み）';

/** The run that fixed it, marked when its Job was deleted before a pass could read it. */
function fixer(end: {run: RunRef}): string {
  return run(end.run.job, end.run.manual) + (end.run.gone === undefined ? '' : GONE_MARK);
}

/** How it ended, after "、": null when unknown. */
function endedBy(end: FailingEnd): string | null {
  switch (end.type) {
    case 'fixed':
      return `${fixer(end)} で復旧`;
    case 'fixed-job-gone':
      return '後続の実行で復旧（その Job は削除済み）';
    case 'deleted':
      return 'CronJob が削除されたためクローズ';
    case 'unknown':
      return null;
  }
}

function resolvedPhrase(duration: string | null): string {
  return duration === null ? '復旧' : `${duration}で復旧`;
}

const LOG_UNAVAILABLE: Record<Parameters<Catalogue['log']['unavailable']>[0], string> = {
  forbidden: 'Pod のログを読む権限がありません（pods/log。infra/k8s/rbac-logs.yaml を参照）',
  gone: 'Pod が既に削除されています',
  timeout: 'API サーバーが時間内に応答しませんでした',
  'no-pod': '失敗したコンテナを持つ Pod が見つかりません',
  empty: 'コンテナのログが空です',
  error: 'ログを読み取れませんでした',
};

/** Japanese. */
export const ja: Catalogue = {
  duration: formatDurationJa,
  count: n => `${n}回`,
  // Date and time in the reader's zone, then how long ago; Slack localises both.
  slackDateFormat: '{date_num} {time_secs}（{ago}）',
  unknownTime: '時刻不明',
  unknownReason: '理由不明',
  unknownDuration: '不明',
  labels: {
    cluster: 'クラスタ',
    cronJob: 'CronJob',
    failedRun: '失敗した実行',
    failedAt: '失敗時刻',
    schedule: 'スケジュール',
    failedRuns: '失敗回数',
    latestFailure: '直近の失敗',
    recoveredBy: '復旧させた実行',
    recoveredAt: '復旧時刻',
    failingFor: '失敗していた期間',
    unreadableSince: '読み取り不可になった時刻',
    failedReads: '読み取り失敗回数',
    reason: '理由',
    latestReason: '直近の理由',
    pods: 'Pod の状態',
    why: '原因',
    job: 'Job',
    dueAt: '予定時刻',
    missedRuns: '未起動の回数',
    lastStarted: '最後の起動',
    startedAt: '開始時刻',
    limit: '上限',
    blockedRuns: 'ブロックした実行',
  },
  links: {
    cronJob: 'Cloud Console で CronJob を開く',
    logsOf: job => `${job} のログ`,
    runbook: 'Runbook',
  },
  log: {
    title: (container, pod) => `コンテナ ${container} のログ末尾（Pod ${pod}）`,
    cut: 'メッセージに収まるよう、古い行は省略しています。',
    unavailable: (reason, detail) =>
      `ログ抜粋なし: ${LOG_UNAVAILABLE[reason]}${detail === null ? '' : `（${detail}）`}`,
  },
  mutedLine:
    'ミュート: この CronJob に cronjob-watcher/ignore が設定されたため、復旧を待たずにクローズしました。',
  recoveredAt: at => [words('復旧時刻: '), ...at],
  failing: {
    run,
    runValue: (job, manual) => (manual ? [job, words('（手動実行）')] : [job]),
    latestFailureValue: (runValue, at) => [...runValue, words('（'), ...at, words('）')],
    failedRuns: count => `失敗${count}回`,
    openedTitle: cronJob => `CronJob 失敗: ${cronJob}`,
    openedSummary: p =>
      `${p.cluster} の CronJob ${p.cronJob} が失敗しました: ${p.reason}（${p.run}）`,
    endedPhrase: (end, duration) => {
      const verb = end.type === 'deleted' ? 'クローズ' : '復旧';
      return duration === null ? verb : `${duration}で${verb}`;
    },
    resolvedPhrase,
    resolvedTitle: (phrase, cronJob) => `${phrase}: ${cronJob}`,
    resolvedSummary: p => {
      const ended = endedBy(p.end);
      return (
        `${p.phrase}: ${p.cluster} の CronJob ${p.cronJob}` +
        `（${p.failedRuns}${ended === null ? '' : `、${ended}`}）`
      );
    },
    closingLine: p => {
      const ended = endedBy(p.end);
      return [p.phrase, p.failedRuns, ...(ended === null ? [] : [ended])].join('、');
    },
    recoveredTitle: cronJob => `失敗後に復旧: ${cronJob}`,
    recoveredSummary: p => {
      const after = p.duration === null ? '' : `（${p.duration}後）`;
      const failed = `${p.cluster} の CronJob ${p.cronJob} が ${p.failedAt} に失敗し（${p.reason}）、`;
      switch (p.end.type) {
        case 'fixed':
          return `${failed}${p.recoveredAt} に ${fixer(p.end)} で復旧しました${after}`;
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
          return [words('後続の実行（その Job は削除済み）')];
        case 'deleted':
          return [words('なし（CronJob が削除されました）')];
        case 'unknown':
          return [words('不明')];
      }
    },
    goneMark: GONE_MARK,
    goneNote: cause =>
      'watcher が読み取る前に削除されました' +
      (cause === 'failed-jobs-history-limit'
        ? '（failedJobsHistoryLimit: 0 のため失敗した Job が残りません）'
        : cause === 'ttl-after-finished'
          ? '（ttlSecondsAfterFinished が watcher の実行間隔より短いため）'
          : ''),
    approximateTime:
      '失敗時刻は概算です: Job に失敗時刻として使える値がないため、次に使える時刻（完了・開始・スケジュール・作成のいずれか）で代用しています。',
  },
  missed: {
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
  },
  stuck: {
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
  },
  cluster: {
    failedReads: count => `読み取り失敗${count}回`,
    why: (code, message) => `${code}: ${message}`,
    openedTitle: cluster => `クラスタ ${cluster} を読み取れません`,
    openedSummary: p =>
      `${p.since} からクラスタ ${p.cluster} を読み取れません（${p.failedReads}）: ${p.why}`,
    whileUnreadable:
      '読み取れない間は、このクラスタの CronJob のインシデントはオープンもクローズもされません。',
    closingLine: (duration, failedReads) =>
      `クラスタを再び読み取れるようになりました${duration === null ? '' : `（${duration}ぶり）`}、${failedReads}`,
    closedTitle: (line, cluster) => `${line}: ${cluster}`,
    closedSummary: p => `${p.line}: ${p.cluster}（${p.since} から読み取り不可）`,
  },
};
