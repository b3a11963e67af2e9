/**
 * Paths of words are no secret however many different letters they hold: a capital that starts
 * a word is part of it, so short capitalised segments (`/Db/`, `/Vm/`, `/Api/`) keep a path a
 * path (they made the entropy layer mask it). Each path below holds more than 4.5 bits a
 * character, all three classes and a slash, so only the path rule decides; the segments put
 * each class's first and last character where a wrong class would add a switch.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {looksRandom, shannonEntropy} from '../../functions/core/secrets/entropy.js';
import {maskSecretsSync} from '../../functions/core/secrets/mask.js';

describe('paths of words stay', () => {
  const lines = [
    'cp /var/lib/Jenkins/Workspace/QuickBuild7/Fix/Deploy/Zygote/Vm/ x',
    'open /mnt/Backup2024/QuickFixJobs/Vault/Zephyr/Wildcard/Db',
    'read /srv/Backup1990/Api/Lazy/Zip/Win95/Jobs/QuickFox/Wax/Dvm/Yeti/Gk',
  ];
  for (const line of lines) it(line, () => assert.equal(maskSecretsSync(line), line));
});

describe('a segment is words when it switches class at most once in four characters', () => {
  const base = '/opt/JenkinsHome/Workspace/QuickBuild7/Fix/Deploy/Zygote/Vm/Max';
  const cases: Array<[string, boolean, string]> = [
    ['', false, 'capitals that start words'],
    ['Build2go', false, 'two switches in eight characters'],
    ['Deploy1a2', true, 'three switches in nine characters'],
    ['AbcDefGhi', false, 'two words after the first, in nine characters'],
    ['AbcDefGhiJk', true, 'three words after the first, in eleven characters'],
    ['Api', false, 'A starts a word'],
    ['Lazy', false, 'a and z are small letters'],
    ['Zip', false, 'Z starts a word'],
    ['Win95', false, '9 is a digit'],
    ['Backup1990', false, '0 is a digit'],
  ];
  for (const [segment, random, why] of cases) {
    const token = segment === '' ? base : `${base}/${segment}`;
    it(`${why}: ${segment}`, () => {
      assert.ok(shannonEntropy(token) > 4.5, 'the entropy alone would mask it');
      assert.equal(looksRandom(token), random);
    });
  }
});
