/**
 * The Japanese words that no message test read back: field labels and notes that only appear
 * on rarer messages. Expected sentences are written out by hand as an on-call SRE in Japan
 * reads them (words-ja.ts: Kubernetes terms as they are, sentences ending in です/ました).
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {FAILING_WORDS} from '../../functions/core/detections/failing/words.js';
import {FINISHED_TOO_FAST_WORDS} from '../../functions/core/detections/finished-too-fast/words.js';
import {MISSED_WORDS} from '../../functions/core/detections/missed/words.js';

describe('failing, in Japanese: labels and notes', () => {
  const w = FAILING_WORDS.ja;
  it('every label', () => {
    assert.deepEqual(w.labels, {
      failed: '失敗時刻',
      failedRuns: '失敗回数',
      reason: '理由',
      latestReason: '直近の理由',
    });
  });
  it('an approximate failure time', () => {
    assert.equal(
      w.approximateTime,
      '失敗時刻は概算です: Job に失敗時刻として使える値がないため、次に使える時刻（完了・開始・スケジュール・作成のいずれか）で代用しています。',
    );
  });
});

describe('missed runs, in Japanese: labels and a CronJob that never started', () => {
  const w = MISSED_WORDS.ja;
  it('labels', () => {
    assert.deepEqual(w.labels, {lastStarted: '最後の起動', missedRuns: '未起動の回数'});
  });
  it('never started: the last-started field says none', () => {
    assert.equal(w.neverStarted, 'なし');
  });
});

describe('runs that finished too fast, in Japanese: labels', () => {
  it('every label', () => {
    assert.deepEqual(FINISHED_TOO_FAST_WORDS.ja.labels, {
      finished: '終了時刻',
      floor: '短すぎる基準',
      fastRuns: '短すぎた実行',
    });
  });
});
