/**
 * Layer 3 of the masking (functions/core/secrets/entropy.ts: detect-secrets' limits with a
 * log's guards), the escape sequences stripped before detection (ansi.ts) and how ranges become
 * masks (ranges.ts). Entropies are worked out by hand (a text of n symbols each as frequent has
 * log2(n) bits a character) and the guards follow the file's own stated rules. Survivors of the
 * secrets group's mutation run (test/mutation/secrets.md).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {stripAnsi} from '../../functions/core/secrets/ansi.js';
import {
  looksRandom,
  randomTokenRanges,
  shannonEntropy,
} from '../../functions/core/secrets/entropy.js';
import {maskSecretsSync} from '../../functions/core/secrets/mask.js';
import {applyMasks, mergeRanges} from '../../functions/core/secrets/ranges.js';

const ESC = '\u001b';
// 33 different characters, each once: log2(33) ≈ 5.04 bits a character.
const RANDOM = 'Xk9fQ2mR7vLp3TzW8cYb1NaHdJ5sUeGo';

describe('entropy at the limits', () => {
  // Eight symbols twice (1/16 each, 4 bits) and sixteen once (1/32 each, 5 bits): 4.5 bits.
  const atBase64Limit = 'AABBCCDDaabbccddEFGHIJKLefgh0123';
  // Eight hex symbols, each six times: 3 bits, 48 characters (no identifier's length).
  const atHexLimit = '0123abcd'.repeat(6);

  it('computes them exactly', () => {
    assert.equal(shannonEntropy(atBase64Limit), 4.5);
    assert.equal(shannonEntropy(atHexLimit), 3);
  });

  it('a token exactly at a limit is not above it', () => {
    assert.equal(looksRandom(atBase64Limit), false);
    assert.equal(looksRandom(atHexLimit), false);
  });
});

describe('what looks random', () => {
  const cases: Array<[string, boolean, string]> = [
    ['3f9a1c7e5b2d8046f1a3', true, '20 hex characters of 16 symbols'],
    ['3f9a1c7e5b2d8046f1a', false, '19 hex characters are too short'],
    ['3f9a1c7e5b2d8046f1a3c5e7b9d0f2a4c6e8b0d2f4a6c8e0==', true, 'hex with padding'],
    ['Xk9fQ2mR7vLp3TzW8cY=', false, '19 characters before the padding'],
    ['0a0a0a0a0a0a0a0a0a0a0a', false, 'hex of two symbols (1 bit)'],
    ['20240502030011123456789', false, 'digits alone are a counter or a time'],
    ['aBcDeFAbCdEfaBcDeFAbCdEfaB', false, 'hex letters alone (12 symbols) are no hex secret'],
    ['q8zr2tv9xk4lm7npw3yb1cde6fg0hj5su', false, 'no capital (33 symbols)'],
    ['Q8ZR2TV9XK4LM7NPW3YB1CDE6FG0HJ5SU', false, 'no small letter (33 symbols)'],
    ['aBcDeFgHiJkLmNoPqRsTuVwXyZ', false, 'no digit (26 symbols)'],
    [RANDOM, true, 'all three classes, 33 symbols'],
    [`/home/ci/${RANDOM}`, true, 'a random segment after words'],
    [`/${'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789'}`, true, 'one segment is no path'],
  ];
  for (const [token, random, why] of cases) {
    it(`${why}: ${token}`, () => assert.equal(looksRandom(token), random));
  }
});

describe('which runs of a line are masked', () => {
  it('none in a line without a token', () =>
    assert.deepEqual(randomTokenRanges('nothing here'), []));

  it('a random run, exactly', () => {
    const line = `key ${RANDOM} end`;
    assert.deepEqual(randomTokenRanges(line), [{start: 4, end: 4 + RANDOM.length}]);
  });

  const cases: Array<[string, string, string]> = [
    // Published hashes at the start of a line.
    [
      'h1:q8Zr+T2v/X9kLm4nPw7YbC1dE6fG0hJ3sK5uV8wA=',
      'h1:q8Zr+T2v/X9kLm4nPw7YbC1dE6fG0hJ3sK5uV8wA=',
      'a Go sum first on the line',
    ],
    [
      'sha1:q8Zr+T2v/X9kLm4nPw7YbC1dE6fG0hJ3sK5uV8wA',
      'sha1:q8Zr+T2v/X9kLm4nPw7YbC1dE6fG0hJ3sK5uV8wA',
      'a sha1: digest first on the line',
    ],
    // A hash prefix is `sha…-`, `sha…:`, `md5-`, `md5:` or `h1:` just before the token.
    [`md5-ok ${RANDOM}`, 'md5-ok [masked]', 'md5- further back'],
    [`sha256 ${RANDOM}`, 'sha256 [masked]', 'sha256 and a space'],
    [`got md5 ${RANDOM}`, 'got md5 [masked]', 'md5 and a space'],
    [`Q2Fmsha256-${RANDOM}`, '[masked]', 'sha256- inside a token'],
    // Words of a path before a token are kept, the token is not.
    [
      `https://example.com/services/${RANDOM}`,
      'https://example.com/services/[masked]',
      'words of a URL path',
    ],
    [`GET /v1/tokens/${RANDOM} 200`, 'GET /v1/tokens/[masked] 200', 'words after a slash'],
    [`see ${RANDOM.slice(0, 16)}/abc/${RANDOM.slice(16)} x`, 'see [masked] x', 'a word inside'],
  ];
  for (const [line, expected, why] of cases) {
    it(why, () => assert.equal(maskSecretsSync(line), expected));
  }
});

describe('escape sequences', () => {
  const cases: Array<[string, string, string]> = [
    [`a${ESC}[mb`, 'ab', 'a CSI without parameters'],
    [`a${ESC}[2 qb`, 'ab', 'a CSI with an intermediate byte (cursor style)'],
    [`a${ESC}Mb`, 'ab', 'a two-byte escape (reverse index)'],
    [`a${ESC}]0;title\nb`, 'a\nb', 'an unterminated title stops at the line end'],
    [`a${ESC}]0;title${ESC}\\b`, 'ab', 'a title ended by ST'],
  ];
  for (const [text, expected, why] of cases) {
    it(why, () => assert.equal(stripAnsi(text), expected));
  }
});

describe('ranges and masks', () => {
  it('a mask is the text [masked]', () => {
    assert.equal(applyMasks('abcdef', [{start: 1, end: 3}]), 'a[masked]def');
  });

  it('ranges are sorted, joined when they touch or nest, empty ones dropped', () => {
    assert.deepEqual(
      mergeRanges([
        {start: 8, end: 9},
        {start: 0, end: 2},
        {start: 2, end: 4},
        {start: 5, end: 7},
        {start: 5, end: 6},
        {start: 3, end: 3},
        {start: 9, end: 8},
      ]),
      [
        {start: 0, end: 4},
        {start: 5, end: 7},
        {start: 8, end: 9},
      ],
    );
  });

  it('an empty range masks nothing', () => {
    assert.equal(applyMasks('abc', [{start: 1, end: 1}]), 'abc');
  });

  it('touching ranges are one mask', () => {
    assert.equal(
      applyMasks('abcdef', [
        {start: 2, end: 4},
        {start: 0, end: 2},
      ]),
      '[masked]ef',
    );
  });
});
