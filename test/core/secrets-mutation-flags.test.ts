/**
 * A short `-p` is a password only after the command that reads it so (`mysql -pX`, `sshpass -p
 * X`, `docker login -p X`); before it, it is another command's flag: `mkdir -pv
 * /var/lib/mysql` (a `set -x` line of an init script) lost its `v` to a mask.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {maskSecretsSync} from '../../functions/core/secrets/mask.js';

describe('short password flags', () => {
  const cases: Array<[string, string]> = [
    ['+ mkdir -pv /var/lib/mysql', '+ mkdir -pv /var/lib/mysql'],
    ['install -d -pv /srv/login', 'install -d -pv /srv/login'],
    [
      'mkdir -pv /var/lib/mysql && mysql -u root -pS3cret',
      'mkdir -pv /var/lib/mysql && mysql -u root -p[masked]',
    ],
    ['cp -pr /etc/x . ; sshpass -p hunter2 ssh h', 'cp -pr /etc/x . ; sshpass -p [masked] ssh h'],
    ['mysql -u root -pS3cret db', 'mysql -u root -p[masked] db'],
  ];
  for (const [line, expected] of cases)
    it(line, () => assert.equal(maskSecretsSync(line), expected));
});
