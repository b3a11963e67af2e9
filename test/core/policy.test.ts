/** Tables for the per-CronJob settings: the annotation parser, ROUTES and routing. */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  annotationTrustOf,
  NO_SETTINGS,
  parseAnnotations,
  parseDurationMs,
  parseRoutes,
  policiesOf,
  routeFor,
  type ChannelRoute,
  type CronJobSettings,
} from '../../functions/core/policy.js';
import {CLUSTER_RECORD_KEY} from '../../functions/core/incident.js';
import {cronJob} from './builders.js';

const P = 'cronjob-watcher/';

describe('parseAnnotations: one row per value', () => {
  // [annotation, value, the settings it gives (null: malformed, defaults apply), why]
  const cases: Array<[string, string, Partial<CronJobSettings> | null, string]> = [
    ['slack-channel', 'C0123ABCDE', {channel: 'C0123ABCDE'}, 'a channel ID'],
    ['slack-channel', 'G0123ABCDE', {channel: 'G0123ABCDE'}, 'a private channel ID'],
    ['slack-channel', '#team-payments', {channel: '#team-payments'}, 'a #name'],
    ['slack-channel', ' C0123ABCDE ', {channel: 'C0123ABCDE'}, 'spaces around are trimmed'],
    ['slack-channel', '#Team Payments', null, 'a name with a space and capitals'],
    ['slack-channel', 'C01', null, 'an ID too short to be one'],
    ['slack-channel', 'D0123ABCDE', null, 'a direct message: never from an annotation'],
    ['slack-channel', '', null, 'empty'],
    ['ignore', 'true', {ignore: true}, 'ignored'],
    ['ignore', 'TRUE', {ignore: true}, 'case does not matter'],
    ['ignore', 'false', {ignore: false}, 'explicitly not ignored'],
    ['ignore', 'yes', null, 'only true or false'],
    ['mention', '<!subteam^S0123ABCD>', {mention: '<!subteam^S0123ABCD>'}, 'a user group'],
    [
      'mention',
      '<!subteam^S0123ABCD|@oncall>',
      {mention: '<!subteam^S0123ABCD|@oncall>'},
      'a user group with its label',
    ],
    ['mention', '<@U0123ABCD>', {mention: '<@U0123ABCD>'}, 'a user'],
    ['mention', '<@W0123ABCD>', {mention: '<@W0123ABCD>'}, 'an Enterprise Grid user'],
    ['mention', '<!here>', null, 'here: a broadcast, refused unless the deployment allows it'],
    ['mention', '<!channel>', null, 'channel: a broadcast'],
    ['mention', '<!everyone>', null, 'everyone: a broadcast'],
    ['mention', '<@U0123ABCD> <!here>', null, 'a broadcast among mentions refuses the value'],
    [
      'mention',
      ' <!subteam^S0123ABCD>   <@U0123ABCD> ',
      {mention: '<!subteam^S0123ABCD> <@U0123ABCD>'},
      'several, spaces normalised',
    ],
    ['mention', '@oncall', null, 'a bare name does not notify anyone'],
    ['mention', '<https://evil.example|click>', null, 'a link is not a mention'],
    ['mention', '<@U0123ABCD> hello', null, 'text besides mentions'],
    ['mention', Array(11).fill('<@U0123ABCD>').join(' '), null, 'more than ten'],
    [
      'runbook',
      'https://wiki.example.com/rb/backup',
      {runbook: 'https://wiki.example.com/rb/backup'},
      'https',
    ],
    ['runbook', 'https://wiki.example.com/a b', null, 'whitespace'],
    [
      'runbook',
      'https://wiki.example.com/a|b',
      {runbook: 'https://wiki.example.com/a%7Cb'},
      'a pipe is encoded, it would end the link',
    ],
    ['runbook', 'http://wiki.example.com/rb', null, 'plain http'],
    ['runbook', 'javascript:alert(1)', null, 'not a web link'],
    ['runbook', 'wiki/rb', null, 'not a URL'],
    ['runbook', `https://x.example/${'a'.repeat(1000)}`, null, 'too long'],
    ['log-lines', '1', {logLines: 1}, 'the fewest'],
    ['log-lines', '50', {logLines: 50}, 'the most'],
    ['log-lines', ' 20 ', {logLines: 20}, 'trimmed'],
    ['log-lines', '0', null, 'zero'],
    ['log-lines', '51', null, 'over 50'],
    ['log-lines', '2.5', null, 'not whole'],
    ['log-lines', '-3', null, 'negative'],
    ['log-lines', 'twenty', null, 'a word'],
    ['language', 'ja', {language: 'ja'}, 'Japanese'],
    ['language', 'EN', {language: 'en'}, 'case does not matter'],
    ['language', 'fr', null, 'no French catalogue'],
    ['missed-grace', '15m', {missedGraceMs: 15 * 60_000}, 'minutes'],
    ['missed-grace', '1h30m', {missedGraceMs: 90 * 60_000}, 'compound'],
    ['missed-grace', '90s', {missedGraceMs: 90_000}, 'seconds'],
    ['max-duration', '2h', {maxDurationMs: 2 * 3600_000}, 'hours'],
    ['max-duration', '1d', {maxDurationMs: 24 * 3600_000}, 'a day'],
    ['max-duration', 'soon', null, 'not a duration'],
    ['max-duration', '0s', null, 'zero'],
    ['max-duration', '30', null, 'no unit'],
    ['max-duration', '400d', null, 'over a year'],
    ['max-duration', '30m2h', null, 'units out of order'],
  ];
  for (const [name, value, expected, why] of cases) {
    it(`${name}: ${JSON.stringify(value).slice(0, 40)} (${why})`, () => {
      const parsed = parseAnnotations({[`${P}${name}`]: value});
      if (expected === null) {
        assert.deepEqual(parsed.settings, NO_SETTINGS, 'the defaults apply');
        assert.equal(parsed.problems.length, 1);
        assert.equal(parsed.problems[0]?.annotation, `${P}${name}`);
        assert.ok((parsed.problems[0]?.problem.length ?? 0) > 0);
      } else {
        assert.deepEqual(parsed.problems, []);
        assert.deepEqual(parsed.settings, {...NO_SETTINGS, ...expected});
      }
    });
  }

  it('reads only its own prefix, reports unknown settings under it, and keeps the good ones', () => {
    const parsed = parseAnnotations({
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      [`${P}slack-chanel`]: 'C0123ABCDE',
      [`${P}log-lines`]: '10',
      [`${P}runbook`]: 'ftp://x',
    });
    assert.deepEqual(parsed.settings, {...NO_SETTINGS, logLines: 10});
    assert.deepEqual(
      parsed.problems.map(p => p.annotation),
      [`${P}runbook`, `${P}slack-chanel`],
    );
  });

  it('echoes at most 80 characters of a bad value', () => {
    const parsed = parseAnnotations({[`${P}language`]: 'x'.repeat(500)});
    assert.equal(parsed.problems[0]?.value, `${'x'.repeat(80)}…`);
  });
});

