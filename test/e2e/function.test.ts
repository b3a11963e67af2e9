/**
 * The Cloud Run function through functions-framework's own test server: the entry module is
 * loaded with a deployed-like environment (Firestore state on the emulator, Slack on the
 * local API, the cluster from a kubeconfig), and Cloud Scheduler's POST is played by fetch.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import type {AddressInfo} from 'node:net';
import type {Server} from 'node:http';
import {getTestServer} from '@google-cloud/functions-framework/testing';
import type {PassSummary} from '../../functions/pass.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {startSlackApiServer, type SlackApiServer} from '../support/slack-api-server.js';
import {objectsFor} from '../support/scenario.js';

const TOKEN = 'xoxb-function-test-SECRET-9f3a';
const CRONJOB = {namespace: 'billing', name: 'invoice-run'};

let kube: KubeApiServer;
let slack: SlackApiServer;
let server: Server;
let url: string;
const logLines: string[] = [];
const realWrite = process.stdout.write.bind(process.stdout);

before(async () => {
  kube = await startKubeApiServer({});
  const objects = objectsFor(CRONJOB, [
    {
      scheduledAt: '2026-03-02T01:00:00Z',
      outcome: 'failed',
      finishedAt: '2026-03-02T01:03:00Z',
      reason: 'DeadlineExceeded',
    },
  ]);
  kube.put(objects.cronJob);
  objects.jobs.forEach(job => kube.put(job));
  slack = await startSlackApiServer({token: TOKEN, channels: [{id: 'C0ALERTS01', name: 'alerts'}]});
  Object.assign(process.env, {
    KUBECONFIG: await kube.writeKubeconfig({context: 'function-test'}),
    CLUSTER_NAME: 'prod-eu',
    STATE_BACKEND: 'firestore',
    GOOGLE_CLOUD_PROJECT: `fn-${randomUUID().slice(0, 8)}`,
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_CHANNEL: '#alerts',
    SLACK_API_URL: slack.apiUrl,
    // The function runs on the real clock and this CronJob last ran in March 2026: it is,
    // rightly, missed by now. This test is about the function around a failing streak; the
    // silent failures have their own end-to-end tests with a clock passed in.
    DETECTIONS: 'failing',
  });
  // Capture the function's structured logs to check them.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    logLines.push(String(chunk));
    return realWrite(chunk, ...(rest as []));
  }) as typeof process.stdout.write;
  await import('../../functions/index.js');
  server = getTestServer('watchCronJobs');
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

after(async () => {
  process.stdout.write = realWrite;
  await new Promise(resolve => server.close(resolve));
  await kube.close();
  await slack.close();
});

describe('the function (functions-framework test server)', () => {
  it('answers a POST with the pass summary as JSON, and a second POST sends nothing more', async () => {
    const first = await fetch(url, {method: 'POST'});
    assert.equal(first.status, 200);
    assert.match(first.headers.get('content-type') ?? '', /application\/json/);
    const summary = (await first.json()) as PassSummary;
    assert.equal(summary.cronJobsSeen, 1);
    assert.equal(summary.opened, 1);
    assert.equal(summary.notificationsSent, 1);
    assert.deepEqual(
      summary.clusters.map(c => c.name),
      ['prod-eu'],
    );
    assert.equal(slack.accepted().length, 1);

    const second = await fetch(url, {method: 'POST'});
    const again = (await second.json()) as PassSummary;
    assert.equal(again.opened, 0);
    assert.equal(again.notificationsSent, 0);
    assert.equal(again.stillOpen, 1);
    assert.equal(slack.accepted().length, 1);
  });

  it('refuses other methods', async () => {
    const response = await fetch(url, {method: 'GET'});
    assert.equal(response.status, 405);
  });

  it('logs structured JSON with severity, and never the token', () => {
    const lines = logLines
      .join('')
      .split('\n')
      .filter(l => l.startsWith('{'));
    assert.ok(lines.length > 0);
    const parsed = lines.map(l => JSON.parse(l) as {severity?: string; message?: string});
    assert.ok(parsed.every(l => typeof l.severity === 'string' && typeof l.message === 'string'));
    assert.ok(parsed.some(l => l.message === 'pass finished'));
    assert.ok(!logLines.join('').includes(TOKEN));
  });
});
