/**
 * The local servers of an end-to-end test file, with their node:test hooks: one Kubernetes
 * API test server (and its kubeconfig) for the file, emptied before every test, and a fresh
 * Slack API server for every test, so no message or channel state leaks between tests.
 */
import {after, before, beforeEach} from 'node:test';
import {startKubeApiServer, type KubeApiServer} from './kube-api-server.js';
import {startSlackApiServer, type FakeChannel, type SlackApiServer} from './slack-api-server.js';
import {CHANNEL, CONTEXT, TOKEN} from './world.js';

export interface LocalServers {
  readonly kube: KubeApiServer;
  readonly slack: SlackApiServer;
  /** Path of a kubeconfig whose context `CONTEXT` reaches `kube`. */
  readonly kubeconfig: string;
  /** A Slack that forgot everything (a new server, the same channels), e.g. after an outage. */
  restartSlack(): Promise<SlackApiServer>;
}

/** Registers the hooks; the servers are there from the first test on. */
export function useLocalServers(
  channels: FakeChannel[] = [{id: CHANNEL, name: 'alerts'}],
): LocalServers {
  let kube: KubeApiServer | undefined;
  let slack: SlackApiServer | undefined;
  let kubeconfig: string | undefined;
  before(async () => {
    kube = await startKubeApiServer({});
    kubeconfig = await kube.writeKubeconfig({context: CONTEXT});
  });
  const restartSlack = async (): Promise<SlackApiServer> => {
    await slack?.close();
    slack = await startSlackApiServer({token: TOKEN, channels});
    return slack;
  };
  beforeEach(async () => {
    await restartSlack();
    kube?.load({cronJobs: [], jobs: [], pods: []});
    kube?.clearRequests();
  });
  after(async () => {
    await kube?.close();
    await slack?.close();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is started by the file's before hook`);
    return value;
  };
  return {
    get kube() {
      return started(kube, 'the Kubernetes API test server');
    },
    get slack() {
      return started(slack, 'the Slack API test server');
    },
    get kubeconfig() {
      return started(kubeconfig, 'the kubeconfig');
    },
    restartSlack,
  };
}
