/**
 * Survivors of the secrets group's run of rules.ts and mask.ts with the first mutation test
 * files (test/mutation/secrets.md), each killed by a line written out as it must come out.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {findSecretRanges, maskSecretsSync} from '../../functions/core/secrets/mask.js';
import {applyMasks} from '../../functions/core/secrets/ranges.js';
import {
  isSecretKey,
  lineSecretRanges,
  privateKeyRanges,
} from '../../functions/core/secrets/rules.js';

const M = '[masked]';

function rules(line: string): string {
  return applyMasks(line, lineSecretRanges(line));
}

describe('layer 2, line by line', () => {
  const cases: Array<[string, string]> = [
    ['password=%s', 'password=%s'],
    ['pw: s3,/cr:et', `pw: ${M}`],
    ['password: ab:cd', `password: ${M}`],
    ['{"password": <not set>}', '{"password": <not set>}'],
    ['db_PASS=two words', `db_PASS=${M} words`],
    ['DB_Pass=two words', `DB_Pass=${M} words`],
    ['DB_PASS: abc, host: db', `DB_PASS: ${M}, host: db`],
    ['password=//s3cr3t', `password=${M}`],
    ['mariadbcheck -u root -pS3cret db', `mariadbcheck -u root -p${M} db`],
    ['run --password <hidden> x', 'run --password <hidden> x'],
    ['mysql -u root -p[REDACTED] db', 'mysql -u root -p[REDACTED] db'],
    ['mysql -u root -pS3,cr3t db', `mysql -u root -p${M} db`],
    ['curl -u  bob:pw1 https://x', `curl -u  bob:${M} https://x`],
    ['Authorization : Basic dXNlcjpwYXNz', `Authorization : Basic ${M}`],
    ['Authorization: 9f8e7d6c5b extra', `Authorization: ${M}`],
    ['sending Bearer  abc.defg now', `sending Bearer  ${M} now`],
    ['Bearer authentication is required', 'Bearer authentication is required'],
  ];
  for (const [line, expected] of cases) it(line, () => assert.equal(rules(line), expected));

  it('a key ending in a separator is read by its words', () => {
    assert.equal(isSecretKey('password_'), true);
    assert.equal(isSecretKey('api_key.'), true);
  });

  it('a line with nothing secret has no ranges', () => {
    assert.deepEqual(lineSecretRanges('nothing here'), []);
    assert.deepEqual(findSecretRanges('nothing here\nnor here'), []);
  });
});

describe('private keys, more edges', () => {
  const BEGIN = '-----BEGIN RSA PRIVATE KEY-----';
  const END = '-----END RSA PRIVATE KEY-----';
  const BODY = 'MIIEowIBAAKCAQEA1234';

  it('an END on the first line', () => {
    assert.deepEqual(privateKeyRanges([END, 'after']), [[0, {start: 0, end: 0}]]);
  });

  it('body lines with Windows line ends', () => {
    const lines = ['started', `${BODY}\r`, 'MIIEowIBAAKCAQEA5678\r', 'Q2Fm\r', END];
    assert.deepEqual(privateKeyRanges(lines), [
      [3, {start: 0, end: 5}],
      [2, {start: 0, end: 21}],
      [1, {start: 0, end: 21}],
      [4, {start: 0, end: 0}],
    ]);
  });

  it('the text stops inside a key: what follows the body stays', () => {
    const cut = [BEGIN, BODY, 'Q2Fm', 'done'];
    assert.deepEqual(privateKeyRanges(cut), [
      [0, {start: BEGIN.length, end: BEGIN.length}],
      [1, {start: 0, end: BODY.length}],
      [2, {start: 0, end: 4}],
    ]);
    for (const after of ['status:ok', 'log: DEK-Info: missing', 'next step done']) {
      assert.deepEqual(
        privateKeyRanges([BEGIN, BODY, after]),
        [
          [0, {start: BEGIN.length, end: BEGIN.length}],
          [1, {start: 0, end: BODY.length}],
        ],
        after,
      );
    }
    assert.deepEqual(privateKeyRanges([BEGIN, 'Done']), [
      [0, {start: BEGIN.length, end: BEGIN.length}],
    ]);
  });
});

describe('lines after the first', () => {
  it('a secret on a later line is masked to its own end', () => {
    assert.equal(maskSecretsSync('ok\npassword=hunter2 now'), 'ok\npassword=[masked] now');
  });
});
