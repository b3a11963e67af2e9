/**
 * Configuration: one typed, validated `Config` from the environment (the function) and the
 * command line (the CLI, whose flags win). Bad values fail at start-up with a `ConfigError`
 * that names the variable or flag and shows a right value.
 */
import path from 'node:path';
import {parseArgs} from 'node:util';
import {LANGUAGES, type Language} from './core/messages/languages.js';
import {CRONJOB_KINDS, type CronJobKind} from './core/detections/registry.js';
import {ConfigError, UsageError} from './core/errors.js';
import {parseLabelSelector, type LabelSelector} from './core/label-selector.js';
import {parseRoutes, SLACK_CHANNEL_PATTERN, type ChannelRoute} from './core/policy.js';
import {DEFAULT_STORM_THRESHOLD} from './core/storms/storm.js';
import {parseGkeSettings, type GkeSettings} from './gke-settings.js';
import {parseMaintenanceRoutes, type MaintenanceRoute} from './core/maintenance.js';
import {DEFAULT_REMINDERS_MS, parseReminders} from './core/reminders.js';
import {parseDigestAt, type DigestAt} from './core/digest/schedule.js';
import {slackActionsFrom, type SlackActionsConfig} from './slack-actions-config.js';

/** Where the clusters come from. */
export type ClusterConfig =
  | {
      kind: 'kubeconfig';
      /** Null: `$KUBECONFIG`, else `~/.kube/config`. */
      file: string | null;
      /** Null: the kubeconfig's current context. */
      context: string | null;
      /** Name shown for the cluster; null: the context name. */
      clusterName: string | null;
    }
  | {kind: 'gke'; settings: GkeSettings};

/** Where incident state is kept. */
export type StateConfig =
  {kind: 'file'; dir: string} | {kind: 'firestore'; projectId: string | null; database: string};

/** The validated configuration of the watcher. */
export interface Config {
  clusters: ClusterConfig;
  /** Null: every namespace. */
  namespaces: string[] | null;
  state: StateConfig;
  /** Null: messages are printed to the console instead of sent. */
  slack: {token: string; channel: string; apiUrl: string | null; historyLookup: boolean} | null;
  /** `ROUTES`: channels by cluster and/or namespace (a CronJob's annotation wins over them). */
  routes: ChannelRoute[];
  /** `MAINTENANCE`: windows by cluster and/or namespace (a CronJob's annotation wins). */
  maintenance: MaintenanceRoute[];
  /** `REMINDERS`: when open incidents get a reminder; no offsets: `off`. */
  reminders: readonly number[];
  /** `DIGEST_AT`: when each channel's daily digest goes out; null: no digest. */
  digestAt: DigestAt | null;
  /** `MESSAGE_LANGUAGE`: the language of every message (a CronJob's annotation wins). */
  language: Language;
  /**
   * `SLACK_ALLOWED_CHANNELS`: the channel IDs a CronJob's `slack-channel` annotation may name
   * (besides `ROUTES` and `SLACK_CHANNEL`); null: any channel but a DM.
   */
  allowedChannels: string[] | null;
  /** `ALLOW_BROADCAST_MENTIONS`: `<!here>`, `<!channel>`, `<!everyone>` in annotations. */
  broadcastMentions: boolean;
  /** The `slackActions` function's settings (slack-actions-config.ts). */
  slackActions: SlackActionsConfig;
  passBudgetMs: number;
  concurrency: number;
  clusterDownAfter: number;
  /**
   * `STORM_THRESHOLD`: openings to one channel in one pass that go under one parent message
   * instead of a message each; null (`off`): every opening is a message of its own.
   */
  stormThreshold: number | null;
  /** The CronJob detections that run (`DETECTIONS`); the cluster's own always runs. */
  detections: CronJobDetection[];
  retentionDays: number;
  pageSize: number;
  dryRun: boolean;
  json: boolean;
  /** `status -o wide`: every column. */
  wide: boolean;
  /** `status -l/--selector`: only the CronJobs whose labels match; null: every CronJob. */
  selector: LabelSelector | null;
}

/** The CLI commands; each accepts its own flags. */
export type Command = 'status' | 'check';

