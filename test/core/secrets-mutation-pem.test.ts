/**
 * Private keys in a log (functions/core/secrets/rules.ts, privateKeyRanges): the body between a
 * BEGIN and an END marker; where the text starts inside a key, the body lines just above the END
 * (the last one may be short, a word alone is no body); where it stops inside one, the body
 * lines after the BEGIN and no further. Expected ranges are written out per line. Survivors of
 * the secrets group's mutation run (test/mutation/secrets.md).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {maskSecretsSync} from '../../functions/core/secrets/mask.js';
import {privateKeyRanges} from '../../functions/core/secrets/rules.js';

const BEGIN = '-----BEGIN RSA PRIVATE KEY-----';
const END = '-----END RSA PRIVATE KEY-----';
const BODY = 'MIIEowIBAAKCAQEA1234';

/** Whole lines `i…` as privateKeyRanges reports them. */
function whole(
  lines: string[],
  ...indexes: number[]
): Array<[number, {start: number; end: number}]> {
  return indexes.map(i => [i, {start: 0, end: lines[i]!.length}]);
}

describe('markers', () => {
  it('a PGP key block', () => {
    const text = [
      '-----BEGIN PGP PRIVATE KEY BLOCK-----',
      'lQOYBF0aaaaBCAC',
      '-----END PGP PRIVATE KEY BLOCK-----',
    ].join('\n');
    assert.equal(
      maskSecretsSync(text),
      '-----BEGIN PGP PRIVATE KEY BLOCK-----\n[masked]\n-----END PGP PRIVATE KEY BLOCK-----',
    );
  });

  it('a PKCS #8 key and what follows its END', () => {
    const text = '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\nafter';
    assert.equal(
      maskSecretsSync(text),
      '-----BEGIN PRIVATE KEY-----\n[masked]\n-----END PRIVATE KEY-----\nafter',
    );
  });

  it('a whole key on one line (JSON), its body only', () => {
    const line = `{"pem":"${BEGIN}\\nabc\\n${END}\\n"}`;
    assert.equal(maskSecretsSync(line), `{"pem":"${BEGIN}[masked]${END}\\n"}`);
  });

  it('body on the markers’ own lines', () => {
    const lines = [`${BEGIN} abc`, 'def', `ghi ${END} tail`];
    assert.deepEqual(privateKeyRanges(lines), [
      [0, {start: BEGIN.length, end: BEGIN.length + 4}],
      [1, {start: 0, end: 3}],
      [2, {start: 0, end: 4}],
    ]);
  });

  it('an END before a BEGIN on one line: the text starts in one key and opens the next', () => {
    const lines = [`abc\\n${END}\\n${BEGIN}\\ndef`];
    const from = lines[0]!.indexOf(BEGIN) + BEGIN.length;
    assert.deepEqual(privateKeyRanges(lines), [[0, {start: from, end: lines[0]!.length}]]);
  });
});

describe('the text starts inside a key', () => {
  it('body lines from the first line', () => {
    const lines = [BODY, 'Q2FmZQ==', END, 'after'];
    assert.deepEqual(privateKeyRanges(lines), [...whole(lines, 1, 0), [2, {start: 0, end: 0}]]);
  });

  it('a body line is 16 base64 characters or more, after a log prefix too', () => {
    const lines = [
      'started',
      'ABCDEFGHIJKLMNO',
      'ABCDEFGHIJKLMNOP',
      '2024-05-01T03:00:11Z stdout F MIIEowIBAAKCAQEA',
      'Q2Fm',
      END,
    ];
    assert.deepEqual(privateKeyRanges(lines), [...whole(lines, 4, 3, 2), [5, {start: 0, end: 0}]]);
  });

  it('only the line just above the END may be short', () => {
    const lines = ['Q2Fm', 'Q2Fm', END];
    assert.deepEqual(privateKeyRanges(lines), [...whole(lines, 1), [2, {start: 0, end: 0}]]);
  });
});

describe('the text stops inside a key', () => {
  it('body lines, a short last one, then the log going on', () => {
    const lines = ['x', BEGIN, 'b3BlbnNzaC1rZXktdjEAAAAA', 'QUJD', 'next step done', BODY];
    assert.deepEqual(privateKeyRanges(lines), [
      [1, {start: BEGIN.length, end: BEGIN.length}],
      ...whole(lines, 2, 3),
    ]);
  });

  it('a body line with padding, and the headers of an encrypted key', () => {
    const lines = [
      BEGIN,
      'Proc-Type: 4,ENCRYPTED',
      'DEK-Info: AES-128-CBC,3F17F5316E2BAC89',
      BODY,
      'QUJDREVGR0hJSktMTU5PUA==',
      'done.',
    ];
    assert.deepEqual(privateKeyRanges(lines), [
      [0, {start: BEGIN.length, end: BEGIN.length}],
      ...whole(lines, 1, 2, 3, 4),
    ]);
  });

  it('no body at all', () => {
    const lines = [BEGIN, 'next step done'];
    assert.deepEqual(privateKeyRanges(lines), [[0, {start: BEGIN.length, end: BEGIN.length}]]);
  });

  it('a line with more than the body is no body', () => {
    const lines = [BEGIN, `${BODY} and more`, BODY];
    assert.deepEqual(privateKeyRanges(lines), [[0, {start: BEGIN.length, end: BEGIN.length}]]);
  });
});