describe('parseDurationMs', () => {
  it('adds whole units, largest first', () => {
    const got = parseDurationMs('1d2h3m4s');
    assert.deepEqual(got, {ok: true, value: ((24 + 2) * 60 + 3) * 60_000 + 4000});
  });
});

describe('ROUTES', () => {
  const cases: Array<[string, ChannelRoute[] | RegExp, string]> = [
    ['', [], 'unset'],
    [
      'prod/payments=C0PAY12345,*/data=C0DATA1234',
      [
        {cluster: 'prod', namespace: 'payments', channel: 'C0PAY12345'},
        {cluster: null, namespace: 'data', channel: 'C0DATA1234'},
      ],
      'the example',
    ],
    [
      ' prod/* = #prod-alerts , ',
      [{cluster: 'prod', namespace: null, channel: '#prod-alerts'}],
      'spaces and a trailing comma',
    ],
    ['*/*=C0ALL00001', [{cluster: null, namespace: null, channel: 'C0ALL00001'}], 'everything'],
    [
      'payments=C0PAY12345',
      /not <cluster>\/<namespace>=<channel>/,
      'a namespace without a cluster',
    ],
    ['prod/payments', /not <cluster>\/<namespace>=<channel>/, 'no channel'],
    ['prod/Payments=C0PAY12345', /"Payments" is not a namespace/, 'a namespace with capitals'],
    ['prod/payments=not a channel', /is not a Slack channel/, 'a bad channel'],
    ['prod/a=C0PAY12345,prod/a=C0DATA1234', /prod\/a is routed twice/, 'the same key twice'],
  ];
  for (const [raw, expected, why] of cases) {
    it(`${JSON.stringify(raw)} (${why})`, () => {
      const parsed = parseRoutes(raw);
      if (expected instanceof RegExp) {
        assert.equal(parsed.ok, false);
        if (!parsed.ok) assert.match(parsed.problem, expected);
      } else {
        assert.deepEqual(parsed, {ok: true, routes: expected});
      }
    });
  }
});