/** The CLI flags `parseConfig` understands; `CLI_FLAGS` says which command takes which. */
export const CLI_OPTIONS = {
  kubeconfig: {type: 'string'},
  context: {type: 'string'},
  namespace: {type: 'string', multiple: true, short: 'n'},
  'all-namespaces': {type: 'boolean', short: 'A'},
  'cluster-name': {type: 'string'},
  state: {type: 'string'},
  'state-dir': {type: 'string'},
  'dry-run': {type: 'boolean'},
  json: {type: 'boolean'},
  output: {type: 'string', short: 'o'},
  selector: {type: 'string', short: 'l'},
  help: {type: 'boolean', short: 'h'},
} as const;

type CliFlag = keyof typeof CLI_OPTIONS;
const SHARED_FLAGS: CliFlag[] = [
  'kubeconfig',
  'context',
  'namespace',
  'all-namespaces',
  'state',
  'state-dir',
  'json',
  'help',
];
/** The flags each command accepts: `status --dry-run` is an error, not silently ignored. */
export const CLI_FLAGS: Record<Command, CliFlag[]> = {
  status: [...SHARED_FLAGS, 'output', 'selector'],
  check: [...SHARED_FLAGS, 'cluster-name', 'dry-run'],
};

function optionsOf(command: Command): Partial<typeof CLI_OPTIONS> {
  return Object.fromEntries(CLI_FLAGS[command].map(flag => [flag, CLI_OPTIONS[flag]]));
}

// The deployed function times out at 300 s (infra/deploy.sh); stopping new work at 240 s
// leaves a minute to record deliveries and answer before Cloud Run cuts the request.
export const DEFAULT_PASS_BUDGET_SECONDS = 240;
// Three 5-minute passes: a quarter of an hour of blindness is worth waking someone for;
// one failed read (an upgrade, a blip) is not.
export const DEFAULT_CLUSTER_DOWN_AFTER = 3;
// Three months: long enough that a CronJob paused for a quarter keeps its history, short
// enough that records of deleted CronJobs do not pile up.
export const DEFAULT_RETENTION_DAYS = 90;
// The API server's own default chunk size for kubectl; big enough for few round trips,
// small enough to keep each response well under the API server's limits.
export const DEFAULT_PAGE_SIZE = 500;
export const DEFAULT_STATE_DIR = '.cronjob-watcher';
// Past this many openings in one pass a channel is flooded anyway; a larger value is a typo.
const STORM_THRESHOLD_MAX = 10_000;

// DNS-1123 label: what Kubernetes accepts as a namespace name.
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
// A Slack channel ID (C…, G…, D…) or a channel name with or without '#'.
const SLACK_CHANNEL = SLACK_CHANNEL_PATTERN;

type Env = Record<string, string | undefined>;

/**
 * Every environment variable `parseConfig` reads (GKE_* through gke-settings.ts), by who sets
 * it. infra/deploy.sh accepts exactly `deployment`, asking `config settings` for it, so a
 * setting added here is deployable without a second list; a test checks these lists against
 * the variables the parser actually reads.
 */
export const SETTINGS = {
  /** Chosen by whoever deploys the function; passed to it as they are. */
  deployment: [
    'GKE_CLUSTERS',
    'GKE_PROJECTS',
    'GKE_CLUSTER_LABELS',
    'GKE_ENDPOINT',
    'GKE_CONCURRENCY',
    'NAMESPACES',
    'CLUSTER_DOWN_AFTER',
    'STORM_THRESHOLD',
    'DETECTIONS',
    'SLACK_CHANNEL',
    'SLACK_API_URL',
    'SLACK_HISTORY_LOOKUP',
    'ROUTES',
    'MAINTENANCE',
    'REMINDERS',
    'DIGEST_AT',
    'SLACK_ALLOWED_CHANNELS',
    'ALLOW_BROADCAST_MENTIONS',
    'SLACK_ACTION_USERGROUPS',
    'MESSAGE_LANGUAGE',
    'FIRESTORE_DATABASE',
    'RETENTION_DAYS',
    'PAGE_SIZE',
  ],
  /** Set by the deployment itself (from its own settings, or a secret). */
  derived: [
    'STATE_BACKEND',
    'GOOGLE_CLOUD_PROJECT',
    'PASS_BUDGET_SECONDS',
    'SLACK_BOT_TOKEN',
    'SLACK_SIGNING_SECRET',
  ],
  /** The CLI on a workstation, and the platform (Cloud Run sets K_SERVICE). */
  local: ['KUBECONFIG', 'KUBE_CONTEXT', 'CLUSTER_NAME', 'STATE_DIR', 'K_SERVICE'],
} as const;

