/**
 * More of layer 2's edges (functions/core/secrets/rules.ts), written out by hand like
 * secrets-mutation-rules.test.ts: a secret reference that is a URL, a value ending in a
 * backslash inside escaped JSON, a placeholder with spaces around it, environment lines.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {applyMasks} from '../../functions/core/secrets/ranges.js';
import {lineSecretRanges} from '../../functions/core/secrets/rules.js';

const M = '[masked]';

function rules(line: string): string {
  return applyMasks(line, lineSecretRanges(line));
}

describe('more pairs', () => {
  const cases: Array<[string, string]> = [
    // `pass://…` (a Proton Pass reference) is a URL, not the key `pass` and its value.
    ['pass-cli item view pass://Work/Postgres', 'pass-cli item view pass://Work/Postgres'],
    ['pw: abc,host: db', `pw: ${M},host: db`],
    // A password ending in a backslash, escaped twice (JSON inside JSON).
    [String.raw`{\"token\":\"ab\\\\\"}`, String.raw`{\"token\":\"${M}\"}`],
    ['password=" none " x', 'password=" none " x'],
    ['DB_PASS=pa ss"word', `DB_PASS=${M}`],
    ['DB_PASS=\\"x y\\" z', `DB_PASS=\\"${M}\\" z`],
    ['+DB_PASS=two words', `+DB_PASS=${M}`],
    ['+ export DB_PASS=two words', `+ export DB_PASS=${M}`],
  ];
  for (const [line, expected] of cases) it(line, () => assert.equal(rules(line), expected));
});
