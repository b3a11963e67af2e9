/**
 * Issue 6, point 2: Firestore goes away in the middle of a pass.
 *
 * What is provable, and how. The emulator keeps its data in memory only, so stopping it and
 * starting a new one loses every document: "the next pass converges with nothing lost" could
 * not be told apart from "it started over". So the outage is made with a TCP gate in front of
 * a private emulator: taking the gate down cuts every connection and refuses new ones — what
 * the client sees when Firestore is unreachable — while the data behind it survives, as it
 * does in the real service. The moment is exact: the Kubernetes test server holds the Pod
 * lookup the pass makes for the second CronJob, the gate goes down, and only then is the
 * lookup answered. So the first CronJob's transition is committed, the second's cannot be.
 *
 * Holds: the pass ends with a clear store error (complete: false), sends no message (least of
 * all for the uncommitted transition), and once Firestore is back, later passes converge:
 * both incidents open, each announced exactly once. A warm client needs a pass or two to
 * redial (gRPC reconnect backoff), as in production where passes are minutes apart.
 */
import {after, before, describe, it} from 'node:test';
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import type {PassSummary} from '../../functions/pass.js';
import {startFirestoreEmulator, type FirestoreEmulator} from '../support/firestore-emulator.js';
import {startKubeApiServer, type KubeApiServer} from '../support/kube-api-server.js';
import {startSlackApiServer, type SlackApiServer} from '../support/slack-api-server.js';
import {jobNameFor, uidFor, type CronJobSpec} from '../support/scenario.js';
import {
  CONTEXT,
  cronJobRecords,
  deliveredById,
  deliveredFor,
  FAIL_1,
  firestoreAt,
  OK_0,
  pass,
  show,
  TcpGate,
  TOKEN,
  world,
} from './helpers.js';

const FIRST: CronJobSpec = {namespace: 'alpha', name: 'db-backup'};
const SECOND: CronJobSpec = {namespace: 'bravo', name: 'mail-digest'};
// Passes a warm client may need to redial a Firestore that came back (see file comment).
const RECOVERY_PASSES = 5;
// The emulator is a JVM (5–20 s to start) and each failing store call takes the SDK's ~10 s
// of retries: far more than the runner's default per-test limit.
const TEST_TIMEOUT_MS = 300_000;

let kube: KubeApiServer;
let kubeconfig: string;
let slack: SlackApiServer;
let emulator: FirestoreEmulator;

before(async () => {
  kube = await startKubeApiServer({});
  kubeconfig = await kube.writeKubeconfig({context: CONTEXT});
  slack = await startSlackApiServer({token: TOKEN});
  emulator = await startFirestoreEmulator();
});
after(async () => {
  await slack.close();
  await kube.close();
  await emulator.stop();
});

const openingOf = (c: CronJobSpec) =>
  `${uidFor('cronjob', c.namespace, c.name)}/${uidFor('job', c.namespace, jobNameFor(c, FAIL_1))}/opened`;

describe('Firestore unavailable in the middle of a pass (private emulator behind a TCP gate)', () => {
  it(
    'ends with a clear store error, sends nothing uncommitted, and converges once back',
    {timeout: TEST_TIMEOUT_MS},
    async () => {
      const gate = await TcpGate.open(emulator.host);
      const db = firestoreAt(gate.host, `rel-outage-${randomUUID().slice(0, 8)}`);
      const w = await world(kubeconfig, slack, {firestore: db});
      try {
        show(kube, FIRST, [OK_0]);
        show(kube, SECOND, [OK_0]);
        const baseline = await pass(w, '2026-03-02T00:30:00Z');
        assert.deepEqual(baseline.errors, []);
        show(kube, FIRST, [OK_0, FAIL_1]);
        show(kube, SECOND, [OK_0, FAIL_1]);

        // Firestore goes down the moment the pass looks up the second CronJob's Pods, which it
        // does just before committing that CronJob's decision.
        const podsOfSecond = `/api/v1/namespaces/${SECOND.namespace}/pods`;
        let wentDown = false;
        const outage = new Promise<void>(resolve => {
          kube.onRequest(r => {
            if (r.path === podsOfSecond && !wentDown) {
              wentDown = true;
              void gate.down().then(resolve);
            }
          });
        });
        const held = kube.inject({
          match: podsOfSecond,
          action: {type: 'hold', until: outage},
          times: 1,
        });
        const during = await pass(w, '2026-03-02T01:30:00Z');
        kube.onRequest(null);
        assert.equal(held.hits, 1, 'the outage began where intended');

        assert.equal(during.complete, false);
        const storeErrors = during.errors.filter(e => e.scope === 'store');
        assert.equal(storeErrors.length, 1, JSON.stringify(during.errors));
        assert.equal(storeErrors[0]?.cluster, 'prod-eu');
        assert.equal(storeErrors[0]?.code, 'UNAVAILABLE');
        assert.match(
          storeErrors[0]?.message ?? '',
          /^prod-eu: Could not update the record bravo\/mail-digest .*Firestore did not answer.*saved whole or not at all; the pass will retry/,
        );
        // What was committed is reported; the second decision was not, and is not.
        assert.deepEqual(
          during.transitions.map(t => `${t.namespace}/${t.name}:${t.kind}`),
          ['alpha/db-backup:opened'],
        );
        assert.equal(during.notificationsSent, 0);
        assert.equal(slack.calls.length, 0, 'no message at all while the store is down');

        await gate.up();
        const later: PassSummary[] = [];
        for (let i = 1; ; i++) {
          const s = await pass(w, `2026-03-02T01:3${i + 1}:00Z`);
          later.push(s);
          // Never a second copy of anything, whatever state the redial is in.
          assert.ok(
            [...deliveredById(slack).values()].every(n => n === 1),
            `pass ${i}: doubled`,
          );
          if (s.complete) break;
          assert.ok(
            i < RECOVERY_PASSES,
            `still failing after ${i} passes: ${JSON.stringify(s.errors)}`,
          );
          assert.ok(
            s.errors.every(e => e.scope === 'store'),
            JSON.stringify(s.errors),
          );
        }
        const healed = later.at(-1)!;
        assert.deepEqual(healed.errors, []);
        // Decided exactly once over all passes: the first before the outage, the second after.
        assert.deepEqual(
          [during, ...later].flatMap(s =>
            s.transitions.map(t => `${t.namespace}/${t.name}:${t.kind}`),
          ),
          ['alpha/db-backup:opened', 'bravo/mail-digest:opened'],
        );
        const quiet = await pass(w, '2026-03-02T01:50:00Z');
        assert.deepEqual(quiet.errors, []);
        assert.equal(quiet.notificationsSent, 0);
        assert.equal(quiet.stillOpen, 2);
        assert.deepEqual(deliveredFor(slack, uidFor('cronjob', FIRST.namespace, FIRST.name)), [
          openingOf(FIRST),
        ]);
        assert.deepEqual(deliveredFor(slack, uidFor('cronjob', SECOND.namespace, SECOND.name)), [
          openingOf(SECOND),
        ]);
        assert.equal(slack.accepted().length, 2);
        const records = await cronJobRecords(w.store);
        for (const key of ['alpha/db-backup', 'bravo/mail-digest']) {
          const record = records.get(key) as {open: {failing?: unknown}; outbox: unknown[]} | null;
          assert.ok(record?.open.failing, `${key}: incident open`);
          assert.deepEqual(record?.outbox, [], `${key}: nothing owed`);
        }
      } finally {
        await db.terminate();
        await gate.down();
      }
    },
  );
});
