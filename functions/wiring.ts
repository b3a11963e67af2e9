/**
 * Builds the adapters a configuration asks for. Called once per process (the function
 * instance or the CLI run); nothing else constructs a client.
 */
import type {Config} from './config.js';
import {ConsoleNotifier} from './adapters/console-notifier.js';
import {FileIncidentStore} from './adapters/file-incident-store.js';
import {createFirestore, FirestoreIncidentStore} from './adapters/firestore-incident-store.js';
import {createGkeClients, GkeClusterSource} from './adapters/gke-cluster-source.js';
import {KubeconfigClusterSource} from './adapters/kubeconfig-source.js';
import {createSlackClient, SlackNotifier} from './adapters/slack-notifier.js';
import type {Logger} from './logger.js';
import type {PassDeps} from './pass-state.js';
import type {ClusterSource, IncidentStore, Notifier} from './ports.js';

/** The adapters of one process. */
export interface Adapters {
  source: ClusterSource;
  store: IncidentStore;
  notifier: Notifier;
}

/** The cluster source alone (what `status` needs). */
export function createClusterSource(config: Config): ClusterSource {
  if (config.clusters.kind === 'gke') {
    const {clusterManager, credentials} = createGkeClients();
    return new GkeClusterSource({
      settings: config.clusters.settings,
      clusterManager,
      credentials,
      reader: {pageSize: config.pageSize},
    });
  }
  return new KubeconfigClusterSource({
    file: config.clusters.file,
    context: config.clusters.context,
    clusterName: config.clusters.clusterName,
    pageSize: config.pageSize,
  });
}

/** The incident store the configuration names. */
export function createIncidentStore(config: Config): IncidentStore {
  if (config.state.kind === 'firestore') {
    const firestore = createFirestore({
      GOOGLE_CLOUD_PROJECT: config.state.projectId ?? undefined,
      FIRESTORE_DATABASE: config.state.database,
      FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST,
    });
    return new FirestoreIncidentStore(firestore, {retentionDays: config.retentionDays});
  }
  return new FileIncidentStore({dir: config.state.dir});
}

/** Slack when a token is configured, else the console. */
export function createNotifier(
  config: Config,
  out: NodeJS.WritableStream = process.stdout,
): Notifier {
  if (config.slack === null) return new ConsoleNotifier({out});
  const client = createSlackClient({
    token: config.slack.token,
    apiUrl: config.slack.apiUrl ?? undefined,
  });
  return new SlackNotifier(client, {channel: config.slack.channel});
}

/** Every adapter of one process. */
export function createAdapters(config: Config, out?: NodeJS.WritableStream): Adapters {
  return {
    source: createClusterSource(config),
    store: createIncidentStore(config),
    notifier: createNotifier(config, out),
  };
}

/** Settings of a pass that come from the configuration (the parts `PassDeps` shares with it). */
export type PassSettings = Pick<
  Config,
  'namespaces' | 'passBudgetMs' | 'concurrency' | 'clusterDownAfter'
> &
  Partial<Pick<Config, 'routes' | 'language'>> & {dryRun?: boolean};

/**
 * The dependencies of one pass: the one place they are assembled, for the function, the CLI
 * and the tests.
 */
export function passDepsOf(
  settings: PassSettings,
  adapters: Adapters,
  logger: Logger,
  now: () => Date = () => new Date(),
): PassDeps {
  return {
    source: adapters.source,
    store: adapters.store,
    notifier: adapters.notifier,
    logger,
    now,
    namespaces: settings.namespaces,
    budgetMs: settings.passBudgetMs,
    concurrency: settings.concurrency,
    clusterDownAfter: settings.clusterDownAfter,
    routes: settings.routes ?? [],
    language: settings.language ?? 'en',
    dryRun: settings.dryRun ?? false,
  };
}
