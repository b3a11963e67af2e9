/**
 * The path rule's count, segment by segment: a path of words is one whose segments switch
 * character class at most once in four characters, a capital that starts a word being part of
 * it. Each segment below switches twice in three to five characters (more than allowed), so the
 * path holding it looks random; each case names the switches. Survivors of the secrets group's
 * mutation run (test/mutation/secrets.md).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {looksRandom, shannonEntropy} from '../../functions/core/secrets/entropy.js';

describe('segments that switch too often', () => {
  const base = '/opt/JenkinsHome/Workspace/QuickBuild7/Fix/Deploy/Zygote/Vm/Max';
  const cases: Array<[string, string]> = [
    ['IOs', 'a capital after a capital, then a small letter: one switch in three'],
    ['Go2go', 'into the digit and out of it: two in five'],
    ['Go_2', 'into the underscore and into the digit: two in four'],
    ['Db_ok', 'into the underscore and out of it: two in five'],
    ['V2', 'a capital, then a digit: one in two'],
  ];
  for (const [segment, why] of cases) {
    it(`${segment}: ${why}`, () => {
      const token = `${base}/${segment}`;
      assert.ok(shannonEntropy(token) > 4.5, 'the entropy alone would mask it');
      assert.equal(looksRandom(token), true);
      assert.equal(looksRandom(base), false, 'without it, a path');
    });
  }
});
