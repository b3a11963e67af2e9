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

/** How `inRuns` groups items: which may go together, and how many at the least and most. */
export interface Runs<T> {
  batchable(item: T): boolean;
  /** Shorter runs go item by item. */
  min: number;
  max: number;
}

/**
 * Walks `items` in order: consecutive items that `runs.batchable` accepts go to `batch` in runs
 * of `runs.min` to `runs.max`, every other item (and a run too short) to `single`, one by one,
 * so everything is handled in the order of `items`. Pure control flow, like the above.
 */
export async function inRuns<T>(
  items: Iterable<T>,
  runs: Runs<T>,
  batch: (run: T[]) => Promise<void>,
  single: (item: T) => Promise<void>,
): Promise<void> {
  let run: T[] = [];
  const flush = async () => {
    const taken = run;
    run = [];
    if (taken.length >= runs.min) await batch(taken);
    else for (const item of taken) await single(item);
  };
  for (const item of items) {
    if (runs.batchable(item)) {
      run.push(item);
      if (run.length >= runs.max) await flush();
      continue;
    }
    await flush();
    await single(item);
  }
  await flush();
}
