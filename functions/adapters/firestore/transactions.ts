/**
 * Firestore transactions as the store runs them: what stops the SDK's retries, what runs a
 * dropped transaction again, and how a Firestore error becomes a `StoreError`.
 */
import type {Firestore, Transaction} from '@google-cloud/firestore';
import {describeError, StoreError} from '../../core/errors.js';
import {isObject} from '../../core/json.js';

/** gRPC status codes (google.rpc.Code) the SDK puts in `error.code`. */
const GRPC_CODE_NAMES: Record<number, string> = {
  1: 'CANCELLED',
  2: 'UNKNOWN',
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE',
  5: 'NOT_FOUND',
  6: 'ALREADY_EXISTS',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION',
  10: 'ABORTED',
  11: 'OUT_OF_RANGE',
  12: 'UNIMPLEMENTED',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  16: 'UNAUTHENTICATED',
};

/** The backend could not be reached at all: retrying the transaction would only wait longer. */
export const OUTAGE_CODES = new Set([4, 14]);

// Whole transactions tried again when Firestore dropped one midway (`lostTransaction`).
const LOST_TRANSACTION_ATTEMPTS = 3;

/**
 * Firestore (the emulator under contention, a transaction that expired) can answer
 * INVALID_ARGUMENT "Transaction is invalid or closed": nothing of it was committed, and the
 * SDK does not retry it as it retries ABORTED. The whole transaction can run again.
 */
function lostTransaction(error: unknown): boolean {
  return (
    codeOf(error) === 3 &&
    /transaction is invalid or closed/i.test(error instanceof Error ? error.message : '')
  );
}

/** Thrown inside a transaction to stop the SDK from retrying; carries what really happened. */
export class StopTransaction extends Error {
  constructor(
    readonly kind: 'change' | 'outage',
    readonly reason: unknown,
  ) {
    super(`transaction stopped (${kind})`);
  }
}

/** A read inside a transaction: contention is retried by the SDK, an unreachable backend not. */
export async function readInTransaction<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    // The read already went through the SDK's stream retries.
    if (OUTAGE_CODES.has(codeOf(error) ?? -1)) throw new StopTransaction('outage', error);
    throw error;
  }
}

/** `runTransaction`, run again whole (at most 3 times) when Firestore dropped it midway. */
export async function transact<T>(
  db: Firestore,
  body: (tx: Transaction) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.runTransaction(body);
    } catch (error) {
      if (attempt >= LOST_TRANSACTION_ATTEMPTS || !lostTransaction(error)) throw error;
    }
  }
}

export function codeOf(error: unknown): number | undefined {
  if (isObject(error) || error instanceof Error) {
    const code = (error as {code?: unknown}).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

/** A Firestore failure as a `StoreError` that says what to check. */
export function storeError(error: unknown, what: string): StoreError {
  if (error instanceof StoreError) return error;
  const grpc = codeOf(error);
  const code = grpc === undefined ? 'INTERNAL' : (GRPC_CODE_NAMES[grpc] ?? 'UNKNOWN');
  const cause = describeError(error).split('\n')[0] ?? '';
  const hint =
    code === 'UNAVAILABLE' || code === 'DEADLINE'
      ? 'Firestore did not answer'
      : code === 'ABORTED'
        ? 'too many concurrent writers'
        : code === 'PERMISSION_DENIED' || code === 'UNAUTHENTICATED'
          ? 'the service account lacks roles/datastore.user'
          : code === 'NOT_FOUND'
            ? 'the Firestore database does not exist (check FIRESTORE_DATABASE)'
            : 'Firestore failed';
  return new StoreError(
    code,
    `Could not ${what} in Firestore (${hint}: ${cause}). A change is saved whole or not at all; the pass will retry.`,
    {cause: error},
  );
}
