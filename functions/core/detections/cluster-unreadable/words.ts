/**
 * The words of the messages about a cluster the watcher cannot read, one section per language.
 * A missing entry in either does not compile.
 */
import type {Language} from '../../messages/languages.js';
import {plural} from '../../messages/words-en.js';

/** The words of the messages about a cluster the watcher cannot read. */
export interface ClusterUnreadableWords {
  labels: {
    unreadableSince: string;
    failedReads: string;
    why: string;
  };
  /** `3 failed reads`. */
  failedReads(count: number): string;
  /** What the read failed with, from the error's code and message. */
  why(code: string, message: string): string;
  openedTitle(cluster: string): string;
  openedSummary(p: {cluster: string; since: string; failedReads: string; why: string}): string;
  /** What an unreadable cluster means for the CronJobs on it. */
  whileUnreadable: string;
  /** `Cluster readable again after 2h 5m, 3 failed reads` (the line arrives unmarked). */
  closingLine(duration: string | null, failedReads: string): string;
  /** `<marked closing line>: <cluster>`. */
  closedTitle(line: string, cluster: string): string;
  closedSummary(p: {line: string; cluster: string; since: string}): string;
}

const en: ClusterUnreadableWords = {
  labels: {
    unreadableSince: 'Unreadable since',
    failedReads: 'Failed reads',
    why: 'Why',
  },
  failedReads: count => plural(count, 'failed read', 'failed reads'),
  why: (code, message) => `${code}: ${message}`,
  openedTitle: cluster => `Watcher cannot see cluster ${cluster}`,
  openedSummary: p =>
    `The watcher cannot read cluster ${p.cluster} since ${p.since} (${p.failedReads}): ${p.why}`,
  whileUnreadable:
    'CronJob incidents on this cluster neither open nor close while it cannot be read.',
  closingLine: (duration, failedReads) =>
    `Cluster readable again${duration === null ? '' : ` after ${duration}`}, ${failedReads}`,
  closedTitle: (line, cluster) => `${line}: ${cluster}`,
  closedSummary: p => `${p.line}: ${p.cluster} (unreadable since ${p.since})`,
};

const ja: ClusterUnreadableWords = {
  labels: {
    unreadableSince: '読み取り不可になった時刻',
    failedReads: '読み取り失敗回数',
    why: '原因',
  },
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
};

/** The words of its messages, by language. */
export const CLUSTER_UNREADABLE_WORDS: Record<Language, ClusterUnreadableWords> = {en, ja};
