/**
 * Secret masking (issue 26, part 1): every secret of the corpus in `test/fixtures/secrets/`
 * vanishes, every benign line stays byte for byte, and the rules keep what names a secret.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {looksRandom, shannonEntropy} from '../../functions/core/secrets/entropy.js';
import {MASK, maskSecretsSync, stripAnsi} from '../../functions/core/secrets/mask.js';
import {isSecretKey} from '../../functions/core/secrets/rules.js';
import {maskSecrets} from '../../functions/mask-secrets.js';
import {benignCorpus, secretCorpus} from './secrets-corpus.js';

const ESC = '\u001b';

describe('the secret corpus', () => {
  const cases = secretCorpus();

  it('covers at least 60 lines and every shape once', () => {
    assert.ok(cases.length >= 60, `${cases.length} lines`);
    assert.equal(new Set(cases.map(c => c.shape)).size, cases.length);
    for (const c of cases) {
      assert.ok(c.secrets.length > 0, c.shape);
      for (const secret of c.secrets) assert.ok(c.line.includes(secret), `${c.shape}: ${secret}`);
    }
  });

  for (const c of cases) {
    it(`masks ${c.shape}`, async () => {
      const masked = await maskSecrets(c.line);
      for (const secret of c.secrets) {
        assert.ok(!masked.includes(secret), `${secret} survived in ${masked}`);
        // No part of a secret longer than a few characters survives either.
        for (let i = 0; i + 8 <= secret.length; i++) {
          const piece = secret.slice(i, i + 8);
          if (!c.line.replace(secret, '').includes(piece)) {
            assert.ok(!masked.includes(piece), `${piece} of ${secret} survived in ${masked}`);
          }
        }
      }
      assert.ok(masked.includes(MASK), masked);
      assert.equal(masked.split('\n').length, c.line.split('\n').length, 'lines are kept');
    });
  }
});

describe('the benign corpus', () => {
  const lines = benignCorpus();

  it('has at least 60 lines', () => assert.ok(lines.length >= 60, `${lines.length} lines`));

  it('comes out byte for byte, line by line', async () => {
    for (const line of lines) assert.equal(await maskSecrets(line), line);
  });

  it('comes out byte for byte as one text', async () => {
    const text = lines.join('\n');
    assert.equal(await maskSecrets(text), text);
  });

  it('keeps the benign lines of a text that holds a secret', async () => {
    const text = [...lines.slice(0, 30), 'DB_PASS=Zq8rT2vX9kLm4nPw', ...lines.slice(30)].join('\n');
    const expected = [...lines.slice(0, 30), `DB_PASS=${MASK}`, ...lines.slice(30)].join('\n');
    assert.equal(await maskSecrets(text), expected);
  });
});

describe('the generic rules keep what names a secret', () => {
  const cases: Array<[string, string, string]> = [
    ['password=hunter2 now', `password=${MASK} now`, 'key=value stops at a space'],
    ['DB_PASSWORD="s3cr3t words" next', `DB_PASSWORD="${MASK}" next`, 'a quoted value'],
    ['token=abc123&user=x', `token=${MASK}&user=x`, 'a query string'],
    ['DB_PASS=two words', `DB_PASS=${MASK}`, 'a line that is one variable runs to its end'],
    ['  export DB_PASS=two words ', `  export DB_PASS=${MASK} `, 'an exported variable'],
    ['+ DB_PASS=two words', `+ DB_PASS=${MASK}`, 'set -x output'],
    [
      'run DB_PASS=two words',
      `run DB_PASS=${MASK} words`,
      'a variable inside a line stops at a space',
    ],
    ['password: a b c', `password: ${MASK}`, 'key: value runs to the end'],
    ['pw: abc def, host: db', `pw: ${MASK}, host: db`, 'key: value stops at the next pair'],
    ['{"secret": 12345678}', `{"secret": ${MASK}}`, 'an unquoted JSON value'],
    ['{\\"token\\":\\"a b\\"}', `{\\"token\\":\\"${MASK}\\"}`, 'escaped JSON'],
    ["{'api_key': 'k-123456'}", `{'api_key': '${MASK}'}`, 'a Python dict'],
    [
      'AccountName=a;AccountKey=abc+def==;Suffix=x',
      `AccountName=a;AccountKey=${MASK};Suffix=x`,
      'Azure',
    ],
    ['mysql -u root -pS3cret db', `mysql -u root -p${MASK} db`, 'mysql -pX'],
    ['mysql -u root -p db', 'mysql -u root -p db', 'mysql -p alone prompts'],
    ['run --password X1 --user bob', `run --password ${MASK} --user bob`, '--password X'],
    ['run --api-key="a b"', `run --api-key="${MASK}"`, '--api-key="…"'],
    ['curl -u bob:pw1 https://x', `curl -u bob:${MASK} https://x`, 'curl -u'],
    ['docker run -u 1000:1000 img', 'docker run -u 1000:1000 img', '-u of docker'],
    [
      'Authorization: Basic dXNlcjpwYXNz',
      `Authorization: Basic ${MASK}`,
      'an Authorization header',
    ],
    ['"authorization":"tok123456"', `"authorization":"${MASK}"`, 'a bare Authorization value'],
    ['sending Bearer abc.def.ghi', `sending Bearer ${MASK}`, 'a bare bearer token'],
    ['Cookie: a=1x; b=2y', `Cookie: a=${MASK}; b=${MASK}`, 'a Cookie header'],
    ['Set-Cookie: s=9z; Path=/; Secure', `Set-Cookie: s=${MASK}; Path=/; Secure`, 'Set-Cookie'],
    ['redis://:pw9@r:6379', `redis://:${MASK}@r:6379`, 'a password-only URL'],
    ['ssh://git@github.com/a/b', 'ssh://git@github.com/a/b', 'a user alone'],
    ['at https://u:p@ss@h/x', `at https://u:${MASK}@h/x`, 'an @ in a password'],
    ['slack xoxb-1234-5678-abcdef done', `slack ${MASK} done`, 'a Slack token'],
    ['password=[REDACTED] x=1', 'password=[REDACTED] x=1', 'a placeholder'],
    ['password: ${DB_PASSWORD}', 'password: ${DB_PASSWORD}', 'a variable'],
    ['secretName: db-creds', 'secretName: db-creds', 'a name of a Secret'],
  ];
  for (const [line, expected, why] of cases) {
    it(why, () => assert.equal(maskSecretsSync(line), expected));
  }

  it('tells secret keys from ordinary ones', () => {
    const secret = ['DB_PASS', 'PGPASSWORD', 'clientSecret', 'x-api-key', 'AccountKey', 'sig'];
    const ordinary = ['prompt_tokens', 'token_ttl', 'secretName', 'PWD', 'password_file', 'key'];
    for (const key of secret) assert.ok(isSecretKey(key), key);
    for (const key of ordinary) assert.ok(!isSecretKey(key), key);
  });
});

describe('private keys', () => {
  it('masks the body between the markers, which stay', () => {
    const text =
      'a\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIA\nxyz\n-----END EC PRIVATE KEY-----\nb';
    assert.equal(
      maskSecretsSync(text),
      `a\n-----BEGIN EC PRIVATE KEY-----\n${MASK}\n${MASK}\n-----END EC PRIVATE KEY-----\nb`,
    );
  });

  it('masks the body above an END when the text starts inside the key', () => {
    const text = 'started\nMIIEowIBAAKCAQEA1234\nQ2FmZQ==\n-----END PRIVATE KEY-----\nafter';
    assert.equal(
      maskSecretsSync(text),
      `started\n${MASK}\n${MASK}\n-----END PRIVATE KEY-----\nafter`,
    );
  });

  it('masks the body after a BEGIN when the text stops inside the key', () => {
    const text = 'x\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nQUJD';
    assert.equal(maskSecretsSync(text), `x\n-----BEGIN OPENSSH PRIVATE KEY-----\n${MASK}\n${MASK}`);
  });
});

describe('escape sequences', () => {
  it('a line without a secret keeps them', () => {
    const line = `${ESC}[32mINFO${ESC}[0m started ${ESC}]0;title${ESC}\\`;
    assert.equal(maskSecretsSync(line), line);
  });

  it('a line with a secret is masked without them', () => {
    const line = `${ESC}[36mcfg${ESC}[0m password=${ESC}[1mhunter2${ESC}[22m ok`;
    assert.equal(maskSecretsSync(line), `cfg password=${MASK} ok`);
  });

  it('stripAnsi removes colour, cursor and title sequences', () => {
    assert.equal(stripAnsi(`${ESC}[1;31mA${ESC}[2KB${ESC}]0;t${ESC}\\C${ESC}]2;u\u0007D`), 'ABCD');
  });
});

describe('the entropy check', () => {
  it('computes Shannon entropy in bits per character', () => {
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abcd'), 2);
    assert.equal(shannonEntropy('aabb'), 1);
  });

  const kept: Array<[string, string]> = [
    ['3f786850e387550fdab836ed7e6dc881de23001b', 'a git commit (40 hex)'],
    ['4bf92f3577b34da6a3ce929d0e0e4736', 'a trace ID (32 hex)'],
    ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'a digest (64 hex)'],
    ['507f1f77bcf86cd799439011', 'an ObjectId (24 hex)'],
    ['5a0e8a6b-4c1f-4a8e-9d2b-3f1e7c6a9b0d', 'a UUID'],
    ['nightly-load-28573620-x7k2p', 'a Pod name'],
    ['AbstractAutowireCapableBeanFactory', 'a class name'],
    ['/home/ci/MyService2/src/main/Handler', 'a path of words'],
    ['20240502T030011Z', 'a timestamp'],
    ['aGVsbG8gd29ybGQ=', 'short base64'],
  ];
  for (const [token, why] of kept) {
    it(`leaves ${why}`, () => assert.ok(!looksRandom(token)));
  }

  const masked: Array<[string, string]> = [
    ['Xk9fQ2mR7vLp3TzW8cYb1NaHdJ5sUeGo', 'random base64 (32)'],
    ['q8Zr+T2v/X9kLm4nPw7YbC1dE6fG0hJ3sK5uV8wA', 'random base64 with + and /'],
    ['3f9a1c7e5b2d8046f1a3c5e7b9d0f2a4c6e8b0d2f4a6c8e0', 'hex of no ID length (48)'],
  ];
  for (const [token, why] of masked) {
    it(`masks ${why}`, () => assert.ok(looksRandom(token)));
  }

  it('leaves published hashes (SRI, Go sums)', () => {
    const lines = [
      'integrity sha512-q8Zr+T2v/X9kLm4nPw7YbC1dE6fG0hJ3sK5uV8wA==',
      'golang.org/x/net v0.24.0 h1:q8Zr+T2v/X9kLm4nPw7YbC1dE6fG0hJ3sK5uV8wA=',
    ];
    for (const line of lines) assert.equal(maskSecretsSync(line), line);
  });
});

describe('vendor ranges', () => {
  it('are widened to the whole token', () => {
    const line = 'token xapp-1-A0-123-abcdef0123 end';
    const start = line.indexOf('xapp');
    assert.equal(maskSecretsSync(line, [{start, end: start + 8}]), `token ${MASK} end`);
  });

  it('are cut to the value when a rule reported the key too', () => {
    const line = 'MY_THING=q8Zr';
    assert.equal(maskSecretsSync(line, [{start: 0, end: 11}]), `MY_THING=${MASK}`);
  });

  it('give way to a URL whose password the rules masked', () => {
    const line = 'postgres://app:pw@db:5432/x';
    assert.equal(
      maskSecretsSync(line, [{start: 0, end: line.length}]),
      `postgres://app:${MASK}@db:5432/x`,
    );
  });
});
