/**
 * `-l/--selector` against k8s.io/apimachinery's own tables (labels/selector_test.go:
 * TestSelectorParse, TestSetSelectorParser, TestRequirementConstructor) and against the limits
 * its validation states (IsQualifiedName, IsValidLabelValue, strconv.ParseInt for `>`/`<`).
 * Expectations are upstream's, or follow from the rule quoted next to them.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {
  formatLabelSelector,
  parseLabelSelector,
  type LabelRequirement,
} from '../../functions/core/label-selector.js';

function requirementsOf(text: string): LabelRequirement[] {
  const parsed = parseLabelSelector(text);
  assert.ok(parsed.ok, `${JSON.stringify(text)}: ${parsed.ok ? '' : parsed.problem}`);
  return parsed.selector.requirements;
}

function problemOf(text: string): string {
  const parsed = parseLabelSelector(text);
  assert.ok(!parsed.ok, `${JSON.stringify(text)} is refused`);
  return parsed.problem;
}

/** A requirement as a set, the way upstream compares them (values are a set). */
function shape(r: LabelRequirement): unknown {
  return 'values' in r ? {...r, values: [...r.values].sort()} : r;
}

describe('apimachinery TestSetSelectorParser and TestSelectorParse: accepted', () => {
  const cases: [string, LabelRequirement[]][] = [
    ['', []],
    ['\rx', [{key: 'x', op: 'exists'}]],
    [
      'this-is-a-dns.domain.com/key-with-dash',
      [{key: 'this-is-a-dns.domain.com/key-with-dash', op: 'exists'}],
    ],
    [
      'this-is-another-dns.domain.com/key-with-dash in (so,what)',
      [{key: 'this-is-another-dns.domain.com/key-with-dash', op: 'in', values: ['so', 'what']}],
    ],
    [
      '0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)',
      [{key: '0.1.2.domain/99', op: 'notin', values: ['10.10.100.1', 'tick.tack.clock']}],
    ],
    ['foo  in\t (abc)', [{key: 'foo', op: 'in', values: ['abc']}]],
    ['x notin\n (abc)', [{key: 'x', op: 'notin', values: ['abc']}]],
    ['x  notin\t\t\t(abc,def)', [{key: 'x', op: 'notin', values: ['abc', 'def']}]],
    ['x in (abc,)', [{key: 'x', op: 'in', values: ['abc', '']}]],
    // `()` is the set of the empty value, not an empty set.
    ['x in ()', [{key: 'x', op: 'in', values: ['']}]],
    ['x notin ( )', [{key: 'x', op: 'notin', values: ['']}]],
    ['x notin (, a)', [{key: 'x', op: 'notin', values: ['', 'a']}]],
    [
      'x notin (abc,def),bar,z in (),w',
      [
        {key: 'x', op: 'notin', values: ['abc', 'def']},
        {key: 'bar', op: 'exists'},
        {key: 'z', op: 'in', values: ['']},
        {key: 'w', op: 'exists'},
      ],
    ],
    ['x>1', [{key: 'x', op: '>', value: '1'}]],
    ['x<7', [{key: 'x', op: '<', value: '7'}]],
    [
      'x=a,y!=b,z in (h,i,j)',
      [
        {key: 'x', op: '=', value: 'a'},
        {key: 'y', op: '!=', value: 'b'},
        {key: 'z', op: 'in', values: ['h', 'i', 'j']},
      ],
    ],
    ['a ', [{key: 'a', op: 'exists'}]],
    // `in` and `notin` are values inside a list.
    ['a in (x,y,notin, z,in)', [{key: 'a', op: 'in', values: ['in', 'notin', 'x', 'y', 'z']}]],
    ['notin=in', [{key: 'notin', op: '=', value: 'in'}]],
    ['x= ', [{key: 'x', op: '=', value: ''}]],
    [
      'x= ,z= ',
      [
        {key: 'x', op: '=', value: ''},
        {key: 'z', op: '=', value: ''},
      ],
    ],
    ['!x', [{key: 'x', op: '!'}]],
    [
      'x>1,z<5',
      [
        {key: 'x', op: '>', value: '1'},
        {key: 'z', op: '<', value: '5'},
      ],
    ],
    // TestRequirementConstructor: keys may start with a digit.
    ['1foo in (bar)', [{key: '1foo', op: 'in', values: ['bar']}]],
    ['1234 in (bar)', [{key: '1234', op: 'in', values: ['bar']}]],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => {
      assert.deepEqual(requirementsOf(text).map(shape), expected.map(shape));
    });
  }
});

describe('apimachinery TestSetSelectorParser and TestSelectorParse: refused', () => {
  for (const text of [
    'x=a||y=b',
    'x==a==b',
    '!x=a',
    'x<a',
    ',x,y',
    'x nott in (y)',
    'a in (xyz),',
    'a in (xyz)b notin ()',
    'a in (xyz abc)',
    'a notin(',
    'a (',
    '(',
    'foo>bar',
    'barz<blah',
  ]) {
    it(JSON.stringify(text), () => {
      assert.match(problemOf(text), /^unable to parse requirement: /);
    });
  }
});

