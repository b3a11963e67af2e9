/**
 * The cluster to watch when running locally: one context of a kubeconfig file, read with
 * `@kubernetes/client-node` (so exec plugins such as `gke-gcloud-auth-plugin`, client
 * certificates, CA files and proxies work as they do for kubectl).
 *
 * client-node is loaded here only, on first use: it is the costliest module the watcher can
 * load, and the function on GKE never needs it.
 */
import {existsSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {KubeConfig} from '@kubernetes/client-node';
import {ClusterError, ConfigError, describeError} from '../core/errors.js';
import type {ClusterRef} from '../core/model.js';
import type {Logger} from '../logger.js';
import type {ClusterSource, WatchedCluster, ClusterFailure} from '../ports.js';
import {KubernetesClusterReader} from './kubernetes/cluster-reader.js';
import type {KubeTransport} from './kubernetes/transport.js';

type ClientNode = typeof import('@kubernetes/client-node');

let clientNode: Promise<ClientNode> | null = null;

/** client-node, imported once per process; a failed import is tried again by the next caller. */
function loadClientNode(): Promise<ClientNode> {
  clientNode ??= import('@kubernetes/client-node').catch((error: unknown) => {
    clientNode = null;
    throw error;
  });
  return clientNode;
}

/**
 * A transport that asks client-node for each request's credentials and TLS settings
 * (`applySecurityAuthentication`: the kubeconfig token, exec and auth-provider plugins, client
 * certificates, the cluster CA, `proxy-url`, `tls-server-name`), so an exec plugin's token is
 * refreshed as kubectl would.
 */
export function kubeconfigTransport(
  kubeConfig: KubeConfig,
  {RequestContext, HttpMethod}: Pick<ClientNode, 'RequestContext' | 'HttpMethod'>,
): KubeTransport {
  const cluster = kubeConfig.getCurrentCluster();
  const token = kubeConfig.getCurrentUser()?.token;
  return {
    server: cluster?.server ?? 'the API server',
    pinsCa: Boolean(cluster?.caData || cluster?.caFile),
    secrets: token ? [token] : [],
    async prepare() {
      if (cluster === null) {
        throw new ClusterError('CONFIG', 'the kubeconfig has no cluster for its current context');
      }
      const context = new RequestContext(cluster.server, HttpMethod.GET);
      context.setHeaderParam('Accept', 'application/json');
      try {
        await kubeConfig.applySecurityAuthentication(context);
      } catch (error) {
        throw new ClusterError(
          'CONFIG',
          `cannot apply the kubeconfig's credentials or TLS settings for ${cluster.server}: ${describeError(error)}`,
          {cause: error},
        );
      }
      return {dispatcher: context.getDispatcher(), headers: context.getHeaders()};
    },
  };
}

/** Options of `KubeconfigClusterSource`. */
export interface KubeconfigSourceOptions {
  /** The kubeconfig file; null/absent: `$KUBECONFIG` (a path list), else `~/.kube/config`. */
  file?: string | null;
  /** The context; null/absent: the kubeconfig's current context. */
  context?: string | null;
  /** Name shown for the cluster; null/absent: the context name. */
  clusterName?: string | null;
  pageSize?: number;
  requestTimeoutMs?: number;
  logger?: Logger;
  /** Environment to read `KUBECONFIG` and `HOME` from (tests). */
  env?: NodeJS.ProcessEnv;
}

/** One cluster from a kubeconfig context. */
export class KubeconfigClusterSource implements ClusterSource {
  constructor(private readonly options: KubeconfigSourceOptions = {}) {}

  /** The kubeconfig files that will be read, in merge order. */
  files(): string[] {
    if (this.options.file) return [this.options.file];
    const env = this.options.env ?? process.env;
    const fromEnv = (env.KUBECONFIG ?? '')
      .split(path.delimiter)
      .map(entry => entry.trim())
      .filter(entry => entry !== '');
    if (fromEnv.length > 0) return fromEnv;
    return [path.join(env.HOME ?? os.homedir(), '.kube', 'config')];
  }

  /**
   * Loads the kubeconfig and selects the context; re-read on every call so a refreshed token
   * (e.g. written by `gcloud`) is picked up. Throws `ConfigError` naming the file or context.
   */
  async load(): Promise<{ref: ClusterRef; kubeConfig: KubeConfig; transport: KubeTransport}> {
    const files = this.files();
    // Like kubectl, entries of $KUBECONFIG that do not exist are skipped; an explicit file must exist.
    const existing = this.options.file ? files : files.filter(file => existsSync(file));
    if (existing.length === 0 || !existsSync(existing[0] as string)) {
      throw new ConfigError(
        `kubeconfig file ${files.join(path.delimiter)} does not exist; pass --kubeconfig FILE, ` +
          'set KUBECONFIG, or create ~/.kube/config (e.g. with gcloud container clusters get-credentials)',
      );
    }
    const client = await loadClientNode();
    const kubeConfig = new client.KubeConfig();
    try {
      kubeConfig.loadFromFile(existing[0] as string);
      for (const file of existing.slice(1)) {
        const more = new client.KubeConfig();
        more.loadFromFile(file);
        kubeConfig.mergeConfig(more, true);
      }
    } catch (error) {
      throw new ConfigError(
        `kubeconfig ${existing.join(path.delimiter)} could not be read: ${describeError(error)}`,
        {cause: error},
      );
    }
    const available = kubeConfig.getContexts().map(c => c.name);
    const listed = available.length > 0 ? available.join(', ') : 'none';
    const wanted = this.options.context ?? kubeConfig.getCurrentContext();
    if (!wanted) {
      throw new ConfigError(
        `kubeconfig ${existing.join(path.delimiter)} has no current context; pass --context NAME ` +
          `(available contexts: ${listed})`,
      );
    }
    const context = kubeConfig.getContextObject(wanted);
    if (context === null) {
      throw new ConfigError(
        `context "${wanted}" is not in kubeconfig ${existing.join(path.delimiter)} ` +
          `(available contexts: ${listed})`,
      );
    }
    kubeConfig.setCurrentContext(wanted);
    if (kubeConfig.getCurrentCluster() === null) {
      throw new ConfigError(
        `context "${wanted}" in kubeconfig ${existing.join(path.delimiter)} names cluster ` +
          `"${context.cluster}", which the file does not define`,
      );
    }
    const ref: ClusterRef = {
      id: `kubeconfig/${wanted}`,
      name: this.options.clusterName || wanted,
      project: null,
      location: null,
    };
    return {ref, kubeConfig, transport: kubeconfigTransport(kubeConfig, client)};
  }

  async clusters(): Promise<{clusters: WatchedCluster[]; failures: ClusterFailure[]}> {
    const {ref, transport} = await this.load();
    const reader = new KubernetesClusterReader(ref, transport, {
      ...(this.options.pageSize === undefined ? {} : {pageSize: this.options.pageSize}),
      ...(this.options.requestTimeoutMs === undefined
        ? {}
        : {requestTimeoutMs: this.options.requestTimeoutMs}),
      ...(this.options.logger === undefined ? {} : {logger: this.options.logger}),
    });
    return {clusters: [{ref, reader}], failures: []};
  }
}
