/**
 * The slices' annotations (functions/core/detections/<kind>/settings.ts) read through
 * `parseAnnotations`, as the README documents them: `log-lines` a whole number from 1 to 50
 * (decimal digits only), `duration-anomalies: "off"` turning off both duration detections (on
 * by default), `min-duration` a duration (none by default). Expectations written out by hand.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {NO_SETTINGS, parseAnnotations} from '../../functions/core/policy.js';

const P = 'cronjob-watcher/';

describe('log-lines: decimal digits only', () => {
  for (const value of ['0x10', '1e1', '10abc', 'abc10', '1_0']) {
    it(`${JSON.stringify(value)} is refused`, () => {
      const parsed = parseAnnotations({[`${P}log-lines`]: value});
      assert.equal(parsed.settings.logLines, null);
      assert.deepEqual(parsed.problems, [
        {
          annotation: `${P}log-lines`,
          value,
          problem: 'must be a whole number from 1 to 50',
        },
      ]);
    });
  }
  it('"07" is 7', () => {
    assert.equal(parseAnnotations({[`${P}log-lines`]: '07'}).settings.logLines, 7);
  });
});

describe('the duration detections’ settings', () => {
  it('by default: both on, no fixed floor', () => {
    assert.equal(NO_SETTINGS.durationAnomalies, true);
    assert.equal(NO_SETTINGS.minDurationMs, null);
    const parsed = parseAnnotations({});
    assert.equal(parsed.settings.durationAnomalies, true);
    assert.equal(parsed.settings.minDurationMs, null);
  });
  it('duration-anomalies: "off" turns them off; min-duration sets the floor', () => {
    const parsed = parseAnnotations({
      [`${P}duration-anomalies`]: 'off',
      [`${P}min-duration`]: '2m',
    });
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.settings.durationAnomalies, false);
    assert.equal(parsed.settings.minDurationMs, 120_000);
  });
});
