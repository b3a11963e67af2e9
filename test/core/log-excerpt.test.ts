/** Tables for the log excerpt: which container, how much is kept, what is masked. */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  excerptOf,
  LOG_EXCERPT_MAX_CHARS,
  LOG_LIMIT_BYTES,
  logTargetOf,
} from '../../functions/core/log-excerpt.js';
import type {PodInfo} from '../../functions/core/model.js';
import {maskSecrets} from '../../functions/mask-secrets.js';
import {at} from './builders.js';

// What used to be the excerpt's own masking table, through the masking every excerpt now gets
// (all three layers, before the excerpt is cut): what names a secret stays, the value goes.
describe('masking of log lines', () => {
  const cases: Array<[string, string, string]> = [
    ['connecting with password=hunter2 now', 'connecting with password=[masked] now', 'password='],
    ['DB_PASSWORD="s3cr3t words"', 'DB_PASSWORD="[masked]"', 'a quoted value, a prefixed key'],
    ['token=abc123&user=x', 'token=[masked]&user=x', 'stops at &'],
    ['githubToken: ghp_abcdef', 'githubToken: [masked]', 'key: value'],
    ['api_key=AKIA0000', 'api_key=[masked]', 'api_key'],
    ['Authorization: Bearer abc.def.ghi', 'Authorization: Bearer [masked]', 'the scheme stays'],
    [
      'curl -H "authorization: Basic dXNlcjpwYXNz"',
      'curl -H "authorization: Basic [masked]"',
      'lower case, up to the closing quote',
    ],
    ['sending Bearer eyJhbGciOiJIUzI1NiJ9.x.y', 'sending Bearer [masked]', 'a bare bearer token'],
    [
      'slack xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx done',
      'slack [masked] done',
      'a Slack bot token, whole',
    ],
    [
      'xoxp-1234567890-1234567890-1234567890123-0123456789abcdef0123456789abcdef and more',
      '[masked] and more',
      'a Slack user token',
    ],
    ['DB_PASS=two words', 'DB_PASS=[masked]', 'an environment line: the value runs to its end'],
    ['+ export API_TOKEN=a b c ', '+ export API_TOKEN=[masked] ', 'set -x output'],
    ['nothing secret here: 42 rows', 'nothing secret here: 42 rows', 'an ordinary line'],
  ];
  for (const [line, expected, why] of cases) {
    it(why, async () => {
      assert.equal(await maskSecrets(line), expected);
    });
  }

  it('a private key: its markers stay, its body goes', async () => {
    const lines = [
      'loading key',
      '-----BEGIN RSA PRIVATE KEY-----',
      'MIIEowIBAAKCAQEA',
      '-----END RSA PRIVATE KEY-----',
      'done',
    ];
    assert.equal(
      await maskSecrets(lines.join('\n')),
      [lines[0], lines[1], '[masked]', lines[3], lines[4]].join('\n'),
    );
  });

  it('the part of a key whose header fell before the excerpt', async () => {
    assert.equal(
      await maskSecrets('MIIEowIBAAKCAQEA\n-----END PRIVATE KEY-----\nafter'),
      '[masked]\n-----END PRIVATE KEY-----\nafter',
    );
  });
});

describe('excerptOf', () => {
  const target = {pod: 'p', container: 'main'};

  it('keeps the last N lines, without the trailing newline', () => {
    const got = excerptOf(target, 'a\nb\nc\nd\n', 2, 8);
    assert.deepEqual(got, {
      pod: 'p',
      container: 'main',
      text: 'c\nd',
      cut: false,
      unavailable: null,
    });
  });

  it('CRLF line ends read as lines', () => {
    assert.equal(excerptOf(target, 'a\r\nb\r\n', 5, 6).text, 'a\nb');
  });

  it('drops older lines to fit, measured as Slack counts escaped text, and says so', () => {
    // Each line is 100 ampersands: 500 characters once escaped.
    const line = '&'.repeat(100);
    const raw = Array.from({length: 10}, () => line).join('\n');
    const got = excerptOf(target, raw, 10, raw.length);
    const kept = Math.floor((LOG_EXCERPT_MAX_CHARS + 1) / 501);
    assert.equal(got.text?.split('\n').length, kept);
    assert.equal(got.cut, true);
  });

  it('cuts a very long line to 400 characters', () => {
    const got = excerptOf(target, 'x'.repeat(5000), 1, 5000);
    assert.equal(got.text, `${'x'.repeat(399)}…`);
  });

  it('a log that filled limitBytes is marked cut', () => {
    assert.equal(excerptOf(target, 'a\nb', 5, LOG_LIMIT_BYTES).cut, true);
  });

  it('an empty log says so instead of showing an empty block', () => {
    assert.deepEqual(excerptOf(target, '\n', 5, 1).unavailable, {reason: 'empty', detail: null});
    assert.equal(excerptOf(target, '', 5, 0).text, null);
  });
});

describe('logTargetOf: the last attempt, the container that failed', () => {
  function pod(name: string, minute: number, terminations: PodInfo['terminations']): PodInfo {
    return {
      namespace: 'batch',
      name,
      jobUid: 'j',
      jobName: 'job',
      phase: 'Failed',
      reason: null,
      message: null,
      terminations,
      waiting: [],
      unschedulable: null,
      restarts: 0,
      createdAt: at(minute),
    };
  }
  const failedMain = {container: 'main', reason: 'Error', exitCode: 1, message: null};
  const cleanSidecar = {container: 'sidecar', reason: 'Completed', exitCode: 0, message: null};
  const oom = {container: 'worker', reason: 'OOMKilled', exitCode: 137, message: null};

  it('the newest Pod with a failed container', () => {
    const pods = [pod('old', 1, [failedMain]), pod('new', 5, [cleanSidecar, oom])];
    assert.deepEqual(logTargetOf(pods), {pod: 'new', container: 'worker'});
  });
  it('skips a newer Pod whose containers did not fail (evicted before starting)', () => {
    const pods = [pod('failed', 1, [failedMain]), pod('evicted', 5, [])];
    assert.deepEqual(logTargetOf(pods), {pod: 'failed', container: 'main'});
  });
  it('none when no container failed', () => {
    assert.equal(logTargetOf([pod('ok', 1, [cleanSidecar])]), null);
    assert.equal(logTargetOf([]), null);
  });
});
