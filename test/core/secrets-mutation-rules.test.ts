/**
 * Layer 2 of the masking (functions/core/secrets/rules.ts), rule by rule, with the generic
 * rules alone (no entropy layer, no vendor detector): each line is written out as it must come
 * out, `[masked]` where the rule's documented shape says a secret is, the rest kept. Token
 * shapes follow the providers' documented formats (AWS key IDs, Google API keys, JWTs, Slack
 * and GitHub tokens, Slack webhooks); the pair, flag and header rules follow the file's own
 * description of where a secret sits in a log line. Survivors of the secrets group's mutation
 * run (test/mutation/secrets.md).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {applyMasks} from '../../functions/core/secrets/ranges.js';
import {isSecretKey, lineSecretRanges} from '../../functions/core/secrets/rules.js';

// Written out: a test that read MASK would pass whatever the mask is.
const M = '[masked]';

/** The line as layer 2 alone masks it. */
function rules(line: string): string {
  return applyMasks(line, lineSecretRanges(line));
}

function table(cases: ReadonlyArray<readonly [string, string]>): void {
  for (const [line, expected] of cases) {
    it(JSON.stringify(line), () => assert.equal(rules(line), expected));
  }
}

describe('which keys name a secret', () => {
  const secret = [
    'password',
    'DB_PASSWD',
    'GPG_PASSPHRASE',
    'GITHUB_TOKEN',
    'accessToken',
    'client_secret',
    'pass',
    'pwd',
    'MYSQL_PWD',
    'pw',
    'basic_auth',
    'apikey',
    'AWS_ACCESSKEY',
    'privatekey',
    'secretkey',
    'accountkey',
    'authkey',
    'sig',
    'signature',
    'db2Pwd',
    'api_key',
    'ACCESS_KEY',
    'private-key',
    'AccountKey',
    'secret_key',
    'auth_key',
    'signing_key',
    'ENCRYPTION_KEY',
    'master_key',
    'ssh_key',
    'client_key',
    'APP_KEY',
    'license_key',
    'SESSION_KEY',
  ];
  for (const key of secret) it(`${key} does`, () => assert.equal(isSecretKey(key), true));

  const ordinary = [
    'PWD',
    'OLDPWD',
    'compass',
    'bypass',
    'passage',
    'sigma',
    'authority',
    'tokens',
    'cache_key',
    'primary_key',
    'ACCESS_LOG',
    'session_id',
    'api_url',
    '___',
    'secret2Key',
  ];
  for (const key of ordinary) it(`${key} does not`, () => assert.equal(isSecretKey(key), false));
});

