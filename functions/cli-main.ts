/**
 * The command line, loaded by `cli.ts` once the Node version is known to be right:
 * `cronjob-watcher status` shows every CronJob's latest run and open incident,
 * `cronjob-watcher check` runs one pass (the same pass the function runs) with local state;
 * `incidents`, `ack` and `snooze` are in cli-incidents.ts.
 */
import {readFileSync} from 'node:fs';
import {parseArgs} from 'node:util';
import {
  CLI_FLAGS,
  CLI_OPTIONS,
  describeConfig,
  parseConfig,
  type Command,
  type Config,
} from './config.js';
import {KubeconfigClusterSource} from './adapters/kubeconfig-source.js';
import {ConfigError, describeError, UsageError, WatcherError} from './core/errors.js';
import {openIncidents as openIncidentsOf} from './core/incident.js';
import {buildMessages} from './core/messages/build.js';
import {renderConsole} from './core/messages/render-console.js';
import type {ClusterSnapshot} from './core/model.js';
import {formatLabelSelector} from './core/label-selector.js';
import {annotationTrustOf, SLACK_CHANNEL_PATTERN} from './core/policy.js';
import {statusJson, statusTable, type OpenIncident, type StoredRuns} from './core/status-report.js';
import {TextLogger, type Logger} from './logger.js';
import {logMemory} from './memory.js';
import {runPass, type PassSummary} from './pass.js';
import {WOULD} from './pass-state.js';
import type {
  ClusterReader,
  ClusterSource,
  IncidentStore,
  Notifier,
  WatchedCluster,
} from './ports.js';
import {configCommand} from './config-check.js';
import {
  INCIDENT_COMMANDS,
  INCIDENTS_USAGE,
  incidentsMain,
  type IncidentCommand,
} from './cli-incidents.js';
import {createClusterSource, createIncidentStore, createNotifier, passDepsOf} from './wiring.js';

const USAGE = `Usage: cronjob-watcher <command> [options]

Commands:
  status   Show every CronJob's latest run, and its open incident, as a table.
  check    Run one pass: open and close incidents, send (or print) notifications.
  config check --env-file FILE
           Validate settings as the function reads them (see config --help).
  config settings
           List the settings a deployment chooses (infra/deploy.sh accepts each).${INCIDENTS_USAGE}
Options (both commands):
  --kubeconfig FILE        kubeconfig to use (default: $KUBECONFIG, else ~/.kube/config)
  --context NAME           kube context (default: the current context)
  -n, --namespace NS       only this namespace; repeat for more (default: all)
  -A, --all-namespaces     every namespace (the default; overrides NAMESPACES)
  --state file|firestore   where incidents are kept (default: file)
  --state-dir DIR          directory of the file state (default: .cronjob-watcher)
  --json                   print one JSON document on stdout

Options (status):
  -o, --output wide|json   wide: every column; json: same as --json
  -l, --selector SELECTOR  only CronJobs whose labels match, as in kubectl
                           (e.g. -l app=backup,tier!=test  -l 'team in (data,mail)'  -l '!legacy')

Options (check):
  --cluster-name NAME      name of the cluster in incidents and messages (default: the context)
  --dry-run                decide and show the messages; write nothing, send nothing

  -h, --help               this text
  --version                the version

Slack: set SLACK_BOT_TOKEN and SLACK_CHANNEL to send; without a token messages are printed.
GKE: set GKE_CLUSTERS or GKE_PROJECTS to read GKE clusters with Application Default Credentials.
Firestore: --state firestore needs GOOGLE_CLOUD_PROJECT.
`;

function version(): string {
  const manifest = JSON.parse(
    readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
  ) as {version: string};
  return manifest.version;
}

/**
 * The cluster source, with a kubeconfig file and context checked before anything is read:
 * `status` and `check` fail the same way, at start-up, on `--context nope`.
 */
async function checkedClusterSource(config: Config): Promise<ClusterSource> {
  if (config.clusters.kind !== 'kubeconfig') return createClusterSource(config);
  const {file, context, clusterName} = config.clusters;
  const source = new KubeconfigClusterSource({
    file,
    context,
    clusterName,
    pageSize: config.pageSize,
  });
  await source.load();
  return source;
}

