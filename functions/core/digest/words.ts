/**
 * The words of the daily digest, one section per language. A missing entry in either does not
 * compile.
 */
import type {IncidentKind} from '../incident.js';
import type {Language} from '../messages/languages.js';
import type {Text} from '../messages/model.js';
import {text} from '../messages/pieces.js';
import {plural} from '../messages/words-en.js';

/** The words of the daily digest. */
export interface DigestWords {
  /** The title: `Daily digest, 2026-03-03: 2 open`. */
  title(date: string, open: number): string;
  /** What a kind of incident is called in a list. */
  kinds: Record<IncidentKind, string>;
  sections: {
    open(count: number): string;
    opened(count: number): string;
    closed(count: number): string;
    flapping(count: number): string;
    successShare: string;
  };
  /** `92% (23 of 25 runs)`. */
  successLine(percent: number, succeeded: number, runs: number): string;
  /**
   * An open incident's state: `failing, open for 2d 3h, acknowledged`; a snooze that lasts
   * says until when (`until`: the time, or `recovery`), and stands for "not acknowledged".
   */
  openLine(kind: string, age: string, acknowledged: boolean, until: Text | 'recovery' | null): Text;
  /** Opened in the last 24 hours: `failing, opened`, with the time after. */
  openedLine(kind: string): string;
  /** Closed in the last 24 hours: `failing, closed after 2h 5m`. */
  closedLine(kind: string, lasted: string | null): string;
  /** `4 incidents in 7 days`. */
  flappingLine(incidents: number): string;
  /** What a cut list left out: `and 4 more`. */
  more(count: number): string;
  /** Nothing to list under a title. */
  none: string;
}

const en: DigestWords = {
  title: (date, open) => `Daily digest, ${date}: ${plural(open, 'incident', 'incidents')} open`,
  kinds: {
    failing: 'failing',
    missed: 'missed runs',
    'running-too-long': 'running too long',
    'cluster-unreadable': 'cluster unreadable',
    'slower-than-usual': 'slower than usual',
    'finished-too-fast': 'finished too fast',
  },
  sections: {
    open: count => `Open now (${count})`,
    opened: count => `Opened in the last 24 hours (${count})`,
    closed: count => `Closed in the last 24 hours (${count})`,
    flapping: count => `Flapping: 3 or more incidents in 7 days (${count})`,
    successShare: 'Successful runs over 7 days, by namespace',
  },
  successLine: (percent, succeeded, runs) =>
    `${percent}% (${succeeded} of ${plural(runs, 'run', 'runs')})`,
  openLine: (kind, age, acknowledged, until) => [
    text(
      `${kind}, open for ${age}${acknowledged ? ', acknowledged' : until === null ? ', not acknowledged' : ''}`,
    ),
    ...(until === null
      ? []
      : until === 'recovery'
        ? [text(', snoozed until it recovers')]
        : [text(', snoozed until '), ...until]),
  ],
  openedLine: kind => `${kind}, opened `,
  closedLine: (kind, lasted) => `${kind}, closed${lasted === null ? '' : ` after ${lasted}`}`,
  flappingLine: incidents => `${incidents} incidents in 7 days`,
  more: count => `and ${count} more`,
  none: 'none',
};

const ja: DigestWords = {
  title: (date, open) => `日次ダイジェスト ${date}: 未解決 ${open}件`,
  kinds: {
    failing: '失敗',
    missed: '未起動',
    'running-too-long': '長時間実行',
    'cluster-unreadable': 'クラスタ読み取り不可',
    'slower-than-usual': '通常より遅い',
    'finished-too-fast': '短時間で終了',
  },
  sections: {
    open: count => `未解決（${count}件）`,
    opened: count => `過去24時間に発生（${count}件）`,
    closed: count => `過去24時間に解決（${count}件）`,
    flapping: count => `不安定: 7日間に3回以上発生（${count}件）`,
    successShare: '過去7日間の成功率（Namespace 別）',
  },
  successLine: (percent, succeeded, runs) => `${percent}%（${runs}回中${succeeded}回成功）`,
  openLine: (kind, age, acknowledged, until) => [
    text(`${kind}、発生から${age}${acknowledged ? '、対応中' : until === null ? '、未対応' : ''}`),
    ...(until === null
      ? []
      : until === 'recovery'
        ? [text('、復旧するまでスヌーズ中')]
        : [text('、'), ...until, text(' までスヌーズ中')]),
  ],
  openedLine: kind => `${kind}、発生 `,
  closedLine: (kind, lasted) => `${kind}、${lasted === null ? '' : `${lasted}で`}解決`,
  flappingLine: incidents => `7日間に${incidents}回`,
  more: count => `他 ${count}件`,
  none: 'なし',
};

/** The digest's words, by language. */
export const DIGEST_WORDS: Record<Language, DigestWords> = {en, ja};
