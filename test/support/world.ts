/**
 * One function instance's worth of real adapters over the shared test servers, and the run
 * shapes scenarios are made of: the end-to-end and reliability tests both drive `runPass`
 * through these, the real clients talking to the Kubernetes test API server, the local Slack
 * API and the Firestore emulator. Only the pass's clock is ours; waits between Slack attempts
 * are recorded, never slept.
 */
import {randomUUID} from 'node:crypto';
import {mkdtemp} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {Firestore} from '@google-cloud/firestore';
import {FirestoreIncidentStore} from '../../functions/adapters/firestore-incident-store.js';
import {FileIncidentStore} from '../../functions/adapters/file-incident-store.js';
import {KubeconfigClusterSource} from '../../functions/adapters/kubeconfig-source.js';
import {
  createSlackClient,
  SlackNotifier,
  type SlackNotifierOptions,
} from '../../functions/adapters/slack-notifier.js';
import {silentLogger} from '../../functions/logger.js';
import {runPass, type PassDeps, type PassSummary} from '../../functions/pass.js';
import {passDepsOf} from '../../functions/wiring.js';
import type {IncidentStore} from '../../functions/ports.js';
import type {KubeApiServer} from './kube-api-server.js';
import type {KubeObject} from './kube-fixtures.js';
import type {SlackApiServer} from './slack-api-server.js';
import {objectsFor, type CronJobSpec, type RunSpec} from './scenario.js';

/** Distinctive, so a leak anywhere is found by a plain substring search. */
export const TOKEN = 'xoxb-7731-RELIABILITY-q9ZK4w-DO-NOT-LEAK';
export const CHANNEL = 'C0ALERTS01';
/** The kube context, and the cluster name people see in messages and errors. */
export const CONTEXT = 'reliability';
export const CLUSTER_NAME = 'prod-eu';
export const CLUSTER_ID = `kubeconfig/${CONTEXT}`;

export const ok = (at: string, finished: string): RunSpec => ({
  scheduledAt: at,
  outcome: 'succeeded',
  finishedAt: finished,
});
export const failed = (at: string, finished: string, reason = 'BackoffLimitExceeded'): RunSpec => ({
  scheduledAt: at,
  outcome: 'failed',
  finishedAt: finished,
  reason,
});

export const OK_0 = ok('2026-03-02T00:00:00Z', '2026-03-02T00:04:00Z');
export const FAIL_1 = failed('2026-03-02T01:00:00Z', '2026-03-02T01:06:30Z');
export const FAIL_2 = failed('2026-03-02T02:00:00Z', '2026-03-02T02:10:00Z', 'DeadlineExceeded');
export const OK_3 = ok('2026-03-02T03:00:00Z', '2026-03-02T03:11:35Z');

/**
 * Replaces what the server shows for one CronJob: the CronJob and exactly these runs; `status`
 * overrides fields of the CronJob's status as the controller left them.
 */
export function show(
  kube: KubeApiServer,
  cronJob: CronJobSpec,
  runs: RunSpec[],
  status: Record<string, unknown> = {},
): void {
  const objects = objectsFor(cronJob, runs);
  Object.assign((objects.cronJob as KubeObject & {status: object}).status, status);
  const ownerUid = (objects.cronJob.metadata as {uid: string}).uid;
  for (const job of kube.list('Job')) {
    const owners = (job.metadata.ownerReferences ?? []) as Array<{uid?: string}>;
    if (owners.some(o => o.uid === ownerUid))
      kube.remove('Job', job.metadata.namespace, job.metadata.name);
  }
  kube.put(objects.cronJob);
  objects.jobs.forEach(job => kube.put(job));
  objects.pods.forEach(pod => kube.put(pod));
}

/** Options of `world`. */
export interface WorldOptions {
  /** Firestore project (a fresh one per test keeps data apart); ignored with `fileStore`. */
  projectId?: string;
  /** A Firestore client to use instead of one on the shared emulator. */
  firestore?: Firestore;
  /** Use the file store (where Firestore adds nothing to what is tested). */
  fileStore?: boolean;
  /** The file store's directory, to share it between worlds; default a fresh one. */
  stateDir?: string;
  /**
   * The store's clock (retention, index pruning); default the real one. A test whose records
   * carry fixed times far from today passes one near them, as the pass's clock is.
   */
  storeNow?: () => Date;
  channel?: string;
  /** Token the notifier presents; default TOKEN. */
  token?: string;
  /** Slack per-request timeout. */
  slackTimeoutMs?: number;
  /** Kubernetes per-request timeout. */
  requestTimeoutMs?: number;
  pageSize?: number;
  /** Notifier options on top of the defaults (a clock, pacing, history lookups, warnings). */
  notifier?: Partial<SlackNotifierOptions>;
}

/** One function instance: its own clients, the shared servers. */
export interface World {
  firestore: Firestore | null;
  store: IncidentStore;
  notifier: SlackNotifier;
  source: KubeconfigClusterSource;
  /** Every backoff the notifier asked for, in ms (recorded instead of slept). */
  waits: number[];
  close(): Promise<void>;
}

export async function world(
  kubeconfig: string,
  slack: SlackApiServer,
  options: WorldOptions = {},
): Promise<World> {
  let firestore: Firestore | null = null;
  let store: IncidentStore;
  if (options.fileStore) {
    store = new FileIncidentStore({
      dir: options.stateDir ?? (await mkdtemp(path.join(os.tmpdir(), 'reliability-'))),
      ...(options.storeNow === undefined ? {} : {now: options.storeNow}),
    });
  } else {
    firestore =
      options.firestore ??
      new Firestore({projectId: options.projectId ?? `rel-${randomUUID().slice(0, 8)}`});
    store = new FirestoreIncidentStore(
      firestore,
      options.storeNow === undefined ? {} : {now: options.storeNow},
    );
  }
  const waits: number[] = [];
  const notifier = new SlackNotifier(
    createSlackClient({
      token: options.token ?? TOKEN,
      apiUrl: slack.apiUrl,
      ...(options.slackTimeoutMs === undefined ? {} : {timeoutMs: options.slackTimeoutMs}),
    }),
    {
      channel: options.channel ?? CHANNEL,
      sleep: async ms => {
        waits.push(ms);
      },
      ...options.notifier,
    },
  );
  const source = new KubeconfigClusterSource({
    file: kubeconfig,
    context: CONTEXT,
    clusterName: CLUSTER_NAME,
    ...(options.requestTimeoutMs === undefined ? {} : {requestTimeoutMs: options.requestTimeoutMs}),
    ...(options.pageSize === undefined ? {} : {pageSize: options.pageSize}),
  });
  return {
    firestore,
    store,
    notifier,
    source,
    waits,
    async close() {
      // A client the caller passed in is the caller's to close.
      if (firestore !== null && options.firestore === undefined) await firestore.terminate();
    },
  };
}

/** A pass at `at` (the decision clock), with the defaults production uses. */
export function pass(
  w: Pick<World, 'source' | 'store' | 'notifier'>,
  at: string,
  overrides: Partial<PassDeps> = {},
): Promise<PassSummary> {
  const settings = {namespaces: null, passBudgetMs: 60_000, concurrency: 2, clusterDownAfter: 3};
  return runPass({
    ...passDepsOf(settings, w, silentLogger, () => new Date(at)),
    ...overrides,
  });
}
