/**
 * Typed errors. Each carries a stable `code` for the summary and logs, a message a person
 * can act on, and the original `cause`.
 */
export class WatcherError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: {cause?: unknown}) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Bad configuration: says which variable or flag is wrong and what a right value looks like. */
export class ConfigError extends WatcherError {
  constructor(message: string, options?: {cause?: unknown}) {
    super('CONFIG', message, options);
  }
}

/**
 * A command line the CLI cannot read (a malformed `--selector`): a usage error, exit 2, like
 * an unknown flag. Raised by `parseConfig`, so it is a `ConfigError` to every other caller.
 */
export class UsageError extends ConfigError {}

/** Why a cluster could not be read. */
export type ClusterErrorCode =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'EXPIRED'
  | 'TIMEOUT'
  | 'UNREACHABLE'
  | 'TLS'
  | 'BAD_RESPONSE'
  | 'SERVER_ERROR'
  | 'CONFIG';

/** A cluster could not be read; `message` names the cluster-side cause in plain words. */
export class ClusterError extends WatcherError {
  declare readonly code: ClusterErrorCode;
  constructor(code: ClusterErrorCode, message: string, options?: {cause?: unknown}) {
    super(code, message, options);
  }
}

/** The incident store failed (unreachable, contention that outlasted the retries, …). */
export class StoreError extends WatcherError {
  constructor(code: string, message: string, options?: {cause?: unknown}) {
    super(code, message, options);
  }
}

/** A notification could not be delivered. `retryable` = worth trying again on a later pass. */
export class NotifyError extends WatcherError {
  readonly retryable: boolean;
  /** Slack may have taken the message although the call failed (a timeout, a cut connection). */
  readonly outcomeUnknown: boolean;
  /** Not attempted: the channel's pace leaves no room before the deadline; the next pass sends it. */
  readonly deferred: boolean;
  constructor(
    code: string,
    message: string,
    retryable: boolean,
    options?: {cause?: unknown; outcomeUnknown?: boolean; deferred?: boolean},
  ) {
    super(code, message, options);
    this.retryable = retryable;
    this.outcomeUnknown = options?.outcomeUnknown ?? false;
    this.deferred = options?.deferred ?? false;
  }
}

// Enough for any real cause; a message quoting a runaway value (a 100 kB name) is cut so it
// cannot flood a summary or a log line.
const MAX_DESCRIPTION_CHARS = 1000;

/** A short description of any thrown value, for summaries and logs. */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > MAX_DESCRIPTION_CHARS ? `${text.slice(0, MAX_DESCRIPTION_CHARS)}…` : text;
}
