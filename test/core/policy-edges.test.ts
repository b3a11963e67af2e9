/**
 * Edges of the settings parsers mutation testing found unpinned (test/mutation/README.md):
 * whitespace around values, limits at exact equality, anchored patterns (a valid value inside
 * junk is junk), the problem texts people read in the summary, what the operator's trust allows,
 * and durations shown for values that are not durations.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {parseDurationMs} from '../../functions/core/annotations.js';
import {formatDurationIn} from '../../functions/core/duration.js';
import {
  annotationTrustOf,
  defaultPolicy,
  parseAnnotations,
  parseRoutes,
  policiesOf,
  RUNBOOK_MAX_CHARS,
} from '../../functions/core/policy.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** One annotation under the prefix: the setting it gave, or the problem reported. */
function one(name: string, value: string, trust?: Parameters<typeof parseAnnotations>[1]) {
  const parsed = parseAnnotations({[`cronjob-watcher/${name}`]: value}, trust);
  return {settings: parsed.settings as Record<string, unknown>, problems: parsed.problems};
}

describe('parseDurationMs at its edges', () => {
  const cases: Array<{raw: string; want: number | string}> = [
    {raw: ' 15m ', want: 15 * 60_000},
    {raw: '10d', want: 10 * DAY_MS},
    {raw: '12h', want: 12 * HOUR_MS},
    {raw: '366d', want: 366 * DAY_MS},
    {raw: '366d1s', want: 'must be at most 366d'},
    {raw: '', want: 'must be a duration like 90s, 15m, 2h or 1h30m'},
    {raw: '   ', want: 'must be a duration like 90s, 15m, 2h or 1h30m'},
    {raw: '0m', want: 'must be longer than zero'},
  ];
  for (const c of cases) {
    it(JSON.stringify(c.raw), () => {
      const got = parseDurationMs(c.raw);
      assert.deepEqual(
        got,
        typeof c.want === 'number' ? {ok: true, value: c.want} : {ok: false, problem: c.want},
      );
    });
  }
});

describe('formatDurationIn: what is not a duration is zero', () => {
  const units = {day: 'd', hour: 'h', minute: 'm', second: 's', separator: ' '};
  for (const ms of [Infinity, -Infinity, NaN, -90_000]) {
    it(String(ms), () => assert.equal(formatDurationIn(ms, units), '0s'));
  }
});

describe('common annotations: whitespace, case and exact limits', () => {
  it('ignore: " TRUE " is true', () => {
    assert.equal(one('ignore', ' TRUE ').settings['ignore'], true);
  });
  it('language: " JA " is ja; an unknown one names every language', () => {
    assert.equal(one('language', ' JA ').settings['language'], 'ja');
    assert.deepEqual(
      one('language', 'fr').problems.map(p => p.problem),
      ['must be one of en, ja'],
    );
  });
  it('slack-channel: a name without # is a channel', () => {
    assert.equal(one('slack-channel', 'cronjobs').settings['channel'], 'cronjobs');
  });
  it('slack-channel: a channel ID whose tail looks like a DM ID is not a DM', () => {
    assert.equal(one('slack-channel', 'CD12345678').settings['channel'], 'CD12345678');
    assert.deepEqual(one('slack-channel', 'D12345678').settings['channel'], null);
  });

  const mentions = (n: number) =>
    Array.from({length: n}, (_, i) => `<@U${String(i).padStart(4, '0')}ABCD>`).join(' ');
  const mentionCases: Array<{name: string; raw: string; value: string | null; problem?: string}> = [
    {name: 'empty', raw: '', value: null, problem: 'is empty'},
    {name: 'only spaces', raw: '   ', value: null, problem: 'is empty'},
    {name: 'exactly ten', raw: mentions(10), value: mentions(10)},
    {
      name: 'eleven',
      raw: mentions(11),
      value: null,
      problem: 'names 11 mentions; at most 10',
    },
    {name: 'junk before a mention', raw: 'x<@U0123ABCD>', value: null},
    {name: 'junk after a mention', raw: '<@U0123ABCD>x', value: null},
    {
      name: 'spaces and tabs between',
      raw: ' <@U0123ABCD>\t <!subteam^S0123ABCD> ',
      value: '<@U0123ABCD> <!subteam^S0123ABCD>',
    },
  ];
  for (const c of mentionCases) {
    it(`mention: ${c.name}`, () => {
      const got = one('mention', c.raw);
      assert.equal(got.settings['mention'], c.value);
      assert.equal(got.problems.length, c.value === null ? 1 : 0);
      if (c.problem !== undefined) assert.equal(got.problems[0]?.problem, c.problem);
    });
  }

  it('mention: a broadcast is kept when the operator allows broadcasts', () => {
    const trust = {allowedChannels: null, broadcastMentions: true};
    assert.equal(one('mention', '<!here>', trust).settings['mention'], '<!here>');
    assert.equal(one('mention', '<!here>').settings['mention'], null);
  });

  it('runbook: surrounding spaces are not part of the URL', () => {
    assert.equal(
      one('runbook', '  https://wiki.example/run  ').settings['runbook'],
      'https://wiki.example/run',
    );
  });
  it('runbook: exactly the limit is kept, one more is refused', () => {
    const url = (length: number) => {
      const head = 'https://wiki.example/';
      return head + 'a'.repeat(length - head.length);
    };
    assert.equal(
      one('runbook', url(RUNBOOK_MAX_CHARS)).settings['runbook'],
      url(RUNBOOK_MAX_CHARS),
    );
    assert.deepEqual(
      one('runbook', url(RUNBOOK_MAX_CHARS + 1)).problems.map(p => p.problem),
      [`is longer than ${RUNBOOK_MAX_CHARS} characters`],
    );
  });
});