describe('key=value, key: value and JSON pairs', () => {
  table([
    ['password = hunter2 ok', `password = ${M} ok`],
    ['password => "hunter2", user => "bob"', `password => "${M}", user => "bob"`],
    ['password := "hunter2"', `password := "${M}"`],
    ['spring.datasource.password=hunter2', `spring.datasource.password=${M}`],
    // A quoted value ends at its own closing quote; an escaped quote is part of it.
    ['password="a\\"b" x', `password="${M}" x`],
    ['password="abc def', `password="${M}`],
    ["password='abc def' x", `password='${M}' x`],
    ['password="  " x', 'password="  " x'],
    ['password=, user=bob', 'password=, user=bob'],
    // An unquoted value after `=` stops at what ends a word in a line.
    ['password=abc,next', `password=${M},next`],
    ['password=abc;next', `password=${M};next`],
    ['password=abc"next', `password=${M}"next`],
    ["password=abc'next", `password=${M}'next`],
    ['(password=abc)', `(password=${M})`],
    ['{password=abc}', `{password=${M}}`],
    ['[password=abc]', `[password=${M}]`],
    ['<password=abc>', `<password=${M}>`],
    ['password=abc\tnext', `password=${M}\tnext`],
    ['password=s3cr3t{x} y', `password=${M}} y`],
    // Placeholders say the value is absent or hidden.
    ['password=<hidden> user=x', 'password=<hidden> user=x'],
    ['password={{ .Values.db.password }}', 'password={{ .Values.db.password }}'],
    ['password=*', 'password=*'],
    ['password=*****', 'password=*****'],
    ['password=xxx', 'password=xxx'],
    ['password=XXXXXXXX', 'password=XXXXXXXX'],
    ['password=xx', `password=${M}`],
    ['password=...', 'password=...'],
    ['password=…', 'password=…'],
    ['password=$DB_PASSWORD', 'password=$DB_PASSWORD'],
    ['password=%DB_PASSWORD%', 'password=%DB_PASSWORD%'],
    ['password=null', 'password=null'],
    ['password=NONE', 'password=NONE'],
    ['password=nonesuch9', `password=${M}`],
    ['password=Redacted', 'password=Redacted'],
    ['pass: 1', 'pass: 1'],
    ['pass: 1234', 'pass: 1234'],
    ['pass: 12345', `pass: ${M}`],
    ['password=12ab', `password=${M}`],
    // `key: value` runs to the next pair or the line's end.
    ['{Password:x User:bob}', `{Password:${M} User:bob}`],
    ['pw: abc; host: db', `pw: ${M}; host: db`],
    ['pw: abc , host: db', `pw: ${M} , host: db`],
    ['pw: abc, "host": db', `pw: ${M}, "host": db`],
    ["pw: abc, 'host': db", `pw: ${M}, 'host': db`],
    ['pw: abc, host : db', `pw: ${M}, host : db`],
    ['pw: abc, db.host: x', `pw: ${M}, db.host: x`],
    ['pw: abc, user_name: x', `pw: ${M}, user_name: x`],
    ['pw: abc user=bob', `pw: ${M} user=bob`],
    ['pw: abc;', `pw: ${M};`],
    ['{Password:x}', `{Password:${M}}`],
    ['password: (abc)', `password: ${M})`],
    // An unquoted JSON value runs to a comma, a brace, a bracket or a space.
    ['{"secret": 12345678, "a": 1}', `{"secret": ${M}, "a": 1}`],
    ['{"secret": abc&def}', `{"secret": ${M}}`],
    ['["secret": abc]', `["secret": ${M}]`],
    ['{"secret": abc def}', `{"secret": ${M} def}`],
    // A line that is one environment variable runs to its end; a quoted value does not.
    ['DB_PASS="two words" # set by CI', `DB_PASS="${M}" # set by CI`],
    ["DB_PASS='two words' # set by CI", `DB_PASS='${M}' # set by CI`],
    ['DB_PASS=[REDACTED] by policy', 'DB_PASS=[REDACTED] by policy'],
    ['DB_PASS=<hidden> by policy', 'DB_PASS=<hidden> by policy'],
    ['DB_PASS={vault} by policy', 'DB_PASS={vault} by policy'],
    ['\texport DB_PASS=two words', `\texport DB_PASS=${M}`],
    ['export  DB_PASS=two words', `export  DB_PASS=${M}`],
    ['+\tDB_PASS=two words', `+\tDB_PASS=${M}`],
    ['db_pass=two words', `db_pass=${M} words`],
    ['exported DB_PASS=two words', `exported DB_PASS=${M} words`],
    // The user of a URL is no key: the URL rule masks the password and keeps the host.
    [
      'git clone https://x-access-token:abcdefgh@github.com/o/r.git',
      `git clone https://x-access-token:${M}@github.com/o/r.git`,
    ],
  ]);
});

