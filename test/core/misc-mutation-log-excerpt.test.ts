/**
 * The log excerpt of a failed run (functions/core/log-excerpt.ts) at its edges, from its rules:
 * the last `lines` lines (CRLF and CR read as line ends, one trailing newline dropped), a line
 * longer than 400 characters cut to 399 and `…` (characters, not UTF-16 units), older lines
 * dropped while the text, escaped as Slack escapes it (`&` five characters, `<` and `>` four),
 * is over 2,400; a read that reached `limitBytes` (64 KiB) is cut; a blank log is `empty`.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {excerptOf, logTargetOf, unavailableExcerpt} from '../../functions/core/log-excerpt.js';
import type {PodInfo} from '../../functions/core/model.js';

const target = {pod: 'job-1-abcde', container: 'main'};

describe('excerptOf: which lines', () => {
  it('the last N lines', () => {
    assert.equal(excerptOf(target, 'a\nb\nc\nd', 3, 7).text, 'b\nc\nd');
    assert.equal(excerptOf(target, 'a\nb', 5, 3).text, 'a\nb');
  });
  it('CR alone ends a line too; only one trailing newline is dropped', () => {
    assert.equal(excerptOf(target, 'a\rb\rc\r', 2, 6).text, 'b\nc');
    assert.equal(excerptOf(target, 'a\n\n', 5, 3).text, 'a\n');
  });
});

describe('excerptOf: a long line', () => {
  it('400 characters stay whole, 401 become 399 and …', () => {
    assert.equal(excerptOf(target, 'x'.repeat(400), 1, 400).text, 'x'.repeat(400));
    assert.equal(excerptOf(target, 'x'.repeat(401), 1, 401).text, `${'x'.repeat(399)}…`);
  });
  it('counted in characters: 400 emoji are 800 UTF-16 units and stay whole', () => {
    const smile = '\u{1F600}';
    assert.equal(excerptOf(target, smile.repeat(400), 1, 1600).text, smile.repeat(400));
    assert.equal(excerptOf(target, smile.repeat(401), 1, 1604).text, `${smile.repeat(399)}…`);
  });
});

describe('excerptOf: what fits a Slack section', () => {
  // Five lines of 80 `&` are 5 × 400 + 4 newlines = 2,004 escaped characters; an older line of
  // 395 letters and its newline make 2,400 exactly, one of 396 letters 2,401.
  it('2,400 escaped characters fit; 2,401 drop the older line and say so', () => {
    const ands = Array.from({length: 5}, () => '&'.repeat(80)).join('\n');
    const fits = excerptOf(target, `${'a'.repeat(395)}\n${ands}`, 6, 800);
    assert.equal(fits.text, `${'a'.repeat(395)}\n${ands}`);
    assert.equal(fits.cut, false);
    const over = excerptOf(target, `${'a'.repeat(396)}\n${ands}`, 6, 801);
    assert.equal(over.text, ands);
    assert.equal(over.cut, true);
  });
  it('`>` counts four, `&` five, others one', () => {
    const over = excerptOf(target, `${'>'.repeat(250)}\n${'&'.repeat(280)}`, 2, 531);
    // 1,000 + 1 + 1,400 = 2,401: the older line goes.
    assert.equal(over.text, '&'.repeat(280));
    const fits = excerptOf(target, `${'>'.repeat(250)}\n${'&'.repeat(279)}\n`, 2, 531);
    // 1,000 + 1 + 1,395 = 2,396.
    assert.equal(fits.text, `${'>'.repeat(250)}\n${'&'.repeat(279)}`);
    assert.equal(fits.cut, false);
  });
});

describe('excerptOf: cut and empty', () => {
  it('a read of exactly 64 KiB reached the limit; one byte less did not', () => {
    assert.equal(excerptOf(target, 'a', 5, 65_536).cut, true);
    assert.equal(excerptOf(target, 'a', 5, 65_535).cut, false);
  });
  it('a blank log has no text and says it was empty', () => {
    assert.deepEqual(excerptOf(target, ' \n\t', 5, 3), {
      pod: 'job-1-abcde',
      container: 'main',
      text: null,
      cut: false,
      unavailable: {reason: 'empty', detail: null},
    });
  });
});

describe('unavailableExcerpt', () => {
  it('names the container it could not read, or none', () => {
    const why = {reason: 'forbidden' as const, detail: 'pods/log is forbidden'};
    assert.deepEqual(unavailableExcerpt(target, why), {
      pod: 'job-1-abcde',
      container: 'main',
      text: null,
      cut: false,
      unavailable: why,
    });
    assert.deepEqual(unavailableExcerpt(null, {reason: 'no-pod', detail: null}), {
      pod: '',
      container: '',
      text: null,
      cut: false,
      unavailable: {reason: 'no-pod', detail: null},
    });
  });
});

describe('logTargetOf: the failed container of the last attempt', () => {
  function pod(name: string, created: string | null, terminations: PodInfo['terminations']) {
    const info: PodInfo = {
      namespace: 'batch',
      name,
      jobUid: 'j',
      jobName: 'job-1',
      phase: 'Failed',
      reason: null,
      message: null,
      terminations,
      waiting: [],
      unschedulable: null,
      restarts: 0,
      createdAt: created === null ? null : new Date(created),
    };
    return info;
  }
  const end = (container: string, reason: string | null, exitCode: number | null) => ({
    container,
    reason,
    exitCode,
    message: null,
  });
  it('a clean exit (0, no reason or Completed) is skipped; exit 0 with Error is a failure', () => {
    assert.deepEqual(
      logTargetOf([
        pod('p', '2026-01-01T00:00:00Z', [
          end('a', null, 0),
          end('b', 'Completed', 0),
          end('c', 'Error', 0),
        ]),
      ]),
      {pod: 'p', container: 'c'},
    );
  });
  it('a Pod with no creation time is the oldest', () => {
    assert.deepEqual(
      logTargetOf([
        pod('dated', '2026-01-01T00:00:00Z', [end('x', 'Error', 1)]),
        pod('undated', null, [end('y', 'Error', 1)]),
      ]),
      {pod: 'dated', container: 'x'},
    );
    assert.deepEqual(
      logTargetOf([
        pod('undated', null, [end('y', 'Error', 1)]),
        pod('dated', '2026-01-01T00:00:00Z', [end('x', 'Error', 1)]),
      ]),
      {pod: 'dated', container: 'x'},
    );
  });
});