/** The detections of CronJobs a deployment can turn off. */
export type CronJobDetection = CronJobKind;
/** Their names as people read them in `DETECTIONS`, in alphabetical order. */
export const CRONJOB_DETECTIONS: readonly CronJobDetection[] = [...CRONJOB_KINDS].sort();

/**
 * `DETECTIONS=failing,missed,running-too-long` (default: all): a team that already has
 * missed-run monitoring, or that adopts the watcher one detection at a time, turns the others
 * off here.
 */
function detectionsFrom(env: Env): CronJobDetection[] {
  const raw = env.DETECTIONS?.trim();
  if (raw === undefined || raw === '') return [...CRONJOB_DETECTIONS];
  const names = raw
    .split(',')
    .map(n => n.trim())
    .filter(n => n !== '');
  for (const name of names) {
    if (!CRONJOB_DETECTIONS.includes(name as CronJobDetection)) {
      throw new ConfigError(
        `DETECTIONS: "${name}" is not a detection; use a comma-separated list of ${CRONJOB_DETECTIONS.join(', ')} (e.g. DETECTIONS=failing,missed)`,
      );
    }
  }
  if (names.length === 0) throw new ConfigError('DETECTIONS is empty: name at least one detection');
  return [...new Set(names)] as CronJobDetection[];
}

/**
 * `STORM_THRESHOLD=5` (the default, DEFAULT_STORM_THRESHOLD), `off`: a storm needs at least two
 * openings, or one message would only move into a thread.
 */
function stormThresholdFrom(env: Env): number | null {
  const raw = env.STORM_THRESHOLD?.trim();
  if (raw === undefined || raw === '') return DEFAULT_STORM_THRESHOLD;
  if (raw.toLowerCase() === 'off') return null;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 2 || value > STORM_THRESHOLD_MAX) {
    throw new ConfigError(
      `STORM_THRESHOLD must be a whole number from 2 to ${STORM_THRESHOLD_MAX} or "off", e.g. STORM_THRESHOLD=${DEFAULT_STORM_THRESHOLD}; got "${raw}"`,
    );
  }
  return value;
}

function positiveInt(env: Env, name: string, fallback: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new ConfigError(
      `${name} must be a whole number from 1 to ${max}, e.g. ${name}=${fallback}; got "${raw}"`,
    );
  }
  return value;
}

function namespacesFrom(list: string[], source: string): string[] | null {
  const names = list
    .flatMap(item => item.split(','))
    .map(n => n.trim())
    .filter(n => n !== '');
  for (const name of names) {
    if (!NAMESPACE.test(name)) {
      throw new ConfigError(
        `${source}: "${name}" is not a namespace name (lowercase letters, digits and '-', e.g. "batch")`,
      );
    }
  }
  return names.length === 0 ? null : [...new Set(names)];
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function slackFrom(env: Env): Config['slack'] {
  const token = env.SLACK_BOT_TOKEN?.trim();
  if (token === undefined || token === '') return null;
  // Only the shape is checked, and the message never repeats the value.
  if (!/^xox[a-z]-/.test(token)) {
    throw new ConfigError(
      'SLACK_BOT_TOKEN does not look like a Slack token (a bot token starts with "xoxb-")',
    );
  }
  const channel = env.SLACK_CHANNEL?.trim() ?? '';
  if (!SLACK_CHANNEL.test(channel)) {
    throw new ConfigError(
      `SLACK_CHANNEL must be a channel ID or name when SLACK_BOT_TOKEN is set, e.g. SLACK_CHANNEL=C0123456789 or SLACK_CHANNEL=#cronjobs; got "${channel}"`,
    );
  }
  const apiUrl = env.SLACK_API_URL?.trim() || null;
  if (apiUrl !== null) {
    let url: URL;
    try {
      url = new URL(apiUrl);
    } catch {
      throw new ConfigError(
        `SLACK_API_URL must be a URL, e.g. https://slack.com/api/; got "${apiUrl}"`,
      );
    }
    // The token travels in every request: plain HTTP only where it never leaves the machine.
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
      throw new ConfigError(
        `SLACK_API_URL must be an https:// URL (http:// only on loopback), e.g. https://slack.com/api/; got "${apiUrl}"`,
      );
    }
  }
  // Before re-sending a message whose earlier attempt may have reached Slack, look for it in
  // the channel's history (needs channels:history / groups:history). On unless turned off.
  const lookup = env.SLACK_HISTORY_LOOKUP?.trim().toLowerCase() ?? '';
  if (lookup !== '' && lookup !== 'true' && lookup !== 'false') {
    throw new ConfigError(
      `SLACK_HISTORY_LOOKUP must be true or false (default true: look for a message in the channel's history before sending it again); got "${env.SLACK_HISTORY_LOOKUP ?? ''}"`,
    );
  }
  return {token, channel, apiUrl, historyLookup: lookup !== 'false'};
}

