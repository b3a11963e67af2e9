/**
 * One object whose identity Firestore cannot store (a 100 kB CronJob name: the record's
 * document id would exceed Firestore's 1,500-byte limit) must not stop the pass for every
 * other CronJob of the cluster. The API server never serves such a name (253 characters at
 * most), so this guards the rule "one bad object never stops the pass" at its edge.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {startSlackApiServer, type SlackApiServer} from '../support/slack-api-server.js';
import {objectsFor, type CronJobSpec} from '../support/scenario.js';
import {CONTEXT, FAIL_1, OK_0, pass, TOKEN, world} from './helpers.js';

let kube: KubeApiServer;
let kubeconfig: string;
let slack: SlackApiServer;
before(async () => {
  kube = await startKubeApiServer({});
  kubeconfig = await kube.writeKubeconfig({context: CONTEXT});
  slack = await startSlackApiServer({token: TOKEN});
});
after(async () => {
  await slack.close();
  await kube.close();
});

describe('a CronJob Firestore cannot key', () => {
  it('is reported, and every other CronJob is still judged and announced', async () => {
    const huge: CronJobSpec = {namespace: 'aaa', name: 'x'.repeat(100 * 1024)};
    const good: CronJobSpec = {namespace: 'zzz', name: 'db-backup'};
    for (const spec of [huge, good]) {
      const o = objectsFor(spec, [OK_0, FAIL_1]);
      kube.put(o.cronJob);
      o.jobs.forEach(j => kube.put(j));
    }
    const w = await world(kubeconfig, slack);
    try {
      const s = await pass(w, '2026-03-02T01:30:00Z');
      assert.ok(
        s.transitions.some(t => t.namespace === 'zzz' && t.kind === 'opened'),
        `the good CronJob was not judged: ${JSON.stringify(s.errors).slice(0, 300)}`,
      );
      assert.equal(s.notificationsSent, 1);
    } finally {
      await w.close();
    }
  });
});
