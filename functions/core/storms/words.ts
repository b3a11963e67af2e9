/**
 * The storm parent's words, one section per language (see messages/words.ts for the rules):
 * written as an on-call engineer announces an outage, each language in its own order.
 */
import type {IncidentKind} from '../incident.js';
import type {Language} from '../messages/languages.js';
import type {Text} from '../messages/model.js';

/** What a storm parent says. Counts arrive as numbers, durations already in words. */
export interface StormWords {
  /** The headline while any member is open: `23 CronJobs need attention at once`. */
  title(count: number): string;
  /** The headline once all recovered. */
  titleRecovered(count: number): string;
  /** `9 of 23 recovered`. */
  progress(recovered: number, count: number): string;
  /** `All recovered after 2h 5m`; `duration` null when the times are unreadable. */
  allRecovered(duration: string | null): string;
  labels: {
    clusters: string;
    namespaces: string;
    kinds: string;
    reasons: string;
    cronJobs: string;
  };
  /** Each kind as the parent counts it: `failing`, `missed runs`. */
  kind: Record<IncidentKind, string>;
  /** An item with its count in a list: `batch (12)`. */
  counted(item: string, count: number): string;
  /** The end of a list cut short: `and 12 more`. */
  more(count: number): string;
  /** Where the detail is. */
  inThread: string;
  /** Where the detail is when the list above is cut: the thread starts with all of them. */
  inThreadWithList: string;
  /** A reminder in the thread: `Still open after 1d: 14 of 23 CronJobs of this storm.` */
  reminder(age: string, open: number, count: number): string;
  /** A roster message's lead: `CronJobs of this storm, 1–480 of 1000 (1/3)`. */
  roster(from: number, to: number, count: number, page: number, pages: number): string;
  /** Between the items of a list: `, `. */
  separator: string;
  /** The push text: `23 CronJobs need attention in prod-eu: 9 recovered`. */
  summary(count: number, cluster: string, recovered: number): string;
  /** The push text once all recovered; `duration` null when the times are unreadable. */
  summaryRecovered(count: number, cluster: string, duration: string | null): string;
  /**
   * The thread reply to an action on the parent, which acted on the `count` CronJobs still
   * open; `who` is a person, `until` a time.
   */
  acted: {
    acknowledged(who: Text, count: number): Text;
    unacknowledged(who: Text, count: number): Text;
    snoozed(who: Text, until: Text, count: number): Text;
    snoozedUntilRecovery(who: Text, count: number): Text;
    unsnoozed(who: Text, count: number): Text;
    /** The parent's snooze ran out with `count` CronJobs still open. */
    snoozeEnded(who: Text, count: number): Text;
  };
}

const t = (value: string): Text => [{type: 'text', text: value}];

const en: StormWords = {
  title: n => `${n} CronJobs need attention at once`,
  titleRecovered: n => `${n} CronJobs needed attention at once`,
  progress: (recovered, n) => `${recovered} of ${n} recovered`,
  allRecovered: duration =>
    duration === null ? 'All recovered' : `All recovered after ${duration}`,
  labels: {
    clusters: 'Cluster',
    namespaces: 'Namespaces',
    kinds: 'Kinds',
    reasons: 'Reasons',
    cronJobs: 'CronJobs',
  },
  kind: {
    failing: 'failing',
    missed: 'missed runs',
    'running-too-long': 'running too long',
    'slower-than-usual': 'slower than usual',
    'finished-too-fast': 'finished too fast',
    'cluster-unreadable': 'cluster unreadable',
  },
  counted: (item, n) => `${item} (${n})`,
  more: n => `and ${n} more`,
  inThread: "Each CronJob's own message is in this thread.",
  inThreadWithList: "This thread lists every CronJob first, then each one's own message.",
  reminder: (age, open, n) => `Still open after ${age}: ${open} of ${n} CronJobs of this storm.`,
  roster: (from, to, n, page, pages) =>
    `CronJobs of this storm, ${from}–${to} of ${n}${pages > 1 ? ` (${page}/${pages})` : ''}:`,
  separator: ', ',
  summary: (n, cluster, recovered) =>
    `${n} CronJobs need attention in ${cluster}: ${recovered} recovered`,
  summaryRecovered: (n, cluster, duration) =>
    `${n} CronJobs in ${cluster}: all recovered${duration === null ? '' : ` after ${duration}`}`,
  acted: {
    acknowledged: (who, n) => [...who, ...t(` acknowledged ${theOpen(n)} of this storm.`)],
    unacknowledged: (who, n) => [
      ...who,
      ...t(` took back the acknowledgement of ${theOpen(n)} of this storm.`),
    ],
    snoozed: (who, until, n) => [
      ...who,
      ...t(` snoozed ${theOpen(n)} of this storm until `),
      ...until,
      ...t('.'),
    ],
    snoozedUntilRecovery: (who, n) => [
      ...who,
      ...t(` snoozed ${theOpen(n)} of this storm, each until it recovers.`),
    ],
    unsnoozed: (who, n) => [...who, ...t(` ended the snooze of ${theOpen(n)} of this storm.`)],
    snoozeEnded: (who, n) => [
      ...t('The snooze by '),
      ...who,
      ...t(` has ended; ${n === 1 ? '1 CronJob' : `${n} CronJobs`} of this storm still open.`),
    ],
  },
};

