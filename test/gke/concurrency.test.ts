import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mapWithConcurrency} from '../../functions/core/concurrency.js';

/**
 * Work whose completion the test controls: each call waits until the test releases it, so
 * the number in flight is observed exactly, without timers.
 */
function controlledWork() {
  const pending: {item: number; release: () => void; fail: (error: Error) => void}[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const started: number[] = [];
  const fn = async (item: number): Promise<string> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    started.push(item);
    try {
      await new Promise<void>((resolve, reject) =>
        pending.push({item, release: resolve, fail: reject}),
      );
      return `done ${item}`;
    } finally {
      inFlight--;
    }
  };
  // Lets every ready continuation run, so the workers take the next items.
  const settle = () => new Promise<void>(resolve => setImmediate(resolve));
  return {fn, pending, started, settle, stats: () => ({inFlight, maxInFlight})};
}

test('mapWithConcurrency never has more than `limit` calls in flight and keeps order', async () => {
  const work = controlledWork();
  const items = Array.from({length: 10}, (_, i) => i);
  const all = mapWithConcurrency(items, 3, work.fn);
  await work.settle();
  assert.deepEqual(work.started, [0, 1, 2]);
  assert.equal(work.stats().inFlight, 3);

  // Release out of order: the slow item 0 holds back only its own worker.
  work.pending.find(p => p.item === 2)?.release();
  await work.settle();
  assert.deepEqual(work.started, [0, 1, 2, 3]);
  while (work.started.length < items.length || work.stats().inFlight > 0) {
    const next = work.pending.shift();
    assert.ok(next, 'a call is waiting to be released');
    next.release();
    await work.settle();
    assert.ok(work.stats().inFlight <= 3);
  }
  assert.deepEqual(
    await all,
    items.map(i => `done ${i}`),
  );
  assert.equal(work.stats().maxInFlight, 3);
});

test('mapWithConcurrency uses fewer workers than the limit when there are fewer items', async () => {
  const work = controlledWork();
  const all = mapWithConcurrency([7, 8], 5, work.fn);
  await work.settle();
  assert.equal(work.stats().inFlight, 2);
  for (const p of work.pending.splice(0)) p.release();
  assert.deepEqual(await all, ['done 7', 'done 8']);
});

test('mapWithConcurrency of nothing is nothing', async () => {
  assert.deepEqual(await mapWithConcurrency([], 2, async () => 1), []);
});

test('mapWithConcurrency stops taking items after a rejection and rejects with it', async () => {
  const work = controlledWork();
  const all = mapWithConcurrency([0, 1, 2, 3, 4], 2, work.fn);
  await work.settle();
  work.pending.find(p => p.item === 0)?.fail(new Error('boom'));
  await work.settle();
  // Item 1 is still in flight; nothing new started after the failure.
  assert.deepEqual(work.started, [0, 1]);
  work.pending.find(p => p.item === 1)?.release();
  await assert.rejects(all, /boom/);
  assert.deepEqual(work.started, [0, 1]);
});

test('mapWithConcurrency rejects a limit below 1 or fractional', async () => {
  await assert.rejects(
    mapWithConcurrency([1], 0, async x => x),
    RangeError,
  );
  await assert.rejects(
    mapWithConcurrency([1], 1.5, async x => x),
    RangeError,
  );
});
