/**
 * Shared set-up for the Kubernetes adapter tests: a test API server loaded with the fixtures
 * and a `KubernetesClusterReader` reaching it through a kubeconfig, as in production.
 */
import * as clientNode from '@kubernetes/client-node';
import {kubeconfigTransport} from '../../functions/adapters/kubeconfig-source.js';
import {
  KubernetesClusterReader,
  type KubernetesClusterReaderOptions,
} from '../../functions/adapters/kubernetes/cluster-reader.js';
import {withBearerToken} from '../../functions/adapters/kubernetes/transport.js';
import type {ClusterRef} from '../../functions/core/model.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {loadFixtureObjects} from '../support/kube-fixtures.js';

/** Long enough to look like a real bearer token, so redaction is exercised for real. */
export const TOKEN = 'test-token-4f1c2a9e7b3d5c8e0a6f';

/** A ref like the kubeconfig source makes, with a distinctive name to find in messages. */
export const REF: ClusterRef = {
  id: 'kubeconfig/fixture',
  name: 'prod-eu-test',
  project: null,
  location: null,
};

/** A plain-HTTP server with every fixture, requiring `TOKEN`. */
export async function fixtureServer(
  options: Parameters<typeof startKubeApiServer>[0] = {},
): Promise<KubeApiServer> {
  return startKubeApiServer({token: TOKEN, objects: loadFixtureObjects(), ...options});
}

/**
 * A reader for `server` via a kubeconfig written to disk and loaded by client-node; with
 * `tokenProvider`, its token replaces the kubeconfig's on every request (as on GKE).
 */
export async function readerFor(
  server: KubeApiServer,
  options: KubernetesClusterReaderOptions & {
    token?: string | null;
    caPem?: string;
    serverUrl?: string;
    tokenProvider?: () => Promise<string>;
  } = {},
): Promise<KubernetesClusterReader> {
  const {token, caPem, serverUrl, tokenProvider, ...readerOptions} = options;
  const file = await server.writeKubeconfig({
    context: 'fixture',
    ...(token === null ? {} : {token: token ?? TOKEN}),
    ...(caPem === undefined ? {} : {caPem}),
    ...(serverUrl === undefined ? {} : {server: serverUrl}),
  });
  const kubeConfig = new clientNode.KubeConfig();
  kubeConfig.loadFromFile(file);
  const transport = kubeconfigTransport(kubeConfig, clientNode);
  return new KubernetesClusterReader(
    REF,
    tokenProvider === undefined ? transport : withBearerToken(transport, tokenProvider),
    readerOptions,
  );
}

/** Runs `action`, expecting it to reject; returns the rejection. */
export async function rejection(action: () => Promise<unknown>): Promise<Error & {code?: string}> {
  try {
    await action();
  } catch (error) {
    return error as Error & {code?: string};
  }
  throw new Error('expected a rejection, but it resolved');
}
