/** The running-too-long detection: a Job of a CronJob still running past its limit. */
import type {Detection} from '../detection.js';
import {runningTooLong as detector} from './detector.js';
import {runningTooLongMessages} from './messages.js';
import {RUNNING_TOO_LONG_SETTINGS, type RunningTooLongSettings} from './settings.js';
import {RUNNING_TOO_LONG_WORDS, type RunningTooLongWords} from './words.js';

export const runningTooLong: Detection<
  'running-too-long',
  RunningTooLongWords,
  RunningTooLongSettings
> = {
  kind: 'running-too-long',
  subject: 'cronjob',
  detector,
  settings: RUNNING_TOO_LONG_SETTINGS,
  words: RUNNING_TOO_LONG_WORDS,
  messages: runningTooLongMessages,
};