function routesFrom(env: Env): ChannelRoute[] {
  const raw = env.ROUTES?.trim() ?? '';
  if (raw === '') return [];
  const parsed = parseRoutes(raw);
  if (!parsed.ok) {
    throw new ConfigError(
      `ROUTES must be <cluster>/<namespace>=<channel> entries separated by commas, ` +
        `with * for any cluster or namespace, e.g. ROUTES=prod/payments=C0PAY12345,*/data=C0DATA1234: ${parsed.problem}`,
    );
  }
  return parsed.routes;
}

function maintenanceFrom(env: Env): MaintenanceRoute[] {
  const raw = env.MAINTENANCE?.trim() ?? '';
  if (raw === '') return [];
  const parsed = parseMaintenanceRoutes(raw);
  if (!parsed.ok) {
    throw new ConfigError(
      `MAINTENANCE must be <cluster>/<namespace>=<cron expression> <duration> entries separated by commas, ` +
        `with * for any cluster or namespace, e.g. MAINTENANCE="prod/batch=0 2 * * 6 3h,*/reports=30 1 * * * 1h": ${parsed.problem}`,
    );
  }
  return parsed.routes;
}

function remindersFrom(env: Env): readonly number[] {
  const raw = env.REMINDERS?.trim() ?? '';
  if (raw === '') return DEFAULT_REMINDERS_MS;
  const parsed = parseReminders(raw);
  if (!parsed.ok) {
    throw new ConfigError(
      `REMINDERS ${parsed.problem} (default 1d,3d,7d, then every 7 days; off for none); got "${raw}"`,
    );
  }
  return parsed.value;
}

function digestAtFrom(env: Env): DigestAt | null {
  const raw = env.DIGEST_AT?.trim() ?? '';
  if (raw === '') return null;
  const parsed = parseDigestAt(raw);
  if (!parsed.ok) {
    throw new ConfigError(
      `DIGEST_AT ${parsed.problem} (the local time each channel's daily digest goes out; unset: no digest); got "${raw}"`,
    );
  }
  return parsed.value;
}

// A public (`C…`) or private (`G…`) channel's ID; a DM (`D…`) never comes from an annotation.
const ALLOWED_CHANNEL_ID = /^[CG][A-Z0-9]{8,}$/;

function allowedChannelsFrom(env: Env): string[] | null {
  const raw = env.SLACK_ALLOWED_CHANNELS?.trim() ?? '';
  if (raw === '') return null;
  const ids = raw
    .split(',')
    .map(id => id.trim())
    .filter(id => id !== '');
  const bad = ids.find(id => !ALLOWED_CHANNEL_ID.test(id));
  if (bad !== undefined) {
    throw new ConfigError(
      `SLACK_ALLOWED_CHANNELS must be channel IDs separated by commas (C… or G…; names can be renamed, and a DM D… is never allowed from an annotation), e.g. SLACK_ALLOWED_CHANNELS=C0PAY12345,C0DATA1234; got "${bad}"`,
    );
  }
  return ids;
}