describe('command-line flags', () => {
  table([
    ['run --db-password=hunter2 --user bob', `run --db-password=${M} --user bob`],
    ['run --password  hunter2', `run --password  ${M}`],
    ['run --password\thunter2', `run --password\t${M}`],
    ['run --password --user bob', 'run --password --user bob'],
    ['run --password=abc,def x', `run --password=${M} x`],
    ['run x--password abc', 'run x--password abc'],
    ['run --token "a b" x', `run --token "${M}" x`],
    ['run --verbose hunter2', 'run --verbose hunter2'],
    ['mysqldump -u root -pS3cret db', `mysqldump -u root -p${M} db`],
    ['mariadb -u root -pS3cret db', `mariadb -u root -p${M} db`],
    ['mysql -u root -p\tdb', 'mysql -u root -p\tdb'],
    ['sshpass -p hunter2 ssh host', `sshpass -p ${M} ssh host`],
    ['sshpass -phunter2 ssh host', `sshpass -p${M} ssh host`],
    ['sshpass -p\thunter2 ssh host', `sshpass -p\t${M} ssh host`],
    ['sshpass -p -x', 'sshpass -p -x'],
    [
      'docker login -u bob -p hunter2 registry.example.com',
      `docker login -u bob -p ${M} registry.example.com`,
    ],
    ['ssh -p2222 host', 'ssh -p2222 host'],
    ['curl --user bob:pw1 https://x', `curl --user bob:${M} https://x`],
    ['curl --user=bob:pw1 https://x', `curl --user=bob:${M} https://x`],
    ['curl -ubob:pw1 https://x', `curl -ubob:${M} https://x`],
    ['curl -U proxyuser:pw1 https://x', `curl -U proxyuser:${M} https://x`],
    ['curl --proxy-user proxyuser:pw1 https://x', `curl --proxy-user proxyuser:${M} https://x`],
    ['curl -u "bob:pw1" https://x', `curl -u "bob:${M}" https://x`],
    ["curl -u 'bob:pw1' https://x", `curl -u 'bob:${M}' https://x`],
    ['curl -u :pw1 https://x', `curl -u :${M} https://x`],
    ['curl -u bob:1234 https://x', 'curl -u bob:1234 https://x'],
    ['docker run --user app:staff img', 'docker run --user app:staff img'],
    ['curly -u bob:pw1 x', 'curly -u bob:pw1 x'],
  ]);
});

describe('Authorization, bearer tokens and cookies', () => {
  table([
    ['Proxy-Authorization: Basic dXNlcjpwYXNz', `Proxy-Authorization: Basic ${M}`],
    ['authorization=tok123456', `authorization=${M}`],
    ['Authorization:\ttok123456', `Authorization:\t${M}`],
    [
      'curl -H "Authorization: Basic dXNlcjpwYXNz" https://api.example.com',
      `curl -H "Authorization: Basic ${M}" https://api.example.com`,
    ],
    [
      "curl -H 'Authorization: Basic dXNlcjpwYXNz' https://api.example.com",
      `curl -H 'Authorization: Basic ${M}' https://api.example.com`,
    ],
    ['{\\"Authorization\\":\\"Basic dXNlcjpwYXNz\\"}', `{\\"Authorization\\":\\"Basic ${M}\\"}`],
    ["{'Authorization': 'token abc123'}", `{'Authorization': 'token ${M}'}`],
    [
      'Authorization: AWS4-HMAC-SHA256 Credential=abc/x, Signature=fe5f80f7',
      `Authorization: AWS4-HMAC-SHA256 ${M}`,
    ],
    ['Authorization: Bearer  tok-1', `Authorization: Bearer  ${M}`],
    ['Authorization: <redacted>', 'Authorization: <redacted>'],
    ['preauthorization: done', 'preauthorization: done'],
    ['sending Bearer abc.defg now', `sending Bearer ${M} now`],
    ['sending bearer\tabc.defg now', `sending bearer\t${M} now`],
    ['sending Bearer a1.b2c3 now', 'sending Bearer a1.b2c3 now'],
    ['use a Bearer token for auth', 'use a Bearer token for auth'],
    ['sending Bearer ya29.a0AfB_byC-1234 now', `sending Bearer ${M} now`],
    [
      'Set-Cookie: sid=abc123; Path=/; Domain=example.com; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Max-Age=86400; SameSite=Lax; Priority=High; Version=1; Comment=hello',
      `Set-Cookie: sid=${M}; Path=/; Domain=example.com; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Max-Age=86400; SameSite=Lax; Priority=High; Version=1; Comment=hello`,
    ],
    ['Cookie: pathfinder=abc1; last_domain=xyz9', `Cookie: pathfinder=${M}; last_domain=${M}`],
    ['Cookie: abcdef123', `Cookie: ${M}`],
    ['cookie=abcdef123', `cookie=${M}`],
    ['"cookie": "a=1x; b=2y"', `"cookie": "a=${M}; b=${M}"`],
    ['{\\"Cookie\\":\\"a=1x\\"}', `{\\"Cookie\\":\\"a=${M}\\"}`],
    ['Cookie:\ta=1x', `Cookie:\ta=${M}`],
    ['Cookie: a=1x;b=2y', `Cookie: a=${M};b=${M}`],
    ['Cookie: a=; b=2y', `Cookie: a=; b=${M}`],
    ['x-cookie: a=1x', 'x-cookie: a=1x'],
    ['Cookie: <redacted>', 'Cookie: <redacted>'],
  ]);
});

