/**
 * `npx cronjob-watcher` in the CLI tests uses this test run's own npm cache, never the user's
 * `~/.npm`: npx links the checkout into the cache's `_npx` folder, which two test runs (or two
 * checkouts) on one machine would otherwise share while one of them writes it.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {cliEnv, runCli, shown} from './helpers.js';

describe('the CLI tests’ npm cache', () => {
  it('is a temp dir of this run, whatever npm_config_cache the tests were started with', () => {
    const inherited = process.env.npm_config_cache;
    const upper = process.env.NPM_CONFIG_CACHE;
    process.env.npm_config_cache = path.join(os.homedir(), '.npm');
    process.env.NPM_CONFIG_CACHE = path.join(os.homedir(), '.npm');
    try {
      const env = cliEnv();
      const cache = env.npm_config_cache ?? '';
      assert.ok(cache.startsWith(os.tmpdir() + path.sep), cache);
      assert.equal(env.NPM_CONFIG_CACHE, undefined, 'no second spelling overrides it');
      assert.equal(cliEnv().npm_config_cache, cache, 'one cache for the whole run');
    } finally {
      if (inherited === undefined) delete process.env.npm_config_cache;
      else process.env.npm_config_cache = inherited;
      if (upper === undefined) delete process.env.NPM_CONFIG_CACHE;
      else process.env.NPM_CONFIG_CACHE = upper;
    }
  });

  it('is where npx links the checkout', async () => {
    const cache = cliEnv().npm_config_cache as string;
    assert.equal(existsSync(path.join(cache, '_npx')), false);
    const result = await runCli(['--version'], {via: 'npx'});
    assert.equal(result.code, 0, shown(result));
    assert.match(result.stdout, /^cronjob-watcher \d+\.\d+\.\d+\n$/);
    assert.ok(existsSync(path.join(cache, '_npx')), 'npx used another cache');
  });
});
