/** The missed detection: due times of a CronJob for which no run started. */
import type {Detection} from '../detection.js';
import {missedSchedule} from './detector.js';
import {missedMessages} from './messages.js';
import {MISSED_SETTINGS, type MissedSettings} from './settings.js';
import {MISSED_WORDS, type MissedWords} from './words.js';

export const missed: Detection<'missed', MissedWords, MissedSettings> = {
  kind: 'missed',
  subject: 'cronjob',
  detector: missedSchedule,
  settings: MISSED_SETTINGS,
  words: MISSED_WORDS,
  messages: missedMessages,
};
