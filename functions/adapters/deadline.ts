/**
 * Bounds a store call by the pass deadline. The SDK's own per-RPC limits still apply; this
 * only stops the pass from waiting past its budget. A write that completes after we stopped
 * waiting is harmless: state is committed before messages are sent, and a later pass
 * delivers what it committed.
 */
import {StoreError} from '../core/errors.js';

/** `work`, or `StoreError` `DEADLINE` once `deadline` (real clock) has passed. */
export async function withinDeadline<T>(
  work: () => Promise<T>,
  deadline: Date | undefined,
  what: string,
): Promise<T> {
  if (deadline === undefined) return work();
  const remainingMs = deadline.getTime() - Date.now();
  const late = () =>
    new StoreError('DEADLINE', `Could not ${what} before the pass deadline; the next pass will.`);
  if (remainingMs <= 0) throw late();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), remainingMs);
  });
  try {
    return await Promise.race([work(), expired]);
  } finally {
    clearTimeout(timer);
  }
}
