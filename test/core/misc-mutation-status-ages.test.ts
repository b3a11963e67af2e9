/**
 * `status`'s ages are kubectl's (README: "Ages are kubectl's"): k8s.io/apimachinery's
 * `duration.HumanDuration`. Each expectation is worked out by hand from its Go source: seconds
 * are `int(d.Seconds())`, truncated toward zero, so anything above -2 s is "almost now" (its
 * comment: a deviation of up to 2 seconds, excluded, is machine time inconsistency) and below
 * 2 minutes whole seconds are shown; then minutes (with seconds under 10 minutes, alone under 3
 * hours), hours (with minutes under 8 hours, alone under 48), days (with hours under 8 days,
 * alone under 2 years), years (with days under 8 years).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {humanDuration} from '../../functions/core/status-report.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration at every boundary of kubectl’s HumanDuration', () => {
  const cases: Array<[number, string]> = [
    [-2 * S - 1, '<invalid>'],
    [-2 * S, '<invalid>'],
    [-1999, '0s'],
    [-1500, '0s'],
    [-1 * S, '0s'],
    [-1, '0s'],
    [999, '0s'],
    [1 * S, '1s'],
    [2 * M - 1, '119s'],
    [2 * M, '2m'],
    [2 * M + 1 * S, '2m1s'],
    [10 * M - 1, '9m59s'],
    [10 * M, '10m'],
    [10 * M + 59 * S, '10m'],
    [3 * H - 1, '179m'],
    [3 * H, '3h'],
    [3 * H + 59 * M, '3h59m'],
    [8 * H - 1, '7h59m'],
    [8 * H, '8h'],
    [48 * H - 1, '47h'],
    [48 * H, '2d'],
    [49 * H, '2d1h'],
    [8 * D - 1, '7d23h'],
    [8 * D, '8d'],
    [730 * D - 1, '729d'],
    [730 * D, '2y'],
    [731 * D, '2y1d'],
    [2920 * D - 1, '7y364d'],
    [2920 * D, '8y'],
    [3650 * D, '10y'],
  ];
  for (const [ms, want] of cases) {
    it(`${ms} ms → ${want}`, () => assert.equal(humanDuration(ms), want));
  }
});
