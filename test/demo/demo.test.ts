/** `npm run demo` honours MESSAGE_LANGUAGE, through the function's own parser. */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import path from 'node:path';
import {cliEnv, REPO_ROOT, shown, type CliResult} from '../cli/helpers.js';

const DEMO = path.join(REPO_ROOT, 'build', 'test', 'demo', 'demo.js');

function demo(language: string | undefined): Promise<CliResult> {
  return new Promise(resolve => {
    execFile(
      process.execPath,
      [DEMO],
      {env: cliEnv({MESSAGE_LANGUAGE: language}), encoding: 'utf8', timeout: 110_000},
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
          stdout,
          stderr,
        }),
    );
  });
}

describe('npm run demo', () => {
  it('MESSAGE_LANGUAGE=ja: the messages are in Japanese', async () => {
    const result = await demo('ja');
    assert.equal(result.code, 0, shown(result));
    assert.match(result.stdout, /backups\/db-backup が失敗しました/);
    assert.match(result.stdout, /data\/queue-drain が19分59秒実行中です/);
    assert.match(result.stdout, /search\/reindex が7秒で終了しました/);
    assert.doesNotMatch(result.stdout, /backups\/db-backup failed/);
  });

  it('by default: in English', async () => {
    const result = await demo(undefined);
    assert.equal(result.code, 0, shown(result));
    assert.match(result.stdout, /backups\/db-backup failed: /);
    // One of each duration detection, and the recent runs they learnt from.
    assert.match(result.stdout, /🐢 data\/queue-drain running 19m 59s, usually 59s · demo-cluster/);
    assert.match(result.stdout, /⚠️ search\/reindex finished in 7s, usually 2m 59s · demo-cluster/);
    assert.match(result.stdout, /Recent runs: (✅ ){12}✅ · usually 2m 59s/);
    assert.match(result.stdout, /✅ data\/queue-drain finished after 23m 59s \(usually 59s\)/);
  });

  it('a language it does not have: one line, exit 1', async () => {
    const result = await demo('fr');
    assert.equal(result.code, 1, shown(result));
    assert.equal(
      result.stderr,
      'configuration error: MESSAGE_LANGUAGE must be one of en, ja, e.g. MESSAGE_LANGUAGE=ja; got "fr"\n',
    );
  });
});