describe('credentials in URLs', () => {
  table([
    [
      'mongodb+srv://app:pw1@cluster0.example.net/db',
      `mongodb+srv://app:${M}@cluster0.example.net/db`,
    ],
    ['postgresql+asyncpg://app:pw1@db/x', `postgresql+asyncpg://app:${M}@db/x`],
    ['see https://example.com/users/@bob', 'see https://example.com/users/@bob'],
    ['see https://example.com?to=a:b@c', 'see https://example.com?to=a:b@c'],
    ['see https://example.com#a:b@c', 'see https://example.com#a:b@c'],
    ['"https://example.com" user:pw@x', '"https://example.com" user:pw@x'],
    ["'https://example.com' user:pw@x", "'https://example.com' user:pw@x"],
    ['<https://example.com> user:pw@x', '<https://example.com> user:pw@x'],
    ['https://example.com\\ user:pw@x', 'https://example.com\\ user:pw@x'],
    ['https://example.com user:pw@x', 'https://example.com user:pw@x'],
    ['https://a1b2c3d4e5f6g7h8@git.example.com/r.git', `https://${M}@git.example.com/r.git`],
    [
      'https://a1b2c3d4e5f6g7h@git.example.com/r.git',
      'https://a1b2c3d4e5f6g7h@git.example.com/r.git',
    ],
    [
      'https://deploymentrunner@git.example.com/r.git',
      'https://deploymentrunner@git.example.com/r.git',
    ],
    ['https://bob:****@git.example.com/r.git', 'https://bob:****@git.example.com/r.git'],
  ]);
});