/** True when colour helps: a terminal, and NO_COLOR (https://no-color.org) not set. */
function colourWanted(env: Record<string, string | undefined>): boolean {
  return process.stdout.isTTY === true && (env.NO_COLOR ?? '') === '';
}

/**
 * The open incidents the store holds for these clusters, and the clusters whose state could not
 * be read (their INCIDENT column is unknown, not empty); each failure is reported on stderr.
 */
async function openIncidents(
  store: IncidentStore,
  snapshots: ClusterSnapshot[],
): Promise<{incidents: OpenIncident[]; runs: StoredRuns[]; unknown: Set<string>}> {
  const incidents: OpenIncident[] = [];
  const runs: StoredRuns[] = [];
  const unknown = new Set<string>();
  for (const snapshot of snapshots) {
    const usage = {reads: 0, writes: 0};
    try {
      const state = await store.loadCluster(snapshot.cluster.id, usage);
      for (const record of state.attention) {
        const subject = record.subject;
        if (subject.type !== 'cronjob') continue;
        const {namespace, name} = subject;
        runs.push({clusterId: snapshot.cluster.id, namespace, name, runs: record.runs});
        for (const open of openIncidentsOf(record)) {
          incidents.push({
            clusterId: snapshot.cluster.id,
            namespace: subject.namespace,
            name: subject.name,
            kind: open.kind,
            since: open.openedAt,
            ...(open.kind === 'failing' ? {failedRuns: open.failedRuns} : {}),
          });
        }
      }
    } catch (error) {
      unknown.add(snapshot.cluster.id);
      process.stderr.write(
        `error: open incidents of ${snapshot.cluster.name} unknown (INCIDENT shows <unknown>): ${describeError(error)}\n`,
      );
    } finally {
      // The port's contract: every loadCluster is finished (a read-only store has nothing to do).
      await store.finishCluster(snapshot.cluster.id, usage);
    }
  }
  return {incidents, runs, unknown};
}

/** `SLACK_CHANNEL` when it names a channel, read even without a token (see `status`). */
function defaultChannelOf(env: Record<string, string | undefined>): string | null {
  const channel = env.SLACK_CHANNEL?.trim() ?? '';
  return SLACK_CHANNEL_PATTERN.test(channel) ? channel : null;
}

async function status(config: Config, env: Record<string, string | undefined>): Promise<number> {
  const source = await checkedClusterSource(config);
  // Read only: no lock (a `check` running meanwhile is not held up) and nothing created.
  const store = createIncidentStore(config, {readOnly: true});
  const {clusters, failures} = await source.clusters();
  const snapshots: ClusterSnapshot[] = [];
  let failed = failures.length > 0;
  for (const failure of failures)
    process.stderr.write(`error: ${failure.ref.name}: ${failure.message}\n`);
  for (const cluster of clusters) {
    try {
      // The table shows each CronJob's latest runs and running Jobs: older ones are not kept,
      // unless the recent runs are shown (-o wide, --json): every finished Job still there.
      const recent = config.wide || config.json;
      snapshots.push(
        await cluster.reader.read({
          namespaces: config.namespaces,
          runs: {since: () => (recent ? null : undefined)},
          ...(config.selector === null
            ? {}
            : {cronJobSelector: formatLabelSelector(config.selector)}),
        }),
      );
    } catch (error) {
      failed = true;
      process.stderr.write(`error: ${describeError(error)}\n`);
    }
  }
  // Nothing read: an empty document or table would claim the cluster has no CronJobs.
  if (failed && snapshots.length === 0) return 1;
  const {incidents, runs, unknown} = await openIncidents(store, snapshots);
  if (unknown.size > 0) failed = true;
  const doc = statusJson(
    snapshots,
    incidents,
    new Date(),
    {
      routes: config.routes,
      // Without a token messages are printed, but routes apply the same: the column says
      // where they would go.
      slackChannel: config.slack?.channel ?? defaultChannelOf(env),
      trust: annotationTrustOf({
        allowedChannels: config.allowedChannels,
        broadcastMentions: config.broadcastMentions,
        routes: config.routes,
        slackChannel: config.slack?.channel ?? null,
      }),
    },
    runs,
    unknown,
  );
  process.stdout.write(
    config.json
      ? `${JSON.stringify(doc, null, 2)}\n`
      : statusTable(doc, {
          now: new Date(),
          wide: config.wide,
          colour: colourWanted(env),
          namespaceColumn: config.namespaces === null || config.namespaces.length > 1,
        }),
  );
  return failed ? 1 : 0;
}

