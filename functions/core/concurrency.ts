/**
 * Runs `fn` over `items` with at most `limit` calls in flight, and resolves to the results in
 * the order of `items`. A rejection rejects the whole call (after the calls already started
 * settle); callers that must isolate failures catch inside `fn` and return them as values.
 * Pure control flow: no clock, no I/O of its own.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new RangeError(`concurrency limit must be a whole number ≥ 1, got ${limit}`);
  }
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: {error: unknown} | null = null;
  // Each worker takes the next unclaimed index until none is left (or one failed), so at
  // most `limit` calls are ever in flight and a slow item holds back only its own worker.
  const worker = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index] as T, index);
      } catch (error) {
        failure ??= {error};
      }
    }
  };
  const workers = Array.from({length: Math.min(limit, items.length)}, () => worker());
  await Promise.all(workers);
  if (failure !== null) throw (failure as {error: unknown}).error;
  return results;
}
