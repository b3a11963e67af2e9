/** The finished-too-fast detection: a successful run far shorter than the CronJob's usual runs. */
import type {Detection} from '../detection.js';
import {finishedTooFast as detector} from './detector.js';
import {finishedTooFastMessages} from './messages.js';
import {FINISHED_TOO_FAST_SETTINGS, type FinishedTooFastSettings} from './settings.js';
import {FINISHED_TOO_FAST_WORDS, type FinishedTooFastWords} from './words.js';

export const finishedTooFast: Detection<
  'finished-too-fast',
  FinishedTooFastWords,
  FinishedTooFastSettings
> = {
  kind: 'finished-too-fast',
  subject: 'cronjob',
  detector,
  settings: FINISHED_TOO_FAST_SETTINGS,
  words: FINISHED_TOO_FAST_WORDS,
  messages: finishedTooFastMessages,
};