describe('routeFor: the most specific route wins', () => {
  const routes: ChannelRoute[] = [
    {cluster: null, namespace: null, channel: 'ANY'},
    {cluster: 'prod', namespace: null, channel: 'PROD'},
    {cluster: null, namespace: 'data', channel: 'DATA'},
    {cluster: 'prod', namespace: 'data', channel: 'PROD-DATA'},
  ];
  const cases: Array<[string, string | null, string | null, string]> = [
    ['prod', 'data', 'PROD-DATA', 'cluster and namespace'],
    ['staging', 'data', 'DATA', 'the namespace on any cluster'],
    ['prod', 'mail', 'PROD', 'the whole cluster'],
    ['staging', 'mail', 'ANY', 'everything else'],
    ['prod', null, 'PROD', "the cluster's own messages: cluster routes only"],
    ['staging', null, 'ANY', "the cluster's own messages elsewhere"],
  ];
  for (const [cluster, namespace, expected, why] of cases) {
    it(`${cluster}/${namespace ?? '(cluster)'} → ${expected} (${why})`, () => {
      assert.equal(routeFor(routes, cluster, namespace), expected);
    });
  }
  it('null without a matching route (SLACK_CHANNEL applies)', () => {
    assert.equal(routeFor([{cluster: 'prod', namespace: 'x', channel: 'X'}], 'prod', 'y'), null);
  });
});

describe('policiesOf', () => {
  const defaults = {
    clusterDownAfter: 3,
    language: 'ja' as const,
    routes: [
      {cluster: null, namespace: 'data', channel: 'C0DATA1234'},
      {cluster: 'prod', namespace: null, channel: 'C0PROD0001'},
    ],
  };
  const cronJobs = [
    cronJob({namespace: 'data', name: 'load', annotations: {}}),
    cronJob({
      namespace: 'data',
      name: 'export',
      annotations: {
        [`${P}slack-channel`]: '#exports',
        [`${P}language`]: 'en',
        [`${P}mention`]: '<!subteam^S0123ABCD>',
        [`${P}log-lines`]: '60',
      },
    }),
  ];
  const policies = policiesOf('prod', cronJobs, defaults);

  it('a route when there is no annotation; the configured language', () => {
    assert.deepEqual(policies.policyOf('data/load').destination, {
      channel: 'C0DATA1234',
      language: 'ja',
      mention: null,
      runbook: null,
    });
  });
  it('the annotation over the route; a bad value reported with its CronJob', () => {
    const policy = policies.policyOf('data/export');
    assert.deepEqual(policy.destination, {
      channel: '#exports',
      language: 'en',
      mention: '<!subteam^S0123ABCD>',
      runbook: null,
    });
    assert.equal(policy.logLines, null);
    assert.deepEqual(
      policies.problems.map(p => [p.cluster, p.namespace, p.name, p.annotation]),
      [['prod', 'data', 'export', `${P}log-lines`]],
    );
  });
  it("the cluster's own record: cluster routes and the defaults", () => {
    const policy = policies.policyOf(CLUSTER_RECORD_KEY);
    assert.equal(policy.destination?.channel, 'C0PROD0001');
    assert.equal(policy.ignore, false);
    assert.equal(policy.clusterDownAfter, 3);
  });
  it('a CronJob gone from the listing: its namespace route', () => {
    assert.equal(policies.policyOf('data/gone').destination?.channel, 'C0DATA1234');
  });
});

