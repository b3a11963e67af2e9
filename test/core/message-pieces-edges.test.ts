/**
 * Message pieces mutation testing found unpinned (test/mutation/README.md): which schedules are
 * put in words (and which are shown as written), which zones are worth naming, and how a Pods
 * explanation is split into causes and cut to a headline's short cause. Expectations follow the
 * rules in messages/pieces.ts, worked out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {COMMON_WORDS} from '../../functions/core/messages/catalogue.js';
import {
  cadenceOf,
  describeSchedule,
  plainOf,
  podCausesOf,
  podDetailsOf,
  shortCauseOf,
} from '../../functions/core/messages/pieces.js';

describe('describeSchedule: in words, or null (shown as written)', () => {
  const cases: Array<[string, ReturnType<typeof describeSchedule>]> = [
    ['@hourly', {type: 'hourly', minute: 0}],
    [' @hourly ', {type: 'hourly', minute: 0}],
    ['@daily', {type: 'daily', time: '00:00'}],
    ['@midnight', {type: 'daily', time: '00:00'}],
    ['@weekly', {type: 'weekly', day: 0, time: '00:00'}],
    ['*/15 * * * *', {type: 'minutes', step: 15}],
    ['0/5 * * * *', {type: 'minutes', step: 5}],
    ['10/5 * * * *', null],
    ['*/5,7 * * * *', null],
    ['*/15 9 * * *', null],
    ['*/15 * * * 1', null],
    ['* * * * *', {type: 'minutes', step: 1}],
    ['* 9 * * *', null],
    ['30 * * * *', {type: 'hourly', minute: 30}],
    ['5,35 * * * *', null],
    ['5 7 * * *', {type: 'daily', time: '07:05'}],
    ['0  9 * * *', {type: 'daily', time: '09:00'}],
    ['0 9 ? * *', {type: 'daily', time: '09:00'}],
    ['0 9 * * ?', {type: 'daily', time: '09:00'}],
    ['0 9 * * 1', {type: 'weekly', day: 1, time: '09:00'}],
    ['0 9 * * 7', {type: 'weekly', day: 0, time: '09:00'}],
    ['0 9 1 * *', null],
    ['0 9 * 1 *', null],
    ['0 9 * * 1-5', null],
    ['0 9 * * * *', null],
    ['0 9 * *', null],
  ];
  for (const [schedule, want] of cases) {
    it(JSON.stringify(schedule), () => assert.deepEqual(describeSchedule(schedule), want));
  }
});

describe('cadenceOf: UTC is not worth naming, another zone is', () => {
  const words = COMMON_WORDS.en;
  const said = (zone: string | null) => plainOf(cadenceOf('0 9 * * *', zone, words));
  it('null, UTC and Etc/UTC read the same, with no zone', () => {
    assert.equal(said('UTC'), said(null));
    assert.equal(said('Etc/UTC'), said(null));
    assert.ok(!said(null).includes('UTC'), said(null));
  });
  it('Asia/Tokyo is named', () => assert.ok(said('Asia/Tokyo').includes('Asia/Tokyo')));
});

describe('a Pods explanation as causes', () => {
  it('split, trimmed, each with who and what', () => {
    assert.deepEqual(podCausesOf('  container main: OOMKilled (exit 137); pod x-1: Evicted '), [
      {who: 'container', name: 'main', what: 'OOMKilled (exit 137)'},
      {who: 'pod', name: 'x-1', what: 'Evicted'},
    ]);
  });
  it('an unrecognised part is kept whole, naming nobody', () => {
    assert.deepEqual(podCausesOf('the container main: x'), [
      {who: null, name: '', what: 'the container main: x'},
    ]);
  });
  it('labels: a container, a Pod, or none', () => {
    const words = COMMON_WORDS.en;
    const fields = podDetailsOf(podCausesOf('container main: A; pod p: B; C'), 100, words);
    assert.deepEqual(
      fields.map(f => f.label),
      [words.labels.container('main'), words.labels.pod('p'), ''],
    );
  });

  const shortCases: Array<[string, string]> = [
    ['OOMKilled (exit 137)', 'OOMKilled (exit 137)'],
    ['ImagePullBackOff (Back-off pulling image "x")', 'ImagePullBackOff'],
    ['OOMKilled (exit 137) (again)', 'OOMKilled'],
    ['Error: boom (x)', 'Error: boom (x)'],
    ['1OOM (y)', '1OOM (y)'],
    ['OOM1 (y)', 'OOM1 (y)'],
  ];
  for (const [what, want] of shortCases) {
    it(`short cause of ${JSON.stringify(what)}`, () =>
      assert.equal(shortCauseOf({who: 'container', name: 'main', what}), want));
  }
});
