/** The slower-than-usual detection: a run going on far longer than the CronJob's usual runs. */
import type {Detection} from '../detection.js';
import {slowerThanUsual as detector} from './detector.js';
import {slowerThanUsualMessages} from './messages.js';
import {SLOWER_THAN_USUAL_SETTINGS, type SlowerThanUsualSettings} from './settings.js';
import {SLOWER_THAN_USUAL_WORDS, type SlowerThanUsualWords} from './words.js';

export const slowerThanUsual: Detection<
  'slower-than-usual',
  SlowerThanUsualWords,
  SlowerThanUsualSettings
> = {
  kind: 'slower-than-usual',
  subject: 'cronjob',
  detector,
  settings: SLOWER_THAN_USUAL_SETTINGS,
  words: SLOWER_THAN_USUAL_WORDS,
  messages: slowerThanUsualMessages,
};
