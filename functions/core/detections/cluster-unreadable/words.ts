/**
 * The words of the messages about a cluster the watcher cannot read, one section per language.
 * A missing entry in either does not compile.
 */
import type {Language} from '../../messages/languages.js';
import type {Text} from '../../messages/model.js';
import {text} from '../../messages/pieces.js';
import {plural} from '../../messages/words-en.js';

/** What a read failed with, as the messages explain it (from the error's code). */
export type ReadProblem =
  | {type: 'forbidden'; verb: string | null; resource: string | null}
  | {type: 'unauthorized'}
  | {type: 'not-found'}
  | {type: 'unreachable'}
  | {type: 'timeout'}
  | {type: 'tls'}
  | {type: 'config'}
  | {type: 'server'};

/** The words of the messages about a cluster the watcher cannot read. */
export interface ClusterUnreadableWords {
  labels: {
    since: string;
    failedReads: string;
  };
  /** `3 failed reads`. */
  failedReads(count: number): string;
  /** The consequence, first in the headline and the push text: `No CronJob alerts from prod-eu`. */
  blind(cluster: string): string;
  /** After it in the headline: `the watcher cannot read it`. */
  cannotRead: string;
  /** The problem, short: `403: cannot list cronjobs`. */
  problem(p: ReadProblem, status: string | null): string;
  /** What fixes it: `apply infra/k8s/rbac.yaml`; null when the next pass usually does. */
  fix(p: ReadProblem): string | null;
  /** The title of the error as the watcher got it. */
  errorTitle: string;
  /** The closed headline's words: `prod-eu readable again after 12m`. */
  endedLine(cluster: string, duration: string | null): string;
  /** The thread reply: `Readable again after 12m (3 failed reads)`. */
  closingLine(duration: string | null, failedReads: string): string;
  /** The closed opening's one line. */
  storyLine(since: Text, problem: string, failedReads: string): Text;
  /** A reminder in the thread: `Still unreadable after 1d: 288 failed reads; latest: …`. */
  reminderLine(age: string, failedReads: string, problem: string): string;
}

const en: ClusterUnreadableWords = {
  reminderLine: (age, failedReads, problem) =>
    `Still unreadable after ${age}: ${failedReads} so far; latest: ${problem}`,
  labels: {
    since: 'Unreadable since',
    failedReads: 'Failed reads',
  },
  failedReads: count => plural(count, 'failed read', 'failed reads'),
  blind: cluster => `No CronJob alerts from ${cluster}`,
  cannotRead: 'the watcher cannot read it',
  problem: (p, status) => {
    const code = status === null ? '' : `${status}: `;
    switch (p.type) {
      case 'forbidden':
        return `${code}cannot ${p.verb ?? 'read'} ${p.resource ?? 'the cluster'}`;
      case 'unauthorized':
        return `${code}credentials rejected`;
      case 'not-found':
        return `${code}no CronJob API at this address`;
      case 'unreachable':
        return 'API server unreachable';
      case 'timeout':
        return 'API server did not answer in time';
      case 'tls':
        return "API server's certificate did not verify";
      case 'config':
        return 'cluster configuration is wrong';
      case 'server':
        return `${code}API server error`;
    }
  },
  fix: p => {
    switch (p.type) {
      case 'forbidden':
        return 'apply infra/k8s/rbac.yaml';
      case 'unauthorized':
        return "check the watcher's service account or kubeconfig credentials";
      case 'not-found':
        return 'check the server address';
      case 'unreachable':
      case 'timeout':
        return 'check the endpoint and the network path (authorized networks, firewall)';
      case 'tls':
        return 'check the cluster CA (or use the DNS-based endpoint)';
      case 'config':
        return 'fix the setting named below';
      case 'server':
        return null;
    }
  },
  errorTitle: 'What the watcher got',
  endedLine: (cluster, duration) =>
    `${cluster} readable again${duration === null ? '' : ` after ${duration}`}`,
  closingLine: (duration, failedReads) =>
    `Readable again${duration === null ? '' : ` after ${duration}`} (${failedReads})`,
  storyLine: (since, problem, failedReads) => [
    text('Unreadable from '),
    ...since,
    text(`: ${problem} (${failedReads}); CronJob alerts resume with the next pass.`),
  ],
};

const ja: ClusterUnreadableWords = {
  reminderLine: (age, failedReads, problem) =>
    `発生から${age}経ちましたが、まだ読み取れません: これまでに${failedReads}、直近: ${problem}`,
  labels: {
    since: '読み取り不可になった時刻',
    failedReads: '読み取り失敗回数',
  },
  failedReads: count => `読み取り失敗${count}回`,
  blind: cluster => `${cluster} の CronJob を監視できていません`,
  cannotRead: 'クラスタを読み取れません',
  problem: (p, status) => {
    const code = status === null ? '' : `${status}: `;
    switch (p.type) {
      case 'forbidden':
        // Without the API's verb, in words rather than an English placeholder.
        return p.verb === null
          ? `${code}${p.resource === null ? 'クラスタ' : `${p.resource} `}を読み取る権限がありません`
          : `${code}${p.resource ?? 'クラスタ'} を ${p.verb} する権限がありません`;
      case 'unauthorized':
        return `${code}認証情報が拒否されました`;
      case 'not-found':
        return `${code}このアドレスに CronJob の API がありません`;
      case 'unreachable':
        return 'API サーバーに接続できません';
      case 'timeout':
        return 'API サーバーが時間内に応答しませんでした';
      case 'tls':
        return 'API サーバーの証明書を検証できませんでした';
      case 'config':
        return 'クラスタの設定に誤りがあります';
      case 'server':
        return `${code}API サーバーのエラーです`;
    }
  },
  fix: p => {
    switch (p.type) {
      case 'forbidden':
        return 'infra/k8s/rbac.yaml を適用してください';
      case 'unauthorized':
        return 'watcher のサービスアカウントまたは kubeconfig の認証情報を確認してください';
      case 'not-found':
        return 'サーバーのアドレスを確認してください';
      case 'unreachable':
      case 'timeout':
        return 'エンドポイントとネットワーク経路（承認済みネットワーク、ファイアウォール）を確認してください';
      case 'tls':
        return 'クラスタの CA を確認してください（または DNS ベースのエンドポイントを使ってください）';
      case 'config':
        return '下のエラーにある設定を直してください';
      case 'server':
        return null;
    }
  },
  errorTitle: 'watcher が受け取ったエラー',
  endedLine: (cluster, duration) =>
    `${cluster} を${duration === null ? '' : `${duration}ぶりに`}読み取れるようになりました`,
  closingLine: (duration, failedReads) =>
    `${duration === null ? '' : `${duration}ぶりに`}読み取れるようになりました（${failedReads}）`,
  storyLine: (since, problem, failedReads) => [
    ...since,
    text(
      ` から読み取れませんでした: ${problem}（${failedReads}）。次回の確認から CronJob の通知を再開します。`,
    ),
  ],
};

/** The words of its messages, by language. */
export const CLUSTER_UNREADABLE_WORDS: Record<Language, ClusterUnreadableWords> = {en, ja};
