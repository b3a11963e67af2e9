/**
 * Second round for the misc group, each case from the rule its file states: a Pod with no
 * creation time counts as the oldest wherever it stands in the list (explain.ts); `<` costs
 * four characters once Slack escaped it, and a container that exited non-zero with no reason
 * failed (log-excerpt.ts); the "not a setting" note lists exactly the annotations the README
 * documents (each slice's settings.ts adds its own).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {explainFailure, explainStuck} from '../../functions/core/explain.js';
import {excerptOf, logTargetOf} from '../../functions/core/log-excerpt.js';
import type {PodInfo} from '../../functions/core/model.js';
import {parseAnnotations} from '../../functions/core/policy.js';

function pod(name: string, created: string | null, over: Partial<PodInfo> = {}): PodInfo {
  return {
    namespace: 'batch',
    name,
    jobUid: 'u',
    jobName: 'job-1',
    phase: 'Failed',
    reason: null,
    message: null,
    terminations: [],
    waiting: [],
    unschedulable: null,
    restarts: 0,
    createdAt: created === null ? null : new Date(created),
    ...over,
  };
}

const ended = (container: string, reason: string | null, exitCode: number | null) => ({
  container,
  reason,
  exitCode,
  message: null,
});

describe('a Pod with no creation time is the oldest, first or last in the list', () => {
  it('explainFailure', () => {
    const pods = [
      pod('dated', '2026-01-01T00:00:00Z', {terminations: [ended('main', 'Error', 1)]}),
      pod('undated', null, {terminations: [ended('main', 'Undated', 2)]}),
    ];
    const want = 'container main: Error (exit 1); container main: Undated (exit 2)';
    assert.equal(explainFailure(pods), want);
    assert.equal(explainFailure([pods[1]!, pods[0]!]), want);
  });
  it('explainStuck', () => {
    const pods = [
      pod('dated', '2026-01-01T00:00:00Z', {restarts: 2}),
      pod('undated', null, {restarts: 3}),
    ];
    const want = 'pod dated: 2 restarts; pod undated: 3 restarts';
    assert.equal(explainStuck(pods), want);
    assert.equal(explainStuck([pods[1]!, pods[0]!]), want);
  });
});

describe('log excerpt', () => {
  const target = {pod: 'p', container: 'main'};
  it('`<` counts four: 250 of them, a newline and 280 `&` are 2,401', () => {
    const over = excerptOf(target, `${'<'.repeat(250)}\n${'&'.repeat(280)}`, 2, 531);
    assert.equal(over.text, '&'.repeat(280));
    assert.equal(over.cut, true);
  });
  it('a container that exited 2 with no reason failed', () => {
    assert.deepEqual(
      logTargetOf([pod('p', '2026-01-01T00:00:00Z', {terminations: [ended('m', null, 2)]})]),
      {pod: 'p', container: 'm'},
    );
  });
});

describe('an unknown annotation: the known ones listed', () => {
  it('exactly the documented annotations, each once', () => {
    const problem = parseAnnotations({'cronjob-watcher/typo': 'x'}).problems[0]?.problem ?? '';
    const m = /^is not a setting \(known: (.*)\)$/.exec(problem);
    assert.ok(m, problem);
    assert.deepEqual(m[1]!.split(', ').sort(), [
      'duration-anomalies',
      'ignore',
      'language',
      'log-lines',
      'maintenance',
      'max-duration',
      'mention',
      'min-duration',
      'missed-grace',
      'reminders',
      'runbook',
      'slack-channel',
    ]);
  });
});
