/**
 * The small shared modules of the core that read what others wrote or carry failures: json.ts
 * (what counts as a JSON object), errors.ts (codes, names, causes, the cut description) and
 * concurrency.ts's mapWithConcurrency (the limit, the order of results, the first failure).
 * Promises are settled by hand, in a stated order: no clock.
 */
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {isObject} from '../../functions/core/json.js';
import {
  ClusterError,
  ConfigError,
  describeError,
  NotifyError,
  StoreError,
  UsageError,
  WatcherError,
} from '../../functions/core/errors.js';
import {mapWithConcurrency} from '../../functions/core/concurrency.js';

describe('isObject: a JSON object, nothing else', () => {
  const cases: [string, unknown, boolean][] = [
    ['an object', {a: 1}, true],
    ['an empty object', {}, true],
    ['null', null, false],
    ['a list', [1], false],
    ['an empty list', [], false],
    ['text', 'x', false],
    ['a number', 1, false],
    ['undefined', undefined, false],
    ['a boolean', true, false],
  ];
  for (const [name, value, expected] of cases) {
    it(name, () => assert.equal(isObject(value), expected));
  }
});

describe('typed errors', () => {
  it('each carries its code, its class name and its cause', () => {
    const cause = new Error('socket hang up');
    const cases: [WatcherError, string, string][] = [
      [new WatcherError('X', 'm', {cause}), 'X', 'WatcherError'],
      [new ConfigError('m', {cause}), 'CONFIG', 'ConfigError'],
      [new UsageError('m', {cause}), 'CONFIG', 'UsageError'],
      [new ClusterError('TLS', 'm', {cause}), 'TLS', 'ClusterError'],
      [new StoreError('UNAVAILABLE', 'm', {cause}), 'UNAVAILABLE', 'StoreError'],
      [new NotifyError('rate_limited', 'm', true, {cause}), 'rate_limited', 'NotifyError'],
    ];
    for (const [error, code, name] of cases) {
      assert.equal(error.code, code, name);
      assert.equal(error.name, name);
      assert.equal(error.message, 'm');
      assert.equal(error.cause, cause, name);
      assert.ok(error instanceof WatcherError && error instanceof Error);
    }
    assert.ok(new UsageError('m') instanceof ConfigError);
  });
  it('a notification error says whether to retry, whether Slack may have it, whether it was tried', () => {
    const plain = new NotifyError('x', 'm', false);
    assert.deepEqual(
      [plain.retryable, plain.outcomeUnknown, plain.deferred],
      [false, false, false],
    );
    const unknown = new NotifyError('x', 'm', true, {outcomeUnknown: true});
    assert.deepEqual(
      [unknown.retryable, unknown.outcomeUnknown, unknown.deferred],
      [true, true, false],
    );
    const deferred = new NotifyError('x', 'm', true, {deferred: true});
    assert.deepEqual(
      [deferred.retryable, deferred.outcomeUnknown, deferred.deferred],
      [true, false, true],
    );
  });
  it('describeError: the message, or the value; 1,000 characters at most', () => {
    assert.equal(describeError(new ClusterError('TLS', 'bad certificate')), 'bad certificate');
    assert.equal(describeError('plain text'), 'plain text');
    assert.equal(describeError(42), '42');
    assert.equal(describeError(null), 'null');
    assert.equal(describeError(new Error('x'.repeat(1000))), 'x'.repeat(1000));
    assert.equal(describeError(new Error('x'.repeat(1001))), `${'x'.repeat(1000)}…`);
  });
});

/** A promise settled from outside, in the order the test chooses. */
function deferred<T>(): {promise: Promise<T>; resolve(v: T): void; reject(e: unknown): void} {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {promise, resolve, reject};
}

/** Lets every settled promise's continuations run. */
const drain = () => new Promise<void>(resolve => setImmediate(resolve));

describe('mapWithConcurrency', () => {
  it('at most `limit` calls in flight; results in the order of the items', async () => {
    const pending = ['a', 'b', 'c', 'd', 'e'].map(() => deferred<string>());
    const started: number[] = [];
    const all = mapWithConcurrency(['a', 'b', 'c', 'd', 'e'], 2, (item, index) => {
      started.push(index);
      return pending[index]!.promise.then(v => `${item}${v}`);
    });
    await drain();
    assert.deepEqual(started, [0, 1]);
    pending[1]!.resolve('1');
    await drain();
    assert.deepEqual(started, [0, 1, 2], 'a slow item holds back only its own worker');
    pending[0]!.resolve('0');
    await drain();
    assert.deepEqual(started, [0, 1, 2, 3]);
    pending[3]!.resolve('3');
    pending[2]!.resolve('2');
    await drain();
    pending[4]!.resolve('4');
    assert.deepEqual(await all, ['a0', 'b1', 'c2', 'd3', 'e4']);
  });
  it('a limit above the number of items starts them all', async () => {
    const started: number[] = [];
    const results = await mapWithConcurrency([1, 2, 3], 10, async (n, i) => {
      started.push(i);
      return n * 2;
    });
    assert.deepEqual(results, [2, 4, 6]);
    assert.deepEqual(started, [0, 1, 2]);
    assert.deepEqual(await mapWithConcurrency([], 3, async () => 1), []);
  });
  it('the first failure rejects the call, after the started calls settle; nothing new starts', async () => {
    const pending = [0, 1, 2, 3].map(() => deferred<number>());
    const started: number[] = [];
    let settled = false;
    const all = mapWithConcurrency([0, 1, 2, 3], 2, i => {
      started.push(i);
      return pending[i]!.promise;
    }).finally(() => {
      settled = true;
    });
    await drain();
    pending[0]!.reject(new Error('first'));
    await drain();
    assert.deepEqual(started, [0, 1], 'no new call after a failure');
    assert.equal(settled, false, 'waits for the call still in flight');
    pending[1]!.reject(new Error('second'));
    await assert.rejects(all, {message: 'first'});
  });
  it('refuses a limit that is not a whole number ≥ 1', async () => {
    for (const limit of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await assert.rejects(
        mapWithConcurrency([1], limit, async n => n),
        {name: 'RangeError', message: `concurrency limit must be a whole number ≥ 1, got ${limit}`},
      );
    }
    assert.deepEqual(await mapWithConcurrency([1, 2], 1, async n => n), [1, 2]);
  });
});
