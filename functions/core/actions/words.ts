/**
 * The words of the controls on an opening message and of what they do, one section per
 * language. A missing language or entry does not compile.
 */
import type {IncidentKind} from '../incident.js';
import type {Language} from '../messages/languages.js';
import type {Text} from '../messages/model.js';
import type {SnoozeChoice} from './ids.js';

/** The words of acknowledging and snoozing, in one language. */
export interface ActionWords {
  acknowledge: string;
  unacknowledge: string;
  /** The snooze menu's placeholder. */
  snooze: string;
  snoozeChoices: Record<SnoozeChoice, string>;
  /** The menu's choice that ends a snooze early. */
  endSnooze: string;
  /** The opening message's state lines; `who` is a person, `at`/`until` times. */
  acknowledgedBy(who: Text, at: Text): Text;
  snoozedUntil(who: Text, until: Text): Text;
  snoozedUntilRecovery(who: Text): Text;
  /** The thread replies. */
  acknowledgedReply(who: Text): Text;
  unacknowledgedReply(who: Text): Text;
  snoozedReply(who: Text, until: Text): Text;
  snoozedUntilRecoveryReply(who: Text): Text;
  unsnoozedReply(who: Text): Text;
  /** A snooze ran out while the incident is still open; `meanwhile` as `counted` says it. */
  snoozeEndedReply(who: Text, meanwhile: string | null): Text;
  /** What grew during a snooze, by kind: `3 more failed runs`. */
  counted(kind: IncidentKind, n: number): string;
  /** Answers only the person who clicked sees. */
  ephemeral: {
    /** Not in one of the user groups allowed to act. */
    notAllowed: string;
    /** The incident is closed: nothing to acknowledge or snooze. */
    closed: string;
    /** It already is so; the incident's state lines follow. */
    unchanged: string;
    /** The change could not be recorded: nothing changed. */
    notRecorded: string;
    /** The store did not answer in time: it may yet be recorded; the message will tell. */
    notConfirmed: string;
  };
}

const t = (value: string): Text => [{type: 'text', text: value}];

const en: ActionWords = {
  acknowledge: 'Acknowledge',
  unacknowledge: 'Unacknowledge',
  snooze: 'Snooze',
  snoozeChoices: {'1h': '1 hour', '4h': '4 hours', '1d': '1 day', recovery: 'Until it recovers'},
  endSnooze: 'End snooze',
  acknowledgedBy: (who, at) => [...t('Acknowledged by '), ...who, ...t(' · '), ...at],
  snoozedUntil: (who, until) => [...t('Snoozed until '), ...until, ...t(' by '), ...who],
  snoozedUntilRecovery: who => [...t('Snoozed until it recovers, by '), ...who],
  acknowledgedReply: who => [...who, ...t(' acknowledged this.')],
  unacknowledgedReply: who => [...who, ...t(' took back the acknowledgement.')],
  snoozedReply: (who, until) => [...who, ...t(' snoozed this until '), ...until, ...t('.')],
  snoozedUntilRecoveryReply: who => [...who, ...t(' snoozed this until it recovers.')],
  unsnoozedReply: who => [...who, ...t(' ended the snooze.')],
  snoozeEndedReply: (who, meanwhile) => [
    ...t('The snooze by '),
    ...who,
    ...t(
      meanwhile === null
        ? ' has ended; this is still open, nothing new meanwhile.'
        : ` has ended; this is still open: ${meanwhile} meanwhile.`,
    ),
  ],
  counted: (kind, n) => {
    const s = n === 1 ? '' : 's';
    switch (kind) {
      case 'failing':
        return `${n} more failed run${s}`;
      case 'missed':
        return `${n} more missed run${s}`;
      case 'running-too-long':
        return `${n} more run${s} blocked`;
      case 'cluster-unreadable':
        return `${n} more failed read${s}`;
      case 'finished-too-fast':
        return `${n} more run${s} too fast`;
      case 'slower-than-usual':
        return `${n} more`;
    }
  },
  ephemeral: {
    notAllowed:
      'Only members of the user groups allowed to act on incidents can acknowledge or snooze them.',
    closed: 'This incident is closed: there is nothing to acknowledge or snooze.',
    unchanged: 'Nothing changed: it already is so.',
    notRecorded:
      'That could not be recorded (the incident store did not answer): nothing changed. Please try again in a minute.',
    notConfirmed:
      'That was not confirmed in time (the incident store is slow). If it was recorded, the message shows it within a few minutes; if it does not, nothing changed and you can try again.',
  },
};

const ja: ActionWords = {
  acknowledge: '対応する',
  unacknowledge: '対応を取り消す',
  snooze: 'スヌーズ',
  snoozeChoices: {'1h': '1 時間', '4h': '4 時間', '1d': '1 日', recovery: '復旧するまで'},
  endSnooze: 'スヌーズを終了',
  acknowledgedBy: (who, at) => [...t('対応中: '), ...who, ...t(' · '), ...at],
  snoozedUntil: (who, until) => [
    ...t('スヌーズ中: '),
    ...until,
    ...t(' まで（'),
    ...who,
    ...t('）'),
  ],
  snoozedUntilRecovery: who => [...t('スヌーズ中: 復旧するまで（'), ...who, ...t('）')],
  acknowledgedReply: who => [...who, ...t(' さんが対応を始めました。')],
  unacknowledgedReply: who => [...who, ...t(' さんが対応を取り消しました。')],
  snoozedReply: (who, until) => [
    ...who,
    ...t(' さんが '),
    ...until,
    ...t(' までスヌーズしました。'),
  ],
  snoozedUntilRecoveryReply: who => [...who, ...t(' さんが復旧するまでスヌーズしました。')],
  unsnoozedReply: who => [...who, ...t(' さんがスヌーズを終了しました。')],
  snoozeEndedReply: (who, meanwhile) => [
    ...who,
    ...t(
      meanwhile === null
        ? ' さんのスヌーズが終わりました。まだ続いています（その間に新しいことはありません）。'
        : ` さんのスヌーズが終わりました。まだ続いています（その間に${meanwhile}）。`,
    ),
  ],
  counted: (kind, n) => {
    switch (kind) {
      case 'failing':
        return `失敗がさらに ${n} 回`;
      case 'missed':
        return `実行されなかった予定がさらに ${n} 回`;
      case 'running-too-long':
        return `止められた実行がさらに ${n} 回`;
      case 'cluster-unreadable':
        return `読み取りの失敗がさらに ${n} 回`;
      case 'finished-too-fast':
        return `早すぎる実行がさらに ${n} 回`;
      case 'slower-than-usual':
        return `さらに ${n} 回`;
    }
  },
  ephemeral: {
    notAllowed:
      'インシデントの対応やスヌーズができるのは、許可されたユーザーグループのメンバーだけです。',
    closed: 'このインシデントは終わっています。対応やスヌーズの必要はありません。',
    unchanged: '変更はありません（すでにその状態です）。',
    notRecorded:
      '記録できませんでした（インシデントの保存先が応答しません）。何も変わっていません。少し待ってからもう一度お試しください。',
    notConfirmed:
      '時間内に確認できませんでした（インシデントの保存先の応答が遅れています）。記録されていれば数分以内にメッセージに表示されます。表示されなければ何も変わっていないので、もう一度お試しください。',
  },
};

/** The words of acknowledging and snoozing, by language. */
export const ACTION_WORDS: Record<Language, ActionWords> = {en, ja};
