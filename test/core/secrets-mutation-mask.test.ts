/**
 * How masking.ts puts the layers together: lines of a longer text, escape sequences on lines
 * with and without a secret, and vendor ranges (cut to the value after the last separator when
 * one line, widened to the whole token, dropped when the rules already masked what they hold).
 * Expected texts are written out from those rules. Survivors of the secrets group's mutation
 * run (test/mutation/secrets.md).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {maskSecretsSync} from '../../functions/core/secrets/mask.js';
import type {SecretRange} from '../../functions/core/secrets/ranges.js';

const ESC = '\u001b';

/** The range of `part` (its first occurrence from `from`) in `text`. */
function at(text: string, part: string, from = 0): SecretRange {
  const start = text.indexOf(part, from);
  assert.ok(start >= 0, part);
  return {start, end: start + part.length};
}

describe('lines of a text', () => {
  const cases: Array<[string, string, string]> = [
    ['\npassword=hunter2', '\npassword=[masked]', 'after an empty first line'],
    ['ok\npassword=hunter2\nfine', 'ok\npassword=[masked]\nfine', 'between two lines'],
    ['password=hunter2\n\ntoken=abc\nend', 'password=[masked]\n\ntoken=[masked]\nend', 'two lines'],
    [
      `${ESC}[32mINFO${ESC}[0m start\npassword=${ESC}[1mhunter2${ESC}[0m`,
      `${ESC}[32mINFO${ESC}[0m start\npassword=[masked]`,
      'a line without a secret keeps its colours, the one with loses them',
    ],
  ];
  for (const [text, expected, why] of cases) {
    it(why, () => assert.equal(maskSecretsSync(text), expected));
  }
});

describe('vendor ranges', () => {
  const oneLine: Array<[string, string, string]> = [
    // The value after the last separator of what the vendor reported.
    ['conf K:v1x', 'K:v1x', 'conf K:[masked]'],
    ['conf K v1x', 'K v1x', 'conf K [masked]'],
    ['conf K"v1x', 'K"v1x', 'conf K"[masked]'],
    ["conf K'v1x", "K'v1x", "conf K'[masked]"],
    ['conf A=B:v1x', 'A=B:v1x', 'conf A=B:[masked]'],
    ['conf K=v1x', '=v1x', 'conf K=[masked]'],
    // Nothing after the separator: what was reported, to its token.
    ['x token=', 'token=', 'x [masked]'],
    // Widened to the whole token, padding included.
    ['key q8Zr+T2v/X9kL== end', 'T2v', 'key [masked] end'],
  ];
  for (const [line, part, expected] of oneLine) {
    it(`${part} in ${line}`, () => assert.equal(maskSecretsSync(line, [at(line, part)]), expected));
  }

  it('a range that only touches a rule’s range is masked itself', () => {
    const line = 'dsn=postgres://app:pw@db';
    const vendor = {start: line.indexOf('postgres'), end: line.indexOf('pw')};
    assert.equal(maskSecretsSync(line, [vendor]), 'dsn=[masked]@db');
    const line2 = 'pw=abc https://x.io';
    assert.equal(
      maskSecretsSync(line2, [{start: 6, end: line2.length}]),
      'pw=[masked]',
      'a range from the end of the rule’s value, widened back over it',
    );
  });

  it('a key the rules masked keeps its markers', () => {
    const text =
      'a\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\nb';
    const vendor = {start: 2, end: text.length - 2};
    assert.equal(
      maskSecretsSync(text, [vendor]),
      'a\n-----BEGIN RSA PRIVATE KEY-----\n[masked]\n-----END RSA PRIVATE KEY-----\nb',
    );
  });

  it('a range over several lines is masked line by line, not cut', () => {
    const text = 'x=1\nsecretline\nafter';
    assert.equal(maskSecretsSync(text, [at(text, 'x=1\nsecretline')]), '[masked]\n[masked]\nafter');
  });

  it('ranges of a text with escape sequences are ranges of the text without them', () => {
    const text = `${ESC}[31mkey${ESC}[0m v1x ok`;
    assert.equal(maskSecretsSync(text, [{start: 4, end: 7}]), 'key [masked] ok');
  });
});
