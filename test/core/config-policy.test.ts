/** `ROUTES` and `MESSAGE_LANGUAGE` in `parseConfig`: accepted values and clear errors. */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {describeConfig, parseConfig} from '../../functions/config.js';
import {ConfigError} from '../../functions/core/errors.js';

describe('parseConfig: ROUTES and MESSAGE_LANGUAGE', () => {
  it('defaults: no routes, English', () => {
    const config = parseConfig({});
    assert.deepEqual(config.routes, []);
    assert.equal(config.language, 'en');
  });

  it('routes as written, and shown in the safe description', () => {
    const config = parseConfig({
      ROUTES: 'prod/payments=C0PAY12345,*/data=C0DATA1234',
      MESSAGE_LANGUAGE: 'ja',
    });
    assert.deepEqual(config.routes, [
      {cluster: 'prod', namespace: 'payments', channel: 'C0PAY12345'},
      {cluster: null, namespace: 'data', channel: 'C0DATA1234'},
    ]);
    assert.equal(config.language, 'ja');
    const described = describeConfig(config);
    assert.deepEqual(described.routes, ['prod/payments=C0PAY12345', '*/data=C0DATA1234']);
    assert.equal(described.language, 'ja');
  });

  const bad: Array<[string, Record<string, string>, RegExp]> = [
    [
      'a route without a namespace',
      {ROUTES: 'payments=C0PAY12345'},
      /^ROUTES must be .*e\.g\. ROUTES=prod\/payments=C0PAY12345.*"payments=C0PAY12345" is not/,
    ],
    [
      'a route to a bad channel',
      {ROUTES: 'prod/x=Payments Team'},
      /^ROUTES .*"Payments Team" is not a Slack channel/,
    ],
    [
      'a key routed twice',
      {ROUTES: '*/a=C0PAY12345,*/a=C0DATA1234'},
      /^ROUTES .*\*\/a is routed twice/,
    ],
    [
      'an unknown language',
      {MESSAGE_LANGUAGE: 'de'},
      /^MESSAGE_LANGUAGE must be one of en, ja, e\.g\. MESSAGE_LANGUAGE=ja; got "de"/,
    ],
  ];
  for (const [name, env, message] of bad) {
    it(`refuses ${name}`, () => {
      assert.throws(
        () => parseConfig(env),
        (error: unknown) => error instanceof ConfigError && message.test(error.message),
      );
    });
  }
});