/** `the 21 open CronJobs`, `the open CronJob`. */
function theOpen(n: number): string {
  return n === 1 ? 'the open CronJob' : `the ${n} open CronJobs`;
}

const ja: StormWords = {
  title: n => `${n} 件の CronJob で同時に問題が発生しています`,
  titleRecovered: n => `${n} 件の CronJob で同時に発生した問題`,
  progress: (recovered, n) => `${n} 件中 ${recovered} 件が復旧しました`,
  allRecovered: duration =>
    duration === null ? 'すべて復旧しました' : `${duration}ですべて復旧しました`,
  labels: {
    clusters: 'クラスタ',
    namespaces: 'Namespace',
    kinds: '種類',
    reasons: '理由',
    cronJobs: 'CronJob',
  },
  kind: {
    failing: '失敗',
    missed: '実行漏れ',
    'running-too-long': '実行時間超過',
    'slower-than-usual': '通常より遅い実行',
    'finished-too-fast': '短すぎる実行',
    'cluster-unreadable': 'クラスタ読み取り不可',
  },
  counted: (item, n) => `${item}（${n}）`,
  more: n => `ほか ${n} 件`,
  inThread: '各 CronJob の詳細はこのスレッドにあります。',
  inThreadWithList: 'このスレッドには、まず全 CronJob の一覧、続いて各 CronJob の詳細があります。',
  reminder: (age, open, n) =>
    `発生から${age}経ちましたが、この障害の CronJob ${n} 件中 ${open} 件がまだ復旧していません。`,
  roster: (from, to, n, page, pages) =>
    `この障害の CronJob（${n} 件中 ${from}〜${to} 件目${pages > 1 ? `、${page}/${pages}` : ''}）:`,
  separator: '、',
  summary: (n, cluster, recovered) =>
    `${cluster} で ${n} 件の CronJob に問題が発生しています（${recovered} 件復旧）`,
  summaryRecovered: (n, cluster, duration) =>
    `${cluster} の ${n} 件の CronJob が${duration === null ? '' : `${duration}で`}すべて復旧しました`,
  acted: {
    acknowledged: (who, n) => [
      ...who,
      ...t(` さんがこの障害の未復旧の CronJob ${n} 件すべての対応を始めました。`),
    ],
    unacknowledged: (who, n) => [
      ...who,
      ...t(` さんがこの障害の未復旧の CronJob ${n} 件の対応を取り消しました。`),
    ],
    snoozed: (who, until, n) => [
      ...who,
      ...t(` さんがこの障害の未復旧の CronJob ${n} 件を `),
      ...until,
      ...t(' までスヌーズしました。'),
    ],
    snoozedUntilRecovery: (who, n) => [
      ...who,
      ...t(` さんがこの障害の未復旧の CronJob ${n} 件を、それぞれ復旧するまでスヌーズしました。`),
    ],
    unsnoozed: (who, n) => [
      ...who,
      ...t(` さんがこの障害の未復旧の CronJob ${n} 件のスヌーズを終了しました。`),
    ],
    snoozeEnded: (who, n) => [
      ...who,
      ...t(` さんのスヌーズが終わりました。この障害の CronJob ${n} 件がまだ復旧していません。`),
    ],
  },
};

/** The storm words, by language. */
export const STORM_WORDS: Record<Language, StormWords> = {en, ja};
