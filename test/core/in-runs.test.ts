/**
 * `inRuns`: consecutive batchable items in runs of min to max, everything else one by one, all
 * in the order given.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {inRuns} from '../../functions/core/concurrency.js';

/** What `inRuns` did with `items` (uppercase letters are batchable), as `[run]` and `item`. */
async function callsFor(items: string, min: number, max: number): Promise<string> {
  const calls: string[] = [];
  await inRuns(
    [...items],
    {batchable: item => item === item.toUpperCase(), min, max},
    async run => {
      calls.push(`[${run.join('')}]`);
    },
    async item => {
      calls.push(item);
    },
  );
  return calls.join(' ');
}

describe('inRuns', () => {
  const table: Array<{items: string; min: number; max: number; calls: string}> = [
    {items: '', min: 2, max: 3, calls: ''},
    {items: 'abc', min: 2, max: 3, calls: 'a b c'},
    {items: 'ABC', min: 2, max: 3, calls: '[ABC]'},
    {items: 'ABCDE', min: 2, max: 3, calls: '[ABC] [DE]'},
    // A run cut by max leaves a tail shorter than min: item by item.
    {items: 'ABCD', min: 2, max: 3, calls: '[ABC] D'},
    {items: 'aBCdEf', min: 2, max: 3, calls: 'a [BC] d E f'},
    {items: 'AbCD', min: 2, max: 5, calls: 'A b [CD]'},
    {items: 'ABCDEFG', min: 1, max: 2, calls: '[AB] [CD] [EF] [G]'},
    {items: 'AB', min: 3, max: 9, calls: 'A B'},
  ];
  for (const row of table) {
    it(`${JSON.stringify(row.items)} with runs of ${row.min} to ${row.max}: ${row.calls || 'nothing'}`, async () => {
      assert.equal(await callsFor(row.items, row.min, row.max), row.calls);
    });
  }

  it('waits for each call before the next, so nothing overlaps', async () => {
    const log: string[] = [];
    const slow = (what: string) => async () => {
      log.push(`start ${what}`);
      await new Promise(resolve => setImmediate(resolve));
      log.push(`end ${what}`);
    };
    await inRuns(
      [1, 2, 3],
      {batchable: n => n > 1, min: 2, max: 2},
      run => slow(`[${run.join('')}]`)(),
      n => slow(String(n))(),
    );
    assert.deepEqual(log, ['start 1', 'end 1', 'start [23]', 'end [23]']);
  });
});
