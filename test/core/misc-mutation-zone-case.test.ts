/**
 * Links of the tz database (its `backward` file: `US/Eastern`, `Asia/Calcutta`) are files Go
 * opens by their exact name, like any zone, though `Intl` resolves them to another name in any
 * case. Every part of a zone's name begins with a capital letter, so a lowercase part anywhere
 * — first or last — is no file.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {loadLocation} from '../../functions/core/cron/zone.js';

describe('loadLocation: a link in the wrong case', () => {
  for (const name of ['us/Eastern', 'US/eastern', 'asia/Calcutta', 'Asia/calcutta']) {
    it(`${name} is refused`, () => {
      assert.equal(loadLocation(name), null);
    });
  }
  for (const name of ['US/Eastern', 'Asia/Calcutta', 'America/Argentina/Buenos_Aires']) {
    it(`${name} loads`, () => {
      assert.equal(loadLocation(name), name);
    });
  }
});
