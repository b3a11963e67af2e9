/** The failing detection: one incident per streak of failed runs of a CronJob. */
import type {Detection} from '../detection.js';
import {failingStreak} from './detector.js';
import {failingMessages} from './messages.js';
import {FAILING_SETTINGS, type FailingSettings} from './settings.js';
import {FAILING_WORDS, type FailingWords} from './words.js';

export const failing: Detection<'failing', FailingWords, FailingSettings> = {
  kind: 'failing',
  subject: 'cronjob',
  detector: failingStreak,
  settings: FAILING_SETTINGS,
  words: FAILING_WORDS,
  messages: failingMessages,
};
