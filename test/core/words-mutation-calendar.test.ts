/**
 * Every month and every day of the week in words, in both languages: a time in the console
 * reads `Feb 15, 12:00 UTC` / `2月15日 12:00 UTC`, a weekly schedule `due every Thursday at
 * 09:00` / `毎週木曜 09:00`. The names are written out by hand (English abbreviations as in
 * `Mar 2`, Japanese weekday kanji 日月火水木金土), not taken from the tables under test.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {COMMON_WORDS} from '../../functions/core/messages/catalogue.js';

const {en, ja} = COMMON_WORDS;

describe('every month, as a time in words', () => {
  const months: Array<[string, string, string]> = [
    ['2024-01-15T12:00:00Z', 'Jan 15, 12:00 UTC', '1月15日 12:00 UTC'],
    ['2024-02-15T12:00:00Z', 'Feb 15, 12:00 UTC', '2月15日 12:00 UTC'],
    ['2024-03-15T12:00:00Z', 'Mar 15, 12:00 UTC', '3月15日 12:00 UTC'],
    ['2024-04-15T12:00:00Z', 'Apr 15, 12:00 UTC', '4月15日 12:00 UTC'],
    ['2024-05-15T12:00:00Z', 'May 15, 12:00 UTC', '5月15日 12:00 UTC'],
    ['2024-06-15T12:00:00Z', 'Jun 15, 12:00 UTC', '6月15日 12:00 UTC'],
    ['2024-07-15T12:00:00Z', 'Jul 15, 12:00 UTC', '7月15日 12:00 UTC'],
    ['2024-08-15T12:00:00Z', 'Aug 15, 12:00 UTC', '8月15日 12:00 UTC'],
    ['2024-09-15T12:00:00Z', 'Sep 15, 12:00 UTC', '9月15日 12:00 UTC'],
    ['2024-10-15T12:00:00Z', 'Oct 15, 12:00 UTC', '10月15日 12:00 UTC'],
    ['2024-11-15T12:00:00Z', 'Nov 15, 12:00 UTC', '11月15日 12:00 UTC'],
    ['2024-12-15T12:00:00Z', 'Dec 15, 12:00 UTC', '12月15日 12:00 UTC'],
  ];
  for (const [iso, english, japanese] of months) {
    it(english, () => {
      assert.equal(en.plainTime(Date.parse(iso)), english);
      assert.equal(ja.plainTime(Date.parse(iso)), japanese);
    });
  }
});

describe('every day of the week, as a weekly schedule', () => {
  // Cron numbers the days from Sunday = 0.
  const days: Array<[number, string, string]> = [
    [0, 'due every Sunday at 09:00', '毎週日曜 09:00'],
    [1, 'due every Monday at 09:00', '毎週月曜 09:00'],
    [2, 'due every Tuesday at 09:00', '毎週火曜 09:00'],
    [3, 'due every Wednesday at 09:00', '毎週水曜 09:00'],
    [4, 'due every Thursday at 09:00', '毎週木曜 09:00'],
    [5, 'due every Friday at 09:00', '毎週金曜 09:00'],
    [6, 'due every Saturday at 09:00', '毎週土曜 09:00'],
  ];
  for (const [day, english, japanese] of days) {
    it(english, () => {
      assert.equal(en.cadence({type: 'weekly', day, time: '09:00'}, null), english);
      assert.equal(ja.cadence({type: 'weekly', day, time: '09:00'}, null), japanese);
    });
  }
});