describe('token shapes', () => {
  table([
    ['key AKIAIOSFODNN7EXAMPLE used', `key ${M} used`],
    ['key ASIAIOSFODNN7EXAMPLE used', `key ${M} used`],
    ['key A3T2IOSFODNN7EXAMPLE used', `key ${M} used`],
    ['key AKIAIOSFODNN7EXAMPLEXYZ used', 'key AKIAIOSFODNN7EXAMPLEXYZ used'],
    ['key XAKIAIOSFODNN7EXAMPLE used', 'key XAKIAIOSFODNN7EXAMPLE used'],
    ['key AKIAIOSFODNN7EXAMPL used', 'key AKIAIOSFODNN7EXAMPL used'],
    [
      'jwt eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c end',
      `jwt ${M} end`,
    ],
    ['jwt eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0. end', `jwt ${M} end`],
    ['jwt eyJabcde.eyJabcde.sig end', `jwt ${M} end`],
    ['jwt eyJabcd.eyJabcde.sig end', 'jwt eyJabcd.eyJabcde.sig end'],
    ['jwt eyJabcde.eyJabcd.sig end', 'jwt eyJabcde.eyJabcd.sig end'],
    ['jwt xeyJabcde.eyJabcde.sig end', 'jwt xeyJabcde.eyJabcde.sig end'],
    ['maps AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe used', `maps ${M} used`],
    [
      'maps AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQ used',
      'maps AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQ used',
    ],
    [
      'maps xAIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe used',
      'maps xAIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe used',
    ],
    ['slack xoxb-123456 ok', `slack ${M} ok`],
    ['slack xoxp-1234-5678-abcdefABCDEF ok', `slack ${M} ok`],
    ['slack xapp-1-A0-123 ok', `slack ${M} ok`],
    ['slack xoxb-12345 ok', 'slack xoxb-12345 ok'],
    ['slack axoxb-123456 ok', 'slack axoxb-123456 ok'],
    ['gh ghp_16C7e42F292c6912E7710c838347Ae178B4a ok', `gh ${M} ok`],
    ['gh gho_16C7e42F292c6912E7710c838347Ae178B4a ok', `gh ${M} ok`],
    ['gh ghu_16C7e42F292c6912E7710c838347Ae178B4a ok', `gh ${M} ok`],
    ['gh ghs_16C7e42F292c6912E7710c838347Ae178B4a ok', `gh ${M} ok`],
    ['gh ghr_16C7e42F292c6912E7710c838347Ae178B4a ok', `gh ${M} ok`],
    ['gh ghp_16C7e42F292c6912E7710c838347Ae ok', `gh ${M} ok`],
    ['gh ghp_16C7e42F292c6912E7710c838347A ok', 'gh ghp_16C7e42F292c6912E7710c838347A ok'],
    [
      'gh xghp_16C7e42F292c6912E7710c838347Ae178B4a ok',
      'gh xghp_16C7e42F292c6912E7710c838347Ae178B4a ok',
    ],
    [
      'gh github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456 ok',
      `gh ${M} ok`,
    ],
    ['gh github_pat_11ABCDEFG0123456789 ok', 'gh github_pat_11ABCDEFG0123456789 ok'],
    ['gh github_pat_11ABCDEFG0123456789A ok', `gh ${M} ok`],
    [
      'post https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX failed',
      `post https://hooks.slack.com/services/${M} failed`,
    ],
    [
      'post https://hooks.slack.com/workflows/T00000000/A00000000/123/abcDEF failed',
      `post https://hooks.slack.com/workflows/${M} failed`,
    ],
    [
      'post https://hooks.slack.com/triggers/T00000000/123/abc_DEF-9 failed',
      `post https://hooks.slack.com/triggers/${M} failed`,
    ],
    ['see https://hooks.slack.com/apps for help', 'see https://hooks.slack.com/apps for help'],
    [
      'see https://nothooks.slack.com/services/T0/B0/x',
      'see https://nothooks.slack.com/services/T0/B0/x',
    ],
  ]);
});

describe('base64 of a PEM block', () => {
  // The base64 of a private key's BEGIN line at each of the three byte alignments.
  const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIE';
  const b64 = (prefix: string) => Buffer.from(prefix + pem).toString('base64');
  for (const prefix of ['', 'a', 'ab']) {
    it(`masks the whole run after ${prefix.length} byte(s)`, () => {
      assert.equal(rules(`tls.key: ${b64(prefix)} ok`), `tls.key: ${M} ok`);
      assert.equal(rules(`${b64(prefix)}`), M);
      assert.equal(rules(`"${b64(prefix)}"`), `"${M}"`);
    });
  }
  it('a run with a PEM marker in it is masked from its start', () => {
    const run = `Zm9v${b64('')}`;
    assert.equal(rules(`k ${run} x`), `k ${M} x`);
  });
});
