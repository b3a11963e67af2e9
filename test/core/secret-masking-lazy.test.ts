/**
 * The function module does not pay for secretlint until an excerpt is masked: importing the
 * masking module resolves no `@secretlint/*` module, the first masking does. Nothing in this
 * file imports the masking module statically, so this process starts without it.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {registerHooks} from 'node:module';

describe('secretlint is loaded lazily', () => {
  it('not on import, once on first use', async () => {
    const resolved: string[] = [];
    registerHooks({
      resolve(specifier, context, nextResolve) {
        if (specifier.startsWith('@secretlint/')) resolved.push(specifier);
        return nextResolve(specifier, context);
      },
    });
    const {maskSecrets} = await import('../../functions/mask-secrets.js');
    assert.equal(resolved.length, 0, resolved.join());
    assert.equal(await maskSecrets('nothing here'), 'nothing here');
    assert.ok(resolved.includes('@secretlint/core'), resolved.join());
    assert.ok(resolved.includes('@secretlint/secretlint-rule-preset-recommend'), resolved.join());
    const afterFirst = resolved.length;
    await maskSecrets('again');
    assert.equal(resolved.length, afterFirst, 'loaded once');
  });
});
