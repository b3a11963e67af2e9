/**
 * The one `Firestore` client of a process, built from the environment. With the SDK's defaults
 * an unreachable Firestore keeps a call retrying for minutes (a plain write up to the 600 s
 * `total_timeout_millis` of its service config), longer than a pass. So every RPC gets its own
 * deadline (`clientConfig`) and the stream retry mode (`gaxServerStreamingRetries`) lets reads
 * fail after the SDK's own 5 stream attempts: an outage becomes a `StoreError` within seconds.
 * A backend that accepts connections but never answers is bounded by the per-RPC deadline.
 */
import {Firestore, type Settings} from '@google-cloud/firestore';
import {ConfigError} from '../../core/errors.js';

/** What `createFirestore` reads from the environment. */
export interface FirestoreEnv {
  GOOGLE_CLOUD_PROJECT?: string | undefined;
  FIRESTORE_DATABASE?: string | undefined;
  FIRESTORE_EMULATOR_HOST?: string | undefined;
}

// Firestore answers a read or commit of a few documents in well under a second; 10 s allows
// for a slow moment yet keeps a hung connection from eating a pass (the function's budget
// is minutes). Unary retries (commit, begin, rollback) stop after the same 10 s in total.
const RPC_TIMEOUT_MS = 10_000;
const RETRY_TOTAL_MS = 10_000;
// Starts at the SDK's own 100 ms; capped at 1 s so several retries fit in RETRY_TOTAL_MS.
const RETRY_INITIAL_DELAY_MS = 100;
const RETRY_MAX_DELAY_MS = 1_000;

/**
 * Overrides of the SDK's service config (`v1/firestore_client_config.json`), whose defaults
 * are 60 s per RPC and up to 600 s of retries. BatchGetDocuments gets no gax-level retries
 * because the SDK already retries every stream 5 times with its own backoff.
 */
function fastFailClientConfig(): Record<string, unknown> {
  const method = (codes: string) => ({
    timeout_millis: RPC_TIMEOUT_MS,
    retry_codes_name: codes,
    retry_params_name: 'bounded',
  });
  return {
    interfaces: {
      'google.firestore.v1.Firestore': {
        retry_codes: {
          none: [],
          transient: ['DEADLINE_EXCEEDED', 'INTERNAL', 'UNAVAILABLE'],
          commit: ['RESOURCE_EXHAUSTED', 'UNAVAILABLE'],
        },
        retry_params: {
          bounded: {
            initial_retry_delay_millis: RETRY_INITIAL_DELAY_MS,
            retry_delay_multiplier: 1.3,
            max_retry_delay_millis: RETRY_MAX_DELAY_MS,
            initial_rpc_timeout_millis: RPC_TIMEOUT_MS,
            rpc_timeout_multiplier: 1,
            max_rpc_timeout_millis: RPC_TIMEOUT_MS,
            total_timeout_millis: RETRY_TOTAL_MS,
          },
        },
        methods: {
          GetDocument: method('transient'),
          BatchGetDocuments: method('none'),
          BeginTransaction: method('transient'),
          Commit: method('commit'),
          Rollback: method('transient'),
          RunQuery: method('none'),
        },
      },
    },
  };
}

// Firestore database ids: `(default)`, or 4–63 characters of lowercase letters, digits and
// hyphens, starting with a letter and not ending with a hyphen.
const DATABASE_ID = /^(\(default\)|[a-z][a-z0-9-]{2,61}[a-z0-9])$/;
const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

/**
 * Builds the one `Firestore` client of a function instance (or CLI run) from the environment:
 *
 * - `GOOGLE_CLOUD_PROJECT`: the project; optional on Google Cloud (the SDK asks the metadata
 *   server), required with the emulator (which has no project of its own).
 * - `FIRESTORE_DATABASE`: a named database; default `(default)`.
 * - `FIRESTORE_EMULATOR_HOST` (`host:port`): the emulator. The SDK reads this variable from
 *   `process.env` itself, in its constructor, and it then wins over any `host`/`ssl` setting
 *   (plain-text gRPC, `Authorization: Bearer owner`). It is applied here explicitly as well,
 *   so an `env` other than `process.env` is honoured; note that a value in `process.env`
 *   still takes precedence over the one in `env`.
 *
 * Also sets the fail-fast RPC deadlines described above.
 * Throws `ConfigError` for a malformed value.
 */
export function createFirestore(env: FirestoreEnv = process.env): Firestore {
  const project = env.GOOGLE_CLOUD_PROJECT?.trim() || undefined;
  const database = env.FIRESTORE_DATABASE?.trim() || '(default)';
  const emulator = env.FIRESTORE_EMULATOR_HOST?.trim() || undefined;
  if (!DATABASE_ID.test(database)) {
    throw new ConfigError(
      `FIRESTORE_DATABASE="${database}" is not a Firestore database id: use "(default)" or 4–63 lowercase letters, digits and hyphens starting with a letter (e.g. "cronjob-watcher").`,
    );
  }
  // Loose on purpose: legacy domain-scoped ids (`example.com:proj`) are valid too.
  if (project !== undefined && !/^[A-Za-z0-9.:_-]+$/.test(project)) {
    throw new ConfigError(
      `GOOGLE_CLOUD_PROJECT="${project}" is not a project id: lowercase letters, digits and hyphens (e.g. "my-project-123").`,
    );
  }
  const settings: Settings = {
    databaseId: database,
    gaxServerStreamingRetries: true,
    clientConfig: fastFailClientConfig(),
  };
  if (project !== undefined) settings.projectId = project;
  if (emulator !== undefined) {
    if (!HOST_PORT.test(emulator)) {
      throw new ConfigError(
        `FIRESTORE_EMULATOR_HOST="${emulator}" is not host:port (e.g. "127.0.0.1:8080").`,
      );
    }
    if (project === undefined) {
      throw new ConfigError(
        'GOOGLE_CLOUD_PROJECT must be set when FIRESTORE_EMULATOR_HOST is (any id, e.g. "demo-cronjob-watcher"): the emulator cannot tell the SDK which project to use.',
      );
    }
    settings.host = emulator;
    settings.ssl = false;
  }
  return new Firestore(settings);
}
