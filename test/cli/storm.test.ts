/**
 * `cronjob-watcher check` with storms at their default (`STORM_THRESHOLD` unset: 5), the file
 * state and console messages, against the Kubernetes API test server loaded with every
 * fixture: the fixture cluster's failing CronJobs (more than five) open in one pass, so the
 * console shows one parent message and each opening as a reply in its thread; the next check
 * prints nothing.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import type {KubeApiServer} from '../support/kube-api-server.js';
import {loadExpectedVerdicts} from '../support/kube-fixtures.js';
import {fixtureServer, TOKEN} from '../kubernetes/helpers.js';
import {failingCronJobs, runCli, shown, tempDir} from './helpers.js';

const expected = loadExpectedVerdicts();
const FAILING = failingCronJobs(expected);
const CLUSTER = 'prod-eu-west1';

describe('cronjob-watcher check: a storm on the console', () => {
  let server: KubeApiServer;
  let kubeconfig: string;

  before(async () => {
    assert.ok(FAILING.length >= 5, 'the fixture makes a storm at the default threshold');
    server = await fixtureServer();
    kubeconfig = await server.writeKubeconfig({context: 'fixture', token: TOKEN});
  });
  after(async () => {
    await server.close();
  });

  it('one parent message, each opening in its thread; the next check prints nothing', async () => {
    const stateDir = await tempDir('storm');
    const args = ['check', '--kubeconfig', kubeconfig, '--state-dir', stateDir];
    const env = {STORM_THRESHOLD: undefined};
    const first = await runCli([...args, '--cluster-name', CLUSTER], {env});
    assert.equal(first.code, 0, shown(first));
    const top = [...first.stdout.matchAll(/^── Slack message (\d+) ──$/gmu)].map(m => m[1]);
    assert.equal(top.length, 1, `one top-level message\n${shown(first)}`);
    assert.match(
      first.stdout,
      new RegExp(`^🔴 ${FAILING.length} CronJobs need attention at once · ${CLUSTER}$`, 'm'),
    );
    assert.match(first.stdout, new RegExp(`^0 of ${FAILING.length} recovered$`, 'm'));
    const replies = [
      ...first.stdout.matchAll(/^── Slack reply \d+ in the thread of message (\d+) ──$/gmu),
    ].map(m => m[1]);
    assert.equal(replies.length, FAILING.length, shown(first));
    assert.ok(
      replies.every(parent => parent === top[0]),
      'every opening under the parent',
    );
    for (const key of FAILING) {
      assert.match(first.stdout, new RegExp(`^🔴 ${key} failed: .+ · ${CLUSTER}$`, 'm'));
    }
    assert.match(
      first.stdout,
      new RegExp(`^Notifications: ${FAILING.length + 1} printed, 0 pending`, 'm'),
    );

    const second = await runCli([...args, '--cluster-name', CLUSTER], {env});
    assert.equal(second.code, 0, shown(second));
    assert.doesNotMatch(second.stdout, /^── Slack/m, 'nothing is printed twice');
  });
});