describe("parseAnnotations under the operator's settings (annotations are a trust boundary)", () => {
  const trust = annotationTrustOf({
    allowedChannels: ['C0PAY12345', 'G0PRIV1234'],
    broadcastMentions: false,
    routes: [{cluster: null, namespace: 'data', channel: 'C0DATA1234'}],
    slackChannel: 'C0ALERTS01',
  });
  const open = annotationTrustOf({
    allowedChannels: null,
    broadcastMentions: true,
    routes: [],
    slackChannel: 'C0ALERTS01',
  });
  // [trust, annotation, value, accepted, why]
  const cases: Array<[typeof trust, string, string, boolean, string]> = [
    [trust, 'slack-channel', 'C0PAY12345', true, 'listed in SLACK_ALLOWED_CHANNELS'],
    [trust, 'slack-channel', 'G0PRIV1234', true, 'a listed private channel'],
    [trust, 'slack-channel', 'C0DATA1234', true, "a ROUTES channel is the operator's"],
    [trust, 'slack-channel', 'C0ALERTS01', true, "SLACK_CHANNEL is the operator's"],
    [trust, 'slack-channel', 'C0GENERAL1', false, 'not listed'],
    [trust, 'slack-channel', '#payments', false, 'a name cannot be checked against IDs'],
    [trust, 'slack-channel', 'D0123ABCDE', false, 'a DM, listed or not'],
    [open, 'slack-channel', 'C0GENERAL1', true, 'no list: any channel'],
    [open, 'slack-channel', 'D0123ABCDE', false, 'no list: still never a DM'],
    [trust, 'mention', '<!subteam^S0123ABCD> <@U0123ABCD>', true, 'groups and users: always'],
    [trust, 'mention', '<!here>', false, 'a broadcast without ALLOW_BROADCAST_MENTIONS'],
    [open, 'mention', '<!here> <@U0123ABCD>', true, 'ALLOW_BROADCAST_MENTIONS=true: here'],
    [open, 'mention', '<!channel>', true, 'ALLOW_BROADCAST_MENTIONS=true: channel'],
    [open, 'mention', '<!everyone>', true, 'ALLOW_BROADCAST_MENTIONS=true: everyone'],
  ];
  for (const [given, name, value, accepted, why] of cases) {
    it(`${name}: ${value} (${why})`, () => {
      const parsed = parseAnnotations({[`${P}${name}`]: value}, given);
      const field = name === 'slack-channel' ? 'channel' : 'mention';
      if (accepted) {
        assert.deepEqual(parsed.problems, []);
        assert.equal(parsed.settings[field], value);
      } else {
        assert.equal(parsed.settings[field], null, 'the default applies');
        assert.deepEqual(
          parsed.problems.map(p => [p.annotation, p.value]),
          [[`${P}${name}`, value]],
        );
      }
    });
  }

  it('says why, naming the setting that would allow it', () => {
    const problem = (name: string, value: string) =>
      parseAnnotations({[`${P}${name}`]: value}, trust).problems[0]?.problem ?? '';
    assert.match(problem('slack-channel', 'C0GENERAL1'), /SLACK_ALLOWED_CHANNELS/);
    assert.match(problem('slack-channel', 'D0123ABCDE'), /direct message/);
    assert.match(problem('mention', '<!channel>'), /<!channel>.*ALLOW_BROADCAST_MENTIONS=true/);
  });

  it('policiesOf applies it: a refused channel falls back to ROUTES or SLACK_CHANNEL, and is reported', () => {
    const policies = policiesOf(
      'prod',
      [
        cronJob({
          namespace: 'data',
          name: 'load',
          annotations: {[`${P}slack-channel`]: 'C0GENERAL1', [`${P}mention`]: '<!here>'},
        }),
      ],
      {clusterDownAfter: 3, language: 'en', routes: [], trust},
    );
    assert.equal(policies.policyOf('data/load').destination?.channel, null);
    assert.equal(policies.policyOf('data/load').destination?.mention, null);
    assert.deepEqual(
      policies.problems.map(p => p.annotation),
      [`${P}mention`, `${P}slack-channel`],
    );
  });
});
