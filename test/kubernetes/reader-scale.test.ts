/**
 * How `KubernetesClusterReader` reads large clusters (issue 14), against the Kubernetes API
 * test server: no raw object outlives the page it came in, one dispatcher serves a whole read,
 * and the parts of an object it cuts before parsing change nothing it reads. Figures (time,
 * memory) are the benchmark's business; these tests count objects and connections.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {parseCronJob, parseJob, type Parsed} from '../../functions/core/kube-objects.js';
import {isObject} from '../../functions/core/json.js';
import {realisticJob} from '../support/fleet-api-server.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import type {KubeObject} from '../support/kube-fixtures.js';
import {objectsFor, type RunSpec} from '../support/scenario.js';
import {readerFor} from './helpers.js';

const CRONJOBS = 60;
const RUNS = 5;
const PAGE_SIZE = 20;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function runs(i: number): RunSpec[] {
  return Array.from({length: RUNS}, (_, r) => ({
    scheduledAt: new Date(Date.UTC(2026, 2, 1, r, i % 60)).toISOString(),
    outcome: r === RUNS - 1 && i % 7 === 0 ? 'failed' : 'succeeded',
    finishedAt: new Date(Date.UTC(2026, 2, 1, r, i % 60, 40)).toISOString(),
  }));
}

/** Objects with everything the reader cuts, and strings built to confuse a scanner. */
function trickyJob(job: KubeObject, i: number): KubeObject {
  const heavy = realisticJob(job, `team-${i % 3}`);
  heavy.metadata.annotations = {
    ...heavy.metadata.annotations,
    'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
      spec: {template: {metadata: {name: 'x"y\\'}}, items: ['{', '['], note: 'é – ✓'},
    }),
    'example.com/template': '{"spec":{"template":"not cut: not at spec.template"}}',
  };
  const status = heavy.status as {conditions?: Array<Record<string, unknown>>};
  for (const condition of status.conditions ?? []) {
    condition.message = `quote " backslash \\ brace } bracket ] "items":[ ünïcödé ${i}`;
  }
  return heavy;
}

function valueOf<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Error(parsed.problem.problem);
  return parsed.value;
}

describe('KubernetesClusterReader at scale', () => {
  let server: KubeApiServer;
  const cronJobs: KubeObject[] = [];
  const jobs: KubeObject[] = [];

  before(async () => {
    server = await startKubeApiServer();
    for (let i = 0; i < CRONJOBS; i++) {
      const objects = objectsFor({namespace: `ns-${i % 4}`, name: `cron-${i}`}, runs(i));
      cronJobs.push(objects.cronJob);
      jobs.push(...objects.jobs.map(job => trickyJob(job, i)));
    }
    [...cronJobs, ...jobs].forEach(object => server.put(object));
  });
  after(() => server.close());

  it('keeps no raw object once its page is parsed', async () => {
    const reader = await readerFor(server, {token: null, pageSize: PAGE_SIZE});
    // Every raw Kubernetes object JSON.parse makes during the read, held weakly.
    const raw: Array<WeakRef<object>> = [];
    const track = (value: unknown) => {
      if (!isObject(value)) return;
      if (Array.isArray(value.items)) value.items.forEach(track);
      else if (isObject(value.metadata)) raw.push(new WeakRef(value));
    };
    const parse = JSON.parse;
    JSON.parse = (text: string, reviver?: Parameters<typeof JSON.parse>[1]): unknown => {
      const value: unknown = parse(text, reviver);
      track(value);
      return value;
    };
    // When each page is asked for, the earlier ones have been parsed: how many of their raw
    // objects are still reachable?
    let mostAlive = 0;
    let checks = 0;
    server.onRequest(request => {
      if (request.query.continue === undefined) return;
      gc();
      checks++;
      mostAlive = Math.max(mostAlive, raw.filter(ref => ref.deref() !== undefined).length);
    });
    try {
      const snapshot = await reader.read({namespaces: null});
      assert.equal(snapshot.jobs.length, CRONJOBS * RUNS);
    } finally {
      JSON.parse = parse;
      server.onRequest(null);
    }
    assert.ok(raw.length >= CRONJOBS * (RUNS + 1), `raw objects seen: ${raw.length}`);
    assert.ok(checks >= 10, `pages checked: ${checks}`);
    // Collecting every raw item until the listing ends would leave hundreds alive.
    assert.ok(mostAlive <= PAGE_SIZE, `raw objects still reachable: ${mostAlive}`);
  });

  it('reads every page of a cluster through one dispatcher (keep-alive)', async () => {
    const reader = await readerFor(server, {token: null, pageSize: PAGE_SIZE});
    const before = server.connections;
    server.clearRequests();
    await reader.read({namespaces: null});
    const pages = server.requests.length;
    assert.ok(pages >= 18, `pages: ${pages}`);
    // One connection, and a second one at most for the page fetched while one is parsed.
    assert.ok(server.connections - before <= 2, `connections: ${server.connections - before}`);
  });

  it('reads realistic objects exactly as parsing them whole does', async () => {
    const reader = await readerFor(server, {token: null, pageSize: PAGE_SIZE});
    const snapshot = await reader.read({namespaces: null});
    assert.deepEqual(snapshot.problems, []);
    const byUid = <T extends {uid: string}>(values: T[]) =>
      new Map(values.map(value => [value.uid, value]));
    const wantJobs = byUid(jobs.map(job => valueOf(parseJob(job))));
    assert.deepEqual(byUid(snapshot.jobs), wantJobs);
    const wantCronJobs = byUid(cronJobs.map(c => valueOf(parseCronJob(c))));
    assert.deepEqual(byUid(snapshot.cronJobs), wantCronJobs);
    const message = snapshot.jobs.flatMap(j => j.conditions).find(c => c.message !== null);
    assert.match(
      message?.message ?? '',
      /quote " backslash \\ brace \} bracket \] "items":\[ ünïcödé/,
    );
  });
});