describe('value lists: apimachinery parseIdentifiersList, member by member', () => {
  const cases: [string, string[] | RegExp][] = [
    ['k in (,)', ['']],
    ['k in (,,a)', ['', 'a']],
    ['k in (a,,b)', ['a', '', 'b']],
    ['k in (a,,,b)', ['a', '', 'b']],
    ['k in (a,b,)', ['a', 'b', '']],
    ['k in (a,a)', ['a']],
    ['k in (a,,,)', ['a', '']],
    // After a `,,` pair the list must go on: `)` is not a member.
    ['k in (a,,)', /found '\)', expected: ',', or identifier/],
    ['k in (,,)', /found '\)', expected: ',', or identifier/],
    ['k in (a,=)', /found '=', expected: ',', or identifier/],
    ['k in (a!', /found '!', expected: ',' or '\)'/],
    ['k in (=)', /found '=', expected: ',', '\)' or identifier/],
    ['k in (', /found 'end of string', expected: ',', '\)' or identifier/],
    ['k in (a', /found 'end of string', expected: ',' or '\)'/],
    ['k in (a,', /found 'end of string', expected: ',', or identifier/],
    ['k in a', /found 'a', expected: '\('/],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => {
      if (expected instanceof RegExp) {
        assert.match(problemOf(text), expected);
        return;
      }
      const [requirement] = requirementsOf(text);
      assert.ok(requirement !== undefined && 'values' in requirement);
      assert.deepEqual([...requirement.values].sort(), [...expected].sort());
    });
  }

  it('the string sent to the API server lists a set sorted, once each', () => {
    assert.equal(
      formatLabelSelector({requirements: requirementsOf('k notin (b,,a,b)')}),
      'k notin (,a,b)',
    );
    assert.equal(formatLabelSelector({requirements: requirementsOf('k in ()')}), 'k in ()');
  });
});

describe('keys and values: the limits apimachinery validation states', () => {
  const label63 = 'a'.repeat(63);
  // A DNS subdomain of exactly 253 characters: 63 + 1 + 63 + 1 + 63 + 1 + 61.
  const prefix253 = [label63, label63, label63, 'b'.repeat(61)].join('.');
  const accepted: [string, string][] = [
    ['a 63-character name', `${label63}=x`],
    ['a 253-character prefix', `${prefix253}/app`],
    ['a 63-character value', `app=${'v'.repeat(63)}`],
    ['a value with dots, dashes and underscores inside', 'app=a.b-c_d'],
    ['a one-character value', 'app=a'],
    ['a name with dots, dashes and underscores inside', 'a.b-c_D=x'],
    ['a one-character name', 'a=x'],
    ['the largest 64-bit integer', 'x>9223372036854775807'],
    ['a 19-digit integer', 'x<1000000000000000000'],
    ['an integer with leading zeros', `x>${'0'.repeat(40)}7`],
    ['zero', 'x<0'],
  ];
  for (const [name, text] of accepted) {
    it(`accepts ${name}`, () => assert.equal(requirementsOf(text).length, 1));
  }
  const refused: [string, string, RegExp][] = [
    ['a 64-character name', `${'a'.repeat(64)}=x`, /invalid label key/],
    ['a 254-character prefix', `${prefix253}b/app`, /the prefix must be a DNS subdomain/],
    ['an empty prefix', '/app', /the prefix must be a DNS subdomain/],
    ['a prefix ending in a dash', 'a-/app', /the prefix must be a DNS subdomain/],
    ['a prefix ending in a dot', 'example.com./app', /the prefix must be a DNS subdomain/],
    ['a prefix with an underscore', 'example_com/app', /the prefix must be a DNS subdomain/],
    ['no key after !', '!', /found 'end of string', expected: identifier/],
    ['a comma after !', '!,a', /found ',', expected: identifier/],
    ['a prefix with capitals', 'Example.com/app', /the prefix must be a DNS subdomain/],
    ['two slashes', 'a/b/c', /invalid label key "a\/b\/c": a name/],
    ['a name ending in a dash', 'app-=x', /invalid label key "app-"/],
    ['a name starting with a dot', '.app', /invalid label key ".app"/],
    ['a 64-character value', `app=${'v'.repeat(64)}`, /invalid value/],
    ['a value ending in a dot', 'app=v.', /invalid value "v." for label "app"/],
    ['a value with a slash', 'app=a/b', /invalid value "a\/b"/],
    ['one past the largest 64-bit integer', 'x>9223372036854775808', /must be an integer/],
    ['a negative integer', 'x>-1', /must be an integer/],
    ['digits then a letter', 'x>1a', /must be an integer/],
    ['a letter then digits', 'x<a1', /must be an integer/],
    ['a signed integer', 'x<+1', /must be an integer/],
    ['no integer', 'x>', /must be an integer; found 'end of string'/],
    ['a list after >', 'x>(1)', /must be an integer; found '\('/],
    ['a 64-digit integer', `x>${'0'.repeat(63)}1`, /must be an integer/],
    ['an operator where a value goes', 'x=!', /found '!', expected: identifier/],
  ];
  for (const [name, text, problem] of refused) {
    it(`refuses ${name}`, () => assert.match(problemOf(text), problem));
  }
});

describe('tokens: apimachinery Lexer', () => {
  const cases: [string, LabelRequirement[]][] = [
    // White space is space, tab, CR and LF only.
    ['a\t=\tb', [{key: 'a', op: '=', value: 'b'}]],
    ['a\n!=\r\nb', [{key: 'a', op: '!=', value: 'b'}]],
    // "!=" and "==" are single tokens; "!" then "=" is not "!=".
    ['a==b', [{key: 'a', op: '==', value: 'b'}]],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => {
      assert.deepEqual(parseLabelSelector(text), {ok: true, selector: {requirements: expected}});
    });
  }
  it('other characters are part of an identifier (TestLexer: "~", "||")', () => {
    assert.match(problemOf('a=b~c'), /invalid value "b~c" for label "a"/);
  });
  it('a non-breaking space is no separator', () => {
    assert.match(problemOf('a\u00a0=b'), /invalid label key "a\u00a0"/);
  });
  it('"! =" is two tokens', () => {
    assert.match(problemOf('a! =b'), /found '!', expected: one of/);
  });
});