function broadcastMentionsFrom(env: Env): boolean {
  const raw = env.ALLOW_BROADCAST_MENTIONS?.trim().toLowerCase() ?? '';
  if (raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigError(
    `ALLOW_BROADCAST_MENTIONS must be true or false (default false: a CronJob's mention annotation may not use <!here>, <!channel> or <!everyone>); got "${env.ALLOW_BROADCAST_MENTIONS ?? ''}"`,
  );
}

function languageFrom(env: Env): Language {
  const raw = env.MESSAGE_LANGUAGE?.trim().toLowerCase() ?? '';
  if (raw === '') return 'en';
  const found = LANGUAGES.find(l => l === raw);
  if (found === undefined) {
    throw new ConfigError(
      `MESSAGE_LANGUAGE must be one of ${LANGUAGES.join(', ')}, e.g. MESSAGE_LANGUAGE=ja; got "${env.MESSAGE_LANGUAGE?.trim()}"`,
    );
  }
  return found;
}

/**
 * Reads the configuration. `argv` are CLI arguments after the command (`status`, `check`);
 * omit it for the function, which is configured by the environment alone.
 */
export function parseConfig(
  env: Env = process.env,
  argv?: string[],
  command: Command = 'check',
): Config {
  let flags: ReturnType<
    typeof parseArgs<{options: typeof CLI_OPTIONS; strict: true; allowPositionals: false}>
  >['values'] = {};
  if (argv !== undefined) {
    try {
      flags = parseArgs({
        args: argv,
        options: optionsOf(command) as typeof CLI_OPTIONS,
        strict: true,
        allowPositionals: false,
      }).values;
    } catch (error) {
      throw new ConfigError(
        `${error instanceof Error ? error.message : String(error)} (see --help)`,
      );
    }
  }

  const gke = parseGkeSettings(env);
  const kubeconfigAsked = flags.kubeconfig !== undefined || flags.context !== undefined;
  const clusters: ClusterConfig =
    gke.configured && !kubeconfigAsked
      ? {kind: 'gke', settings: gke}
      : {
          kind: 'kubeconfig',
          file: flags.kubeconfig ?? (env.KUBECONFIG?.trim() || null),
          context: flags.context ?? (env.KUBE_CONTEXT?.trim() || null),
          clusterName: flags['cluster-name'] ?? (env.CLUSTER_NAME?.trim() || null),
        };

  if (flags['all-namespaces'] && flags.namespace !== undefined) {
    throw new ConfigError('--all-namespaces (-A) and --namespace (-n) exclude each other');
  }
  const namespaces = flags['all-namespaces']
    ? null
    : flags.namespace !== undefined
      ? namespacesFrom(flags.namespace, '--namespace')
      : namespacesFrom([env.NAMESPACES ?? ''], 'NAMESPACES');
  const output = flags.output;
  if (output !== undefined && output !== 'wide' && output !== 'json') {
    throw new ConfigError(`--output (-o) must be "wide" or "json"; got "${output}"`);
  }

  let selector: LabelSelector | null = null;
  if (flags.selector !== undefined) {
    const parsed = parseLabelSelector(flags.selector);
    if (!parsed.ok) {
      throw new UsageError(
        `--selector (-l) "${flags.selector}": ${parsed.problem} (e.g. -l app=backup,tier!=test or -l 'team in (data,mail)')`,
      );
    }
    // `-l ''` selects everything, as in kubectl.
    selector = parsed.selector.requirements.length === 0 ? null : parsed.selector;
  }

  const backend = flags.state ?? (env.STATE_BACKEND?.trim() || 'file');
  let state: StateConfig;
  if (backend === 'file' && env.K_SERVICE && argv === undefined) {
    // Cloud Run sets K_SERVICE. Its disk is per instance and lost on every restart: file
    // state there would forget open incidents and send them all again.
    throw new ConfigError(
      'STATE_BACKEND is "file" (the default) but this runs on Cloud Run, whose disk does not keep state: set STATE_BACKEND=firestore',
    );
  }
  if (backend === 'file') {
    state = {
      kind: 'file',
      dir: path.resolve(flags['state-dir'] ?? (env.STATE_DIR?.trim() || DEFAULT_STATE_DIR)),
    };
  } else if (backend === 'firestore') {
    const projectId = env.GOOGLE_CLOUD_PROJECT?.trim() || null;
    // On Cloud Run the SDK asks the metadata server for the project; anywhere else nothing
    // can, and the SDK's own error ("Unable to detect a Project Id") comes on the first read.
    if (projectId === null && (argv !== undefined || !env.K_SERVICE)) {
      throw new ConfigError(
        'GOOGLE_CLOUD_PROJECT must name the Google Cloud project whose Firestore keeps the incidents when the state is "firestore", e.g. GOOGLE_CLOUD_PROJECT=my-project (or use --state file)',
      );
    }
    state = {
      kind: 'firestore',
      projectId,
      database: env.FIRESTORE_DATABASE?.trim() || '(default)',
    };
  } else {
    const source = flags.state !== undefined ? '--state' : 'STATE_BACKEND';
    throw new ConfigError(`${source} must be "file" or "firestore"; got "${backend}"`);
  }

  return {
    clusters,
    namespaces,
    state,
    slack: slackFrom(env),
    routes: routesFrom(env),
    maintenance: maintenanceFrom(env),
    reminders: remindersFrom(env),
    digestAt: digestAtFrom(env),
    language: languageFrom(env),
    allowedChannels: allowedChannelsFrom(env),
    broadcastMentions: broadcastMentionsFrom(env),
    slackActions: slackActionsFrom(env),
    // One day is far beyond any Cloud Run request timeout (60 min max).
    passBudgetMs:
      positiveInt(env, 'PASS_BUDGET_SECONDS', DEFAULT_PASS_BUDGET_SECONDS, 86_400) * 1000,
    concurrency: gke.concurrency,
    clusterDownAfter: positiveInt(env, 'CLUSTER_DOWN_AFTER', DEFAULT_CLUSTER_DOWN_AFTER, 1000),
    stormThreshold: stormThresholdFrom(env),
    detections: detectionsFrom(env),
    retentionDays: positiveInt(env, 'RETENTION_DAYS', DEFAULT_RETENTION_DAYS, 3650),
    pageSize: positiveInt(env, 'PAGE_SIZE', DEFAULT_PAGE_SIZE, 10_000),
    dryRun: flags['dry-run'] ?? false,
    json: (flags.json ?? false) || output === 'json',
    wide: output === 'wide',
    selector,
  };
}

/** A description of the configuration that is safe to log: secrets appear only as "set". */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    clusters:
      config.clusters.kind === 'gke'
        ? {
            kind: 'gke',
            clusters: config.clusters.settings.clusters.map(c => c.id),
            projects: config.clusters.settings.projects,
          }
        : {kind: 'kubeconfig', file: config.clusters.file, context: config.clusters.context},
    namespaces: config.namespaces ?? 'all',
    state: config.state,
    slack:
      config.slack === null
        ? 'console'
        : {
            channel: config.slack.channel,
            token: 'set',
            apiUrl: config.slack.apiUrl,
            historyLookup: config.slack.historyLookup,
          },
    routes: config.routes.map(r => `${r.cluster ?? '*'}/${r.namespace ?? '*'}=${r.channel}`),
    digestAt:
      config.digestAt === null
        ? 'off'
        : `${String(config.digestAt.hour).padStart(2, '0')}:${String(config.digestAt.minute).padStart(2, '0')} ${config.digestAt.timeZone}`,
    reminders: config.reminders.length === 0 ? 'off' : config.reminders.map(ms => `${ms / 1000}s`),
    maintenance: config.maintenance.map(
      r => `${r.cluster ?? '*'}/${r.namespace ?? '*'}=${r.spec.cron} ${r.spec.durationMs / 1000}s`,
    ),
    language: config.language,
    allowedChannels: config.allowedChannels ?? 'any',
    broadcastMentions: config.broadcastMentions,
    slackActions: {
      signingSecret: config.slackActions.signingSecret === null ? 'not set' : 'set',
      usergroups: config.slackActions.usergroups ?? 'anyone',
    },
    passBudgetSeconds: config.passBudgetMs / 1000,
    stormThreshold: config.stormThreshold ?? 'off',
    dryRun: config.dryRun,
  };
}
