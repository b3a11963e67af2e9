/**
 * Structured logs. On Cloud Run each line is one JSON object with `severity` and `message`,
 * which Cloud Logging turns into levels and fields. The CLI prints short human lines instead.
 */

/** Cloud Logging severities used here. */
export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

/** Fields attached to a log line. Never put a secret in one. */
export type LogFields = Record<string, unknown>;

/** Where the watcher writes what it is doing. */
export interface Logger {
  log(severity: Severity, message: string, fields?: LogFields): void;
}

/** One JSON object per line on stdout (Cloud Logging's structured logging). */
export class JsonLogger implements Logger {
  constructor(
    private readonly write: (line: string) => void = line => process.stdout.write(line),
  ) {}

  log(severity: Severity, message: string, fields: LogFields = {}): void {
    this.write(`${JSON.stringify({severity, message, ...fields})}\n`);
  }
}

/** Human-readable lines on stderr, for the CLI (stdout stays free for `--json`). */
export class TextLogger implements Logger {
  constructor(
    private readonly minimum: Severity = 'INFO',
    private readonly write: (line: string) => void = line => process.stderr.write(line),
  ) {}

  log(severity: Severity, message: string, fields: LogFields = {}): void {
    const order: Severity[] = ['DEBUG', 'INFO', 'WARNING', 'ERROR'];
    if (order.indexOf(severity) < order.indexOf(this.minimum)) return;
    // Progress lines stay short (ids and counts are for the JSON logs); problems keep their
    // fields, and DEBUG shows everything.
    const detailed = severity === 'WARNING' || severity === 'ERROR' || this.minimum === 'DEBUG';
    // A field with no value (`cronJob: null` on a cluster's error) says nothing to a reader.
    const extra = Object.entries(detailed ? fields : {})
      .filter(([, value]) => value !== null && value !== undefined)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    const prefix = severity === 'INFO' ? '' : `${severity}: `;
    this.write(`${prefix}${message}${extra ? ` (${extra})` : ''}\n`);
  }
}

/** Discards everything (tests that assert on results, not on logs). */
export const silentLogger: Logger = {log: () => {}};
