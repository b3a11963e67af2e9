/**
 * A key cut short whose BEGIN line carries the first of its body (`-----BEGIN … KEY----- MIIE…`,
 * as a log line may show it): the short line after it is the last of the body, as it is after
 * a body line; it was left visible.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {maskSecretsSync} from '../../functions/core/secrets/mask.js';
import {privateKeyRanges} from '../../functions/core/secrets/rules.js';

const BEGIN = '-----BEGIN RSA PRIVATE KEY-----';
const BODY = 'MIIEowIBAAKCAQEA1234';

describe('a key cut after its BEGIN line', () => {
  it('the short last line after a BEGIN line that ends in body is masked', () => {
    const first = `${BEGIN} ${BODY}`;
    assert.deepEqual(privateKeyRanges([first, 'Q2Fm', 'done']), [
      [0, {start: BEGIN.length, end: first.length}],
      [1, {start: 0, end: 4}],
    ]);
    assert.equal(maskSecretsSync(`${first}\nQ2Fm\ndone`), `${BEGIN}[masked]\n[masked]\ndone`);
  });

  it('after a bare BEGIN line, a word alone is the log going on', () => {
    assert.equal(maskSecretsSync(`${BEGIN}\nDone`), `${BEGIN}\nDone`);
  });
});
