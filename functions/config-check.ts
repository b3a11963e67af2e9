/**
 * `cronjob-watcher config check --env-file FILE`: validates settings with the parsers the
 * function runs at start-up (`parseConfig`, and the Firestore client's own checks), so
 * `infra/deploy.sh` keeps no copy of them that could drift. Prints `configuration ok` or the
 * first `ConfigError`, with anything shaped like a Slack token redacted. `config settings`
 * lists the settings a deployment chooses (`SETTINGS.deployment`), which deploy.sh accepts.
 */
import {readFile} from 'node:fs/promises';
import {pathToFileURL} from 'node:url';
import {parseArgs} from 'node:util';
import {parseConfig, SETTINGS} from './config.js';
import {ConfigError, describeError} from './core/errors.js';
import {isProjectId} from './gke-settings.js';

const USAGE = `Usage: cronjob-watcher config check --env-file FILE [--assume-set SLACK_BOT_TOKEN]
       cronjob-watcher config settings

check: checks the settings in FILE (KEY=value lines, # comments) as the function would read
them at start-up, and exits 0 when they are valid, 1 with the reason when not.
settings: prints the settings a deployment chooses (infra/deploy.sh accepts these), one a line.

  --env-file FILE       the function's environment, one KEY=value per line
  --assume-set NAME     NAME is provided at run time (from a secret): check the settings that
                        depend on it as if it were set. Only SLACK_BOT_TOKEN is supported.
`;

/** Stand-ins for variables that come from a secret: the right shape, never a real value. */
const ASSUMED_VALUES: Record<string, string> = {SLACK_BOT_TOKEN: 'xoxb-0-config-check'};

const SLACK_TOKEN = /xox[a-z]-[A-Za-z0-9-]*/g;

/** Replaces anything shaped like a Slack token, so no message can repeat one. */
export function redactSlackTokens(text: string): string {
  return text.replace(SLACK_TOKEN, 'xox?-<redacted>');
}

/** Reads KEY=value lines; the value is everything after the first `=`, verbatim. */
export function parseEnvFile(text: string, file: string): Record<string, string> {
  const env: Record<string, string> = {};
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (match === null) {
      throw new ConfigError(`${file}:${index + 1}: not KEY=value`);
    }
    env[match[1]!] = match[2]!;
  });
  return env;
}

/** Throws `ConfigError` when the settings in `env` would stop the function at start-up. */
export async function checkSettings(env: Record<string, string>): Promise<void> {
  parseConfig(env);
  const project = env.GOOGLE_CLOUD_PROJECT?.trim();
  if (project && !isProjectId(project)) {
    throw new ConfigError(
      `GOOGLE_CLOUD_PROJECT: ${JSON.stringify(project)} is not a Google Cloud project ID (e.g. my-project-123)`,
    );
  }
  if ((env.STATE_BACKEND?.trim() || 'file') === 'firestore') {
    // The Firestore client checks the database ID itself; loaded only when it is used.
    // Constructing it opens no connection.
    const {createFirestore} = await import('./adapters/firestore-incident-store.js');
    await createFirestore({...env, FIRESTORE_EMULATOR_HOST: undefined}).terminate();
  }
}

/** `config …`; resolves to the exit code. */
export async function configCommand(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    out.write(USAGE);
    return 0;
  }
  if (sub === 'settings' && rest.length === 0) {
    out.write(SETTINGS.deployment.map(name => `${name}\n`).join(''));
    return 0;
  }
  let values: {'env-file'?: string; 'assume-set'?: string[]; help?: boolean};
  try {
    values = parseArgs({
      args: rest,
      options: {
        'env-file': {type: 'string'},
        'assume-set': {type: 'string', multiple: true},
        help: {type: 'boolean', short: 'h'},
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    err.write(`${redactSlackTokens(describeError(error))}\n\n${USAGE}`);
    return 2;
  }
  if (sub !== 'check' || values.help || values['env-file'] === undefined) {
    (values.help ? out : err).write(USAGE);
    return values.help ? 0 : 2;
  }
  const file = values['env-file'];
  try {
    const env = parseEnvFile(await readFile(file, 'utf8'), file);
    for (const name of values['assume-set'] ?? []) {
      const value = ASSUMED_VALUES[name];
      if (value === undefined) throw new ConfigError(`--assume-set: ${name} is not supported`);
      env[name] ??= value;
    }
    await checkSettings(env);
    out.write('configuration ok\n');
    return 0;
  } catch (error) {
    const prefix = error instanceof ConfigError ? 'configuration error' : 'error';
    err.write(`${prefix}: ${redactSlackTokens(describeError(error))}\n`);
    return 1;
  }
}

// Run directly (`node build/functions/config-check.js check …`): what infra/deploy.sh does,
// to skip loading the clients the rest of the CLI needs.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  configCommand(process.argv.slice(2)).then(code => {
    process.exitCode = code;
  });
}
