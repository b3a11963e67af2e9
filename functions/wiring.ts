/**
 * Builds the adapters a configuration asks for. Called once per process (the function
 * instance or the CLI run); nothing else constructs a client.
 *
 * Cold start: each SDK is loaded only when the configuration uses it, and only when a pass
 * first needs it. Together they cost more CPU and memory at start-up than a quiet pass, and
 * most configurations need few of them: the file store never needs Firestore, a kubeconfig never
 * needs the GKE client, no token never needs Slack. So every adapter here is a thin stand-in
 * that imports its module on first use and then delegates; a module that failed to load is
 * tried again on the next call. What can be checked without an SDK is checked by
 * `parseConfig` at start-up, as before.
 */
import {CRONJOB_DETECTIONS, type Config} from './config.js';
import type {TextSink} from './adapters/console-notifier.js';
import type {Logger} from './logger.js';
import {annotationTrustOf} from './core/policy.js';
import type {PassDeps} from './pass-state.js';
import type {ClusterSource, IncidentStore, Notifier} from './ports.js';

/** The adapters of one process. */
export interface Adapters {
  source: ClusterSource;
  store: IncidentStore;
  notifier: Notifier;
}

/** Loads a value on first use; a failed load is retried by the next caller. */
export function lazily<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = null;
      throw error;
    });
    return loading;
  };
}

/** The cluster source alone (what `status` needs). */
export function createClusterSource(config: Config): ClusterSource {
  const source = lazily(async (): Promise<ClusterSource> => {
    if (config.clusters.kind === 'gke') {
      const {createGkeClients, GkeClusterSource} = await import('./adapters/gke-cluster-source.js');
      const {clusterManager, credentials} = createGkeClients();
      return new GkeClusterSource({
        settings: config.clusters.settings,
        clusterManager,
        credentials,
        reader: {pageSize: config.pageSize},
      });
    }
    const {KubeconfigClusterSource} = await import('./adapters/kubeconfig-source.js');
    const {file, context, clusterName} = config.clusters;
    return new KubeconfigClusterSource({file, context, clusterName, pageSize: config.pageSize});
  });
  return {clusters: async () => (await source()).clusters()};
}

/**
 * The incident store the configuration names. `readOnly` (a dry run, `status`): nothing will
 * be written, so the file store holds no lock and creates no directory.
 */
export function createIncidentStore(
  config: Config,
  {readOnly = config.dryRun}: {readOnly?: boolean} = {},
): IncidentStore {
  const state = config.state;
  if (state.kind === 'firestore') {
    const firestore = lazily(async (): Promise<IncidentStore> => {
      const {createFirestore, FirestoreIncidentStore} =
        await import('./adapters/firestore-incident-store.js');
      const client = createFirestore({
        GOOGLE_CLOUD_PROJECT: state.projectId ?? undefined,
        FIRESTORE_DATABASE: state.database,
        FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST,
      });
      return new FirestoreIncidentStore(client, {retentionDays: config.retentionDays});
    });
    return delegateTo(firestore);
  }
  const file = lazily(async (): Promise<IncidentStore> => {
    const {FileIncidentStore} = await import('./adapters/file-incident-store.js');
    return new FileIncidentStore({
      dir: state.dir,
      batchPerPass: !readOnly,
      retentionDays: config.retentionDays,
    });
  });
  return delegateTo(file);
}

/** A store whose every call first loads it. */
function delegateTo(store: () => Promise<IncidentStore>): IncidentStore {
  return {
    loadCluster: async (...args) => (await store()).loadCluster(...args),
    update: async (...args) => (await store()).update(...args),
    updateMany: async (...args) => (await store()).updateMany(...args),
    baseline: async (...args) => (await store()).baseline(...args),
    finishCluster: async (...args) => (await store()).finishCluster(...args),
    flush: async (...args) => (await store()).flush(...args),
    recentRecords: async (...args) => (await store()).recentRecords(...args),
    createDigest: async (...args) => (await store()).createDigest(...args),
    updateDigest: async (...args) => (await store()).updateDigest(...args),
    readDigest: async (...args) => (await store()).readDigest(...args),
  };
}

/** Slack when a token is configured, else the console. */
export function createNotifier(config: Config, out: TextSink = process.stdout): Notifier {
  const slack = config.slack;
  const notifier = lazily(async (): Promise<Notifier> => {
    if (slack === null) {
      const {ConsoleNotifier} = await import('./adapters/console-notifier.js');
      return new ConsoleNotifier({out});
    }
    const {createSlackClient, SlackNotifier} = await import('./adapters/slack-notifier.js');
    const client = createSlackClient({token: slack.token, apiUrl: slack.apiUrl ?? undefined});
    return new SlackNotifier(client, {channel: slack.channel, historyLookup: slack.historyLookup});
  });
  return {
    deliver: async (...args) => (await notifier()).deliver(...args),
    postDigest: async (...args) => (await notifier()).postDigest(...args),
    deliverStorm: async (...args) => (await notifier()).deliverStorm(...args),
  };
}

/** Every adapter of one process. */
export function createAdapters(config: Config, out?: TextSink): Adapters {
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
  Partial<
    Pick<
      Config,
      | 'routes'
      | 'language'
      | 'allowedChannels'
      | 'broadcastMentions'
      | 'slack'
      | 'maintenance'
      | 'reminders'
      | 'digestAt'
      | 'stormThreshold'
    >
  > & {
    dryRun?: boolean;
    detections?: Config['detections'];
  };

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
    disabledDetections: CRONJOB_DETECTIONS.filter(
      d => settings.detections !== undefined && !settings.detections.includes(d),
    ),
    routes: settings.routes ?? [],
    maintenance: settings.maintenance ?? [],
    ...(settings.reminders === undefined ? {} : {reminders: settings.reminders}),
    digestAt: settings.digestAt ?? null,
    annotationTrust: annotationTrustOf({
      allowedChannels: settings.allowedChannels ?? null,
      broadcastMentions: settings.broadcastMentions ?? false,
      routes: settings.routes ?? [],
      slackChannel: settings.slack?.channel ?? null,
    }),
    language: settings.language ?? 'en',
    stormThreshold: settings.stormThreshold ?? null,
    dryRun: settings.dryRun ?? false,
  };
}
