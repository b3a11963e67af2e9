/**
 * A line that is one variable, its name in quotes (`"DB_PASS"=two words`, as some tools print a
 * map): the value runs to the end of the line, as for `DB_PASS=two words`. Masking only the
 * first word would leave the rest of a password with a space in it on show.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {maskSecretsSync} from '../../functions/core/secrets/mask.js';

describe('a variable whose name is quoted, alone on its line', () => {
  const cases: Array<[string, string]> = [
    ['"DB_PASS"=two words', '"DB_PASS"=[masked]'],
    ["'API_TOKEN'=abc def ghi", "'API_TOKEN'=[masked]"],
    ['+ "DB_PASS"=two words', '+ "DB_PASS"=[masked]'],
    // Not alone on its line: the value is one word, as for an unquoted name.
    ['run "DB_PASS"=two words', 'run "DB_PASS"=[masked] words'],
  ];
  for (const [line, expected] of cases)
    it(line, () => assert.equal(maskSecretsSync(line), expected));
});