describe('problems as the summary shows them', () => {
  it('a value of exactly 80 characters is shown whole, a longer one cut', () => {
    const v80 = 'x'.repeat(80);
    assert.equal(one('ignore', v80).problems[0]?.value, v80);
    assert.equal(one('ignore', `${v80}y`).problems[0]?.value, `${v80}…`);
  });
  it('an unknown setting lists the known ones, comma-separated', () => {
    const [p] = one('log-line', '50').problems;
    assert.ok(p);
    assert.match(
      p.problem,
      /^is not a setting \(known: slack-channel, ignore, mention, runbook, language, [a-z-]+(, [a-z-]+)*\)$/,
    );
    for (const name of ['log-lines', 'max-duration', 'missed-grace']) {
      assert.ok(p.problem.includes(name), name);
    }
  });
  it('an annotation whose value the client left undefined reads as empty', () => {
    const parsed = parseAnnotations({'cronjob-watcher/ignore': undefined as unknown as string});
    assert.deepEqual(parsed.problems, [
      {annotation: 'cronjob-watcher/ignore', value: '', problem: 'must be "true" or "false"'},
    ]);
  });
});

describe('ROUTES: every part anchored', () => {
  const cases: Array<{raw: string; problem: string | null}> = [
    {raw: 'prod/payments=C0PAY12345', problem: null},
    {
      raw: 'bad cluster/payments=C0PAY12345',
      problem: '"bad cluster/payments=C0PAY12345": "bad cluster" is not a cluster name or *',
    },
    {
      raw: '-prod/payments=C0PAY12345',
      problem: '"-prod/payments=C0PAY12345": "-prod" is not a cluster name or *',
    },
    {
      raw: 'prod!/payments=C0PAY12345',
      problem: '"prod!/payments=C0PAY12345": "prod!" is not a cluster name or *',
    },
    {
      raw: 'prod/payments_=C0PAY12345',
      problem: '"prod/payments_=C0PAY12345": "payments_" is not a namespace name or *',
    },
    {raw: 'a/b/c=C0PAY12345', problem: '"a/b/c=C0PAY12345" is not <cluster>/<namespace>=<channel>'},
    {raw: 'a/b=C0PAY12345=x', problem: '"a/b=C0PAY12345=x" is not <cluster>/<namespace>=<channel>'},
  ];
  for (const c of cases) {
    it(c.raw, () => {
      const got = parseRoutes(c.raw);
      if (c.problem === null) assert.ok(got.ok);
      else assert.deepEqual(got, {ok: false, problem: c.problem});
    });
  }
});

describe('policies: defaults and what the configuration turns off', () => {
  it('defaultPolicy: the threshold and every detection’s default', () => {
    const policy: Record<string, unknown> = {...defaultPolicy(5)};
    assert.equal(policy['clusterDownAfter'], 5);
    for (const key of ['logLines', 'maxDurationMs', 'missedGraceMs']) {
      assert.ok(key in policy, key);
      assert.equal(policy[key], null, key);
    }
  });

  const cronJob = {
    uid: 'cj-uid',
    namespace: 'batch',
    name: 'backup',
    schedule: '0 * * * *',
    timeZone: null,
    suspended: false,
    suspendChangedAt: null,
    lastScheduleTime: null,
    lastSuccessfulTime: null,
    activeJobNames: [],
    createdAt: null,
    startingDeadlineSeconds: null,
    concurrencyPolicy: 'Allow' as const,
    failedJobsHistoryLimit: 1,
    jobTtlSecondsAfterFinished: null,
    annotations: {},
  };
  const defaults = {clusterDownAfter: 3, language: 'en' as const, routes: []};
  it('DETECTIONS turned off reach every policy; none turned off is an empty list', () => {
    const off = policiesOf('prod', [cronJob], {...defaults, disabled: ['missed']});
    assert.deepEqual(off.policyOf('batch/backup').disabled, ['missed']);
    assert.deepEqual(off.policyOf('other/gone').disabled, ['missed']);
    const none = policiesOf('prod', [cronJob], defaults);
    assert.deepEqual(none.policyOf('batch/backup').disabled, []);
  });

  it('trust: the operator’s own channels join the allowed ones; without SLACK_CHANNEL none is added', () => {
    const trust = annotationTrustOf({
      allowedChannels: ['C0ALLOWED1'],
      broadcastMentions: false,
      routes: [{cluster: null, namespace: 'batch', channel: 'C0ROUTED12'}],
      slackChannel: null,
    });
    assert.deepEqual([...(trust.allowedChannels ?? [])].sort(), ['C0ALLOWED1', 'C0ROUTED12']);
  });
});
