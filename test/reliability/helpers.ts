/**
 * Shared set-up for the reliability tests: every fault goes through the real clients —
 * `@kubernetes/client-node` against the Kubernetes test API server, `@slack/web-api` against
 * the local Slack API, `@google-cloud/firestore` against the emulator — and `runPass` is the
 * code under test. Only the pass's clock is ours; waits between Slack attempts are recorded,
 * never slept.
 */
import {connect, createServer, type Server, type Socket} from 'node:net';
import {Firestore} from '@google-cloud/firestore';
import {createFirestore} from '../../functions/adapters/firestore-incident-store.js';
import {JsonLogger, type Logger} from '../../functions/logger.js';
import type {IncidentStore} from '../../functions/ports.js';
import {freePort} from '../support/free-port.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {
  startSlackApiServer,
  type RecordedCall,
  type SlackApiServer,
} from '../support/slack-api-server.js';
import {CLUSTER_ID, CONTEXT, TOKEN} from '../support/world.js';

export * from '../support/world.js';

/** The notification a Slack call carried (the notifier puts its id in the metadata). */
export function notificationIdOf(call: RecordedCall): string | null {
  const metadata = call.metadata as {event_payload?: {notification_id?: unknown}} | null;
  const id = metadata?.event_payload?.notification_id;
  return typeof id === 'string' ? id : null;
}

/**
 * Messages that reached the channel, by notification id: a posted message that Slack
 * accepted (a closing notification is one update plus one reply; the reply is what counts).
 */
export function deliveredById(slack: SlackApiServer): Map<string, number> {
  const counts = new Map<string, number>();
  for (const call of slack.accepted()) {
    if (call.method !== 'chat.postMessage') continue;
    const id = notificationIdOf(call) ?? '(none)';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** Accepted messages per kind (`opened`, `closed`, `recovered`). */
export function deliveredByKind(slack: SlackApiServer): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [id, n] of deliveredById(slack)) {
    const kind = id.split('/').at(-1) ?? '?';
    counts[kind] = (counts[kind] ?? 0) + n;
  }
  return counts;
}

/** Accepted messages naming this CronJob's incidents (its UID starts every incident id). */
export function deliveredFor(slack: SlackApiServer, cronJobUid: string): string[] {
  const ids: string[] = [];
  for (const [id, n] of deliveredById(slack)) {
    if (id.startsWith(`${cronJobUid}/`)) for (let i = 0; i < n; i++) ids.push(id);
  }
  return ids.sort();
}

/** Structured log lines, as Cloud Logging would receive them. */
export function capturingLogger(): {logger: Logger; lines: string[]} {
  const lines: string[] = [];
  return {logger: new JsonLogger(line => lines.push(line)), lines};
}

/** Every document in the database (all collections, all depths), as path + JSON. */
export async function readAllDocuments(
  db: Firestore,
): Promise<Array<{path: string; json: string}>> {
  const out: Array<{path: string; json: string}> = [];
  const walk = async (collections: FirebaseFirestore.CollectionReference[]): Promise<void> => {
    for (const collection of collections) {
      for (const ref of await collection.listDocuments()) {
        const snapshot = await ref.get();
        if (snapshot.exists) out.push({path: ref.path, json: JSON.stringify(snapshot.data())});
        await walk(await ref.listCollections());
      }
    }
  };
  await walk(await db.listCollections());
  return out;
}

/**
 * A Firestore client for a private emulator or proxy at `host`. The SDK reads
 * FIRESTORE_EMULATOR_HOST from process.env in its constructor and lets it win over every
 * setting, so it is swapped in for the construction only.
 */
export function firestoreAt(host: string, projectId: string): Firestore {
  const shared = process.env.FIRESTORE_EMULATOR_HOST;
  process.env.FIRESTORE_EMULATOR_HOST = host;
  try {
    return createFirestore({GOOGLE_CLOUD_PROJECT: projectId, FIRESTORE_EMULATOR_HOST: host});
  } finally {
    process.env.FIRESTORE_EMULATOR_HOST = shared;
  }
}

/** The CronJob records of the cluster as stored, by key (the cluster's own record left out). */
export async function cronJobRecords(
  store: IncidentStore,
  clusterId = CLUSTER_ID,
): Promise<Map<string, unknown>> {
  const state = await store.loadCluster(clusterId, {reads: 0, writes: 0});
  const records = new Map<string, unknown>();
  for (const key of [...state.known.keys()].sort()) {
    if (key === '/') continue;
    const record = await store.update(clusterId, key, () => null, {reads: 0, writes: 0});
    records.set(key, record);
  }
  return records;
}

/**
 * A TCP pass-through on a fixed local port that can be taken down (listener closed, every
 * connection cut: clients see resets, then "connection refused") and brought back on the same
 * port. Put in front of a Firestore emulator it is a Firestore outage that keeps the
 * emulator's data, which a stopped and restarted emulator (memory only) would lose.
 */
export class TcpGate {
  #server: Server | null = null;
  readonly #sockets = new Set<Socket>();

  private constructor(
    readonly port: number,
    private readonly target: {host: string; port: number},
  ) {}

  /** A gate to `targetHost` (`host:port`), open. */
  static async open(targetHost: string): Promise<TcpGate> {
    const [host = '127.0.0.1', port = '0'] = targetHost.split(':');
    const gate = new TcpGate(await freePort(), {host, port: Number(port)});
    await gate.up();
    return gate;
  }

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    if (this.#server !== null) return;
    const server = createServer(client => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
  }

  async down(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    if (server !== null) await new Promise<void>(resolve => server.close(() => resolve()));
  }
}

/**
 * The servers most reliability test files share across their tests: a Kubernetes API test
 * server with a kubeconfig for CONTEXT, and a Slack API test server accepting TOKEN.
 */
export async function startServers(): Promise<{
  kube: KubeApiServer;
  kubeconfig: string;
  slack: SlackApiServer;
}> {
  const kube = await startKubeApiServer({});
  const kubeconfig = await kube.writeKubeconfig({context: CONTEXT});
  const slack = await startSlackApiServer({token: TOKEN});
  return {kube, kubeconfig, slack};
}

/** Closes what `startServers` started. */
export async function stopServers(kube: KubeApiServer, slack: SlackApiServer): Promise<void> {
  await slack.close();
  await kube.close();
}