function printSummary(summary: PassSummary, printed: boolean): void {
  const delivered = printed ? 'printed' : 'sent';
  // "0 CronJob(s) in 1 cluster(s)" would claim an empty cluster when it could not be read.
  const unread = summary.clusters.filter(c => !c.ok).length;
  const read = summary.clusters.length - unread;
  const where =
    unread === 0
      ? `${summary.clusters.length} cluster(s)`
      : `${read} cluster(s) read (${unread} could not be read, see above)`;
  const counts = summary.dryRun
    ? `would open ${summary.opened}, would count ${summary.failedAgain} failed again, ` +
      `would close ${summary.closed}, would report ${summary.recovered} failed and recovered, ` +
      `${summary.stillOpen} would be open` +
      `${summary.muted > 0 ? `, would close ${summary.muted} muted` : ''}`
    : `${summary.opened} opened, ${summary.failedAgain} failed again, ${summary.closed} closed, ` +
      `${summary.recovered} failed and recovered, ${summary.stillOpen} still open` +
      `${summary.muted > 0 ? `, ${summary.muted} muted` : ''}`;
  const notifications = summary.dryRun
    ? // What a dry run leaves in the outbox is exactly what a pass would send.
      `Notifications: would send ${summary.notificationsPending}` +
      (summary.notificationsPending > 0 ? ' (shown above). ' : '. ')
    : `Notifications: ${summary.notificationsSent} ${delivered}, ${summary.notificationsPending} pending` +
      (summary.notificationsDeferred > 0
        ? ` (${summary.notificationsDeferred} deferred to keep Slack's pace). `
        : '. ');
  const lines = [
    `${summary.dryRun ? 'Dry run (nothing written or sent): ' : ''}${summary.cronJobsSeen} CronJob(s) in ${where}: ${counts}.`,
    `${notifications}State: ${summary.store.reads} read(s), ${summary.store.writes} write(s).`,
  ];
  // What changed, by name: a dry run is asked for to see exactly this.
  for (const t of summary.transitions) {
    const subject =
      t.namespace === '' ? `cluster ${t.cluster}` : `${t.cluster} ${t.namespace}/${t.name}`;
    const what = t.incidentKind === 'failing' ? '' : ` [${t.incidentKind}]`;
    const verb = summary.dryRun ? WOULD[t.kind] : t.kind;
    lines.push(`  ${verb}: ${subject}${what}${t.job ? ` (job ${t.job})` : ''}`);
  }
  for (const p of summary.policyProblems) {
    lines.push(
      `annotation ignored: ${p.cluster} ${p.namespace}/${p.name}: ${p.annotation}=${JSON.stringify(p.value)} ${p.problem}`,
    );
  }
  for (const p of summary.scheduleProblems) {
    lines.push(`schedule not watched: ${p.cluster} ${p.namespace}/${p.name}: ${p.problem}`);
  }
  if (summary.interrupted) {
    lines.push(
      'Interrupted: what was sent is recorded; a message in doubt is looked for in the channel before the next `cronjob-watcher check` sends it.',
    );
  }
  // The errors themselves were printed once, on stderr, as they happened.
  if (summary.errors.length > 0) {
    lines.push(
      `${summary.errors.length} error(s), shown above. Nothing is lost: what was not done ` +
        'is kept, and the next `cronjob-watcher check` tries it again.',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Says what is about to take time, so a slow cluster or Slack never looks like a hang. */
function withProgress(source: ClusterSource, notifier: Notifier, logger: Logger, slack: boolean) {
  const reading = (cluster: WatchedCluster): WatchedCluster => {
    const reader: ClusterReader = {
      read: options => {
        logger.log('INFO', `reading cluster ${cluster.ref.name}…`);
        return cluster.reader.read(options);
      },
      podsOfJob: (job, deadline) => cluster.reader.podsOfJob(job, deadline),
      podsOfJobs: (namespace, jobs, deadline) =>
        cluster.reader.podsOfJobs(namespace, jobs, deadline),
      jobEvents: (job, deadline) => cluster.reader.jobEvents(job, deadline),
      podLog: (pod, options) => cluster.reader.podLog(pod, options),
    };
    return {ref: cluster.ref, reader};
  };
  return {
    source: {
      clusters: async () => {
        const listing = await source.clusters();
        return {...listing, clusters: listing.clusters.map(reading)};
      },
    } satisfies ClusterSource,
    notifier: {
      deliver: (notification, context, deadline) => {
        if (slack) {
          logger.log(
            'INFO',
            `sending ${notification.kind} for ${context.subject.type === 'cronjob' ? `${context.subject.namespace}/${context.subject.name}` : `cluster ${context.cluster.name}`} to Slack…`,
          );
        }
        return notifier.deliver(notification, context, deadline);
      },
      postDigest: (digest, deadline) => notifier.postDigest(digest, deadline),
      deliverStorm: (send, storm, context, deadline) => {
        if (slack) {
          logger.log('INFO', `sending the storm message of ${storm.members.length} CronJobs…`);
        }
        return notifier.deliverStorm(send, storm, context, deadline);
      },
    } satisfies Notifier,
  };
}

/** Exit codes of a command ended by a signal: 128 + the signal's number, as shells report it. */
export const SIGNAL_EXIT_CODES = {SIGINT: 130, SIGTERM: 143} as const;

/**
 * Ctrl-C (SIGINT) and SIGTERM while a pass runs: the first aborts `signal` (the pass sends
 * nothing more, records what was sent or left in doubt, releases its lock) and decides the exit
 * code; a second one exits at once. Every claim is on disk before its message is sent, so even
 * then the next pass looks for a message in doubt before sending it again.
 */
function interruptions(err: NodeJS.WritableStream): {
  signal: AbortSignal;
  exitCode: () => number | null;
  dispose: () => void;
} {
  const controller = new AbortController();
  let exitCode: number | null = null;
  const handlers = (['SIGINT', 'SIGTERM'] as const).map(name => {
    const handler = () => {
      if (exitCode !== null) process.exit(SIGNAL_EXIT_CODES[name]);
      exitCode = SIGNAL_EXIT_CODES[name];
      err.write(
        `\n${name}: sending nothing more; saving what was sent or is in doubt (press Ctrl-C again to quit at once)\n`,
      );
      controller.abort();
    };
    process.on(name, handler);
    return {name, handler};
  });
  return {
    signal: controller.signal,
    exitCode: () => exitCode,
    dispose: () => {
      for (const {name, handler} of handlers) process.off(name, handler);
    },
  };
}

async function check(config: Config): Promise<number> {
  const interrupted = interruptions(process.stderr);
  try {
    const code = await checkPass(config, interrupted.signal);
    return interrupted.exitCode() ?? code;
  } finally {
    interrupted.dispose();
  }
}

async function checkPass(config: Config, signal: AbortSignal): Promise<number> {
  const logger = new TextLogger(config.json ? 'WARNING' : 'INFO');
  logger.log('DEBUG', 'configuration', describeConfig(config));
  const source = await checkedClusterSource(config);
  // With --json, stdout carries only the summary: printed messages go to stderr.
  const out = config.json ? process.stderr : process.stdout;
  const store = createIncidentStore(config);
  const notifier = createNotifier(config, out);
  const summary = await runPass({
    ...passDepsOf(
      config,
      {...withProgress(source, notifier, logger, config.slack !== null), store},
      logger,
    ),
    signal,
    preview: (notification, context) => {
      const formatted = buildMessages(notification, context);
      const message =
        formatted.kind === 'closed'
          ? context.thread === null
            ? formatted.standalone
            : formatted.reply
          : formatted.kind === 'reminder'
            ? formatted.reply
            : formatted.kind === 'acted'
              ? (formatted.reply ?? formatted.update)
              : formatted.post;
      out.write(`\n── would send (${notification.kind}) ──\n${renderConsole(message)}\n`);
    },
  });
  logMemory(logger);
  if (config.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  else printSummary(summary, config.slack === null);
  return summary.complete &&
    summary.errors.every(e => e.scope === 'object' || e.scope === 'permission')
    ? 0
    : 1;
}

const COMMANDS: Command[] = ['status', 'check'];

/** google-auth-library's words when it finds no Application Default Credentials. */
const NO_CREDENTIALS = /Could not load the default credentials/;

function isMissingCredentials(error: unknown): boolean {
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (e instanceof Error && NO_CREDENTIALS.test(e.message)) return true;
    e = e instanceof Error ? e.cause : undefined;
  }
  return false;
}

/** What a user without Google credentials reads, once, instead of a stack trace. */
function missingCredentialsLine(uses: string): string {
  return (
    `error: no Google credentials (Application Default Credentials) for ${uses}: ` +
    'run `gcloud auth application-default login`, or set GOOGLE_APPLICATION_CREDENTIALS ' +
    'to a service account key file\n'
  );
}

/**
 * What needs Google credentials in this configuration, or null. They are looked for before
 * anything is read: without them the Google clients fail inside the pass, some in promises
 * nobody awaits, which Node reports as a stack trace.
 */
function googleUses(config: Config, env: Record<string, string | undefined>): string | null {
  const uses = [
    ...(config.state.kind === 'firestore' && !env.FIRESTORE_EMULATOR_HOST
      ? ['the Firestore state']
      : []),
    ...(config.clusters.kind === 'gke' ? ['GKE clusters (GKE_CLUSTERS, GKE_PROJECTS)'] : []),
  ];
  return uses.length === 0 ? null : uses.join(' and ');
}

/** True when Application Default Credentials are missing (other problems: the clients say). */
async function credentialsMissing(): Promise<boolean> {
  const {GoogleAuth} = await import('google-auth-library');
  try {
    await new GoogleAuth().getClient();
    return false;
  } catch (error) {
    return isMissingCredentials(error);
  }
}

/** Runs the CLI; resolves to the exit code. */
export async function main(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'config') return configCommand(rest);
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === 'version') {
    process.stdout.write(`cronjob-watcher ${version()}\n`);
    return 0;
  }
  if (INCIDENT_COMMANDS.some(c => c === command)) {
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(USAGE);
      return 0;
    }
    if (process.env.METADATA_SERVER_DETECTION === undefined) {
      process.env.METADATA_SERVER_DETECTION = 'bios-only';
    }
    return incidentsMain(command as IncidentCommand, rest, env, checkedClusterSource);
  }
  if (!COMMANDS.includes(command as Command)) {
    process.stderr.write(`error: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  // Off Google Cloud, google-auth-library pings the metadata server and prints a
  // MetadataLookupWarning when nothing answers. The BIOS and the serverless variables tell
  // as well whether this runs on Google Cloud (Compute Engine, GKE, Cloud Shell, Cloud Run),
  // without the request or the warning; a value the user set is kept.
  if (process.env.METADATA_SERVER_DETECTION === undefined) {
    process.env.METADATA_SERVER_DETECTION = 'bios-only';
  }
  // A flag the command does not take, or one without its value, is a usage error (exit 2, as
  // for an unknown command); a wrong value is a configuration error (exit 1).
  try {
    parseArgs({
      args: rest,
      options: Object.fromEntries(
        CLI_FLAGS[command as Command].map(flag => [flag, CLI_OPTIONS[flag]]),
      ),
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    process.stderr.write(`error: ${describeError(error)} (see --help)\n`);
    return 2;
  }
  try {
    const config = parseConfig(env, rest, command as Command);
    const uses = googleUses(config, env);
    if (uses !== null) {
      if (await credentialsMissing()) {
        process.stderr.write(missingCredentialsLine(uses));
        return 1;
      }
    }
    return command === 'status' ? await status(config, env) : await check(config);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${describeError(error)} (see --help)\n`);
      return 2;
    }
    const prefix = error instanceof ConfigError ? 'configuration error' : 'error';
    process.stderr.write(`${prefix}: ${describeError(error)}\n`);
    return error instanceof WatcherError ? 1 : 70;
  }
}
