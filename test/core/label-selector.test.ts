/**
 * `-l/--selector`, read with the grammar of apimachinery's `labels.Parse` (the one kubectl and
 * the API server use): what each form means, what is refused and why, and the string sent to
 * the API server.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  formatLabelSelector,
  parseLabelSelector,
  type LabelRequirement,
} from '../../functions/core/label-selector.js';

describe('parseLabelSelector: what kubectl accepts', () => {
  const cases: Array<[string, LabelRequirement[], string]> = [
    ['', [], ''],
    ['   ', [], ''],
    ['app=backup', [{key: 'app', op: '=', value: 'backup'}], 'app=backup'],
    ['app == backup', [{key: 'app', op: '==', value: 'backup'}], 'app==backup'],
    ['tier!=test', [{key: 'tier', op: '!=', value: 'test'}], 'tier!=test'],
    // An empty value is a value.
    ['tier=', [{key: 'tier', op: '=', value: ''}], 'tier='],
    [
      'tier!=,app',
      [
        {key: 'tier', op: '!=', value: ''},
        {key: 'app', op: 'exists'},
      ],
      'tier!=,app',
    ],
    ['app', [{key: 'app', op: 'exists'}], 'app'],
    ['!legacy', [{key: 'legacy', op: '!'}], '!legacy'],
    ['! legacy', [{key: 'legacy', op: '!'}], '!legacy'],
    [
      'team in (mail, data)',
      [{key: 'team', op: 'in', values: ['mail', 'data']}],
      'team in (data,mail)',
    ],
    ['team notin(x)', [{key: 'team', op: 'notin', values: ['x']}], 'team notin (x)'],
    // Empty members of a set are the empty value.
    ['team in (a,)', [{key: 'team', op: 'in', values: ['a', '']}], 'team in (,a)'],
    // `in` is an operator only where one is expected: here it is a value.
    ['word=in', [{key: 'word', op: '=', value: 'in'}], 'word=in'],
    ['replicas>2', [{key: 'replicas', op: '>', value: '2'}], 'replicas>2'],
    ['replicas < 10', [{key: 'replicas', op: '<', value: '10'}], 'replicas<10'],
    [
      'app.kubernetes.io/part-of=mail,example.com/team in (a,b),!skip',
      [
        {key: 'app.kubernetes.io/part-of', op: '=', value: 'mail'},
        {key: 'example.com/team', op: 'in', values: ['a', 'b']},
        {key: 'skip', op: '!'},
      ],
      'app.kubernetes.io/part-of=mail,example.com/team in (a,b),!skip',
    ],
  ];
  for (const [text, requirements, formatted] of cases) {
    it(JSON.stringify(text), () => {
      const parsed = parseLabelSelector(text);
      assert.deepEqual(parsed, {ok: true, selector: {requirements}});
      assert.equal(formatLabelSelector({requirements}), formatted);
    });
  }
});

describe('parseLabelSelector: what kubectl refuses', () => {
  const cases: Array<[string, RegExp]> = [
    ['app in mail', /found 'mail', expected: '\('/],
    ['app=a=b', /found '=', expected: ',' or 'end of string'/],
    ['app=a b', /found 'b', expected: ',' or 'end of string'/],
    ['a,', /found 'end of string', expected: identifier after ','/],
    [',a', /found ',', expected: !, identifier, or 'end of string'/],
    ['=a', /found '=', expected: !, identifier, or 'end of string'/],
    ['app is x', /found 'is', expected: one of !=, <, =, ==, >, in, notin/],
    ['!app=x', /found '=', expected: ',' or 'end of string'/],
    ['app>x', /the value must be an integer/],
    ['app>', /the value must be an integer/],
    ['app in (a b)', /found 'b', expected: ',' or '\)'/],
    ['app in (a', /found 'end of string'/],
    ['-app=x', /invalid label key "-app"/],
    ['Example.com/app=x', /invalid label key "Example.com\/app": the prefix/],
    [`${'k'.repeat(64)}=x`, /invalid label key/],
    ['app=-x', /invalid value "-x" for label "app"/],
    [`app=${'v'.repeat(64)}`, /invalid value/],
    ['app in (ok,-bad)', /invalid value "-bad"/],
  ];
  for (const [text, problem] of cases) {
    it(JSON.stringify(text), () => {
      const parsed = parseLabelSelector(text);
      assert.equal(parsed.ok, false, JSON.stringify(parsed));
      if (!parsed.ok) {
        assert.match(parsed.problem, /^unable to parse requirement: /);
        assert.match(parsed.problem, problem);
      }
    });
  }
});
